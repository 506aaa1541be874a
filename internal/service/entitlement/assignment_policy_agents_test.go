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

// allDirectoryAgentIdentities is a member of the v1.0 allowedTargetScope enum (before unknownFutureValue,
// so Graph returns it without the Prefer header): a policy with it applies, reads and imports.
func TestAccAssignmentPolicy_agentIdentityScope(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoPoliciesLeft(e),
		Steps: []resource.TestStep{{
			Config: e.Config(policyConfig(`
  display_name         = "Agents"
  allowed_target_scope = "allDirectoryAgentIdentities"
  expiration           = { type = "afterDuration", duration = "P365D" }
`)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("allowed_target_scope"), knownvalue.StringExact("allDirectoryAgentIdentities")),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			ResourceName: policyAddress, ImportState: true, ImportStateVerify: true,
		}},
	})
}

// The sponsors or owners of an agent identity request on its behalf and approve: the subject set type
// plans in both places, and takes no field.
func TestAccAssignmentPolicy_agentIdentitySponsorsPlan(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSeededDirectory)
	body := fmt.Sprintf(`
  display_name         = "Agents, sponsor requested"
  allowed_target_scope = "allDirectoryAgentIdentities"
  requestor_settings = {
    enable_on_behalf_requestors_to_add_access = true
    on_behalf_requestors                      = [{ type = "targetAgentIdentitySponsorsOrOwners" }]
  }
  request_approval_settings = {
    approval_required_for_add = true
    stages = [{
      duration_before_automatic_denial = "P14D"
      primary_approvers                = [{ type = "targetAgentIdentitySponsorsOrOwners" }]
      fallback_primary_approvers       = [{ type = "singleUser", user_id = %q }]
    }]
  }
`, emulator.SeedUserPattiID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(policyConfig(body)), PlanOnly: true, ExpectNonEmptyPlan: true,
		}, {
			Config:      e.Config(policyConfig(`display_name = "x"` + "\n" + `requestor_settings = { on_behalf_requestors = [{ type = "targetAgentIdentitySponsorsOrOwners", user_id = "` + emulator.SeedUserPattiID + `" }] }`)),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(`user_id is not used by type "targetAgentIdentitySponsorsOrOwners"`),
		}},
	})
}

func TestAccAssignmentPolicy_agentIdentitySponsorsApply(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoPoliciesLeft(e),
		Steps: []resource.TestStep{{
			Config: e.Config(policyConfig(`
  display_name         = "Agents, sponsor requested"
  allowed_target_scope = "allDirectoryAgentIdentities"
  requestor_settings = {
    enable_on_behalf_requestors_to_add_access = true
    on_behalf_requestors                      = [{ type = "targetAgentIdentitySponsorsOrOwners" }]
  }
`)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			ResourceName: policyAddress, ImportState: true, ImportStateVerify: true,
		}},
	})
}
