package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// ValidateConfig checks, without calling Graph, what Graph would reject at apply: the pairing of
// execution conditions, scopes and triggers, the rule grammar, and the tasks' argument values against
// the built-in task catalogue (spec 2.5). Whether a definition, category or argument name exists is the
// tenant's to say: without a configured provider (terraform validate) what the built-in list does not
// know is a warning; with one, ModifyPlan checks the tasks against the tenant's list. Values not known
// yet are skipped; they are checked by Graph at apply.
func (r *workflowResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m workflowModel
	if diags := req.Config.Get(ctx, &m); diags.HasError() {
		// A whole nested list or object is unknown (it comes from another resource): Graph checks it at apply.
		return
	}
	check := offlineCheck
	if r.definitions != nil {
		check.severity = catalogueSilent
	}
	validateWorkflow(ctx, m, &resp.Diagnostics, check)
}

// taskDefinitionSource gives the tenant's task definitions; *graph.TaskDefinitionCache reads them once
// per provider process.
type taskDefinitionSource interface {
	TaskDefinitions(ctx context.Context) ([]graph.TaskDefinition, error)
}

// checkTasksAgainstTenant is ModifyPlan's part of the validation: on create, or when the tasks or the
// category change, the tasks are checked against the tenant's task definitions. A destroy or a plan
// that leaves them as they are makes no request.
func (r *workflowResource) checkTasksAgainstTenant(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.definitions == nil || req.Plan.Raw.IsNull() {
		return
	}
	if !req.State.Raw.IsNull() && sameAttribute(req.Plan.Raw, req.State.Raw, "tasks") && sameAttribute(req.Plan.Raw, req.State.Raw, "category") {
		return
	}
	var m workflowModel
	if d := req.Plan.Get(ctx, &m); d.HasError() {
		return // a whole task list is unknown: Graph checks it at apply
	}
	checkTasksWithTenant(ctx, r.definitions, m, &resp.Diagnostics)
}

func sameAttribute(a, b tftypes.Value, name string) bool {
	at := tftypes.NewAttributePath().WithAttributeName(name)
	va, _, errA := tftypes.WalkAttributePath(a, at)
	vb, _, errB := tftypes.WalkAttributePath(b, at)
	if errA != nil || errB != nil {
		return false
	}
	ta, okA := va.(tftypes.Value)
	tb, okB := vb.(tftypes.Value)
	return okA && okB && ta.Equal(tb)
}

// checkTasksWithTenant checks the tasks against the tenant's definitions: what they do not know is an
// error. When they cannot be read, it says so in a warning and falls back to the built-in list, whose
// findings are warnings too: a failed read never blocks a plan.
func checkTasksWithTenant(ctx context.Context, src taskDefinitionSource, m workflowModel, diags *diag.Diagnostics) {
	if !anyKnownDefinition(m) {
		return
	}
	v := workflowValidator{ctx: ctx, diags: diags}
	defs, err := src.TaskDefinitions(ctx)
	if err != nil {
		diags.AddWarning("Lifecycle task definitions not read",
			"The tenant's task definitions (GET /identityGovernance/lifecycleWorkflows/taskDefinitions, permission "+
				"LifecycleWorkflows.Read.All) could not be read, so the tasks were checked against the provider's built-in "+
				"list only; Graph checks them when the workflow is created or updated. The error: "+err.Error())
		v.tasks(m, offlineCheck)
		return
	}
	v.tasks(m, taskCheck{catalog: tenantCatalog(defs), severity: catalogueError})
}

func anyKnownDefinition(m workflowModel) bool {
	for _, t := range m.Tasks {
		if known(t.TaskDefinitionID) && validators.IsGUID(t.TaskDefinitionID.ValueString()) {
			return true
		}
	}
	return false
}

type workflowValidator struct {
	ctx   context.Context
	diags *diag.Diagnostics
}

// fail reports a rule broken at an attribute; the path is repeated in the text because Terraform shows
// nested list elements only by their enclosing attribute.
func (v workflowValidator) fail(at path.Path, summary, detail string, args ...any) {
	v.diags.AddAttributeError(at, summary, fmt.Sprintf("Attribute %s: ", at)+fmt.Sprintf(detail, args...))
}

func validateWorkflow(ctx context.Context, m workflowModel, diags *diag.Diagnostics, tasks taskCheck) {
	v := workflowValidator{ctx: ctx, diags: diags}
	if m.SchedulingEnabled.ValueBool() && known(m.Enabled) && !m.Enabled.ValueBool() {
		v.fail(path.Root("scheduling_enabled"), "Scheduling needs an enabled workflow",
			"scheduling_enabled = true needs enabled = true: Graph does not schedule a disabled workflow.")
	}
	v.conditions(m)
	v.tasks(m, tasks)
}

