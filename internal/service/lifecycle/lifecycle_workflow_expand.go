package lifecycle

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// expandWorkflow builds the whole definition, as a create and createNewVersion send it.
func expandWorkflow(ctx context.Context, m workflowModel) (graph.WorkflowDefinition, diag.Diagnostics) {
	var diags diag.Diagnostics
	d := graph.WorkflowDefinition{
		Category:            m.Category.ValueString(),
		DisplayName:         m.DisplayName.ValueString(),
		Description:         m.Description.ValueString(),
		IsEnabled:           m.Enabled.ValueBool(),
		IsSchedulingEnabled: m.SchedulingEnabled.ValueBool(),
		ExecutionConditions: expandConditions(ctx, m.ExecutionConditions, &diags),
		Tasks:               make([]graph.WorkflowTask, 0, len(m.Tasks)),
	}
	for _, t := range m.Tasks {
		d.Tasks = append(d.Tasks, graph.WorkflowTask{
			DisplayName:      t.DisplayName.ValueString(),
			Description:      t.Description.ValueString(),
			TaskDefinitionID: t.TaskDefinitionID.ValueString(),
			Arguments:        expandArguments(ctx, t.Arguments, &diags),
			IsEnabled:        t.Enabled.ValueBool(),
			ContinueOnError:  t.ContinueOnError.ValueBool(),
		})
	}
	return d, diags
}

func expandConditions(ctx context.Context, c *executionConditionsModel, diags *diag.Diagnostics) *graph.ExecutionConditions {
	if c == nil {
		return nil
	}
	out := &graph.ExecutionConditions{Type: c.Type.ValueString()}
	if out.Type != graph.ConditionsTriggerAndScope {
		return out
	}
	if s := c.Scope; s != nil {
		out.Scope = &graph.WorkflowScope{Type: s.Type.ValueString(), Rule: s.Rule.ValueString(), GroupIDs: stringList(ctx, s.GroupIDs, diags)}
	}
	if t := c.Trigger; t != nil {
		out.Trigger = &graph.WorkflowTrigger{
			Type:                   t.Type.ValueString(),
			TimeBasedAttribute:     t.TimeBasedAttribute.ValueString(),
			OffsetInDays:           int(t.OffsetInDays.ValueInt64()),
			TriggerAttributes:      stringList(ctx, t.TriggerAttributes, diags),
			ChangeType:             t.ChangeType.ValueString(),
			InactivityPeriodInDays: int(t.InactivityPeriodInDays.ValueInt64()),
		}
	}
	return out
}

func stringList(ctx context.Context, l types.List, diags *diag.Diagnostics) []string {
	if l.IsNull() || l.IsUnknown() {
		return nil
	}
	var out []string
	diags.Append(l.ElementsAs(ctx, &out, false)...)
	return out
}

