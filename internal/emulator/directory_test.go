package emulator

import (
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func (e *env) mustDo(method, path string, body any, want int) map[string]any {
	e.t.Helper()
	resp, obj := e.do(method, path, body)
	if resp.StatusCode != want {
		e.t.Fatalf("%s %s: %d %v, want %d", method, path, resp.StatusCode, obj, want)
	}
	return obj
}

func valueList(t *testing.T, body map[string]any) []map[string]any {
	t.Helper()
	raw, ok := body["value"].([]any)
	if !ok {
		t.Fatalf("no value array in %v", body)
	}
	out := make([]map[string]any, 0, len(raw))
	for _, x := range raw {
		out = append(out, x.(map[string]any))
	}
	return out
}

func idsOf(t *testing.T, body map[string]any) []string {
	t.Helper()
	var ids []string
	for _, o := range valueList(t, body) {
		ids = append(ids, o["id"].(string))
	}
	sort.Strings(ids)
	return ids
}

func sortedIDs(ids ...string) []string {
	out := append([]string(nil), ids...)
	sort.Strings(out)
	return out
}

func sameIDs(got, want []string) bool {
	return strings.Join(sortedIDs(got...), ",") == strings.Join(sortedIDs(want...), ",")
}

func newUserBody(nick string) map[string]any {
	return map[string]any{
		"displayName": nick + " Test", "mailNickname": nick, "userPrincipalName": nick + "@contoso.onmicrosoft.com",
		"accountEnabled": true, "passwordProfile": map[string]any{"password": "Passw0rd!x", "forceChangePasswordNextSignIn": true},
	}
}

func TestDirectorySeedDefault(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	named := []struct {
		path, displayName string
	}{
		{"/v1.0/users/" + SeedUserPattiID, "Patti Fernandez"},
		{"/v1.0/users/" + SeedUserAdeleID, "Adele Vance"},
		{"/v1.0/users/" + SeedUserIsaiahID, "Isaiah Langer"},
		{"/v1.0/users/" + SeedUserMeganID, "Megan Bowen"},
		{"/v1.0/users/" + SeedUserAlexID, "Alex Wilber"},
		{"/v1.0/users/" + SeedUserLeeID, "Lee Gu"},
		{"/v1.0/users/" + SeedUserJohannaID, "Johanna Lorenz"},
		{"/v1.0/users/" + SeedUserGradyID, "Grady Archie"},
		{"/v1.0/users/" + SeedUserLynneID, "Lynne Robbins"},
		{"/v1.0/users/" + SeedUserNestorID, "Nestor Wilke"},
		{"/v1.0/users/" + SeedGuestBenID, "Ben Walters (Fabrikam)"},
		{"/v1.0/users/" + SeedGuestCarlaID, "Carla Ortiz (Fabrikam)"},
		{"/v1.0/users/" + SeedGuestDanID, "Dan Jump (Fabrikam)"},
		{"/v1.0/groups/" + SeedGroupSalesID, "Sales"},
		{"/v1.0/groups/" + SeedGroupMarketingID, "Marketing"},
		{"/v1.0/groups/" + SeedGroupEngineeringID, "Engineering"},
		{"/v1.0/groups/" + SeedGroupFinanceID, "Finance"},
		{"/v1.0/groups/" + SeedGroupProjectFalconID, "Project Falcon"},
		{"/v1.0/groups/" + SeedGroupFabrikamPartnersID, "Fabrikam partners"},
		{"/v1.0/groups/" + SeedGroupAllSalesDynamicID, "All Sales (dynamic)"},
		{"/v1.0/applications/" + SeedAppExpensesID, "Contoso Expenses"},
		{"/v1.0/applications/" + SeedAppPartnerPortalID, "Fabrikam Partner Portal"},
		{"/v1.0/applications/" + SeedAppWikiID, "Contoso Wiki"},
		{"/v1.0/servicePrincipals/" + SeedAppExpensesSPID, "Contoso Expenses"},
		{"/v1.0/servicePrincipals/" + SeedAppPartnerPortalSPID, "Fabrikam Partner Portal"},
		{"/v1.0/servicePrincipals/" + SeedAppWikiSPID, "Contoso Wiki"},
	}
	for _, n := range named {
		obj := e.mustDo("GET", n.path, nil, 200)
		if obj["displayName"] != n.displayName {
			t.Errorf("%s: displayName %v, want %q", n.path, obj["displayName"], n.displayName)
		}
	}

	// The generic store holds them under the documented collection names.
	for coll, id := range map[string]string{"users": SeedUserAdeleID, "groups": SeedGroupSalesID,
		"applications": SeedAppExpensesID, "servicePrincipals": SeedAppExpensesSPID} {
		if _, err := e.srv.GetObject(coll, id); err != nil {
			t.Errorf("GetObject(%s, %s): %v", coll, id, err)
		}
	}

	// Application ids, roles and service principals line up with the constants.
	sp := e.mustDo("GET", "/v1.0/servicePrincipals/"+SeedAppExpensesSPID, nil, 200)
	if sp["appId"] != SeedAppExpensesAppID || sp["servicePrincipalType"] != "Application" || sp["accountEnabled"] != true {
		t.Errorf("expenses SP %v", sp)
	}
	roleIDs := map[string]string{}
	for _, r := range sp["appRoles"].([]any) {
		m := r.(map[string]any)
		roleIDs[m["displayName"].(string)] = m["id"].(string)
		if m["origin"] != "Application" || m["isEnabled"] != true {
			t.Errorf("role %v", m)
		}
	}
	if roleIDs["Submitter"] != SeedAppExpensesRoleSubmitterID || roleIDs["Approver"] != SeedAppExpensesRoleApproverID || roleIDs["Auditor"] != SeedAppExpensesRoleAuditorID {
		t.Errorf("expenses roles %v", roleIDs)
	}
	portal := e.mustDo("GET", "/v1.0/applications/"+SeedAppPartnerPortalID, nil, 200)
	if portal["appId"] != SeedAppPartnerPortalAppID || len(portal["appRoles"].([]any)) != 2 {
		t.Errorf("portal app %v", portal)
	}
	for _, r := range portal["appRoles"].([]any) {
		m := r.(map[string]any)
		if id := m["id"]; id != SeedAppPartnerPortalRoleReaderID && id != SeedAppPartnerPortalRoleContribID {
			t.Errorf("portal role %v", m)
		}
	}
	wiki := e.mustDo("GET", "/v1.0/servicePrincipals/"+SeedAppWikiSPID, nil, 200)
	if wiki["appId"] != SeedAppWikiAppID || len(wiki["appRoles"].([]any)) != 0 {
		t.Errorf("wiki SP %v", wiki)
	}

	// Guests look like accepted B2B invitations.
	ben := e.mustDo("GET", "/v1.0/users/"+SeedGuestBenID, nil, 200)
	for k, v := range map[string]any{"userType": "Guest", "mail": "ben@fabrikam.com", "companyName": "Fabrikam",
		"userPrincipalName": "ben_fabrikam.com#EXT#@contoso.onmicrosoft.com", "externalUserState": "Accepted", "creationType": "Invitation"} {
		if ben[k] != v {
			t.Errorf("guest %s = %v, want %v", k, ben[k], v)
		}
	}

	// Memberships, the dynamic group and managers.
	members := map[string][]string{
		SeedGroupSalesID:            {SeedUserAdeleID, SeedUserIsaiahID},
		SeedGroupEngineeringID:      {SeedUserLeeID, SeedUserJohannaID, SeedUserGradyID},
		SeedGroupProjectFalconID:    {SeedUserJohannaID, SeedUserGradyID, SeedUserMeganID},
		SeedGroupFabrikamPartnersID: {SeedGuestBenID, SeedGuestCarlaID, SeedGuestDanID},
		SeedGroupAllSalesDynamicID:  {SeedUserAdeleID, SeedUserIsaiahID},
	}
	for g, want := range members {
		got := idsOf(t, e.mustDo("GET", "/v1.0/groups/"+g+"/members", nil, 200))
		if !sameIDs(got, want) {
			t.Errorf("members of %s: %v, want %v", g, got, want)
		}
	}
	if dyn := e.mustDo("GET", "/v1.0/groups/"+SeedGroupAllSalesDynamicID, nil, 200); dyn["membershipRule"] != `(user.department -eq "Sales")` ||
		dyn["membershipRuleProcessingState"] != "On" {
		t.Errorf("dynamic group %v", dyn)
	}
	for user, mgr := range map[string]string{SeedUserIsaiahID: SeedUserAdeleID, SeedUserAdeleID: SeedUserPattiID, SeedUserGradyID: SeedUserLeeID} {
		if m := e.mustDo("GET", "/v1.0/users/"+user+"/manager", nil, 200); m["id"] != mgr || m["@odata.type"] != "#microsoft.graph.user" {
			t.Errorf("manager of %s: %v", user, m)
		}
	}
	e.mustDo("GET", "/v1.0/users/"+SeedUserPattiID+"/manager", nil, 404)

	// employeeHireDate / employeeLeaveDateTime only with $select.
	grady := e.mustDo("GET", "/v1.0/users/"+SeedUserGradyID, nil, 200)
	if _, has := grady["employeeHireDate"]; has {
		t.Errorf("employeeHireDate in the default property set: %v", grady)
	}
	grady = e.mustDo("GET", "/v1.0/users/"+SeedUserGradyID+"?$select=displayName,employeeHireDate,employeeLeaveDateTime", nil, 200)
	if grady["employeeHireDate"] != "2027-02-01T08:00:00Z" || grady["displayName"] != "Grady Archie" || grady["department"] != nil {
		t.Errorf("$select %v", grady)
	}
	list := e.mustDo("GET", "/v1.0/users?$filter="+url.QueryEscape("id eq '"+SeedUserAlexID+"'")+"&$select=id,employeeLeaveDateTime", nil, 200)
	if v := valueList(t, list); len(v) != 1 || v[0]["employeeLeaveDateTime"] != "2027-06-30T17:00:00Z" {
		t.Errorf("list $select %v", list)
	}

	// Every exported seed constant names an object of the embedded seed.
	var seed map[string][]map[string]any
	if err := json.Unmarshal(DefaultDirectorySeed(), &seed); err != nil {
		t.Fatal(err)
	}
	inSeed := map[string]bool{}
	for _, objs := range seed {
		for _, o := range objs {
			for _, k := range []string{"id", "appId"} {
				if s, ok := o[k].(string); ok {
					inSeed[s] = true
				}
			}
			if roles, ok := o["appRoles"].([]any); ok {
				for _, r := range roles {
					inSeed[r.(map[string]any)["id"].(string)] = true
				}
			}
		}
	}
	for _, id := range []string{SeedUserPattiID, SeedUserAdeleID, SeedUserIsaiahID, SeedUserMeganID, SeedUserAlexID, SeedUserLeeID,
		SeedUserJohannaID, SeedUserGradyID, SeedUserLynneID, SeedUserNestorID, SeedGuestBenID, SeedGuestCarlaID, SeedGuestDanID,
		SeedGroupSalesID, SeedGroupMarketingID, SeedGroupEngineeringID, SeedGroupFinanceID, SeedGroupProjectFalconID,
		SeedGroupFabrikamPartnersID, SeedGroupAllSalesDynamicID, SeedAppExpensesID, SeedAppExpensesAppID, SeedAppExpensesSPID,
		SeedAppExpensesRoleSubmitterID, SeedAppExpensesRoleApproverID, SeedAppExpensesRoleAuditorID, SeedAppPartnerPortalID,
		SeedAppPartnerPortalAppID, SeedAppPartnerPortalSPID, SeedAppPartnerPortalRoleReaderID, SeedAppPartnerPortalRoleContribID,
		SeedAppWikiID, SeedAppWikiAppID, SeedAppWikiSPID} {
		if !inSeed[id] {
			t.Errorf("constant %s is not in directory_seed.json", id)
		}
	}
}

func TestDirectoryUserCRUD(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	body := newUserBody("kimA")
	body["department"], body["employeeHireDate"], body["otherMails"] = "Sales", "2026-03-01T08:00:00+01:00", []any{"kim@example.com"}
	resp, u := e.do("POST", "/v1.0/users", body)
	if resp.StatusCode != 201 {
		t.Fatalf("create %d %v", resp.StatusCode, u)
	}
	id, _ := u["id"].(string)
	if _, err := uuid.Parse(id); err != nil {
		t.Fatalf("id %q", id)
	}
	if resp.Header.Get("Location") != e.base+"/v1.0/users/"+id {
		t.Errorf("Location %q", resp.Header.Get("Location"))
	}
	for k, v := range map[string]any{"@odata.context": e.base + "/v1.0/$metadata#users/$entity", "displayName": "kimA Test",
		"userType": "Member", "accountEnabled": true, "department": "Sales", "mail": nil, "jobTitle": nil} {
		if got, ok := u[k]; !ok || got != v {
			t.Errorf("%s = %v (present %v), want %v", k, got, ok, v)
		}
	}
	for _, k := range []string{"passwordProfile", "employeeHireDate"} {
		if _, has := u[k]; has {
			t.Errorf("%s returned: %v", k, u)
		}
	}
	if !graphTimestamp.MatchString(strings.Replace(u["createdDateTime"].(string), "Z", ".0Z", 1)) {
		t.Errorf("createdDateTime %v", u["createdDateTime"])
	}
	got := e.mustDo("GET", "/v1.0/users/"+id+"?$select=employeeHireDate,otherMails", nil, 200)
	if got["employeeHireDate"] != "2026-03-01T07:00:00Z" || len(got["otherMails"].([]any)) != 1 {
		t.Errorf("select %v", got)
	}
	// By user principal name too.
	e.mustDo("GET", "/v1.0/users/"+url.PathEscape("KIMA@contoso.onmicrosoft.com"), nil, 200)

	e.mustDo("PATCH", "/v1.0/users/"+id, map[string]any{"jobTitle": "Buyer", "department": nil, "userPrincipalName": "kimB@contoso.onmicrosoft.com",
		"passwordProfile": map[string]any{"password": "N3w-Passw0rd"}}, 204)
	got = e.mustDo("GET", "/v1.0/users/"+id, nil, 200)
	if got["jobTitle"] != "Buyer" || got["department"] != nil || got["userPrincipalName"] != "kimB@contoso.onmicrosoft.com" {
		t.Errorf("after PATCH %v", got)
	}
	if ids := got["identities"].([]any); ids[0].(map[string]any)["issuerAssignedId"] != "kimB@contoso.onmicrosoft.com" {
		t.Errorf("identities %v", ids)
	}
	if stored, _ := e.srv.GetObject("users", id); stored["passwordProfile"] != nil {
		t.Errorf("password stored: %v", stored)
	}
	e.mustDo("DELETE", "/v1.0/users/"+id, nil, 204)
	resp, gone := e.do("GET", "/v1.0/users/"+id, nil)
	if resp.StatusCode != 404 || errCode(gone) != "Request_ResourceNotFound" ||
		errMessage(gone) != "Resource '"+id+"' does not exist or one of its queried reference-property objects are not present." {
		t.Errorf("after delete %d %v", resp.StatusCode, gone)
	}
	resp, gone = e.do("DELETE", "/v1.0/users/"+id, nil)
	if resp.StatusCode != 404 || errCode(gone) != "Request_ResourceNotFound" {
		t.Errorf("delete again %d %v", resp.StatusCode, gone)
	}
}

func TestDirectoryUserValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	with := func(k string, v any) map[string]any {
		b := newUserBody("val" + strings.ReplaceAll(k, " ", ""))
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
		return b
	}
	tests := []struct {
		name   string
		body   any
		status int
		code   string
		msgHas string
	}{
		{"duplicate UPN (other case)", with("userPrincipalName", "adelev@CONTOSO.onmicrosoft.com"), 400, "Request_BadRequest", msgDirUPNExists},
		{"missing passwordProfile", with("passwordProfile", nil), 400, "Request_BadRequest", "passwordProfile"},
		{"weak password", with("passwordProfile", map[string]any{"password": "short"}), 400, "Request_BadRequest", "complexity"},
		{"missing displayName", with("displayName", nil), 400, "Request_BadRequest", "displayName"},
		{"missing accountEnabled", with("accountEnabled", nil), 400, "Request_BadRequest", "accountEnabled"},
		{"unknown property", with("favouriteColour", "blue"), 400, "Request_BadRequest", "favouriteColour"},
		{"wrong type", with("accountEnabled", 3), 400, "Request_BadRequest", "accountEnabled"},
		{"bad userType", with("userType", "Robot"), 400, "Request_BadRequest", "userType"},
		{"bad timestamp", with("employeeHireDate", "next monday"), 400, "Request_BadRequest", "employeeHireDate"},
		{"bad UPN", with("userPrincipalName", "no-at-sign"), 400, "Request_BadRequest", "userPrincipalName"},
		{"malformed JSON", `{"displayName":`, 400, "Request_BadRequest", ""},
		{"guest without password", map[string]any{"displayName": "G", "mailNickname": "g", "userType": "guest",
			"userPrincipalName": "g_example.com#EXT#@contoso.onmicrosoft.com", "accountEnabled": true}, 201, "", ""},
		{"read-only ignored, annotation ignored", map[string]any{"@odata.type": "#microsoft.graph.user", "id": "x", "creationType": "Invitation",
			"displayName": "R", "mailNickname": "r", "userPrincipalName": "r@contoso.onmicrosoft.com", "accountEnabled": "true",
			"passwordProfile": map[string]any{"password": "Passw0rd!x"}}, 201, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, obj := e.do("POST", "/v1.0/users", tc.body)
			if resp.StatusCode != tc.status {
				t.Fatalf("%d %v, want %d", resp.StatusCode, obj, tc.status)
			}
			if tc.code != "" && errCode(obj) != tc.code {
				t.Errorf("code %q", errCode(obj))
			}
			if !strings.Contains(errMessage(obj), tc.msgHas) {
				t.Errorf("message %q lacks %q", errMessage(obj), tc.msgHas)
			}
			if tc.status == 201 && (obj["creationType"] != nil || obj["id"] == "x") {
				t.Errorf("read-only properties taken from input: %v", obj)
			}
		})
	}
	// PATCH to a UPN another user has.
	u := e.mustDo("POST", "/v1.0/users", newUserBody("patchdup"), 201)
	resp, obj := e.do("PATCH", "/v1.0/users/"+u["id"].(string), map[string]any{"userPrincipalName": "AdeleV@contoso.onmicrosoft.com"})
	if resp.StatusCode != 400 || errMessage(obj) != msgDirUPNExists {
		t.Errorf("PATCH dup UPN %d %v", resp.StatusCode, obj)
	}
	// Its own UPN is fine.
	e.mustDo("PATCH", "/v1.0/users/"+u["id"].(string), map[string]any{"userPrincipalName": "PATCHDUP@contoso.onmicrosoft.com"}, 204)
}

