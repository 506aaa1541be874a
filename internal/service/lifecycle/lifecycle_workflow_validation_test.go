package lifecycle_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
	"github.com/entragov/terraform-provider-entragov/internal/service/lifecycle"
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
		{"required argument", invalid(groupsArgs, ``), `Attribute tasks\[1\].arguments: the task "Add user to groups" needs the argument groupID`},
		{"argument given twice", invalid(groupsArgs, `arguments = { groupID = "`+emulator.SeedGroupSalesID+`", groupId = "x" }`), `Attribute tasks\[1\].arguments\["groupId"\]: "groupID" and "groupId" name the same argument`},
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
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
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

// What the tenant's task definitions decide is refused at plan, with the attribute path and the
// tenant's list, after one read of GET .../taskDefinitions and nothing else.
func TestAccLifecycleWorkflow_tenantTaskDefinitions(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"definition unknown to the tenant and to the provider", invalid(`"70b29d51-b59a-4773-9280-8841dfd3f2ea"`, `"00000000-0000-0000-0000-000000000001"`),
			`Attribute tasks\[0\].task_definition_id: 00000000-0000-0000-0000-000000000001 is not one of the tenant's task definitions. The joiner tasks are: .*70b29d51-b59a-4773-9280-8841dfd3f2ea \(Send welcome email\)`},
		{"leaver task in a joiner workflow", invalid(`"70b29d51-b59a-4773-9280-8841dfd3f2ea"`, `"`+taskDeleteUserAccount+`"`),
			`Attribute tasks\[0\].task_definition_id: the task "Delete user account" is for leaver workflows, not joiner \(the tenant's task definitions\)`},
		{"unknown argument", invalid(groupsArgs, `arguments = { groupID = "`+emulator.SeedGroupSalesID+`", groupIDs = "x" }`),
			`Attribute tasks\[1\].arguments: the task "Add user to groups" has no argument "groupIDs"; its arguments are groupID \(the tenant's task definitions`},
		{"argument of a task without arguments", invalid(`category     = "joiner"`, `category = "leaver"`, welcomeTask, `{ task_definition_id = "`+taskRemoveAllAPAssignment+`", display_name = "Welcome", arguments = { force = "true" } }`),
			`Attribute tasks\[0\].arguments: the task "Remove all access package assignments for user" takes no arguments \(the tenant's task definitions\)`},
	}
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	steps := make([]resource.TestStep, 0, len(cases))
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      e.Config(workflowConfig(c.body)),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(c.want),
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
	// Only the tenant's list was read: at most once per plan (one provider process each), nothing written.
	// Under make testfaults a throttled or failed read is sent again, so the answers injected as faults
	// are not reads of their own.
	const listRoute = "GET /v1.0/identityGovernance/lifecycleWorkflows/taskDefinitions"
	stats := e.Server.RequestCount()
	faults := e.Server.FaultCounts()
	n := e.GraphRequests()
	if reads := n - faults.Throttled - faults.ServerErrors; n != stats.ByRoute[listRoute] || reads < 1 || reads > len(steps) {
		t.Errorf("want 1 to %d reads, all %s; got %d requests (%d answered with an injected fault) of %v",
			len(steps), listRoute, n, faults.Throttled+faults.ServerErrors, stats.ByRoute)
	}
}

