package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/identity"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// Lifecycle workflows (spec 2, 2.1-2.4).
//
// Storage: one document per workflow, its current tasks inline under "tasks" (each
// with id, displayName, description, taskDefinitionId, arguments, isEnabled,
// continueOnError, executionSequence and category), in collection "workflows" while
// active and in "deletedWorkflows" once soft-deleted (the same document, with
// deletedDateTime set). Internal fields: "_versions" holds the snapshots of the
// previous versions (workflowVersion objects with their tasks), and
// "_versionCreatedDateTime" when the current version was made. Categories, task
// category flags and timeBasedAttribute are stored with their real members (mover,
// createdDateTime) and substituted on output unless the request carries
// Prefer: include-unknown-enum-members (spec 0).
//
// Control: ChangeObject("workflows", id, patch) merges into the document, so nested
// executionConditions can be changed member by member; "tasks" is an array and is
// replaced whole (or use ChangeWorkflowTask for one task). DeleteObject("workflows", id)
// removes a workflow for good, out of band (no soft delete); the soft-deleted ones are
// reachable under "deletedWorkflows".

const (
	lwPrefix = "/v1.0/identityGovernance/lifecycleWorkflows"

	collWorkflows        = "workflows"
	collDeletedWorkflows = "deletedWorkflows"

	ifVersions           = "_versions"
	ifVersionCreatedTime = "_versionCreatedDateTime"

	// lwMaxWorkflows is the tenant limit; soft-deleted workflows count too [U].
	lwMaxWorkflows = 100

	lwPreferUnknownEnums = "include-unknown-enum-members"

	msgLWDuplicateName = "A workflow with the same display name already exists."
)

// Permission areas of the lifecycle routes (spec 3.7), see lwPermission.
const (
	lwArea         = "LifecycleWorkflows"          // workflows, versions, deleted items, task definitions
	lwAreaActivate = "LifecycleWorkflows.Activate" // run on demand
	lwAreaReports  = "LifecycleWorkflows.Reports"  // runs, processing results, task reports
	lwAreaSettings = "LifecycleWorkflows.Settings" // the settings singleton
)

// lwPermission applies the broad LifecycleWorkflows.Read.All / ReadWrite.All and the
// granular LifecycleWorkflows-Workflow.* / -Reports.Read.All permissions.
func lwPermission(area, method string) route.Permission {
	const (
		all     = "LifecycleWorkflows.ReadWrite.All"
		readAll = "LifecycleWorkflows.Read.All"
		wfWrite = "LifecycleWorkflows-Workflow.ReadWrite.All"
	)
	read := route.IsRead(method)
	roles := []string{all}
	if read {
		roles = append(roles, readAll)
	}
	wfRead := []string{wfWrite, "LifecycleWorkflows-Workflow.Read.All", "LifecycleWorkflows-Workflow.ReadBasic.All"}
	switch {
	case area == lwAreaSettings:
	case area == lwAreaActivate:
		roles = append(roles, wfWrite, "LifecycleWorkflows-Workflow.Activate")
	case area == lwAreaReports:
		if read {
			roles = append(append(roles, wfRead...), "LifecycleWorkflows-Reports.Read.All")
		}
	case read:
		roles = append(roles, wfRead...)
	default:
		roles = append(roles, wfWrite)
	}
	return route.Permission{AnyOf: roles}
}

func (s *Server) registerLifecycleRoutes() {
	h := func(area, tmpl string, m map[string]handlerFunc) { s.handle(route.Graph, area, lwPrefix+tmpl, m) }
	get := func(f handlerFunc) map[string]handlerFunc { return map[string]handlerFunc{http.MethodGet: f} }
	post := func(f handlerFunc) map[string]handlerFunc { return map[string]handlerFunc{http.MethodPost: f} }

	h(lwArea, "/workflows", map[string]handlerFunc{http.MethodGet: s.lwListWorkflows, http.MethodPost: s.lwCreateWorkflow})
	h(lwArea, "/workflows/{id}", map[string]handlerFunc{
		http.MethodGet: s.lwGetWorkflow, http.MethodPatch: s.lwUpdateWorkflow, http.MethodDelete: s.lwDeleteWorkflow,
	})
	// Actions answer under their short and their namespace-qualified names.
	for _, ns := range []string{"", "microsoft.graph.identityGovernance."} {
		h(lwArea, "/workflows/{id}/"+ns+"createNewVersion", post(s.lwCreateNewVersion))
		h(lwAreaActivate, "/workflows/{id}/"+ns+"activate", post(s.lwActivate))
		h(lwArea, "/deletedItems/workflows/{id}/"+ns+"restore", post(s.lwRestore))
	}
	h(lwArea, "/workflows/{id}/tasks", get(s.lwListTasks))
	h(lwArea, "/workflows/{id}/tasks/{taskId}", map[string]handlerFunc{http.MethodGet: s.lwGetTask, http.MethodPatch: s.lwUpdateTask})
	h(lwArea, "/workflows/{id}/versions", get(s.lwListVersions))
	h(lwArea, "/workflows/{id}/versions/{n}", get(s.lwGetVersion))
	h(lwArea, "/workflows/{id}/versions/{n}/tasks", get(s.lwListVersionTasks))
	h(lwArea, "/workflows/{id}/versions/{n}/tasks/{taskId}", get(s.lwGetVersionTask))
	for _, nav := range []string{"runs", "userProcessingResults", "taskReports", "executionScope"} {
		h(lwAreaReports, "/workflows/{id}/"+nav, get(s.lwEmptyNav(nav)))
	}
	h(lwArea, "/deletedItems/workflows", get(s.lwListDeleted))
	h(lwArea, "/deletedItems/workflows/{id}", map[string]handlerFunc{http.MethodGet: s.lwGetDeleted, http.MethodDelete: s.lwPurge})
	h(lwArea, "/taskDefinitions", get(s.lwListTaskDefinitions))
	h(lwArea, "/taskDefinitions/{id}", get(s.lwGetTaskDefinition))
	s.registerLifecycleSettingsRoutes()
}