func TestDirectoryManager(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	u := e.mustDo("POST", "/v1.0/users", newUserBody("mgrtest"), 201)
	id := u["id"].(string)
	resp, obj := e.do("GET", "/v1.0/users/"+id+"/manager", nil)
	if resp.StatusCode != 404 || errCode(obj) != "Request_ResourceNotFound" {
		t.Errorf("no manager: %d %v", resp.StatusCode, obj)
	}
	e.mustDo("PUT", "/v1.0/users/"+id+"/manager/$ref", map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/users/" + SeedUserLeeID}, 204)
	if m := e.mustDo("GET", "/v1.0/users/"+id+"/manager", nil, 200); m["id"] != SeedUserLeeID {
		t.Errorf("manager %v", m)
	}
	if mgr, err := e.srv.UserManagerID(id); err != nil || mgr != SeedUserLeeID {
		t.Errorf("UserManagerID %q %v", mgr, err)
	}
	// Replace with a directoryObjects reference on another host.
	e.mustDo("PUT", "/v1.0/users/"+id+"/manager/$ref", map[string]any{"@odata.id": e.base + "/v1.0/directoryObjects/" + SeedUserMeganID}, 204)
	if m := e.mustDo("GET", "/v1.0/users/"+id+"/manager", nil, 200); m["id"] != SeedUserMeganID {
		t.Errorf("manager %v", m)
	}
	bad := []struct {
		name   string
		ref    string
		status int
	}{
		{"group", "https://graph.microsoft.com/v1.0/groups/" + SeedGroupSalesID, 400},
		{"self", "https://graph.microsoft.com/v1.0/users/" + id, 400},
		{"unknown", "https://graph.microsoft.com/v1.0/users/" + uuid.NewString(), 404},
		{"typed mismatch", "https://graph.microsoft.com/v1.0/users/" + SeedGroupSalesID, 404},
		{"garbage", "https://graph.microsoft.com/v1.0/", 400},
	}
	for _, b := range bad {
		resp, obj := e.do("PUT", "/v1.0/users/"+id+"/manager/$ref", map[string]any{"@odata.id": b.ref})
		if resp.StatusCode != b.status {
			t.Errorf("%s: %d %v, want %d", b.name, resp.StatusCode, obj, b.status)
		}
	}
	e.mustDo("DELETE", "/v1.0/users/"+id+"/manager/$ref", nil, 204)
	e.mustDo("GET", "/v1.0/users/"+id+"/manager", nil, 404)
	e.mustDo("DELETE", "/v1.0/users/"+id+"/manager/$ref", nil, 404)
	// Deleting a manager unlinks their reports.
	e.mustDo("PUT", "/v1.0/users/"+id+"/manager/$ref", map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/users/" + SeedUserNestorID}, 204)
	e.mustDo("DELETE", "/v1.0/users/"+SeedUserNestorID, nil, 204)
	e.mustDo("GET", "/v1.0/users/"+id+"/manager", nil, 404)
}

func TestDirectoryGroupsAndMembers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	resp, g := e.do("POST", "/v1.0/groups", map[string]any{"displayName": "Buyers", "mailEnabled": false, "mailNickname": "buyers",
		"securityEnabled": true, "description": "People who buy",
		"members@odata.bind": []any{"https://graph.microsoft.com/v1.0/directoryObjects/" + SeedUserAdeleID}})
	if resp.StatusCode != 201 {
		t.Fatalf("create %d %v", resp.StatusCode, g)
	}
	gid := g["id"].(string)
	for k, v := range map[string]any{"@odata.context": e.base + "/v1.0/$metadata#groups/$entity", "mail": nil, "membershipRule": nil, "visibility": nil} {
		if got, ok := g[k]; !ok || got != v {
			t.Errorf("%s = %v, want %v", k, got, v)
		}
	}
	if gt, ok := g["groupTypes"].([]any); !ok || len(gt) != 0 {
		t.Errorf("groupTypes %v", g["groupTypes"])
	}
	membersPath := "/v1.0/groups/" + gid + "/members"
	ref := func(path string) map[string]any { return map[string]any{"@odata.id": path} }
	e.mustDo("POST", membersPath+"/$ref", ref("https://graph.microsoft.com/v1.0/directoryObjects/"+SeedUserIsaiahID), 204)
	e.mustDo("POST", membersPath+"/$ref", ref("http://localhost:1234/v1.0/groups/"+SeedGroupFinanceID), 204)
	e.mustDo("POST", membersPath+"/$ref", ref("https://graph.microsoft.com/v1.0/servicePrincipals/"+SeedAppWikiSPID), 204)

	list := e.mustDo("GET", membersPath, nil, 200)
	if list["@odata.context"] != e.base+"/v1.0/$metadata#directoryObjects" {
		t.Errorf("context %v", list["@odata.context"])
	}
	types := map[string]string{}
	for _, m := range valueList(t, list) {
		types[m["id"].(string)] = m["@odata.type"].(string)
	}
	want := map[string]string{SeedUserAdeleID: "#microsoft.graph.user", SeedUserIsaiahID: "#microsoft.graph.user",
		SeedGroupFinanceID: "#microsoft.graph.group", SeedAppWikiSPID: "#microsoft.graph.servicePrincipal"}
	if len(types) != len(want) {
		t.Errorf("members %v", types)
	}
	for id, ty := range want {
		if types[id] != ty {
			t.Errorf("member %s type %q, want %q", id, types[id], ty)
		}
	}
	// Paging through members.
	page := e.mustDo("GET", membersPath+"?$top=3", nil, 200)
	next, _ := page["@odata.nextLink"].(string)
	if len(valueList(t, page)) != 3 || next == "" {
		t.Fatalf("page 1 %v", page)
	}
	if page2 := e.mustDo("GET", next, nil, 200); len(valueList(t, page2)) != 1 || page2["@odata.nextLink"] != nil {
		t.Errorf("page 2 %v", page2)
	}

	errs := []struct {
		name, path string
		body       any
		status     int
		code, msg  string
	}{
		{"already a member", membersPath + "/$ref", ref("https://graph.microsoft.com/v1.0/users/" + SeedUserIsaiahID), 400, "Request_BadRequest", msgDirMemberExists},
		{"unknown member", membersPath + "/$ref", ref("https://graph.microsoft.com/v1.0/directoryObjects/" + uuid.NewString()), 404, "Request_ResourceNotFound", ""},
		{"typed path of another kind", membersPath + "/$ref", ref("https://graph.microsoft.com/v1.0/users/" + SeedGroupSalesID), 404, "Request_ResourceNotFound", ""},
		{"itself", membersPath + "/$ref", ref("https://graph.microsoft.com/v1.0/groups/" + gid), 400, "Request_BadRequest", ""},
		{"no @odata.id", membersPath + "/$ref", map[string]any{"id": SeedUserLeeID}, 400, "Request_BadRequest", ""},
		{"unknown group", "/v1.0/groups/" + uuid.NewString() + "/members/$ref", ref("https://graph.microsoft.com/v1.0/users/" + SeedUserLeeID), 404, "Request_ResourceNotFound", ""},
		{"dynamic group", "/v1.0/groups/" + SeedGroupAllSalesDynamicID + "/members/$ref", ref("https://graph.microsoft.com/v1.0/users/" + SeedUserLeeID), 400, "Request_BadRequest", msgDirDynamicMembers},
	}
	for _, tc := range errs {
		resp, obj := e.do("POST", tc.path, tc.body)
		if resp.StatusCode != tc.status || errCode(obj) != tc.code || (tc.msg != "" && errMessage(obj) != tc.msg) {
			t.Errorf("%s: %d %v, want %d %s", tc.name, resp.StatusCode, obj, tc.status, tc.code)
		}
	}

	e.mustDo("DELETE", membersPath+"/"+SeedGroupFinanceID+"/$ref", nil, 204)
	resp, obj := e.do("DELETE", membersPath+"/"+SeedGroupFinanceID+"/$ref", nil)
	if resp.StatusCode != 404 || errCode(obj) != "Request_ResourceNotFound" {
		t.Errorf("remove non-member %d %v", resp.StatusCode, obj)
	}
	e.mustDo("DELETE", "/v1.0/groups/"+SeedGroupAllSalesDynamicID+"/members/"+SeedUserAdeleID+"/$ref", nil, 400)

	// The Go methods the entitlement-management code uses.
	ids, err := e.srv.GroupMemberIDs(gid)
	if err != nil || !sameIDs(ids, []string{SeedUserAdeleID, SeedUserIsaiahID, SeedAppWikiSPID}) {
		t.Errorf("GroupMemberIDs %v %v", ids, err)
	}
	if err := e.srv.AddGroupMember(gid, SeedUserLeeID); err != nil {
		t.Errorf("AddGroupMember: %v", err)
	}
	if err := e.srv.AddGroupMember(gid, SeedUserLeeID); !errors.Is(err, ErrAlreadyMember) {
		t.Errorf("AddGroupMember twice: %v", err)
	}
	if err := e.srv.AddGroupMember(gid, uuid.NewString()); !errors.Is(err, ErrNotFound) {
		t.Errorf("AddGroupMember unknown: %v", err)
	}
	if err := e.srv.AddGroupMember(SeedGroupAllSalesDynamicID, SeedUserLeeID); !errors.Is(err, ErrDynamicGroup) {
		t.Errorf("AddGroupMember dynamic: %v", err)
	}
	if err := e.srv.RemoveGroupMember(gid, SeedUserLeeID); err != nil {
		t.Errorf("RemoveGroupMember: %v", err)
	}
	if err := e.srv.RemoveGroupMember(gid, SeedUserLeeID); !errors.Is(err, ErrNotMember) {
		t.Errorf("RemoveGroupMember twice: %v", err)
	}
	if _, err := e.srv.GroupMemberIDs(uuid.NewString()); !errors.Is(err, ErrNotFound) {
		t.Errorf("GroupMemberIDs unknown: %v", err)
	}
	if ids, _ := e.srv.GroupMemberIDs(SeedGroupAllSalesDynamicID); !sameIDs(ids, []string{SeedUserAdeleID, SeedUserIsaiahID}) {
		t.Errorf("dynamic members %v", ids)
	}

	// Dynamic membership follows the users; a rule is required and checked.
	e.mustDo("PATCH", "/v1.0/users/"+SeedUserLynneID, map[string]any{"department": "sales"}, 204)
	if ids, _ := e.srv.GroupMemberIDs(SeedGroupAllSalesDynamicID); len(ids) != 3 {
		t.Errorf("dynamic members after move %v", ids)
	}
	dyn := map[string]any{"displayName": "Dyn", "mailEnabled": false, "mailNickname": "dyn", "securityEnabled": true,
		"groupTypes": []any{"DynamicMembership"}}
	e.mustDo("POST", "/v1.0/groups", dyn, 400)
	dyn["membershipRule"] = `user.department -eq "Sales" -and`
	e.mustDo("POST", "/v1.0/groups", dyn, 400)
	dyn["membershipRule"] = `(user.userType -eq "Guest") -and (user.companyName -in ["Fabrikam", "Tailspin"])`
	d := e.mustDo("POST", "/v1.0/groups", dyn, 201)
	if ids, _ := e.srv.GroupMemberIDs(d["id"].(string)); !sameIDs(ids, []string{SeedGuestBenID, SeedGuestCarlaID, SeedGuestDanID}) {
		t.Errorf("guest rule members %v", ids)
	}
	// Making a static group dynamic drops its static members.
	e.mustDo("PATCH", "/v1.0/groups/"+gid, map[string]any{"groupTypes": []any{"DynamicMembership"}, "membershipRule": `user.jobTitle -startsWith "Marketing"`}, 204)
	if ids, _ := e.srv.GroupMemberIDs(gid); !sameIDs(ids, []string{SeedUserMeganID, SeedUserAlexID}) {
		t.Errorf("after becoming dynamic %v", ids)
	}

	// Validation, update and delete.
	e.mustDo("POST", "/v1.0/groups", map[string]any{"displayName": "x", "mailEnabled": false, "mailNickname": "x"}, 400)
	e.mustDo("POST", "/v1.0/groups", map[string]any{"displayName": "x", "mailEnabled": false, "mailNickname": "x", "securityEnabled": true, "groupTypes": []any{"Bogus"}}, 400)
	m365 := e.mustDo("POST", "/v1.0/groups", map[string]any{"displayName": "Team", "mailEnabled": true, "mailNickname": "team", "securityEnabled": false, "groupTypes": []any{"unified"}}, 201)
	if m365["mail"] != "team@contoso.onmicrosoft.com" || m365["visibility"] != "Public" || m365["groupTypes"].([]any)[0] != "Unified" {
		t.Errorf("M365 group %v", m365)
	}
	e.mustDo("PATCH", "/v1.0/groups/"+SeedGroupSalesID, map[string]any{"description": "Sellers"}, 204)
	if s := e.mustDo("GET", "/v1.0/groups/"+SeedGroupSalesID, nil, 200); s["description"] != "Sellers" {
		t.Errorf("after PATCH %v", s)
	}
	// Deleting a member removes it from its groups.
	e.mustDo("DELETE", "/v1.0/users/"+SeedUserIsaiahID, nil, 204)
	if ids, _ := e.srv.GroupMemberIDs(SeedGroupSalesID); !sameIDs(ids, []string{SeedUserAdeleID}) {
		t.Errorf("Sales after delete %v", ids)
	}
	e.mustDo("DELETE", "/v1.0/groups/"+SeedGroupSalesID, nil, 204)
	resp, obj = e.do("GET", "/v1.0/groups/"+SeedGroupSalesID+"/members", nil)
	if resp.StatusCode != 404 || errCode(obj) != "Request_ResourceNotFound" {
		t.Errorf("members of deleted group %d %v", resp.StatusCode, obj)
	}
}

func TestDirectoryApplicationsAndServicePrincipals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	resp, app := e.do("POST", "/v1.0/applications", map[string]any{"displayName": "Payroll", "identifierUris": []any{"api://payroll"},
		"appRoles": []any{
			map[string]any{"displayName": "Clerk", "value": "Payroll.Clerk", "description": "Enters payroll", "allowedMemberTypes": []any{"User"}},
			map[string]any{"id": "6a9f2d1e-0b8c-4f7a-9e3d-2c1b0a9f8e7d", "displayName": "Sync", "value": "Payroll.Sync", "allowedMemberTypes": []any{"application"}, "isEnabled": false},
		}})
	if resp.StatusCode != 201 {
		t.Fatalf("create %d %v", resp.StatusCode, app)
	}
	appObjID, appID := app["id"].(string), app["appId"].(string)
	if _, err := uuid.Parse(appID); err != nil || appID == appObjID || app["signInAudience"] != "AzureADMyOrg" {
		t.Errorf("app %v", app)
	}
	roles := app["appRoles"].([]any)
	clerk, sync := roles[0].(map[string]any), roles[1].(map[string]any)
	if _, err := uuid.Parse(clerk["id"].(string)); err != nil || clerk["isEnabled"] != true || clerk["origin"] != "Application" {
		t.Errorf("clerk %v", clerk)
	}
	if sync["id"] != "6a9f2d1e-0b8c-4f7a-9e3d-2c1b0a9f8e7d" || sync["isEnabled"] != false || sync["allowedMemberTypes"].([]any)[0] != "Application" {
		t.Errorf("sync %v", sync)
	}

	tests := []struct {
		name   string
		path   string
		body   any
		status int
		code   string
	}{
		{"app without displayName", "/v1.0/applications", map[string]any{"signInAudience": "AzureADMyOrg"}, 400, "Request_BadRequest"},
		{"app bad audience", "/v1.0/applications", map[string]any{"displayName": "a", "signInAudience": "Everyone"}, 400, "Request_BadRequest"},
		{"app duplicate role value", "/v1.0/applications", map[string]any{"displayName": "a", "appRoles": []any{
			map[string]any{"displayName": "A", "value": "x", "allowedMemberTypes": []any{"User"}},
			map[string]any{"displayName": "B", "value": "X", "allowedMemberTypes": []any{"User"}}}}, 400, "Request_BadRequest"},
		{"app role without member types", "/v1.0/applications", map[string]any{"displayName": "a", "appRoles": []any{
			map[string]any{"displayName": "A", "value": "x"}}}, 400, "Request_BadRequest"},
		{"app identifierUri taken", "/v1.0/applications", map[string]any{"displayName": "a", "identifierUris": []any{"api://contoso-expenses"}}, 400, "Request_BadRequest"},
		{"SP for unknown appId", "/v1.0/servicePrincipals", map[string]any{"appId": uuid.NewString()}, 400, "Request_BadRequest"},
		{"SP appId not a GUID", "/v1.0/servicePrincipals", map[string]any{"appId": "payroll"}, 400, "Request_BadRequest"},
		{"SP without appId", "/v1.0/servicePrincipals", map[string]any{"displayName": "x"}, 400, "Request_BadRequest"},
		{"SP duplicate", "/v1.0/servicePrincipals", map[string]any{"appId": SeedAppExpensesAppID}, 409, "Request_MultipleObjectsWithSameKeyValue"},
	}
	for _, tc := range tests {
		resp, obj := e.do("POST", tc.path, tc.body)
		if resp.StatusCode != tc.status || errCode(obj) != tc.code {
			t.Errorf("%s: %d %v, want %d %s", tc.name, resp.StatusCode, obj, tc.status, tc.code)
		}
	}

	resp, sp := e.do("POST", "/v1.0/servicePrincipals", map[string]any{"appId": strings.ToUpper(appID)})
	if resp.StatusCode != 201 {
		t.Fatalf("create SP %d %v", resp.StatusCode, sp)
	}
	spID := sp["id"].(string)
	if sp["appId"] != appID || sp["displayName"] != "Payroll" || sp["accountEnabled"] != true || sp["appRoleAssignmentRequired"] != false ||
		sp["servicePrincipalType"] != "Application" || len(sp["appRoles"].([]any)) != 2 ||
		sp["@odata.context"] != e.base+"/v1.0/$metadata#servicePrincipals/$entity" {
		t.Errorf("SP %v", sp)
	}
	e.mustDo("POST", "/v1.0/servicePrincipals", map[string]any{"appId": appID}, 409)
	e.mustDo("PATCH", "/v1.0/servicePrincipals/"+spID, map[string]any{"appRoleAssignmentRequired": true, "tags": []any{"HideApp"}}, 204)
	e.mustDo("PATCH", "/v1.0/servicePrincipals/"+spID, map[string]any{"appId": uuid.NewString()}, 400)
	if got := e.mustDo("GET", "/v1.0/servicePrincipals/"+spID, nil, 200); got["appRoleAssignmentRequired"] != true {
		t.Errorf("SP after PATCH %v", got)
	}

	// Removing an enabled role is refused; disable first, then remove. The SP follows.
	e.mustDo("PATCH", "/v1.0/applications/"+appObjID, map[string]any{"appRoles": []any{sync}}, 400)
	clerk["isEnabled"] = false
	e.mustDo("PATCH", "/v1.0/applications/"+appObjID, map[string]any{"appRoles": []any{clerk, sync}, "displayName": "Payroll 2"}, 204)
	e.mustDo("PATCH", "/v1.0/applications/"+appObjID, map[string]any{"appRoles": []any{sync}}, 204)
	if got := e.mustDo("GET", "/v1.0/servicePrincipals/"+spID, nil, 200); len(got["appRoles"].([]any)) != 1 {
		t.Errorf("SP roles after app PATCH %v", got["appRoles"])
	}
	if got := e.mustDo("GET", "/v1.0/applications/"+appObjID, nil, 200); got["displayName"] != "Payroll 2" {
		t.Errorf("app after PATCH %v", got)
	}

	// The SP can be a group member; deleting the application deletes the SP and the membership.
	e.mustDo("POST", "/v1.0/groups/"+SeedGroupFinanceID+"/members/$ref", map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/servicePrincipals/" + spID}, 204)
	e.mustDo("DELETE", "/v1.0/applications/"+appObjID, nil, 204)
	e.mustDo("GET", "/v1.0/applications/"+appObjID, nil, 404)
	if _, obj := e.do("GET", "/v1.0/servicePrincipals/"+spID, nil); errCode(obj) != "Request_ResourceNotFound" {
		t.Errorf("SP after app delete %v", obj)
	}
	if ids, _ := e.srv.GroupMemberIDs(SeedGroupFinanceID); !sameIDs(ids, []string{SeedUserLynneID}) {
		t.Errorf("Finance members %v", ids)
	}
	// Deleting just the SP.
	e.mustDo("DELETE", "/v1.0/servicePrincipals/"+SeedAppWikiSPID, nil, 204)
	e.mustDo("DELETE", "/v1.0/servicePrincipals/"+SeedAppWikiSPID, nil, 404)
	e.mustDo("POST", "/v1.0/servicePrincipals", map[string]any{"appId": SeedAppWikiAppID}, 201)
}

func TestDirectoryQueries(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{PageSize: 5})
	quoted := newUserBody("oneil")
	quoted["displayName"] = "Mary O'Neil"
	e.mustDo("POST", "/v1.0/users", quoted, 201)
	tests := []struct {
		name, path string
		want       []string // ids; nil means "check count"
		count      int
	}{
		{"eq displayName", "/v1.0/users?$filter=displayName eq 'Adele Vance'", []string{SeedUserAdeleID}, 0},
		{"eq is case-insensitive", "/v1.0/users?$filter=userPrincipalName eq 'adelev@contoso.onmicrosoft.com'", []string{SeedUserAdeleID}, 0},
		{"startswith (case-insensitive)", "/v1.0/users?$filter=startswith(displayName,'l')", []string{SeedUserLeeID, SeedUserLynneID}, 0},
		{"quote escaping", "/v1.0/users?$filter=displayName eq 'Mary O''Neil'", nil, 1},
		{"userType", "/v1.0/users?$filter=userType eq 'Guest'", []string{SeedGuestBenID, SeedGuestCarlaID, SeedGuestDanID}, 0},
		{"department and", "/v1.0/users?$filter=department eq 'Engineering' and startswith(jobTitle,'Senior')", []string{SeedUserJohannaID}, 0},
		{"mail", "/v1.0/users?$filter=mail eq 'carla@fabrikam.com'", []string{SeedGuestCarlaID}, 0},
		{"groups displayName", "/v1.0/groups?$filter=startswith(displayName,'Project')", []string{SeedGroupProjectFalconID}, 0},
		{"applications appId", "/v1.0/applications?$filter=appId eq '" + SeedAppWikiAppID + "'", []string{SeedAppWikiID}, 0},
		{"servicePrincipals appId", "/v1.0/servicePrincipals?$filter=appId eq '" + strings.ToUpper(SeedAppExpensesAppID) + "'", []string{SeedAppExpensesSPID}, 0},
		{"servicePrincipals displayName", "/v1.0/servicePrincipals?$filter=displayName eq 'Fabrikam Partner Portal'", []string{SeedAppPartnerPortalSPID}, 0},
	}
	for _, tc := range tests {
		u, _ := url.Parse(e.base + tc.path) // the query is re-encoded: spaces and quotes escaped
		u.RawQuery = u.Query().Encode()
		body := e.mustDo("GET", u.String(), nil, 200)
		got := idsOf(t, body)
		if tc.want != nil && !sameIDs(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
		if tc.want == nil && len(got) != tc.count {
			t.Errorf("%s: %v, want %d", tc.name, got, tc.count)
		}
	}
	// Paging at the configured page size, and $top; $select trims.
	seen := 0
	next := e.base + "/v1.0/users?$select=displayName"
	for pages := 0; next != ""; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		body := e.mustDo("GET", next, nil, 200)
		for _, u := range valueList(t, body) {
			if _, has := u["department"]; has {
				t.Errorf("$select ignored: %v", u)
			}
			seen++
		}
		next, _ = body["@odata.nextLink"].(string)
	}
	if seen != 14 {
		t.Errorf("paged through %d users, want 14", seen)
	}
	if body := e.mustDo("GET", "/v1.0/groups?$top=2", nil, 200); len(valueList(t, body)) != 2 || body["@odata.nextLink"] == nil {
		t.Errorf("$top %v", body)
	}
	// Unfilterable property, malformed filter: 400 Request_BadRequest.
	for _, p := range []string{"/v1.0/users?$filter=" + url.QueryEscape("passwordProfile eq 'x'"), "/v1.0/groups?$filter=" + url.QueryEscape("displayName eq")} {
		resp, obj := e.do("GET", p, nil)
		if resp.StatusCode != 400 || errCode(obj) != "Request_BadRequest" {
			t.Errorf("%s: %d %v", p, resp.StatusCode, obj)
		}
	}
	// Ids: malformed 400, unknown 404 Request_ResourceNotFound, directoryObjects finds any kind.
	for _, kind := range []string{"users", "groups", "applications", "servicePrincipals"} {
		resp, obj := e.do("GET", "/v1.0/"+kind+"/"+"not-a-guid", nil)
		if resp.StatusCode != 400 || errCode(obj) != "Request_BadRequest" {
			t.Errorf("%s malformed id: %d %v", kind, resp.StatusCode, obj)
		}
		id := uuid.NewString()
		resp, obj = e.do("GET", "/v1.0/"+kind+"/"+id, nil)
		if resp.StatusCode != 404 || errCode(obj) != "Request_ResourceNotFound" || !strings.Contains(errMessage(obj), "'"+id+"'") {
			t.Errorf("%s unknown id: %d %v", kind, resp.StatusCode, obj)
		}
		for _, m := range []string{"PATCH", "DELETE"} {
			var b any
			if m == "PATCH" {
				b = map[string]any{"displayName": "x"}
			}
			if resp, obj := e.do(m, "/v1.0/"+kind+"/"+id, b); resp.StatusCode != 404 || errCode(obj) != "Request_ResourceNotFound" {
				t.Errorf("%s %s unknown id: %d %v", m, kind, resp.StatusCode, obj)
			}
		}
	}
	if obj := e.mustDo("GET", "/v1.0/directoryObjects/"+SeedAppExpensesSPID, nil, 200); obj["@odata.type"] != "#microsoft.graph.servicePrincipal" {
		t.Errorf("directoryObjects %v", obj)
	}
}

