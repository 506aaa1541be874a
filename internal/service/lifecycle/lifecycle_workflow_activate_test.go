package lifecycle_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
	"github.com/entragov/terraform-provider-entragov/internal/service/lifecycle"
)

// TestLifecycleWorkflowActivateAction invokes the action in process against a local API: an application
// with only LifecycleWorkflows-Workflow.Activate, which may not read the workflow, still runs it (without
// the checks, saying so), and a disabled workflow is refused before any activate request.
func TestLifecycleWorkflowActivateAction(t *testing.T) {
	const activatorID, activatorSecret = "6e0a7c1d-0000-4000-8000-0000000000ac", "activator-secret"
	apps := append(emulator.DefaultApps(), emulator.App{
		ClientID: activatorID, Secret: activatorSecret, DisplayName: "activator",
		ObjectID: "6e0a7c1d-0000-4000-8000-0000000000ad", Roles: []string{"LifecycleWorkflows-Workflow.Activate"},
	})
	srv, err := emulator.New(emulator.Config{DBPath: ":memory:", Apps: apps})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		_ = srv.Close()
	})
	ctx := context.Background()
	admin := client(t, ts, emulator.DefaultClientID, emulator.DefaultClientSecret)
	wf, err := admin.CreateWorkflow(ctx, graph.WorkflowDefinition{
		Category: "leaver", DisplayName: "On demand", IsEnabled: true,
		ExecutionConditions: &graph.ExecutionConditions{Type: graph.ConditionsOnDemandOnly},
		Tasks:               []graph.WorkflowTask{{DisplayName: "Revoke sessions", TaskDefinitionID: "509589a4-0466-4471-829e-49c5e502bdee", IsEnabled: true}},
	})
	if err != nil {
		t.Fatal(err)
	}

	progress, diags := invokeActivate(t, client(t, ts, activatorID, activatorSecret), wf.ID, emulator.SeedUserAlexID)
	if diags.HasError() {
		t.Fatalf("invoke: %v", diags)
	}
	if !strings.Contains(strings.Join(progress, "\n"), "may not read lifecycle workflow") {
		t.Errorf("progress %q", progress)
	}
	results, err := admin.ListWorkflowUserProcessingResults(ctx, wf.ID)
	if err != nil || len(results) != 1 || results[0].Subject.ID != emulator.SeedUserAlexID {
		t.Fatalf("results %+v, %v", results, err)
	}

	off := false
	if err := admin.UpdateWorkflow(ctx, wf.ID, graph.WorkflowUpdate{IsEnabled: &off}); err != nil {
		t.Fatal(err)
	}
	before := srv.RequestCount().ByRoute
	_, diags = invokeActivate(t, admin, wf.ID, emulator.SeedUserAlexID)
	if !diags.HasError() || !strings.Contains(diags[0].Detail(), "is disabled") {
		t.Errorf("disabled workflow: %v", diags)
	}
	for route, n := range srv.RequestCount().ByRoute {
		if strings.Contains(route, "activate") && n != before[route] {
			t.Errorf("an activate request was sent for a disabled workflow (%s)", route)
		}
	}
}

func invokeActivate(t *testing.T, c *graph.Client, workflowID string, users ...string) ([]string, diag.Diagnostics) {
	t.Helper()
	ctx := context.Background()
	a := lifecycle.NewLifecycleWorkflowActivateAction().(action.ActionWithConfigure)
	var cr action.ConfigureResponse
	a.Configure(ctx, action.ConfigureRequest{ProviderData: framework.NewProviderData(c)}, &cr)
	var sr action.SchemaResponse
	a.Schema(ctx, action.SchemaRequest{}, &sr)
	ids := make([]tftypes.Value, len(users))
	for i, u := range users {
		ids[i] = tftypes.NewValue(tftypes.String, u)
	}
	typ := sr.Schema.Type().TerraformType(ctx)
	raw := tftypes.NewValue(typ, map[string]tftypes.Value{
		"workflow_id": tftypes.NewValue(tftypes.String, workflowID),
		"user_ids":    tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, ids),
	})
	var progress []string
	resp := action.InvokeResponse{SendProgress: func(e action.InvokeProgressEvent) { progress = append(progress, e.Message) }}
	a.Invoke(ctx, action.InvokeRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: raw}}, &resp)
	return progress, resp.Diagnostics
}

func client(t *testing.T, ts *httptest.Server, clientID, secret string) *graph.Client {
	t.Helper()
	tokens, err := graph.NewClientSecretSource(graph.CredentialOptions{
		TenantID: emulator.DefaultTenantID, ClientID: clientID,
		LoginEndpoint: ts.URL, GraphEndpoint: ts.URL, HTTPClient: ts.Client(),
	}, secret)
	if err != nil {
		t.Fatal(err)
	}
	c, err := graph.New(graph.Config{
		Endpoint: ts.URL, Token: tokens, HTTPClient: ts.Client(),
		RetryWaitMin: time.Millisecond, RetryWaitMax: 10 * time.Millisecond,
		PollInterval: 10 * time.Millisecond, ConsistencyTimeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
