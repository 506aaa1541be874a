package entitlement_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
)

// The azuread provider's annual reviews are stored by Graph as an absoluteYearly pattern with month 0
// (the month comes from the schedule's start). A configuration written that way plans, applies, reads
// back unchanged and imports.
func TestAccAssignmentPolicy_annualReviewWithoutMonth(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	pattern := tfjsonpath.New("review_settings").AtMapKey("schedule").AtMapKey("recurrence").AtMapKey("pattern")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoPoliciesLeft(e),
		Steps: []resource.TestStep{{
			Config: e.Config(policyConfig(`
  display_name         = "Reviewed every year"
  allowed_target_scope = "allMemberUsers"
  requestor_settings   = { enable_targets_to_self_add_access = true }
  review_settings = {
    expiration_behavior = "keepAccess"
    self_review         = true
    schedule = {
      start_date_time = "2027-03-15T00:00:00Z"
      duration        = "P14D"
      recurrence      = { pattern = { type = "absoluteYearly", interval = 1, month = 0 } }
    }
  }
`)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(policyAddress, pattern.AtMapKey("type"), knownvalue.StringExact("absoluteYearly")),
				statecheck.ExpectKnownValue(policyAddress, pattern.AtMapKey("month"), knownvalue.Int64Exact(0)),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			ResourceName: policyAddress, ImportState: true, ImportStateVerify: true,
		}},
	})
}
