package diagnostics

import (
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// TestForbiddenHintNamesThePermissionOfTheFailedArea: a 403 from lifecycle workflows must not send the
// user to grant EntitlementManagement.ReadWrite.All.
func TestForbiddenHintNamesThePermissionOfTheFailedArea(t *testing.T) {
	for url, want := range map[string]string{
		"https://graph.microsoft.com/v1.0/identityGovernance/entitlementManagement/catalogs": "Entitlement management needs EntitlementManagement.ReadWrite.All",
		"https://graph.microsoft.com/v1.0/identityGovernance/lifecycleWorkflows/workflows":   "Lifecycle workflows needs LifecycleWorkflows.ReadWrite.All",
		"https://graph.microsoft.com/v1.0/users/x":                                           "Reading users needs User.Read.All",
		"https://graph.microsoft.com/v1.0/groups/x":                                          "Reading groups needs Group.Read.All",
		"https://graph.microsoft.com/v1.0/sites/root":                                        "the Graph reference lists for GET https://graph.microsoft.com/v1.0/sites/root",
	} {
		detail := Detail(&graph.Error{Method: "GET", URL: url, Status: 403, Code: "Authorization_RequestDenied"})
		if !strings.Contains(detail, want) {
			t.Errorf("403 from %s: detail does not contain %q:\n%s", url, want, detail)
		}
		if !strings.Contains(url, "entitlementManagement") && strings.Contains(detail, "EntitlementManagement") {
			t.Errorf("403 from %s names the entitlement-management permission:\n%s", url, detail)
		}
	}
	licence := Detail(&graph.Error{Method: "GET", URL: "https://graph.microsoft.com/v1.0/identityGovernance/lifecycleWorkflows/workflows", Status: 403, Code: "NoGovernanceSku"})
	if !strings.Contains(licence, "licence") || strings.Contains(licence, "ReadWrite") {
		t.Errorf("NoGovernanceSku is about the licence, not a permission:\n%s", licence)
	}
}
