package entitlement_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

const catalogAddress = "entragov_catalog.test"

func catalogReader(e *acctest.Emulator, t *testing.T) func(ctx context.Context, id string) error {
	return func(ctx context.Context, id string) error {
		_, err := e.Client(t).GetCatalog(ctx, id)
		return err
	}
}

func catalogTestCase(t *testing.T, e *acctest.Emulator, steps ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("entragov_catalog", catalogReader(e, t), graph.IsNotFound),
		Steps:                    steps,
	}
}

func TestAccCatalog_basic(t *testing.T) {
	e := acctest.NewEmulator(t)
	resource.ParallelTest(t, catalogTestCase(t, e, resource.TestStep{
		Config: e.Config(testAccCatalogConfig_basic("Partner onboarding")),
		ConfigStateChecks: []statecheck.StateCheck{
			acctest.ExistsInAPI(catalogAddress, catalogReader(e, t)),
			statecheck.ExpectKnownValue(catalogAddress, tfjsonpath.New("display_name"), knownvalue.StringExact(e.Name("Partner onboarding"))),
			statecheck.ExpectKnownValue(catalogAddress, tfjsonpath.New("description"), knownvalue.StringExact("")),
			// Values the service chooses when they are left out.
			statecheck.ExpectKnownValue(catalogAddress, tfjsonpath.New("state"), knownvalue.StringExact("published")),
			statecheck.ExpectKnownValue(catalogAddress, tfjsonpath.New("externally_visible"), knownvalue.NotNull()),
			statecheck.ExpectKnownValue(catalogAddress, tfjsonpath.New("catalog_type"), knownvalue.StringExact("userManaged")),
			statecheck.ExpectKnownValue(catalogAddress, tfjsonpath.New("id"), knownvalue.StringRegexp(guidPattern)),
			statecheck.ExpectKnownValue(catalogAddress, tfjsonpath.New("created_date_time"), knownvalue.StringRegexp(timestampPattern)),
		},
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}, resource.TestStep{
		ResourceName:      catalogAddress,
		ImportState:       true,
		ImportStateVerify: true,
	}))
}

func TestAccCatalog_update(t *testing.T) {
	e := acctest.NewEmulator(t)
	var first, second acctest.IDCapture
	resource.ParallelTest(t, catalogTestCase(t, e, resource.TestStep{
		Config: e.Config(testAccCatalogConfig_full("Contractors", "Contractor access", "unpublished", false)),
		ConfigStateChecks: []statecheck.StateCheck{
			acctest.CaptureID(catalogAddress, &first),
			statecheck.ExpectKnownValue(catalogAddress, tfjsonpath.New("state"), knownvalue.StringExact("unpublished")),
			statecheck.ExpectKnownValue(catalogAddress, tfjsonpath.New("externally_visible"), knownvalue.Bool(false)),
		},
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}, resource.TestStep{
		Config: e.Config(testAccCatalogConfig_full("Contractors and vendors", "Access for contractors and vendors", "published", true)),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(catalogAddress, plancheck.ResourceActionUpdate)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			acctest.CaptureID(catalogAddress, &second),
			statecheck.ExpectKnownValue(catalogAddress, tfjsonpath.New("display_name"), knownvalue.StringExact(e.Name("Contractors and vendors"))),
			statecheck.ExpectKnownValue(catalogAddress, tfjsonpath.New("description"), knownvalue.StringExact("Access for contractors and vendors")),
			statecheck.ExpectKnownValue(catalogAddress, tfjsonpath.New("state"), knownvalue.StringExact("published")),
			statecheck.ExpectKnownValue(catalogAddress, tfjsonpath.New("externally_visible"), knownvalue.Bool(true)),
		},
	}, resource.TestStep{
		// Removing the description from the configuration really clears it.
		Config: e.Config(testAccCatalogConfig_basic("Contractors and vendors")),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(catalogAddress, plancheck.ResourceActionUpdate)},
		},
		Check: func(*terraformState) error {
			if first.Value != second.Value {
				return fmt.Errorf("the update replaced the catalog: id %s became %s", first.Value, second.Value)
			}
			c, err := e.Client(t).GetCatalog(context.Background(), first.Value)
			if err != nil {
				return err
			}
			if c.Description != "" {
				return fmt.Errorf("description is %q in the API, want it cleared", c.Description)
			}
			return nil
		},
	}))
}

