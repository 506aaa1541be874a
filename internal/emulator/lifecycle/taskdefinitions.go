package lifecycle

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// Built-in lifecycle workflow task definitions (spec 2.5), served read-only at
// LW/taskDefinitions and used to validate workflow tasks.

// TaskParameter is one argument a task definition takes.
type TaskParameter struct {
	Name      string
	Values    []string // allowed values of an enum parameter; empty = free text
	ValueType string   // "string", "enum" or "int", as the API's valueType
	// Required is the emulator's rule (spec 2.5 has no required flag; [U]): the
	// object-naming arguments of their tasks (groupID, teamID, customTaskExtensionID,
	// accessPackageId, assignmentPolicyId, licenses) are required; email,
	// temporary-access-pass and on-premises-account arguments are optional.
	Required bool
}

// TaskDefinition is one built-in task definition.
type TaskDefinition struct {
	ID          string // as the service answers; one id is upper-case, compare case-insensitively
	DisplayName string
	Description string   // not in the spec's table: the service's wording as far as known [U]
	Categories  []string // lifecycleTaskCategory members, in flags order joiner, leaver, mover
	Parameters  []TaskParameter
}

// Argument names shared by several definitions.
const (
	tdArgGroupID        = "groupID"
	tdArgTeamID         = "teamID"
	tdArgCustomTaskExt  = "customTaskExtensionID"
	tdArgAccessPackage  = "accessPackageId"
	tdArgAssignmentPol  = "assignmentPolicyId"
	tdArgLicenses       = "licenses"
	tdArgTapLifetime    = "tapLifetimeMinutes"
	tdTapLifetimeMin    = 10
	tdTapLifetimeMax    = 43000
	tdValueTypeString   = "string"
	tdValueTypeEnum     = "enum"
	tdValueTypeInt      = "int"
	tdCategoryJoiner    = "joiner"
	tdCategoryLeaver    = "leaver"
	tdCategoryMover     = "mover"
	tdUnknownFutureEnum = "unknownFutureValue"
)

func stringParam(name string, required bool) TaskParameter {
	return TaskParameter{Name: name, Values: []string{}, ValueType: tdValueTypeString, Required: required}
}

func trueFalseParam(name string) TaskParameter {
	return TaskParameter{Name: name, Values: []string{"true", "false"}, ValueType: tdValueTypeEnum}
}

// emailParams are the optional arguments of the email tasks.
func emailParams() []TaskParameter {
	return []TaskParameter{stringParam("cc", false), stringParam("customSubject", false), stringParam("customBody", false),
		stringParam("locale", false), stringParam("to", false)}
}

func categories(c ...string) []string { return c }