// A task definition only the tenant has (as one Microsoft adds to the service after the provider's
// built-in list was written would be) is checked against the tenant's GET .../taskDefinitions: a
// workflow using it applies and re-plans empty, and a value the tenant's definition does not allow is
// refused at plan with the tenant's values. The local API holds the extra definition through
// emulator.Server.PutTaskDefinition (internal/emulator/taskdefinitions_control.go).
func TestAccLifecycleWorkflow_tenantOnlyTaskDefinition(t *testing.T) {
	const notifyID = "a5c1e0d2-7b3f-4c8e-9d6a-2f4b8e1c3d70"
	for _, d := range lifecycle.BuiltInTaskDefinitions() {
		if strings.EqualFold(d.ID, notifyID) {
			t.Fatalf("%s is in the provider's built-in list; the test needs a definition only the tenant has", notifyID)
		}
	}
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	err := e.Server.PutTaskDefinition(emulator.TaskDefinition{
		ID: notifyID, DisplayName: "Notify someone", Description: "Notify someone of the new hire", Categories: []string{"joiner"},
		Parameters: []emulator.TaskParameter{{Name: "notifyWho", Values: []string{"User", "Managers", "Sponsors"}, ValueType: "enum", Required: true}},
	})
	if err != nil {
		t.Fatal(err)
	}
	notify := func(who string) string {
		return invalid(welcomeTask, `{ task_definition_id = "`+notifyID+`", display_name = "Notify", arguments = { notifyWho = "`+who+`" } }`)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: e.Config(workflowConfig(notify("Managers"))),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("entragov_lifecycle_workflow.test", tfjsonpath.New("tasks").AtSliceIndex(0).AtMapKey("task_definition_id"),
						knownvalue.StringExact(notifyID)),
					statecheck.ExpectKnownValue("entragov_lifecycle_workflow.test", tfjsonpath.New("tasks").AtSliceIndex(0).AtMapKey("arguments").AtMapKey("notifyWho"),
						knownvalue.StringExact("Managers")),
					acctest.ExistsInAPI("entragov_lifecycle_workflow.test", func(ctx context.Context, id string) error {
						w, err := e.Client(t).GetWorkflow(ctx, id)
						if err != nil {
							return err
						}
						task := w.Tasks[0]
						if !strings.EqualFold(task.TaskDefinitionID, notifyID) || len(task.Arguments) != 1 ||
							task.Arguments[0] != (graph.KeyValuePair{Name: "notifyWho", Value: "Managers"}) {
							return fmt.Errorf("first task in the API: %+v", task)
						}
						return nil
					}),
				},
			},
			{
				Config:      e.Config(workflowConfig(notify("Everyone"))),
				PlanOnly:    true,
				ExpectError: acctest.ExpectError(`Attribute tasks\[0\].arguments\["notifyWho"\]: the argument notifyWho takes one of User, Managers, Sponsors`),
			},
		},
	})
}

// Argument names compare case-insensitively, as in Microsoft's reference (CustomTaskExtensionID on
// https://learn.microsoft.com/graph/identitygovernance-lifecycleworkflows-task-arguments,
// customTaskExtensionID in the API's list response): another spelling is accepted, applied, and stays
// the user's in state, with an empty plan afterwards.
func TestAccLifecycleWorkflow_argumentNameCase(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSeededDirectory)
	upper := invalid(`groupID = "`, `GroupId = "`)
	extension := invalid(welcomeTask, `{ task_definition_id = "4262b724-8dba-4fad-afc3-43fcbb497a0e", display_name = "Welcome", arguments = { CustomTaskExtensionID = "0b1f6a44-9ab8-4c3e-8f3d-1f2e3d4c5b6a" } }`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: e.Config(workflowConfig(upper)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("entragov_lifecycle_workflow.test", tfjsonpath.New("tasks").AtSliceIndex(1).AtMapKey("arguments").AtMapKey("GroupId"),
						knownvalue.StringExact(emulator.SeedGroupSalesID)),
					acctest.ExistsInAPI("entragov_lifecycle_workflow.test", func(ctx context.Context, id string) error {
						w, err := e.Client(t).GetWorkflow(ctx, id)
						if err != nil {
							return err
						}
						// The local API answers the definition's spelling, so state keeping "GroupId" is the
						// provider's doing (flattenArguments), not an echo.
						if args := w.Tasks[1].Arguments; len(args) != 1 || args[0].Name != "groupID" {
							return fmt.Errorf("arguments in the API: %+v, want the definition's spelling groupID", args)
						}
						return nil
					}),
				},
			},
			{Config: e.Config(workflowConfig(extension)), PlanOnly: true, ExpectNonEmptyPlan: true},
		},
	})
}