func TestAccCatalog_drift(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var id acctest.IDCapture
	cfg := e.Config(testAccCatalogConfig_full("Finance", "Finance resources", "published", false))
	resource.ParallelTest(t, catalogTestCase(t, e, resource.TestStep{
		Config:            cfg,
		ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(catalogAddress, &id)},
	}, resource.TestStep{
		PreConfig: func() {
			if err := e.Server.ChangeObject("catalogs", id.Value, map[string]any{"displayName": "Renamed in the portal", "state": "unpublished"}); err != nil {
				t.Fatalf("out-of-band change: %v", err)
			}
		},
		Config: cfg,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(catalogAddress, plancheck.ResourceActionUpdate),
				plancheck.ExpectKnownValue(catalogAddress, tfjsonpath.New("display_name"), knownvalue.StringExact(e.Name("Finance"))),
			},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(catalogAddress, tfjsonpath.New("display_name"), knownvalue.StringExact(e.Name("Finance"))),
			statecheck.ExpectKnownValue(catalogAddress, tfjsonpath.New("state"), knownvalue.StringExact("published")),
		},
	}))
}

func TestAccCatalog_disappears(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var id acctest.IDCapture
	cfg := e.Config(testAccCatalogConfig_basic("Short-lived"))
	resource.ParallelTest(t, catalogTestCase(t, e, resource.TestStep{
		Config:            cfg,
		ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(catalogAddress, &id)},
	}, resource.TestStep{
		PreConfig: func() {
			if err := e.Server.DeleteObject("catalogs", id.Value); err != nil {
				t.Fatalf("out-of-band delete: %v", err)
			}
		},
		Config: cfg,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(catalogAddress, plancheck.ResourceActionCreate)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{acctest.ExistsInAPI(catalogAddress, catalogReader(e, t))},
	}))
}

func TestAccCatalog_invalidState(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      e.Config(testAccCatalogConfig_full("Bad", "", "archived", false)),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Attribute state value must be one of.*published.*unpublished`),
		}, {
			Config:      e.Config(testAccCatalogConfig_basic("")),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`Attribute display_name string length must be at least 1`),
		}},
	})
	// Validation happens before any call: the emulator must not have seen a single Graph request.
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}

func testAccCatalogConfig_basic(name string) string {
	return fmt.Sprintf(`
resource "entragov_catalog" "test" {
  display_name = %q
}
`, name)
}

func testAccCatalogConfig_full(name, description, state string, externallyVisible bool) string {
	return fmt.Sprintf(`
resource "entragov_catalog" "test" {
  display_name       = %q
  description        = %q
  state              = %q
  externally_visible = %t
}
`, name, description, state, externallyVisible)
}

// Terraform 1.12 and later: the catalog's identity is its id, and an import block can name it by identity.
func TestAccCatalog_identity(t *testing.T) {
	e := acctest.NewEmulator(t)
	tc := catalogTestCase(t, e, resource.TestStep{
		Config:            e.Config(testAccCatalogConfig_basic("Identity")),
		ConfigStateChecks: acctest.IdentityChecks(catalogAddress, map[string]knownvalue.Check{"id": knownvalue.StringRegexp(guidPattern)}, "id"),
	}, acctest.ImportByIdentityStep(catalogAddress))
	tc.TerraformVersionChecks = acctest.IdentityVersionChecks
	resource.ParallelTest(t, tc)
}
