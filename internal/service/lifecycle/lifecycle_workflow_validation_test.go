package lifecycle_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// validWorkflow is a correct joiner workflow; each invalid case edits one part of it.
const validWorkflow = `
  category     = "joiner"
  display_name = "Invalid case"
  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "ruleBasedSubjectSet", rule = "(department eq 'Sales')" }
    trigger = { type = "timeBasedAttributeTrigger", time_based_attribute = "employeeHireDate", offset_in_days = -7 }
  }
  tasks = [
    { task_definition_id = "70b29d51-b59a-4773-9280-8841dfd3f2ea", display_name = "Welcome" },
    { task_definition_id = "22085229-5809-45e8-97fd-270d28d66910", display_name = "Groups", arguments = { groupID = "GROUP" } },
  ]
`

func invalid(replacements ...string) string {
	body := strings.ReplaceAll(validWorkflow, "GROUP", emulator.SeedGroupSalesID)
	for i := 0; i+1 < len(replacements); i += 2 {
		if !strings.Contains(body, replacements[i]) {
			panic("invalid case does not apply: " + replacements[i])
		}
		body = strings.Replace(body, replacements[i], replacements[i+1], 1)
	}
	return body
}

const (
	hireTrigger = `trigger = { type = "timeBasedAttributeTrigger", time_based_attribute = "employeeHireDate", offset_in_days = -7 }`
	ruleScope   = `scope   = { type = "ruleBasedSubjectSet", rule = "(department eq 'Sales')" }`
	welcomeTask = `{ task_definition_id = "70b29d51-b59a-4773-9280-8841dfd3f2ea", display_name = "Welcome" }`
	groupsArgs  = `arguments = { groupID = "` + emulator.SeedGroupSalesID + `" }`
)

func manyTasks(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "    { task_definition_id = %q, display_name = \"Task %d\" },\n", taskSendWelcomeEmail, i)
	}
	return b.String()
}

