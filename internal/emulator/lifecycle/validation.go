package lifecycle

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/entitlement"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// Parsing and validation of lifecycle workflow bodies (spec 2.1, 2.2): the create body
// of POST LW/workflows and the "workflow" parameter of createNewVersion. Errors are 400
// BadRequest with the JSON path of the offending property first, like the policy
// validation. References to directory and entitlement objects are collected and checked
// against the store by the handler (checkReferences).

const (
	nS                = "identityGovernance."
	typeWorkflow      = nS + "workflow"
	typeTask          = nS + "task"
	typeTriggerScope  = nS + "triggerAndScopeBasedConditions"
	typeOnDemand      = nS + "onDemandExecutionOnly"
	typeRuleScope     = nS + "ruleBasedSubjectSet"
	typeGroupScope    = nS + "groupBasedSubjectSet"
	typeTimeTrigger   = nS + "timeBasedAttributeTrigger"
	typeAttrTrigger   = nS + "attributeChangeTrigger"
	typeMemberTrigger = nS + "membershipChangeTrigger"
	typeInactivity    = nS + "userInactivityTrigger"

	maxTasks          = 25
	offsetMin         = -180
	offsetMax         = 180
	timeAttrCreated   = "createdDateTime" // evolvable member of workflowTriggerTimeBasedAttribute
	categoryExtension = "extensibility"
)

var (
	categoryMembers = []string{tdCategoryJoiner, tdCategoryLeaver, tdCategoryMover}
	timeAttributes  = []string{"employeeHireDate", "employeeLeaveDateTime", timeAttrCreated}
	changeTypes     = []string{"add", "remove"}
)

// triggerAttributes are the user attributes an attributeChangeTrigger may watch
// (the rule properties plus the lifecycle dates, manager and extension attributes);
// directory extensions extension_<appId>_<name> are accepted as well.
var triggerAttributes = func() map[string]string {
	m := map[string]string{}
	for k, p := range ruleProperties {
		if p.kind == ruleString || p.kind == ruleBool {
			m[k] = p.name
		}
	}
	for _, n := range []string{"employeeHireDate", "employeeLeaveDateTime", "manager"} {
		m[strings.ToLower(n)] = n
	}
	for i := 1; i <= 15; i++ {
		n := fmt.Sprintf("extensionAttribute%d", i)
		m[strings.ToLower(n)] = n
	}
	return m
}()

// reference is an object a workflow names: a group, an access package or a policy.
type reference struct {
	path, coll, id string
	pkgID          string // for assignment policies: the package of the same task
}

// workflowInput is a validated workflow body.
type workflowInput struct {
	category, displayName string
	description           any
	isEnabled, scheduling bool
	conditions            map[string]any
	tasks                 []map[string]any // without ids
	refs                  []reference
	defs                  []TaskDefinition // the tenant's task definitions
}

// parseCategory reads a lifecycleWorkflowCategory value.
func parseCategory(path string, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", wire.PathTypeError(path, v, "microsoft.graph.identityGovernance.lifecycleWorkflowCategory")
	}
	if strings.EqualFold(strings.TrimSpace(s), categoryExtension) {
		return "", wire.PathError(path, "'%s' workflows cannot be created with the v1.0 API. Valid values: %s.", s, strings.Join(categoryMembers, ", "))
	}
	return wire.Enum(path, v, categoryMembers)
}

