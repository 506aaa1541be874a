package entitlement_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
)

const partnerOrgsConfig = `
resource "entragov_connected_organization" "fabrikam" {
  display_name     = "Fabrikam"
  description      = "Design agency"
  state            = "configured"
  identity_sources = [{ type = "domainIdentitySource", domain_name = "Fabrikam.com" }]
}

resource "entragov_connected_organization" "northwind" {
  display_name     = "Northwind Traders"
  description      = "Supplier"
  state            = "proposed"
  identity_sources = [{ type = "azureActiveDirectoryTenant", tenant_id = "4A3B2C1D-0000-4000-8000-00000000abcd", display_name = "Northwind Traders" }]
}

# litwareinc.com belongs to a partner tenant the local API knows: Graph holds the tenant's source.
resource "entragov_connected_organization" "litware" {
  display_name     = "Litware"
  description      = "Consultants"
  state            = "configured"
  identity_sources = [{ type = "domainIdentitySource", domain_name = "litwareinc.com" }]
}
`

func stringsExact(values ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(values))
	for i, v := range values {
		checks[i] = knownvalue.StringExact(v)
	}
	return knownvalue.ListExact(checks)
}

func TestAccConnectedOrganizationsDataSource(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	all := "data.entragov_connected_organizations.all"
	orgs := tfjsonpath.New("connected_organizations")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoConnectedOrganizationsLeft(e),
		Steps: []resource.TestStep{{
			Config:      e.Config(`data "entragov_connected_organizations" "bad" { state = "Configured" }`),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(`(?s)state.*configured`),
		}, {
			PreConfig: func() {
				if n := e.GraphRequests(); n != 0 {
					t.Fatalf("an invalid configuration made %d Graph requests", n)
				}
			},
			// Before any exists: an empty list, not an error.
			Config: e.Config(`data "entragov_connected_organizations" "all" {}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(all, orgs, knownvalue.ListExact([]knownvalue.Check{})),
			},
		}, {
			Config: e.Config(partnerOrgsConfig),
		}, {
			Config: e.Config(partnerOrgsConfig, `
data "entragov_connected_organizations" "all" {}
data "entragov_connected_organizations" "proposed" {
  state = "proposed"
}
data "entragov_connected_organizations" "fabrikam" {
  display_name = "Fabrikam"
}
data "entragov_connected_organizations" "nobody" {
  display_name = "Nobody"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				// Ordered by display name.
				statecheck.ExpectKnownValue(all, orgs, knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.NotNull(), "display_name": knownvalue.StringExact("Fabrikam"), "state": knownvalue.StringExact("configured"),
						"domains": stringsExact("fabrikam.com"), "tenant_ids": stringsExact(),
					}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.NotNull(), "display_name": knownvalue.StringExact("Litware"), "state": knownvalue.StringExact("configured"),
						"domains": stringsExact(), "tenant_ids": stringsExact("b7d2e4f6-1a3c-4e5b-9d7f-0a2c4e6b8d1f"),
					}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.NotNull(), "display_name": knownvalue.StringExact("Northwind Traders"), "state": knownvalue.StringExact("proposed"),
						"domains": stringsExact(), "tenant_ids": stringsExact("4a3b2c1d-0000-4000-8000-00000000abcd"),
					}),
				})),
				statecheck.CompareValuePairs(all, orgs.AtSliceIndex(0).AtMapKey("id"), "entragov_connected_organization.fabrikam", tfjsonpath.New("id"), compare.ValuesSame()),
				statecheck.ExpectKnownValue("data.entragov_connected_organizations.proposed", orgs, knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"display_name": knownvalue.StringExact("Northwind Traders")}),
				})),
				statecheck.ExpectKnownValue("data.entragov_connected_organizations.fabrikam", orgs, knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"display_name": knownvalue.StringExact("Fabrikam"), "domains": stringsExact("fabrikam.com")}),
				})),
				statecheck.ExpectKnownValue("data.entragov_connected_organizations.nobody", orgs, knownvalue.ListExact([]knownvalue.Check{})),
			},
		}},
	})
}
