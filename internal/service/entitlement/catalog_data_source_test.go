package entitlement_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

func TestAccCatalogDataSource_byID(t *testing.T) {
	e := acctest.NewEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(testAccCatalogConfig_full("Vendors", "Vendor resources", "unpublished", true), `
data "entragov_catalog" "test" {
  id = entragov_catalog.test.id
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs("data.entragov_catalog.test", tfjsonpath.New("id"), catalogAddress, tfjsonpath.New("id"), compareEqual),
				statecheck.ExpectKnownValue("data.entragov_catalog.test", tfjsonpath.New("display_name"), knownvalue.StringExact(e.Name("Vendors"))),
				statecheck.ExpectKnownValue("data.entragov_catalog.test", tfjsonpath.New("description"), knownvalue.StringExact("Vendor resources")),
				statecheck.ExpectKnownValue("data.entragov_catalog.test", tfjsonpath.New("state"), knownvalue.StringExact("unpublished")),
				statecheck.ExpectKnownValue("data.entragov_catalog.test", tfjsonpath.New("externally_visible"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.entragov_catalog.test", tfjsonpath.New("catalog_type"), knownvalue.StringExact("userManaged")),
			},
		}},
	})
}

func TestAccCatalogDataSource_byDisplayName(t *testing.T) {
	e := acctest.NewEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			// The built-in catalog every tenant has.
			Config: e.Config(`
data "entragov_catalog" "general" {
  display_name = "General"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.entragov_catalog.general", tfjsonpath.New("id"), knownvalue.StringRegexp(guidPattern)),
				statecheck.ExpectKnownValue("data.entragov_catalog.general", tfjsonpath.New("catalog_type"), knownvalue.StringExact("serviceDefault")),
				statecheck.ExpectKnownValue("data.entragov_catalog.general", tfjsonpath.New("state"), knownvalue.StringExact("published")),
			},
		}},
	})
}

func TestAccCatalogDataSource_ambiguousName(t *testing.T) {
	e := acctest.NewEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				// Two catalogs made outside Terraform share a name.
				for range 2 {
					if _, err := e.Client(t).CreateCatalog(acctest.Context(t), graph.CatalogCreate{DisplayName: e.Name("Shared name")}); err != nil {
						t.Fatal(err)
					}
					e.CreatedOutsideTerraform(1)
				}
			},
			Config: e.Config(`
data "entragov_catalog" "test" {
  display_name = "Shared name"
}
`),
			ExpectError: regexp.MustCompile(`(?s)More than one catalog matches.*` + wrapped(`2 catalogs are named "`+e.Name("Shared name")+`"`) + `:\s+[0-9a-f-]{36},\s+[0-9a-f-]{36}\.\s+Use id`),
		}, {
			Config: e.Config(`
data "entragov_catalog" "test" {
  display_name = "Nobody has this name"
}
`),
			ExpectError: acctest.ExpectError(`No catalog is named "` + e.Name("Nobody has this name") + `"`),
		}},
	})
}

func TestAccCatalogDataSource_invalidConfig(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      e.Config(`data "entragov_catalog" "test" {}`),
			ExpectError: regexp.MustCompile(`(?s)Missing Attribute Configuration.*Exactly one of these attributes must be configured: \[id,display_name\]`),
		}, {
			Config: e.Config(`
data "entragov_catalog" "test" {
  id           = "00000000-0000-0000-0000-000000000000"
  display_name = "General"
}
`),
			ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination`),
		}},
	})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}