func (v workflowValidator) conditions(m workflowModel) {
	c := m.ExecutionConditions
	if c == nil || !known(c.Type) {
		return
	}
	at := path.Root("execution_conditions")
	switch c.Type.ValueString() {
	case graph.ConditionsOnDemandOnly:
		if c.Scope != nil {
			v.fail(at.AtName("scope"), "Scope not used", "an onDemandExecutionOnly workflow runs only for the users it is started for; remove scope or use type triggerAndScopeBasedConditions.")
		}
		if c.Trigger != nil {
			v.fail(at.AtName("trigger"), "Trigger not used", "an onDemandExecutionOnly workflow has no trigger; remove trigger or use type triggerAndScopeBasedConditions.")
		}
		if m.SchedulingEnabled.ValueBool() {
			v.fail(path.Root("scheduling_enabled"), "Scheduling not possible", "an onDemandExecutionOnly workflow runs only on demand; set scheduling_enabled = false or use triggerAndScopeBasedConditions.")
		}
		return
	case graph.ConditionsTriggerAndScope:
		if c.Scope == nil {
			v.fail(at.AtName("scope"), "Scope missing", "triggerAndScopeBasedConditions needs a scope: { type = \"ruleBasedSubjectSet\", rule = \"...\" } or { type = \"groupBasedSubjectSet\", group_ids = [...] }.")
		}
		if c.Trigger == nil {
			v.fail(at.AtName("trigger"), "Trigger missing", "triggerAndScopeBasedConditions needs a trigger of type %s.", strings.Join(graph.WorkflowTriggerTypes, ", "))
		}
	}
	v.scope(at.AtName("scope"), c.Scope)
	v.trigger(at.AtName("trigger"), c.Trigger, c.Scope)
}

func (v workflowValidator) scope(at path.Path, s *scopeModel) {
	if s == nil || !known(s.Type) {
		return
	}
	switch s.Type.ValueString() {
	case graph.ScopeRuleBased:
		if s.Rule.IsNull() {
			v.fail(at.AtName("rule"), "Rule missing", "a ruleBasedSubjectSet scope needs rule, e.g. \"(department eq 'Sales')\".")
		} else if known(s.Rule) {
			if err := ParseRule(s.Rule.ValueString()); err != nil {
				var re *RuleError
				if errors.As(err, &re) {
					v.fail(at.AtName("rule"), "Invalid rule", "the rule %q is not valid %s.", s.Rule.ValueString(), re.Error())
				}
			}
		}
		if !s.GroupIDs.IsNull() {
			v.fail(at.AtName("group_ids"), "Groups not used", "group_ids belongs to groupBasedSubjectSet; a ruleBasedSubjectSet scope selects users with rule.")
		}
	case graph.ScopeGroupBased:
		if s.GroupIDs.IsNull() {
			v.fail(at.AtName("group_ids"), "Groups missing", "a groupBasedSubjectSet scope needs group_ids with at least one group object id.")
		}
		if !s.Rule.IsNull() {
			v.fail(at.AtName("rule"), "Rule not used", "rule belongs to ruleBasedSubjectSet; a groupBasedSubjectSet scope selects the members of group_ids.")
		}
	}
}

// triggerFields says which fields each trigger type takes.
var triggerFields = map[string][]string{
	graph.TriggerTimeBasedAttribute: {"time_based_attribute", "offset_in_days"},
	graph.TriggerAttributeChange:    {"trigger_attributes"},
	graph.TriggerMembershipChange:   {"change_type"},
	graph.TriggerUserInactivity:     {"inactivity_period_in_days"},
}

