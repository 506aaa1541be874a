package entitlement_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

func TestAccCatalogRoleDefinitionsDataSource_all(t *testing.T) {
	e := acctest.NewEmulator(t)
	const address = "data.entragov_catalog_role_definitions.all"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(`
data "entragov_catalog_role_definitions" "all" {}

output "owner" {
  value = data.entragov_catalog_role_definitions.all.by_name["Catalog owner"].id
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(address, tfjsonpath.New("role_definitions"), knownvalue.ListSizeExact(5)),
				statecheck.ExpectKnownValue(address, tfjsonpath.New("by_name"), knownvalue.MapSizeExact(5)),
				statecheck.ExpectKnownValue(address, tfjsonpath.New("by_name").AtMapKey("Catalog creator").AtMapKey("id"), knownvalue.StringExact(graph.RoleCatalogCreator)),
				statecheck.ExpectKnownValue(address, tfjsonpath.New("by_name").AtMapKey("AccessPackage assignment manager").AtMapKey("built_in"), knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("owner", knownvalue.StringExact(graph.RoleCatalogOwner)),
			},
		}},
	})
}

func TestAccCatalogRoleDefinitionsDataSource_byName(t *testing.T) {
	e := acctest.NewEmulator(t)
	const address = "data.entragov_catalog_role_definitions.reader"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(`
data "entragov_catalog_role_definitions" "reader" {
  display_name = "Catalog reader"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(address, tfjsonpath.New("role_definitions"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.StringExact(graph.RoleCatalogReader), "display_name": knownvalue.StringExact("Catalog reader"),
						"description": knownvalue.StringExact("Catalog reader"), "built_in": knownvalue.Bool(true), "enabled": knownvalue.Bool(true),
					}),
				})),
				statecheck.ExpectKnownValue(address, tfjsonpath.New("by_name").AtMapKey("Catalog reader").AtMapKey("id"), knownvalue.StringExact(graph.RoleCatalogReader)),
			},
		}, {
			Config: e.Config(`
data "entragov_catalog_role_definitions" "reader" {
  display_name = "Catalog janitor"
}
`),
			ExpectError: acctest.ExpectError(`(?s)Role definition not found.*no role definition named "Catalog janitor".*"Catalog owner"`),
		}},
	})
}
