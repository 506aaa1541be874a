package entitlement_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
)

// A question's id follows the question, not its position: a question inserted first gets a new id while
// the ones after it keep theirs, an appended question gets a new id, an edited one keeps its id, and a
// removed one takes its id with it.
func TestAccAssignmentPolicy_questionIDsFollowQuestions(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	question := map[string]string{
		"code":   `{ type = "accessPackageTextInputQuestion", text = "Project code?", required = true }`,
		"office": `{ type = "accessPackageMultipleChoiceQuestion", text = "Which office?", choices = [{ actual_value = "SEA", text = "Seattle" }] }`,
		"reason": `{ type = "accessPackageTextInputQuestion", text = "Why do you need access?" }`,
		"end":    `{ type = "accessPackageTextInputQuestion", text = "Until when?", answer_editable = true }`,
		// "code" reworded: same type and settings, new text.
		"code2": `{ type = "accessPackageTextInputQuestion", text = "Project code (e.g. FA-0042)?", required = true }`,
	}
	config := func(names ...string) string {
		var qs []string
		for _, n := range names {
			qs = append(qs, question[n])
		}
		return e.Config(policyConfig(fmt.Sprintf(`
  display_name         = "Question ids"
  allowed_target_scope = "allMemberUsers"
  requestor_settings   = { enable_targets_to_self_add_access = true }
  questions            = [%s]
`, strings.Join(qs, ",\n    "))))
	}
	id := func(i int) tfjsonpath.Path { return tfjsonpath.New("questions").AtSliceIndex(i).AtMapKey("id") }
	code, office := statecheck.CompareValue(compare.ValuesSame()), statecheck.CompareValue(compare.ValuesSame())
	reason := statecheck.CompareValue(compare.ValuesSame())
	update := resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(policyAddress, plancheck.ResourceActionUpdate)},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoPoliciesLeft(e),
		Steps: []resource.TestStep{{
			Config: config("code", "office"),
			ConfigStateChecks: []statecheck.StateCheck{
				code.AddStateValue(policyAddress, id(0)), office.AddStateValue(policyAddress, id(1)),
			},
		}, {
			// Inserted first: the new question is planned with an unknown id, the others keep theirs.
			Config: config("reason", "code", "office"),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(policyAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(policyAddress, id(0)),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				code.AddStateValue(policyAddress, id(1)), office.AddStateValue(policyAddress, id(2)),
				reason.AddStateValue(policyAddress, id(0)),
				statecheck.CompareValuePairs(policyAddress, id(0), policyAddress, id(1), compare.ValuesDiffer()),
			},
		}, {
			// Appended, and the first question reworded: the new one is unknown, the reworded one keeps its id.
			Config: config("reason", "code2", "office", "end"),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(policyAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(policyAddress, id(3)),
				},
				PostApplyPostRefresh: update.PostApplyPostRefresh,
			},
			ConfigStateChecks: []statecheck.StateCheck{
				reason.AddStateValue(policyAddress, id(0)), code.AddStateValue(policyAddress, id(1)),
				office.AddStateValue(policyAddress, id(2)),
				statecheck.ExpectKnownValue(policyAddress, id(3), knownvalue.StringRegexp(guidPattern)),
			},
		}, {
			// Removed from the middle and reordered: each remaining question keeps its id.
			Config:           config("office", "reason"),
			ConfigPlanChecks: update,
			ConfigStateChecks: []statecheck.StateCheck{
				office.AddStateValue(policyAddress, id(0)), reason.AddStateValue(policyAddress, id(1)),
			},
		}, {
			ResourceName: policyAddress, ImportState: true, ImportStateVerify: true,
		}},
	})
}
