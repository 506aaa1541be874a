package lifecycle

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/entitlement"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Lifecycle workflows over time. Every workflowScheduleIntervalInHours of the settings
// (on the local API's clock, at the multiples of the interval since midnight UTC), each
// workflow with isEnabled and isSchedulingEnabled evaluates its execution conditions
// (trigger and scope) against the directory and runs its enabled tasks for the users
// they select, recording a scheduled run
// (https://learn.microsoft.com/en-us/entra/id-governance/lifecycle-workflow-execution-conditions,
// https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-triggerandscopebasedconditions?view=graph-rest-1.0).
//
// A user is processed once per workflow and trigger occurrence: the occurrence is the
// value that made the trigger fire (the attribute's date, the changed values, the
// membership change, the last sign-in), remembered in collProcessed. The evaluation is
// registered with the clock's scheduler only while some workflow is scheduled, so a
// tenant without one has no pending effect.

const (
	// collProcessed remembers (workflow, user, trigger occurrence) already processed.
	collProcessed = "_lifecycleProcessed"
	// collBaselines holds what a change trigger compares with: per workflow, the watched
	// attributes of each user in scope, or the members of the scope's groups.
	collBaselines = "_lifecycleBaselines"

	// CollTaskProcessingResults and CollTaskReports are the per-task records of runs.
	CollTaskProcessingResults = "workflowTaskProcessingResults"
	CollTaskReports           = "workflowTaskReports"

	ifUserResultID = "_userProcessingResultId"
	ifTaskReportID = "_taskReportId"

	// timeTriggerWindow is how long after a time-based trigger's date a user who was not
	// processed yet still is (a user whose date was set in the past, a workflow enabled
	// late). Our choice: the reference documents no catch-up window.
	timeTriggerWindow = 3 * 24 * time.Hour

	// auditActor is who the changes of workflow tasks are made by.
	auditActor = "lifecycle workflows"
)

// Connect gives the area the directory and entitlement management, which the tasks of
// scheduled runs act through (server.go wires it).
func (s *API) Connect(dir *directory.API, ent *entitlement.API) {
	s.dir, s.ent = dir, ent
	s.entRoutes = ent.Routes()
}

// ScheduleFromStore registers the next scheduled evaluation when a workflow of the store
// is scheduled (a server opening an existing database).
func (s *API) ScheduleFromStore() error {
	s.ensureSchedule()
	return nil
}

// ensureSchedule registers the next evaluation when none is pending and a workflow is
// scheduled.
func (s *API) ensureSchedule() {
	if s.dir == nil || !s.anyScheduled() {
		return
	}
	interval := time.Duration(s.scheduleIntervalHours()) * time.Hour
	due := s.Now().UTC().Truncate(interval).Add(interval)
	s.tickMu.Lock()
	defer s.tickMu.Unlock()
	if !s.nextTick.IsZero() {
		return
	}
	s.nextTick = due
	s.At(due, "scheduled evaluation of lifecycle workflows", s.evaluateScheduled)
}

// fillNextScheduleRun sets nextScheduleRunDateTime of an answered workflow (when the answer
// has it) to the next scheduled evaluation while the workflow is scheduled, null otherwise
// (https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-workflow?view=graph-rest-1.0).
func (s *API) fillNextScheduleRun(doc, out map[string]any) {
	if _, answered := out["nextScheduleRunDateTime"]; !answered {
		return
	}
	out["nextScheduleRunDateTime"] = nil
	if !isScheduled(doc) {
		return
	}
	s.tickMu.Lock()
	next := s.nextTick
	s.tickMu.Unlock()
	if next.IsZero() { // registered right after the write that scheduled it
		interval := time.Duration(s.scheduleIntervalHours()) * time.Hour
		next = s.Now().UTC().Truncate(interval).Add(interval)
	}
	out["nextScheduleRunDateTime"] = wire.FormatTimestamp(next)
}

// forgetSchedule is called when the clock's effects were dropped (a reset).
func (s *API) forgetSchedule() {
	s.tickMu.Lock()
	s.nextTick = time.Time{}
	s.tickMu.Unlock()
}

func (s *API) scheduleIntervalHours() int {
	doc, err := s.settingsDoc()
	if err != nil {
		return scheduleDefault
	}
	if n, ok := toInt(doc["workflowScheduleIntervalInHours"]); ok && n > 0 {
		return n
	}
	return scheduleDefault
}

