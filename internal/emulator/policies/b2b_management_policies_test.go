package policies_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/policies"
)

const b2bPath = "/beta/policies/b2bManagementPolicies"

// The examples of the beta reference pages (create, get, list, update, delete), in order.
func TestB2BManagementPolicyDocumentedExamples(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	resp, created := e.Do("POST", b2bPath, map[string]any{
		"@odata.type": "#microsoft.graph.b2bManagementPolicy", "deletedDateTime": nil,
		"description": "Policy used for B2B features", "displayName": "Policy1",
		"definition": []any{"{'B2BManagementPolicy':{'Version':1}}"}, "isOrganizationDefault": true,
	})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create %d %v", resp.StatusCode, created)
	}
	id, _ := created["id"].(string)
	if id == "" || created["@odata.type"] != "#microsoft.graph.b2bManagementPolicy" || created["isOrganizationDefault"] != true ||
		created["definition"].([]any)[0] != "{'B2BManagementPolicy':{'Version':1}}" {
		t.Fatalf("created %v", created)
	}
	if _, ok := created["deletedDateTime"]; !ok {
		t.Errorf("deletedDateTime missing: %v", created)
	}
	if resp, got := e.Do("GET", b2bPath+"/"+id, nil); resp.StatusCode != http.StatusOK || got["displayName"] != "Policy1" ||
		!strings.HasSuffix(got["@odata.context"].(string), "/beta/$metadata#policies/b2bManagementPolicies/$entity") {
		t.Errorf("get %d %v", resp.StatusCode, got)
	}
	if resp, got := e.Do("GET", b2bPath, nil); resp.StatusCode != http.StatusOK || len(got["value"].([]any)) != 1 {
		t.Errorf("list %d %v", resp.StatusCode, got)
	}
	resp, updated := e.Do("PATCH", b2bPath+"/"+id, map[string]any{
		"@odata.type": "#microsoft.graph.b2bManagementPolicy", "description": "Policy used for B2B features", "displayName": "Policy1",
		"definition": []any{"{'B2BManagementPolicy':{'Version':1}}"}, "isOrganizationDefault": "true",
	})
	if resp.StatusCode != http.StatusOK || updated["id"] != id || updated["isOrganizationDefault"] != true {
		t.Errorf("update %d %v", resp.StatusCode, updated)
	}
	if resp, _ := e.Do("DELETE", b2bPath+"/"+id, nil); resp.StatusCode != http.StatusNoContent {
		t.Errorf("delete %d", resp.StatusCode)
	}
	if resp, got := e.Do("GET", b2bPath+"/"+id, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("get after delete %d %v", resp.StatusCode, got)
	}
	if resp, _ := e.Do("DELETE", b2bPath+"/"+id, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("second delete %d", resp.StatusCode)
	}
}

func TestB2BManagementPolicyRules(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	valid := func(def string) map[string]any {
		return map[string]any{"displayName": "B2BManagementPolicy", "description": "d", "definition": []any{def}, "isOrganizationDefault": true}
	}
	for name, body := range map[string]map[string]any{
		"both lists":           valid(`{"B2BManagementPolicy":{"InvitationsAllowedAndBlockedDomainsPolicy":{"AllowedDomains":["contoso.com"],"BlockedDomains":["live.com"]}}}`),
		"not a domain":         valid(`{"B2BManagementPolicy":{"InvitationsAllowedAndBlockedDomainsPolicy":{"BlockedDomains":["not a domain"]}}}`),
		"unknown list":         valid(`{"B2BManagementPolicy":{"InvitationsAllowedAndBlockedDomainsPolicy":{"DeniedDomains":["live.com"]}}}`),
		"domains not an array": valid(`{"B2BManagementPolicy":{"InvitationsAllowedAndBlockedDomainsPolicy":{"BlockedDomains":"live.com"}}}`),
		"no policy object":     valid(`{"Version":1}`),
		"not JSON":             valid(`B2BManagementPolicy`),
		"too long":             valid(`{"B2BManagementPolicy":{"InvitationsAllowedAndBlockedDomainsPolicy":{"BlockedDomains":["` + strings.Repeat("a", 25000) + `.com"]}}}`),
		"two definitions":      {"displayName": "x", "description": "d", "definition": []any{`{"B2BManagementPolicy":{}}`, `{"B2BManagementPolicy":{}}`}},
		"no displayName":       {"description": "d", "definition": []any{`{"B2BManagementPolicy":{}}`}},
		"no definition":        {"displayName": "x", "description": "d"},
		"unknown property":     {"displayName": "x", "description": "d", "definition": []any{`{"B2BManagementPolicy":{}}`}, "type": "B2BManagementPolicy"},
	} {
		t.Run(name, func(t *testing.T) {
			resp, got := e.Do("POST", b2bPath, body)
			wantErr(t, resp, got, http.StatusBadRequest, "BadRequest")
		})
	}
	// One policy per tenant.
	resp, first := e.Do("POST", b2bPath, valid(`{"B2BManagementPolicy":{"InvitationsAllowedAndBlockedDomainsPolicy":{"AllowedDomains":[],"BlockedDomains":["live.com"]}}}`))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create %d %v", resp.StatusCode, first)
	}
	resp, got := e.Do("POST", b2bPath, valid(`{"B2BManagementPolicy":{}}`))
	wantErr(t, resp, got, http.StatusBadRequest, "BadRequest")
	// PATCH checks the same rules and changes nothing when refused.
	id := first["id"].(string)
	resp, got = e.Do("PATCH", b2bPath+"/"+id, map[string]any{"definition": []any{`{"B2BManagementPolicy":{"InvitationsAllowedAndBlockedDomainsPolicy":{"AllowedDomains":["contoso.com"],"BlockedDomains":["live.com"]}}}`}})
	wantErr(t, resp, got, http.StatusBadRequest, "BadRequest")
	if _, got = e.Do("GET", b2bPath+"/"+id, nil); !strings.Contains(got["definition"].([]any)[0].(string), `"BlockedDomains":["live.com"]`) {
		t.Errorf("refused PATCH changed the policy: %v", got)
	}

	// Out of band, and reset.
	if err := e.Srv.ChangeObject(policies.B2BPolicyCollection, id, map[string]any{"displayName": "changed"}); err != nil {
		t.Fatal(err)
	}
	if _, got = e.Do("GET", b2bPath+"/"+strings.ToUpper(id), nil); got["displayName"] != "changed" {
		t.Errorf("change not visible: %v", got)
	}
	if err := e.Srv.Reset(); err != nil {
		t.Fatal(err)
	}
	if _, got = e.Do("GET", b2bPath, nil); len(got["value"].([]any)) != 0 {
		t.Errorf("reset kept the policy: %v", got)
	}

	// Permissions.
	reader := e.GetToken(emulator.ReaderClientID, emulator.ReaderClientSecret)
	if resp, _ := e.DoWith(reader, "GET", b2bPath, nil, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("reader GET %d", resp.StatusCode)
	}
	resp, got = e.DoWith(reader, "POST", b2bPath, valid(`{"B2BManagementPolicy":{}}`), nil)
	wantErr(t, resp, got, http.StatusForbidden, "UnAuthorized")
}