// ---- evolvable enums ----

// lwIncludeUnknown reports whether the request asked for the members after
// unknownFutureValue (Prefer: include-unknown-enum-members) and acknowledges it.
func lwIncludeUnknown(w http.ResponseWriter, r *http.Request) bool {
	for _, h := range r.Header.Values("Prefer") {
		for _, pref := range strings.Split(h, ",") {
			if strings.EqualFold(strings.TrimSpace(pref), lwPreferUnknownEnums) {
				w.Header().Set("Preference-Applied", lwPreferUnknownEnums)
				return true
			}
		}
	}
	return false
}

// lwEnumOut substitutes unknownFutureValue for an evolvable member.
func lwEnumOut(v any, evolvable string, include bool) any {
	if s, ok := v.(string); ok && !include && strings.EqualFold(s, evolvable) {
		return tdUnknownFutureEnum
	}
	return v
}

// lwFlagsOut substitutes in a task category flags string ("joiner,leaver,mover").
func lwFlagsOut(flags string, include bool) string {
	if include || flags == "" {
		return flags
	}
	var out []string
	seen := map[string]bool{}
	for _, f := range strings.Split(flags, ",") {
		f = strings.TrimSpace(f)
		if strings.EqualFold(f, tdCategoryMover) {
			f = tdUnknownFutureEnum
		}
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return strings.Join(out, ",")
}

// lwClone deep-copies a stored JSON value.
func lwClone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, y := range x {
			m[k] = lwClone(y)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, y := range x {
			l[i] = lwClone(y)
		}
		return l
	}
	return v
}

func lwTasksOut(tasks any, include bool) []any {
	out := []any{}
	for _, t := range wire.AnySlice(tasks) {
		m, ok := lwClone(t).(map[string]any)
		if !ok {
			continue
		}
		if c, ok := m["category"].(string); ok {
			m["category"] = lwFlagsOut(c, include)
		}
		out = append(out, m)
	}
	return out
}

// lwBaseOut renders the workflowBase fields shared by workflows and versions.
func lwBaseOut(doc map[string]any, include bool) map[string]any {
	out, _ := lwClone(emPublic(doc)).(map[string]any)
	if _, ok := out["category"]; ok {
		out["category"] = lwEnumOut(out["category"], tdCategoryMover, include)
	}
	if ec, ok := out["executionConditions"].(map[string]any); ok {
		if tr, ok := ec["trigger"].(map[string]any); ok {
			if _, has := tr["timeBasedAttribute"]; has {
				tr["timeBasedAttribute"] = lwEnumOut(tr["timeBasedAttribute"], lwTimeAttrCreated, include)
			}
		}
	}
	return out
}

// lwWorkflowOut renders a stored workflow; tasks only when withTasks.
func lwWorkflowOut(doc map[string]any, include, withTasks bool) map[string]any {
	out := lwBaseOut(doc, include)
	delete(out, "tasks")
	if withTasks {
		out["tasks"] = lwTasksOut(doc["tasks"], include)
	}
	return out
}

// ---- helpers ----

// lwCallerID is the object id of the calling app (the verified token's oid).
func lwCallerID(r *http.Request) string { return identity.ClaimsFrom(r).ObjectID() }

func (s *Server) lwContext(r *http.Request, path string) string {
	return s.entityContext(r, "identityGovernance/lifecycleWorkflows/"+path)
}

