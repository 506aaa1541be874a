package entitlement_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

const accessPackageAddress = "entragov_access_package.test"

func accessPackageTestCase(t *testing.T, e *acctest.Emulator, steps ...resource.TestStep) resource.TestCase {
	read := func(ctx contextT, id string) error {
		_, err := e.Client(t).GetAccessPackage(ctx, id)
		return err
	}
	return resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("entragov_access_package", read, graph.IsNotFound),
		Steps:                    steps,
	}
}

func TestAccAccessPackage_basic(t *testing.T) {
	e := acctest.NewEmulator(t)
	resource.ParallelTest(t, accessPackageTestCase(t, e, resource.TestStep{
		Config: e.Config(testAccAccessPackageConfig(`display_name = "Sales tools"`)),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(accessPackageAddress, tfjsonpath.New("id"), knownvalue.StringRegexp(guidPattern)),
			statecheck.ExpectKnownValue(accessPackageAddress, tfjsonpath.New("description"), knownvalue.StringExact("")),
			statecheck.ExpectKnownValue(accessPackageAddress, tfjsonpath.New("hidden"), knownvalue.Bool(false)),
			statecheck.ExpectKnownValue(accessPackageAddress, tfjsonpath.New("incompatible_access_package_ids"), knownvalue.SetSizeExact(0)),
			statecheck.ExpectKnownValue(accessPackageAddress, tfjsonpath.New("incompatible_group_ids"), knownvalue.SetSizeExact(0)),
			statecheck.CompareValuePairs(accessPackageAddress, tfjsonpath.New("catalog_id"), "entragov_catalog.test", tfjsonpath.New("id"), compareEqual),
		},
		ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
	}, resource.TestStep{
		ResourceName: accessPackageAddress, ImportState: true, ImportStateVerify: true,
	}))
}

func TestAccAccessPackage_update(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSeededDirectory)
	var first acctest.IDCapture
	resource.ParallelTest(t, accessPackageTestCase(t, e, resource.TestStep{
		Config:            e.Config(testAccAccessPackageConfig(`display_name = "Sales tools"`)),
		ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(accessPackageAddress, &first)},
	}, resource.TestStep{
		Config: e.Config(testAccAccessPackageConfig(fmt.Sprintf(`
  display_name           = "Sales and marketing tools"
  description            = "CRM and campaign tools"
  hidden                 = true
  incompatible_group_ids = [%q, %q]
`, emulator.SeedGroupFinanceID, emulator.SeedGroupFabrikamPartnersID))),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(accessPackageAddress, plancheck.ResourceActionUpdate)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(accessPackageAddress, tfjsonpath.New("display_name"), knownvalue.StringExact(e.Name("Sales and marketing tools"))),
			statecheck.ExpectKnownValue(accessPackageAddress, tfjsonpath.New("hidden"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(accessPackageAddress, tfjsonpath.New("incompatible_group_ids"), knownvalue.SetExact([]knownvalue.Check{
				knownvalue.StringExact(emulator.SeedGroupFinanceID), knownvalue.StringExact(emulator.SeedGroupFabrikamPartnersID),
			})),
			sameID(accessPackageAddress, &first),
		},
	}, resource.TestStep{
		// An explicit empty set removes every link.
		Config: e.Config(testAccAccessPackageConfig(`
  display_name           = "Sales and marketing tools"
  incompatible_group_ids = []
`)),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(accessPackageAddress, plancheck.ResourceActionUpdate)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(accessPackageAddress, tfjsonpath.New("incompatible_group_ids"), knownvalue.SetSizeExact(0)),
			statecheck.ExpectKnownValue(accessPackageAddress, tfjsonpath.New("description"), knownvalue.StringExact("")),
			sameID(accessPackageAddress, &first),
		},
	}))
}

func TestAccAccessPackage_replaceOnCatalogChange(t *testing.T) {
	e := acctest.NewEmulator(t)
	other := `
resource "entragov_catalog" "other" {
  display_name = "Other"
}
`
	resource.ParallelTest(t, accessPackageTestCase(t, e, resource.TestStep{
		Config: e.Config(other, testAccAccessPackageConfig(`display_name = "Movable?"`)),
	}, resource.TestStep{
		Config: e.Config(other, `
resource "entragov_catalog" "test" {
  display_name = "Sales"
}

resource "entragov_access_package" "test" {
  catalog_id   = entragov_catalog.other.id
  display_name = "Movable?"
}
`),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(accessPackageAddress, plancheck.ResourceActionDestroyBeforeCreate)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.CompareValuePairs(accessPackageAddress, tfjsonpath.New("catalog_id"), "entragov_catalog.other", tfjsonpath.New("id"), compareEqual),
		},
	}))
}

