package entitlement_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
)

const (
	rolesSite = "https://contoso.sharepoint.com/sites/Expenses"
	// siteMembers is the origin id of the site's Members group (defaultSiteGroups).
	siteMembers = "5"
)

// roleFixture is asgFixture's package (a group) with an application role and a site role added.
type roleFixture struct {
	*asgFixture
	sp, appRole string
	appRes      map[string]any
}

func newRoleFixture(t *testing.T) *roleFixture {
	t.Helper()
	f := &roleFixture{asgFixture: newAsgFixture(t, emulator.Config{DeliveryDelay: -1}), appRole: uuid.NewString()}
	f.sp, _, _ = govApp(f.e, "Expenses", []any{map[string]any{"id": f.appRole, "value": "Submitter", "displayName": "Submitter",
		"description": "Submits expenses", "allowedMemberTypes": []any{"User"}, "isEnabled": true}})
	f.appRes = govOnboard(f.e, f.cat, "AadApplication", f.sp)
	govGrant(f.e, f.pkg, f.appRes, f.appRole)
	site := govOnboard(f.e, f.cat, "SharePointOnline", rolesSite)
	govGrant(f.e, f.pkg, site, siteMembers)
	return f
}

// userAppRoles reads GET /users/{id}/appRoleAssignments.
func (f *roleFixture) userAppRoles(user string) []map[string]any {
	f.e.T.Helper()
	return govList(f.e.T, f.e.MustDo("GET", "/v1.0/users/"+user+"/appRoleAssignments", nil, http.StatusOK))
}

// siteMemberships reads the control API's collection of site role memberships of a user.
func (f *roleFixture) siteMemberships(user string) []map[string]any {
	f.e.T.Helper()
	var out []map[string]any
	for _, m := range emulatortest.ValueList(f.e.T, f.e.MustDo("GET", "/_emulator/objects/siteRoleMemberships", nil, http.StatusOK)) {
		if strings.EqualFold(m["userId"].(string), user) {
			out = append(out, m)
		}
	}
	return out
}

func (f *roleFixture) remove(assignmentID string) {
	f.e.T.Helper()
	req := f.request(map[string]any{"requestType": "adminRemove", "assignment": map[string]any{"id": assignmentID}})
	if got := f.wait(req["id"].(string)); got["state"] != "delivered" {
		f.e.T.Fatalf("adminRemove: %v", got)
	}
}

// Delivery grants the app role (readable from the user and from the service principal) and the
// site role; adminRemove takes both away with the group.
func TestDeliveryGrantsAppAndSiteRoles(t *testing.T) {
	t.Parallel()
	f := newRoleFixture(t)
	_, asg := f.assign(polUser1, f.policy)

	roles := f.userAppRoles(polUser1)
	if len(roles) != 1 {
		t.Fatalf("app role assignments %v", roles)
	}
	ra := roles[0]
	polSubset(t, "appRoleAssignment", map[string]any{"appRoleId": f.appRole, "resourceId": f.sp, "principalId": polUser1,
		"principalType": "User", "resourceDisplayName": "Expenses", "deletedDateTime": nil}, ra)
	if id, _ := ra["id"].(string); len(id) != 43 || ra["createdDateTime"] == nil || ra["principalDisplayName"] == nil {
		t.Errorf("appRoleAssignment id, createdDateTime or principalDisplayName: %v", ra)
	}
	emulatortest.NoInternal(t, ra)
	assignedTo := govList(t, f.e.MustDo("GET", "/v1.0/servicePrincipals/"+f.sp+"/appRoleAssignedTo", nil, http.StatusOK))
	if len(assignedTo) != 1 || assignedTo[0]["id"] != ra["id"] {
		t.Fatalf("appRoleAssignedTo %v", assignedTo)
	}
	// Example 2 of the user list page: an unquoted GUID in $filter.
	q := url.Values{"$filter": {"resourceId eq " + f.sp}}
	if got := govList(t, f.e.MustDo("GET", "/v1.0/users/"+polUser1+"/appRoleAssignments?"+q.Encode(), nil, http.StatusOK)); len(got) != 1 {
		t.Errorf("filtered by resourceId: %v", got)
	}
	q = url.Values{"$filter": {"resourceId eq " + uuid.NewString()}}
	if got := govList(t, f.e.MustDo("GET", "/v1.0/users/"+polUser1+"/appRoleAssignments?"+q.Encode(), nil, http.StatusOK)); len(got) != 0 {
		t.Errorf("filtered by another resourceId: %v", got)
	}
	sites := f.siteMemberships(polUser1)
	if len(sites) != 1 || sites[0]["siteUrl"] != rolesSite || sites[0]["siteGroupId"] != siteMembers || sites[0]["siteGroupName"] != "Expenses Members" {
		t.Fatalf("site role memberships %v", sites)
	}
	if got := f.userAppRoles(polUser2); len(got) != 0 {
		t.Errorf("another user has app roles: %v", got)
	}

	f.remove(asg["id"].(string))
	if got := f.userAppRoles(polUser1); len(got) != 0 {
		t.Errorf("app role kept after adminRemove: %v", got)
	}
	if got := f.siteMemberships(polUser1); len(got) != 0 {
		t.Errorf("site role kept after adminRemove: %v", got)
	}
	if f.isMember(polUser1) {
		t.Error("group kept after adminRemove")
	}
}

