package entitlement_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

func roleScopeTestCase(e *acctest.Emulator, steps ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			left, err := e.Server.ListObjects("resourceRoleScopes")
			if err != nil {
				return err
			}
			if len(left) > 0 {
				return fmt.Errorf("%d role scopes left after destroy", len(left))
			}
			return nil
		},
		Steps: steps,
	}
}

func importByPackageAndID(address string) resource.ImportStateIdFunc {
	return func(s *terraform.State) (string, error) {
		rs, ok := s.RootModule().Resources[address]
		if !ok {
			return "", fmt.Errorf("%s not in state", address)
		}
		return rs.Primary.Attributes["access_package_id"] + "/" + rs.Primary.ID, nil
	}
}

// One package grants a group membership, an application role and a SharePoint site role: every origin
// system goes through the same resource.
func TestAccAccessPackageResourceRoleScope_everyOriginSystem(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	scopes := map[string]struct{ resource, role, roleName string }{
		"entragov_access_package_resource_role_scope.group": {"entragov_catalog_resource.group", "Member_" + emulator.SeedGroupSalesID, "Member"},
		"entragov_access_package_resource_role_scope.app":   {"entragov_catalog_resource.app", emulator.SeedAppExpensesRoleApproverID, "Approver"},
		"entragov_access_package_resource_role_scope.site":  {"entragov_catalog_resource.site", "5", ""},
	}
	var checks []statecheck.StateCheck
	var importSteps []resource.TestStep
	for address, want := range scopes {
		checks = append(checks,
			statecheck.ExpectKnownValue(address, tfjsonpath.New("role_origin_id"), knownvalue.StringExact(want.role)),
			statecheck.ExpectKnownValue(address, tfjsonpath.New("id"), knownvalue.StringRegexp(roleScopeIDPattern)),
			statecheck.CompareValuePairs(address, tfjsonpath.New("catalog_resource_id"), want.resource, tfjsonpath.New("id"), compareEqual),
			// The root scope is the default and its origin id is the resource's own.
			statecheck.CompareValuePairs(address, tfjsonpath.New("scope_origin_id"), want.resource, tfjsonpath.New("origin_id"), compareEqual),
		)
		if want.roleName != "" {
			checks = append(checks, statecheck.ExpectKnownValue(address, tfjsonpath.New("role_display_name"), knownvalue.StringExact(want.roleName)))
		}
		importSteps = append(importSteps, resource.TestStep{
			ResourceName: address, ImportState: true, ImportStateVerify: true, ImportStateIdFunc: importByPackageAndID(address),
		})
	}
	steps := append([]resource.TestStep{{
		Config:            e.Config(testAccRoleScopeConfig_all()),
		ConfigStateChecks: checks,
		ConfigPlanChecks:  resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
	}}, importSteps...)
	resource.ParallelTest(t, roleScopeTestCase(e, steps...))
}

func TestAccAccessPackageResourceRoleScope_replaceOnRoleChange(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	address := "entragov_access_package_resource_role_scope.test"
	resource.ParallelTest(t, roleScopeTestCase(e, resource.TestStep{
		Config: e.Config(testAccRoleScopeConfig_group(`"Member_${entragov_catalog_resource.test.origin_id}"`)),
	}, resource.TestStep{
		Config: e.Config(testAccRoleScopeConfig_group(`"Owner_${entragov_catalog_resource.test.origin_id}"`)),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionDestroyBeforeCreate)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(address, tfjsonpath.New("role_origin_id"), knownvalue.StringExact("Owner_"+emulator.SeedGroupSalesID)),
		},
	}))
}

func TestAccAccessPackageResourceRoleScope_disappears(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	address := "entragov_access_package_resource_role_scope.test"
	var id acctest.IDCapture
	cfg := e.Config(testAccRoleScopeConfig_group(`"Member_${entragov_catalog_resource.test.origin_id}"`))
	resource.ParallelTest(t, roleScopeTestCase(e, resource.TestStep{
		Config:            cfg,
		ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(address, &id)},
	}, resource.TestStep{
		PreConfig: func() {
			if err := e.Server.DeleteObject("resourceRoleScopes", id.Value); err != nil {
				t.Fatal(err)
			}
		},
		Config: cfg,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionCreate)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}))
}

func TestAccAccessPackageResourceRoleScope_unknownRoleListsTheRoles(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, roleScopeTestCase(e, resource.TestStep{
		Config:      e.Config(testAccRoleScopeConfig_group(`"Contributor"`)),
		ExpectError: acctest.ExpectError(`Role not found.*has no role "Contributor". Its roles are: .*"Member_` + emulator.SeedGroupSalesID + `"`),
	}))
}