// TaskDefinitions returns the 25 built-in task definitions of Graph v1.0: ids, display names,
// categories and argument names as
// https://learn.microsoft.com/en-us/graph/identitygovernance-lifecycleworkflows-task-arguments and
// https://learn.microsoft.com/en-us/graph/api/identitygovernance-lifecycleworkflowscontainer-list-taskdefinitions?view=graph-rest-1.0
// give them (internal/emulator/README.md, "Lifecycle task definitions"); valueType "enum" with values
// ["true","false"] for the true/false arguments, "int" for tapLifetimeMinutes (10-43000), "string"
// otherwise. Required is the emulator's decision documented on TaskParameter, and
// Description is not part of the spec's table. Every call returns a fresh copy.
func TaskDefinitions() []TaskDefinition {
	j, l, m := tdCategoryJoiner, tdCategoryLeaver, tdCategoryMover
	tap := append([]TaskParameter{
		{Name: tdArgTapLifetime, Values: []string{}, ValueType: tdValueTypeInt},
		trueFalseParam("tapIsUsableOnce"),
	}, emailParams()...)
	return []TaskDefinition{
		{"70b29d51-b59a-4773-9280-8841dfd3f2ea", "Send welcome email", "Send welcome email to new hire", categories(j), emailParams()},
		{"3C860712-2D37-42A4-928F-5C93935D26A1", "Send onboarding reminder email", "Send onboarding reminder email to user's manager", categories(j), emailParams()},
		{"1b555e50-7f65-41d5-b514-5894a026d10d", "Generate TAP and send email", "Generate Temporary Access Pass and send via email to user's manager", categories(j), tap},
		{"22085229-5809-45e8-97fd-270d28d66910", "Add user to groups", "Add user to selected groups", categories(j, l, m), []TaskParameter{stringParam(tdArgGroupID, true)}},
		{"e440ed8d-25a1-4618-84ce-091ed5be5594", "Add user to Teams", "Add user to selected Teams", categories(j, l, m), []TaskParameter{stringParam(tdArgTeamID, true)}},
		{"6fc52c9d-398b-4305-9763-15f42c1676fc", "Enable user account", "Enable user account in the directory", categories(j, l), []TaskParameter{trueFalseParam("enableOnPremisesAccount")}},
		{"1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950", "Disable user account", "Disable user account in the directory", categories(j, l), []TaskParameter{trueFalseParam("disableOnPremisesAccount")}},
		{"1953a66c-751c-45e5-8bfe-01462c70da3c", "Remove user from selected groups", "Remove user from membership of selected Azure AD groups", categories(j, l, m), []TaskParameter{stringParam(tdArgGroupID, true)}},
		{"b3a31406-2a15-4c9a-b25b-a658fa5f07fc", "Remove user from all groups", "Remove user from all Azure AD groups memberships", categories(l), []TaskParameter{}},
		{"06aa7acb-01af-4824-8899-b14e5ed788d6", "Remove user from selected Teams", "Remove user from membership of selected Teams", categories(j, l, m), []TaskParameter{stringParam(tdArgTeamID, true)}},
		{"81f7b200-2816-4b3b-8c5d-dc556f07b024", "Remove user from all Teams", "Remove user from all Teams memberships", categories(l), []TaskParameter{}},
		{"8fa97d28-3e52-4985-b3a9-a1126f9b8b4e", "Remove all licenses for user", "Remove all licenses assigned to the user", categories(l), []TaskParameter{}},
		{"8d18588d-9ad3-4c0f-99d0-ec215f0e3dff", "Delete user account", "Delete user account in Azure AD", categories(l), []TaskParameter{trueFalseParam("deleteOnPremisesAccount")}},
		{"4262b724-8dba-4fad-afc3-43fcbb497a0e", "Run a Custom Task Extension", "Run a Custom Task Extension to callout to an external system.", categories(j, l, m), []TaskParameter{stringParam(tdArgCustomTaskExt, true)}},
		{"52853a3e-f4e5-4eb8-bb24-1ac09a1da935", "Send email before user's last day", "Send offboarding email to user's manager before the last day of work", categories(l), emailParams()},
		{"9c0a1eaf-5bda-4392-9d9e-6e155bb57411", "Send email on user's last day", "Send offboarding email to user's manager on the last day of work", categories(l), emailParams()},
		{"6f22ddd4-b3a5-47a4-a846-0d7c201a49ce", "Send email after user's last day", "Send offboarding email to user's manager after the last day of work", categories(l), emailParams()},
		{"c1ec1e76-f374-4375-aaa6-0bb6bd4c60be", "Request user access package assignment", "Request user assignment to selected access package", categories(j, m), []TaskParameter{stringParam(tdArgAssignmentPol, true), stringParam(tdArgAccessPackage, true)}},
		{"4a0b64f2-c7ec-46ba-b117-18f262946c50", "Remove access package assignment for user", "Remove user assignment of selected access package", categories(l, m), []TaskParameter{stringParam(tdArgAccessPackage, true)}},
		{"42ae2956-193d-4f39-be06-691b8ac4fa1d", "Remove all access package assignments for user", "Remove all access packages assigned to the user", categories(l), []TaskParameter{}},
		{"498770d9-bab7-4e4c-b73d-5ded82a1d0b3", "Cancel pending access package assignment requests for user", "Cancel all pending access packages assignment requests for the user", categories(l, m), []TaskParameter{}},
		{"aab41899-9972-422a-9d97-f626014578b7", "Send email to notify manager of user move", "Send email to notify user's manager of user move", categories(m), emailParams()},
		{"683c87a4-2ad4-420b-97d4-220d90afcd24", "Assign licenses to user", "Assign selected licenses to the user", categories(j, m), []TaskParameter{stringParam(tdArgLicenses, true)}},
		{"5fc402a8-daaf-4b7b-9203-da868b05fc5f", "Remove licenses from user", "Remove selected licenses assigned to the user", categories(l, m), []TaskParameter{stringParam(tdArgLicenses, true)}},
		{"509589a4-0466-4471-829e-49c5e502bdee", "Revoke all refresh tokens for user", "Revoke all refresh tokens for user", categories(l, m), []TaskParameter{}},
	}
}