func TestAccAccessPackage_drift(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var id acctest.IDCapture
	cfg := e.Config(testAccAccessPackageConfig(`
  display_name           = "Finance reporting"
  incompatible_group_ids = []
`))
	resource.ParallelTest(t, accessPackageTestCase(t, e, resource.TestStep{
		Config:            cfg,
		ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(accessPackageAddress, &id)},
	}, resource.TestStep{
		PreConfig: func() {
			if err := e.Server.ChangeObject("accessPackages", id.Value, map[string]any{"displayName": "Renamed in the portal"}); err != nil {
				t.Fatal(err)
			}
			// Someone also adds a separation-of-duties link by hand.
			if err := e.Server.AddLink(emulator.LinkIncompatibleGroups, id.Value, emulator.SeedGroupSalesID); err != nil {
				t.Fatal(err)
			}
		},
		Config: cfg,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(accessPackageAddress, plancheck.ResourceActionUpdate),
				plancheck.ExpectKnownValue(accessPackageAddress, tfjsonpath.New("display_name"), knownvalue.StringExact(e.Name("Finance reporting"))),
				plancheck.ExpectKnownValue(accessPackageAddress, tfjsonpath.New("incompatible_group_ids"), knownvalue.SetSizeExact(0)),
			},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}))
}

func TestAccAccessPackage_disappears(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var id acctest.IDCapture
	cfg := e.Config(testAccAccessPackageConfig(`display_name = "Temporary"`))
	resource.ParallelTest(t, accessPackageTestCase(t, e, resource.TestStep{
		Config:            cfg,
		ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(accessPackageAddress, &id)},
	}, resource.TestStep{
		PreConfig: func() {
			if err := e.Server.DeleteObject("accessPackages", id.Value); err != nil {
				t.Fatal(err)
			}
		},
		Config: cfg,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(accessPackageAddress, plancheck.ResourceActionCreate)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}))
}

func TestAccAccessPackage_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var steps []resource.TestStep
	for body, want := range map[string]string{
		`display_name = ""`: `Attribute display_name string length must be at least 1`,
		`
  display_name                    = "x"
  incompatible_access_package_ids = ["Sales tools"]
`: `Invalid object id.*is not a GUID`,
		`
  display_name           = "x"
  incompatible_group_ids = ["sales"]
`: `Invalid object id`,
		`
  display_name = "x"
  hidden       = "maybe"
`: `Incorrect attribute value type|Inappropriate value for attribute "hidden"`,
	} {
		steps = append(steps, resource.TestStep{
			Config:      e.Config(testAccAccessPackageConfig(body)),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(want),
		})
	}
	steps = append(steps, resource.TestStep{
		Config: e.Config(`
resource "entragov_access_package" "test" {
  catalog_id   = "General"
  display_name = "x"
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

func testAccAccessPackageConfig(body string) string {
	return fmt.Sprintf(`
resource "entragov_catalog" "test" {
  display_name = "Sales"
}

resource "entragov_access_package" "test" {
  catalog_id = entragov_catalog.test.id
  %s
}
`, body)
}

// sameID fails when the resource's id differs from the captured one: an update must not replace.
func sameID(address string, want *acctest.IDCapture) statecheck.StateCheck {
	var got acctest.IDCapture
	return chainedCheck{acctest.CaptureID(address, &got), func() error {
		if got.Value != want.Value {
			return fmt.Errorf("%s was replaced: id %s became %s", address, want.Value, got.Value)
		}
		return nil
	}}
}

// Terraform 1.12 and later: the access package's identity is its id, and an import block can name it by
// identity.
func TestAccAccessPackage_identity(t *testing.T) {
	e := acctest.NewEmulator(t)
	tc := accessPackageTestCase(t, e, resource.TestStep{
		Config:            e.Config(testAccAccessPackageConfig(`display_name = "Identity"`)),
		ConfigStateChecks: acctest.IdentityChecks(accessPackageAddress, map[string]knownvalue.Check{"id": knownvalue.StringRegexp(guidPattern)}, "id"),
	}, acctest.ImportByIdentityStep(accessPackageAddress))
	tc.TerraformVersionChecks = acctest.IdentityVersionChecks
	resource.ParallelTest(t, tc)
}