// A role scope created right after its catalog resource succeeds although the service hides new
// objects for a while (eventual consistency, spec 3.5).
func TestAccAccessPackageResourceRoleScope_afterFreshResourceUnderReplicationDelay(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	e.Server.SetFaults(emulator.Faults{ReadAfterCreateDelay: 2 * time.Second})
	resource.ParallelTest(t, roleScopeTestCase(e, resource.TestStep{
		Config: e.Config(testAccRoleScopeConfig_group(`"Member_${entragov_catalog_resource.test.origin_id}"`)),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("entragov_access_package_resource_role_scope.test", tfjsonpath.New("role_display_name"), knownvalue.StringExact("Member")),
		},
	}))
}

func TestAccAccessPackageResourceRoleScope_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(`
resource "entragov_access_package_resource_role_scope" "test" {
  access_package_id   = "not-a-guid"
  catalog_resource_id = "5eed0002-0000-4000-8000-000000000001"
  role_origin_id      = "Member"
}
`),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(`Invalid object id.*access_package_id`),
		}, {
			Config: e.Config(`
resource "entragov_access_package_resource_role_scope" "test" {
  access_package_id   = "5eed0002-0000-4000-8000-000000000001"
  catalog_resource_id = "5eed0002-0000-4000-8000-000000000001"
  role_origin_id      = ""
}
`),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(`Attribute role_origin_id string length must be at least 1`),
		}},
	})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}

func testAccRoleScopeConfig_group(role string) string {
	return fmt.Sprintf(`
resource "entragov_catalog" "test" {
  display_name = "Sales"
}

resource "entragov_catalog_resource" "test" {
  catalog_id    = entragov_catalog.test.id
  origin_system = "AadGroup"
  origin_id     = %q
}

resource "entragov_access_package" "test" {
  catalog_id   = entragov_catalog.test.id
  display_name = "Sales team"
}

resource "entragov_access_package_resource_role_scope" "test" {
  access_package_id   = entragov_access_package.test.id
  catalog_resource_id = entragov_catalog_resource.test.id
  role_origin_id      = %s
}
`, emulator.SeedGroupSalesID, role)
}

func testAccRoleScopeConfig_all() string {
	return fmt.Sprintf(`
resource "entragov_catalog" "test" {
  display_name = "Falcon"
}

resource "entragov_catalog_resource" "group" {
  catalog_id    = entragov_catalog.test.id
  origin_system = "AadGroup"
  origin_id     = %q
}

resource "entragov_catalog_resource" "app" {
  catalog_id    = entragov_catalog.test.id
  origin_system = "AadApplication"
  origin_id     = %q
}

resource "entragov_catalog_resource" "site" {
  catalog_id    = entragov_catalog.test.id
  origin_system = "SharePointOnline"
  origin_id     = %q
}

resource "entragov_access_package" "test" {
  catalog_id   = entragov_catalog.test.id
  display_name = "Falcon team"
}

resource "entragov_access_package_resource_role_scope" "group" {
  access_package_id   = entragov_access_package.test.id
  catalog_resource_id = entragov_catalog_resource.group.id
  role_origin_id      = "Member_${entragov_catalog_resource.group.origin_id}"
}

resource "entragov_access_package_resource_role_scope" "app" {
  access_package_id   = entragov_access_package.test.id
  catalog_resource_id = entragov_catalog_resource.app.id
  role_origin_id      = %q
}

resource "entragov_access_package_resource_role_scope" "site" {
  access_package_id   = entragov_access_package.test.id
  catalog_resource_id = entragov_catalog_resource.site.id
  role_origin_id      = "5"
}
`, emulator.SeedGroupSalesID, emulator.SeedAppExpensesSPID, falconSite, emulator.SeedAppExpensesRoleApproverID)
}

// Terraform 1.12 and later: a role scope's identity is its access package and its id, and an import block
// can name it by identity.
func TestAccAccessPackageResourceRoleScope_identity(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	address := "entragov_access_package_resource_role_scope.test"
	tc := roleScopeTestCase(e, resource.TestStep{
		Config: e.Config(testAccRoleScopeConfig_group(`"Member_${entragov_catalog_resource.test.origin_id}"`)),
		ConfigStateChecks: acctest.IdentityChecks(address, map[string]knownvalue.Check{
			"access_package_id": knownvalue.StringRegexp(guidPattern),
			"id":                knownvalue.StringRegexp(roleScopeIDPattern),
		}, "access_package_id", "id"),
	}, acctest.ImportByIdentityStep(address))
	tc.TerraformVersionChecks = acctest.IdentityVersionChecks
	resource.ParallelTest(t, tc)
}
