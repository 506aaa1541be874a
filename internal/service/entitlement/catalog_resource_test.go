package entitlement_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

const catalogResourceAddress = "entragov_catalog_resource.test"

const falconSite = "https://contoso.sharepoint.com/sites/falcon"

func catalogResourceTestCase(e *acctest.Emulator, steps ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoCatalogResourcesLeft(e),
		Steps:                    steps,
	}
}

// checkNoCatalogResourcesLeft fails while the emulator still holds any onboarded resource.
func checkNoCatalogResourcesLeft(e *acctest.Emulator) func(*terraform.State) error {
	return func(*terraform.State) error {
		left, err := e.Server.ListObjects("catalogResources")
		if err != nil {
			return err
		}
		if len(left) > 0 {
			return fmt.Errorf("%d catalog resources left after destroy", len(left))
		}
		return nil
	}
}

func importByCatalogAndOrigin(address string) resource.ImportStateIdFunc {
	return func(s *terraform.State) (string, error) {
		rs, ok := s.RootModule().Resources[address]
		if !ok {
			return "", fmt.Errorf("%s not in state", address)
		}
		return rs.Primary.Attributes["catalog_id"] + "/" + rs.Primary.Attributes["origin_id"], nil
	}
}

func roleOriginIDs(ids ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"origin_id": knownvalue.StringExact(id)})
	}
	return knownvalue.SetExact(checks)
}

func TestAccCatalogResource_originSystems(t *testing.T) {
	cases := []struct {
		name, originSystem, originID string
		roles                        []string
		rootScope                    string
	}{
		{"group", "AadGroup", emulator.SeedGroupSalesID,
			[]string{"Member_" + emulator.SeedGroupSalesID, "Owner_" + emulator.SeedGroupSalesID}, emulator.SeedGroupSalesID},
		{"application", "AadApplication", emulator.SeedAppExpensesSPID,
			[]string{emulator.SeedAppExpensesRoleSubmitterID, emulator.SeedAppExpensesRoleApproverID, emulator.SeedAppExpensesRoleAuditorID}, emulator.SeedAppExpensesSPID},
		{"application without roles", "AadApplication", emulator.SeedAppWikiSPID,
			[]string{"00000000-0000-0000-0000-000000000000"}, emulator.SeedAppWikiSPID},
		{"sharepoint site", "SharePointOnline", falconSite, []string{"3", "4", "5"}, falconSite},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
			resource.ParallelTest(t, catalogResourceTestCase(e, resource.TestStep{
				Config: e.Config(testAccCatalogResourceConfig_basic(tc.originSystem, tc.originID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(catalogResourceAddress, tfjsonpath.New("id"), knownvalue.StringRegexp(guidPattern)),
					statecheck.ExpectKnownValue(catalogResourceAddress, tfjsonpath.New("roles"), knownvalue.ListSizeExact(len(tc.roles))),
					// Roles can come back in any order; compare them as a set of origin ids.
					statecheck.ExpectKnownValue(catalogResourceAddress, tfjsonpath.New("roles"), listAsSet(roleOriginIDs(tc.roles...))),
					statecheck.ExpectKnownValue(catalogResourceAddress, tfjsonpath.New("scopes"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"origin_id": knownvalue.StringExact(tc.rootScope), "is_root_scope": knownvalue.Bool(true),
						}),
					})),
					statecheck.ExpectKnownValue(catalogResourceAddress, tfjsonpath.New("display_name"), knownvalue.NotNull()),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			}, resource.TestStep{
				ResourceName:      catalogResourceAddress,
				ImportState:       true,
				ImportStateIdFunc: importByCatalogAndOrigin(catalogResourceAddress),
				ImportStateVerify: true,
			}))
		})
	}
}

func TestAccCatalogResource_replace(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, catalogResourceTestCase(e, resource.TestStep{
		Config: e.Config(testAccCatalogResourceConfig_basic("AadGroup", emulator.SeedGroupSalesID)),
	}, resource.TestStep{
		Config: e.Config(testAccCatalogResourceConfig_basic("AadGroup", emulator.SeedGroupMarketingID)),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(catalogResourceAddress, plancheck.ResourceActionDestroyBeforeCreate)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(catalogResourceAddress, tfjsonpath.New("origin_id"), knownvalue.StringExact(emulator.SeedGroupMarketingID)),
		},
	}))
}

