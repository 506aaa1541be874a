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

func TestAccUserDataSource(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(`
data "entragov_user" "by_id" {
  id = "` + emulator.SeedUserAlexID + `"
}

data "entragov_user" "by_upn" {
  user_principal_name = data.entragov_user.by_id.user_principal_name
}

data "entragov_user" "guest_by_mail" {
  mail = "ben@fabrikam.com"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.entragov_user.by_id", tfjsonpath.New("display_name"), knownvalue.StringExact("Alex Wilber")),
				statecheck.ExpectKnownValue("data.entragov_user.by_id", tfjsonpath.New("department"), knownvalue.StringExact("Marketing")),
				// Not in Graph's default property set: the data source must ask for it.
				statecheck.ExpectKnownValue("data.entragov_user.by_id", tfjsonpath.New("employee_leave_date_time"), knownvalue.StringRegexp(regexpPrefix("2027-06-30"))),
				statecheck.CompareValuePairs("data.entragov_user.by_upn", tfjsonpath.New("id"), "data.entragov_user.by_id", tfjsonpath.New("id"), compareSame),
				statecheck.ExpectKnownValue("data.entragov_user.guest_by_mail", tfjsonpath.New("id"), knownvalue.StringExact(emulator.SeedGuestBenID)),
				statecheck.ExpectKnownValue("data.entragov_user.guest_by_mail", tfjsonpath.New("user_type"), knownvalue.StringExact("Guest")),
				statecheck.ExpectKnownValue("data.entragov_user.guest_by_mail", tfjsonpath.New("company_name"), knownvalue.StringExact("Fabrikam")),
			},
		}, {
			Config: e.Config(`
data "entragov_user" "missing" {
  mail = "nobody@fabrikam.com"
}
`),
			ExpectError: acctest.ExpectError(`User not found.*No user has mail "nobody@fabrikam.com"`),
		}},
	})
}

func TestAccUserDataSource_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(`
data "entragov_user" "bad" {
  mail = "Ben Walters"
}
`),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(`must be an email address`),
		}, {
			Config: e.Config(`
data "entragov_user" "both" {
  id   = "` + emulator.SeedUserAlexID + `"
  mail = "alex@contoso.com"
}
`),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(`Invalid Attribute Combination`),
		}, {
			Config: e.Config(`
data "entragov_group" "bad" {
  id = "Sales"
}
`),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(`Invalid object id`),
		}},
	})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}
