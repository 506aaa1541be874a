package graph

import (
	"context"
	"net/url"
)

// WorkflowRun is one run of a lifecycle workflow, scheduled or on demand
// (https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-run?view=graph-rest-1.0).
// The dates are Graph's strings; a run still in progress has no completedDateTime.
type WorkflowRun struct {
	ID                         string  `json:"id"`
	WorkflowExecutionType      string  `json:"workflowExecutionType"`
	ProcessingStatus           string  `json:"processingStatus"`
	ScheduledDateTime          string  `json:"scheduledDateTime"`
	StartedDateTime            *string `json:"startedDateTime"`
	CompletedDateTime          *string `json:"completedDateTime"`
	LastUpdatedDateTime        *string `json:"lastUpdatedDateTime"`
	TotalUsersCount            int     `json:"totalUsersCount"`
	SuccessfulUsersCount       int     `json:"successfulUsersCount"`
	FailedUsersCount           int     `json:"failedUsersCount"`
	TotalTasksCount            int     `json:"totalTasksCount"`
	FailedTasksCount           int     `json:"failedTasksCount"`
	TotalUnprocessedTasksCount int     `json:"totalUnprocessedTasksCount"`
}

// RunUserProcessingResult is the outcome of a run for one user
// (https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-userprocessingresult?view=graph-rest-1.0).
type RunUserProcessingResult struct {
	ID                         string  `json:"id"`
	ProcessingStatus           string  `json:"processingStatus"`
	Subject                    IDRef   `json:"subject"`
	TotalTasksCount            int     `json:"totalTasksCount"`
	FailedTasksCount           int     `json:"failedTasksCount"`
	TotalUnprocessedTasksCount int     `json:"totalUnprocessedTasksCount"`
	CompletedDateTime          *string `json:"completedDateTime"`
}

// ListWorkflowRuns lists the runs of a workflow
// (https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-list-runs?view=graph-rest-1.0).
// A non-empty executionType keeps the runs of that workflowExecutionType ($filter).
func (c *Client) ListWorkflowRuns(ctx context.Context, workflowID, executionType string) ([]WorkflowRun, error) {
	var q url.Values
	if executionType != "" {
		q = url.Values{"$filter": {"workflowExecutionType eq " + ODataString(executionType)}}
	}
	return listAll[WorkflowRun](ctx, c, workflowPath(workflowID)+"/runs", q)
}

// ListRunUserProcessingResults lists the per-user results of one run
// (https://learn.microsoft.com/en-us/graph/api/identitygovernance-run-list-userprocessingresults?view=graph-rest-1.0).
func (c *Client) ListRunUserProcessingResults(ctx context.Context, workflowID, runID string) ([]RunUserProcessingResult, error) {
	return listAll[RunUserProcessingResult](ctx, c, workflowPath(workflowID)+"/runs/"+url.PathEscape(runID)+"/userProcessingResults", nil)
}

// TaskProcessingResult is the outcome of one task for one user in a run
// (https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-taskprocessingresult?view=graph-rest-1.0);
// Graph answers the task expanded.
type TaskProcessingResult struct {
	ID               string  `json:"id"`
	ProcessingStatus string  `json:"processingStatus"`
	FailureReason    *string `json:"failureReason"`
	Task             struct {
		ID               string `json:"id"`
		DisplayName      string `json:"displayName"`
		TaskDefinitionID string `json:"taskDefinitionId"`
	} `json:"task"`
}

// ListRunUserTaskProcessingResults lists the task results of one user's processing in a run
// (https://learn.microsoft.com/en-us/graph/api/identitygovernance-userprocessingresult-list-taskprocessingresults?view=graph-rest-1.0).
func (c *Client) ListRunUserTaskProcessingResults(ctx context.Context, workflowID, runID, userProcessingResultID string) ([]TaskProcessingResult, error) {
	path := workflowPath(workflowID) + "/runs/" + url.PathEscape(runID) + "/userProcessingResults/" + url.PathEscape(userProcessingResultID) + "/taskProcessingResults"
	return listAll[TaskProcessingResult](ctx, c, path, nil)
}
