package entitlement_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// Two catalogs each hold a package named "Contractors".
const testAccAccessPackageDataSourceBase = `
resource "entragov_catalog" "a" {
  display_name = "Catalog A"
}

resource "entragov_catalog" "b" {
  display_name = "Catalog B"
}

resource "entragov_access_package" "a" {
  catalog_id             = entragov_catalog.a.id
  display_name           = "Contractors"
  description            = "In A"
  incompatible_group_ids = ["` + emulator.SeedGroupFinanceID + `"]
}

resource "entragov_access_package" "b" {
  catalog_id   = entragov_catalog.b.id
  display_name = "Contractors"
  description  = "In B"
  hidden       = true
}
`

func TestAccAccessPackageDataSource(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(testAccAccessPackageDataSourceBase, `
data "entragov_access_package" "by_id" {
  id = entragov_access_package.a.id
}

data "entragov_access_package" "by_name_in_catalog" {
  display_name = "Contractors"
  catalog_id   = entragov_catalog.b.id
  depends_on   = [entragov_access_package.a, entragov_access_package.b]
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.entragov_access_package.by_id", tfjsonpath.New("description"), knownvalue.StringExact("In A")),
				statecheck.CompareValuePairs("data.entragov_access_package.by_id", tfjsonpath.New("catalog_id"), "entragov_catalog.a", tfjsonpath.New("id"), compareEqual),
				statecheck.ExpectKnownValue("data.entragov_access_package.by_id", tfjsonpath.New("incompatible_group_ids"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(emulator.SeedGroupFinanceID)})),
				// The same name in another catalog is not ambiguous when the catalog is given.
				statecheck.CompareValuePairs("data.entragov_access_package.by_name_in_catalog", tfjsonpath.New("id"), "entragov_access_package.b", tfjsonpath.New("id"), compareEqual),
				statecheck.ExpectKnownValue("data.entragov_access_package.by_name_in_catalog", tfjsonpath.New("hidden"), knownvalue.Bool(true)),
			},
		}, {
			Config: e.Config(testAccAccessPackageDataSourceBase, `
data "entragov_access_package" "ambiguous" {
  display_name = "Contractors"
  depends_on   = [entragov_access_package.a, entragov_access_package.b]
}
`),
			ExpectError: acctest.ExpectError(`More than one access package matches.*2 access packages are named "` + e.Name("Contractors") + `".*Set catalog_id or use id`),
		}},
	})
}

func TestAccAccessPackageDataSource_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(`
data "entragov_access_package" "x" {
  id         = "00000000-0000-4000-8000-000000000000"
  catalog_id = "00000000-0000-4000-8000-000000000000"
}
`),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(`Invalid Attribute Combination.*cannot be configured together: \[id,catalog_id\]`),
		}, {
			Config: e.Config(`
data "entragov_catalog_resource_roles" "x" {
  catalog_id          = "General"
  catalog_resource_id = "00000000-0000-4000-8000-000000000000"
}
`),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(`Invalid object id.*catalog_id`),
		}, {
			Config:      e.Config(`data "entragov_access_package" "x" {}`),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(`Exactly one of these attributes must be configured`),
		}},
	})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}
