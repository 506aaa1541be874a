package graph_test

import (
	"context"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// A createNewVersion whose answer is lost after Graph applied it (make testfaults: dropAfterCommitRate) is
// settled by reading the workflow's version: the call succeeds with the new version, and no second version
// is made.
func TestCreateNewWorkflowVersionAfterALostAnswer(t *testing.T) {
	t.Parallel()
	c, srv := newEmulatorClient(t, func(cfg *graph.Config) { cfg.ConsistencyTimeout = 0 })
	ctx := context.Background()
	def := graph.WorkflowDefinition{
		Category: "leaver", DisplayName: "Lost answer", IsEnabled: true,
		ExecutionConditions: &graph.ExecutionConditions{Type: graph.ConditionsOnDemandOnly},
		Tasks:               []graph.WorkflowTask{{DisplayName: "Disable", TaskDefinitionID: "1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950", IsEnabled: true}},
	}
	w, err := c.CreateWorkflow(ctx, def)
	if err != nil {
		t.Fatal(err)
	}
	def.Description = "second version"
	srv.SetFaults(emulator.Faults{DropAfterCommitRate: 1})
	v2, err := c.CreateNewWorkflowVersion(ctx, w.ID, w.Version, def)
	srv.SetFaults(emulator.Faults{})
	if err != nil {
		t.Fatalf("the lost answer was not settled: %v", err)
	}
	if v2.Version != w.Version+1 || v2.Description != "second version" {
		t.Fatalf("read back version %d (%q), want %d", v2.Version, v2.Description, w.Version+1)
	}
	versions, err := c.ListWorkflowVersions(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(versions) != 2 {
		t.Fatalf("%d versions, want 2: the request was sent again after it had applied", len(versions))
	}
}