// terraform validate calls ValidateResourceConfig on a provider that is not configured: a task
// definition the built-in list does not know is a warning on its attribute, never an error, and an
// argument name in another case passes.
func TestAccLifecycleWorkflow_validateWithoutProvider(t *testing.T) {
	ctx := context.Background()
	server, err := acctest.ProtoV6ProviderFactories[acctest.ProviderName]()
	if err != nil {
		t.Fatal(err)
	}
	const typeName = "entragov_lifecycle_workflow"
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || schemas.ResourceSchemas[typeName] == nil {
		t.Fatalf("schema: %v %v", err, schemas.Diagnostics)
	}
	validate := func(definitionID, arguments string) []*tfprotov6.Diagnostic {
		t.Helper()
		config := fmt.Sprintf(`{"category":"joiner","display_name":"Validate","execution_conditions":{"type":"triggerAndScopeBasedConditions",`+
			`"scope":{"type":"ruleBasedSubjectSet","rule":"(department eq 'Sales')"},`+
			`"trigger":{"type":"timeBasedAttributeTrigger","time_based_attribute":"employeeHireDate","offset_in_days":-7}},`+
			`"tasks":[{"task_definition_id":%q,"display_name":"Task","arguments":%s}]}`, definitionID, arguments)
		resp, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{
			TypeName: typeName, Config: &tfprotov6.DynamicValue{JSON: []byte(config)},
		})
		if err != nil {
			t.Fatal(err)
		}
		return resp.Diagnostics
	}

	diags := validate("00000000-0000-0000-0000-000000000001", `{}`)
	if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning || diags[0].Summary != "Unknown task definition" ||
		diags[0].Attribute.String() != tftypes.NewAttributePath().WithAttributeName("tasks").WithElementKeyInt(0).WithAttributeName("task_definition_id").String() ||
		!strings.Contains(diags[0].Detail, "70b29d51-b59a-4773-9280-8841dfd3f2ea (Send welcome email)") {
		t.Errorf("unknown definition: want one warning on tasks[0].task_definition_id listing the built-in ids, got %s", describe(diags))
	}
	if diags := validate("22085229-5809-45e8-97fd-270d28d66910", `{"GROUPID":"`+emulator.SeedGroupSalesID+`"}`); len(diags) != 0 {
		t.Errorf("argument name in another case: want no diagnostics, got %s", describe(diags))
	}
	if diags := validate("22085229-5809-45e8-97fd-270d28d66910", `{"groupID":"Sales"}`); len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError {
		t.Errorf("malformed value of a known argument: want one error, got %s", describe(diags))
	}
}

func describe(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "\n  %s at %v: %s: %s", d.Severity, d.Attribute, d.Summary, d.Detail)
	}
	return b.String()
}

// The provider's built-in list (used by terraform validate and when the tenant's list cannot be read)
// is the local API's GET .../taskDefinitions: same ids, categories, argument names, value types and
// allowed values.
func TestAccLifecycleWorkflow_builtInTaskDefinitionsMatchLocalAPI(t *testing.T) {
	e := acctest.NewEmulator(t)
	api, err := e.Client(t).ListTaskDefinitions(acctest.Context(t), "")
	if err != nil {
		t.Fatal(err)
	}
	render := func(d graph.TaskDefinition) string {
		cats := strings.Split(d.Category, ",")
		slices.Sort(cats)
		params := make([]string, 0, len(d.Parameters))
		for _, p := range d.Parameters {
			params = append(params, fmt.Sprintf("%s:%s%v", p.Name, p.ValueType, p.Values))
		}
		slices.Sort(params)
		return fmt.Sprintf("categories %s, parameters %s", strings.Join(cats, ","), strings.Join(params, " "))
	}
	apiByID := map[string]string{}
	for _, d := range api {
		apiByID[strings.ToLower(d.ID)] = render(d)
	}
	builtIn := lifecycle.BuiltInTaskDefinitions()
	if len(builtIn) != len(api) {
		t.Errorf("%d built-in task definitions, %d in the local API", len(builtIn), len(api))
	}
	for _, d := range builtIn {
		got, ok := apiByID[strings.ToLower(d.ID)]
		if !ok {
			t.Errorf("%s (%s) is built in but not in the local API", d.ID, d.DisplayName)
			continue
		}
		if want := render(d); got != want {
			t.Errorf("%s (%s):\n  built in:  %s\n  local API: %s", d.ID, d.DisplayName, want, got)
		}
	}
}
