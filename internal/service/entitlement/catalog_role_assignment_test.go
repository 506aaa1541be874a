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
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

const (
	roleOwnerAddress   = "entragov_catalog_role_assignment.owner"
	roleCreatorAddress = "entragov_catalog_role_assignment.creator"
	// roleAssignmentsCollection is the local API's store collection of entitlement management role assignments.
	roleAssignmentsCollection = "entitlementRoleAssignments"
)

var catalogScopePattern = regexp.MustCompile(`^/AccessPackageCatalog/[0-9a-f-]{36}$`)

func roleAssignmentReader(e *acctest.Emulator, t *testing.T) func(ctx context.Context, id string) error {
	return func(ctx context.Context, id string) error {
		_, err := e.Client(t).GetRoleAssignment(ctx, id)
		return err
	}
}

func roleAssignmentTestCase(t *testing.T, e *acctest.Emulator, steps ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("entragov_catalog_role_assignment", roleAssignmentReader(e, t), graph.IsNotFound),
		Steps:                    steps,
	}
}

// testAccCatalogRoleAssignmentConfig delegates the catalog named catalog to a principal with a role named
// by its display name.
func testAccCatalogRoleAssignmentConfig(catalog, principalID, roleName string) string {
	return fmt.Sprintf(`
resource "entragov_catalog" "partners" {
  display_name = "Partners"
}

resource "entragov_catalog" "vendors" {
  display_name = "Vendors"
}

data "entragov_catalog_role_definitions" "all" {}

resource "entragov_catalog_role_assignment" "owner" {
  principal_id       = %q
  role_definition_id = data.entragov_catalog_role_definitions.all.by_name[%q].id
  catalog_id         = entragov_catalog.%s.id
}
`, principalID, roleName, catalog)
}

func TestAccCatalogRoleAssignment_basic(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, roleAssignmentTestCase(t, e, resource.TestStep{
		Config: e.Config(testAccCatalogRoleAssignmentConfig("partners", emulator.SeedGroupFabrikamPartnersID, "Catalog owner")),
		ConfigStateChecks: []statecheck.StateCheck{
			acctest.ExistsInAPI(roleOwnerAddress, roleAssignmentReader(e, t)),
			statecheck.ExpectKnownValue(roleOwnerAddress, tfjsonpath.New("id"), knownvalue.StringRegexp(guidPattern)),
			statecheck.ExpectKnownValue(roleOwnerAddress, tfjsonpath.New("role_definition_id"), knownvalue.StringExact(graph.RoleCatalogOwner)),
			statecheck.ExpectKnownValue(roleOwnerAddress, tfjsonpath.New("directory_scope_id"), knownvalue.Null()),
			statecheck.CompareValuePairs(roleOwnerAddress, tfjsonpath.New("catalog_id"), "entragov_catalog.partners", tfjsonpath.New("id"), compareEqual),
			statecheck.ExpectKnownValue(roleOwnerAddress, tfjsonpath.New("app_scope_id"), knownvalue.StringRegexp(catalogScopePattern)),
		},
		ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
	}, resource.TestStep{
		ResourceName: roleOwnerAddress, ImportState: true, ImportStateVerify: true,
	}))
}

// The catalog creator role is assigned for the whole tenant.
func TestAccCatalogRoleAssignment_tenantWide(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, roleAssignmentTestCase(t, e, resource.TestStep{
		Config: e.Config(`
data "entragov_catalog_role_definitions" "creator" {
  display_name = "Catalog creator"
}

resource "entragov_catalog_role_assignment" "creator" {
  principal_id       = "` + emulator.SeedGroupSalesID + `"
  role_definition_id = data.entragov_catalog_role_definitions.creator.role_definitions[0].id
  directory_scope_id = "/"
}
`),
		ConfigStateChecks: []statecheck.StateCheck{
			acctest.ExistsInAPI(roleCreatorAddress, roleAssignmentReader(e, t)),
			statecheck.ExpectKnownValue(roleCreatorAddress, tfjsonpath.New("role_definition_id"), knownvalue.StringExact(graph.RoleCatalogCreator)),
			statecheck.ExpectKnownValue(roleCreatorAddress, tfjsonpath.New("directory_scope_id"), knownvalue.StringExact("/")),
			statecheck.ExpectKnownValue(roleCreatorAddress, tfjsonpath.New("catalog_id"), knownvalue.Null()),
			statecheck.ExpectKnownValue(roleCreatorAddress, tfjsonpath.New("app_scope_id"), knownvalue.Null()),
		},
		ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
	}, resource.TestStep{
		ResourceName: roleCreatorAddress, ImportState: true, ImportStateVerify: true,
	}))
}

