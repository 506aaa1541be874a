package entitlement_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// An object that no state holds but that has the configured name in the same parent (what an apply
// killed after Graph's create leaves) is not created again: the apply stops at that resource, naming
// the import block; with that block the next apply adopts it and the plan after is empty.
func TestAccDuplicateNames_catalogRefusedThenImported(t *testing.T) {
	e := acctest.NewEmulator(t)
	existing, err := e.Client(t).CreateCatalog(context.Background(), graph.CatalogCreate{DisplayName: e.Name("Partner onboarding")})
	if err != nil {
		t.Fatal(err)
	}
	// Not marked as made outside Terraform: the second step imports it and the destroy deletes it.
	cfg := testAccCatalogConfig_basic("Partner onboarding")
	resource.ParallelTest(t, catalogTestCase(t, e, resource.TestStep{
		Config: e.Config(cfg),
		ExpectError: regexp.MustCompile(`(?s)An object with this name already exists.*` + wrapped(`a catalog named "`+e.Name("Partner onboarding")+`"`) + `.*` +
			`import \{\s+to = entragov_catalog\.<name>\s+id = "` + existing.ID + `"\s+\}.*prevent_duplicate_names = false`),
	}, resource.TestStep{
		Config: e.Config(cfg, fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", catalogAddress, existing.ID)),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(catalogAddress, plancheck.ResourceActionNoop)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}))
	catalogs, err := e.Client(t).ListCatalogsByName(context.Background(), e.Name("Partner onboarding"))
	if err != nil {
		t.Fatal(err)
	}
	if len(catalogs) != 0 {
		t.Fatalf("%d catalogs named Partner onboarding left after destroy; the refused apply made one?", len(catalogs))
	}
}

// The name is looked up within the parent: a package of the same name in another catalog is no
// duplicate, one in the same catalog is.
func TestAccDuplicateNames_accessPackageWithinItsCatalog(t *testing.T) {
	e := acctest.NewEmulator(t)
	ctx := context.Background()
	other, err := e.Client(t).CreateCatalog(ctx, graph.CatalogCreate{DisplayName: e.Name("Other")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client(t).CreateAccessPackage(ctx, other.ID, graph.AccessPackageCreate{DisplayName: e.Name("Design project")}); err != nil {
		t.Fatal(err)
	}
	e.CreatedOutsideTerraform(2)
	cfg := `
resource "entragov_catalog" "test" {
  display_name = "Partners"
}

resource "entragov_access_package" "test" {
  catalog_id   = entragov_catalog.test.id
  display_name = "Design project"
}
`
	second := `
resource "entragov_access_package" "second" {
  catalog_id   = entragov_catalog.test.id
  display_name = "Design project 2"
}
`
	testAccDuplicateInParent(t, e, duplicateInParent{
		cfg: cfg, second: second, parentAddress: catalogAddress,
		leave: func(catalogID string) error {
			_, err := e.Client(t).CreateAccessPackage(ctx, catalogID, graph.AccessPackageCreate{DisplayName: e.Name("Design project 2")})
			return err
		},
		refused: wrapped(`an access package named "`+e.Name("Design project 2")+`" in catalog`) + `\s+[0-9a-f-]+.*to = entragov_access_package\.<name>`,
		lookUp: `
data "entragov_access_package" "second" {
  catalog_id   = entragov_catalog.test.id
  display_name = "Design project 2"
}

import {
  to = entragov_access_package.second
  id = data.entragov_access_package.second.id
}
`,
	})
}

// A policy's name is looked up among its package's policies: "Direct" in another package is no duplicate
// (every package may have one), a "Direct 2" that a killed apply left in the same package is, and the
// data source finds that one by package and name for the import.
func TestAccDuplicateNames_assignmentPolicyWithinItsPackage(t *testing.T) {
	e := acctest.NewEmulator(t)
	ctx := context.Background()
	policy := func(name string) graph.AssignmentPolicy {
		return graph.AssignmentPolicy{DisplayName: name, Description: "Administrators assign", AllowedTargetScope: "notSpecified",
			Questions: []graph.Question{}, CustomExtensionStageSettings: []graph.CustomExtensionStageSetting{}}
	}
	other, err := e.Client(t).CreateCatalog(ctx, graph.CatalogCreate{DisplayName: e.Name("Other")})
	if err != nil {
		t.Fatal(err)
	}
	otherPkg, err := e.Client(t).CreateAccessPackage(ctx, other.ID, graph.AccessPackageCreate{DisplayName: e.Name("Other package")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client(t).CreateAssignmentPolicy(ctx, otherPkg.ID, policy(e.Name("Direct"))); err != nil {
		t.Fatal(err)
	}
	e.CreatedOutsideTerraform(3)
	cfg := `
resource "entragov_catalog" "test" {
  display_name = "Policies"
}

resource "entragov_access_package" "test" {
  catalog_id   = entragov_catalog.test.id
  display_name = "Design project"
}

resource "entragov_assignment_policy" "direct" {
  access_package_id = entragov_access_package.test.id
  display_name      = "Direct"
  description       = "Administrators assign"
}
`
	second := `
resource "entragov_assignment_policy" "second" {
  access_package_id = entragov_access_package.test.id
  display_name      = "Direct 2"
  description       = "Administrators assign"
}
`
	testAccDuplicateInParent(t, e, duplicateInParent{
		cfg: cfg, second: second, parentAddress: "entragov_access_package.test",
		leave: func(packageID string) error {
			_, err := e.Client(t).CreateAssignmentPolicy(ctx, packageID, policy(e.Name("Direct 2")))
			return err
		},
		refused: wrapped(`an assignment policy named "`+e.Name("Direct 2")+`" for access package`) + `.*to = entragov_assignment_policy\.<name>`,
		lookUp: `
data "entragov_assignment_policy" "second" {
  access_package_id = entragov_access_package.test.id
  display_name      = "Direct 2"
}

import {
  to = entragov_assignment_policy.second
  id = data.entragov_assignment_policy.second.id
}
`,
	})
}

// duplicateInParent is a name looked up within its parent: cfg makes the parent, and second adds an
// object whose name leave (given the parent's id) gives to an object in Graph first, as a killed apply
// leaves it.
type duplicateInParent struct {
	cfg, second   string
	parentAddress string
	leave         func(parentID string) error
	refused       string // the apply's error: what it names, up to the import block's "to = ..."
	lookUp        string // the data source and import block that adopt what leave made
}

// testAccDuplicateInParent applies cfg; with second the apply is refused, naming the import block; with
// the data source's import the apply adopts the object, and the plan after is empty.
func testAccDuplicateInParent(t *testing.T, e *acctest.Emulator, d duplicateInParent) {
	var parentID acctest.IDCapture
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:            e.Config(d.cfg),
			ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(d.parentAddress, &parentID)},
		}, {
			PreConfig: func() {
				// Not marked as made outside Terraform: the next step imports it.
				if err := d.leave(parentID.Value); err != nil {
					t.Fatal(err)
				}
			},
			Config: e.Config(d.cfg, d.second),
			// The summary depends on when Graph lists the namesake: refused by the look-up before the create,
			// or by Graph itself and then explained (RefusedAsDuplicate). Both name it and the import block.
			ExpectError: regexp.MustCompile(`(?s)` + d.refused + `\s+id = "[0-9a-f-]+"`),
		}, {
			// The remedy the message names: import the object, and the apply adopts it.
			Config: e.Config(d.cfg, d.second, d.lookUp),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	})
}

// With prevent_duplicate_names = false the provider creates objects that share a name, as Graph allows.
func TestAccDuplicateNames_allowedWhenTurnedOff(t *testing.T) {
	e := acctest.NewEmulator(t)
	if _, err := e.Client(t).CreateCatalog(context.Background(), graph.CatalogCreate{DisplayName: e.Name("Shared name")}); err != nil {
		t.Fatal(err)
	}
	e.CreatedOutsideTerraform(1)
	provider := strings.Replace(e.ProviderConfig(), `provider "entragov" {`, "provider \"entragov\" {\n  prevent_duplicate_names = false", 1)
	resource.ParallelTest(t, catalogTestCase(t, e, resource.TestStep{
		Config: provider + testAccCatalogConfig_basic("Shared name"),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}))
}

// wrapped matches a phrase in Terraform's output, which breaks long lines at any space: the prefix of a
// test's names differs between runs and modes, so the breaks move.
func wrapped(name string) string {
	return strings.ReplaceAll(regexp.QuoteMeta(name), " ", `\s+`)
}

// Graph's lists lag behind its creates: an object made moments before the apply (what an apply killed
// just before this one leaves; issue 13, item 7) is not listed yet when the apply looks the name up, so
// the apply creates a second one. Once its own object is readable the older one is listed too: the apply
// deletes what it made and names the import, and with that import the next apply adopts the older one.
func TestAccDuplicateNames_listedOnlyAfterTheCreate(t *testing.T) {
	// Graph refuses a second organization for one identity source, so the older one has another.
	testAccDuplicateNamesListedLate(t, "late-partner.example.com", `which was deleted again`)
}

// The same, where Graph itself refuses the create because the older organization has the same identity
// source: the apply names the import instead of only repeating Graph's refusal.
func TestAccDuplicateNames_refusedByGraphBeforeListed(t *testing.T) {
	testAccDuplicateNamesListedLate(t, "late.example.com", `Graph refused the create: A connected organization for this identity source already exists`)
}

func testAccDuplicateNamesListedLate(t *testing.T, olderDomain, note string) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	// Longer than the apply takes to reach the create, however slow the machine.
	e.Server.SetFaults(emulator.Faults{ReadAfterCreateDelay: 15 * time.Second})
	cfg := `
resource "entragov_connected_organization" "test" {
  display_name     = "Late partner"
  identity_sources = [{ type = "domainIdentitySource", domain_name = "late.example.com", display_name = "Late" }]
}
`
	var existing *graph.ConnectedOrganization
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				var err error
				existing, err = e.Client(t).CreateConnectedOrganization(context.Background(), graph.ConnectedOrganization{
					DisplayName:     "Late partner",
					IdentitySources: []graph.IdentitySource{{Type: graph.IdentitySourceDomain, DomainName: olderDomain, DisplayName: "Late"}},
				})
				if err != nil {
					t.Fatal(err)
				}
				// Not marked as made outside Terraform: the next step imports it.
			},
			Config: e.Config(cfg),
			ExpectError: acctest.ExpectError(`An object with this name already exists.*a connected organization named "Late partner".*` +
				note + `.*to = entragov_connected_organization\.<name>`),
		}, {
			PreConfig: func() {
				orgs, err := e.Server.ListObjects("connectedOrganizations")
				if err != nil {
					t.Fatal(err)
				}
				if len(orgs) != 1 {
					t.Fatalf("the API holds %d connected organizations after the refused apply, want only the one made before it", len(orgs))
				}
			},
			// The remedy the message names: import the older organization, and the apply adopts it.
			Config: e.Config(cfg, `
data "entragov_connected_organization" "late" {
  display_name = "Late partner"
}

import {
  to = entragov_connected_organization.test
  id = data.entragov_connected_organization.late.id
}
`),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: func(s *terraform.State) error {
				if got := s.RootModule().Resources["entragov_connected_organization.test"].Primary.ID; got != existing.ID {
					return fmt.Errorf("state manages %s, want the organization made before the apply, %s", got, existing.ID)
				}
				return nil
			},
		}},
	})
}
