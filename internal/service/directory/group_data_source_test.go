package directory_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

func TestAccGroupDataSource(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(`
data "entragov_group" "sales" {
  display_name = "Sales"
}

data "entragov_group" "dynamic" {
  id = "` + emulator.SeedGroupAllSalesDynamicID + `"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.entragov_group.sales", tfjsonpath.New("id"), knownvalue.StringExact(emulator.SeedGroupSalesID)),
				statecheck.ExpectKnownValue("data.entragov_group.sales", tfjsonpath.New("dynamic"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.entragov_group.sales", tfjsonpath.New("member_ids"), knownvalue.SetExact([]knownvalue.Check{
					knownvalue.StringExact(emulator.SeedUserAdeleID), knownvalue.StringExact(emulator.SeedUserIsaiahID),
				})),
				statecheck.ExpectKnownValue("data.entragov_group.dynamic", tfjsonpath.New("dynamic"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue("data.entragov_group.dynamic", tfjsonpath.New("membership_rule"), knownvalue.StringExact(`(user.department -eq "Sales")`)),
			},
		}, {
			Config: e.Config(`
data "entragov_group" "missing" {
  display_name = "No such group"
}
`),
			ExpectError: acctest.ExpectError(`Group not found`),
		}},
	})
}