// parseWorkflow validates a workflow body against the tenant's task definitions; prefix
// is "" for POST and "workflow" for the createNewVersion parameter.
func parseWorkflow(prefix string, body any, defs []TaskDefinition) (*workflowInput, error) {
	o, err := wire.NewObject(prefix, typeWorkflow, body)
	if err != nil {
		return nil, err
	}
	if _, err := o.FixedType(); err != nil {
		return nil, err
	}
	o.Ignore("id", "version", "createdDateTime", "lastModifiedDateTime", "deletedDateTime", "nextScheduleRunDateTime",
		"createdBy", "lastModifiedBy", "quarantineDetails")
	in := &workflowInput{defs: defs}
	cv, ok := o.Get("category")
	if !ok {
		return nil, wire.PathError(o.At("category"), "the property is required on type 'microsoft.graph.%s'.", typeWorkflow)
	}
	if in.category, err = parseCategory(o.At("category"), cv); err != nil {
		return nil, err
	}
	if in.displayName, _, err = o.Str("displayName", true, true); err != nil {
		return nil, err
	}
	if in.description, err = o.NullableStr("description"); err != nil {
		return nil, err
	}
	if in.isEnabled, err = o.Boolean("isEnabled", true); err != nil {
		return nil, err
	}
	if in.scheduling, err = o.Boolean("isSchedulingEnabled", false); err != nil {
		return nil, err
	}
	ev, ok := o.Get("executionConditions")
	if !ok {
		return nil, wire.PathError(o.At("executionConditions"), "the property is required on type 'microsoft.graph.%s'.", typeWorkflow)
	}
	var onDemand bool
	if in.conditions, onDemand, err = in.parseConditions(o.At("executionConditions"), ev); err != nil {
		return nil, err
	}
	if err := checkScheduling(o.At("isSchedulingEnabled"), in.isEnabled, in.scheduling, onDemand); err != nil {
		return nil, err
	}
	tv, ok := o.Get("tasks")
	if !ok {
		return nil, wire.PathError(o.At("tasks"), "the property is required on type 'microsoft.graph.%s'.", typeWorkflow)
	}
	if err := in.parseTasks(o.At("tasks"), tv); err != nil {
		return nil, err
	}
	return in, o.Done()
}

// checkScheduling applies the rules on isSchedulingEnabled (spec 2.1; on-demand [U]).
func checkScheduling(path string, enabled, scheduling, onDemand bool) error {
	switch {
	case scheduling && !enabled:
		return wire.PathError(path, "isSchedulingEnabled cannot be true while isEnabled is false.")
	case scheduling && onDemand:
		return wire.PathError(path, "isSchedulingEnabled cannot be true for a workflow with '#microsoft.graph.%s' execution conditions; it runs only on demand.", typeOnDemand)
	}
	return nil
}

func typeName(leaf string) string { return "#" + wire.GraphNamespace + leaf }

func (in *workflowInput) parseConditions(path string, v any) (map[string]any, bool, error) {
	o, err := wire.NewObject(path, nS+"workflowExecutionConditions", v)
	if err != nil {
		return nil, false, err
	}
	typ, err := o.PolyType(nS+"workflowExecutionConditions", []string{typeTriggerScope, typeOnDemand})
	if err != nil {
		return nil, false, err
	}
	o.Type = typ
	if typ == typeOnDemand {
		return map[string]any{"@odata.type": typeName(typ)}, true, o.Done()
	}
	sv, ok := o.Get("scope")
	if !ok {
		return nil, false, wire.PathError(o.At("scope"), "the property is required on type 'microsoft.graph.%s'.", typ)
	}
	scope, groupScope, err := in.parseScope(o.At("scope"), sv)
	if err != nil {
		return nil, false, err
	}
	tv, ok := o.Get("trigger")
	if !ok {
		return nil, false, wire.PathError(o.At("trigger"), "the property is required on type 'microsoft.graph.%s'.", typ)
	}
	trigger, err := parseTrigger(o.At("trigger"), tv, groupScope)
	if err != nil {
		return nil, false, err
	}
	return map[string]any{"@odata.type": typeName(typ), "scope": scope, "trigger": trigger}, false, o.Done()
}