// builtInDefinitions is the read-only table of the 25 built-in definitions; the tenant's
// own definitions (collTaskDefinitions) are added to it per server, see definitions.
var builtInDefinitions = TaskDefinitions()

// collTaskDefinitions holds the task definitions a tenant has beyond the built-in ones,
// added out of band with PutTaskDefinition (the control API), as a definition Microsoft
// adds to the service after our table was written would appear in
// GET LW/taskDefinitions (https://learn.microsoft.com/en-us/graph/api/identitygovernance-lifecycleworkflowscontainer-list-taskdefinitions?view=graph-rest-1.0).
// One document per definition, in the shape GET LW/taskDefinitions/{id} answers plus the
// internal "_required" (the names of the required parameters). A stored definition with
// the id of a built-in one replaces it. Reset wipes them, leaving the built-in ones.
const collTaskDefinitions = "taskDefinitions"

// ifRequired is the internal field of a stored definition naming its required parameters.
const ifRequired = "_required"

// definitions returns the tenant's task definitions: the built-in ones (a stored
// definition with the same id in their place), then the stored ones in the order they
// were added.
func (s *API) definitions() ([]TaskDefinition, error) {
	recs, err := s.Store.List(collTaskDefinitions)
	if err != nil {
		return nil, err
	}
	out := make([]TaskDefinition, len(builtInDefinitions), len(builtInDefinitions)+len(recs))
	copy(out, builtInDefinitions)
	for _, rec := range recs {
		d := definitionFromDoc(rec.Body)
		if i := indexDefinition(out, d.ID); i >= 0 {
			out[i] = d
		} else {
			out = append(out, d)
		}
	}
	return out, nil
}

func indexDefinition(defs []TaskDefinition, id string) int {
	id = strings.TrimSpace(id)
	for i := range defs {
		if strings.EqualFold(defs[i].ID, id) {
			return i
		}
	}
	return -1
}

// findDefinition finds a definition by id, case-insensitively.
func findDefinition(defs []TaskDefinition, id string) (*TaskDefinition, bool) {
	if i := indexDefinition(defs, id); i >= 0 {
		return &defs[i], true
	}
	return nil, false
}

// definitionFromDoc reads a stored definition (see collTaskDefinitions).
func definitionFromDoc(doc map[string]any) TaskDefinition {
	required := map[string]bool{}
	for _, n := range wire.AnySlice(doc[ifRequired]) {
		if s, ok := n.(string); ok {
			required[s] = true
		}
	}
	d := TaskDefinition{ID: wire.StrField(doc, "id"), DisplayName: wire.StrField(doc, "displayName"),
		Description: wire.StrField(doc, "description"), Parameters: []TaskParameter{}}
	for _, c := range strings.Split(wire.StrField(doc, "category"), ",") {
		if c = strings.TrimSpace(c); c != "" {
			d.Categories = append(d.Categories, c)
		}
	}
	for _, x := range wire.AnySlice(doc["parameters"]) {
		m, _ := x.(map[string]any)
		if m == nil {
			continue
		}
		p := TaskParameter{Name: wire.StrField(m, "name"), ValueType: wire.StrField(m, "valueType"), Values: []string{}}
		for _, v := range wire.AnySlice(m["values"]) {
			if s, ok := v.(string); ok {
				p.Values = append(p.Values, s)
			}
		}
		p.Required = required[p.Name]
		d.Parameters = append(d.Parameters, p)
	}
	return d
}

