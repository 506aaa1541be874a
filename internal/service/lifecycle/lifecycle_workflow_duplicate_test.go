package lifecycle_test

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// A workflow made moments before the apply (what an apply killed just before this one leaves; issue 13,
// item 7) is not listed yet when the apply looks its name up, and Graph refuses the create because the
// name is taken: the apply names the import instead of only repeating Graph's refusal, and makes nothing.
func TestAccLifecycleWorkflow_nameTakenBeforeListed(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	// Longer than the apply takes to reach the create, however slow the machine.
	e.Server.SetFaults(emulator.Faults{ReadAfterCreateDelay: 15 * time.Second})
	countWorkflows := func() int {
		workflows, err := e.Server.ListObjects("workflows")
		if err != nil {
			t.Fatal(err)
		}
		return len(workflows)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				_, err := e.Client(t).CreateWorkflow(context.Background(), graph.WorkflowDefinition{
					Category: "leaver", DisplayName: "Late leavers", IsEnabled: true,
					ExecutionConditions: &graph.ExecutionConditions{
						Type:    graph.ConditionsTriggerAndScope,
						Scope:   &graph.WorkflowScope{Type: graph.ScopeRuleBased, Rule: "(department eq 'Late')"},
						Trigger: &graph.WorkflowTrigger{Type: graph.TriggerTimeBasedAttribute, TimeBasedAttribute: "employeeLeaveDateTime"},
					},
					Tasks: []graph.WorkflowTask{{DisplayName: "Revoke sessions", TaskDefinitionID: "509589a4-0466-4471-829e-49c5e502bdee", IsEnabled: true}},
				})
				if err != nil {
					t.Fatal(err)
				}
				e.CreatedOutsideTerraform(1)
			},
			Config: e.Config(workflowConfig(`
  category     = "leaver"
  display_name = "Late leavers"
  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "ruleBasedSubjectSet", rule = "(department eq 'Late')" }
    trigger = { type = "timeBasedAttributeTrigger", time_based_attribute = "employeeLeaveDateTime", offset_in_days = 0 }
  }
  tasks = [{ task_definition_id = "509589a4-0466-4471-829e-49c5e502bdee", display_name = "Revoke sessions" }]
  permanently_delete_on_destroy = true
`)),
			ExpectError: acctest.ExpectError(`An object with this name already exists.*a lifecycle workflow named "Late leavers".*` +
				`Graph refused the create: A workflow with the same display name already exists.*to = entragov_lifecycle_workflow\.<name>`),
		}},
	})
	if n := countWorkflows(); n != 1 {
		t.Fatalf("the API holds %d workflows after the refused apply, want only the one made before it", n)
	}
}