// expandArguments turns the map into Graph's name/value pairs, sorted by name so the body is stable.
func expandArguments(ctx context.Context, m types.Map, diags *diag.Diagnostics) []graph.KeyValuePair {
	out := []graph.KeyValuePair{}
	if m.IsNull() || m.IsUnknown() {
		return out
	}
	var args map[string]string
	diags.Append(m.ElementsAs(ctx, &args, false)...)
	for name, value := range args {
		out = append(out, graph.KeyValuePair{Name: name, Value: value})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// versionKey is a canonical rendering of everything only createNewVersion can change, so that two
// models need a new version exactly when their keys differ. Ids and enum-like values compare
// case-insensitively, as Graph does.
func versionKey(ctx context.Context, m workflowModel) string {
	d, _ := expandWorkflow(ctx, m)
	type task struct {
		Definition      string
		Enabled         bool
		ContinueOnError bool
		Arguments       []graph.KeyValuePair
	}
	key := struct {
		Category   string
		Conditions *graph.ExecutionConditions
		Tasks      []task
	}{Category: d.Category, Conditions: d.ExecutionConditions}
	if c := key.Conditions; c != nil {
		if c.Scope != nil {
			for i, g := range c.Scope.GroupIDs {
				c.Scope.GroupIDs[i] = strings.ToLower(g)
			}
		}
		if c.Trigger != nil {
			for i, a := range c.Trigger.TriggerAttributes {
				c.Trigger.TriggerAttributes[i] = strings.ToLower(a)
			}
		}
	}
	for _, t := range d.Tasks {
		key.Tasks = append(key.Tasks, task{strings.ToLower(t.TaskDefinitionID), t.IsEnabled, t.ContinueOnError, t.Arguments})
	}
	b, _ := json.Marshal(key)
	return string(b)
}

// flattenWorkflow copies a Graph workflow into the model. prior (the plan or the last state) keeps the
// user's spelling of values Graph compares case-insensitively, and the provider-only setting.
func flattenWorkflow(w *graph.Workflow, prior workflowModel) workflowModel {
	m := workflowModel{
		ID:                         types.StringValue(w.ID),
		Category:                   types.StringValue(w.Category),
		DisplayName:                types.StringValue(w.DisplayName),
		Description:                types.StringValue(w.Description),
		Enabled:                    types.BoolValue(w.IsEnabled),
		SchedulingEnabled:          types.BoolValue(w.IsSchedulingEnabled),
		Version:                    types.Int64Value(int64(w.Version)),
		CreatedDateTime:            types.StringValue(w.CreatedDateTime),
		LastModifiedDateTime:       types.StringValue(w.LastModifiedDateTime),
		PermanentlyDeleteOnDestroy: prior.PermanentlyDeleteOnDestroy,
	}
	if !known(m.PermanentlyDeleteOnDestroy) {
		m.PermanentlyDeleteOnDestroy = types.BoolValue(false)
	}
	if known(prior.Category) && strings.EqualFold(prior.Category.ValueString(), w.Category) {
		m.Category = prior.Category
	}
	m.ExecutionConditions = flattenConditions(w.ExecutionConditions, prior.ExecutionConditions)

	tasks := append([]graph.WorkflowTask(nil), w.Tasks...)
	sort.SliceStable(tasks, func(i, j int) bool { return tasks[i].ExecutionSequence < tasks[j].ExecutionSequence })
	m.Tasks = make([]taskModel, 0, len(tasks))
	for i, t := range tasks {
		var p taskModel
		if i < len(prior.Tasks) {
			p = prior.Tasks[i]
		}
		m.Tasks = append(m.Tasks, taskModel{
			TaskDefinitionID: keepFold(t.TaskDefinitionID, p.TaskDefinitionID),
			DisplayName:      types.StringValue(t.DisplayName),
			Description:      types.StringValue(t.Description),
			Enabled:          types.BoolValue(t.IsEnabled),
			ContinueOnError:  types.BoolValue(t.ContinueOnError),
			Arguments:        flattenArguments(t.Arguments, p.Arguments),
		})
	}
	return m
}

func flattenConditions(c *graph.ExecutionConditions, prior *executionConditionsModel) *executionConditionsModel {
	if c == nil {
		return nil
	}
	if prior == nil {
		prior = &executionConditionsModel{}
	}
	out := &executionConditionsModel{Type: types.StringValue(c.Type)}
	if s := c.Scope; s != nil {
		ps := prior.Scope
		if ps == nil {
			ps = &scopeModel{}
		}
		sm := &scopeModel{Type: types.StringValue(s.Type), Rule: types.StringNull(), GroupIDs: types.ListNull(types.StringType)}
		switch s.Type {
		case graph.ScopeRuleBased:
			sm.Rule = types.StringValue(s.Rule)
		case graph.ScopeGroupBased:
			sm.GroupIDs = foldList(s.GroupIDs, ps.GroupIDs)
		}
		out.Scope = sm
	}
	if t := c.Trigger; t != nil {
		pt := prior.Trigger
		if pt == nil {
			pt = &triggerModel{}
		}
		tm := &triggerModel{
			Type: types.StringValue(t.Type), TimeBasedAttribute: types.StringNull(), OffsetInDays: types.Int64Null(),
			TriggerAttributes: types.ListNull(types.StringType), ChangeType: types.StringNull(), InactivityPeriodInDays: types.Int64Null(),
		}
		switch t.Type {
		case graph.TriggerTimeBasedAttribute:
			tm.TimeBasedAttribute = keepFold(t.TimeBasedAttribute, pt.TimeBasedAttribute)
			tm.OffsetInDays = types.Int64Value(int64(t.OffsetInDays))
		case graph.TriggerAttributeChange:
			tm.TriggerAttributes = foldList(t.TriggerAttributes, pt.TriggerAttributes)
		case graph.TriggerMembershipChange:
			tm.ChangeType = keepFold(t.ChangeType, pt.ChangeType)
		case graph.TriggerUserInactivity:
			tm.InactivityPeriodInDays = types.Int64Value(int64(t.InactivityPeriodInDays))
		}
		out.Trigger = tm
	}
	return out
}

// keepFold returns the prior value when it equals v but for case, else v.
func keepFold(v string, prior types.String) types.String {
	if known(prior) && strings.EqualFold(prior.ValueString(), v) {
		return prior
	}
	return types.StringValue(v)
}

// foldList is a list of strings that keeps the prior spelling of equal-but-for-case elements, and their
// prior order: the group ids of a scope and the attributes of a trigger are sets to Graph (the collections
// have no Core.Ordered annotation in the v1.0 metadata), which may answer them in any order. Values the
// prior list does not hold come after its own, in Graph's order.
func foldList(values []string, prior types.List) types.List {
	var priorElems []attr.Value
	if known(prior) {
		priorElems = prior.Elements()
	}
	used := make([]bool, len(values))
	elems := make([]attr.Value, 0, len(values))
	for _, pe := range priorElems {
		p, ok := pe.(types.String)
		if !ok || !known(p) {
			continue
		}
		for i, v := range values {
			if !used[i] && strings.EqualFold(v, p.ValueString()) {
				used[i] = true
				elems = append(elems, keepFold(v, p))
				break
			}
		}
	}
	for i, v := range values {
		if !used[i] {
			elems = append(elems, types.StringValue(v))
		}
	}
	return types.ListValueMust(types.StringType, elems)
}

func flattenArguments(args []graph.KeyValuePair, prior types.Map) types.Map {
	var priorElems map[string]attr.Value
	if known(prior) {
		priorElems = prior.Elements()
	}
	elems := make(map[string]attr.Value, len(args))
	for _, a := range args {
		// Argument names compare case-insensitively (task_definitions.go, taskDefinition.parameter): Graph
		// may answer its own spelling of a name, the user's is kept.
		name := a.Name
		for priorName := range priorElems {
			if strings.EqualFold(priorName, a.Name) {
				name = priorName
				break
			}
		}
		elems[name] = types.StringValue(a.Value)
		// Graph answers enum arguments in its own spelling ("True" -> "true"); free text is kept as is.
		if p, ok := priorElems[name].(types.String); ok && (strings.EqualFold(a.Value, "true") || strings.EqualFold(a.Value, "false")) {
			elems[name] = keepFold(a.Value, p)
		}
	}
	return types.MapValueMust(types.StringType, elems)
}
