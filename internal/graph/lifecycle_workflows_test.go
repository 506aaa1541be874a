package graph_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

func TestWorkflowTriggerJSON(t *testing.T) {
	t.Parallel()
	cases := []struct {
		trigger graph.WorkflowTrigger
		want    string
	}{
		{graph.WorkflowTrigger{Type: graph.TriggerTimeBasedAttribute, TimeBasedAttribute: "employeeHireDate", OffsetInDays: -7},
			`{"@odata.type":"#microsoft.graph.identityGovernance.timeBasedAttributeTrigger","offsetInDays":-7,"timeBasedAttribute":"employeeHireDate"}`},
		{graph.WorkflowTrigger{Type: graph.TriggerAttributeChange, TriggerAttributes: []string{"department"}},
			`{"@odata.type":"#microsoft.graph.identityGovernance.attributeChangeTrigger","triggerAttributes":[{"name":"department"}]}`},
		{graph.WorkflowTrigger{Type: graph.TriggerMembershipChange, ChangeType: "add"},
			`{"@odata.type":"#microsoft.graph.identityGovernance.membershipChangeTrigger","changeType":"add"}`},
		{graph.WorkflowTrigger{Type: graph.TriggerUserInactivity, InactivityPeriodInDays: 30},
			`{"@odata.type":"#microsoft.graph.identityGovernance.userInactivityTrigger","inactivityPeriodInDays":30}`},
	}
	for _, c := range cases {
		b, err := json.Marshal(c.trigger)
		if err != nil || string(b) != c.want {
			t.Errorf("Marshal(%+v) = %s, %v; want %s", c.trigger, b, err, c.want)
		}
		var back graph.WorkflowTrigger
		if err := json.Unmarshal(b, &back); err != nil || back.Type != c.trigger.Type {
			t.Errorf("round trip of %s = %+v, %v", b, back, err)
		}
	}
	// Without the leading '#', and an integer sent as a string.
	var tr graph.WorkflowTrigger
	if err := json.Unmarshal([]byte(`{"@odata.type":"microsoft.graph.identityGovernance.timeBasedAttributeTrigger","offsetInDays":"5"}`), &tr); err != nil || tr.OffsetInDays != 5 || tr.Type != graph.TriggerTimeBasedAttribute {
		t.Errorf("lenient decode = %+v, %v", tr, err)
	}
	b, _ := json.Marshal(graph.ExecutionConditions{Type: graph.ConditionsOnDemandOnly})
	if string(b) != `{"@odata.type":"#microsoft.graph.identityGovernance.onDemandExecutionOnly"}` {
		t.Errorf("on-demand conditions = %s", b)
	}
}