func TestAccCatalogResource_disappears(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var id acctest.IDCapture
	cfg := e.Config(testAccCatalogResourceConfig_basic("SharePointOnline", falconSite))
	resource.ParallelTest(t, catalogResourceTestCase(e, resource.TestStep{
		Config:            cfg,
		ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(catalogResourceAddress, &id)},
	}, resource.TestStep{
		PreConfig: func() {
			if err := e.Server.DeleteObject("catalogResources", id.Value); err != nil {
				t.Fatalf("out-of-band delete: %v", err)
			}
		},
		Config: cfg,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(catalogResourceAddress, plancheck.ResourceActionCreate)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}))
}

func TestAccCatalogResource_alreadyOnboarded(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, catalogResourceTestCase(e, resource.TestStep{
		Config: e.Config(testAccCatalogResourceConfig_basic("AadGroup", emulator.SeedGroupSalesID), `
resource "entragov_catalog_resource" "again" {
  catalog_id    = entragov_catalog_resource.test.catalog_id
  origin_system = "AadGroup"
  origin_id     = entragov_catalog_resource.test.origin_id
}
`),
		ExpectError: acctest.ExpectError(`Resource already in the catalog.*terraform import <address>`),
	}))
}

func TestAccCatalogResource_applicationObjectIDRefusedByGraph(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, catalogResourceTestCase(e, resource.TestStep{
		// The application object id is a GUID, so only Graph can tell it from a service principal id.
		Config:      e.Config(testAccCatalogResourceConfig_basic("AadApplication", emulator.SeedAppExpensesID)),
		ExpectError: acctest.ExpectError(`Unable to add resource.*HTTP 400.*service principal`),
	}))
}

func TestAccCatalogResource_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	steps := []resource.TestStep{}
	for _, tc := range []struct {
		originSystem, originID, want string
	}{
		{"AzureGroup", emulator.SeedGroupSalesID, `Attribute origin_system value must be one of`},
		{"AadGroup", "Sales", `Invalid origin id.*must be the group's object id`},
		{"AadApplication", "Contoso Expenses", `Invalid origin id.*must be the service principal's object id`},
		{"SharePointOnline", "https://contoso.example.com/sites/x", `Invalid SharePoint site URL.*SharePoint Online host`},
		{"SharePointOnline", "http://contoso.sharepoint.com/sites/x", `Invalid SharePoint site URL.*https URL`},
	} {
		steps = append(steps, resource.TestStep{
			Config:      e.Config(testAccCatalogResourceConfig_basic(tc.originSystem, tc.originID)),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(tc.want),
		})
	}
	steps = append(steps, resource.TestStep{
		Config: e.Config(`
resource "entragov_catalog_resource" "test" {
  catalog_id    = "not-a-guid"
  origin_system = "AadGroup"
  origin_id     = "` + emulator.SeedGroupSalesID + `"
}
`),
		PlanOnly:    true,
		ExpectError: acctest.ExpectError(`Invalid object id.*catalog_id`),
	})
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}

func TestAccCatalogResource_waitsForReplication(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	e.Server.SetFaults(emulator.Faults{ReadAfterCreateDelay: 2 * secondDuration})
	resource.ParallelTest(t, catalogResourceTestCase(e, resource.TestStep{
		Config: e.Config(testAccCatalogResourceConfig_basic("AadGroup", emulator.SeedGroupSalesID)),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(catalogResourceAddress, tfjsonpath.New("roles"), knownvalue.ListSizeExact(2)),
		},
	}))
}

func testAccCatalogResourceConfig_basic(originSystem, originID string) string {
	return fmt.Sprintf(`
resource "entragov_catalog" "test" {
  display_name = "Resources"
}

resource "entragov_catalog_resource" "test" {
  catalog_id    = entragov_catalog.test.id
  origin_system = %q
  origin_id     = %q
}
`, originSystem, originID)
}

// Terraform 1.12 and later: a catalog resource's identity is its catalog and origin id (the key of the
// import id), and an import block can name it by identity.
func TestAccCatalogResource_identity(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	tc := catalogResourceTestCase(e, resource.TestStep{
		Config: e.Config(testAccCatalogResourceConfig_basic("SharePointOnline", falconSite)),
		ConfigStateChecks: acctest.IdentityChecks(catalogResourceAddress, map[string]knownvalue.Check{
			"catalog_id": knownvalue.StringRegexp(guidPattern),
			"origin_id":  knownvalue.StringExact(falconSite),
		}, "catalog_id", "origin_id"),
	}, acctest.ImportByIdentityStep(catalogResourceAddress))
	tc.TerraformVersionChecks = acctest.IdentityVersionChecks
	resource.ParallelTest(t, tc)
}