// lwGetActive reads an active workflow for a Graph request (404 ResourceNotFound).
func (s *Server) lwGetActive(id string, read bool) (*store.Record, error) {
	if read {
		return s.GetVisible(collWorkflows, id)
	}
	rec, err := s.Store.Get(collWorkflows, id)
	if errors.Is(err, ErrNotFound) {
		return nil, wire.NotFound(id)
	}
	return rec, err
}

// lwNameTaken reports whether an active workflow other than selfID has the name.
func (s *Server) lwNameTaken(name, selfID string) (bool, error) {
	recs, err := s.Store.List(collWorkflows)
	if err != nil {
		return false, err
	}
	for _, rec := range recs {
		if rec.ID != store.NormID(selfID) && strings.EqualFold(strings.TrimSpace(wire.StrField(rec.Body, "displayName")), strings.TrimSpace(name)) {
			return true, nil
		}
	}
	return false, nil
}

// lwIssueTasks gives validated tasks fresh ids.
func lwIssueTasks(tasks []map[string]any) []any {
	out := make([]any, 0, len(tasks))
	for _, t := range tasks {
		t["id"] = uuid.NewString()
		out = append(out, t)
	}
	return out
}

func lwWantsTasks(r *http.Request) bool {
	exp, _ := odata.QueryOption(r.URL.Query(), "$expand")
	for _, p := range strings.Split(exp, ",") {
		if strings.EqualFold(strings.TrimSpace(p), "tasks") {
			return true
		}
	}
	return selectsName(odata.SelectList(r), "tasks")
}

// lwOrder sorts records by $orderby (properties from allowed, asc/desc) and renumbers
// them, so skiptokens follow the sorted order.
func lwOrder(r *http.Request, recs []*store.Record, allowed []string) ([]*store.Record, error) {
	ob, ok := odata.QueryOption(r.URL.Query(), "$orderby")
	if !ok || strings.TrimSpace(ob) == "" {
		return recs, nil
	}
	type key struct {
		prop string
		desc bool
	}
	var keys []key
	for _, part := range strings.Split(ob, ",") {
		f := strings.Fields(part)
		if len(f) == 0 || len(f) > 2 {
			return nil, wire.BadRequest("Invalid $orderby: '" + ob + "'.")
		}
		var k key
		for _, a := range allowed {
			if strings.EqualFold(a, f[0]) {
				k.prop = a
			}
		}
		if k.prop == "" {
			return nil, wire.BadRequest(fmt.Sprintf("Invalid $orderby: property '%s' cannot be sorted on; use one of %s.", f[0], strings.Join(allowed, ", ")))
		}
		if len(f) == 2 {
			switch strings.ToLower(f[1]) {
			case "asc":
			case "desc":
				k.desc = true
			default:
				return nil, wire.BadRequest("Invalid $orderby direction '" + f[1] + "'; use asc or desc.")
			}
		}
		keys = append(keys, k)
	}
	out := make([]*store.Record, len(recs))
	for i, rec := range recs {
		out[i] = &store.Record{Seq: rec.Seq, ID: rec.ID, Body: rec.Body, CreatedAt: rec.CreatedAt}
	}
	sort.SliceStable(out, func(i, j int) bool {
		for _, k := range keys {
			c := lwCompare(out[i].Body[k.prop], out[j].Body[k.prop])
			if c != 0 {
				return (c < 0) != k.desc
			}
		}
		return false
	})
	for i := range out {
		out[i].Seq = int64(i + 1)
	}
	return out, nil
}

func lwCompare(a, b any) int {
	if fa, ok := odata.ToFloat(a); ok {
		if fb, ok := odata.ToFloat(b); ok {
			switch {
			case fa < fb:
				return -1
			case fa > fb:
				return 1
			}
			return 0
		}
	}
	return strings.Compare(strings.ToLower(fmt.Sprint(a)), strings.ToLower(fmt.Sprint(b)))
}

// ---- workflows ----

var lwWorkflowFilterable = []string{"id", "category", "displayName", "description", "isEnabled", "isSchedulingEnabled",
	"version", "createdDateTime", "lastModifiedDateTime", "deletedDateTime"}

var lwWorkflowSortable = []string{"displayName", "createdDateTime", "lastModifiedDateTime", "category", "id", "version", "deletedDateTime"}