func (v workflowValidator) trigger(at path.Path, t *triggerModel, scope *scopeModel) {
	if t == nil || !known(t.Type) {
		return
	}
	typ := t.Type.ValueString()
	set := map[string]bool{
		"time_based_attribute":      !t.TimeBasedAttribute.IsNull(),
		"offset_in_days":            !t.OffsetInDays.IsNull(),
		"trigger_attributes":        !t.TriggerAttributes.IsNull(),
		"change_type":               !t.ChangeType.IsNull(),
		"inactivity_period_in_days": !t.InactivityPeriodInDays.IsNull(),
	}
	own := triggerFields[typ]
	for _, field := range own {
		if !set[field] {
			v.fail(at.AtName(field), "Trigger field missing", "a %s trigger needs %s.", typ, field)
		}
	}
	names := make([]string, 0, len(set))
	for field := range set {
		names = append(names, field)
	}
	sort.Strings(names)
	for _, field := range names {
		if set[field] && !slices.Contains(own, field) {
			v.fail(at.AtName(field), "Trigger field not used", "%s belongs to another trigger type; a %s trigger takes %s.", field, typ, strings.Join(own, " and "))
		}
	}
	if typ == graph.TriggerMembershipChange && scope != nil && known(scope.Type) && scope.Type.ValueString() != graph.ScopeGroupBased {
		v.fail(at.AtName("type"), "Membership trigger needs a group scope",
			"a membershipChangeTrigger fires when users join or leave the scope's groups: use scope type groupBasedSubjectSet, not %s.", scope.Type.ValueString())
	}
	if typ == graph.TriggerAttributeChange && known(t.TriggerAttributes) {
		for i, e := range t.TriggerAttributes.Elements() {
			s, ok := e.(types.String)
			if !ok || !known(s) {
				continue
			}
			if !isRuleProperty(s.ValueString()) {
				v.fail(at.AtName("trigger_attributes").AtListIndex(i), "Unknown user attribute",
					"%q is not a user attribute that can trigger a workflow (for example department, jobTitle, companyName, employeeType, officeLocation, or extension_<app id>_<name>).", s.ValueString())
			}
		}
	}
}

// catalogueSeverity says what a task that a catalogue does not know (definition, category, argument name
// or value) becomes.
type catalogueSeverity int

const (
	// catalogueWarn: the built-in list while the provider is not configured (terraform validate), or when
	// the tenant's list could not be read. The list may be older than the tenant, so it only warns.
	catalogueWarn catalogueSeverity = iota
	// catalogueSilent: the built-in list while the provider is configured; ModifyPlan asks the tenant.
	catalogueSilent
	// catalogueError: the tenant's own list, the authority.
	catalogueError
)

// taskCheck is the catalogue the tasks are checked against and how far it is trusted.
type taskCheck struct {
	catalog  taskCatalog
	severity catalogueSeverity
}

var offlineCheck = taskCheck{catalog: builtInCatalog, severity: catalogueWarn}

// unknown reports what the catalogue does not know, as its severity says.
func (v workflowValidator) unknown(c taskCheck, at path.Path, summary, detail string, args ...any) {
	text := fmt.Sprintf("Attribute %s: ", at) + fmt.Sprintf(detail, args...)
	switch c.severity {
	case catalogueError:
		v.diags.AddAttributeError(at, summary, text)
	case catalogueWarn:
		v.diags.AddAttributeWarning(at, summary, text+" This is a warning: the provider's built-in list of task definitions "+
			"may be older than Microsoft's. When the provider is configured, the plan checks the task against the tenant's "+
			"task definitions (GET /identityGovernance/lifecycleWorkflows/taskDefinitions).")
	}
}

func (c taskCheck) listName() string {
	if c.catalog.tenant {
		return "the tenant's task definitions"
	}
	return "the provider's built-in task definitions"
}

func (v workflowValidator) tasks(m workflowModel, c taskCheck) {
	category := ""
	if known(m.Category) {
		category = m.Category.ValueString()
	}
	names := map[string]int{}
	for i, t := range m.Tasks {
		at := path.Root("tasks").AtListIndex(i)
		if known(t.DisplayName) {
			name := t.DisplayName.ValueString()
			if first, dup := names[strings.ToLower(name)]; dup {
				v.fail(at.AtName("display_name"), "Task names must be unique", "tasks[%d] is also named %q; Graph needs a unique display name per task.", first, name)
			} else {
				names[strings.ToLower(name)] = i
			}
		}
		v.sameArgumentTwice(at.AtName("arguments"), t.Arguments)
		if !known(t.TaskDefinitionID) || !validators.IsGUID(t.TaskDefinitionID.ValueString()) {
			continue
		}
		def, ok := c.catalog.find(t.TaskDefinitionID.ValueString())
		if !ok {
			v.unknown(c, at.AtName("task_definition_id"), "Unknown task definition", "%s is not one of %s. The %s tasks are: %s.",
				t.TaskDefinitionID.ValueString(), c.listName(), orAll(category), strings.Join(c.catalog.idsFor(category), "; "))
			continue
		}
		if category != "" && !def.hasCategory(category) {
			v.unknown(c, at.AtName("task_definition_id"), "Task not available for this category", "the task %q is for %s workflows, not %s (%s).",
				def.DisplayName, strings.Join(def.Categories, ", "), category, c.listName())
		}
		v.arguments(at.AtName("arguments"), def, t.Arguments, c)
	}
}

