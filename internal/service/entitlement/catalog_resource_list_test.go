package entitlement_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// Resources of two catalogs, in pages of two: one catalog's with the resource, every catalog's, and a
// catalog without resources.
func TestAccCatalogResourceList_basic(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSmallPages, acctest.NeedsSeededDirectory)
	sales, finance, empty := catalogOutsideTerraform(t, e, "Sales"), catalogOutsideTerraform(t, e, "Finance"), catalogOutsideTerraform(t, e, "Empty")
	onboard := func(address, catalog, system, origin string) string {
		return fmt.Sprintf(`
resource "entragov_catalog_resource" %q {
  catalog_id    = %q
  origin_system = %q
  origin_id     = %q
}
`, address, catalog, system, origin)
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   acctest.QueryVersionChecks,
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(
				onboard("sales_group", sales, "AadGroup", emulator.SeedGroupSalesID),
				onboard("marketing_group", sales, "AadGroup", emulator.SeedGroupMarketingID),
				onboard("sales_site", sales, "SharePointOnline", falconSite),
				onboard("finance_group", finance, "AadGroup", emulator.SeedGroupFinanceID),
			),
		}, {
			Query: true,
			Config: e.QueryConfig(fmt.Sprintf(`
list "entragov_catalog_resource" "sales" {
  provider         = entragov
  include_resource = true
  config {
    catalog_id = %q
  }
}

list "entragov_catalog_resource" "all" {
  provider = entragov
}

list "entragov_catalog_resource" "none" {
  provider = entragov
  config {
    catalog_id = %q
  }
}
`, sales, empty)),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("entragov_catalog_resource.sales", 3),
				querycheck.ExpectIdentity("entragov_catalog_resource.sales", map[string]knownvalue.Check{
					"catalog_id": knownvalue.StringExact(sales), "origin_id": knownvalue.StringExact(falconSite),
				}),
				querycheck.ExpectResourceKnownValues("entragov_catalog_resource.sales",
					queryfilter.ByResourceIdentity(map[string]knownvalue.Check{
						"catalog_id": knownvalue.StringExact(sales), "origin_id": knownvalue.StringExact(emulator.SeedGroupSalesID),
					}),
					[]querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("origin_system"), KnownValue: knownvalue.StringExact("AadGroup")},
						{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringRegexp(guidPattern)},
						{Path: tfjsonpath.New("roles"), KnownValue: knownvalue.ListSizeExact(2)},
					}),
				querycheck.ExpectLengthAtLeast("entragov_catalog_resource.all", 4),
				querycheck.ExpectIdentity("entragov_catalog_resource.all", map[string]knownvalue.Check{
					"catalog_id": knownvalue.StringExact(finance), "origin_id": knownvalue.StringExact(emulator.SeedGroupFinanceID),
				}),
				querycheck.ExpectLength("entragov_catalog_resource.none", 0),
			},
		}},
	})
}

// A catalog Graph does not know ends the list with Graph's answer: status, code, message and request id.
func TestAccCatalogResourceList_unknownCatalog(t *testing.T) {
	e := acctest.NewEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   acctest.QueryVersionChecks,
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Query: true,
			Config: e.Config(`
list "entragov_catalog_resource" "gone" {
  provider = entragov
  config {
    catalog_id = "0d5c7c52-2f5c-4b8e-9a0e-3c1f5e2a7b90"
  }
}
`),
			ExpectError: acctest.ExpectError(`Unable to list catalog resources.*Microsoft Graph answered HTTP 404 with code \S+\..*request-id: \S+`),
		}},
	})
}
