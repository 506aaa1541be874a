package graph_test

import (
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

func TestPermissionForNamesTheAreaOfTheRequest(t *testing.T) {
	for url, want := range map[string]string{
		"https://graph.microsoft.com/v1.0/identityGovernance/entitlementManagement/catalogs/abc":                              "EntitlementManagement.ReadWrite.All",
		"https://graph.microsoft.com/v1.0/identityGovernance/entitlementManagement/connectedOrganizations/x/internalSponsors": "EntitlementManagement.ReadWrite.All",
		"https://127.0.0.1:8443/v1.0/identityGovernance/entitlementManagement/accessPackages/x/incompatibleGroups/$ref":       "EntitlementManagement.ReadWrite.All",
		"/identityGovernance/entitlementManagement/catalogs/x/resources":                                                      "EntitlementManagement.ReadWrite.All",
		"https://graph.microsoft.com/v1.0/identityGovernance/lifecycleWorkflows/workflows/x":                                  "LifecycleWorkflows.ReadWrite.All",
		"https://graph.microsoft.com/v1.0/policies/crossTenantAccessPolicy/partners/x":                                        "Policy.ReadWrite.CrossTenantAccess",
		"https://graph.microsoft.com/v1.0/identityGovernance/lifecycleWorkflows/deletedItems/workflows/x/restore":             "LifecycleWorkflows.ReadWrite.All",
		"https://graph.microsoft.com/v1.0/users/someone@contoso.com?$select=id":                                               "User.Read.All",
		"https://graph.microsoft.com/v1.0/users?$filter=mail eq 'a@b.c'":                                                      "User.Read.All",
		"https://graph.microsoft.com/v1.0/groups/x/members":                                                                   "Group.Read.All",
		"https://graph.microsoft.com/v1.0/directoryObjects/x":                                                                 "Directory.Read.All",
		"https://graph.microsoft.com/beta/identityGovernance/entitlementManagement/accessPackages":                            "EntitlementManagement.ReadWrite.All",
		"https://graph.microsoft.com/v1.0/invitations":                                                                        "User.Invite.All",
		"https://graph.microsoft.com/v1.0/sites/root":                                                                         "",
		"https://graph.microsoft.com/v1.0/applications/users":                                                                 "",
	} {
		got, ok := graph.PermissionFor(url)
		if got.Name != want || ok != (want != "") {
			t.Errorf("PermissionFor(%q) = %q, %v; want %q", url, got.Name, ok, want)
		}
	}
}