func (s *Server) lwWriteWorkflows(w http.ResponseWriter, r *http.Request, coll, contextPath string) error {
	cq, err := s.ParseQuery(r, lwWorkflowFilterable)
	if err != nil {
		return err
	}
	recs, err := s.Store.List(coll)
	if err != nil {
		return err
	}
	if recs, err = lwOrder(r, s.visibleRecords(recs), lwWorkflowSortable); err != nil {
		return err
	}
	include, withTasks := lwIncludeUnknown(w, r), lwWantsTasks(r)
	sel := cq.Selects
	cq.Selects = nil // applied before the expansion, which $select must not drop
	odata.WriteCollection(w, r, cq, recs, contextPath, func(b map[string]any) map[string]any {
		out := odata.ApplySelect(lwWorkflowOut(b, include, false), sel)
		if withTasks {
			out["tasks"] = lwTasksOut(b["tasks"], include)
		}
		return out
	})
	return nil
}

func (s *Server) lwListWorkflows(w http.ResponseWriter, r *http.Request, _ params) error {
	return s.lwWriteWorkflows(w, r, collWorkflows, "identityGovernance/lifecycleWorkflows/workflows")
}

// lwWriteWorkflow answers one workflow: tasks expanded, $select applied to the rest.
func (s *Server) lwWriteWorkflow(w http.ResponseWriter, r *http.Request, status int, doc map[string]any, contextPath string, sel []string) {
	include := lwIncludeUnknown(w, r)
	out := odata.ApplySelect(lwWorkflowOut(doc, include, false), sel)
	out["tasks"] = lwTasksOut(doc["tasks"], include)
	wire.WriteJSON(w, status, wire.WithContext(out, s.lwContext(r, contextPath)))
}

func (s *Server) lwCreateWorkflow(w http.ResponseWriter, r *http.Request, _ params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := parseWorkflow("", body)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	active, err := s.Store.List(collWorkflows)
	if err != nil {
		return err
	}
	deleted, err := s.Store.List(collDeletedWorkflows)
	if err != nil {
		return err
	}
	if n := len(active) + len(deleted); n >= lwMaxWorkflows {
		return wire.BadRequest(fmt.Sprintf("The tenant already has %d workflows (%d deleted and still restorable); the limit is %d. Permanently delete workflows from deletedItems to make room.",
			n, len(deleted), lwMaxWorkflows))
	}
	if taken, err := s.lwNameTaken(in.displayName, ""); err != nil {
		return err
	} else if taken {
		return wire.BadRequest(msgLWDuplicateName)
	}
	if err := s.lwCheckRefs(in.refs); err != nil {
		return err
	}
	now, caller := s.Timestamp(), map[string]any{"id": lwCallerID(r)}
	doc := map[string]any{
		"id":                      uuid.NewString(),
		"category":                in.category,
		"displayName":             in.displayName,
		"description":             in.description,
		"isEnabled":               in.isEnabled,
		"isSchedulingEnabled":     in.scheduling,
		"executionConditions":     in.conditions,
		"tasks":                   lwIssueTasks(in.tasks),
		"version":                 1,
		"createdDateTime":         now,
		"lastModifiedDateTime":    now,
		"deletedDateTime":         nil,
		"nextScheduleRunDateTime": nil,
		"createdBy":               caller,
		"lastModifiedBy":          caller,
		ifVersionCreatedTime:      now,
		ifVersions:                []any{},
	}
	id := doc["id"].(string)
	if err := s.Store.Insert(collWorkflows, id, doc, s.Now()); err != nil {
		return err
	}
	w.Header().Set("Location", wire.BaseURL(r)+lwPrefix+"/workflows/"+id)
	s.lwWriteWorkflow(w, r, http.StatusCreated, doc, "workflows", nil)
	return nil
}

func (s *Server) lwGetWorkflow(w http.ResponseWriter, r *http.Request, p params) error {
	rec, err := s.lwGetActive(p["id"], true)
	if err != nil {
		return err
	}
	s.lwWriteWorkflow(w, r, http.StatusOK, rec.Body, "workflows", odata.SelectList(r))
	return nil
}

// lwPatchable are the workflow properties PATCH accepts (spec 2.3).
var lwPatchable = []string{"displayName", "description", "isEnabled", "isSchedulingEnabled"}

func lwNotPatchable(path, prop string, allowed []string) error {
	return wire.PathError(path, "the property '%s' cannot be changed with PATCH; PATCH accepts only %s. Use createNewVersion (POST .../workflows/{id}/createNewVersion) for every other change.",
		prop, strings.Join(allowed, ", "))
}

