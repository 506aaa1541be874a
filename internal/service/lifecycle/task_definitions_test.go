package lifecycle

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// newTaskID is a task definition the built-in list does not know, as one Microsoft adds later would be.
const newTaskID = "a5c1e0d2-7b3f-4c8e-9d6a-2f4b8e1c3d70"

// scriptedDefinitions is a tenant with the 25 built-in definitions (with Graph's spelling of one argument
// name) and one newer definition.
func scriptedDefinitions() []graph.TaskDefinition {
	defs := BuiltInTaskDefinitions()
	return append(defs, graph.TaskDefinition{
		ID: newTaskID, DisplayName: "Notify someone", Category: "joiner,mover",
		Parameters: []graph.TaskDefinitionParameter{
			{Name: "notifyWho", Values: []string{"User", "Managers", "Sponsors"}, ValueType: "enum"},
			{Name: "delayMinutes", Values: []string{}, ValueType: "int"},
		},
	})
}

type scriptedSource struct {
	calls atomic.Int32
	defs  []graph.TaskDefinition
	err   error
}

func (s *scriptedSource) TaskDefinitions(context.Context) ([]graph.TaskDefinition, error) {
	s.calls.Add(1)
	return s.defs, s.err
}

func taskWorkflow(category, definitionID string, args map[string]string) workflowModel {
	elems := map[string]attr.Value{}
	for k, v := range args {
		elems[k] = types.StringValue(v)
	}
	return workflowModel{
		Category: types.StringValue(category),
		Tasks: []taskModel{{
			TaskDefinitionID: types.StringValue(definitionID), DisplayName: types.StringValue("Task"),
			Arguments: types.MapValueMust(types.StringType, elems),
		}},
	}
}

func diagText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Severity().String() + ": " + d.Summary() + ": " + d.Detail() + "\n")
	}
	return b.String()
}

