package lifecycle

import (
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Runs of a workflow and their per-user processing results. An on-demand run (activate)
// is recorded as a run of workflowExecutionType onDemand with one userProcessingResult per
// subject (https://learn.microsoft.com/graph/api/resources/identitygovernance-run?view=graph-rest-1.0,
// https://learn.microsoft.com/graph/api/resources/identitygovernance-userprocessingresult?view=graph-rest-1.0).
// The local API runs no task: a run completes at once, every enabled task counted as done.
const (
	// CollRuns and CollUserProcessingResults hold the runs and results; "_workflowId" names
	// the workflow and "_runId" the run of a result (internal fields).
	CollRuns                  = "workflowRuns"
	CollUserProcessingResults = "workflowUserProcessingResults"

	ifWorkflowID = "_workflowId"
	ifRunID      = "_runId"
)

// recordOnDemandRun writes the completed run of an activate for the subjects.
func (s *API) recordOnDemandRun(wf *store.Record, subjects []string) error {
	now := s.Timestamp()
	tasks := 0
	for _, t := range wire.AnySlice(wf.Body["tasks"]) {
		if m, ok := t.(map[string]any); ok {
			if enabled, _ := m["isEnabled"].(bool); enabled {
				tasks++
			}
		}
	}
	version := wf.Body["version"]
	runID := uuid.NewString()
	run := map[string]any{
		"id": runID, "workflowExecutionType": "onDemand", "processingStatus": "completed",
		"scheduledDateTime": now, "startedDateTime": now, "completedDateTime": now, "lastUpdatedDateTime": now,
		"totalUsersCount": len(subjects), "successfulUsersCount": len(subjects), "failedUsersCount": 0,
		"totalTasksCount": tasks * len(subjects), "failedTasksCount": 0, "totalUnprocessedTasksCount": 0,
		ifWorkflowID: wf.ID,
	}
	if err := s.Store.Insert(CollRuns, runID, run, s.Now()); err != nil {
		return err
	}
	for _, subject := range subjects {
		id := uuid.NewString()
		result := map[string]any{
			"id": id, "workflowExecutionType": "onDemand", "processingStatus": "completed", "workflowVersion": version,
			"scheduledDateTime": now, "startedDateTime": now, "completedDateTime": now,
			"totalTasksCount": tasks, "failedTasksCount": 0, "totalUnprocessedTasksCount": 0,
			"subject":    map[string]any{"id": subject},
			ifWorkflowID: wf.ID, ifRunID: runID,
		}
		if err := s.Store.Insert(CollUserProcessingResults, id, result, s.Now()); err != nil {
			return err
		}
	}
	return nil
}

// workflowRecords lists the records of coll that belong to the workflow.
func (s *API) workflowRecords(coll, workflowID string) ([]*store.Record, error) {
	recs, err := s.Store.List(coll)
	if err != nil {
		return nil, err
	}
	var out []*store.Record
	for _, rec := range recs {
		if strings.EqualFold(wire.StrField(rec.Body, ifWorkflowID), workflowID) {
			out = append(out, rec)
		}
	}
	return out, nil
}

// listRecorded serves a workflow's runs or userProcessingResults.
func (s *API) listRecorded(nav, coll string, filterable []string) route.Handler {
	return func(w http.ResponseWriter, r *http.Request, p route.Params) error {
		wf, err := s.getActive(p["id"], true)
		if err != nil {
			return err
		}
		cq, err := s.ParseQuery(r, filterable)
		if err != nil {
			return err
		}
		recs, err := s.workflowRecords(coll, wf.ID)
		if err != nil {
			return err
		}
		odata.WriteCollection(w, r, cq, recs, "identityGovernance/lifecycleWorkflows/workflows('"+p["id"]+"')/"+nav, wire.Public)
		return nil
	}
}

// recordedNavs are the navigations of a workflow served from what activate recorded.
func (s *API) recordedNavs() map[string]route.Handler {
	return map[string]route.Handler{
		"runs":                  s.listRecorded("runs", CollRuns, []string{"id", "processingStatus", "workflowExecutionType"}),
		"userProcessingResults": s.listRecorded("userProcessingResults", CollUserProcessingResults, []string{"id", "processingStatus", "workflowExecutionType", "subject/id"}),
	}
}
