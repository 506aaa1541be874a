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

	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// ValidateConfig checks, without calling Graph, what Graph would reject at apply: the pairing of
// execution conditions, scopes and triggers, the rule grammar, and every task against the built-in
// task catalogue (spec 2.5). Values not known yet are skipped; they are checked by Graph at apply.
func (r *workflowResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m workflowModel
	if diags := req.Config.Get(ctx, &m); diags.HasError() {
		// A whole nested list or object is unknown (it comes from another resource): Graph checks it at apply.
		return
	}
	validateWorkflow(ctx, m, &resp.Diagnostics)
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

func validateWorkflow(ctx context.Context, m workflowModel, diags *diag.Diagnostics) {
	v := workflowValidator{ctx: ctx, diags: diags}
	if m.SchedulingEnabled.ValueBool() && known(m.Enabled) && !m.Enabled.ValueBool() {
		v.fail(path.Root("scheduling_enabled"), "Scheduling needs an enabled workflow",
			"scheduling_enabled = true needs enabled = true: Graph does not schedule a disabled workflow.")
	}
	v.conditions(m)
	v.tasks(m)
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

func (v workflowValidator) tasks(m workflowModel) {
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
		if !known(t.TaskDefinitionID) || !validators.IsGUID(t.TaskDefinitionID.ValueString()) {
			continue
		}
		def, ok := findTaskDefinition(t.TaskDefinitionID.ValueString())
		if !ok {
			v.fail(at.AtName("task_definition_id"), "Unknown task definition", "%s is not a built-in task definition. The %s tasks are: %s.",
				t.TaskDefinitionID.ValueString(), orAll(category), strings.Join(taskDefinitionsFor(category), "; "))
			continue
		}
		if category != "" && !def.hasCategory(category) {
			v.fail(at.AtName("task_definition_id"), "Task not available for this category", "the task %q is for %s workflows, not %s.",
				def.DisplayName, strings.Join(def.Categories, ", "), category)
		}
		v.arguments(at.AtName("arguments"), def, t.Arguments)
	}
}

func orAll(category string) string {
	if category == "" {
		return "built-in"
	}
	return category
}

func (v workflowValidator) arguments(at path.Path, def *taskDefinition, args types.Map) {
	if args.IsUnknown() {
		return
	}
	elems := args.Elements() // none when the map is null
	names := make([]string, 0, len(elems))
	for name := range elems {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p, ok := def.parameter(name)
		if !ok {
			if len(def.Parameters) == 0 {
				v.fail(at, "Unknown argument", "the task %q takes no arguments; remove %q.", def.DisplayName, name)
			} else {
				v.fail(at, "Unknown argument", "the task %q has no argument %q; its arguments are %s.", def.DisplayName, name, strings.Join(def.parameterNames(), ", "))
			}
			continue
		}
		value, ok := elems[name].(types.String)
		if !ok || !known(value) {
			continue
		}
		if msg := checkArgument(p, value.ValueString()); msg != "" {
			v.fail(at.AtMapKey(name), "Invalid argument value", "%s", msg)
		}
	}
	for _, p := range def.Parameters {
		if _, present := elems[p.Name]; p.Required && !present {
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
		if n < p.Min || n > p.Max {
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