func TestCheckTasksWithTenant(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name         string
		model        workflowModel
		errors, warn int
		want         string
	}{
		{"a definition only the tenant knows", taskWorkflow("mover", newTaskID, map[string]string{"notifyWho": "Managers", "delayMinutes": "30"}), 0, 0, ""},
		{"enum value in another case", taskWorkflow("joiner", newTaskID, map[string]string{"notifyWho": "managers"}), 0, 0, ""},
		{"argument name in another case", taskWorkflow("joiner", newTaskID, map[string]string{"NOTIFYWHO": "User"}), 0, 0, ""},
		{"reference spelling of a built-in argument", taskWorkflow("leaver", "4262b724-8dba-4fad-afc3-43fcbb497a0e",
			map[string]string{"CustomTaskExtensionID": "0b1f6a44-9ab8-4c3e-8f3d-1f2e3d4c5b6a"}), 0, 0, ""},
		{"enum value not allowed", taskWorkflow("joiner", newTaskID, map[string]string{"notifyWho": "manager"}), 1, 0,
			`Attribute tasks[0].arguments["notifyWho"]: the argument notifyWho takes one of User, Managers, Sponsors`},
		{"int argument of a new definition", taskWorkflow("joiner", newTaskID, map[string]string{"delayMinutes": "soon"}), 1, 0,
			`the argument delayMinutes takes a whole number`},
		{"category the tenant does not allow", taskWorkflow("leaver", newTaskID, nil), 1, 0,
			`Attribute tasks[0].task_definition_id: the task "Notify someone" is for joiner, mover workflows, not leaver (the tenant's task definitions)`},
		{"unknown argument of a new definition", taskWorkflow("joiner", newTaskID, map[string]string{"notifyWhom": "User"}), 1, 0,
			`has no argument "notifyWhom"; its arguments are notifyWho, delayMinutes`},
		{"a definition nobody knows", taskWorkflow("joiner", "00000000-0000-0000-0000-000000000001", nil), 1, 0,
			`Attribute tasks[0].task_definition_id: 00000000-0000-0000-0000-000000000001 is not one of the tenant's task definitions. The joiner tasks are: ` +
				`70b29d51-b59a-4773-9280-8841dfd3f2ea (Send welcome email)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			src := &scriptedSource{defs: scriptedDefinitions()}
			var diags diag.Diagnostics
			checkTasksWithTenant(context.Background(), src, c.model, &diags)
			text := diagText(diags)
			if diags.ErrorsCount() != c.errors || diags.WarningsCount() != c.warn || !strings.Contains(text, c.want) {
				t.Errorf("got %d errors, %d warnings:\n%s\nwant %d errors, %d warnings containing %q", diags.ErrorsCount(), diags.WarningsCount(), text, c.errors, c.warn, c.want)
			}
			if strings.Contains(c.want, "not one of the tenant's") && !strings.Contains(text, newTaskID+" (Notify someone)") {
				t.Errorf("the list of valid ids must come from the tenant:\n%s", text)
			}
			if src.calls.Load() != 1 {
				t.Errorf("%d reads of the source, want 1", src.calls.Load())
			}
		})
	}
}

// The built-in list alone (terraform validate, or a failed read) never refuses what it does not know.
func TestBuiltInListOnlyWarns(t *testing.T) {
	t.Parallel()
	var diags diag.Diagnostics
	validateWorkflow(context.Background(), taskWorkflow("joiner", newTaskID, map[string]string{"notifyWho": "Managers"}), &diags, offlineCheck)
	if diags.ErrorsCount() != 0 || diags.WarningsCount() != 1 || !strings.Contains(diagText(diags), "is not one of the provider's built-in task definitions") {
		t.Errorf("unknown definition offline:\n%s", diagText(diags))
	}

	diags = nil
	src := &scriptedSource{err: errors.New("403 Authorization_RequestDenied")}
	checkTasksWithTenant(context.Background(), src, taskWorkflow("joiner", newTaskID, nil), &diags)
	text := diagText(diags)
	if diags.ErrorsCount() != 0 || diags.WarningsCount() != 2 || !strings.Contains(text, "Lifecycle task definitions not read") ||
		!strings.Contains(text, "403 Authorization_RequestDenied") || !strings.Contains(text, "is not one of the provider's built-in task definitions") {
		t.Errorf("failed read:\n%s", text)
	}

	// With a configured provider the built-in list stays quiet about what it does not know; it still
	// refuses a malformed value of an argument it knows.
	diags = nil
	silent := taskCheck{catalog: builtInCatalog, severity: catalogueSilent}
	validateWorkflow(context.Background(), taskWorkflow("joiner", newTaskID, nil), &diags, silent)
	validateWorkflow(context.Background(), taskWorkflow("joiner", "22085229-5809-45e8-97fd-270d28d66910", map[string]string{"GroupId": "sales"}), &diags, silent)
	if diags.WarningsCount() != 0 || diags.ErrorsCount() != 1 || !strings.Contains(diagText(diags), "the argument groupID takes comma-separated object ids") {
		t.Errorf("configured provider:\n%s", diagText(diags))
	}
}

// Many workflows planned at once share one read of the tenant's list.
func TestCheckTasksWithTenantReadsOnce(t *testing.T) {
	t.Parallel()
	var reads atomic.Int32
	cache := graph.NewTaskDefinitionCacheFunc(func(context.Context) ([]graph.TaskDefinition, error) {
		reads.Add(1)
		return scriptedDefinitions(), nil
	})
	var wg sync.WaitGroup
	var failures atomic.Int32
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var diags diag.Diagnostics
			checkTasksWithTenant(context.Background(), cache, taskWorkflow("joiner", newTaskID, nil), &diags)
			if diags.HasError() || diags.WarningsCount() != 0 {
				failures.Add(1)
			}
		}()
	}
	wg.Wait()
	if reads.Load() != 1 || failures.Load() != 0 {
		t.Errorf("%d reads (want 1), %d workflows refused (want 0)", reads.Load(), failures.Load())
	}
}

// The reference page's table (https://learn.microsoft.com/graph/identitygovernance-lifecycleworkflows-task-arguments,
// microsoft-graph-docs-contrib concepts/identitygovernance-lifecycleworkflows-task-arguments.md): each
// task id and the argument names it lists. The page lists 24 tasks (not "Revoke all refresh tokens for
// user"); it omits arguments the API's list response has (the email arguments of the TAP task, "to" of
// "Send email before user's last day"), so the page must be a subset of the built-in list, names
// compared case-insensitively ("CustomTaskExtensionID" is the page's spelling).
var referencePageArguments = map[string][]string{
	"70b29d51-b59a-4773-9280-8841dfd3f2ea": {"cc", "customSubject", "customBody", "locale", "to"},
	"3C860712-2D37-42A4-928F-5C93935D26A1": {"cc", "customSubject", "customBody", "locale", "to"},
	"1b555e50-7f65-41d5-b514-5894a026d10d": {"tapLifetimeMinutes", "tapIsUsableOnce", "to"},
	"22085229-5809-45e8-97fd-270d28d66910": {"groupID"},
	"e440ed8d-25a1-4618-84ce-091ed5be5594": {"teamID"},
	"6fc52c9d-398b-4305-9763-15f42c1676fc": {"enableOnPremisesAccount"},
	"4262b724-8dba-4fad-afc3-43fcbb497a0e": {"CustomTaskExtensionID"},
	"683c87a4-2ad4-420b-97d4-220d90afcd24": {"licenses"},
	"5fc402a8-daaf-4b7b-9203-da868b05fc5f": {"licenses"},
	"1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950": {"disableOnPremisesAccount"},
	"1953a66c-751c-45e5-8bfe-01462c70da3c": {"groupID"},
	"b3a31406-2a15-4c9a-b25b-a658fa5f07fc": {},
	"06aa7acb-01af-4824-8899-b14e5ed788d6": {"teamID"},
	"81f7b200-2816-4b3b-8c5d-dc556f07b024": {},
	"8fa97d28-3e52-4985-b3a9-a1126f9b8b4e": {},
	"8d18588d-9ad3-4c0f-99d0-ec215f0e3dff": {"deleteOnPremisesAccount"},
	"aab41899-9972-422a-9d97-f626014578b7": {"cc", "customSubject", "customBody", "locale", "to"},
	"52853a3e-f4e5-4eb8-bb24-1ac09a1da935": {"cc", "customSubject", "customBody", "locale"},
	"9c0a1eaf-5bda-4392-9d9e-6e155bb57411": {"cc", "customSubject", "customBody", "locale", "to"},
	"6f22ddd4-b3a5-47a4-a846-0d7c201a49ce": {"cc", "customSubject", "customBody", "locale", "to"},
	"c1ec1e76-f374-4375-aaa6-0bb6bd4c60be": {"assignmentPolicyId", "accessPackageId"},
	"4a0b64f2-c7ec-46ba-b117-18f262946c50": {"accessPackageId"},
	"42ae2956-193d-4f39-be06-691b8ac4fa1d": {},
	"498770d9-bab7-4e4c-b73d-5ded82a1d0b3": {},
}

func TestBuiltInTaskDefinitionsCoverReferencePage(t *testing.T) {
	t.Parallel()
	if len(referencePageArguments) != 24 {
		t.Fatalf("the reference table has 24 tasks, this copy %d", len(referencePageArguments))
	}
	for id, names := range referencePageArguments {
		def, ok := builtInCatalog.find(id)
		if !ok {
			t.Errorf("%s is on the reference page but not in the built-in list", id)
			continue
		}
		for _, name := range names {
			if _, ok := def.parameter(name); !ok {
				t.Errorf("%s (%s): the reference page's argument %q is not in the built-in list", id, def.DisplayName, name)
			}
		}
		if len(names) == 0 && len(def.Parameters) != 0 {
			t.Errorf("%s (%s) takes no arguments on the reference page, the built-in list has %v", id, def.DisplayName, def.parameterNames())
		}
	}
}
