package bench

import (
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// The local API counts a beta request once, as its beta route (internal/emulator/betaview.go):
// it is a Graph request here, not a token one.
func TestRequestsSplitsGraphFromToken(t *testing.T) {
	r := requests(emulator.RequestStats{Total: 7, ByRoute: map[string]int{
		"GET /v1.0/identityGovernance/entitlementManagement/catalogs/{id}": 2,
		"POST /v1.0/$batch": 1,
		"PUT /beta/identityGovernance/entitlementManagement/accessPackageAssignmentPolicies/{id}": 1,
		"GET /beta/identityGovernance/entitlementManagement/accessPackageAssignmentPolicies/{id}": 1,
		"POST /{tenant}/oauth2/v2.0/token": 1,
		"GET (unmatched)":                  1,
	}})
	if r.Graph != 6 || r.Reads != 4 || r.Writes != 2 || r.Token != 1 {
		t.Errorf("graph %d (reads %d, writes %d), token %d; want 6 (4, 2), 1", r.Graph, r.Reads, r.Writes, r.Token)
	}
}
