package lifecycle

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
	basePath = "/v1.0/identityGovernance/lifecycleWorkflows"

	collWorkflows        = "workflows"
	collDeletedWorkflows = "deletedWorkflows"
	deletedItemsPath     = "deletedItems/workflows" // the path of the deleted workflows under LW

	ifVersions           = "_versions"
	ifVersionCreatedTime = "_versionCreatedDateTime"

	// maxWorkflows is the tenant limit; soft-deleted workflows count too [U].
	maxWorkflows = 100

	preferUnknownEnums = "include-unknown-enum-members"

	msgLWDuplicateName = "A workflow with the same display name already exists."
)

// Permission areas of the lifecycle routes (spec 3.7), see permission.
const (
	areaWorkflows = "LifecycleWorkflows"          // workflows, versions, deleted items, task definitions
	areaActivate  = "LifecycleWorkflows.Activate" // run on demand
	areaReports   = "LifecycleWorkflows.Reports"  // runs, processing results, task reports
	areaSettings  = "LifecycleWorkflows.Settings" // the settings singleton
)

// perm names the roles of a permission area of the lifecycle routes.
func perm(area string) func(method string) route.Permission {
	return func(method string) route.Permission { return permission(area, method) }
}

// permission applies the broad LifecycleWorkflows.Read.All / ReadWrite.All and the
// granular LifecycleWorkflows-Workflow.* / -Reports.Read.All permissions.
func permission(area, method string) route.Permission {
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
	case area == areaSettings:
	case area == areaActivate:
		roles = append(roles, wfWrite, "LifecycleWorkflows-Workflow.Activate")
	case area == areaReports:
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

func (s *API) workflowRoutes(t *route.Table) {
	h := func(area, tmpl string, m map[string]route.Handler) { t.Add(route.Graph, perm(area), basePath+tmpl, m) }
	get := func(f route.Handler) map[string]route.Handler { return map[string]route.Handler{http.MethodGet: f} }
	post := func(f route.Handler) map[string]route.Handler { return map[string]route.Handler{http.MethodPost: f} }

	h(areaWorkflows, "/workflows", map[string]route.Handler{http.MethodGet: s.listWorkflows, http.MethodPost: s.createWorkflow})
	h(areaWorkflows, "/workflows/{id}", map[string]route.Handler{
		http.MethodGet: s.getWorkflow, http.MethodPatch: s.updateWorkflow, http.MethodDelete: s.deleteWorkflow,
	})
	// Actions answer under their short and their namespace-qualified names.
	for _, ns := range []string{"", "microsoft.graph.identityGovernance."} {
		h(areaWorkflows, "/workflows/{id}/"+ns+"createNewVersion", post(s.createNewVersion))
		h(areaActivate, "/workflows/{id}/"+ns+"activate", post(s.activate))
		h(areaWorkflows, "/deletedItems/workflows/{id}/"+ns+"restore", post(s.restore))
	}
	h(areaWorkflows, "/workflows/{id}/tasks", get(s.listTasks))
	h(areaWorkflows, "/workflows/{id}/tasks/{taskId}", map[string]route.Handler{http.MethodGet: s.getTask, http.MethodPatch: s.updateTask})
	h(areaWorkflows, "/workflows/{id}/versions", get(s.listVersions))
	h(areaWorkflows, "/workflows/{id}/versions/{n}", get(s.getVersion))
	h(areaWorkflows, "/workflows/{id}/versions/{n}/tasks", get(s.listVersionTasks))
	h(areaWorkflows, "/workflows/{id}/versions/{n}/tasks/{taskId}", get(s.getVersionTask))
	recorded := s.recordedNavs()
	for _, nav := range []string{"runs", "userProcessingResults", "taskReports", "executionScope"} {
		handler := s.emptyNav(nav)
		if h, ok := recorded[nav]; ok {
			handler = h
		}
		h(areaReports, "/workflows/{id}/"+nav, get(handler))
	}
	h(areaWorkflows, "/deletedItems/workflows", get(s.listDeleted))
	h(areaWorkflows, "/deletedItems/workflows/{id}", map[string]route.Handler{http.MethodGet: s.getDeleted, http.MethodDelete: s.purge})
	h(areaWorkflows, "/taskDefinitions", get(s.listTaskDefinitions))
	h(areaWorkflows, "/taskDefinitions/{id}", get(s.getTaskDefinition))
}

// ---- evolvable enums ----

// includeUnknown reports whether the request asked for the members after
// unknownFutureValue (Prefer: include-unknown-enum-members) and acknowledges it.
func includeUnknown(w http.ResponseWriter, r *http.Request) bool {
	for _, h := range r.Header.Values("Prefer") {
		for _, pref := range strings.Split(h, ",") {
			if strings.EqualFold(strings.TrimSpace(pref), preferUnknownEnums) {
				w.Header().Set("Preference-Applied", preferUnknownEnums)
				return true
			}
		}
	}
	return false
}

// enumOut substitutes unknownFutureValue for an evolvable member.
func enumOut(v any, evolvable string, include bool) any {
	if s, ok := v.(string); ok && !include && strings.EqualFold(s, evolvable) {
		return tdUnknownFutureEnum
	}
	return v
}

// flagsOut substitutes in a task category flags string ("joiner,leaver,mover").
func flagsOut(flags string, include bool) string {
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

// cloneJSON deep-copies a stored JSON value.
func cloneJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, y := range x {
			m[k] = cloneJSON(y)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, y := range x {
			l[i] = cloneJSON(y)
		}
		return l
	}
	return v
}

func tasksOut(tasks any, include bool) []any {
	out := []any{}
	for _, t := range wire.AnySlice(tasks) {
		m, ok := cloneJSON(t).(map[string]any)
		if !ok {
			continue
		}
		if c, ok := m["category"].(string); ok {
			m["category"] = flagsOut(c, include)
		}
		out = append(out, m)
	}
	return out
}

// baseOut renders the workflowBase fields shared by workflows and versions.
func baseOut(doc map[string]any, include bool) map[string]any {
	out, _ := cloneJSON(wire.Public(doc)).(map[string]any)
	if _, ok := out["category"]; ok {
		out["category"] = enumOut(out["category"], tdCategoryMover, include)
	}
	if ec, ok := out["executionConditions"].(map[string]any); ok {
		if tr, ok := ec["trigger"].(map[string]any); ok {
			if _, has := tr["timeBasedAttribute"]; has {
				tr["timeBasedAttribute"] = enumOut(tr["timeBasedAttribute"], timeAttrCreated, include)
			}
		}
	}
	return out
}

// workflowOut renders a stored workflow; tasks only when withTasks.
func workflowOut(doc map[string]any, include, withTasks bool) map[string]any {
	out := baseOut(doc, include)
	delete(out, "tasks")
	if withTasks {
		out["tasks"] = tasksOut(doc["tasks"], include)
	}
	return out
}

// ---- helpers ----

// callerID is the object id of the calling app (the verified token's oid).
func callerID(r *http.Request) string { return identity.ClaimsFrom(r).ObjectID() }

func (s *API) contextURL(r *http.Request, path string) string {
	return wire.EntityContext(r, "identityGovernance/lifecycleWorkflows/"+path)
}

// getActive reads an active workflow for a Graph request (404 ResourceNotFound).
func (s *API) getActive(id string, read bool) (*store.Record, error) {
	if read {
		return s.GetVisible(collWorkflows, id)
	}
	rec, err := s.Store.Get(collWorkflows, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, wire.NotFound(id)
	}
	return rec, err
}

// nameTaken reports whether an active workflow other than selfID has the name.
func (s *API) nameTaken(name, selfID string) (bool, error) {
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

// issueTasks gives validated tasks fresh ids.
func issueTasks(tasks []map[string]any) []any {
	out := make([]any, 0, len(tasks))
	for _, t := range tasks {
		t["id"] = uuid.NewString()
		out = append(out, t)
	}
	return out
}

func wantsTasks(r *http.Request) bool {
	exp, _ := odata.QueryOption(r.URL.Query(), "$expand")
	for _, p := range strings.Split(exp, ",") {
		if strings.EqualFold(strings.TrimSpace(p), "tasks") {
			return true
		}
	}
	return odata.Selects(odata.SelectList(r), "tasks")
}

// order sorts records by $orderby (properties from allowed, asc/desc) and renumbers
// them, so skiptokens follow the sorted order.
func order(r *http.Request, recs []*store.Record, allowed []string) ([]*store.Record, error) {
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
			c := compare(out[i].Body[k.prop], out[j].Body[k.prop])
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

func compare(a, b any) int {
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

var workflowFilterable = []string{"id", "category", "displayName", "description", "isEnabled", "isSchedulingEnabled",
	"version", "createdDateTime", "lastModifiedDateTime", "deletedDateTime"}

var workflowSortable = []string{"displayName", "createdDateTime", "lastModifiedDateTime", "category", "id", "version", "deletedDateTime"}

func (s *API) writeWorkflows(w http.ResponseWriter, r *http.Request, coll, contextPath string) error {
	cq, err := s.ParseQuery(r, workflowFilterable)
	if err != nil {
		return err
	}
	recs, err := s.Store.List(coll)
	if err != nil {
		return err
	}
	if recs, err = order(r, s.Visible(recs), workflowSortable); err != nil {
		return err
	}
	include, withTasks := includeUnknown(w, r), wantsTasks(r)
	sel := cq.Selects
	cq.Selects = nil // applied before the expansion, which $select must not drop
	odata.WriteCollection(w, r, cq, recs, contextPath, func(b map[string]any) map[string]any {
		out := odata.ApplySelect(workflowOut(b, include, false), sel)
		if coll == collWorkflows {
			s.fillNextScheduleRun(b, out)
		}
		if withTasks {
			out["tasks"] = tasksOut(b["tasks"], include)
		}
		return out
	})
	return nil
}

func (s *API) listWorkflows(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	return s.writeWorkflows(w, r, collWorkflows, "identityGovernance/lifecycleWorkflows/workflows")
}

// workflowAnswer says how writeWorkflow renders one workflow.
type workflowAnswer struct {
	status int
	// coll is the collection path the workflow is answered from ("workflows" or
	// "deletedItems/workflows"), for @odata.context and tasks@odata.context.
	coll string
	sel  []string // $select, applied to the workflow's own properties
	// selectDropsTasks: a $select that does not name tasks leaves them out (unless
	// $expand=tasks asks for them); otherwise tasks are always expanded.
	selectDropsTasks bool
	// typed adds the workflow's @odata.type.
	typed bool
}

// writeWorkflow answers one workflow with its tasks expanded and their
// tasks@odata.context, as the GET pages show them
// (https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-get?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/identitygovernance-deleteditemcontainer-get?view=graph-rest-1.0).
func (s *API) writeWorkflow(w http.ResponseWriter, r *http.Request, doc map[string]any, a workflowAnswer) {
	include := includeUnknown(w, r)
	out := odata.ApplySelect(workflowOut(doc, include, false), a.sel)
	if a.coll == collWorkflows {
		s.fillNextScheduleRun(doc, out)
	}
	if !a.selectDropsTasks || len(a.sel) == 0 || wantsTasks(r) {
		out["tasks@odata.context"] = wire.BaseURL(r) + "/v1.0/$metadata#identityGovernance/lifecycleWorkflows/" + a.coll + "('" + wire.StrField(doc, "id") + "')/tasks"
		out["tasks"] = tasksOut(doc["tasks"], include)
	}
	if a.typed {
		out["@odata.type"] = typeName(typeWorkflow)
	}
	wire.WriteJSON(w, a.status, wire.WithContext(out, s.contextURL(r, a.coll)))
}

func (s *API) createWorkflow(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	defs, err := s.definitions()
	if err != nil {
		return err
	}
	in, err := parseWorkflow("", body, defs)
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
	if n := len(active) + len(deleted); n >= maxWorkflows {
		return wire.BadRequest(fmt.Sprintf("The tenant already has %d workflows (%d deleted and still restorable); the limit is %d. Permanently delete workflows from deletedItems to make room.",
			n, len(deleted), maxWorkflows))
	}
	if taken, err := s.nameTaken(in.displayName, ""); err != nil {
		return err
	} else if taken {
		return wire.BadRequest(msgLWDuplicateName)
	}
	if err := s.checkReferences(in.refs); err != nil {
		return err
	}
	now, caller := s.Timestamp(), map[string]any{"id": callerID(r)}
	doc := map[string]any{
		"id":                      uuid.NewString(),
		"category":                in.category,
		"displayName":             in.displayName,
		"description":             in.description,
		"isEnabled":               in.isEnabled,
		"isSchedulingEnabled":     in.scheduling,
		"executionConditions":     in.conditions,
		"tasks":                   issueTasks(in.tasks),
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
	w.Header().Set("Location", wire.BaseURL(r)+basePath+"/workflows/"+id)
	s.writeWorkflow(w, r, doc, workflowAnswer{status: http.StatusCreated, coll: collWorkflows})
	return nil
}

func (s *API) getWorkflow(w http.ResponseWriter, r *http.Request, p route.Params) error {
	rec, err := s.getActive(p["id"], true)
	if err != nil {
		return err
	}
	// A $select without tasks leaves them out: Example 2 of
	// https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-get?view=graph-rest-1.0.
	s.writeWorkflow(w, r, rec.Body, workflowAnswer{status: http.StatusOK, coll: collWorkflows, sel: odata.SelectList(r), selectDropsTasks: true})
	return nil
}

// patchable are the workflow properties PATCH accepts (spec 2.3).
var patchable = []string{"displayName", "description", "isEnabled", "isSchedulingEnabled"}

func notPatchable(path, prop string, allowed []string) error {
	return wire.PathError(path, "the property '%s' cannot be changed with PATCH; PATCH accepts only %s. Use createNewVersion (POST .../workflows/{id}/createNewVersion) for every other change.",
		prop, strings.Join(allowed, ", "))
}

func (s *API) updateWorkflow(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	o, _ := wire.NewObject("", typeWorkflow, body)
	keys := make([]string, 0, len(body))
	for k := range body {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !strings.Contains(k, "@") && !slices.Contains(patchable, k) {
			return notPatchable(k, k, patchable)
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
	rec, err := s.getActive(p["id"], false)
	if err != nil {
		return err
	}
	merged := map[string]any{}
	for _, k := range patchable {
		merged[k] = rec.Body[k]
	}
	for k, v := range set {
		merged[k] = v
	}
	enabled, _ := merged["isEnabled"].(bool)
	scheduling, _ := merged["isSchedulingEnabled"].(bool)
	if err := checkScheduling("isSchedulingEnabled", enabled, scheduling, isOnDemand(rec.Body)); err != nil {
		return err
	}
	if name, ok := set["displayName"].(string); ok {
		if taken, err := s.nameTaken(name, rec.ID); err != nil {
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
		obj["lastModifiedBy"] = map[string]any{"id": callerID(r)}
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func isOnDemand(doc map[string]any) bool {
	ec, _ := doc["executionConditions"].(map[string]any)
	leaf, _ := wire.ODataLeaf(ec["@odata.type"])
	return strings.EqualFold(leaf, typeOnDemand)
}

// move moves a workflow document between the active and deleted collections,
// keeping its creation time (the replication-delay fault must not hide it again).
func (s *API) move(rec *store.Record, from, to string, change func(map[string]any)) error {
	change(rec.Body)
	if err := s.Store.Insert(to, rec.ID, rec.Body, rec.CreatedAt); err != nil {
		return err
	}
	return s.Store.Delete(from, rec.ID)
}

func (s *API) deleteWorkflow(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.getActive(p["id"], false)
	if err != nil {
		return err
	}
	now := s.Timestamp()
	if err := s.move(rec, collWorkflows, collDeletedWorkflows, func(doc map[string]any) { doc["deletedDateTime"] = now }); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// versionOf is the workflowVersion of a workflow document's current version.
func versionOf(doc map[string]any) map[string]any {
	created := doc[ifVersionCreatedTime]
	if created == nil {
		created = doc["createdDateTime"]
	}
	v := map[string]any{"versionNumber": doc["version"], "createdDateTime": created}
	for _, k := range []string{"category", "displayName", "description", "isEnabled", "isSchedulingEnabled",
		"executionConditions", "tasks", "lastModifiedDateTime", "createdBy", "lastModifiedBy"} {
		v[k] = cloneJSON(doc[k])
	}
	return v
}

// createNewVersion takes the action's parameter, {"workflow": {...}} (Example 1 of
// https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-createnewversion?view=graph-rest-1.0),
// or the workflow itself as the body (Example 2 of the same page), and answers the new
// version of the workflow itself, as the page's Response section and response annotation
// say (the examples' replies wrap it in "workflow", like the request parameter).
func (s *API) createNewVersion(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	prefix, wv := "", any(body)
	if x, wrapped := body["workflow"]; wrapped {
		for k := range body {
			if k != "workflow" && !strings.Contains(k, "@") {
				return wire.PathError(k, "the createNewVersion action takes one parameter, 'workflow'; '%s' is not a parameter of it (send either {\"workflow\": {...}} or the workflow itself).", k)
			}
		}
		if x == nil {
			return wire.PathError("workflow", "the parameter must be a workflow: send {\"workflow\": {category, displayName, description, isEnabled, isSchedulingEnabled, executionConditions, tasks}}.")
		}
		prefix, wv = "workflow", x
	}
	defs, err := s.definitions()
	if err != nil {
		return err
	}
	in, err := parseWorkflow(prefix, wv, defs)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.getActive(p["id"], false)
	if err != nil {
		return err
	}
	if cur := wire.StrField(rec.Body, "category"); !strings.EqualFold(cur, in.category) {
		path := "category"
		if prefix != "" {
			path = prefix + "." + path
		}
		return wire.PathError(path, "the category of a workflow cannot change (it is '%s'); create a new workflow instead.", cur)
	}
	if taken, err := s.nameTaken(in.displayName, rec.ID); err != nil {
		return err
	} else if taken {
		return wire.BadRequest(msgLWDuplicateName)
	}
	if err := s.checkReferences(in.refs); err != nil {
		return err
	}
	now := s.Timestamp()
	var doc map[string]any
	err = s.Store.Update(collWorkflows, rec.ID, func(obj map[string]any) error {
		version, _ := odata.ToFloat(obj["version"])
		obj[ifVersions] = append(wire.AnySlice(obj[ifVersions]), versionOf(obj))
		obj["version"] = int(version) + 1
		obj["displayName"] = in.displayName
		obj["description"] = in.description
		obj["isEnabled"] = in.isEnabled
		obj["isSchedulingEnabled"] = in.scheduling
		obj["executionConditions"] = in.conditions
		obj["tasks"] = issueTasks(in.tasks)
		obj["lastModifiedDateTime"] = now
		obj["lastModifiedBy"] = map[string]any{"id": callerID(r)}
		obj[ifVersionCreatedTime] = now
		doc = obj
		return nil
	})
	if err != nil {
		return err
	}
	s.writeWorkflow(w, r, doc, workflowAnswer{status: http.StatusOK, coll: collWorkflows})
	return nil
}

func (s *API) activate(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	rec, err := s.getActive(p["id"], true)
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
	ids := make([]string, 0, len(subjects))
	for i, x := range subjects {
		path := wire.Index("subjects", i)
		m, ok := x.(map[string]any)
		if !ok {
			return wire.PathError(path, "expected a JSON object {\"id\": \"<user id>\"}, got '%s'.", wire.Literal(x))
		}
		id, err := guid(path+".id", m["id"])
		if err != nil {
			return err
		}
		if _, err := s.Store.Get(directory.Users, id); errors.Is(err, store.ErrNotFound) {
			return wire.PathError(path+".id", "user '%s' does not exist.", id)
		} else if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	if enabled, _ := rec.Body["isEnabled"].(bool); !enabled {
		return wire.BadRequest("The workflow is disabled; enable it (PATCH isEnabled true) before running it on demand.")
	}
	if err := s.recordOnDemandRun(rec, ids); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *API) emptyNav(nav string) route.Handler {
	return func(w http.ResponseWriter, r *http.Request, p route.Params) error {
		if _, err := s.getActive(p["id"], true); err != nil {
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

var taskFilterable = []string{"id", "displayName", "taskDefinitionId", "isEnabled", "continueOnError", "category", "executionSequence"}

// taskRecords turns a task list into records numbered in execution order.
func taskRecords(tasks any) []*store.Record {
	var recs []*store.Record
	for i, t := range wire.AnySlice(tasks) {
		if m, ok := t.(map[string]any); ok {
			recs = append(recs, &store.Record{Seq: int64(i + 1), ID: wire.StrField(m, "id"), Body: m})
		}
	}
	return recs
}

func findTask(tasks any, id string) (map[string]any, bool) {
	for _, t := range wire.AnySlice(tasks) {
		if m, ok := t.(map[string]any); ok && strings.EqualFold(wire.StrField(m, "id"), id) {
			return m, true
		}
	}
	return nil, false
}

func (s *API) writeTasks(w http.ResponseWriter, r *http.Request, tasks any, contextPath string) error {
	cq, err := s.ParseQuery(r, taskFilterable)
	if err != nil {
		return err
	}
	include := includeUnknown(w, r)
	odata.WriteCollection(w, r, cq, taskRecords(tasks), contextPath, func(b map[string]any) map[string]any {
		return tasksOut([]any{b}, include)[0].(map[string]any)
	})
	return nil
}

func (s *API) writeTask(w http.ResponseWriter, r *http.Request, tasks any, taskID, contextPath string) error {
	t, ok := findTask(tasks, taskID)
	if !ok {
		return wire.NotFound(taskID)
	}
	out := tasksOut([]any{t}, includeUnknown(w, r))[0].(map[string]any)
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(wire.WithContext(out, s.contextURL(r, contextPath)), odata.SelectList(r)))
	return nil
}

func (s *API) listTasks(w http.ResponseWriter, r *http.Request, p route.Params) error {
	rec, err := s.getActive(p["id"], true)
	if err != nil {
		return err
	}
	return s.writeTasks(w, r, rec.Body["tasks"], "identityGovernance/lifecycleWorkflows/workflows('"+p["id"]+"')/tasks")
}

func (s *API) getTask(w http.ResponseWriter, r *http.Request, p route.Params) error {
	rec, err := s.getActive(p["id"], true)
	if err != nil {
		return err
	}
	return s.writeTask(w, r, rec.Body["tasks"], p["taskId"], "workflows('"+p["id"]+"')/tasks")
}

var taskPatchable = []string{"displayName", "description"}

func (s *API) updateTask(w http.ResponseWriter, r *http.Request, p route.Params) error {
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
		if !strings.Contains(k, "@") && !slices.Contains(taskPatchable, k) {
			return notPatchable(k, k, taskPatchable)
		}
	}
	o, _ := wire.NewObject("", typeTask, body)
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
	rec, err := s.getActive(p["id"], false)
	if err != nil {
		return err
	}
	task, ok := findTask(rec.Body["tasks"], p["taskId"])
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
		t, ok := findTask(obj["tasks"], p["taskId"])
		if !ok {
			return wire.NotFound(p["taskId"])
		}
		for k, v := range set {
			t[k] = v
		}
		obj["lastModifiedDateTime"] = s.Timestamp()
		obj["lastModifiedBy"] = map[string]any{"id": callerID(r)}
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- versions ----

// versions returns the previous versions and the current one, oldest first.
func versions(doc map[string]any) []map[string]any {
	var out []map[string]any
	for _, v := range wire.AnySlice(doc[ifVersions]) {
		if m, ok := v.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return append(out, versionOf(doc))
}

func findVersion(doc map[string]any, n string) (map[string]any, error) {
	want, err := strconv.Atoi(n)
	if err != nil {
		return nil, wire.NotFound(n)
	}
	for _, v := range versions(doc) {
		if f, ok := odata.ToFloat(v["versionNumber"]); ok && int(f) == want {
			return v, nil
		}
	}
	return nil, wire.NotFound(n)
}

func versionOut(v map[string]any, include bool) map[string]any {
	out := baseOut(v, include)
	out["tasks"] = tasksOut(v["tasks"], include)
	return out
}

func (s *API) listVersions(w http.ResponseWriter, r *http.Request, p route.Params) error {
	rec, err := s.getActive(p["id"], true)
	if err != nil {
		return err
	}
	cq, err := s.ParseQuery(r, []string{"versionNumber", "displayName", "category", "isEnabled"})
	if err != nil {
		return err
	}
	var recs []*store.Record
	for i, v := range versions(rec.Body) {
		recs = append(recs, &store.Record{Seq: int64(i + 1), ID: fmt.Sprint(v["versionNumber"]), Body: v})
	}
	include := includeUnknown(w, r)
	odata.WriteCollection(w, r, cq, recs, "identityGovernance/lifecycleWorkflows/workflows('"+p["id"]+"')/versions", func(b map[string]any) map[string]any {
		return versionOut(b, include)
	})
	return nil
}

func (s *API) getVersion(w http.ResponseWriter, r *http.Request, p route.Params) error {
	rec, err := s.getActive(p["id"], true)
	if err != nil {
		return err
	}
	v, err := findVersion(rec.Body, p["n"])
	if err != nil {
		return err
	}
	include := includeUnknown(w, r)
	out := odata.ApplySelect(versionOut(v, include), odata.SelectList(r))
	out["tasks"] = tasksOut(v["tasks"], include)
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(out, s.contextURL(r, "workflows('"+p["id"]+"')/versions")))
	return nil
}

func (s *API) listVersionTasks(w http.ResponseWriter, r *http.Request, p route.Params) error {
	rec, err := s.getActive(p["id"], true)
	if err != nil {
		return err
	}
	v, err := findVersion(rec.Body, p["n"])
	if err != nil {
		return err
	}
	return s.writeTasks(w, r, v["tasks"], "identityGovernance/lifecycleWorkflows/workflows('"+p["id"]+"')/versions("+p["n"]+")/tasks")
}

func (s *API) getVersionTask(w http.ResponseWriter, r *http.Request, p route.Params) error {
	rec, err := s.getActive(p["id"], true)
	if err != nil {
		return err
	}
	v, err := findVersion(rec.Body, p["n"])
	if err != nil {
		return err
	}
	return s.writeTask(w, r, v["tasks"], p["taskId"], "workflows('"+p["id"]+"')/versions("+p["n"]+")/tasks")
}

// ---- deleted items ----

func (s *API) getDeletedRec(id string) (*store.Record, error) {
	rec, err := s.Store.Get(collDeletedWorkflows, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, wire.NotFound(id)
	}
	return rec, err
}

func (s *API) listDeleted(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	return s.writeWorkflows(w, r, collDeletedWorkflows, "identityGovernance/lifecycleWorkflows/deletedItems/workflows")
}

func (s *API) getDeleted(w http.ResponseWriter, r *http.Request, p route.Params) error {
	rec, err := s.getDeletedRec(p["id"])
	if err != nil {
		return err
	}
	// Tasks stay with a $select: the $select example of the page answers them (tasks()).
	s.writeWorkflow(w, r, rec.Body, workflowAnswer{status: http.StatusOK, coll: deletedItemsPath, sel: odata.SelectList(r)})
	return nil
}

func (s *API) restore(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.getDeletedRec(p["id"])
	if err != nil {
		return err
	}
	// Restoring must not create a second active workflow of the same name [U].
	if taken, err := s.nameTaken(wire.StrField(rec.Body, "displayName"), rec.ID); err != nil {
		return err
	} else if taken {
		return wire.BadRequest(msgLWDuplicateName + " Rename the other workflow before restoring this one.")
	}
	if err := s.move(rec, collDeletedWorkflows, collWorkflows, func(doc map[string]any) { doc["deletedDateTime"] = nil }); err != nil {
		return err
	}
	// The page's reply carries the workflow's @odata.type and tasks@odata.context
	// (https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-restore?view=graph-rest-1.0);
	// the contexts name the active workflow, where the restored one now is.
	s.writeWorkflow(w, r, rec.Body, workflowAnswer{status: http.StatusOK, coll: collWorkflows, typed: true})
	return nil
}

func (s *API) purge(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.getDeletedRec(p["id"])
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
func (s *API) ChangeWorkflowTask(workflowID, task string, patch map[string]any) error {
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
			return fmt.Errorf("%w: task %q of workflow %s", store.ErrNotFound, task, workflowID)
		}
		rest := map[string]any{}
		for k, v := range patch {
			rest[k] = v
		}
		if args, ok := patch["arguments"].(map[string]any); ok {
			delete(rest, "arguments")
			t["arguments"] = setArguments(wire.AnySlice(t["arguments"]), args)
		}
		wire.MergePatch(t, rest)
		obj["lastModifiedDateTime"] = s.Timestamp()
		return nil
	})
}

func setArguments(list []any, set map[string]any) []any {
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