func TestDirectoryPermissions(t *testing.T) {
	t.Parallel()
	apps := append(DefaultApps(),
		App{ClientID: "7a1b2c3d-0000-4000-8000-000000000001", Secret: "users-only", Roles: []string{"User.Read.All"}},
		App{ClientID: "7a1b2c3d-0000-4000-8000-000000000002", Secret: "group-writer", Roles: []string{"Group.ReadWrite.All"}},
		App{ClientID: "7a1b2c3d-0000-4000-8000-000000000003", Secret: "governance-only", Roles: []string{"EntitlementManagement.ReadWrite.All"}},
	)
	e := newEnv(t, Config{Apps: apps})
	reader := e.getToken(ReaderClientID, ReaderClientSecret)
	usersOnly := e.getToken("7a1b2c3d-0000-4000-8000-000000000001", "users-only")
	groupWriter := e.getToken("7a1b2c3d-0000-4000-8000-000000000002", "group-writer")
	govOnly := e.getToken("7a1b2c3d-0000-4000-8000-000000000003", "governance-only")
	newGroup := map[string]any{"displayName": "p", "mailEnabled": false, "mailNickname": "p", "securityEnabled": true}
	ref := map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/users/" + SeedUserLeeID}
	tests := []struct {
		name, token, method, path string
		body                      any
		status                    int
	}{
		{"reader lists users", reader, "GET", "/v1.0/users", nil, 200},
		{"reader reads groups", reader, "GET", "/v1.0/groups/" + SeedGroupSalesID + "/members", nil, 200},
		{"reader reads SPs", reader, "GET", "/v1.0/servicePrincipals", nil, 200},
		{"reader cannot create users", reader, "POST", "/v1.0/users", newUserBody("nope"), 403},
		{"reader cannot patch groups", reader, "PATCH", "/v1.0/groups/" + SeedGroupSalesID, map[string]any{"description": "x"}, 403},
		{"reader cannot add members", reader, "POST", "/v1.0/groups/" + SeedGroupSalesID + "/members/$ref", ref, 403},
		{"reader cannot delete apps", reader, "DELETE", "/v1.0/applications/" + SeedAppWikiID, nil, 403},
		{"reader cannot set managers", reader, "PUT", "/v1.0/users/" + SeedUserLeeID + "/manager/$ref", ref, 403},
		{"User.Read.All reads users", usersOnly, "GET", "/v1.0/users/" + SeedUserLeeID, nil, 200},
		{"User.Read.All cannot read groups", usersOnly, "GET", "/v1.0/groups", nil, 403},
		{"User.Read.All cannot read apps", usersOnly, "GET", "/v1.0/applications", nil, 403},
		{"User.Read.All reads directoryObjects", usersOnly, "GET", "/v1.0/directoryObjects/" + SeedGroupSalesID, nil, 200},
		{"Group.ReadWrite.All creates groups", groupWriter, "POST", "/v1.0/groups", newGroup, 201},
		{"Group.ReadWrite.All cannot read users", groupWriter, "GET", "/v1.0/users", nil, 403},
		{"governance app cannot read the directory", govOnly, "GET", "/v1.0/users", nil, 403},
		{"governance app keeps its own area", govOnly, "GET", catalogsPath, nil, 200},
	}
	for _, tc := range tests {
		resp, obj := e.doWith(tc.token, tc.method, tc.path, tc.body, nil)
		if resp.StatusCode != tc.status {
			t.Errorf("%s: %d %v, want %d", tc.name, resp.StatusCode, obj, tc.status)
			continue
		}
		if tc.status == 403 && (errCode(obj) != "Authorization_RequestDenied" || errMessage(obj) != "Insufficient privileges to complete the operation.") {
			t.Errorf("%s: error %v", tc.name, obj)
		}
	}
	// Entitlement management keeps its own 403 code.
	resp, obj := e.doWith(reader, "POST", catalogsPath, map[string]any{"displayName": "x", "description": ""}, nil)
	if resp.StatusCode != 403 || errCode(obj) != "UnAuthorized" {
		t.Errorf("catalog 403 %d %v", resp.StatusCode, obj)
	}
}