// checkDefinition validates a definition given to PutTaskDefinition and returns it in
// canonical form (categories as lifecycleTaskCategory members in flags order, an enum's
// values as given, no nil slices).
func checkDefinition(d TaskDefinition) (TaskDefinition, error) {
	out := TaskDefinition{ID: strings.TrimSpace(d.ID), DisplayName: strings.TrimSpace(d.DisplayName), Description: d.Description}
	if _, err := uuid.Parse(out.ID); err != nil {
		return out, fmt.Errorf("task definition id %q is not a GUID", d.ID)
	}
	if out.DisplayName == "" {
		return out, errors.New("a task definition needs a displayName")
	}
	seen := map[string]bool{}
	for _, c := range d.Categories {
		c = strings.ToLower(strings.TrimSpace(c))
		if !slices.Contains(categoryMembers, c) {
			return out, fmt.Errorf("category %q is not one of %s", c, strings.Join(categoryMembers, ", "))
		}
		seen[c] = true
	}
	for _, c := range categoryMembers {
		if seen[c] {
			out.Categories = append(out.Categories, c)
		}
	}
	if len(out.Categories) == 0 {
		return out, errors.New("a task definition needs at least one category")
	}
	out.Parameters = []TaskParameter{}
	names := map[string]bool{}
	for _, p := range d.Parameters {
		q := TaskParameter{Name: strings.TrimSpace(p.Name), ValueType: p.ValueType, Required: p.Required, Values: append([]string{}, p.Values...)}
		if q.Name == "" {
			return out, errors.New("a parameter needs a name")
		}
		if names[strings.ToLower(q.Name)] {
			return out, fmt.Errorf("the parameter %q is given twice", q.Name)
		}
		names[strings.ToLower(q.Name)] = true
		switch q.ValueType {
		case tdValueTypeEnum:
			if len(q.Values) == 0 {
				return out, fmt.Errorf("the enum parameter %q needs values", q.Name)
			}
		case tdValueTypeString, tdValueTypeInt:
			if len(q.Values) != 0 {
				return out, fmt.Errorf("the %s parameter %q takes no values", q.ValueType, q.Name)
			}
		default:
			return out, fmt.Errorf("the parameter %q has valueType %q; use %s, %s or %s", q.Name, q.ValueType, tdValueTypeString, tdValueTypeEnum, tdValueTypeInt)
		}
		out.Parameters = append(out.Parameters, q)
	}
	return out, nil
}

// PutTaskDefinition adds a task definition to the tenant, or replaces the one with its
// id (a built-in one too), out of band: GET LW/taskDefinitions then lists it and workflow
// tasks may use it. Reset removes it again. A definition that is not well formed (id not
// a GUID, no display name, no category, a parameter without a name or with another
// valueType than string, enum or int, an enum without values) is refused.
func (s *API) PutTaskDefinition(d TaskDefinition) error {
	d, err := checkDefinition(d)
	if err != nil {
		return err
	}
	doc := d.doc()
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	_, err = s.Store.Get(collTaskDefinitions, d.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return s.Store.Insert(collTaskDefinitions, d.ID, doc, s.Now())
	case err != nil:
		return err
	}
	return s.Store.Update(collTaskDefinitions, d.ID, func(obj map[string]any) error {
		clear(obj)
		for k, v := range doc {
			obj[k] = v
		}
		return nil
	})
}

// DeleteTaskDefinition removes a definition PutTaskDefinition added (a built-in one it
// replaced comes back); store.ErrNotFound when there is none.
func (s *API) DeleteTaskDefinition(id string) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	return s.Store.Delete(collTaskDefinitions, strings.TrimSpace(id))
}

// controlDefinition is the body of PUT /_emulator/taskDefinitions/{id}: the definition in
// the shape Graph answers it, each parameter with the emulator's "required" flag.
type controlDefinition struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Description string `json:"description"`
	Category    string `json:"category"`
	Parameters  []struct {
		Name      string   `json:"name"`
		Values    []string `json:"values"`
		ValueType string   `json:"valueType"`
		Required  bool     `json:"required"`
	} `json:"parameters"`
}

func (s *API) taskDefinitionControlRoutes(t *route.Table) {
	t.Add(route.Control, nil, "/_emulator/taskDefinitions/{id}", map[string]route.Handler{
		http.MethodPut:    s.ctlPutTaskDefinition,
		http.MethodDelete: s.ctlDeleteTaskDefinition,
	})
}

