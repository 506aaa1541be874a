package entitlement_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/acctest/azuread"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// The move tests create objects with the azuread stand-in (internal/acctest/azuread, a test
// double of the published azuread schema that calls the local API's beta paths), then move
// them to entragov resources with moved blocks. They use the guide's own example files.

const (
	moveSalesGroupID     = "5eed0002-0000-4000-8000-000000000001"
	moveApproversGroupID = "5eed0002-0000-4000-8000-000000000003"
	moveGuideDir         = "../../../examples/guides/migrate-from-azuread"
)

func moveFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	f := map[string]func() (tfprotov6.ProviderServer, error){"azuread": azuread.ProviderFactory}
	for k, v := range acctest.ProtoV6ProviderFactories {
		f[k] = v
	}
	return f
}

// moveConfig is both provider blocks plus the given configuration.
func moveConfig(e *acctest.Emulator, parts ...string) string {
	host := strings.TrimPrefix(e.URL, "https://")
	return e.Config(append([]string{azuread.ProviderConfig(host, emulator.DefaultTenantID, emulator.DefaultClientID, emulator.DefaultClientSecret)}, parts...)...)
}

func guideFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(moveGuideDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func moveTestCase(t *testing.T, steps ...resource.TestStep) resource.TestCase {
	if acctest.FaultsEnabled() {
		// The stand-in retries throttling and waits for new objects, but, unlike entragov, does not
		// resolve a create whose answer was lost; the moves themselves are read-only.
		t.Skip("the azuread stand-in does not resolve ambiguous creates; move tests run without injected faults")
	}
	return resource.TestCase{
		ProtoV6ProviderFactories: moveFactories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		Steps:                    steps,
	}
}

var moveVariables = config.Variables{
	"sales_group_id":     config.StringVariable(moveSalesGroupID),
	"approvers_group_id": config.StringVariable(moveApproversGroupID),
}

// TestAccMoveFromAzuread_guide applies the guide's azuread configuration, then its entragov
// configuration with the moved blocks: all five objects move, the first plan is empty, and the
// objects keep their ids.
func TestAccMoveFromAzuread_guide(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsLocalAPI)
	vars := guideFile(t, "variables.tf")
	var catalogID, packageID, policyID acctest.IDCapture
	resource.ParallelTest(t, moveTestCase(t, resource.TestStep{
		Config:          moveConfig(e, vars, guideFile(t, "azuread.tf")),
		ConfigVariables: moveVariables,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("azuread_access_package_resource_catalog_association.sales_group", tfjsonpath.New("id"), knownvalue.StringRegexp(catalogAssociationIDPattern)),
			statecheck.ExpectKnownValue("azuread_access_package_resource_package_association.sales_group_member", tfjsonpath.New("id"),
				knownvalue.StringRegexp(packageAssociationIDPattern)),
			acctest.CaptureID("azuread_access_package_catalog.sales", &catalogID),
			acctest.CaptureID("azuread_access_package.sales", &packageID),
			acctest.CaptureID("azuread_access_package_assignment_policy.sales", &policyID),
		},
	}, resource.TestStep{
		Config:          moveConfig(e, vars, guideFile(t, "entragov.tf")),
		ConfigVariables: moveVariables,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			sameID("entragov_catalog.sales", &catalogID),
			sameID("entragov_access_package.sales", &packageID),
			sameID("entragov_assignment_policy.sales", &policyID),
			statecheck.ExpectKnownValue("entragov_catalog.sales", tfjsonpath.New("catalog_type"), knownvalue.StringExact("userManaged")),
			statecheck.ExpectKnownValue("entragov_catalog_resource.sales_group", tfjsonpath.New("id"), knownvalue.StringRegexp(guidPattern)),
			statecheck.ExpectKnownValue("entragov_catalog_resource.sales_group", tfjsonpath.New("display_name"), knownvalue.StringExact("Sales")),
			statecheck.ExpectKnownValue("entragov_access_package_resource_role_scope.sales_group_member", tfjsonpath.New("id"), knownvalue.StringRegexp(roleScopeIDPattern)),
			statecheck.ExpectKnownValue("entragov_access_package_resource_role_scope.sales_group_member", tfjsonpath.New("role_display_name"), knownvalue.StringExact("Member")),
			statecheck.ExpectKnownValue("entragov_access_package_resource_role_scope.sales_group_member", tfjsonpath.New("origin_system"), knownvalue.StringExact("AadGroup")),
			statecheck.ExpectKnownValue("entragov_assignment_policy.sales", tfjsonpath.New("expiration").AtMapKey("duration"), knownvalue.StringExact("P90D")),
			statecheck.ExpectKnownValue("entragov_assignment_policy.sales", tfjsonpath.New("questions").AtSliceIndex(0).AtMapKey("id"), knownvalue.NotNull()),
		},
	}))
}

