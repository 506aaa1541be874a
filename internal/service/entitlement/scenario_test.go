package entitlement_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// A catalog with a group, an application and a SharePoint site, two packages granting roles of them,
// and a mutual incompatibility between the packages: it applies, re-plans empty and destroys without
// leaving anything behind in the API.
func TestAccScenario_projectFalcon(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkEmulatorHoldsOnlySeed(e),
		Steps: []resource.TestStep{{
			Config: e.Config(testAccScenarioConfig),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	})
}

// checkEmulatorHoldsOnlySeed fails while the API holds any governance object beyond the seeded General
// catalog.
func checkEmulatorHoldsOnlySeed(e *acctest.Emulator) func(*terraform.State) error {
	return func(*terraform.State) error {
		for collection, allowed := range map[string]int{
			"catalogs": 1, "catalogResources": 0, "catalogResourceRoles": 0, "catalogResourceScopes": 0,
			"accessPackages": 0, "resourceRoleScopes": 0,
		} {
			left, err := e.Server.ListObjects(collection)
			if err != nil {
				return err
			}
			if len(left) != allowed {
				return fmt.Errorf("%s: %d objects left after destroy, want %d", collection, len(left), allowed)
			}
		}
		return nil
	}
}

var testAccScenarioConfig = fmt.Sprintf(`
data "entragov_group" "falcon" {
  display_name = "Project Falcon"
}

resource "entragov_catalog" "falcon" {
  display_name       = "Project Falcon"
  description        = "Everything the Falcon project team and its partners use"
  externally_visible = true
}

resource "entragov_catalog_resource" "team" {
  catalog_id    = entragov_catalog.falcon.id
  origin_system = "AadGroup"
  origin_id     = data.entragov_group.falcon.id
}

resource "entragov_catalog_resource" "expenses" {
  catalog_id    = entragov_catalog.falcon.id
  origin_system = "AadApplication"
  origin_id     = %[1]q
}

resource "entragov_catalog_resource" "site" {
  catalog_id    = entragov_catalog.falcon.id
  origin_system = "SharePointOnline"
  origin_id     = "https://contoso.sharepoint.com/sites/falcon"
}

resource "entragov_access_package" "member" {
  catalog_id   = entragov_catalog.falcon.id
  display_name = "Falcon member"
  description  = "Team membership, the project site and expense submission"
}

resource "entragov_access_package" "approver" {
  catalog_id   = entragov_catalog.falcon.id
  display_name = "Falcon expense approver"
  description  = "Approves the project's expenses"
}

resource "entragov_access_package_resource_role_scope" "member_team" {
  access_package_id   = entragov_access_package.member.id
  catalog_resource_id = entragov_catalog_resource.team.id
  role_origin_id      = "Member_${data.entragov_group.falcon.id}"
}

resource "entragov_access_package_resource_role_scope" "member_site" {
  access_package_id   = entragov_access_package.member.id
  catalog_resource_id = entragov_catalog_resource.site.id
  role_origin_id      = "5"
}

resource "entragov_access_package_resource_role_scope" "member_submit" {
  access_package_id   = entragov_access_package.member.id
  catalog_resource_id = entragov_catalog_resource.expenses.id
  role_origin_id      = %[2]q
}

resource "entragov_access_package_resource_role_scope" "approver_approve" {
  access_package_id   = entragov_access_package.approver.id
  catalog_resource_id = entragov_catalog_resource.expenses.id
  role_origin_id      = %[3]q
}

# Whoever submits expenses must not approve them, and the other way round.
resource "entragov_access_package_incompatibility" "member_approver" {
  access_package_id              = entragov_access_package.member.id
  incompatible_access_package_id = entragov_access_package.approver.id
}

resource "entragov_access_package_incompatibility" "approver_member" {
  access_package_id              = entragov_access_package.approver.id
  incompatible_access_package_id = entragov_access_package.member.id
}
`, emulator.SeedAppExpensesSPID, emulator.SeedAppExpensesRoleSubmitterID, emulator.SeedAppExpensesRoleApproverID)