func TestDirectoryResetReseeds(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	e.mustDo("DELETE", "/v1.0/users/"+SeedUserAdeleID, nil, 204)
	e.mustDo("DELETE", "/v1.0/groups/"+SeedGroupEngineeringID+"/members/"+SeedUserLeeID+"/$ref", nil, 204)
	extra := e.mustDo("POST", "/v1.0/users", newUserBody("temp"), 201)
	if err := e.srv.Reset(); err != nil {
		t.Fatal(err)
	}
	e.mustDo("GET", "/v1.0/users/"+SeedUserAdeleID, nil, 200)
	e.mustDo("GET", "/v1.0/users/"+extra["id"].(string), nil, 404)
	if m := e.mustDo("GET", "/v1.0/users/"+SeedUserIsaiahID+"/manager", nil, 200); m["id"] != SeedUserAdeleID {
		t.Errorf("manager after reset %v", m)
	}
	if ids, _ := e.srv.GroupMemberIDs(SeedGroupEngineeringID); len(ids) != 3 {
		t.Errorf("Engineering after reset %v", ids)
	}
	users, _ := e.srv.ListObjects("users")
	if len(users) != 13 {
		t.Errorf("%d users after reset", len(users))
	}
}

func writeSeedFile(t *testing.T, v any) string {
	t.Helper()
	var raw []byte
	if s, ok := v.(string); ok {
		raw = []byte(s)
	} else {
		var err error
		if raw, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(p, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDirectorySeedFile(t *testing.T) {
	t.Parallel()
	const (
		uA   = "aaaaaaaa-0000-4000-8000-000000000001"
		uB   = "aaaaaaaa-0000-4000-8000-000000000002"
		g1   = "bbbbbbbb-0000-4000-8000-000000000001"
		app  = "cccccccc-0000-4000-8000-000000000001"
		appI = "cccccccc-0000-4000-8000-0000000000a1"
		sp   = "dddddddd-0000-4000-8000-000000000001"
		role = "eeeeeeee-0000-4000-8000-000000000001"
	)
	user := func(id, nick string) map[string]any {
		return map[string]any{"id": id, "displayName": nick, "userPrincipalName": nick + "@tailspin.example", "mailNickname": nick,
			"accountEnabled": true, "department": "Ops", "employeeHireDate": "2030-01-01T00:00:00Z"}
	}
	good := func() map[string]any {
		ub := user(uB, "bo")
		ub["manager"] = uA
		return map[string]any{
			"users":  []any{user(uA, "al"), ub},
			"groups": []any{map[string]any{"id": g1, "displayName": "Ops", "mailEnabled": false, "mailNickname": "ops", "securityEnabled": true, "members": []any{uA, sp}}},
			"applications": []any{map[string]any{"id": app, "appId": appI, "displayName": "Tool",
				"appRoles": []any{map[string]any{"id": role, "value": "Tool.Use", "displayName": "User", "allowedMemberTypes": []any{"User"}}}}},
			"servicePrincipals": []any{map[string]any{"id": sp, "appId": appI}},
		}
	}
	e := newEnv(t, Config{SeedFile: writeSeedFile(t, good())})
	users, _ := e.srv.ListObjects("users")
	if len(users) != 2 {
		t.Errorf("users %v", users)
	}
	if _, err := e.srv.GetObject("users", SeedUserAdeleID); !errors.Is(err, ErrNotFound) {
		t.Errorf("default seed present: %v", err)
	}
	if cats, _ := e.srv.ListObjects("catalogs"); len(cats) != 1 {
		t.Errorf("General catalog missing: %v", cats)
	}
	if ids, err := e.srv.GroupMemberIDs(g1); err != nil || !sameIDs(ids, []string{uA, sp}) {
		t.Errorf("members %v %v", ids, err)
	}
	if m, _ := e.srv.UserManagerID(uB); m != uA {
		t.Errorf("manager %q", m)
	}
	if got := e.mustDo("GET", "/v1.0/servicePrincipals/"+sp, nil, 200); got["displayName"] != "Tool" || len(got["appRoles"].([]any)) != 1 {
		t.Errorf("SP %v", got)
	}
	// Reset seeds the file again.
	e.mustDo("DELETE", "/v1.0/users/"+uA, nil, 204)
	if err := e.srv.Reset(); err != nil {
		t.Fatal(err)
	}
	e.mustDo("GET", "/v1.0/users/"+uA, nil, 200)
	if ids, _ := e.srv.GroupMemberIDs(g1); len(ids) != 2 {
		t.Errorf("members after reset %v", ids)
	}

	// Broken files are reported by New with the place of the problem.
	mutate := func(f func(m map[string]any)) map[string]any { m := good(); f(m); return m }
	broken := []struct {
		name string
		file any
		want string
	}{
		{"not JSON", "{", "seed file"},
		{"unknown top-level key", mutate(func(m map[string]any) { m["devices"] = []any{} }), "devices"},
		{"missing id", mutate(func(m map[string]any) { delete(m["users"].([]any)[0].(map[string]any), "id") }), "users[0]"},
		{"id not a GUID", mutate(func(m map[string]any) { m["users"].([]any)[0].(map[string]any)["id"] = "al" }), "not a GUID"},
		{"duplicate id", mutate(func(m map[string]any) { m["groups"].([]any)[0].(map[string]any)["id"] = uA }), "already used"},
		{"unknown property", mutate(func(m map[string]any) { m["users"].([]any)[0].(map[string]any)["shoeSize"] = 9 }), "shoeSize"},
		{"missing required property", mutate(func(m map[string]any) { delete(m["users"].([]any)[1].(map[string]any), "userPrincipalName") }), "users[1]"},
		{"dangling member", mutate(func(m map[string]any) {
			m["groups"].([]any)[0].(map[string]any)["members"] = []any{"ffffffff-0000-4000-8000-000000000001"}
		}), "ffffffff-0000-4000-8000-000000000001"},
		{"dangling manager", mutate(func(m map[string]any) { m["users"].([]any)[1].(map[string]any)["manager"] = g1 }), "manager"},
		{"SP for unknown app", mutate(func(m map[string]any) {
			m["servicePrincipals"].([]any)[0].(map[string]any)["appId"] = "ffffffff-0000-4000-8000-000000000002"
		}), "servicePrincipals[0]"},
		{"role without id", mutate(func(m map[string]any) {
			delete(m["applications"].([]any)[0].(map[string]any)["appRoles"].([]any)[0].(map[string]any), "id")
		}), "appRoles[0]"},
		{"dynamic group with members", mutate(func(m map[string]any) {
			g := m["groups"].([]any)[0].(map[string]any)
			g["groupTypes"], g["membershipRule"] = []any{"DynamicMembership"}, `user.department -eq "Ops"`
		}), "dynamic"},
		{"duplicate UPN", mutate(func(m map[string]any) {
			m["users"].([]any)[1].(map[string]any)["userPrincipalName"] = "AL@tailspin.example"
		}), "userPrincipalName"},
	}
	for _, tc := range broken {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(Config{Authority: sharedAuthority(t), SeedFile: writeSeedFile(t, tc.file)})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want it to mention %q", err, tc.want)
			}
		})
	}
	if _, err := New(Config{Authority: sharedAuthority(t), SeedFile: filepath.Join(t.TempDir(), "missing.json")}); err == nil {
		t.Error("missing seed file accepted")
	}
	// The embedded default is a valid seed file.
	if _, err := New(Config{Authority: sharedAuthority(t), SeedFile: writeSeedFile(t, string(DefaultDirectorySeed()))}); err != nil {
		t.Errorf("default seed as a file: %v", err)
	}
}

func TestDirectoryReadAfterCreateFault(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	e.srv.SetFaults(Faults{ReadAfterCreateDelay: 1 << 40})
	u := e.mustDo("POST", "/v1.0/users", newUserBody("lagging"), 201)
	resp, obj := e.do("GET", "/v1.0/users/"+u["id"].(string), nil)
	if resp.StatusCode != 404 || errCode(obj) != "Request_ResourceNotFound" {
		t.Errorf("young user visible: %d %v", resp.StatusCode, obj)
	}
	// Seeded objects are never hidden.
	e.mustDo("GET", "/v1.0/users/"+SeedUserAdeleID, nil, 200)
}