// TestAccMoveFromAzuread_updateInPlace moves objects whose entragov configuration differs from
// the azuread one: the move itself succeeds and the plan updates the objects in place.
func TestAccMoveFromAzuread_updateInPlace(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsLocalAPI)
	var catalogID, packageID acctest.IDCapture
	resource.ParallelTest(t, moveTestCase(t, resource.TestStep{
		Config: moveConfig(e, `
resource "azuread_access_package_catalog" "c" {
  display_name = "Before"
  description  = "Catalog"
  published    = false
}
resource "azuread_access_package" "p" {
  catalog_id   = azuread_access_package_catalog.c.id
  display_name = "Package"
  description  = "Package"
}`),
		ConfigStateChecks: []statecheck.StateCheck{
			acctest.CaptureID("azuread_access_package_catalog.c", &catalogID),
			acctest.CaptureID("azuread_access_package.p", &packageID),
		},
	}, resource.TestStep{
		Config: moveConfig(e, `
moved {
  from = azuread_access_package_catalog.c
  to   = entragov_catalog.c
}
moved {
  from = azuread_access_package.p
  to   = entragov_access_package.p
}
resource "entragov_catalog" "c" {
  display_name = "After"
  description  = "Catalog"
  state        = "published"
}
resource "entragov_access_package" "p" {
  catalog_id   = entragov_catalog.c.id
  display_name = "Package"
  description  = "Package"
  hidden       = true
}`),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("entragov_catalog.c", plancheck.ResourceActionUpdate),
				plancheck.ExpectResourceAction("entragov_access_package.p", plancheck.ResourceActionUpdate),
				plancheck.ExpectKnownValue("entragov_catalog.c", tfjsonpath.New("display_name"), knownvalue.StringExact("After")),
			},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			sameID("entragov_catalog.c", &catalogID),
			sameID("entragov_access_package.p", &packageID),
			statecheck.ExpectKnownValue("entragov_catalog.c", tfjsonpath.New("state"), knownvalue.StringExact("published")),
			statecheck.ExpectKnownValue("entragov_access_package.p", tfjsonpath.New("hidden"), knownvalue.Bool(true)),
			funcCheck(func(ctx contextT) error {
				cat, err := e.Client(t).GetCatalog(ctx, catalogID.Value)
				if err != nil {
					return err
				}
				if cat.DisplayName != "After" || cat.State != "published" {
					return fmt.Errorf("catalog %s is %q/%s in Graph, want After/published", catalogID.Value, cat.DisplayName, cat.State)
				}
				return nil
			}),
		},
	}))
}

// TestAccMoveFromAzuread_wrongSource moves an azuread catalog to an access package: the move is
// refused with a message naming what can be moved, before anything is changed.
func TestAccMoveFromAzuread_wrongSource(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsLocalAPI)
	resource.ParallelTest(t, moveTestCase(t, resource.TestStep{
		Config: moveConfig(e, `
resource "azuread_access_package_catalog" "c" {
  display_name = "Catalog"
  description  = "Catalog"
}`),
	}, resource.TestStep{
		Config: moveConfig(e, `
moved {
  from = azuread_access_package_catalog.c
  to   = entragov_access_package.p
}
resource "entragov_access_package" "p" {
  catalog_id   = "3f0c9b1e-8a7d-4e2c-9b5a-6d4e3c2b1a09"
  display_name = "Package"
}`),
		ExpectError: acctest.ExpectError(`Unsupported move source.*entragov_access_package can be moved only from azuread_access_package of the hashicorp/azuread provider.*names azuread_access_package_catalog`),
	}, resource.TestStep{
		// Back to the azuread configuration, which still matches the state: nothing moved.
		Config: moveConfig(e, `
resource "azuread_access_package_catalog" "c" {
  display_name = "Catalog"
  description  = "Catalog"
}`),
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
	}))
}

var (
	catalogAssociationIDPattern = regexp.MustCompile(`^[0-9a-f-]{36}/[0-9a-f-]{36}$`)
	packageAssociationIDPattern = regexp.MustCompile(`^[0-9a-f-]{36}/[0-9a-f-]{36}_[0-9a-f-]{36}/[0-9a-f-]{36}/Member$`)
)
