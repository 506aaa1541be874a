package graph_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// TestListWorkflowRuns: on-demand and scheduled runs come back with their counts (through pages of
// two), the execution type filter keeps one kind, and a run's user results name the users processed.
func TestListWorkflowRuns(t *testing.T) {
	t.Parallel()
	c, srv := newEmulatorClient(t, nil)
	ctx := context.Background()
	w, err := c.CreateWorkflow(ctx, graph.WorkflowDefinition{
		Category: "leaver", DisplayName: "Graph test runs", IsEnabled: true, IsSchedulingEnabled: true,
		ExecutionConditions: &graph.ExecutionConditions{
			Type:    graph.ConditionsTriggerAndScope,
			Scope:   &graph.WorkflowScope{Type: graph.ScopeRuleBased, Rule: "(companyName eq 'Fabrikam')"},
			Trigger: &graph.WorkflowTrigger{Type: graph.TriggerTimeBasedAttribute, TimeBasedAttribute: "employeeLeaveDateTime"},
		},
		Tasks: []graph.WorkflowTask{{DisplayName: "Revoke sessions", TaskDefinitionID: "509589a4-0466-4471-829e-49c5e502bdee", IsEnabled: true}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := c.ActivateWorkflow(ctx, w.ID, []string{emulator.SeedUserAlexID}); err != nil {
			t.Fatal(err)
		}
	}
	leave := srv.ClockNow().Add(time.Hour).UTC().Format(time.RFC3339)
	for _, u := range []string{emulator.SeedGuestBenID, emulator.SeedGuestCarlaID} {
		if err := srv.ChangeObject("users", u, map[string]any{"employeeLeaveDateTime": leave}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := srv.AdvanceClock(6 * time.Hour); err != nil {
		t.Fatal(err)
	}
	runs, err := c.ListWorkflowRuns(ctx, w.ID, "")
	if err != nil || len(runs) != 3 {
		t.Fatalf("runs %+v, %v", runs, err)
	}
	scheduled, err := c.ListWorkflowRuns(ctx, w.ID, "scheduled")
	if err != nil || len(scheduled) != 1 {
		t.Fatalf("scheduled runs %+v, %v", scheduled, err)
	}
	r := scheduled[0]
	if r.ProcessingStatus != "completed" || r.TotalUsersCount != 2 || r.SuccessfulUsersCount != 2 || r.TotalTasksCount != 2 || r.CompletedDateTime == nil {
		t.Errorf("scheduled run %+v", r)
	}
	results, err := c.ListRunUserProcessingResults(ctx, w.ID, r.ID)
	if err != nil || len(results) != 2 {
		t.Fatalf("results %+v, %v", results, err)
	}
	got := map[string]bool{}
	for _, u := range results {
		got[u.Subject.ID] = u.ProcessingStatus == "completed" && u.TotalTasksCount == 1 && u.FailedTasksCount == 0
	}
	if !got[emulator.SeedGuestBenID] || !got[emulator.SeedGuestCarlaID] {
		t.Errorf("results %+v", results)
	}
	tasks, err := c.ListRunUserTaskProcessingResults(ctx, w.ID, r.ID, results[0].ID)
	if err != nil || len(tasks) != 1 || tasks[0].ProcessingStatus != "completed" || tasks[0].FailureReason != nil ||
		tasks[0].Task.TaskDefinitionID != "509589a4-0466-4471-829e-49c5e502bdee" || tasks[0].Task.DisplayName != "Revoke sessions" {
		t.Errorf("task results %+v, %v", tasks, err)
	}
	if _, err := c.ListWorkflowRuns(ctx, "00000000-0000-0000-0000-0000000000ff", ""); !graph.IsNotFound(err) {
		t.Errorf("unknown workflow: %v", err)
	}
	if _, err := c.ListRunUserProcessingResults(ctx, w.ID, "00000000-0000-0000-0000-0000000000ff"); !graph.IsNotFound(err) {
		t.Errorf("unknown run: %v", err)
	}
	if _, err := c.ListRunUserProcessingResults(ctx, w.ID, ""); !errors.Is(err, graph.ErrEmptyID) {
		t.Errorf("empty run id: %v", err)
	}
}