// Graph has no update of a role assignment: a new principal, role or catalog replaces it.
func TestAccCatalogRoleAssignment_replace(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSeededDirectory)
	var first, second, third, fourth acctest.IDCapture
	replaced := func(config string, into *acctest.IDCapture, prev *acctest.IDCapture) resource.TestStep {
		return resource.TestStep{
			Config: e.Config(config),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(roleOwnerAddress, plancheck.ResourceActionDestroyBeforeCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			// The old assignment is gone and the new one has another id.
			Check: func(st *terraformState) error {
				id := st.RootModule().Resources[roleOwnerAddress].Primary.ID
				if id == prev.Value {
					return fmt.Errorf("the assignment kept its id %s", id)
				}
				if _, err := e.Client(t).GetRoleAssignment(context.Background(), prev.Value); !graph.IsNotFound(err) {
					return fmt.Errorf("the replaced assignment %s is still readable: %v", prev.Value, err)
				}
				return nil
			},
			ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(roleOwnerAddress, into)},
		}
	}
	resource.ParallelTest(t, roleAssignmentTestCase(t, e,
		resource.TestStep{
			Config:            e.Config(testAccCatalogRoleAssignmentConfig("partners", emulator.SeedGroupFabrikamPartnersID, "Catalog owner")),
			ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(roleOwnerAddress, &first)},
		},
		replaced(testAccCatalogRoleAssignmentConfig("partners", emulator.SeedUserAdeleID, "Catalog owner"), &second, &first),
		replaced(testAccCatalogRoleAssignmentConfig("partners", emulator.SeedUserAdeleID, "Catalog reader"), &third, &second),
		replaced(testAccCatalogRoleAssignmentConfig("vendors", emulator.SeedUserAdeleID, "Catalog reader"), &fourth, &third),
	))
}

// An assignment removed outside Terraform (through the local API's control API) is planned back.
func TestAccCatalogRoleAssignment_disappears(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var id acctest.IDCapture
	config := e.Config(testAccCatalogRoleAssignmentConfig("partners", emulator.SeedUserAdeleID, "AccessPackage assignment manager"))
	resource.ParallelTest(t, roleAssignmentTestCase(t, e, resource.TestStep{
		Config:            config,
		ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(roleOwnerAddress, &id)},
	}, resource.TestStep{
		PreConfig: func() {
			if err := e.Server.DeleteObject(roleAssignmentsCollection, id.Value); err != nil {
				t.Fatal(err)
			}
		},
		Config: config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(roleOwnerAddress, plancheck.ResourceActionCreate)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{acctest.ExistsInAPI(roleOwnerAddress, roleAssignmentReader(e, t))},
	}, resource.TestStep{
		// Removed through Graph this time.
		PreConfig: func() {
			list, err := e.Client(t).ListRoleAssignmentsOf(context.Background(), emulator.SeedUserAdeleID)
			if err != nil || len(list) != 1 {
				t.Fatalf("assignments of Adele: %v %v", list, err)
			}
			if err := e.Client(t).DeleteRoleAssignment(context.Background(), list[0].ID); err != nil {
				t.Fatal(err)
			}
		},
		Config: config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(roleOwnerAddress, plancheck.ResourceActionCreate)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}))
}

// An assignment that already exists (made outside Terraform, or by an apply stopped before it saved state) is
// refused by Graph; the error names the import block, and importing it brings it under management.
func TestAccCatalogRoleAssignment_duplicate(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSeededDirectory)
	var catalog acctest.IDCapture
	var existing string
	const catalogOnly = `
resource "entragov_catalog" "partners" {
  display_name = "Partners"
}
`
	assignment := `
resource "entragov_catalog_role_assignment" "owner" {
  principal_id       = "` + emulator.SeedGroupFabrikamPartnersID + `"
  role_definition_id = "` + graph.RoleCatalogOwner + `"
  catalog_id         = entragov_catalog.partners.id
}
`
	resource.ParallelTest(t, roleAssignmentTestCase(t, e, resource.TestStep{
		Config:            e.Config(catalogOnly),
		ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID("entragov_catalog.partners", &catalog)},
	}, resource.TestStep{
		PreConfig: func() {
			a, err := e.Client(t).CreateRoleAssignment(context.Background(), graph.RoleAssignment{
				PrincipalID: emulator.SeedGroupFabrikamPartnersID, RoleDefinitionID: graph.RoleCatalogOwner, AppScopeID: graph.CatalogScope(catalog.Value)})
			if err != nil {
				t.Fatal(err)
			}
			existing = a.ID
		},
		Config:      e.Config(catalogOnly, assignment),
		ExpectError: acctest.ExpectError(`This role assignment already exists[\s\S]*import \{\s+to = entragov_catalog_role_assignment.<name>\s+id\s+= "[0-9a-f-]{36}"`),
	}, resource.TestStep{
		ResourceName: roleOwnerAddress, ImportState: true, ImportStatePersist: true, Config: e.Config(catalogOnly, assignment),
		ImportStateIdFunc: func(*terraformState) (string, error) { return existing, nil },
	}, resource.TestStep{
		Config: e.Config(catalogOnly, assignment),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}))
}