func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case float64:
		return int(n), true
	case int:
		return n, true
	case int64:
		return int(n), true
	}
	return 0, false
}

// isScheduled is true for a workflow the schedule evaluates.
func isScheduled(doc map[string]any) bool {
	enabled, _ := doc["isEnabled"].(bool)
	scheduling, _ := doc["isSchedulingEnabled"].(bool)
	return enabled && scheduling && !isOnDemand(doc)
}

func (s *API) anyScheduled() bool {
	recs, err := s.Store.List(collWorkflows)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(recs, func(r *store.Record) bool { return isScheduled(r.Body) })
}

// evaluateScheduled is the scheduled evaluation: every scheduled workflow, then the next.
func (s *API) evaluateScheduled(at time.Time) {
	s.tickMu.Lock()
	s.nextTick = time.Time{}
	s.tickMu.Unlock()
	recs, err := s.Store.List(collWorkflows)
	if err == nil {
		for _, wf := range recs {
			if isScheduled(wf.Body) {
				// A failure (the store closed under a late effect) has nobody to answer to.
				_ = s.runScheduled(wf, at)
			}
		}
	}
	s.ensureSchedule()
}

// due is one user a trigger selected, with the occurrence that made it fire.
type due struct {
	userID     string
	occurrence string
}

// runScheduled evaluates one workflow and runs its tasks for the users due.
func (s *API) runScheduled(wf *store.Record, at time.Time) error {
	s.WriteMu.Lock()
	users, err := s.dueUsers(wf, at)
	s.WriteMu.Unlock()
	if err != nil || len(users) == 0 {
		return err
	}
	return s.processRun(wf, users, at, "scheduled")
}

// dueUsers evaluates the execution conditions at a time and returns the users to
// process, each once per occurrence. Callers hold the write lock.
func (s *API) dueUsers(wf *store.Record, at time.Time) ([]due, error) {
	conds, _ := wf.Body["executionConditions"].(map[string]any)
	scope, _ := conds["scope"].(map[string]any)
	trigger, _ := conds["trigger"].(map[string]any)
	inScope, err := s.scopeMatcher(scope)
	if err != nil {
		return nil, err
	}
	users, err := s.Store.List(directory.Users)
	if err != nil {
		return nil, err
	}
	var candidates []due
	switch leaf := typeLeaf(trigger); leaf {
	case "timeBasedAttributeTrigger":
		candidates = timeTriggerDue(trigger, users, inScope, at)
	case "attributeChangeTrigger":
		candidates, err = s.attributeChangesDue(wf.ID, trigger, users, inScope)
	case "membershipChangeTrigger":
		candidates, err = s.membershipChangesDue(wf.ID, trigger, scope, at)
	case "userInactivityTrigger":
		candidates = inactivityDue(trigger, users, inScope, at)
	}
	if err != nil {
		return nil, err
	}
	var out []due
	for _, c := range candidates {
		key := processedKey(wf.ID, c)
		if _, err := s.Store.Get(collProcessed, key); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		doc := map[string]any{"workflowId": wf.ID, "userId": c.userID, "occurrence": c.occurrence, "processedDateTime": wire.FormatTimestamp(at)}
		if err := s.Store.Insert(collProcessed, key, doc, at); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func processedKey(workflowID string, d due) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte(strings.ToLower(workflowID+"|"+d.userID+"|"+d.occurrence))).String()
}

// typeLeaf is the last segment of an object's @odata.type.
func typeLeaf(m map[string]any) string {
	t := wire.StrField(m, "@odata.type")
	return t[strings.LastIndex(t, ".")+1:]
}

// scopeMatcher tells whether a user is in a workflow's scope: a ruleBasedSubjectSet's
// rule, or membership of a groupBasedSubjectSet's groups (a group gone counts as empty).
func (s *API) scopeMatcher(scope map[string]any) (func(*store.Record) bool, error) {
	switch typeLeaf(scope) {
	case "ruleBasedSubjectSet":
		pred, err := compileRule(wire.StrField(scope, "rule"))
		if err != nil {
			return nil, err
		}
		return func(u *store.Record) bool { return pred(u.Body) }, nil
	case "groupBasedSubjectSet":
		members, err := s.scopeGroupMembers(scope)
		if err != nil {
			return nil, err
		}
		return func(u *store.Record) bool { return members[strings.ToLower(u.ID)] }, nil
	}
	return func(*store.Record) bool { return false }, nil
}