func (s *API) ctlPutTaskDefinition(w http.ResponseWriter, r *http.Request, p route.Params) error {
	var in controlDefinition
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return wire.BadRequest("body must be a task definition JSON object: " + err.Error())
	}
	if in.ID != "" && !strings.EqualFold(strings.TrimSpace(in.ID), p["id"]) {
		return wire.BadRequest(fmt.Sprintf("the body's id %q is not the id of the path %q", in.ID, p["id"]))
	}
	d := TaskDefinition{ID: p["id"], DisplayName: in.DisplayName, Description: in.Description, Categories: strings.Split(in.Category, ",")}
	for _, q := range in.Parameters {
		d.Parameters = append(d.Parameters, TaskParameter{Name: q.Name, Values: q.Values, ValueType: q.ValueType, Required: q.Required})
	}
	if err := s.PutTaskDefinition(d); err != nil {
		var we *wire.Error
		if errors.As(err, &we) {
			return err
		}
		return wire.BadRequest(err.Error())
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *API) ctlDeleteTaskDefinition(w http.ResponseWriter, r *http.Request, p route.Params) error {
	if err := s.DeleteTaskDefinition(p["id"]); err != nil {
		return route.ControlError(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (d *TaskDefinition) hasCategory(c string) bool {
	for _, x := range d.Categories {
		if x == c {
			return true
		}
	}
	return false
}

// categoryFlags is the flags string of the API ("joiner,leaver,mover").
func (d *TaskDefinition) categoryFlags() string { return strings.Join(d.Categories, ",") }

// doc is the stored (canonical) taskDefinition object.
func (d *TaskDefinition) doc() map[string]any {
	params := make([]any, 0, len(d.Parameters))
	required := []any{}
	for _, p := range d.Parameters {
		values := make([]any, 0, len(p.Values))
		for _, v := range p.Values {
			values = append(values, v)
		}
		params = append(params, map[string]any{"name": p.Name, "values": values, "valueType": p.ValueType})
		if p.Required {
			required = append(required, p.Name)
		}
	}
	return map[string]any{
		ifRequired:        required,
		"id":              d.ID,
		"displayName":     d.DisplayName,
		"description":     d.Description,
		"category":        d.categoryFlags(),
		"continueOnError": false,
		"version":         1,
		"parameters":      params,
	}
}

var taskDefFilterable = []string{"id", "displayName", "description", "category", "version", "continueOnError"}

func (s *API) listTaskDefinitions(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	cq, err := s.ParseQuery(r, taskDefFilterable)
	if err != nil {
		return err
	}
	defs, err := s.definitions()
	if err != nil {
		return err
	}
	recs := make([]*store.Record, 0, len(defs))
	for i := range defs {
		recs = append(recs, &store.Record{Seq: int64(i + 1), ID: defs[i].ID, Body: defs[i].doc()})
	}
	recs, err = order(r, recs, []string{"displayName", "id", "category", "version"})
	if err != nil {
		return err
	}
	include := includeUnknown(w, r)
	// The list answers @odata.count without $count=true:
	// https://learn.microsoft.com/en-us/graph/api/identitygovernance-lifecycleworkflowscontainer-list-taskdefinitions?view=graph-rest-1.0
	cq.Count = true
	odata.WriteCollection(w, r, cq, recs, "identityGovernance/lifecycleWorkflows/taskDefinitions", func(b map[string]any) map[string]any {
		return taskDefOut(b, include)
	})
	return nil
}

func (s *API) getTaskDefinition(w http.ResponseWriter, r *http.Request, p route.Params) error {
	defs, err := s.definitions()
	if err != nil {
		return err
	}
	d, ok := findDefinition(defs, p["id"])
	if !ok {
		return wire.NotFound(p["id"])
	}
	out := taskDefOut(d.doc(), includeUnknown(w, r))
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(wire.WithContext(out, wire.EntityContext(r, "identityGovernance/lifecycleWorkflows/taskDefinitions")), odata.SelectList(r)))
	return nil
}

func taskDefOut(doc map[string]any, include bool) map[string]any {
	out := wire.Public(doc)
	out["category"] = flagsOut(wire.StrField(doc, "category"), include)
	return out
}
