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

func TestAccAccessPackageAssignmentsDataSource(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(assignmentConfig(emulator.SeedUserAdeleID), `
data "entragov_access_package_assignments" "package" {
  access_package_id = entragov_access_package.test.id
  depends_on        = [entragov_access_package_assignment.test]
}

data "entragov_access_package_assignments" "user" {
  target_id  = "`+emulator.SeedUserAdeleID+`"
  state      = "delivered"
  depends_on = [entragov_access_package_assignment.test]
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.entragov_access_package_assignments.package", tfjsonpath.New("assignments"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.entragov_access_package_assignments.user", tfjsonpath.New("assignments").AtSliceIndex(0).AtMapKey("target_display_name"), knownvalue.StringExact("Adele Vance")),
				statecheck.CompareValuePairs("data.entragov_access_package_assignments.user", tfjsonpath.New("assignments").AtSliceIndex(0).AtMapKey("id"), assignmentAddress, tfjsonpath.New("id"), compareEqual),
			},
		}},
	})
}