func (s *Server) lwUpdateWorkflow(w http.ResponseWriter, r *http.Request, p params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	o, _ := wire.NewObject("", lwTypeWorkflow, body)
	keys := make([]string, 0, len(body))
	for k := range body {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !strings.Contains(k, "@") && !slices.Contains(lwPatchable, k) {
			return lwNotPatchable(k, k, lwPatchable)
		}
	}
	set := map[string]any{}
	if _, ok := body["displayName"]; ok {
		if set["displayName"], _, err = o.Str("displayName", true, true); err != nil {
			return err
		}
	}
	if _, ok := body["description"]; ok {
		if set["description"], err = o.NullableStr("description"); err != nil {
			return err
		}
	}
	for _, k := range []string{"isEnabled", "isSchedulingEnabled"} {
		if _, ok := body[k]; ok {
			if set[k], err = o.Boolean(k, false); err != nil {
				return err
			}
		}
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.lwGetActive(p["id"], false)
	if err != nil {
		return err
	}
	merged := map[string]any{}
	for _, k := range lwPatchable {
		merged[k] = rec.Body[k]
	}
	for k, v := range set {
		merged[k] = v
	}
	enabled, _ := merged["isEnabled"].(bool)
	scheduling, _ := merged["isSchedulingEnabled"].(bool)
	if err := lwCheckScheduling("isSchedulingEnabled", enabled, scheduling, lwOnDemand(rec.Body)); err != nil {
		return err
	}
	if name, ok := set["displayName"].(string); ok {
		if taken, err := s.lwNameTaken(name, rec.ID); err != nil {
			return err
		} else if taken {
			return wire.BadRequest(msgLWDuplicateName)
		}
	}
	err = s.Store.Update(collWorkflows, rec.ID, func(obj map[string]any) error {
		for k, v := range set {
			obj[k] = v
		}
		obj["lastModifiedDateTime"] = s.Timestamp()
		obj["lastModifiedBy"] = map[string]any{"id": lwCallerID(r)}
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func lwOnDemand(doc map[string]any) bool {
	ec, _ := doc["executionConditions"].(map[string]any)
	leaf, _ := wire.ODataLeaf(ec["@odata.type"])
	return strings.EqualFold(leaf, lwTypeOnDemand)
}

// lwMove moves a workflow document between the active and deleted collections,
// keeping its creation time (the replication-delay fault must not hide it again).
func (s *Server) lwMove(rec *store.Record, from, to string, change func(map[string]any)) error {
	change(rec.Body)
	if err := s.Store.Insert(to, rec.ID, rec.Body, rec.CreatedAt); err != nil {
		return err
	}
	return s.Store.Delete(from, rec.ID)
}

func (s *Server) lwDeleteWorkflow(w http.ResponseWriter, r *http.Request, p params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.lwGetActive(p["id"], false)
	if err != nil {
		return err
	}
	now := s.Timestamp()
	if err := s.lwMove(rec, collWorkflows, collDeletedWorkflows, func(doc map[string]any) { doc["deletedDateTime"] = now }); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// lwVersionOf is the workflowVersion of a workflow document's current version.
func lwVersionOf(doc map[string]any) map[string]any {
	created := doc[ifVersionCreatedTime]
	if created == nil {
		created = doc["createdDateTime"]
	}
	v := map[string]any{"versionNumber": doc["version"], "createdDateTime": created}
	for _, k := range []string{"category", "displayName", "description", "isEnabled", "isSchedulingEnabled",
		"executionConditions", "tasks", "lastModifiedDateTime", "createdBy", "lastModifiedBy"} {
		v[k] = lwClone(doc[k])
	}
	return v
}

func (s *Server) lwCreateNewVersion(w http.ResponseWriter, r *http.Request, p params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	for k := range body {
		if k != "workflow" && !strings.Contains(k, "@") {
			return wire.PathError(k, "the createNewVersion action takes one parameter, 'workflow'; '%s' is not a parameter of it.", k)
		}
	}
	wv, ok := body["workflow"]
	if !ok || wv == nil {
		return wire.PathError("workflow", "the parameter is required: send {\"workflow\": {category, displayName, description, isEnabled, isSchedulingEnabled, executionConditions, tasks}}.")
	}
	in, err := parseWorkflow("workflow", wv)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.lwGetActive(p["id"], false)
	if err != nil {
		return err
	}
	if cur := wire.StrField(rec.Body, "category"); !strings.EqualFold(cur, in.category) {
		return wire.PathError("workflow.category", "the category of a workflow cannot change (it is '%s'); create a new workflow instead.", cur)
	}
	if taken, err := s.lwNameTaken(in.displayName, rec.ID); err != nil {
		return err
	} else if taken {
		return wire.BadRequest(msgLWDuplicateName)
	}
	if err := s.lwCheckRefs(in.refs); err != nil {
		return err
	}
	now := s.Timestamp()
	var doc map[string]any
	err = s.Store.Update(collWorkflows, rec.ID, func(obj map[string]any) error {
		version, _ := odata.ToFloat(obj["version"])
		obj[ifVersions] = append(wire.AnySlice(obj[ifVersions]), lwVersionOf(obj))
		obj["version"] = int(version) + 1
		obj["displayName"] = in.displayName
		obj["description"] = in.description
		obj["isEnabled"] = in.isEnabled
		obj["isSchedulingEnabled"] = in.scheduling
		obj["executionConditions"] = in.conditions
		obj["tasks"] = lwIssueTasks(in.tasks)
		obj["lastModifiedDateTime"] = now
		obj["lastModifiedBy"] = map[string]any{"id": lwCallerID(r)}
		obj[ifVersionCreatedTime] = now
		doc = obj
		return nil
	})
	if err != nil {
		return err
	}
	s.lwWriteWorkflow(w, r, http.StatusOK, doc, "workflows", nil)
	return nil
}

func (s *Server) lwActivate(w http.ResponseWriter, r *http.Request, p params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	rec, err := s.lwGetActive(p["id"], true)
	if err != nil {
		return err
	}
	o, _ := wire.NewObject("", "activate", body)
	subjects, err := o.Array("subjects")
	if err != nil {
		return err
	}
	if err := o.Done(); err != nil {
		return err
	}
	if len(subjects) == 0 {
		return wire.PathError("subjects", "at least one user is required.")
	}
	for i, x := range subjects {
		path := wire.Index("subjects", i)
		m, ok := x.(map[string]any)
		if !ok {
			return wire.PathError(path, "expected a JSON object {\"id\": \"<user id>\"}, got '%s'.", wire.Literal(x))
		}
		id, err := lwGUID(path+".id", m["id"])
		if err != nil {
			return err
		}
		if _, err := s.Store.Get(directory.Users, id); errors.Is(err, ErrNotFound) {
			return wire.PathError(path+".id", "user '%s' does not exist.", id)
		} else if err != nil {
			return err
		}
	}
	if enabled, _ := rec.Body["isEnabled"].(bool); !enabled {
		return wire.BadRequest("The workflow is disabled; enable it (PATCH isEnabled true) before running it on demand.")
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) lwEmptyNav(nav string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p params) error {
		if _, err := s.lwGetActive(p["id"], true); err != nil {
			return err
		}
		cq, err := s.ParseQuery(r, []string{"id"})
		if err != nil {
			return err
		}
		odata.WriteCollection(w, r, cq, nil, "identityGovernance/lifecycleWorkflows/workflows('"+p["id"]+"')/"+nav, nil)
		return nil
	}
}

// ---- tasks ----

var lwTaskFilterable = []string{"id", "displayName", "taskDefinitionId", "isEnabled", "continueOnError", "category", "executionSequence"}

// lwTaskRecords turns a task list into records numbered in execution order.
func lwTaskRecords(tasks any) []*store.Record {
	var recs []*store.Record
	for i, t := range wire.AnySlice(tasks) {
		if m, ok := t.(map[string]any); ok {
			recs = append(recs, &store.Record{Seq: int64(i + 1), ID: wire.StrField(m, "id"), Body: m})
		}
	}
	return recs
}

func lwFindTask(tasks any, id string) (map[string]any, bool) {
	for _, t := range wire.AnySlice(tasks) {
		if m, ok := t.(map[string]any); ok && strings.EqualFold(wire.StrField(m, "id"), id) {
			return m, true
		}
	}
	return nil, false
}

func (s *Server) lwWriteTasks(w http.ResponseWriter, r *http.Request, tasks any, contextPath string) error {
	cq, err := s.ParseQuery(r, lwTaskFilterable)
	if err != nil {
		return err
	}
	include := lwIncludeUnknown(w, r)
	odata.WriteCollection(w, r, cq, lwTaskRecords(tasks), contextPath, func(b map[string]any) map[string]any {
		return lwTasksOut([]any{b}, include)[0].(map[string]any)
	})
	return nil
}

func (s *Server) lwWriteTask(w http.ResponseWriter, r *http.Request, tasks any, taskID, contextPath string) error {
	t, ok := lwFindTask(tasks, taskID)
	if !ok {
		return wire.NotFound(taskID)
	}
	out := lwTasksOut([]any{t}, lwIncludeUnknown(w, r))[0].(map[string]any)
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(wire.WithContext(out, s.lwContext(r, contextPath)), odata.SelectList(r)))
	return nil
}

func (s *Server) lwListTasks(w http.ResponseWriter, r *http.Request, p params) error {
	rec, err := s.lwGetActive(p["id"], true)
	if err != nil {
		return err
	}
	return s.lwWriteTasks(w, r, rec.Body["tasks"], "identityGovernance/lifecycleWorkflows/workflows('"+p["id"]+"')/tasks")
}

func (s *Server) lwGetTask(w http.ResponseWriter, r *http.Request, p params) error {
	rec, err := s.lwGetActive(p["id"], true)
	if err != nil {
		return err
	}
	return s.lwWriteTask(w, r, rec.Body["tasks"], p["taskId"], "workflows('"+p["id"]+"')/tasks")
}

var lwTaskPatchable = []string{"displayName", "description"}

func (s *Server) lwUpdateTask(w http.ResponseWriter, r *http.Request, p params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(body))
	for k := range body {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !strings.Contains(k, "@") && !slices.Contains(lwTaskPatchable, k) {
			return lwNotPatchable(k, k, lwTaskPatchable)
		}
	}
	o, _ := wire.NewObject("", lwTypeTask, body)
	set := map[string]any{}
	if _, ok := body["displayName"]; ok {
		if set["displayName"], _, err = o.Str("displayName", true, true); err != nil {
			return err
		}
	}
	if _, ok := body["description"]; ok {
		if set["description"], err = o.NullableStr("description"); err != nil {
			return err
		}
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.lwGetActive(p["id"], false)
	if err != nil {
		return err
	}
	task, ok := lwFindTask(rec.Body["tasks"], p["taskId"])
	if !ok {
		return wire.NotFound(p["taskId"])
	}
	if name, ok := set["displayName"].(string); ok {
		for _, t := range wire.AnySlice(rec.Body["tasks"]) {
			m, _ := t.(map[string]any)
			if m != nil && !strings.EqualFold(wire.StrField(m, "id"), wire.StrField(task, "id")) &&
				strings.EqualFold(strings.TrimSpace(wire.StrField(m, "displayName")), strings.TrimSpace(name)) {
				return wire.PathError("displayName", "the task name '%s' is already used in this workflow; task names must be unique within a workflow.", name)
			}
		}
	}
	err = s.Store.Update(collWorkflows, rec.ID, func(obj map[string]any) error {
		t, ok := lwFindTask(obj["tasks"], p["taskId"])
		if !ok {
			return wire.NotFound(p["taskId"])
		}
		for k, v := range set {
			t[k] = v
		}
		obj["lastModifiedDateTime"] = s.Timestamp()
		obj["lastModifiedBy"] = map[string]any{"id": lwCallerID(r)}
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- versions ----

// lwVersions returns the previous versions and the current one, oldest first.
func lwVersions(doc map[string]any) []map[string]any {
	var out []map[string]any
	for _, v := range wire.AnySlice(doc[ifVersions]) {
		if m, ok := v.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return append(out, lwVersionOf(doc))
}

func lwFindVersion(doc map[string]any, n string) (map[string]any, error) {
	want, err := strconv.Atoi(n)
	if err != nil {
		return nil, wire.NotFound(n)
	}
	for _, v := range lwVersions(doc) {
		if f, ok := odata.ToFloat(v["versionNumber"]); ok && int(f) == want {
			return v, nil
		}
	}
	return nil, wire.NotFound(n)
}

func lwVersionOut(v map[string]any, include bool) map[string]any {
	out := lwBaseOut(v, include)
	out["tasks"] = lwTasksOut(v["tasks"], include)
	return out
}

func (s *Server) lwListVersions(w http.ResponseWriter, r *http.Request, p params) error {
	rec, err := s.lwGetActive(p["id"], true)
	if err != nil {
		return err
	}
	cq, err := s.ParseQuery(r, []string{"versionNumber", "displayName", "category", "isEnabled"})
	if err != nil {
		return err
	}
	var recs []*store.Record
	for i, v := range lwVersions(rec.Body) {
		recs = append(recs, &store.Record{Seq: int64(i + 1), ID: fmt.Sprint(v["versionNumber"]), Body: v})
	}
	include := lwIncludeUnknown(w, r)
	odata.WriteCollection(w, r, cq, recs, "identityGovernance/lifecycleWorkflows/workflows('"+p["id"]+"')/versions", func(b map[string]any) map[string]any {
		return lwVersionOut(b, include)
	})
	return nil
}

func (s *Server) lwGetVersion(w http.ResponseWriter, r *http.Request, p params) error {
	rec, err := s.lwGetActive(p["id"], true)
	if err != nil {
		return err
	}
	v, err := lwFindVersion(rec.Body, p["n"])
	if err != nil {
		return err
	}
	include := lwIncludeUnknown(w, r)
	out := odata.ApplySelect(lwVersionOut(v, include), odata.SelectList(r))
	out["tasks"] = lwTasksOut(v["tasks"], include)
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(out, s.lwContext(r, "workflows('"+p["id"]+"')/versions")))
	return nil
}

func (s *Server) lwListVersionTasks(w http.ResponseWriter, r *http.Request, p params) error {
	rec, err := s.lwGetActive(p["id"], true)
	if err != nil {
		return err
	}
	v, err := lwFindVersion(rec.Body, p["n"])
	if err != nil {
		return err
	}
	return s.lwWriteTasks(w, r, v["tasks"], "identityGovernance/lifecycleWorkflows/workflows('"+p["id"]+"')/versions("+p["n"]+")/tasks")
}

func (s *Server) lwGetVersionTask(w http.ResponseWriter, r *http.Request, p params) error {
	rec, err := s.lwGetActive(p["id"], true)
	if err != nil {
		return err
	}
	v, err := lwFindVersion(rec.Body, p["n"])
	if err != nil {
		return err
	}
	return s.lwWriteTask(w, r, v["tasks"], p["taskId"], "workflows('"+p["id"]+"')/versions("+p["n"]+")/tasks")
}

// ---- deleted items ----

func (s *Server) lwGetDeletedRec(id string) (*store.Record, error) {
	rec, err := s.Store.Get(collDeletedWorkflows, id)
	if errors.Is(err, ErrNotFound) {
		return nil, wire.NotFound(id)
	}
	return rec, err
}

func (s *Server) lwListDeleted(w http.ResponseWriter, r *http.Request, _ params) error {
	return s.lwWriteWorkflows(w, r, collDeletedWorkflows, "identityGovernance/lifecycleWorkflows/deletedItems/workflows")
}

func (s *Server) lwGetDeleted(w http.ResponseWriter, r *http.Request, p params) error {
	rec, err := s.lwGetDeletedRec(p["id"])
	if err != nil {
		return err
	}
	s.lwWriteWorkflow(w, r, http.StatusOK, rec.Body, "deletedItems/workflows", odata.SelectList(r))
	return nil
}

func (s *Server) lwRestore(w http.ResponseWriter, r *http.Request, p params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.lwGetDeletedRec(p["id"])
	if err != nil {
		return err
	}
	// Restoring must not create a second active workflow of the same name [U].
	if taken, err := s.lwNameTaken(wire.StrField(rec.Body, "displayName"), rec.ID); err != nil {
		return err
	} else if taken {
		return wire.BadRequest(msgLWDuplicateName + " Rename the other workflow before restoring this one.")
	}
	if err := s.lwMove(rec, collDeletedWorkflows, collWorkflows, func(doc map[string]any) { doc["deletedDateTime"] = nil }); err != nil {
		return err
	}
	s.lwWriteWorkflow(w, r, http.StatusOK, rec.Body, "workflows", nil)
	return nil
}

func (s *Server) lwPurge(w http.ResponseWriter, r *http.Request, p params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.lwGetDeletedRec(p["id"])
	if err != nil {
		return err
	}
	if err := s.Store.Delete(collDeletedWorkflows, rec.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- control ----

// ChangeWorkflowTask changes one current task of an active workflow out of band (no
// validation), for drift tests. task is the task's id or displayName. patch is merged
// into the task (RFC 7396, like ChangeObject), except "arguments": an array replaces
// the list, an object {"name": "value"} sets those arguments (null removes one). The
// workflow's lastModifiedDateTime is bumped; its version is not.
func (s *Server) ChangeWorkflowTask(workflowID, task string, patch map[string]any) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	return s.Store.Update(collWorkflows, workflowID, func(obj map[string]any) error {
		var t map[string]any
		for _, x := range wire.AnySlice(obj["tasks"]) {
			m, _ := x.(map[string]any)
			if m != nil && (strings.EqualFold(wire.StrField(m, "id"), task) || wire.StrField(m, "displayName") == task) {
				t = m
				break
			}
		}
		if t == nil {
			return fmt.Errorf("%w: task %q of workflow %s", ErrNotFound, task, workflowID)
		}
		rest := map[string]any{}
		for k, v := range patch {
			rest[k] = v
		}
		if args, ok := patch["arguments"].(map[string]any); ok {
			delete(rest, "arguments")
			t["arguments"] = lwSetArguments(wire.AnySlice(t["arguments"]), args)
		}
		wire.MergePatch(t, rest)
		obj["lastModifiedDateTime"] = s.Timestamp()
		return nil
	})
}

func lwSetArguments(list []any, set map[string]any) []any {
	out := make([]any, 0, len(list)+len(set))
	done := map[string]bool{}
	for _, a := range list {
		m, _ := a.(map[string]any)
		if m == nil {
			continue
		}
		name := wire.StrField(m, "name")
		v, ok := set[name]
		switch {
		case !ok:
			out = append(out, m)
		case v != nil:
			out = append(out, map[string]any{"name": name, "value": v})
		}
		done[name] = true
	}
	names := make([]string, 0, len(set))
	for k := range set {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if !done[k] && set[k] != nil {
			out = append(out, map[string]any{"name": k, "value": set[k]})
		}
	}
	return out
}