// A second package granting the same app role keeps it when the first assignment goes; the
// site role only the first package granted goes. The role leaves with the last assignment.
func TestDeliveryRoleKeptBySecondAssignment(t *testing.T) {
	t.Parallel()
	f := newRoleFixture(t)
	_, first := f.assign(polUser1, f.policy)

	pkg2 := govPackage(f.e, f.cat, "Expense approvers")
	govGrant(f.e, pkg2, f.appRes, f.appRole)
	b := f.minimal("Approvers")
	b["accessPackage"] = map[string]any{"id": pkg2}
	policy2 := f.create(b)["id"].(string)
	req := f.request(map[string]any{"requestType": "adminAdd",
		"assignment": map[string]any{"targetId": polUser1, "assignmentPolicyId": policy2, "accessPackageId": pkg2}})
	if got := f.wait(req["id"].(string)); got["state"] != "delivered" {
		t.Fatalf("second assignment: %v", got)
	}
	if got := f.userAppRoles(polUser1); len(got) != 1 {
		t.Fatalf("one app role assignment for two grants, got %v", got)
	}

	f.remove(first["id"].(string))
	if got := f.userAppRoles(polUser1); len(got) != 1 || got[0]["appRoleId"] != f.appRole {
		t.Fatalf("app role lost although the second assignment grants it: %v", got)
	}
	if got := f.siteMemberships(polUser1); len(got) != 0 {
		t.Errorf("site role kept: %v", got)
	}

	// The second assignment now owns the role: removing it removes the role.
	q := url.Values{"$filter": {"assignmentPolicy/id eq '" + policy2 + "'"}}
	second := govList(t, f.e.MustDo("GET", asgPath+"?"+q.Encode(), nil, http.StatusOK))
	if len(second) != 1 {
		t.Fatalf("second assignment: %v", second)
	}
	f.remove(second[0]["id"].(string))
	if got := f.userAppRoles(polUser1); len(got) != 0 {
		t.Errorf("app role kept after the last assignment went: %v", got)
	}
}

// Expiry takes the roles away on the clock, and the audit entry names them.
func TestDeliveryRolesEndAtExpiry(t *testing.T) {
	t.Parallel()
	f := newRoleFixture(t)
	b := f.minimal("Thirty days")
	b["expiration"] = map[string]any{"type": "afterDuration", "duration": "P30D"}
	policy := f.create(b)["id"].(string)
	_, asg := f.assign(polUser1, policy)
	advance(f.e, "P29D")
	if len(f.userAppRoles(polUser1)) != 1 || len(f.siteMemberships(polUser1)) != 1 {
		t.Fatal("day 29: roles gone before the end")
	}
	advance(f.e, "P2D")
	if got := f.getAssignment(asg["id"].(string)); got["state"] != "expired" {
		t.Fatalf("day 31: %v", got)
	}
	if got := f.userAppRoles(polUser1); len(got) != 0 {
		t.Errorf("app role kept after expiry: %v", got)
	}
	if got := f.siteMemberships(polUser1); len(got) != 0 {
		t.Errorf("site role kept after expiry: %v", got)
	}
	trail := emulatortest.ValueList(t, f.e.MustDo("GET", "/_emulator/audit", nil, http.StatusOK))
	var details map[string]any
	for _, a := range trail {
		if a["activity"] == "assignmentExpired" {
			details = a["details"].(map[string]any)
		}
	}
	apps, _ := details["appRolesRemoved"].([]any)
	sites, _ := details["siteRolesRemoved"].([]any)
	if len(apps) != 1 || !strings.Contains(apps[0].(string), f.appRole) || len(sites) != 1 || !strings.HasPrefix(sites[0].(string), rolesSite) {
		t.Errorf("audit details %v", details)
	}
}