// Bad input is refused at plan, with the attribute's path, before any request.
func TestAccCatalogRoleAssignment_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	assignment := func(body string) string {
		return e.Config(`
resource "entragov_catalog_role_assignment" "bad" {
` + body + `
}
`)
	}
	const (
		principal = `  principal_id = "5eed0001-0000-4000-8000-000000000002"` + "\n"
		catalog   = `  catalog_id   = "5eed0009-0000-4000-8000-000000000001"` + "\n"
	)
	owner := `  role_definition_id = "` + graph.RoleCatalogOwner + `"` + "\n"
	creator := `  role_definition_id = "` + graph.RoleCatalogCreator + `"` + "\n"
	step := func(config, want string) resource.TestStep {
		return resource.TestStep{Config: config, PlanOnly: true, ExpectError: acctest.ExpectError(want)}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			step(assignment(`  principal_id = "adele"`+"\n"+owner+catalog), `(?s)Attribute principal_id.*GUID`),
			step(assignment(principal+`  role_definition_id = "Catalog owner"`+"\n"+catalog), `(?s)Attribute role_definition_id.*GUID`),
			step(assignment(principal+owner+`  catalog_id = "partners"`+"\n"), `(?s)Attribute catalog_id.*GUID`),
			step(assignment(principal+owner), `(?s)No scope set.*Attribute catalog_id`),
			step(assignment(principal+owner+catalog+`  directory_scope_id = "/"`+"\n"), `(?s)Both scopes set.*Attribute directory_scope_id`),
			step(assignment(principal+owner+`  directory_scope_id = "/administrativeUnits/x"`+"\n"), `(?s)Attribute directory_scope_id value must be one of`),
			step(assignment(principal+owner+`  directory_scope_id = "/"`+"\n"), `(?s)Catalog role assigned at the tenant.*Attribute directory_scope_id`),
			step(assignment(principal+creator+catalog), `(?s)Tenant-wide role assigned on a catalog.*Attribute catalog_id`),
		},
	})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}

// Terraform 1.12 and later: the assignment's identity is its id, and an import block can name it by identity.
func TestAccCatalogRoleAssignment_identity(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSeededDirectory)
	tc := roleAssignmentTestCase(t, e, resource.TestStep{
		Config:            e.Config(testAccCatalogRoleAssignmentConfig("partners", emulator.SeedGroupFabrikamPartnersID, "Catalog reader")),
		ConfigStateChecks: acctest.IdentityChecks(roleOwnerAddress, map[string]knownvalue.Check{"id": knownvalue.StringRegexp(guidPattern)}, "id"),
	}, acctest.ImportByIdentityStep(roleOwnerAddress))
	tc.TerraformVersionChecks = acctest.IdentityVersionChecks
	resource.ParallelTest(t, tc)
}

// An assignment changed outside Terraform (its principal rewritten through the control API) is replaced
// with the configured one: Graph has no update.
func TestAccCatalogRoleAssignment_drift(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var id acctest.IDCapture
	config := e.Config(testAccCatalogRoleAssignmentConfig("partners", emulator.SeedGroupFabrikamPartnersID, "AccessPackages manager"))
	resource.ParallelTest(t, roleAssignmentTestCase(t, e, resource.TestStep{
		Config:            config,
		ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(roleOwnerAddress, &id)},
	}, resource.TestStep{
		PreConfig: func() {
			if err := e.Server.ChangeObject(roleAssignmentsCollection, id.Value, map[string]any{"principalId": emulator.SeedUserLynneID}); err != nil {
				t.Fatal(err)
			}
		},
		Config: config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(roleOwnerAddress, plancheck.ResourceActionDestroyBeforeCreate),
				plancheck.ExpectKnownValue(roleOwnerAddress, tfjsonpath.New("principal_id"), knownvalue.StringExact(emulator.SeedGroupFabrikamPartnersID)),
			},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{acctest.ExistsInAPI(roleOwnerAddress, roleAssignmentReader(e, t))},
	}))
}
