package emulator

import (
	"net/http"
	"testing"
)

// The request counters count what clients sent: a beta request counts once, as its beta
// route, however many v1.0 calls the beta view makes for it (internal/emulator/beta), and a
// batch counts once as the batch plus once for each item, as the route the item names.
func TestRequestCountsCountWhatTheClientSent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	const (
		betaEM = "/beta/identityGovernance/entitlementManagement"
		v1EM   = "/v1.0/identityGovernance/entitlementManagement"
	)
	_, cat := e.do("POST", v1EM+"/catalogs", map[string]any{"displayName": "C", "description": "d"})
	_, pkg := e.do("POST", v1EM+"/accessPackages", map[string]any{"displayName": "P", "description": "d", "catalog": map[string]any{"id": cat["id"]}})
	policy := map[string]any{"accessPackageId": pkg["id"], "displayName": "x", "description": "y",
		"requestorSettings": map[string]any{"scopeType": "AllExistingDirectoryMemberUsers", "acceptRequests": true}}

	e.srv.ResetRequestCount()
	// A beta PUT is a v1.0 GET, PUT and GET; a beta POST a v1.0 POST; a beta GET a v1.0 GET.
	resp, created := e.do("POST", betaEM+"/accessPackageAssignmentPolicies", policy)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("beta create: %d %v", resp.StatusCode, created)
	}
	id := created["id"].(string)
	if resp, body := e.do("PUT", betaEM+"/accessPackageAssignmentPolicies/"+id, policy); resp.StatusCode != http.StatusOK {
		t.Fatalf("beta replace: %d %v", resp.StatusCode, body)
	}
	// A beta batch item is counted as the beta route it names, and the batch once.
	resp, body := e.do("POST", "/beta/$batch", map[string]any{"requests": []any{
		map[string]any{"id": "1", "method": "GET", "url": "/identityGovernance/entitlementManagement/accessPackageAssignmentPolicies/" + id},
		map[string]any{"id": "2", "method": "GET", "url": "/identityGovernance/entitlementManagement/catalogs/" + cat["id"].(string)},
	}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("beta batch: %d %v", resp.StatusCode, body)
	}
	resp, body = e.do("POST", "/v1.0/$batch", map[string]any{"requests": []any{
		map[string]any{"id": "1", "method": "GET", "url": "/identityGovernance/entitlementManagement/catalogs/" + cat["id"].(string)},
	}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("v1.0 batch: %d %v", resp.StatusCode, body)
	}

	got := e.srv.RequestCount()
	want := map[string]int{
		"POST " + betaEM + "/accessPackageAssignmentPolicies":     1,
		"PUT " + betaEM + "/accessPackageAssignmentPolicies/{id}": 1,
		"GET " + betaEM + "/accessPackageAssignmentPolicies/{id}": 1,
		"POST /beta/$batch":              1,
		"GET (unmatched)":                1, // a v1.0 path under /beta: the client sent it
		"POST /v1.0/$batch":              1,
		"GET " + v1EM + "/catalogs/{id}": 1,
	}
	total := 0
	for k, n := range want {
		total += n
		if got.ByRoute[k] != n {
			t.Errorf("%s counted %d times, want %d", k, got.ByRoute[k], n)
		}
	}
	for k, n := range got.ByRoute {
		if _, ok := want[k]; !ok {
			t.Errorf("%s counted %d times, want none (the client never sent it)", k, n)
		}
	}
	if got.Total != total {
		t.Errorf("total %d, want %d: %v", got.Total, total, got.ByRoute)
	}
}