func (in *workflowInput) parseScope(path string, v any) (map[string]any, bool, error) {
	o, err := wire.NewObject(path, "subjectSet", v)
	if err != nil {
		return nil, false, err
	}
	typ, err := o.PolyType("subjectSet", []string{typeRuleScope, typeGroupScope})
	if err != nil {
		return nil, false, err
	}
	o.Type = typ
	if typ == typeRuleScope {
		rule, _, err := o.Str("rule", true, true)
		if err != nil {
			return nil, false, err
		}
		if err := ParseRule(rule); err != nil {
			return nil, false, wire.PathError(o.At("rule"), "the rule '%s' is not valid: %v.", rule, err)
		}
		return map[string]any{"@odata.type": typeName(typ), "rule": rule}, false, o.Done()
	}
	list, err := o.Array("groups")
	if err != nil {
		return nil, false, err
	}
	if len(list) == 0 {
		return nil, false, wire.PathError(o.At("groups"), "at least one group is required.")
	}
	groups := make([]any, 0, len(list))
	seen := map[string]bool{}
	for i, g := range list {
		gp := wire.Index(o.At("groups"), i)
		m, ok := g.(map[string]any)
		if !ok {
			return nil, false, wire.PathError(gp, "expected a JSON object {\"id\": \"<group id>\"}, got '%s'.", wire.Literal(g))
		}
		id, err := guid(gp+".id", m["id"])
		if err != nil {
			return nil, false, err
		}
		if seen[strings.ToLower(id)] {
			return nil, false, wire.PathError(gp+".id", "group '%s' is listed twice.", id)
		}
		seen[strings.ToLower(id)] = true
		in.refs = append(in.refs, reference{path: gp + ".id", coll: directory.Groups, id: id})
		// Further properties of the referenced group are read-only and ignored.
		groups = append(groups, map[string]any{"id": id})
	}
	return map[string]any{"@odata.type": typeName(typ), "groups": groups}, true, o.Done()
}

func guid(path string, v any) (string, error) {
	s, ok := v.(string)
	if v == nil {
		return "", wire.PathError(path, "the property is required.")
	}
	if !ok {
		return "", wire.PathTypeError(path, v, "Edm.String")
	}
	if _, err := uuid.Parse(strings.TrimSpace(s)); err != nil {
		return "", wire.PathError(path, "'%s' is not a valid object id (GUID).", s)
	}
	return strings.TrimSpace(s), nil
}

func parseTrigger(path string, v any, groupScope bool) (map[string]any, error) {
	o, err := wire.NewObject(path, nS+"workflowExecutionTrigger", v)
	if err != nil {
		return nil, err
	}
	typ, err := o.PolyType(nS+"workflowExecutionTrigger", []string{typeTimeTrigger, typeAttrTrigger, typeMemberTrigger, typeInactivity})
	if err != nil {
		return nil, err
	}
	o.Type = typ
	out := map[string]any{"@odata.type": typeName(typ)}
	switch typ {
	case typeTimeTrigger:
		err = parseTimeTrigger(o, out)
	case typeAttrTrigger:
		err = parseAttributeTrigger(o, out)
	case typeMemberTrigger:
		if err = requiredOn(o, "changeType"); err != nil {
			return nil, err
		}
		ct, err := o.Enum("changeType", changeTypes, "")
		if err != nil {
			return nil, err
		}
		if !groupScope {
			return nil, wire.PathError(o.Path, "a membership change trigger needs a '%s' scope.", typeName(typeGroupScope))
		}
		out["changeType"] = ct
	case typeInactivity:
		if err = requiredOn(o, "inactivityPeriodInDays"); err != nil {
			return nil, err
		}
		days, err := o.Integer("inactivityPeriodInDays", 0)
		if err != nil {
			return nil, err
		}
		if days < 1 {
			return nil, wire.PathError(o.At("inactivityPeriodInDays"), "%d is out of range; inactivityPeriodInDays must be at least 1.", days)
		}
		out["inactivityPeriodInDays"] = days
	}
	if err != nil {
		return nil, err
	}
	return out, o.Done()
}

// requiredOn refuses a trigger without the property its type needs.
func requiredOn(o *wire.Object, k string) error {
	if x, ok := o.Values[k]; !ok || x == nil {
		return wire.PathError(o.At(k), "the property is required on type 'microsoft.graph.%s'.", o.Type)
	}
	return nil
}