func (s *API) scopeGroupMembers(scope map[string]any) (map[string]bool, error) {
	members := map[string]bool{}
	for _, g := range wire.AnySlice(scope["groups"]) {
		m, _ := g.(map[string]any)
		ids, err := s.dir.GroupMemberIDs(wire.StrField(m, "id"))
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			members[strings.ToLower(id)] = true
		}
	}
	return members, nil
}

// parseDate reads a date-time attribute (or a date) of a user.
func parseDate(v any) (time.Time, bool) {
	s, _ := v.(string)
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// timeTriggerDue: a user in scope is due when the attribute plus offsetInDays days has
// been reached, for timeTriggerWindow after that.
func timeTriggerDue(trigger map[string]any, users []*store.Record, inScope func(*store.Record) bool, at time.Time) []due {
	attr := wire.StrField(trigger, "timeBasedAttribute")
	offset, _ := toInt(trigger["offsetInDays"])
	var out []due
	for _, u := range users {
		date, ok := parseDate(u.Body[attr])
		if !ok || !inScope(u) {
			continue
		}
		when := date.Add(time.Duration(offset) * 24 * time.Hour)
		if when.After(at) || at.Sub(when) >= timeTriggerWindow {
			continue
		}
		out = append(out, due{userID: u.ID, occurrence: fmt.Sprintf("%s=%s%+dd", attr, wire.StrField(u.Body, attr), offset)})
	}
	return out
}

// inactivityDue: a user in scope is due when their last sign-in (signInActivity, else
// their creation) is at least inactivityPeriodInDays days ago.
func inactivityDue(trigger map[string]any, users []*store.Record, inScope func(*store.Record) bool, at time.Time) []due {
	days, _ := toInt(trigger["inactivityPeriodInDays"])
	var out []due
	for _, u := range users {
		if !inScope(u) {
			continue
		}
		last := lookup(u.Body, "signInActivity/lastSuccessfulSignInDateTime")
		if last == nil {
			last = lookup(u.Body, "signInActivity/lastSignInDateTime")
		}
		if last == nil {
			last = u.Body["createdDateTime"]
		}
		t, ok := parseDate(last)
		if !ok || at.Sub(t) < time.Duration(days)*24*time.Hour {
			continue
		}
		out = append(out, due{userID: u.ID, occurrence: fmt.Sprintf("inactive since %v", last)})
	}
	return out
}

// attributeChangesDue compares the watched attributes of the users in scope with the
// baseline of the previous evaluation; a user seen for the first time only sets it.
func (s *API) attributeChangesDue(workflowID string, trigger map[string]any, users []*store.Record, inScope func(*store.Record) bool) ([]due, error) {
	var attrs []string
	for _, a := range wire.AnySlice(trigger["triggerAttributes"]) {
		m, _ := a.(map[string]any)
		attrs = append(attrs, wire.StrField(m, "name"))
	}
	base, err := s.baseline(workflowID, "attributes")
	if err != nil {
		return nil, err
	}
	next := map[string]any{}
	var out []due
	for _, u := range users {
		if !inScope(u) {
			continue
		}
		var parts []string
		for _, a := range attrs {
			parts = append(parts, a+"="+fmt.Sprint(lookup(u.Body, a)))
		}
		now := strings.Join(parts, ";")
		key := strings.ToLower(u.ID)
		next[key] = now
		if before, seen := base[key]; seen && before != now {
			out = append(out, due{userID: u.ID, occurrence: "changed from " + fmt.Sprint(before) + " to " + now})
		}
	}
	return out, s.putBaseline(workflowID, "attributes", next)
}

// membershipChangesDue compares the members of the scope's groups with the previous
// evaluation: changeType add processes the users who joined, remove those who left.
func (s *API) membershipChangesDue(workflowID string, trigger, scope map[string]any, at time.Time) ([]due, error) {
	members, err := s.scopeGroupMembers(scope)
	if err != nil {
		return nil, err
	}
	base, err := s.baseline(workflowID, "members")
	if err != nil {
		return nil, err
	}
	first := len(base) == 0
	if v, ok := base["\x00initialised"]; ok && v == true {
		first = false
	}
	next := map[string]any{"\x00initialised": true}
	for id := range members {
		next[id] = true
	}
	var out []due
	stamp := wire.FormatTimestamp(at)
	if !first {
		switch wire.StrField(trigger, "changeType") {
		case "add":
			for id := range members {
				if _, was := base[id]; !was {
					out = append(out, due{userID: id, occurrence: "added " + stamp})
				}
			}
		case "remove":
			for id := range base {
				if !strings.HasPrefix(id, "\x00") && !members[id] {
					if _, err := s.Store.Get(directory.Users, id); err == nil {
						out = append(out, due{userID: id, occurrence: "removed " + stamp})
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].userID < out[j].userID })
	return out, s.putBaseline(workflowID, "members", next)
}

func (s *API) baseline(workflowID, kind string) (map[string]any, error) {
	rec, err := s.Store.Get(collBaselines, workflowID+"_"+kind)
	if errors.Is(err, store.ErrNotFound) {
		return map[string]any{}, nil
	}
	if err != nil {
		return nil, err
	}
	m, _ := rec.Body["values"].(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	if rec.Body["initialised"] == true {
		m["\x00initialised"] = true
	}
	return m, nil
}

func (s *API) putBaseline(workflowID, kind string, values map[string]any) error {
	id := workflowID + "_" + kind
	clean := map[string]any{}
	for k, v := range values {
		if !strings.HasPrefix(k, "\x00") {
			clean[k] = v
		}
	}
	doc := map[string]any{"workflowId": workflowID, "kind": kind, "values": clean, "initialised": true}
	if err := s.Store.Delete(collBaselines, id); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return s.Store.Insert(collBaselines, id, doc, s.Now())
}

// enabledTasks are the tasks a run executes, in executionSequence order.
func enabledTasks(wf map[string]any) []map[string]any {
	var out []map[string]any
	for _, t := range wire.AnySlice(wf["tasks"]) {
		if m, ok := t.(map[string]any); ok {
			if enabled, _ := m["isEnabled"].(bool); enabled {
				out = append(out, m)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, _ := toInt(out[i]["executionSequence"])
		b, _ := toInt(out[j]["executionSequence"])
		return a < b
	})
	return out
}

// taskOutcome is how one task went for one user.
type taskOutcome struct {
	status, info, failure string
}

// runRecord accumulates the reports of one run while its users are processed.
type runRecord struct {
	wf        *store.Record
	tasks     []map[string]any
	runID     string
	execType  string
	at        time.Time
	stamp     string
	reportIDs []string
	reports   []struct{ ok, failed, unprocessed int }

	okUsers, failedUsers, failedTasks, unprocessed int
}

// processRun runs the workflow's tasks for the users and records the run, its
// userProcessingResults, taskProcessingResults and taskReports. A failed task stops the
// user's remaining tasks unless it has continueOnError; those are canceled (our choice).
func (s *API) processRun(wf *store.Record, users []due, at time.Time, execType string) error {
	tasks := enabledTasks(wf.Body)
	rr := &runRecord{wf: wf, tasks: tasks, runID: uuid.NewString(), execType: execType, at: at, stamp: wire.FormatTimestamp(at),
		reportIDs: make([]string, len(tasks)), reports: make([]struct{ ok, failed, unprocessed int }, len(tasks))}
	for i := range tasks {
		rr.reportIDs[i] = uuid.NewString()
	}
	for _, u := range users {
		if err := s.processUser(rr, u.userID); err != nil {
			return err
		}
	}
	for i, task := range tasks {
		status := "completed"
		if rr.reports[i].failed > 0 {
			status = "completedWithErrors"
		}
		rep := map[string]any{
			"id": rr.reportIDs[i], "runId": rr.runID, "processingStatus": status,
			"startedDateTime": rr.stamp, "completedDateTime": rr.stamp, "lastUpdatedDateTime": rr.stamp,
			"totalUsersCount": len(users), "successfulUsersCount": rr.reports[i].ok, "failedUsersCount": rr.reports[i].failed,
			"unprocessedUsersCount": rr.reports[i].unprocessed,
			"task":                  map[string]any{"id": wire.StrField(task, "id")},
			"taskDefinition":        map[string]any{"id": wire.StrField(task, "taskDefinitionId")},
			ifWorkflowID:            wf.ID, ifRunID: rr.runID,
		}
		if err := s.insertLocked(CollTaskReports, rep, at); err != nil {
			return err
		}
	}
	status := "completed"
	if rr.failedUsers > 0 {
		status = "completedWithErrors"
	}
	run := map[string]any{
		"id": rr.runID, "workflowExecutionType": execType, "processingStatus": status,
		"scheduledDateTime": rr.stamp, "startedDateTime": rr.stamp, "completedDateTime": rr.stamp, "lastUpdatedDateTime": rr.stamp,
		"totalUsersCount": len(users), "successfulUsersCount": rr.okUsers, "failedUsersCount": rr.failedUsers,
		"totalTasksCount": len(tasks) * len(users), "failedTasksCount": rr.failedTasks, "totalUnprocessedTasksCount": rr.unprocessed,
		ifWorkflowID: wf.ID,
	}
	if err := s.insertLocked(CollRuns, run, at); err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	return s.Audit(route.AuditEntry{At: at, Activity: "workflowRunCompleted", ObjectType: "microsoft.graph.identityGovernance.workflow", ObjectID: wf.ID,
		InitiatedBy: auditActor, Reason: runReasons[execType],
		Details: map[string]any{"runId": rr.runID, "workflowExecutionType": execType, "processingStatus": status,
			"totalUsersCount": len(users), "failedUsersCount": rr.failedUsers}})
}

// processUser runs the tasks for one user and records their results and the user's.
func (s *API) processUser(rr *runRecord, userID string) error {
	uprID := uuid.NewString()
	failedHere, unprocessedHere, stopped := 0, 0, false
	for i, task := range rr.tasks {
		out := taskOutcome{status: "canceled", info: "An earlier task failed and this task does not continue on error."}
		if !stopped {
			out = s.runTask(taskRun{wf: rr.wf, task: task, userID: userID, runID: rr.runID, at: rr.at})
		}
		switch out.status {
		case "failed":
			failedHere++
			rr.reports[i].failed++
			if cont, _ := task["continueOnError"].(bool); !cont {
				stopped = true
			}
		case "canceled":
			unprocessedHere++
			rr.reports[i].unprocessed++
		default:
			rr.reports[i].ok++
		}
		res := map[string]any{
			"id": uuid.NewString(), "createdDateTime": rr.stamp, "startedDateTime": rr.stamp, "completedDateTime": rr.stamp,
			"processingStatus": out.status, "failureReason": nilIfEmpty(out.failure), "processingInfo": nilIfEmpty(out.info),
			"subject": map[string]any{"id": userID}, "task": cloneJSON(wire.Public(task)),
			ifWorkflowID: rr.wf.ID, ifRunID: rr.runID, ifUserResultID: uprID, ifTaskReportID: rr.reportIDs[i],
		}
		if err := s.insertLocked(CollTaskProcessingResults, res, rr.at); err != nil {
			return err
		}
	}
	status := "completed"
	switch {
	case failedHere > 0 && stopped:
		status = "failed"
	case failedHere > 0:
		status = "completedWithErrors"
	}
	if failedHere > 0 {
		rr.failedUsers++
	} else {
		rr.okUsers++
	}
	rr.failedTasks += failedHere
	rr.unprocessed += unprocessedHere
	version, _ := toInt(rr.wf.Body["version"])
	upr := map[string]any{
		"id": uprID, "workflowExecutionType": rr.execType, "processingStatus": status, "workflowVersion": version,
		"scheduledDateTime": rr.stamp, "startedDateTime": rr.stamp, "completedDateTime": rr.stamp,
		"totalTasksCount": len(rr.tasks), "failedTasksCount": failedHere, "totalUnprocessedTasksCount": unprocessedHere,
		"subject":    map[string]any{"id": userID},
		ifWorkflowID: rr.wf.ID, ifRunID: rr.runID,
	}
	return s.insertLocked(CollUserProcessingResults, upr, rr.at)
}

var runReasons = map[string]string{
	"scheduled": "the workflow's execution conditions selected users at a scheduled evaluation",
	"onDemand":  "the workflow was run on demand (activate)",
}

func (s *API) insertLocked(coll string, doc map[string]any, at time.Time) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	return s.Store.Insert(coll, doc["id"].(string), doc, at)
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
