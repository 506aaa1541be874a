package entitlement_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
)

// Three organizations in pages of two: all, by name, by state and by domain (both applied by the
// provider), by domain with the resource, and none.
func TestAccConnectedOrganizationList_basic(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSmallPages)
	var fabrikam, northwind, tailspin acctest.IDCapture
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   acctest.QueryVersionChecks,
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(`
resource "entragov_connected_organization" "fabrikam" {
  display_name     = "Fabrikam"
  description      = "Design agency"
  identity_sources = [{ type = "domainIdentitySource", domain_name = "fabrikam.com", display_name = "Fabrikam" }]
}

resource "entragov_connected_organization" "northwind" {
  display_name     = "Northwind"
  state            = "proposed"
  identity_sources = [{ type = "domainIdentitySource", domain_name = "northwind.com", display_name = "Northwind" }]
}

resource "entragov_connected_organization" "tailspin" {
  display_name     = "Tailspin"
  state            = "proposed"
  identity_sources = [{ type = "domainIdentitySource", domain_name = "tailspin.com", display_name = "Tailspin" }]
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID("entragov_connected_organization.fabrikam", &fabrikam),
				acctest.CaptureID("entragov_connected_organization.northwind", &northwind),
				acctest.CaptureID("entragov_connected_organization.tailspin", &tailspin),
			},
		}, {
			Query: true,
			Config: e.QueryConfig(`
list "entragov_connected_organization" "all" {
  provider = entragov
}

list "entragov_connected_organization" "northwind" {
  provider = entragov
  config {
    display_name = "Northwind"
  }
}

list "entragov_connected_organization" "proposed" {
  provider = entragov
  config {
    state = "proposed"
  }
}

list "entragov_connected_organization" "fabrikam" {
  provider         = entragov
  include_resource = true
  config {
    domain = "FABRIKAM.com"
  }
}

list "entragov_connected_organization" "none" {
  provider = entragov
  config {
    display_name = "Fabrikam"
    state        = "proposed"
  }
}
`),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLengthAtLeast("entragov_connected_organization.all", 3),
				querycheck.ExpectIdentity("entragov_connected_organization.all", map[string]knownvalue.Check{"id": acctest.Captured(&fabrikam)}),
				querycheck.ExpectIdentity("entragov_connected_organization.all", map[string]knownvalue.Check{"id": acctest.Captured(&northwind)}),
				querycheck.ExpectIdentity("entragov_connected_organization.all", map[string]knownvalue.Check{"id": acctest.Captured(&tailspin)}),
				querycheck.ExpectLength("entragov_connected_organization.northwind", 1),
				querycheck.ExpectIdentity("entragov_connected_organization.northwind", map[string]knownvalue.Check{"id": acctest.Captured(&northwind)}),
				querycheck.ExpectLength("entragov_connected_organization.proposed", 2),
				querycheck.ExpectResourceDisplayName("entragov_connected_organization.proposed",
					queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": acctest.Captured(&tailspin)}),
					knownvalue.StringExact(e.Name("Tailspin"))),
				querycheck.ExpectLength("entragov_connected_organization.fabrikam", 1),
				querycheck.ExpectResourceKnownValues("entragov_connected_organization.fabrikam",
					queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": acctest.Captured(&fabrikam)}),
					[]querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("description"), KnownValue: knownvalue.StringExact("Design agency")},
						{Path: tfjsonpath.New("state"), KnownValue: knownvalue.StringExact("configured")},
						{Path: tfjsonpath.New("identity_sources").AtSliceIndex(0).AtMapKey("domain_name"), KnownValue: knownvalue.StringExact("fabrikam.com")},
						{Path: tfjsonpath.New("internal_sponsor_ids"), KnownValue: knownvalue.SetSizeExact(0)},
					}),
				querycheck.ExpectLength("entragov_connected_organization.none", 0),
			},
		}},
	})
}

// A domain that is no DNS name is refused with the attribute's path before any request.
func TestAccConnectedOrganizationList_invalidDomain(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   acctest.QueryVersionChecks,
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Query: true,
			Config: e.Config(`
list "entragov_connected_organization" "bad" {
  provider = entragov
  config {
    domain = "https://fabrikam.com"
  }
}
`),
			ExpectError: acctest.ExpectError(`Attribute domain must be a DNS name`),
		}},
	})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("an invalid list block reached the API: %d Graph requests", n)
	}
}