// parseTimeTrigger reads a timeBasedAttributeTrigger: the attribute and the offset in days.
func parseTimeTrigger(o *wire.Object, out map[string]any) error {
	if err := requiredOn(o, "timeBasedAttribute"); err != nil {
		return err
	}
	attr, err := o.Enum("timeBasedAttribute", timeAttributes, "")
	if err != nil {
		return err
	}
	if err := requiredOn(o, "offsetInDays"); err != nil {
		return err
	}
	off, err := o.Integer("offsetInDays", 0)
	if err != nil {
		return err
	}
	if off < offsetMin || off > offsetMax {
		return wire.PathError(o.At("offsetInDays"), "%d is out of range; offsetInDays must be between %d and %d.", off, offsetMin, offsetMax)
	}
	out["timeBasedAttribute"], out["offsetInDays"] = attr, off
	return nil
}

// parseAttributeTrigger reads an attributeChangeTrigger: user attributes, each named once.
func parseAttributeTrigger(o *wire.Object, out map[string]any) error {
	list, err := o.Array("triggerAttributes")
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return wire.PathError(o.At("triggerAttributes"), "at least one trigger attribute is required.")
	}
	attrs := make([]any, 0, len(list))
	seen := map[string]bool{}
	for i, x := range list {
		ao, err := wire.NewObject(wire.Index(o.At("triggerAttributes"), i), nS+"triggerAttribute", x)
		if err != nil {
			return err
		}
		if _, err := ao.FixedType(); err != nil {
			return err
		}
		name, _, err := ao.Str("name", true, true)
		if err != nil {
			return err
		}
		canon, ok := triggerAttributes[strings.ToLower(strings.TrimSpace(name))]
		if !ok && ruleExtensionRE.MatchString(strings.TrimSpace(name)) {
			canon, ok = strings.TrimSpace(name), true
		}
		if !ok {
			return wire.PathError(ao.At("name"), "'%s' is not a user attribute that can trigger a workflow (for example department, jobTitle, companyName, employeeType, officeLocation).", name)
		}
		if seen[strings.ToLower(canon)] {
			return wire.PathError(ao.At("name"), "'%s' is listed twice.", canon)
		}
		seen[strings.ToLower(canon)] = true
		if err := ao.Done(); err != nil {
			return err
		}
		attrs = append(attrs, map[string]any{"name": canon})
	}
	out["triggerAttributes"] = attrs
	return nil
}

func (in *workflowInput) parseTasks(path string, v any) error {
	list, ok := v.([]any)
	if !ok {
		return wire.PathError(path, "expected a JSON array, got '%s'.", wire.Literal(v))
	}
	if len(list) == 0 {
		return wire.PathError(path, "a workflow needs at least one task.")
	}
	if len(list) > maxTasks {
		return wire.PathError(path, "a workflow can have at most %d tasks; got %d.", maxTasks, len(list))
	}
	names := map[string]int{}
	for i, x := range list {
		task, err := in.parseTask(wire.Index(path, i), x, i+1)
		if err != nil {
			return err
		}
		key := strings.ToLower(strings.TrimSpace(task["displayName"].(string)))
		if j, dup := names[key]; dup {
			return wire.PathError(wire.Index(path, i)+".displayName", "the task name '%s' is already used by tasks[%d]; task names must be unique within a workflow.", task["displayName"], j)
		}
		names[key] = i
		in.tasks = append(in.tasks, task)
	}
	return nil
}