func orAll(category string) string {
	if category == "" {
		return "available"
	}
	return category
}

// sameArgumentTwice refuses two keys that differ only in case: Graph compares argument names
// case-insensitively (see taskDefinition.parameter), so they name one argument.
func (v workflowValidator) sameArgumentTwice(at path.Path, args types.Map) {
	if args.IsUnknown() {
		return
	}
	names := sortedKeys(args)
	seen := map[string]string{}
	for _, name := range names {
		key := strings.ToLower(strings.TrimSpace(name))
		if first, dup := seen[key]; dup {
			v.fail(at.AtMapKey(name), "Argument given twice", "%q and %q name the same argument: Graph compares argument names case-insensitively. Keep one.", first, name)
			continue
		}
		seen[key] = name
	}
}

func sortedKeys(m types.Map) []string {
	elems := m.Elements() // none when the map is null
	names := make([]string, 0, len(elems))
	for name := range elems {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func (v workflowValidator) arguments(at path.Path, def *taskDefinition, args types.Map, c taskCheck) {
	if args.IsUnknown() {
		return
	}
	elems := args.Elements()
	present := map[string]bool{}
	for _, name := range sortedKeys(args) {
		p, ok := def.parameter(name)
		if !ok {
			if len(def.Parameters) == 0 {
				v.unknown(c, at, "Unknown argument", "the task %q takes no arguments (%s); remove %q.", def.DisplayName, c.listName(), name)
			} else {
				v.unknown(c, at, "Unknown argument", "the task %q has no argument %q; its arguments are %s (%s; names compare case-insensitively).",
					def.DisplayName, name, strings.Join(def.parameterNames(), ", "), c.listName())
			}
			continue
		}
		present[strings.ToLower(p.Name)] = true
		value, ok := elems[name].(types.String)
		if !ok || !known(value) {
			continue
		}
		if len(p.Values) > 0 && !slices.ContainsFunc(p.Values, func(allowed string) bool { return strings.EqualFold(allowed, strings.TrimSpace(value.ValueString())) }) {
			v.unknown(c, at.AtMapKey(name), "Invalid argument value", "the argument %s takes one of %s (compared case-insensitively), not %q.",
				p.Name, strings.Join(p.Values, ", "), value.ValueString())
			continue
		}
		if msg := checkArgument(p, value.ValueString()); msg != "" {
			v.fail(at.AtMapKey(name), "Invalid argument value", "%s", msg)
		}
	}
	for _, p := range def.Parameters {
		if p.Required && !present[strings.ToLower(p.Name)] {
			v.fail(at, "Required argument missing", "the task %q needs the argument %s.", def.DisplayName, p.Name)
		}
	}
}

// checkArgument returns what is wrong with an argument's value, or "".
func checkArgument(p *taskParameter, value string) string {
	trimmed := strings.TrimSpace(value)
	switch p.Kind {
	case kindBool:
		if !strings.EqualFold(trimmed, "true") && !strings.EqualFold(trimmed, "false") {
			return fmt.Sprintf("the argument %s takes \"true\" or \"false\", not %q.", p.Name, value)
		}
	case kindInt:
		n, err := strconv.Atoi(trimmed)
		if err != nil {
			return fmt.Sprintf("the argument %s takes a whole number, not %q.", p.Name, value)
		}
		if p.Max > 0 && (n < p.Min || n > p.Max) {
			return fmt.Sprintf("the argument %s must be between %d and %d, got %d.", p.Name, p.Min, p.Max, n)
		}
	case kindGUID:
		if !validators.IsGUID(trimmed) {
			return fmt.Sprintf("the argument %s takes an object id (GUID), not %q.", p.Name, value)
		}
	case kindGUIDList:
		if trimmed == "" {
			return fmt.Sprintf("the argument %s must not be empty: give one or more comma-separated object ids.", p.Name)
		}
		seen := map[string]bool{}
		for _, part := range strings.Split(value, ",") {
			id := strings.TrimSpace(part)
			if !validators.IsGUID(id) {
				return fmt.Sprintf("the argument %s takes comma-separated object ids (GUIDs); %q is not one.", p.Name, id)
			}
			if seen[strings.ToLower(id)] {
				return fmt.Sprintf("%s is listed twice in the argument %s.", id, p.Name)
			}
			seen[strings.ToLower(id)] = true
		}
	default:
		if p.Required && trimmed == "" {
			return fmt.Sprintf("the argument %s must not be empty.", p.Name)
		}
	}
	return ""
}
