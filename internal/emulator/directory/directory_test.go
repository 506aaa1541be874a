package directory_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/google/uuid"
)

func newUserBody(nick string) map[string]any {
	return map[string]any{
		"displayName": nick + " Test", "mailNickname": nick, "userPrincipalName": nick + "@contoso.onmicrosoft.com",
		"accountEnabled": true, "passwordProfile": map[string]any{"password": "Passw0rd!x", "forceChangePasswordNextSignIn": true},
	}
}

func TestDirectorySeedDefault(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	named := []struct {
		path, displayName string
	}{
		{"/v1.0/users/" + emulator.SeedUserPattiID, "Patti Fernandez"},
		{"/v1.0/users/" + emulator.SeedUserAdeleID, "Adele Vance"},
		{"/v1.0/users/" + emulator.SeedUserIsaiahID, "Isaiah Langer"},
		{"/v1.0/users/" + emulator.SeedUserMeganID, "Megan Bowen"},
		{"/v1.0/users/" + emulator.SeedUserAlexID, "Alex Wilber"},
		{"/v1.0/users/" + emulator.SeedUserLeeID, "Lee Gu"},
		{"/v1.0/users/" + emulator.SeedUserJohannaID, "Johanna Lorenz"},
		{"/v1.0/users/" + emulator.SeedUserGradyID, "Grady Archie"},
		{"/v1.0/users/" + emulator.SeedUserLynneID, "Lynne Robbins"},
		{"/v1.0/users/" + emulator.SeedUserNestorID, "Nestor Wilke"},
		{"/v1.0/users/" + emulator.SeedGuestBenID, "Ben Walters (Fabrikam)"},
		{"/v1.0/users/" + emulator.SeedGuestCarlaID, "Carla Ortiz (Fabrikam)"},
		{"/v1.0/users/" + emulator.SeedGuestDanID, "Dan Jump (Fabrikam)"},
		{"/v1.0/groups/" + emulator.SeedGroupSalesID, "Sales"},
		{"/v1.0/groups/" + emulator.SeedGroupMarketingID, "Marketing"},
		{"/v1.0/groups/" + emulator.SeedGroupEngineeringID, "Engineering"},
		{"/v1.0/groups/" + emulator.SeedGroupFinanceID, "Finance"},
		{"/v1.0/groups/" + emulator.SeedGroupProjectFalconID, "Project Falcon"},
		{"/v1.0/groups/" + emulator.SeedGroupFabrikamPartnersID, "Fabrikam partners"},
		{"/v1.0/groups/" + emulator.SeedGroupAllSalesDynamicID, "All Sales (dynamic)"},
		{"/v1.0/applications/" + emulator.SeedAppExpensesID, "Contoso Expenses"},
		{"/v1.0/applications/" + emulator.SeedAppPartnerPortalID, "Fabrikam Partner Portal"},
		{"/v1.0/applications/" + emulator.SeedAppWikiID, "Contoso Wiki"},
		{"/v1.0/servicePrincipals/" + emulator.SeedAppExpensesSPID, "Contoso Expenses"},
		{"/v1.0/servicePrincipals/" + emulator.SeedAppPartnerPortalSPID, "Fabrikam Partner Portal"},
		{"/v1.0/servicePrincipals/" + emulator.SeedAppWikiSPID, "Contoso Wiki"},
	}
	for _, n := range named {
		obj := e.MustDo("GET", n.path, nil, 200)
		if obj["displayName"] != n.displayName {
			t.Errorf("%s: displayName %v, want %q", n.path, obj["displayName"], n.displayName)
		}
	}

	// The generic store holds them under the documented collection names.
	for coll, id := range map[string]string{"users": emulator.SeedUserAdeleID, "groups": emulator.SeedGroupSalesID,
		"applications": emulator.SeedAppExpensesID, "servicePrincipals": emulator.SeedAppExpensesSPID} {
		if _, err := e.Srv.GetObject(coll, id); err != nil {
			t.Errorf("GetObject(%s, %s): %v", coll, id, err)
		}
	}

	// Application ids, roles and service principals line up with the constants.
	sp := e.MustDo("GET", "/v1.0/servicePrincipals/"+emulator.SeedAppExpensesSPID, nil, 200)
	if sp["appId"] != emulator.SeedAppExpensesAppID || sp["servicePrincipalType"] != "Application" || sp["accountEnabled"] != true {
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
	if roleIDs["Submitter"] != emulator.SeedAppExpensesRoleSubmitterID || roleIDs["Approver"] != emulator.SeedAppExpensesRoleApproverID || roleIDs["Auditor"] != emulator.SeedAppExpensesRoleAuditorID {
		t.Errorf("expenses roles %v", roleIDs)
	}
	portal := e.MustDo("GET", "/v1.0/applications/"+emulator.SeedAppPartnerPortalID, nil, 200)
	if portal["appId"] != emulator.SeedAppPartnerPortalAppID || len(portal["appRoles"].([]any)) != 2 {
		t.Errorf("portal app %v", portal)
	}
	for _, r := range portal["appRoles"].([]any) {
		m := r.(map[string]any)
		if id := m["id"]; id != emulator.SeedAppPartnerPortalRoleReaderID && id != emulator.SeedAppPartnerPortalRoleContribID {
			t.Errorf("portal role %v", m)
		}
	}
	wiki := e.MustDo("GET", "/v1.0/servicePrincipals/"+emulator.SeedAppWikiSPID, nil, 200)
	if wiki["appId"] != emulator.SeedAppWikiAppID || len(wiki["appRoles"].([]any)) != 0 {
		t.Errorf("wiki SP %v", wiki)
	}

	// Guests look like accepted B2B invitations.
	ben := e.MustDo("GET", "/v1.0/users/"+emulator.SeedGuestBenID, nil, 200)
	for k, v := range map[string]any{"userType": "Guest", "mail": "ben@fabrikam.com", "companyName": "Fabrikam",
		"userPrincipalName": "ben_fabrikam.com#EXT#@contoso.onmicrosoft.com", "externalUserState": "Accepted", "creationType": "Invitation"} {
		if ben[k] != v {
			t.Errorf("guest %s = %v, want %v", k, ben[k], v)
		}
	}

	// Memberships, the dynamic group and managers.
	members := map[string][]string{
		emulator.SeedGroupSalesID:            {emulator.SeedUserAdeleID, emulator.SeedUserIsaiahID},
		emulator.SeedGroupEngineeringID:      {emulator.SeedUserLeeID, emulator.SeedUserJohannaID, emulator.SeedUserGradyID},
		emulator.SeedGroupProjectFalconID:    {emulator.SeedUserJohannaID, emulator.SeedUserGradyID, emulator.SeedUserMeganID},
		emulator.SeedGroupFabrikamPartnersID: {emulator.SeedGuestBenID, emulator.SeedGuestCarlaID, emulator.SeedGuestDanID},
		emulator.SeedGroupAllSalesDynamicID:  {emulator.SeedUserAdeleID, emulator.SeedUserIsaiahID},
	}
	for g, want := range members {
		got := emulatortest.IDsOf(t, e.MustDo("GET", "/v1.0/groups/"+g+"/members", nil, 200))
		if !emulatortest.SameIDs(got, want) {
			t.Errorf("members of %s: %v, want %v", g, got, want)
		}
	}
	if dyn := e.MustDo("GET", "/v1.0/groups/"+emulator.SeedGroupAllSalesDynamicID, nil, 200); dyn["membershipRule"] != `(user.department -eq "Sales")` ||
		dyn["membershipRuleProcessingState"] != "On" {
		t.Errorf("dynamic group %v", dyn)
	}
	for user, mgr := range map[string]string{emulator.SeedUserIsaiahID: emulator.SeedUserAdeleID, emulator.SeedUserAdeleID: emulator.SeedUserPattiID, emulator.SeedUserGradyID: emulator.SeedUserLeeID} {
		if m := e.MustDo("GET", "/v1.0/users/"+user+"/manager", nil, 200); m["id"] != mgr || m["@odata.type"] != "#microsoft.graph.user" {
			t.Errorf("manager of %s: %v", user, m)
		}
	}
	e.MustDo("GET", "/v1.0/users/"+emulator.SeedUserPattiID+"/manager", nil, 404)

	// employeeHireDate / employeeLeaveDateTime only with $select.
	grady := e.MustDo("GET", "/v1.0/users/"+emulator.SeedUserGradyID, nil, 200)
	if _, has := grady["employeeHireDate"]; has {
		t.Errorf("employeeHireDate in the default property set: %v", grady)
	}
	grady = e.MustDo("GET", "/v1.0/users/"+emulator.SeedUserGradyID+"?$select=displayName,employeeHireDate,employeeLeaveDateTime", nil, 200)
	if grady["employeeHireDate"] != "2027-02-01T08:00:00Z" || grady["displayName"] != "Grady Archie" || grady["department"] != nil {
		t.Errorf("$select %v", grady)
	}
	list := e.MustDo("GET", "/v1.0/users?$filter="+url.QueryEscape("id eq '"+emulator.SeedUserAlexID+"'")+"&$select=id,employeeLeaveDateTime", nil, 200)
	if v := emulatortest.ValueList(t, list); len(v) != 1 || v[0]["employeeLeaveDateTime"] != "2027-06-30T17:00:00Z" {
		t.Errorf("list $select %v", list)
	}

	// Every exported seed constant names an object of the embedded seed.
	var seed map[string][]map[string]any
	if err := json.Unmarshal(emulator.DefaultDirectorySeed(), &seed); err != nil {
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
	for _, id := range []string{emulator.SeedUserPattiID, emulator.SeedUserAdeleID, emulator.SeedUserIsaiahID, emulator.SeedUserMeganID, emulator.SeedUserAlexID, emulator.SeedUserLeeID,
		emulator.SeedUserJohannaID, emulator.SeedUserGradyID, emulator.SeedUserLynneID, emulator.SeedUserNestorID, emulator.SeedGuestBenID, emulator.SeedGuestCarlaID, emulator.SeedGuestDanID,
		emulator.SeedGroupSalesID, emulator.SeedGroupMarketingID, emulator.SeedGroupEngineeringID, emulator.SeedGroupFinanceID, emulator.SeedGroupProjectFalconID,
		emulator.SeedGroupFabrikamPartnersID, emulator.SeedGroupAllSalesDynamicID, emulator.SeedAppExpensesID, emulator.SeedAppExpensesAppID, emulator.SeedAppExpensesSPID,
		emulator.SeedAppExpensesRoleSubmitterID, emulator.SeedAppExpensesRoleApproverID, emulator.SeedAppExpensesRoleAuditorID, emulator.SeedAppPartnerPortalID,
		emulator.SeedAppPartnerPortalAppID, emulator.SeedAppPartnerPortalSPID, emulator.SeedAppPartnerPortalRoleReaderID, emulator.SeedAppPartnerPortalRoleContribID,
		emulator.SeedAppWikiID, emulator.SeedAppWikiAppID, emulator.SeedAppWikiSPID} {
		if !inSeed[id] {
			t.Errorf("constant %s is not in directory_seed.json", id)
		}
	}
}

func TestDirectoryUserCRUD(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	body := newUserBody("kimA")
	body["department"], body["employeeHireDate"], body["otherMails"] = "Sales", "2026-03-01T08:00:00+01:00", []any{"kim@example.com"}
	resp, u := e.Do("POST", "/v1.0/users", body)
	if resp.StatusCode != 201 {
		t.Fatalf("create %d %v", resp.StatusCode, u)
	}
	id, _ := u["id"].(string)
	if _, err := uuid.Parse(id); err != nil {
		t.Fatalf("id %q", id)
	}
	if resp.Header.Get("Location") != e.Base+"/v1.0/users/"+id {
		t.Errorf("Location %q", resp.Header.Get("Location"))
	}
	for k, v := range map[string]any{"@odata.context": e.Base + "/v1.0/$metadata#users/$entity", "displayName": "kimA Test",
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
	if !emulatortest.GraphTimestamp.MatchString(strings.Replace(u["createdDateTime"].(string), "Z", ".0Z", 1)) {
		t.Errorf("createdDateTime %v", u["createdDateTime"])
	}
	got := e.MustDo("GET", "/v1.0/users/"+id+"?$select=employeeHireDate,otherMails", nil, 200)
	if got["employeeHireDate"] != "2026-03-01T07:00:00Z" || len(got["otherMails"].([]any)) != 1 {
		t.Errorf("select %v", got)
	}
	// By user principal name too.
	e.MustDo("GET", "/v1.0/users/"+url.PathEscape("KIMA@contoso.onmicrosoft.com"), nil, 200)

	e.MustDo("PATCH", "/v1.0/users/"+id, map[string]any{"jobTitle": "Buyer", "department": nil, "userPrincipalName": "kimB@contoso.onmicrosoft.com",
		"passwordProfile": map[string]any{"password": "N3w-Passw0rd"}}, 204)
	got = e.MustDo("GET", "/v1.0/users/"+id, nil, 200)
	if got["jobTitle"] != "Buyer" || got["department"] != nil || got["userPrincipalName"] != "kimB@contoso.onmicrosoft.com" {
		t.Errorf("after PATCH %v", got)
	}
	if ids := got["identities"].([]any); ids[0].(map[string]any)["issuerAssignedId"] != "kimB@contoso.onmicrosoft.com" {
		t.Errorf("identities %v", ids)
	}
	if stored, _ := e.Srv.GetObject("users", id); stored["passwordProfile"] != nil {
		t.Errorf("password stored: %v", stored)
	}
	e.MustDo("DELETE", "/v1.0/users/"+id, nil, 204)
	resp, gone := e.Do("GET", "/v1.0/users/"+id, nil)
	if resp.StatusCode != 404 || emulatortest.ErrCode(gone) != "Request_ResourceNotFound" ||
		emulatortest.ErrMessage(gone) != "Resource '"+id+"' does not exist or one of its queried reference-property objects are not present." {
		t.Errorf("after delete %d %v", resp.StatusCode, gone)
	}
	resp, gone = e.Do("DELETE", "/v1.0/users/"+id, nil)
	if resp.StatusCode != 404 || emulatortest.ErrCode(gone) != "Request_ResourceNotFound" {
		t.Errorf("delete again %d %v", resp.StatusCode, gone)
	}
}

func TestDirectoryUserValidation(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
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
		{"duplicate UPN (other case)", with("userPrincipalName", "adelev@CONTOSO.onmicrosoft.com"), 400, "Request_BadRequest", directory.MsgUPNExists},
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
			resp, obj := e.Do("POST", "/v1.0/users", tc.body)
			if resp.StatusCode != tc.status {
				t.Fatalf("%d %v, want %d", resp.StatusCode, obj, tc.status)
			}
			if tc.code != "" && emulatortest.ErrCode(obj) != tc.code {
				t.Errorf("code %q", emulatortest.ErrCode(obj))
			}
			if !strings.Contains(emulatortest.ErrMessage(obj), tc.msgHas) {
				t.Errorf("message %q lacks %q", emulatortest.ErrMessage(obj), tc.msgHas)
			}
			if tc.status == 201 && (obj["creationType"] != nil || obj["id"] == "x") {
				t.Errorf("read-only properties taken from input: %v", obj)
			}
		})
	}
	// PATCH to a UPN another user has.
	u := e.MustDo("POST", "/v1.0/users", newUserBody("patchdup"), 201)
	resp, obj := e.Do("PATCH", "/v1.0/users/"+u["id"].(string), map[string]any{"userPrincipalName": "AdeleV@contoso.onmicrosoft.com"})
	if resp.StatusCode != 400 || emulatortest.ErrMessage(obj) != directory.MsgUPNExists {
		t.Errorf("PATCH dup UPN %d %v", resp.StatusCode, obj)
	}
	// Its own UPN is fine.
	e.MustDo("PATCH", "/v1.0/users/"+u["id"].(string), map[string]any{"userPrincipalName": "PATCHDUP@contoso.onmicrosoft.com"}, 204)
}