func (in *workflowInput) parseTask(path string, v any, seq int) (map[string]any, error) {
	o, err := wire.NewObject(path, typeTask, v)
	if err != nil {
		return nil, err
	}
	if _, err := o.FixedType(); err != nil {
		return nil, err
	}
	o.Ignore("id", "executionSequence", "createdDateTime", "lastModifiedDateTime")
	name, _, err := o.Str("displayName", true, true)
	if err != nil {
		return nil, err
	}
	desc, err := o.NullableStr("description")
	if err != nil {
		return nil, err
	}
	defID, _, err := o.Str("taskDefinitionId", true, true)
	if err != nil {
		return nil, err
	}
	def, ok := findDefinition(in.defs, defID)
	if !ok {
		return nil, wire.PathError(o.At("taskDefinitionId"), "'%s' is not one of the tenant's task definitions; see GET /identityGovernance/lifecycleWorkflows/taskDefinitions.", defID)
	}
	if !def.hasCategory(in.category) {
		return nil, wire.PathError(o.At("taskDefinitionId"), "The task definition '%s' (%s) cannot be used in a %s workflow; it supports: %s.",
			def.DisplayName, def.ID, in.category, def.categoryFlags())
	}
	enabled, err := o.Boolean("isEnabled", true)
	if err != nil {
		return nil, err
	}
	cont, err := o.Boolean("continueOnError", false)
	if err != nil {
		return nil, err
	}
	// category is filled from the definition; a sent value must at least be valid flags.
	if cv, ok := o.Get("category"); ok {
		s, isStr := cv.(string)
		if !isStr {
			return nil, wire.PathTypeError(o.At("category"), cv, "microsoft.graph.identityGovernance.lifecycleTaskCategory")
		}
		for _, f := range strings.Split(s, ",") {
			if _, err := wire.Enum(o.At("category"), strings.TrimSpace(f), append(append([]string{}, categoryMembers...), tdUnknownFutureEnum)); err != nil {
				return nil, err
			}
		}
	}
	args, err := in.parseArguments(o, def)
	if err != nil {
		return nil, err
	}
	if err := o.Done(); err != nil {
		return nil, err
	}
	return map[string]any{
		"displayName":       name,
		"description":       desc,
		"taskDefinitionId":  strings.TrimSpace(defID),
		"arguments":         args,
		"isEnabled":         enabled,
		"continueOnError":   cont,
		"executionSequence": seq,
		"category":          def.categoryFlags(),
	}, nil
}

// parseArguments checks the keyValuePair list against the definition's parameters.
func (in *workflowInput) parseArguments(o *wire.Object, def *TaskDefinition) ([]any, error) {
	list, err := o.Array("arguments")
	if err != nil {
		return nil, err
	}
	path := o.At("arguments")
	out := make([]any, 0, len(list))
	got := map[string]string{}
	for i, x := range list {
		ao, err := wire.NewObject(wire.Index(path, i), "keyValuePair", x)
		if err != nil {
			return nil, err
		}
		name, _, err := ao.Str("name", true, true)
		if err != nil {
			return nil, err
		}
		var param *TaskParameter
		for j := range def.Parameters {
			if strings.EqualFold(def.Parameters[j].Name, strings.TrimSpace(name)) {
				param = &def.Parameters[j]
			}
		}
		if param == nil {
			return nil, wire.PathError(ao.At("name"), "'%s' is not an argument of the task definition '%s'; %s.", name, def.DisplayName, paramNames(def))
		}
		if _, dup := got[param.Name]; dup {
			return nil, wire.PathError(ao.At("name"), "the argument '%s' is given twice.", param.Name)
		}
		raw, ok := ao.Get("value")
		if !ok {
			return nil, wire.PathError(ao.At("value"), "a value is required for the argument '%s'.", param.Name)
		}
		value, isStr := raw.(string)
		if !isStr {
			return nil, wire.PathTypeError(ao.At("value"), raw, "Edm.String")
		}
		if value, err = in.argumentValue(ao.At("value"), param, value); err != nil {
			return nil, err
		}
		if err := ao.Done(); err != nil {
			return nil, err
		}
		got[param.Name] = value
		out = append(out, map[string]any{"name": param.Name, "value": value})
	}
	for _, p := range def.Parameters {
		if _, ok := got[p.Name]; p.Required && !ok {
			return nil, wire.PathError(path, "the task definition '%s' requires the argument '%s'.", def.DisplayName, p.Name)
		}
	}
	// An assignment policy must belong to the access package named in the same task.
	if pol, ok := got[tdArgAssignmentPol]; ok {
		for i := range in.refs {
			if in.refs[i].coll == entitlement.AssignmentPolicies && in.refs[i].id == pol {
				in.refs[i].pkgID = got[tdArgAccessPackage]
			}
		}
	}
	return out, nil
}