func TestAccLifecycleWorkflow_invalidConfigurations(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"category", invalid(`category     = "joiner"`, `category     = "onboarding"`), `Attribute category value must be one of`},
		{"empty name", invalid(`display_name = "Invalid case"`, `display_name = ""`), `Attribute display_name string length must be at least 1`},
		{"conditions type", invalid(`type    = "triggerAndScopeBasedConditions"`, `type    = "scheduled"`), `Attribute execution_conditions.type value must be one of`},
		{"scope missing", invalid(ruleScope, ``), `Attribute execution_conditions.scope: triggerAndScopeBasedConditions needs a scope`},
		{"trigger missing", invalid(hireTrigger, ``), `Attribute execution_conditions.trigger: triggerAndScopeBasedConditions needs a trigger`},
		{"on demand with scope", invalid(`type    = "triggerAndScopeBasedConditions"`, `type    = "onDemandExecutionOnly"`), `Attribute execution_conditions.scope: an onDemandExecutionOnly workflow`},
		{"on demand scheduled", invalid(`type    = "triggerAndScopeBasedConditions"`, `type = "onDemandExecutionOnly"`, ruleScope, ``, hireTrigger, ``, `category     = "joiner"`, `category = "joiner"
  scheduling_enabled = true`), `Attribute scheduling_enabled: an onDemandExecutionOnly workflow runs only on demand`},
		{"scheduling disabled workflow", invalid(`category     = "joiner"`, `category = "joiner"
  enabled            = false
  scheduling_enabled = true`), `Attribute scheduling_enabled: scheduling_enabled = true needs enabled = true`},
		{"rule syntax", invalid(`(department eq 'Sales')`, `(department eq 'Sales'`), `Attribute execution_conditions.scope.rule: the rule .* is not valid at position 23`},
		{"rule property", invalid(`(department eq 'Sales')`, `(departmnt eq 'Sales')`), `Attribute execution_conditions.scope.rule: .*position 2: "departmnt" is not a user property`},
		{"rule double quotes", invalid(`rule = "(department eq 'Sales')"`, `rule = "(department eq \"Sales\")"`), `Attribute execution_conditions.scope.rule: .*single quotes`},
		{"rule missing", invalid(`, rule = "(department eq 'Sales')"`, ``), `Attribute execution_conditions.scope.rule: a ruleBasedSubjectSet scope needs rule`},
		{"groups on a rule scope", invalid(`rule = "(department eq 'Sales')"`, `rule = "(department eq 'Sales')", group_ids = ["`+emulator.SeedGroupSalesID+`"]`), `Attribute execution_conditions.scope.group_ids: group_ids belongs to groupBasedSubjectSet`},
		{"group scope without groups", invalid(ruleScope, `scope   = { type = "groupBasedSubjectSet" }`), `Attribute execution_conditions.scope.group_ids: a groupBasedSubjectSet scope needs group_ids`},
		{"group id not a GUID", invalid(ruleScope, `scope   = { type = "groupBasedSubjectSet", group_ids = ["sales"] }`), `Attribute execution_conditions.scope.group_ids\[0\] value "sales" is not a GUID`},
		{"offset too early", invalid(`offset_in_days = -7`, `offset_in_days = -181`), `Attribute execution_conditions.trigger.offset_in_days value must be between -180 and 180`},
		{"offset too late", invalid(`offset_in_days = -7`, `offset_in_days = 365`), `Attribute execution_conditions.trigger.offset_in_days value must be between -180 and 180`},
		{"offset missing", invalid(`, offset_in_days = -7`, ``), `Attribute execution_conditions.trigger.offset_in_days: a timeBasedAttributeTrigger trigger needs offset_in_days`},
		{"time attribute", invalid(`"employeeHireDate"`, `"birthday"`), `Attribute execution_conditions.trigger.time_based_attribute value must be one of`},
		{"field of another trigger", invalid(`offset_in_days = -7`, `offset_in_days = -7, change_type = "add"`), `Attribute execution_conditions.trigger.change_type: change_type belongs to another trigger type`},
		{"membership trigger with rule scope", invalid(hireTrigger, `trigger = { type = "membershipChangeTrigger", change_type = "add" }`), `Attribute execution_conditions.trigger.type: a membershipChangeTrigger fires when users join or leave`},
		{"change type", invalid(ruleScope, `scope = { type = "groupBasedSubjectSet", group_ids = ["`+emulator.SeedGroupSalesID+`"] }`, hireTrigger, `trigger = { type = "membershipChangeTrigger", change_type = "moved" }`), `Attribute execution_conditions.trigger.change_type value must be one of`},
		{"trigger attribute", invalid(hireTrigger, `trigger = { type = "attributeChangeTrigger", trigger_attributes = ["favouriteColour"] }`), `Attribute execution_conditions.trigger.trigger_attributes\[0\]: "favouriteColour" is not a user attribute`},
		{"inactivity", invalid(hireTrigger, `trigger = { type = "userInactivityTrigger", inactivity_period_in_days = 0 }`), `Attribute execution_conditions.trigger.inactivity_period_in_days value must be at least 1`},
		{"no tasks", invalid(welcomeTask+",", ``, `{ task_definition_id = "22085229-5809-45e8-97fd-270d28d66910", display_name = "Groups", `+groupsArgs+` },`, ``), `Attribute tasks list must contain at least 1 elements`},
		{"too many tasks", invalid(welcomeTask+",", manyTasks(25)), `Attribute tasks list must contain at least 1 elements and at most 25 elements`},
		{"definition id not a GUID", invalid(`"70b29d51-b59a-4773-9280-8841dfd3f2ea"`, `"welcome"`), `Attribute tasks\[0\].task_definition_id value "welcome" is not a GUID`},
		{"unknown definition", invalid(`"70b29d51-b59a-4773-9280-8841dfd3f2ea"`, `"00000000-0000-0000-0000-000000000001"`), `Attribute tasks\[0\].task_definition_id: 00000000-0000-0000-0000-000000000001 is not a built-in task definition. The joiner tasks are: .*Send welcome email`},
		{"leaver task in a joiner workflow", invalid(`"70b29d51-b59a-4773-9280-8841dfd3f2ea"`, `"`+taskDeleteUserAccount+`"`), `Attribute tasks\[0\].task_definition_id: the task "Delete user account" is for leaver workflows, not joiner`},
		{"required argument", invalid(groupsArgs, ``), `Attribute tasks\[1\].arguments: the task "Add user to groups" needs the argument groupID`},
		{"unknown argument", invalid(groupsArgs, `arguments = { groupID = "`+emulator.SeedGroupSalesID+`", groupId = "x" }`), `Attribute tasks\[1\].arguments: the task "Add user to groups" has no argument "groupId"; its arguments are groupID`},
		{"argument of a task without arguments", invalid(`category     = "joiner"`, `category = "leaver"`, welcomeTask, `{ task_definition_id = "`+taskRemoveAllAPAssignment+`", display_name = "Welcome", arguments = { force = "true" } }`), `Attribute tasks\[0\].arguments: the task "Remove all access package assignments for user" takes no arguments`},
		{"group argument not GUIDs", invalid(groupsArgs, `arguments = { groupID = "Sales, Marketing" }`), `Attribute tasks\[1\].arguments\["groupID"\]: the argument groupID takes comma-separated object ids`},
		{"enum argument", invalid(welcomeTask, `{ task_definition_id = "`+taskGenerateTAP+`", display_name = "Welcome", arguments = { tapIsUsableOnce = "yes" } }`), `Attribute tasks\[0\].arguments\["tapIsUsableOnce"\]: the argument tapIsUsableOnce takes "true" or "false"`},
		{"int argument range", invalid(welcomeTask, `{ task_definition_id = "`+taskGenerateTAP+`", display_name = "Welcome", arguments = { tapLifetimeMinutes = "5" } }`), `Attribute tasks\[0\].arguments\["tapLifetimeMinutes"\]: the argument tapLifetimeMinutes must be between 10 and 43000`},
		{"int argument type", invalid(welcomeTask, `{ task_definition_id = "`+taskGenerateTAP+`", display_name = "Welcome", arguments = { tapLifetimeMinutes = "an hour" } }`), `Attribute tasks\[0\].arguments\["tapLifetimeMinutes"\]: the argument tapLifetimeMinutes takes a whole number`},
		{"access package arguments", invalid(welcomeTask, `{ task_definition_id = "`+taskRequestAccessPackage+`", display_name = "Welcome", arguments = { accessPackageId = "`+emulator.SeedGroupSalesID+`" } }`), `Attribute tasks\[0\].arguments: the task "Request user access package assignment" needs the argument assignmentPolicyId`},
		{"duplicate task names", invalid(`display_name = "Groups"`, `display_name = "welcome"`), `Attribute tasks\[1\].display_name: tasks\[0\] is also named "welcome"`},
	}
	if len(cases) < 25 {
		t.Fatalf("only %d invalid cases", len(cases))
	}
	e := acctest.NewEmulator(t)
	steps := make([]resource.TestStep, 0, len(cases))
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      e.Config(workflowConfig(c.body)),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(c.want),
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
	// Validation happens before any call: the emulator must not have seen a single Graph request.
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}