// A role removed out of band is not removed twice, and reprocess grants it again.
func TestDeliveryReprocessRegrantsRoles(t *testing.T) {
	t.Parallel()
	f := newRoleFixture(t)
	_, asg := f.assign(polUser1, f.policy)
	ra := f.userAppRoles(polUser1)[0]
	f.e.MustDo("DELETE", "/_emulator/objects/appRoleAssignments/"+ra["id"].(string), nil, http.StatusNoContent)
	site := f.siteMemberships(polUser1)[0]
	f.e.MustDo("DELETE", "/_emulator/objects/siteRoleMemberships/"+site["id"].(string), nil, http.StatusNoContent)
	if len(f.userAppRoles(polUser1)) != 0 {
		t.Fatal("out-of-band removal did not remove")
	}
	f.e.MustDo("POST", asgPath+"/"+asg["id"].(string)+"/reprocess", nil, http.StatusAccepted)
	if len(f.userAppRoles(polUser1)) != 1 || len(f.siteMemberships(polUser1)) != 1 {
		t.Fatal("reprocess did not grant the roles again")
	}
	f.remove(asg["id"].(string))
	if len(f.userAppRoles(polUser1)) != 0 || len(f.siteMemberships(polUser1)) != 0 {
		t.Fatal("roles granted by reprocess kept after adminRemove")
	}
}

// Deleting the user removes their app role assignments (the service principal reads none).
func TestDeliveryUserDeletedTakesAppRoles(t *testing.T) {
	t.Parallel()
	f := newRoleFixture(t)
	f.assign(polUser1, f.policy)
	f.e.MustDo("DELETE", "/v1.0/users/"+polUser1, nil, http.StatusNoContent)
	if got := govList(t, f.e.MustDo("GET", "/v1.0/servicePrincipals/"+f.sp+"/appRoleAssignedTo", nil, http.StatusOK)); len(got) != 0 {
		t.Errorf("appRoleAssignedTo after the user was deleted: %v", got)
	}
	f.e.MustDo("GET", "/v1.0/users/"+polUser1+"/appRoleAssignments", nil, http.StatusNotFound)
}

// The list paths: an unknown user or service principal answers 404, a malformed id 400, and a reader
// (Directory.Read.All) may read; a user is also addressed by user principal name.
func TestDeliveryAppRoleAssignmentPaths(t *testing.T) {
	t.Parallel()
	f := newRoleFixture(t)
	f.assign(polUser1, f.policy)
	for _, p := range []string{"/v1.0/users/" + uuid.NewString() + "/appRoleAssignments", "/v1.0/servicePrincipals/" + uuid.NewString() + "/appRoleAssignedTo"} {
		resp, body := f.e.Do("GET", p, nil)
		govWantErr(t, resp, body, http.StatusNotFound, "Request_ResourceNotFound")
	}
	resp, body := f.e.Do("GET", "/v1.0/servicePrincipals/not-a-guid/appRoleAssignedTo", nil)
	govWantErr(t, resp, body, http.StatusBadRequest, "Request_BadRequest")
	// README D39: the appId form of the path is not served.
	if resp, body := f.e.Do("GET", "/v1.0/servicePrincipals(appId='"+uuid.NewString()+"')/appRoleAssignedTo", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("appId form: %d %v", resp.StatusCode, body)
	}

	reader := f.e.GetToken(emulator.ReaderClientID, emulator.ReaderClientSecret)
	resp, body = f.e.DoWith(reader, "GET", "/v1.0/servicePrincipals/"+f.sp+"/appRoleAssignedTo", nil, nil)
	if resp.StatusCode != http.StatusOK || len(govList(t, body)) != 1 {
		t.Fatalf("reader: %d %v", resp.StatusCode, body)
	}
	if ctx, _ := body["@odata.context"].(string); !strings.HasSuffix(ctx, "$metadata#servicePrincipals('"+f.sp+"')/appRoleAssignedTo") {
		t.Errorf("@odata.context %q", ctx)
	}
	upn := f.e.MustDo("GET", "/v1.0/users/"+polUser1, nil, http.StatusOK)["userPrincipalName"].(string)
	if got := govList(t, f.e.MustDo("GET", "/v1.0/users/"+upn+"/appRoleAssignments", nil, http.StatusOK)); len(got) != 1 {
		t.Errorf("by user principal name: %v", got)
	}
}
