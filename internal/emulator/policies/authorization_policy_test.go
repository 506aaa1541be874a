package policies_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/policies"
)

const authzPath = "/v1.0/policies/authorizationPolicy"

func wantErr(t *testing.T, resp *http.Response, body map[string]any, status int, code string) {
	t.Helper()
	if resp.StatusCode != status || emulatortest.ErrCode(body) != code {
		t.Fatalf("got %d %q (%s), want %d %q", resp.StatusCode, emulatortest.ErrCode(body), emulatortest.ErrMessage(body), status, code)
	}
}

func TestAuthorizationPolicyDefaultsPatchReset(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	resp, got := e.Do("GET", authzPath, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %d %v", resp.StatusCode, got)
	}
	if got["@odata.type"] != "#microsoft.graph.authorizationPolicy" ||
		!strings.HasSuffix(got["@odata.context"].(string), "$metadata#policies/authorizationPolicy/$entity") {
		t.Errorf("annotations: %v", got)
	}
	for k, v := range policies.DefaultAuthorizationPolicy() {
		if !reflect.DeepEqual(got[k], v) {
			t.Errorf("default %s = %#v, want %#v", k, got[k], v)
		}
	}

	// Documented examples of the update page, then members of the complex property are merged.
	resp, body := e.Do("PATCH", authzPath, map[string]any{
		"allowInvitesFrom": "AdminsAndGuestInviters", "guestUserRoleId": strings.ToUpper(policies.RoleRestrictedGuestUser),
		"allowEmailVerifiedUsersToJoinOrganization": false, "blockMsolPowerShell": true, "id": "authorizationPolicy",
		"@odata.type":                "#microsoft.graph.authorizationPolicy",
		"defaultUserRolePermissions": map[string]any{"allowedToCreateApps": false, "permissionGrantPoliciesAssigned": []any{}},
	})
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PATCH %d %v", resp.StatusCode, body)
	}
	_, got = e.Do("GET", authzPath, nil)
	if got["allowInvitesFrom"] != "adminsAndGuestInviters" || got["guestUserRoleId"] != policies.RoleRestrictedGuestUser ||
		got["allowEmailVerifiedUsersToJoinOrganization"] != false || got["blockMsolPowerShell"] != true || got["allowedToUseSSPR"] != true {
		t.Errorf("after PATCH: %v", got)
	}
	perms := got["defaultUserRolePermissions"].(map[string]any)
	if perms["allowedToCreateApps"] != false || perms["allowedToCreateSecurityGroups"] != true || len(perms["permissionGrantPoliciesAssigned"].([]any)) != 0 {
		t.Errorf("defaultUserRolePermissions not merged: %v", perms)
	}

	// $select
	_, got = e.Do("GET", authzPath+"?$select=allowInvitesFrom", nil)
	if _, ok := got["allowedToUseSSPR"]; ok || got["allowInvitesFrom"] != "adminsAndGuestInviters" {
		t.Errorf("$select: %v", got)
	}

	// Out of band, through the control API.
	if err := e.Srv.ChangeObject(policies.AuthorizationPolicyCollection, policies.AuthorizationPolicyID, map[string]any{"allowInvitesFrom": "none"}); err != nil {
		t.Fatal(err)
	}
	if _, got = e.Do("GET", authzPath, nil); got["allowInvitesFrom"] != "none" {
		t.Errorf("change not visible: %v", got)
	}

	if err := e.Srv.Reset(); err != nil {
		t.Fatal(err)
	}
	if _, got = e.Do("GET", authzPath, nil); got["allowInvitesFrom"] != "everyone" || got["guestUserRoleId"] != policies.RoleGuestUser {
		t.Errorf("reset did not restore the defaults: %v", got)
	}

	// Permissions and methods.
	reader := e.GetToken(emulator.ReaderClientID, emulator.ReaderClientSecret)
	if resp, _ := e.DoWith(reader, "GET", authzPath, nil, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("reader GET %d", resp.StatusCode)
	}
	resp, body = e.DoWith(reader, "PATCH", authzPath, map[string]any{"allowInvitesFrom": "none"}, nil)
	wantErr(t, resp, body, http.StatusForbidden, "UnAuthorized")
	resp, body = e.Do("POST", authzPath, map[string]any{})
	wantErr(t, resp, body, http.StatusMethodNotAllowed, "Request_BadRequest")
	resp, body = e.Do("DELETE", authzPath, nil)
	wantErr(t, resp, body, http.StatusMethodNotAllowed, "Request_BadRequest")
}

func TestAuthorizationPolicyValidation(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	for name, body := range map[string]map[string]any{
		"bad enum":               {"allowInvitesFrom": "admins"},
		"unknownFutureValue":     {"allowInvitesFrom": "unknownFutureValue"},
		"null enum":              {"allowInvitesFrom": nil},
		"enum not string":        {"allowInvitesFrom": 1},
		"guest role not a GUID":  {"guestUserRoleId": "guest"},
		"unsupported guest role": {"guestUserRoleId": "62e90394-69f5-4237-9190-012177145e10"},
		"null guest role":        {"guestUserRoleId": nil},
		"bool as string":         {"allowedToUseSSPR": "yes"},
		"null non-null bool":     {"allowedToSignUpEmailBasedSubscriptions": nil},
		"null permissions":       {"defaultUserRolePermissions": nil},
		"permissions not object": {"defaultUserRolePermissions": true},
		"null permission member": {"defaultUserRolePermissions": map[string]any{"allowedToReadOtherUsers": nil}},
		"unknown member":         {"defaultUserRolePermissions": map[string]any{"allowedToCreateTeams": true}},
		"consent policy form":    {"defaultUserRolePermissions": map[string]any{"permissionGrantPoliciesAssigned": []any{"microsoft-user-default-low"}}},
		"consent policy type":    {"defaultUserRolePermissions": map[string]any{"permissionGrantPoliciesAssigned": "managePermissionGrantsForSelf.x"}},
		"unknown property":       {"allowInvitesFromEveryone": true},
		"other id":               {"id": "other"},
		"display name number":    {"displayName": 3},
	} {
		t.Run(name, func(t *testing.T) {
			resp, got := e.Do("PATCH", authzPath, body)
			wantErr(t, resp, got, http.StatusBadRequest, "BadRequest")
		})
	}
	// Nothing was written.
	_, got := e.Do("GET", authzPath, nil)
	for k, v := range policies.DefaultAuthorizationPolicy() {
		if !reflect.DeepEqual(got[k], v) {
			t.Errorf("%s = %#v after refused PATCHes, want %#v", k, got[k], v)
		}
	}
	// Nullable booleans accept null; deletedDateTime is read-only and ignored.
	resp, body := e.Do("PATCH", authzPath, map[string]any{"allowUserConsentForRiskyApps": nil, "deletedDateTime": "2020-01-01T00:00:00Z",
		"defaultUserRolePermissions": map[string]any{"allowedToCreateTenants": nil}})
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PATCH %d %v", resp.StatusCode, body)
	}
	_, got = e.Do("GET", authzPath, nil)
	if got["allowUserConsentForRiskyApps"] != nil || got["deletedDateTime"] != nil {
		t.Errorf("%v", got)
	}
}