func paramNames(def *TaskDefinition) string {
	if len(def.Parameters) == 0 {
		return "it takes no arguments"
	}
	names := make([]string, len(def.Parameters))
	for i, p := range def.Parameters {
		names[i] = p.Name
	}
	return "valid arguments: " + strings.Join(names, ", ")
}

// argumentValue checks one argument value and returns it as stored (enum members
// canonical, everything else as sent).
func (in *workflowInput) argumentValue(path string, p *TaskParameter, value string) (string, error) {
	trimmed := strings.TrimSpace(value)
	switch p.ValueType {
	case tdValueTypeEnum:
		for _, m := range p.Values {
			if strings.EqualFold(m, trimmed) {
				return m, nil
			}
		}
		return "", wire.PathError(path, "'%s' is not valid for the argument '%s'. Valid values: %s.", value, p.Name, strings.Join(p.Values, ", "))
	case tdValueTypeInt:
		n, err := strconv.Atoi(trimmed)
		if err != nil {
			return "", wire.PathError(path, "the argument '%s' takes a whole number, not '%s'.", p.Name, value)
		}
		if p.Name == tdArgTapLifetime && (n < tdTapLifetimeMin || n > tdTapLifetimeMax) {
			return "", wire.PathError(path, "%d is out of range; %s must be between %d and %d.", n, p.Name, tdTapLifetimeMin, tdTapLifetimeMax)
		}
		return value, nil
	}
	if p.Required && trimmed == "" {
		return "", wire.PathError(path, "the argument '%s' must not be empty.", p.Name)
	}
	switch p.Name {
	case tdArgGroupID, tdArgTeamID, tdArgLicenses:
		// Comma-separated object ids (groups and teams are groups; licenses are SKU ids [U]).
		seen := map[string]bool{}
		for _, part := range strings.Split(value, ",") {
			id, err := guid(path, part)
			if err != nil {
				return "", wire.PathError(path, "the argument '%s' takes comma-separated ids; '%s' is not a GUID.", p.Name, strings.TrimSpace(part))
			}
			if seen[strings.ToLower(id)] {
				return "", wire.PathError(path, "'%s' is listed twice in the argument '%s'.", id, p.Name)
			}
			seen[strings.ToLower(id)] = true
			if p.Name == tdArgGroupID {
				in.refs = append(in.refs, reference{path: path, coll: directory.Groups, id: id})
			}
		}
	case tdArgCustomTaskExt, tdArgAccessPackage, tdArgAssignmentPol:
		id, err := guid(path, value)
		if err != nil {
			return "", err
		}
		switch p.Name {
		case tdArgCustomTaskExt:
			in.refs = append(in.refs, reference{path: path, coll: collCustomTaskExtensions, id: id})
		case tdArgAccessPackage:
			in.refs = append(in.refs, reference{path: path, coll: entitlement.AccessPackages, id: id})
		case tdArgAssignmentPol:
			in.refs = append(in.refs, reference{path: path, coll: entitlement.AssignmentPolicies, id: id})
		}
	}
	return value, nil
}

var refNouns = map[string]string{
	directory.Groups: "group", entitlement.AccessPackages: "access package", entitlement.AssignmentPolicies: "assignment policy",
	collCustomTaskExtensions: "custom task extension",
}

// checkReferences checks the referenced objects exist (callers hold the write lock).
func (s *API) checkReferences(refs []reference) error {
	for _, ref := range refs {
		rec, err := s.Store.Get(ref.coll, ref.id)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return wire.PathError(ref.path, "%s '%s' does not exist.", refNouns[ref.coll], ref.id)
			}
			return err
		}
		if ref.coll == entitlement.AssignmentPolicies && ref.pkgID != "" {
			if pkg := entitlement.PolicyPackageID(rec.Body); !strings.EqualFold(pkg, ref.pkgID) {
				return wire.PathError(ref.path, "assignment policy '%s' belongs to access package '%s', not to '%s'.", ref.id, pkg, ref.pkgID)
			}
		}
	}
	return nil
}