func TestDirectoryManager(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	u := e.MustDo("POST", "/v1.0/users", newUserBody("mgrtest"), 201)
	id := u["id"].(string)
	resp, obj := e.Do("GET", "/v1.0/users/"+id+"/manager", nil)
	if resp.StatusCode != 404 || emulatortest.ErrCode(obj) != "Request_ResourceNotFound" {
		t.Errorf("no manager: %d %v", resp.StatusCode, obj)
	}
	e.MustDo("PUT", "/v1.0/users/"+id+"/manager/$ref", map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/users/" + emulator.SeedUserLeeID}, 204)
	if m := e.MustDo("GET", "/v1.0/users/"+id+"/manager", nil, 200); m["id"] != emulator.SeedUserLeeID {
		t.Errorf("manager %v", m)
	}
	if mgr, err := e.Srv.UserManagerID(id); err != nil || mgr != emulator.SeedUserLeeID {
		t.Errorf("UserManagerID %q %v", mgr, err)
	}
	// Replace with a directoryObjects reference on another host.
	e.MustDo("PUT", "/v1.0/users/"+id+"/manager/$ref", map[string]any{"@odata.id": e.Base + "/v1.0/directoryObjects/" + emulator.SeedUserMeganID}, 204)
	if m := e.MustDo("GET", "/v1.0/users/"+id+"/manager", nil, 200); m["id"] != emulator.SeedUserMeganID {
		t.Errorf("manager %v", m)
	}
	bad := []struct {
		name   string
		ref    string
		status int
	}{
		{"group", "https://graph.microsoft.com/v1.0/groups/" + emulator.SeedGroupSalesID, 400},
		{"self", "https://graph.microsoft.com/v1.0/users/" + id, 400},
		{"unknown", "https://graph.microsoft.com/v1.0/users/" + uuid.NewString(), 404},
		{"typed mismatch", "https://graph.microsoft.com/v1.0/users/" + emulator.SeedGroupSalesID, 404},
		{"garbage", "https://graph.microsoft.com/v1.0/", 400},
	}
	for _, b := range bad {
		resp, obj := e.Do("PUT", "/v1.0/users/"+id+"/manager/$ref", map[string]any{"@odata.id": b.ref})
		if resp.StatusCode != b.status {
			t.Errorf("%s: %d %v, want %d", b.name, resp.StatusCode, obj, b.status)
		}
	}
	e.MustDo("DELETE", "/v1.0/users/"+id+"/manager/$ref", nil, 204)
	e.MustDo("GET", "/v1.0/users/"+id+"/manager", nil, 404)
	e.MustDo("DELETE", "/v1.0/users/"+id+"/manager/$ref", nil, 404)
	// Deleting a manager unlinks their reports.
	e.MustDo("PUT", "/v1.0/users/"+id+"/manager/$ref", map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/users/" + emulator.SeedUserNestorID}, 204)
	e.MustDo("DELETE", "/v1.0/users/"+emulator.SeedUserNestorID, nil, 204)
	e.MustDo("GET", "/v1.0/users/"+id+"/manager", nil, 404)
}

func TestDirectoryGroupsAndMembers(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	resp, g := e.Do("POST", "/v1.0/groups", map[string]any{"displayName": "Buyers", "mailEnabled": false, "mailNickname": "buyers",
		"securityEnabled": true, "description": "People who buy",
		"members@odata.bind": []any{"https://graph.microsoft.com/v1.0/directoryObjects/" + emulator.SeedUserAdeleID}})
	if resp.StatusCode != 201 {
		t.Fatalf("create %d %v", resp.StatusCode, g)
	}
	gid := g["id"].(string)
	for k, v := range map[string]any{"@odata.context": e.Base + "/v1.0/$metadata#groups/$entity", "mail": nil, "membershipRule": nil, "visibility": nil} {
		if got, ok := g[k]; !ok || got != v {
			t.Errorf("%s = %v, want %v", k, got, v)
		}
	}
	if gt, ok := g["groupTypes"].([]any); !ok || len(gt) != 0 {
		t.Errorf("groupTypes %v", g["groupTypes"])
	}
	membersPath := "/v1.0/groups/" + gid + "/members"
	ref := func(path string) map[string]any { return map[string]any{"@odata.id": path} }
	e.MustDo("POST", membersPath+"/$ref", ref("https://graph.microsoft.com/v1.0/directoryObjects/"+emulator.SeedUserIsaiahID), 204)
	e.MustDo("POST", membersPath+"/$ref", ref("http://localhost:1234/v1.0/groups/"+emulator.SeedGroupFinanceID), 204)
	e.MustDo("POST", membersPath+"/$ref", ref("https://graph.microsoft.com/v1.0/servicePrincipals/"+emulator.SeedAppWikiSPID), 204)

	list := e.MustDo("GET", membersPath, nil, 200)
	if list["@odata.context"] != e.Base+"/v1.0/$metadata#directoryObjects" {
		t.Errorf("context %v", list["@odata.context"])
	}
	types := map[string]string{}
	for _, m := range emulatortest.ValueList(t, list) {
		types[m["id"].(string)] = m["@odata.type"].(string)
	}
	want := map[string]string{emulator.SeedUserAdeleID: "#microsoft.graph.user", emulator.SeedUserIsaiahID: "#microsoft.graph.user",
		emulator.SeedGroupFinanceID: "#microsoft.graph.group", emulator.SeedAppWikiSPID: "#microsoft.graph.servicePrincipal"}
	if len(types) != len(want) {
		t.Errorf("members %v", types)
	}
	for id, ty := range want {
		if types[id] != ty {
			t.Errorf("member %s type %q, want %q", id, types[id], ty)
		}
	}
	// Paging through members.
	page := e.MustDo("GET", membersPath+"?$top=3", nil, 200)
	next, _ := page["@odata.nextLink"].(string)
	if len(emulatortest.ValueList(t, page)) != 3 || next == "" {
		t.Fatalf("page 1 %v", page)
	}
	if page2 := e.MustDo("GET", next, nil, 200); len(emulatortest.ValueList(t, page2)) != 1 || page2["@odata.nextLink"] != nil {
		t.Errorf("page 2 %v", page2)
	}

	errs := []struct {
		name, path string
		body       any
		status     int
		code, msg  string
	}{
		{"already a member", membersPath + "/$ref", ref("https://graph.microsoft.com/v1.0/users/" + emulator.SeedUserIsaiahID), 400, "Request_BadRequest", directory.MsgMemberExists},
		{"unknown member", membersPath + "/$ref", ref("https://graph.microsoft.com/v1.0/directoryObjects/" + uuid.NewString()), 404, "Request_ResourceNotFound", ""},
		{"typed path of another kind", membersPath + "/$ref", ref("https://graph.microsoft.com/v1.0/users/" + emulator.SeedGroupSalesID), 404, "Request_ResourceNotFound", ""},
		{"itself", membersPath + "/$ref", ref("https://graph.microsoft.com/v1.0/groups/" + gid), 400, "Request_BadRequest", ""},
		{"no @odata.id", membersPath + "/$ref", map[string]any{"id": emulator.SeedUserLeeID}, 400, "Request_BadRequest", ""},
		{"unknown group", "/v1.0/groups/" + uuid.NewString() + "/members/$ref", ref("https://graph.microsoft.com/v1.0/users/" + emulator.SeedUserLeeID), 404, "Request_ResourceNotFound", ""},
		{"dynamic group", "/v1.0/groups/" + emulator.SeedGroupAllSalesDynamicID + "/members/$ref", ref("https://graph.microsoft.com/v1.0/users/" + emulator.SeedUserLeeID), 400, "Request_BadRequest", directory.MsgDynamicMembers},
	}
	for _, tc := range errs {
		resp, obj := e.Do("POST", tc.path, tc.body)
		if resp.StatusCode != tc.status || emulatortest.ErrCode(obj) != tc.code || (tc.msg != "" && emulatortest.ErrMessage(obj) != tc.msg) {
			t.Errorf("%s: %d %v, want %d %s", tc.name, resp.StatusCode, obj, tc.status, tc.code)
		}
	}

	e.MustDo("DELETE", membersPath+"/"+emulator.SeedGroupFinanceID+"/$ref", nil, 204)
	resp, obj := e.Do("DELETE", membersPath+"/"+emulator.SeedGroupFinanceID+"/$ref", nil)
	if resp.StatusCode != 404 || emulatortest.ErrCode(obj) != "Request_ResourceNotFound" {
		t.Errorf("remove non-member %d %v", resp.StatusCode, obj)
	}
	e.MustDo("DELETE", "/v1.0/groups/"+emulator.SeedGroupAllSalesDynamicID+"/members/"+emulator.SeedUserAdeleID+"/$ref", nil, 400)

	// The Go methods the entitlement-management code uses.
	ids, err := e.Srv.GroupMemberIDs(gid)
	if err != nil || !emulatortest.SameIDs(ids, []string{emulator.SeedUserAdeleID, emulator.SeedUserIsaiahID, emulator.SeedAppWikiSPID}) {
		t.Errorf("GroupMemberIDs %v %v", ids, err)
	}
	if err := e.Srv.AddGroupMember(gid, emulator.SeedUserLeeID); err != nil {
		t.Errorf("AddGroupMember: %v", err)
	}
	if err := e.Srv.AddGroupMember(gid, emulator.SeedUserLeeID); !errors.Is(err, emulator.ErrAlreadyMember) {
		t.Errorf("AddGroupMember twice: %v", err)
	}
	if err := e.Srv.AddGroupMember(gid, uuid.NewString()); !errors.Is(err, emulator.ErrNotFound) {
		t.Errorf("AddGroupMember unknown: %v", err)
	}
	if err := e.Srv.AddGroupMember(emulator.SeedGroupAllSalesDynamicID, emulator.SeedUserLeeID); !errors.Is(err, emulator.ErrDynamicGroup) {
		t.Errorf("AddGroupMember dynamic: %v", err)
	}
	if err := e.Srv.RemoveGroupMember(gid, emulator.SeedUserLeeID); err != nil {
		t.Errorf("RemoveGroupMember: %v", err)
	}
	if err := e.Srv.RemoveGroupMember(gid, emulator.SeedUserLeeID); !errors.Is(err, emulator.ErrNotMember) {
		t.Errorf("RemoveGroupMember twice: %v", err)
	}
	if _, err := e.Srv.GroupMemberIDs(uuid.NewString()); !errors.Is(err, emulator.ErrNotFound) {
		t.Errorf("GroupMemberIDs unknown: %v", err)
	}
	if ids, _ := e.Srv.GroupMemberIDs(emulator.SeedGroupAllSalesDynamicID); !emulatortest.SameIDs(ids, []string{emulator.SeedUserAdeleID, emulator.SeedUserIsaiahID}) {
		t.Errorf("dynamic members %v", ids)
	}

	// Dynamic membership follows the users; a rule is required and checked.
	e.MustDo("PATCH", "/v1.0/users/"+emulator.SeedUserLynneID, map[string]any{"department": "sales"}, 204)
	if ids, _ := e.Srv.GroupMemberIDs(emulator.SeedGroupAllSalesDynamicID); len(ids) != 3 {
		t.Errorf("dynamic members after move %v", ids)
	}
	dyn := map[string]any{"displayName": "Dyn", "mailEnabled": false, "mailNickname": "dyn", "securityEnabled": true,
		"groupTypes": []any{"DynamicMembership"}}
	e.MustDo("POST", "/v1.0/groups", dyn, 400)
	dyn["membershipRule"] = `user.department -eq "Sales" -and`
	e.MustDo("POST", "/v1.0/groups", dyn, 400)
	dyn["membershipRule"] = `(user.userType -eq "Guest") -and (user.companyName -in ["Fabrikam", "Tailspin"])`
	d := e.MustDo("POST", "/v1.0/groups", dyn, 201)
	if ids, _ := e.Srv.GroupMemberIDs(d["id"].(string)); !emulatortest.SameIDs(ids, []string{emulator.SeedGuestBenID, emulator.SeedGuestCarlaID, emulator.SeedGuestDanID}) {
		t.Errorf("guest rule members %v", ids)
	}
	// Making a static group dynamic drops its static members.
	e.MustDo("PATCH", "/v1.0/groups/"+gid, map[string]any{"groupTypes": []any{"DynamicMembership"}, "membershipRule": `user.jobTitle -startsWith "Marketing"`}, 204)
	if ids, _ := e.Srv.GroupMemberIDs(gid); !emulatortest.SameIDs(ids, []string{emulator.SeedUserMeganID, emulator.SeedUserAlexID}) {
		t.Errorf("after becoming dynamic %v", ids)
	}

	// Validation, update and delete.
	e.MustDo("POST", "/v1.0/groups", map[string]any{"displayName": "x", "mailEnabled": false, "mailNickname": "x"}, 400)
	e.MustDo("POST", "/v1.0/groups", map[string]any{"displayName": "x", "mailEnabled": false, "mailNickname": "x", "securityEnabled": true, "groupTypes": []any{"Bogus"}}, 400)
	m365 := e.MustDo("POST", "/v1.0/groups", map[string]any{"displayName": "Team", "mailEnabled": true, "mailNickname": "team", "securityEnabled": false, "groupTypes": []any{"unified"}}, 201)
	if m365["mail"] != "team@contoso.onmicrosoft.com" || m365["visibility"] != "Public" || m365["groupTypes"].([]any)[0] != "Unified" {
		t.Errorf("M365 group %v", m365)
	}
	e.MustDo("PATCH", "/v1.0/groups/"+emulator.SeedGroupSalesID, map[string]any{"description": "Sellers"}, 204)
	if s := e.MustDo("GET", "/v1.0/groups/"+emulator.SeedGroupSalesID, nil, 200); s["description"] != "Sellers" {
		t.Errorf("after PATCH %v", s)
	}
	// Deleting a member removes it from its groups.
	e.MustDo("DELETE", "/v1.0/users/"+emulator.SeedUserIsaiahID, nil, 204)
	if ids, _ := e.Srv.GroupMemberIDs(emulator.SeedGroupSalesID); !emulatortest.SameIDs(ids, []string{emulator.SeedUserAdeleID}) {
		t.Errorf("Sales after delete %v", ids)
	}
	e.MustDo("DELETE", "/v1.0/groups/"+emulator.SeedGroupSalesID, nil, 204)
	resp, obj = e.Do("GET", "/v1.0/groups/"+emulator.SeedGroupSalesID+"/members", nil)
	if resp.StatusCode != 404 || emulatortest.ErrCode(obj) != "Request_ResourceNotFound" {
		t.Errorf("members of deleted group %d %v", resp.StatusCode, obj)
	}
}

func TestDirectoryApplicationsAndServicePrincipals(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	resp, app := e.Do("POST", "/v1.0/applications", map[string]any{"displayName": "Payroll", "identifierUris": []any{"api://payroll"},
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
		{"SP duplicate", "/v1.0/servicePrincipals", map[string]any{"appId": emulator.SeedAppExpensesAppID}, 409, "Request_MultipleObjectsWithSameKeyValue"},
	}
	for _, tc := range tests {
		resp, obj := e.Do("POST", tc.path, tc.body)
		if resp.StatusCode != tc.status || emulatortest.ErrCode(obj) != tc.code {
			t.Errorf("%s: %d %v, want %d %s", tc.name, resp.StatusCode, obj, tc.status, tc.code)
		}
	}

	resp, sp := e.Do("POST", "/v1.0/servicePrincipals", map[string]any{"appId": strings.ToUpper(appID)})
	if resp.StatusCode != 201 {
		t.Fatalf("create SP %d %v", resp.StatusCode, sp)
	}
	spID := sp["id"].(string)
	if sp["appId"] != appID || sp["displayName"] != "Payroll" || sp["accountEnabled"] != true || sp["appRoleAssignmentRequired"] != false ||
		sp["servicePrincipalType"] != "Application" || len(sp["appRoles"].([]any)) != 2 ||
		sp["@odata.context"] != e.Base+"/v1.0/$metadata#servicePrincipals/$entity" {
		t.Errorf("SP %v", sp)
	}
	e.MustDo("POST", "/v1.0/servicePrincipals", map[string]any{"appId": appID}, 409)
	e.MustDo("PATCH", "/v1.0/servicePrincipals/"+spID, map[string]any{"appRoleAssignmentRequired": true, "tags": []any{"HideApp"}}, 204)
	e.MustDo("PATCH", "/v1.0/servicePrincipals/"+spID, map[string]any{"appId": uuid.NewString()}, 400)
	if got := e.MustDo("GET", "/v1.0/servicePrincipals/"+spID, nil, 200); got["appRoleAssignmentRequired"] != true {
		t.Errorf("SP after PATCH %v", got)
	}

	// Removing an enabled role is refused; disable first, then remove. The SP follows.
	e.MustDo("PATCH", "/v1.0/applications/"+appObjID, map[string]any{"appRoles": []any{sync}}, 400)
	clerk["isEnabled"] = false
	e.MustDo("PATCH", "/v1.0/applications/"+appObjID, map[string]any{"appRoles": []any{clerk, sync}, "displayName": "Payroll 2"}, 204)
	e.MustDo("PATCH", "/v1.0/applications/"+appObjID, map[string]any{"appRoles": []any{sync}}, 204)
	if got := e.MustDo("GET", "/v1.0/servicePrincipals/"+spID, nil, 200); len(got["appRoles"].([]any)) != 1 {
		t.Errorf("SP roles after app PATCH %v", got["appRoles"])
	}
	if got := e.MustDo("GET", "/v1.0/applications/"+appObjID, nil, 200); got["displayName"] != "Payroll 2" {
		t.Errorf("app after PATCH %v", got)
	}

	// The SP can be a group member; deleting the application deletes the SP and the membership.
	e.MustDo("POST", "/v1.0/groups/"+emulator.SeedGroupFinanceID+"/members/$ref", map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/servicePrincipals/" + spID}, 204)
	e.MustDo("DELETE", "/v1.0/applications/"+appObjID, nil, 204)
	e.MustDo("GET", "/v1.0/applications/"+appObjID, nil, 404)
	if _, obj := e.Do("GET", "/v1.0/servicePrincipals/"+spID, nil); emulatortest.ErrCode(obj) != "Request_ResourceNotFound" {
		t.Errorf("SP after app delete %v", obj)
	}
	if ids, _ := e.Srv.GroupMemberIDs(emulator.SeedGroupFinanceID); !emulatortest.SameIDs(ids, []string{emulator.SeedUserLynneID}) {
		t.Errorf("Finance members %v", ids)
	}
	// Deleting just the SP.
	e.MustDo("DELETE", "/v1.0/servicePrincipals/"+emulator.SeedAppWikiSPID, nil, 204)
	e.MustDo("DELETE", "/v1.0/servicePrincipals/"+emulator.SeedAppWikiSPID, nil, 404)
	e.MustDo("POST", "/v1.0/servicePrincipals", map[string]any{"appId": emulator.SeedAppWikiAppID}, 201)
}

func TestDirectoryQueries(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{PageSize: 5})
	quoted := newUserBody("oneil")
	quoted["displayName"] = "Mary O'Neil"
	e.MustDo("POST", "/v1.0/users", quoted, 201)
	tests := []struct {
		name, path string
		want       []string // ids; nil means "check count"
		count      int
	}{
		{"eq displayName", "/v1.0/users?$filter=displayName eq 'Adele Vance'", []string{emulator.SeedUserAdeleID}, 0},
		{"eq is case-insensitive", "/v1.0/users?$filter=userPrincipalName eq 'adelev@contoso.onmicrosoft.com'", []string{emulator.SeedUserAdeleID}, 0},
		{"startswith (case-insensitive)", "/v1.0/users?$filter=startswith(displayName,'l')", []string{emulator.SeedUserLeeID, emulator.SeedUserLynneID}, 0},
		{"quote escaping", "/v1.0/users?$filter=displayName eq 'Mary O''Neil'", nil, 1},
		{"userType", "/v1.0/users?$filter=userType eq 'Guest'", []string{emulator.SeedGuestBenID, emulator.SeedGuestCarlaID, emulator.SeedGuestDanID}, 0},
		{"department and", "/v1.0/users?$filter=department eq 'Engineering' and startswith(jobTitle,'Senior')", []string{emulator.SeedUserJohannaID}, 0},
		{"mail", "/v1.0/users?$filter=mail eq 'carla@fabrikam.com'", []string{emulator.SeedGuestCarlaID}, 0},
		{"groups displayName", "/v1.0/groups?$filter=startswith(displayName,'Project')", []string{emulator.SeedGroupProjectFalconID}, 0},
		{"applications appId", "/v1.0/applications?$filter=appId eq '" + emulator.SeedAppWikiAppID + "'", []string{emulator.SeedAppWikiID}, 0},
		{"servicePrincipals appId", "/v1.0/servicePrincipals?$filter=appId eq '" + strings.ToUpper(emulator.SeedAppExpensesAppID) + "'", []string{emulator.SeedAppExpensesSPID}, 0},
		{"servicePrincipals displayName", "/v1.0/servicePrincipals?$filter=displayName eq 'Fabrikam Partner Portal'", []string{emulator.SeedAppPartnerPortalSPID}, 0},
	}
	for _, tc := range tests {
		u, _ := url.Parse(e.Base + tc.path) // the query is re-encoded: spaces and quotes escaped
		u.RawQuery = u.Query().Encode()
		body := e.MustDo("GET", u.String(), nil, 200)
		got := emulatortest.IDsOf(t, body)
		if tc.want != nil && !emulatortest.SameIDs(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
		if tc.want == nil && len(got) != tc.count {
			t.Errorf("%s: %v, want %d", tc.name, got, tc.count)
		}
	}
	// Paging at the configured page size, and $top; $select trims.
	seen := 0
	next := e.Base + "/v1.0/users?$select=displayName"
	for pages := 0; next != ""; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		body := e.MustDo("GET", next, nil, 200)
		for _, u := range emulatortest.ValueList(t, body) {
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
	if body := e.MustDo("GET", "/v1.0/groups?$top=2", nil, 200); len(emulatortest.ValueList(t, body)) != 2 || body["@odata.nextLink"] == nil {
		t.Errorf("$top %v", body)
	}
	// Unfilterable property, malformed filter: 400 Request_BadRequest.
	for _, p := range []string{"/v1.0/users?$filter=" + url.QueryEscape("passwordProfile eq 'x'"), "/v1.0/groups?$filter=" + url.QueryEscape("displayName eq")} {
		resp, obj := e.Do("GET", p, nil)
		if resp.StatusCode != 400 || emulatortest.ErrCode(obj) != "Request_BadRequest" {
			t.Errorf("%s: %d %v", p, resp.StatusCode, obj)
		}
	}
	// Ids: malformed 400, unknown 404 Request_ResourceNotFound, directoryObjects finds any kind.
	for _, kind := range []string{"users", "groups", "applications", "servicePrincipals"} {
		resp, obj := e.Do("GET", "/v1.0/"+kind+"/"+"not-a-guid", nil)
		if resp.StatusCode != 400 || emulatortest.ErrCode(obj) != "Request_BadRequest" {
			t.Errorf("%s malformed id: %d %v", kind, resp.StatusCode, obj)
		}
		id := uuid.NewString()
		resp, obj = e.Do("GET", "/v1.0/"+kind+"/"+id, nil)
		if resp.StatusCode != 404 || emulatortest.ErrCode(obj) != "Request_ResourceNotFound" || !strings.Contains(emulatortest.ErrMessage(obj), "'"+id+"'") {
			t.Errorf("%s unknown id: %d %v", kind, resp.StatusCode, obj)
		}
		for _, m := range []string{"PATCH", "DELETE"} {
			var b any
			if m == "PATCH" {
				b = map[string]any{"displayName": "x"}
			}
			if resp, obj := e.Do(m, "/v1.0/"+kind+"/"+id, b); resp.StatusCode != 404 || emulatortest.ErrCode(obj) != "Request_ResourceNotFound" {
				t.Errorf("%s %s unknown id: %d %v", m, kind, resp.StatusCode, obj)
			}
		}
	}
	if obj := e.MustDo("GET", "/v1.0/directoryObjects/"+emulator.SeedAppExpensesSPID, nil, 200); obj["@odata.type"] != "#microsoft.graph.servicePrincipal" {
		t.Errorf("directoryObjects %v", obj)
	}
}

func TestDirectoryPermissions(t *testing.T) {
	t.Parallel()
	apps := append(emulator.DefaultApps(),
		emulator.App{ClientID: "7a1b2c3d-0000-4000-8000-000000000001", Secret: "users-only", Roles: []string{"User.Read.All"}},
		emulator.App{ClientID: "7a1b2c3d-0000-4000-8000-000000000002", Secret: "group-writer", Roles: []string{"Group.ReadWrite.All"}},
		emulator.App{ClientID: "7a1b2c3d-0000-4000-8000-000000000003", Secret: "governance-only", Roles: []string{"EntitlementManagement.ReadWrite.All"}},
	)
	e := emulatortest.New(t, emulator.Config{Apps: apps})
	reader := e.GetToken(emulator.ReaderClientID, emulator.ReaderClientSecret)
	usersOnly := e.GetToken("7a1b2c3d-0000-4000-8000-000000000001", "users-only")
	groupWriter := e.GetToken("7a1b2c3d-0000-4000-8000-000000000002", "group-writer")
	govOnly := e.GetToken("7a1b2c3d-0000-4000-8000-000000000003", "governance-only")
	newGroup := map[string]any{"displayName": "p", "mailEnabled": false, "mailNickname": "p", "securityEnabled": true}
	ref := map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/users/" + emulator.SeedUserLeeID}
	tests := []struct {
		name, token, method, path string
		body                      any
		status                    int
	}{
		{"reader lists users", reader, "GET", "/v1.0/users", nil, 200},
		{"reader reads groups", reader, "GET", "/v1.0/groups/" + emulator.SeedGroupSalesID + "/members", nil, 200},
		{"reader reads SPs", reader, "GET", "/v1.0/servicePrincipals", nil, 200},
		{"reader cannot create users", reader, "POST", "/v1.0/users", newUserBody("nope"), 403},
		{"reader cannot patch groups", reader, "PATCH", "/v1.0/groups/" + emulator.SeedGroupSalesID, map[string]any{"description": "x"}, 403},
		{"reader cannot add members", reader, "POST", "/v1.0/groups/" + emulator.SeedGroupSalesID + "/members/$ref", ref, 403},
		{"reader cannot delete apps", reader, "DELETE", "/v1.0/applications/" + emulator.SeedAppWikiID, nil, 403},
		{"reader cannot set managers", reader, "PUT", "/v1.0/users/" + emulator.SeedUserLeeID + "/manager/$ref", ref, 403},
		{"User.Read.All reads users", usersOnly, "GET", "/v1.0/users/" + emulator.SeedUserLeeID, nil, 200},
		{"User.Read.All cannot read groups", usersOnly, "GET", "/v1.0/groups", nil, 403},
		{"User.Read.All cannot read apps", usersOnly, "GET", "/v1.0/applications", nil, 403},
		{"User.Read.All reads directoryObjects", usersOnly, "GET", "/v1.0/directoryObjects/" + emulator.SeedGroupSalesID, nil, 200},
		{"Group.ReadWrite.All creates groups", groupWriter, "POST", "/v1.0/groups", newGroup, 201},
		{"Group.ReadWrite.All cannot read users", groupWriter, "GET", "/v1.0/users", nil, 403},
		{"governance app cannot read the directory", govOnly, "GET", "/v1.0/users", nil, 403},
		{"governance app keeps its own area", govOnly, "GET", emulatortest.CatalogsPath, nil, 200},
	}
	for _, tc := range tests {
		resp, obj := e.DoWith(tc.token, tc.method, tc.path, tc.body, nil)
		if resp.StatusCode != tc.status {
			t.Errorf("%s: %d %v, want %d", tc.name, resp.StatusCode, obj, tc.status)
			continue
		}
		if tc.status == 403 && (emulatortest.ErrCode(obj) != "Authorization_RequestDenied" || emulatortest.ErrMessage(obj) != "Insufficient privileges to complete the operation.") {
			t.Errorf("%s: error %v", tc.name, obj)
		}
	}
	// Entitlement management keeps its own 403 code.
	resp, obj := e.DoWith(reader, "POST", emulatortest.CatalogsPath, map[string]any{"displayName": "x", "description": ""}, nil)
	if resp.StatusCode != 403 || emulatortest.ErrCode(obj) != "UnAuthorized" {
		t.Errorf("catalog 403 %d %v", resp.StatusCode, obj)
	}
}

func TestDirectoryResetReseeds(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	e.MustDo("DELETE", "/v1.0/users/"+emulator.SeedUserAdeleID, nil, 204)
	e.MustDo("DELETE", "/v1.0/groups/"+emulator.SeedGroupEngineeringID+"/members/"+emulator.SeedUserLeeID+"/$ref", nil, 204)
	extra := e.MustDo("POST", "/v1.0/users", newUserBody("temp"), 201)
	if err := e.Srv.Reset(); err != nil {
		t.Fatal(err)
	}
	e.MustDo("GET", "/v1.0/users/"+emulator.SeedUserAdeleID, nil, 200)
	e.MustDo("GET", "/v1.0/users/"+extra["id"].(string), nil, 404)
	if m := e.MustDo("GET", "/v1.0/users/"+emulator.SeedUserIsaiahID+"/manager", nil, 200); m["id"] != emulator.SeedUserAdeleID {
		t.Errorf("manager after reset %v", m)
	}
	if ids, _ := e.Srv.GroupMemberIDs(emulator.SeedGroupEngineeringID); len(ids) != 3 {
		t.Errorf("Engineering after reset %v", ids)
	}
	users, _ := e.Srv.ListObjects("users")
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
	e := emulatortest.New(t, emulator.Config{SeedFile: writeSeedFile(t, good())})
	users, _ := e.Srv.ListObjects("users")
	if len(users) != 2 {
		t.Errorf("users %v", users)
	}
	if _, err := e.Srv.GetObject("users", emulator.SeedUserAdeleID); !errors.Is(err, emulator.ErrNotFound) {
		t.Errorf("default seed present: %v", err)
	}
	if cats, _ := e.Srv.ListObjects("catalogs"); len(cats) != 1 {
		t.Errorf("General catalog missing: %v", cats)
	}
	if ids, err := e.Srv.GroupMemberIDs(g1); err != nil || !emulatortest.SameIDs(ids, []string{uA, sp}) {
		t.Errorf("members %v %v", ids, err)
	}
	if m, _ := e.Srv.UserManagerID(uB); m != uA {
		t.Errorf("manager %q", m)
	}
	if got := e.MustDo("GET", "/v1.0/servicePrincipals/"+sp, nil, 200); got["displayName"] != "Tool" || len(got["appRoles"].([]any)) != 1 {
		t.Errorf("SP %v", got)
	}
	// Reset seeds the file again.
	e.MustDo("DELETE", "/v1.0/users/"+uA, nil, 204)
	if err := e.Srv.Reset(); err != nil {
		t.Fatal(err)
	}
	e.MustDo("GET", "/v1.0/users/"+uA, nil, 200)
	if ids, _ := e.Srv.GroupMemberIDs(g1); len(ids) != 2 {
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
			_, err := emulator.New(emulator.Config{Authority: emulatortest.SharedAuthority(t), SeedFile: writeSeedFile(t, tc.file)})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want it to mention %q", err, tc.want)
			}
		})
	}
	if _, err := emulator.New(emulator.Config{Authority: emulatortest.SharedAuthority(t), SeedFile: filepath.Join(t.TempDir(), "missing.json")}); err == nil {
		t.Error("missing seed file accepted")
	}
	// The embedded default is a valid seed file.
	if _, err := emulator.New(emulator.Config{Authority: emulatortest.SharedAuthority(t), SeedFile: writeSeedFile(t, string(emulator.DefaultDirectorySeed()))}); err != nil {
		t.Errorf("default seed as a file: %v", err)
	}
}

func TestDirectoryReadAfterCreateFault(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	e.Srv.SetFaults(emulator.Faults{ReadAfterCreateDelay: 1 << 40})
	u := e.MustDo("POST", "/v1.0/users", newUserBody("lagging"), 201)
	resp, obj := e.Do("GET", "/v1.0/users/"+u["id"].(string), nil)
	if resp.StatusCode != 404 || emulatortest.ErrCode(obj) != "Request_ResourceNotFound" {
		t.Errorf("young user visible: %d %v", resp.StatusCode, obj)
	}
	// Seeded objects are never hidden.
	e.MustDo("GET", "/v1.0/users/"+emulator.SeedUserAdeleID, nil, 200)
}

// The default property sets of https://learn.microsoft.com/en-us/graph/api/user-get?view=graph-rest-1.0
// (businessPhones, mobilePhone, officeLocation, preferredLanguage among them) and
// https://learn.microsoft.com/en-us/graph/api/group-get?view=graph-rest-1.0, with the pages' values.
func TestDirectoryDefaultPropertySets(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	body := newUserBody("AdeleVance")
	body["businessPhones"] = []any{"+1 425 555 0109"}
	body["mobilePhone"] = "+1 425 555 0109"
	body["officeLocation"] = "18/2111"
	body["preferredLanguage"] = "en-US"
	id := e.MustDo("POST", "/v1.0/users", body, 201)["id"].(string)
	u := e.MustDo("GET", "/v1.0/users/"+id, nil, 200)
	if ph, _ := u["businessPhones"].([]any); len(ph) != 1 || ph[0] != "+1 425 555 0109" || u["mobilePhone"] != "+1 425 555 0109" ||
		u["officeLocation"] != "18/2111" || u["preferredLanguage"] != "en-US" {
		t.Errorf("user: %v", u)
	}
	e.MustDo("PATCH", "/v1.0/users/"+id, map[string]any{"businessPhones": []any{}, "officeLocation": nil}, 204)
	u = e.MustDo("GET", "/v1.0/users/"+id, nil, 200)
	if ph, ok := u["businessPhones"].([]any); !ok || len(ph) != 0 || u["officeLocation"] != nil {
		t.Errorf("user after PATCH: %v", u)
	}
	seeded := e.MustDo("GET", "/v1.0/users/"+emulator.SeedUserAdeleID, nil, 200)
	for _, k := range []string{"businessPhones", "mobilePhone", "officeLocation", "preferredLanguage"} {
		if _, ok := seeded[k]; !ok {
			t.Errorf("seeded user lacks %s: %v", k, seeded)
		}
	}

	g := e.MustDo("POST", "/v1.0/groups", map[string]any{"displayName": "HR Taskforce", "description": "Welcome to the HR Taskforce team.",
		"groupTypes": []any{"Unified"}, "mailEnabled": true, "mailNickname": "HRTaskforce", "securityEnabled": false,
		"visibility": "Private", "preferredLanguage": "en-US", "theme": "Teal", "classification": "General"}, 201)
	gid := g["id"].(string)
	got := e.MustDo("GET", "/v1.0/groups/"+gid, nil, 200)
	for _, k := range []string{"deletedDateTime", "expirationDateTime", "onPremisesDomainName", "onPremisesLastSyncDateTime", "onPremisesNetBiosName",
		"onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "preferredDataLocation"} {
		if v, ok := got[k]; !ok || v != nil {
			t.Errorf("%s: %v (present %v), want null", k, v, ok)
		}
	}
	for _, k := range []string{"resourceBehaviorOptions", "resourceProvisioningOptions", "onPremisesProvisioningErrors"} {
		if l, ok := got[k].([]any); !ok || len(l) != 0 {
			t.Errorf("%s: %v, want []", k, got[k])
		}
	}
	if pa, _ := got["proxyAddresses"].([]any); len(pa) != 1 || pa[0] != "SMTP:"+got["mail"].(string) {
		t.Errorf("proxyAddresses: %v (mail %v)", got["proxyAddresses"], got["mail"])
	}
	if got["renewedDateTime"] != got["createdDateTime"] || got["preferredLanguage"] != "en-US" || got["theme"] != "Teal" || got["classification"] != "General" {
		t.Errorf("group: %v", got)
	}
	// The page's group 02bd9fd6-8f93-4758-87c3-1fb73740a315 has this security identifier.
	if sid := directory.SecurityIdentifier("02bd9fd6-8f93-4758-87c3-1fb73740a315"); sid != "S-1-12-1-45981654-1196986259-3072312199-363020343" {
		t.Errorf("security identifier: %s", sid)
	}
	if got["securityIdentifier"] != directory.SecurityIdentifier(gid) {
		t.Errorf("securityIdentifier %v", got["securityIdentifier"])
	}
	// Read-only properties are ignored on input.
	e.MustDo("PATCH", "/v1.0/groups/"+gid, map[string]any{"securityIdentifier": "S-1-1", "proxyAddresses": []any{"SMTP:x@y.z"}}, 204)
	if again := e.MustDo("GET", "/v1.0/groups/"+gid, nil, 200); again["securityIdentifier"] != got["securityIdentifier"] || len(again["proxyAddresses"].([]any)) != 1 ||
		again["proxyAddresses"].([]any)[0] != got["proxyAddresses"].([]any)[0] {
		t.Errorf("read-only properties changed: %v", again)
	}
	// A security group without mail has no proxy addresses.
	sec := e.MustDo("GET", "/v1.0/groups/"+emulator.SeedGroupSalesID, nil, 200)
	if pa, ok := sec["proxyAddresses"].([]any); !ok || (sec["mail"] == nil && len(pa) != 0) {
		t.Errorf("seeded group proxyAddresses: %v (mail %v)", sec["proxyAddresses"], sec["mail"])
	}
}

// Example 2 of https://learn.microsoft.com/en-us/graph/api/group-post-members?view=graph-rest-1.0: PATCH
// with members@odata.bind adds up to 20 members; when any of them is in error, none is added.
func TestDirectoryPatchMembersBind(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	gid := e.MustDo("POST", "/v1.0/groups", map[string]any{"displayName": "Bind", "mailEnabled": false, "mailNickname": "bind", "securityEnabled": true}, 201)["id"].(string)
	ref := func(id string) string { return "https://graph.microsoft.com/v1.0/directoryObjects/" + id }
	members := func() []string {
		t.Helper()
		return emulatortest.IDsOf(t, e.MustDo("GET", "/v1.0/groups/"+gid+"/members", nil, 200))
	}
	e.MustDo("PATCH", "/v1.0/groups/"+gid, map[string]any{"members@odata.bind": []any{
		ref(emulator.SeedUserAdeleID), ref(emulator.SeedUserMeganID), ref(emulator.SeedGroupSalesID)}}, 204)
	if got := members(); !emulatortest.SameIDs(got, []string{emulator.SeedUserAdeleID, emulator.SeedUserMeganID, emulator.SeedGroupSalesID}) {
		t.Fatalf("members after PATCH: %v", got)
	}
	// Together with a property change.
	e.MustDo("PATCH", "/v1.0/groups/"+gid, map[string]any{"description": "bound", "members@odata.bind": []any{ref(emulator.SeedUserAlexID)}}, 204)
	if got := members(); len(got) != 4 {
		t.Errorf("members after the second PATCH: %v", got)
	}
	for name, c := range map[string]struct {
		body   map[string]any
		status int
	}{
		"existing member": {map[string]any{"members@odata.bind": []any{ref(emulator.SeedUserLeeID), ref(emulator.SeedUserAdeleID)}}, 400},
		"unknown object":  {map[string]any{"members@odata.bind": []any{ref(emulator.SeedUserLeeID), ref(uuid.NewString())}}, 404},
		"itself":          {map[string]any{"members@odata.bind": []any{ref(emulator.SeedUserLeeID), ref(gid)}}, 400},
		"becomes dynamic": {map[string]any{"groupTypes": []any{"DynamicMembership"}, "membershipRule": "user.department -eq \"Sales\"", "members@odata.bind": []any{ref(emulator.SeedUserLeeID)}}, 400},
		"not an array":    {map[string]any{"members@odata.bind": ref(emulator.SeedUserLeeID)}, 400},
	} {
		if resp, obj := e.Do("PATCH", "/v1.0/groups/"+gid, c.body); resp.StatusCode != c.status {
			t.Errorf("%s: %d %v, want %d", name, resp.StatusCode, obj, c.status)
		}
	}
	many := make([]any, 0, 21)
	for range 21 {
		uid := e.MustDo("POST", "/v1.0/users", newUserBody("bind"+strings.ReplaceAll(uuid.NewString()[:8], "-", "")), 201)["id"].(string)
		many = append(many, ref(uid))
	}
	if resp, obj := e.Do("PATCH", "/v1.0/groups/"+gid, map[string]any{"members@odata.bind": many}); resp.StatusCode != 400 || !strings.Contains(emulatortest.ErrMessage(obj), "Up to 20") {
		t.Errorf("21 members: %d %v", resp.StatusCode, obj)
	}
	if got := members(); len(got) != 4 {
		t.Errorf("a refused PATCH added members: %v", got)
	}
	if g := e.MustDo("GET", "/v1.0/groups/"+gid, nil, 200); g["description"] != "bound" || g["membershipRule"] != nil {
		t.Errorf("a refused PATCH changed the group: %v", g)
	}
	e.MustDo("PATCH", "/v1.0/groups/"+gid, map[string]any{"members@odata.bind": many[:20]}, 204)
	if got := members(); len(got) != 24 {
		t.Errorf("members after adding 20: %d", len(got))
	}
}
