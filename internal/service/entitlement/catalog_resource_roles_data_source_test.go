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

func TestAccCatalogResourceRolesDataSource(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(`
resource "entragov_catalog" "test" {
  display_name = "Partner apps"
}

resource "entragov_catalog_resource" "portal" {
  catalog_id    = entragov_catalog.test.id
  origin_system = "AadApplication"
  origin_id     = "` + emulator.SeedAppPartnerPortalSPID + `"
}

data "entragov_catalog_resource_roles" "portal" {
  catalog_id          = entragov_catalog.test.id
  catalog_resource_id = entragov_catalog_resource.portal.id
}

output "contributor_role" {
  value = one([for r in data.entragov_catalog_resource_roles.portal.roles : r.origin_id if r.display_name == "Contributor"])
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.entragov_catalog_resource_roles.portal", tfjsonpath.New("origin_system"), knownvalue.StringExact("AadApplication")),
				statecheck.ExpectKnownValue("data.entragov_catalog_resource_roles.portal", tfjsonpath.New("roles"), knownvalue.ListSizeExact(2)),
				statecheck.ExpectKnownOutputValue("contributor_role", knownvalue.StringExact(emulator.SeedAppPartnerPortalRoleContribID)),
			},
		}},
	})
}
