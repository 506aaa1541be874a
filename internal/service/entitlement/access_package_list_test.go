package entitlement_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
)

// Packages of two catalogs, in pages of two: a catalog's packages, by name across catalogs, by catalog and
// name with the resource, and none.
func TestAccAccessPackageList_basic(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSmallPages)
	sales, finance := catalogOutsideTerraform(t, e, "Sales"), catalogOutsideTerraform(t, e, "Finance")
	var laptops, phones acctest.IDCapture
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   acctest.QueryVersionChecks,
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(fmt.Sprintf(`
resource "entragov_access_package" "laptops" {
  catalog_id   = %[1]q
  display_name = "Laptops"
  description  = "Sales laptops"
  incompatible_access_package_ids = [entragov_access_package.phones.id]
}

resource "entragov_access_package" "phones" {
  catalog_id   = %[1]q
  display_name = "Phones"
}

resource "entragov_access_package" "desks" {
  catalog_id   = %[1]q
  display_name = "Desks"
  hidden       = true
}

resource "entragov_access_package" "finance_laptops" {
  catalog_id   = %[2]q
  display_name = "Laptops"
}
`, sales, finance)),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID("entragov_access_package.laptops", &laptops),
				acctest.CaptureID("entragov_access_package.phones", &phones),
			},
		}, {
			Query: true,
			Config: e.QueryConfig(fmt.Sprintf(`
list "entragov_access_package" "sales" {
  provider = entragov
  config {
    catalog_id = %[1]q
  }
}

list "entragov_access_package" "laptops" {
  provider = entragov
  config {
    display_name = "Laptops"
  }
}

list "entragov_access_package" "sales_laptops" {
  provider         = entragov
  include_resource = true
  config {
    catalog_id   = %[1]q
    display_name = "Laptops"
  }
}

list "entragov_access_package" "none" {
  provider = entragov
  config {
    catalog_id   = %[2]q
    display_name = "Phones"
  }
}
`, sales, finance)),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("entragov_access_package.sales", 3),
				querycheck.ExpectIdentity("entragov_access_package.sales", map[string]knownvalue.Check{"id": acctest.Captured(&phones)}),
				querycheck.ExpectResourceDisplayName("entragov_access_package.sales",
					queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": acctest.Captured(&laptops)}),
					knownvalue.StringExact(e.Name("Laptops"))),
				querycheck.ExpectLength("entragov_access_package.laptops", 2),
				querycheck.ExpectLength("entragov_access_package.sales_laptops", 1),
				querycheck.ExpectResourceKnownValues("entragov_access_package.sales_laptops",
					queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": acctest.Captured(&laptops)}),
					[]querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("catalog_id"), KnownValue: knownvalue.StringExact(sales)},
						{Path: tfjsonpath.New("description"), KnownValue: knownvalue.StringExact("Sales laptops")},
						{Path: tfjsonpath.New("hidden"), KnownValue: knownvalue.Bool(false)},
						{Path: tfjsonpath.New("incompatible_access_package_ids"), KnownValue: knownvalue.SetExact([]knownvalue.Check{acctest.Captured(&phones)})},
						{Path: tfjsonpath.New("incompatible_group_ids"), KnownValue: knownvalue.SetSizeExact(0)},
					}),
				querycheck.ExpectLength("entragov_access_package.none", 0),
			},
		}},
	})
}

// A catalog id that is not a GUID is refused with the attribute's path before any request.
func TestAccAccessPackageList_invalidCatalogID(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   acctest.QueryVersionChecks,
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Query: true,
			Config: e.Config(`
list "entragov_access_package" "bad" {
  provider = entragov
  config {
    catalog_id = "sales"
  }
}
`),
			ExpectError: acctest.ExpectError(`Invalid object id.*Attribute catalog_id value "sales" is not a GUID`),
		}},
	})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("an invalid list block reached the API: %d Graph requests", n)
	}
}
