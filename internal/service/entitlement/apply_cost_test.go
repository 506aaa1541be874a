package entitlement_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

const applyCostConfig = `
resource "entragov_catalog" "test" {
  display_name = "Cost"
}

resource "entragov_catalog_resource" "group" {
  catalog_id    = entragov_catalog.test.id
  origin_system = "AadGroup"
  origin_id     = %q
}

resource "entragov_access_package" "test" {
  catalog_id   = entragov_catalog.test.id
  display_name = "Cost package"
}

resource "entragov_access_package_resource_role_scope" "member" {
  access_package_id   = entragov_access_package.test.id
  catalog_resource_id = entragov_catalog_resource.group.id
  role_origin_id      = "Member_%s"
}

resource "entragov_assignment_policy" "direct" {
  access_package_id = entragov_access_package.test.id
  display_name      = "Direct"
  description       = "Administrators assign"
}

resource "entragov_connected_organization" "partner" {
  display_name     = "Cost partner"
  identity_sources = [{ type = "domainIdentitySource", domain_name = "cost.example.com", display_name = "Cost" }]
}
`

// The requests of a first apply, per route: each create is confirmed by consecutive reads, nothing it
// already answered is read again, and names in a parent this apply created are not looked up in Graph
// (prevent_duplicate_names, on by default, still looks up the catalog's and the organization's names).
func TestAccApplyCost_createRequests(t *testing.T) {
	if acctest.FaultsEnabled() {
		t.Skip("the counts assume no injected faults: retries and lost answers add requests")
	}
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	group := emulator.SeedGroupSalesID
	const em = "/v1.0/identityGovernance/entitlementManagement"
	want := map[string]int{
		"POST " + em + "/catalogs": 1,
		// prevent_duplicate_names: the catalog's name is looked up before and after its create.
		"GET " + em + "/catalogs":      2,
		"GET " + em + "/catalogs/{id}": 2, // the create's two confirming reads
		// The catalog resource's two confirming reads; the role scope takes the roles they read.
		"GET " + em + "/catalogs/{id}/resources": 2,
		// One look-up of the package's name, after its create: the catalog is this apply's own, so none
		// before it.
		"GET " + em + "/catalogs/{id}/accessPackages": 1,
		// The package's two confirming reads (no read after them), the role scope's two confirming
		// reads (it knows the package's catalog from the package's create), and one look-up of the
		// policy's name among the package's policies ($expand=assignmentPolicies), after its create: the
		// package is this apply's own, so none before it.
		"GET " + em + "/accessPackages/{id}":     5,
		"GET " + em + "/assignmentPolicies":      0,
		"GET " + em + "/assignmentPolicies/{id}": 2,
		"GET " + em + "/connectedOrganizations":  2,
		// The organization's two confirming reads, and no sponsor list: it was created without sponsors.
		"GET " + em + "/connectedOrganizations/{id}":                  2,
		"GET " + em + "/connectedOrganizations/{id}/internalSponsors": 0,
		"GET " + em + "/connectedOrganizations/{id}/externalSponsors": 0,
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(fmt.Sprintf(applyCostConfig, group, group)),
			Check: func(*terraform.State) error {
				got := e.Server.RequestCount().ByRoute
				for route, n := range want {
					if got[route] != n {
						return fmt.Errorf("%s: want %d requests, got %d (all: %v)", route, n, got[route], got)
					}
				}
				return nil
			},
		}},
	})
}

// Two packages with one name in a catalog the apply creates: the first claims the name without a
// look-up, the second is looked up in Graph as before and refused.
func TestAccApplyCost_duplicateNameInFreshCatalog(t *testing.T) {
	e := acctest.NewEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(`
resource "entragov_catalog" "test" {
  display_name = "Twins"
}

resource "entragov_access_package" "first" {
  catalog_id   = entragov_catalog.test.id
  display_name = "Twin"
}

resource "entragov_access_package" "second" {
  catalog_id   = entragov_catalog.test.id
  display_name = "Twin"
  depends_on   = [entragov_access_package.first]
}
`),
			ExpectError: regexp.MustCompile(`(?s)An object with this name already exists.*` + wrapped(`an access package named "`+e.Name("Twin")+`"`)),
		}},
	})
}
