package lifecycle

import (
	"net/http"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Runs of a workflow and their reports. A run (scheduled: scheduled_runs.go; on demand:
// activate) executes the workflow's enabled tasks for its users and is recorded as a run
// with one userProcessingResult per user, one taskProcessingResult per task and user, and
// one taskReport per task
// (https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-run?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-userprocessingresult?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-taskprocessingresult?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-taskreport?view=graph-rest-1.0).
// Tasks run at once: a run is complete when it is recorded.
const (
	// CollRuns and CollUserProcessingResults hold the runs and results; "_workflowId" names
	// the workflow and "_runId" the run of a result (internal fields).
	CollRuns                  = "workflowRuns"
	CollUserProcessingResults = "workflowUserProcessingResults"

	ifWorkflowID = "_workflowId"
	ifRunID      = "_runId"
)

// Filterable properties of the reports (the list pages document $filter, $orderby, $select).
var (
	runFilterable        = []string{"id", "processingStatus", "workflowExecutionType", "scheduledDateTime", "startedDateTime", "completedDateTime", "failedUsersCount", "totalUsersCount"}
	userResultFilterable = []string{"id", "processingStatus", "workflowExecutionType", "subject/id", "scheduledDateTime", "completedDateTime", "failedTasksCount", "workflowVersion"}
	taskResultFilterable = []string{"id", "processingStatus", "subject/id", "task/id", "task/taskDefinitionId", "createdDateTime", "completedDateTime"}
	taskReportFilterable = []string{"id", "runId", "processingStatus", "task/id", "taskDefinition/id", "completedDateTime", "failedUsersCount"}
	reportSortable       = []string{"id", "processingStatus", "scheduledDateTime", "startedDateTime", "completedDateTime", "createdDateTime", "lastUpdatedDateTime", "totalUsersCount", "failedUsersCount", "failedTasksCount"}
)

// recordOnDemandRun runs the enabled tasks of an activate for the subjects and records the run.
func (s *API) recordOnDemandRun(wf *store.Record, subjects []string) error {
	users := make([]due, len(subjects))
	for i, id := range subjects {
		users[i] = due{userID: id}
	}
	return s.processRun(wf, users, s.Now(), "onDemand")
}

// recorded lists the records of coll that belong to the workflow and match the other
// internal fields given (field, value pairs).
func (s *API) recorded(coll, workflowID string, match ...string) ([]*store.Record, error) {
	recs, err := s.Store.List(coll)
	if err != nil {
		return nil, err
	}
	var out []*store.Record
	for _, rec := range recs {
		ok := strings.EqualFold(wire.StrField(rec.Body, ifWorkflowID), workflowID)
		for i := 0; ok && i+1 < len(match); i += 2 {
			ok = strings.EqualFold(wire.StrField(rec.Body, match[i]), match[i+1])
		}
		if ok {
			out = append(out, rec)
		}
	}
	return out, nil
}

// report is one collection of recorded reports under a workflow: where it is stored, its
// filterable properties, the path parameters that narrow it (route param -> internal
// field) and the parents that must exist (route param -> collection).
type report struct {
	nav        string
	coll       string
	filterable []string
	narrow     map[string]string
	parents    map[string]string
}

// paramOrder fixes the order of the path parameters in context URLs.
var paramOrder = []struct{ param, nav string }{{"runId", "runs"}, {"userResultId", "userProcessingResults"}, {"reportId", "taskReports"}}

// contextPath is the @odata.context path of a report collection under a workflow.
func contextPath(p route.Params, nav string) string {
	path := "identityGovernance/lifecycleWorkflows/workflows('" + p["id"] + "')"
	for _, x := range paramOrder {
		if v, ok := p[x.param]; ok {
			path += "/" + x.nav + "('" + v + "')"
		}
	}
	return path + "/" + nav
}

// parentsExist answers 404 for a workflow, run, user result or task report not found.
func (s *API) parentsExist(p route.Params, parents map[string]string) (*store.Record, error) {
	wf, err := s.getActive(p["id"], true)
	if err != nil {
		return nil, err
	}
	for param, coll := range parents {
		rec, err := s.Store.Get(coll, p[param])
		if err != nil || !strings.EqualFold(wire.StrField(rec.Body, ifWorkflowID), wf.ID) {
			return nil, wire.NotFound(p[param])
		}
		if param == "userResultId" && p["runId"] != "" && !strings.EqualFold(wire.StrField(rec.Body, ifRunID), p["runId"]) {
			return nil, wire.NotFound(p[param])
		}
	}
	return wf, nil
}

func (s *API) listReport(rep report) route.Handler {
	return func(w http.ResponseWriter, r *http.Request, p route.Params) error {
		wf, err := s.parentsExist(p, rep.parents)
		if err != nil {
			return err
		}
		cq, err := s.ParseQuery(r, rep.filterable)
		if err != nil {
			return err
		}
		var match []string
		for param, field := range rep.narrow {
			match = append(match, field, p[param])
		}
		recs, err := s.recorded(rep.coll, wf.ID, match...)
		if err != nil {
			return err
		}
		if recs, err = order(r, recs, reportSortable); err != nil {
			return err
		}
		odata.WriteCollection(w, r, cq, recs, contextPath(p, rep.nav), wire.Public)
		return nil
	}
}

func (s *API) getReport(rep report, param string) route.Handler {
	return func(w http.ResponseWriter, r *http.Request, p route.Params) error {
		wf, err := s.parentsExist(p, rep.parents)
		if err != nil {
			return err
		}
		rec, err := s.Store.Get(rep.coll, p[param])
		ok := err == nil && strings.EqualFold(wire.StrField(rec.Body, ifWorkflowID), wf.ID)
		for q, field := range rep.narrow {
			ok = ok && strings.EqualFold(wire.StrField(rec.Body, field), p[q])
		}
		if !ok {
			return wire.NotFound(p[param]) // also a record of another workflow or run
		}
		out := odata.ApplySelect(wire.Public(rec.Body), odata.SelectList(r))
		wire.WriteJSON(w, http.StatusOK, wire.WithContext(out, wire.EntityContext(r, contextPath(p, rep.nav))))
		return nil
	}
}

// recordedNavs are the navigations of a workflow served from the recorded runs.
func (s *API) recordedNavs() map[string]route.Handler {
	return map[string]route.Handler{
		"runs":                  s.listReport(report{nav: "runs", coll: CollRuns, filterable: runFilterable}),
		"userProcessingResults": s.listReport(report{nav: "userProcessingResults", coll: CollUserProcessingResults, filterable: userResultFilterable}),
		"taskReports":           s.listReport(report{nav: "taskReports", coll: CollTaskReports, filterable: taskReportFilterable}),
	}
}

// runRoutes serves the reports under a run, a user processing result and a task report.
func (s *API) runRoutes(t *route.Table) {
	get := func(tmpl string, h route.Handler) {
		t.Add(route.Graph, perm(areaReports), basePath+"/workflows/{id}"+tmpl, map[string]route.Handler{http.MethodGet: h})
	}
	run := map[string]string{"runId": CollRuns}
	runUser := map[string]string{"runId": CollRuns, "userResultId": CollUserProcessingResults}
	user := map[string]string{"userResultId": CollUserProcessingResults}
	task := map[string]string{"reportId": CollTaskReports}

	get("/runs/{runId}", s.getReport(report{nav: "runs", coll: CollRuns}, "runId"))
	get("/runs/{runId}/userProcessingResults", s.listReport(report{nav: "userProcessingResults", coll: CollUserProcessingResults,
		filterable: userResultFilterable, narrow: map[string]string{"runId": ifRunID}, parents: run}))
	get("/runs/{runId}/userProcessingResults/{userResultId}", s.getReport(report{nav: "userProcessingResults", coll: CollUserProcessingResults,
		narrow: map[string]string{"runId": ifRunID}, parents: run}, "userResultId"))
	get("/runs/{runId}/userProcessingResults/{userResultId}/taskProcessingResults", s.listReport(report{nav: "taskProcessingResults",
		coll: CollTaskProcessingResults, filterable: taskResultFilterable, narrow: map[string]string{"userResultId": ifUserResultID}, parents: runUser}))
	get("/runs/{runId}/taskProcessingResults", s.listReport(report{nav: "taskProcessingResults", coll: CollTaskProcessingResults,
		filterable: taskResultFilterable, narrow: map[string]string{"runId": ifRunID}, parents: run}))
	get("/userProcessingResults/{userResultId}", s.getReport(report{nav: "userProcessingResults", coll: CollUserProcessingResults}, "userResultId"))
	get("/userProcessingResults/{userResultId}/taskProcessingResults", s.listReport(report{nav: "taskProcessingResults",
		coll: CollTaskProcessingResults, filterable: taskResultFilterable, narrow: map[string]string{"userResultId": ifUserResultID}, parents: user}))
	get("/taskReports/{reportId}", s.getReport(report{nav: "taskReports", coll: CollTaskReports}, "reportId"))
	get("/taskReports/{reportId}/taskProcessingResults", s.listReport(report{nav: "taskProcessingResults", coll: CollTaskProcessingResults,
		filterable: taskResultFilterable, narrow: map[string]string{"reportId": ifTaskReportID}, parents: task}))
}