func TestWorkflowLifecycle(t *testing.T) {
	t.Parallel()
	c, _ := newEmulatorClient(t, nil)
	ctx := context.Background()
	def := graph.WorkflowDefinition{
		Category: "joiner", DisplayName: "Graph test joiners", IsEnabled: true,
		ExecutionConditions: &graph.ExecutionConditions{
			Type:    graph.ConditionsTriggerAndScope,
			Scope:   &graph.WorkflowScope{Type: graph.ScopeGroupBased, GroupIDs: []string{emulator.SeedGroupSalesID}},
			Trigger: &graph.WorkflowTrigger{Type: graph.TriggerTimeBasedAttribute, TimeBasedAttribute: "createdDateTime", OffsetInDays: 1},
		},
		Tasks: []graph.WorkflowTask{
			{DisplayName: "Welcome", TaskDefinitionID: "70b29d51-b59a-4773-9280-8841dfd3f2ea", IsEnabled: true},
			{DisplayName: "Groups", TaskDefinitionID: "22085229-5809-45e8-97fd-270d28d66910", IsEnabled: true,
				Arguments: []graph.KeyValuePair{{Name: "groupID", Value: emulator.SeedGroupFinanceID}}},
		},
	}
	created, err := c.CreateWorkflow(ctx, def)
	if err != nil {
		t.Fatal(err)
	}
	w, err := c.GetWorkflow(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	// createdDateTime and mover are evolvable members: the Prefer header makes Graph return them.
	if w.Version != 1 || len(w.Tasks) != 2 || w.Tasks[0].ID == "" || w.ExecutionConditions.Trigger.TimeBasedAttribute != "createdDateTime" ||
		w.ExecutionConditions.Scope.GroupIDs[0] != emulator.SeedGroupSalesID || !strings.Contains(w.Tasks[1].Category, "mover") {
		t.Fatalf("read back %+v", w)
	}

	name := "Graph test joiners (renamed)"
	if err := c.UpdateWorkflow(ctx, w.ID, graph.WorkflowUpdate{DisplayName: &name}); err != nil {
		t.Fatal(err)
	}
	taskName := "Welcome mail"
	if err := c.UpdateWorkflowTask(ctx, w.ID, w.Tasks[0].ID, graph.WorkflowTaskUpdate{DisplayName: &taskName}); err != nil {
		t.Fatal(err)
	}
	def.DisplayName = name
	def.Tasks = def.Tasks[1:]
	v2, err := c.CreateNewWorkflowVersion(ctx, w.ID, w.Version, def)
	if err != nil {
		t.Fatal(err)
	}
	if v2.ID != w.ID || v2.Version != 2 || len(v2.Tasks) != 1 || v2.DisplayName != name {
		t.Fatalf("new version %+v", v2)
	}
	versions, err := c.ListWorkflowVersions(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, v := range versions {
		if v.VersionNumber == 1 {
			found = len(v.Tasks) == 2 || v.Tasks == nil
		}
	}
	if !found {
		t.Errorf("version 1 not listed: %+v", versions)
	}
	byName, err := c.ListWorkflowsByName(ctx, name)
	if err != nil || len(byName) != 1 {
		t.Errorf("ListWorkflowsByName = %+v, %v", byName, err)
	}

	if err := c.DeleteWorkflow(ctx, w.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetWorkflow(ctx, w.ID); !graph.IsNotFound(err) {
		t.Errorf("soft-deleted workflow still readable: %v", err)
	}
	deleted, err := c.GetDeletedWorkflow(ctx, w.ID)
	if err != nil || deleted.DeletedDateTime == nil {
		t.Fatalf("deleted item %+v, %v", deleted, err)
	}
	if err := c.PermanentlyDeleteWorkflow(ctx, w.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetDeletedWorkflow(ctx, w.ID); !graph.IsNotFound(err) {
		t.Errorf("permanently deleted workflow still in deletedItems: %v", err)
	}
	// Deleting what is gone succeeds.
	if err := c.DeleteWorkflow(ctx, w.ID); err != nil {
		t.Error(err)
	}
	if err := c.PermanentlyDeleteWorkflow(ctx, w.ID); err != nil {
		t.Error(err)
	}
}

func TestTaskDefinitionsAndSettings(t *testing.T) {
	t.Parallel()
	c, _ := newEmulatorClient(t, nil)
	ctx := context.Background()
	all, err := c.ListTaskDefinitions(ctx, "")
	if err != nil || len(all) != 25 {
		t.Fatalf("ListTaskDefinitions = %d, %v", len(all), err)
	}
	movers, err := c.ListTaskDefinitions(ctx, "mover")
	if err != nil || len(movers) == 0 || len(movers) >= 25 {
		t.Fatalf("mover task definitions = %d, %v", len(movers), err)
	}
	for _, d := range movers {
		if !strings.Contains(d.Category, "mover") {
			t.Errorf("%s (%s) returned for mover", d.DisplayName, d.Category)
		}
	}

	s, err := c.GetLifecycleSettings(ctx)
	if err != nil || s.WorkflowScheduleIntervalInHours != graph.DefaultWorkflowScheduleIntervalInHours {
		t.Fatalf("settings %+v, %v", s, err)
	}
	want := graph.LifecycleSettings{WorkflowScheduleIntervalInHours: 12, EmailSettings: &graph.LifecycleEmailSettings{SenderDomain: "contoso.com", UseCompanyBranding: true}}
	if err := c.UpdateLifecycleSettings(ctx, want); err != nil {
		t.Fatal(err)
	}
	s, err = c.GetLifecycleSettings(ctx)
	if err != nil || s.WorkflowScheduleIntervalInHours != 12 || s.EmailSettings == nil || *s.EmailSettings != *want.EmailSettings {
		t.Fatalf("settings after update %+v, %v", s, err)
	}
}

// TestActivateWorkflow: an on-demand run for two users is one run with a result per user; Graph's
// refusals (a disabled workflow, an unknown one) come back as typed errors.
func TestActivateWorkflow(t *testing.T) {
	t.Parallel()
	c, _ := newEmulatorClient(t, nil)
	ctx := context.Background()
	w, err := c.CreateWorkflow(ctx, graph.WorkflowDefinition{
		Category: "leaver", DisplayName: "Graph test on demand", IsEnabled: true,
		ExecutionConditions: &graph.ExecutionConditions{Type: graph.ConditionsOnDemandOnly},
		Tasks:               []graph.WorkflowTask{{DisplayName: "Revoke sessions", TaskDefinitionID: "509589a4-0466-4471-829e-49c5e502bdee", IsEnabled: true}},
	})
	if err != nil {
		t.Fatal(err)
	}
	users := []string{emulator.SeedUserAlexID, emulator.SeedUserLeeID}
	if err := c.ActivateWorkflow(ctx, w.ID, users); err != nil {
		t.Fatal(err)
	}
	results, err := c.ListWorkflowUserProcessingResults(ctx, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range results {
		got[r.Subject.ID] = r.WorkflowExecutionType + "/" + r.ProcessingStatus
	}
	if len(results) != 2 || got[emulator.SeedUserAlexID] != "onDemand/completed" || got[emulator.SeedUserLeeID] != "onDemand/completed" {
		t.Errorf("results %+v", results)
	}

	off := false
	if err := c.UpdateWorkflow(ctx, w.ID, graph.WorkflowUpdate{IsEnabled: &off}); err != nil {
		t.Fatal(err)
	}
	if err := c.ActivateWorkflow(ctx, w.ID, users); !graph.IsBadRequest(err) {
		t.Errorf("disabled workflow: %v", err)
	}
	if err := c.ActivateWorkflow(ctx, "00000000-0000-0000-0000-0000000000ff", users); !graph.IsNotFound(err) {
		t.Errorf("unknown workflow: %v", err)
	}
	if err := c.ActivateWorkflow(ctx, "", users); !errors.Is(err, graph.ErrEmptyID) {
		t.Errorf("empty id: %v", err)
	}
}
