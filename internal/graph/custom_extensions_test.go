package graph_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// The reference pages of catalog extensions answer the object wrapped in {"value": ...} and the callback
// timeout as durationBeforeTimeout
// (https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequestworkflowextension-get?view=graph-rest-1.0);
// the client reads that form as well as the plain one.
func TestGetCustomWorkflowExtensionReadsTheDocumentedForm(t *testing.T) {
	const documented = `{"value":{"@odata.type":"#microsoft.graph.accessPackageAssignmentRequestWorkflowExtension",
		"id":"98ffaec5-ae8e-4902-a434-5ffc5d3d3cd0","displayName":"test_action_0124_email","clientConfiguration":null,
		"endpointConfiguration":{"@odata.type":"#microsoft.graph.logicAppTriggerEndpointConfiguration","subscriptionId":"38ab2ccc-3747-4567-b36b-9478f5602f0d",
		"resourceGroupName":"test","logicAppWorkflowName":"elm-extension-email","url":"https://prod-31.eastus.logic.azure.com:443/workflows/x"},
		"authenticationConfiguration":{"@odata.type":"#microsoft.graph.azureAdPopTokenAuthentication"},
		"callbackConfiguration":{"@odata.type":"microsoft.graph.customExtensionCallbackConfiguration","durationBeforeTimeout":"PT1H"}}}`
	c, _ := newScriptedClient(t, []scriptedReply{{status: http.StatusOK, body: documented}}, nil)
	ext, err := c.GetCustomWorkflowExtension(context.Background(), "32efb28c-9a7a-446c-986b-ca6528c6669d", "98ffaec5-ae8e-4902-a434-5ffc5d3d3cd0")
	if err != nil {
		t.Fatal(err)
	}
	if ext.Type != graph.RequestWorkflowExtensionType || ext.DisplayName != "test_action_0124_email" ||
		ext.EndpointConfiguration.LogicAppWorkflowName != "elm-extension-email" || ext.AuthenticationConfiguration.Type != graph.AuthenticationPopToken ||
		ext.CallbackConfiguration.Timeout() != "PT1H" {
		t.Errorf("read %+v", ext)
	}
}

// An update sends the whole extension with PUT, the documented method, and a cleared configuration as
// null; the read-only properties stay out.
func TestUpdateCustomWorkflowExtensionSendsTheWholeObject(t *testing.T) {
	c, s := newScriptedClient(t, []scriptedReply{{status: http.StatusOK, body: `{}`}}, nil)
	err := c.UpdateCustomWorkflowExtension(context.Background(), "c1", "e1", graph.CustomWorkflowExtension{
		Type: graph.RequestWorkflowExtensionType, ID: "e1", DisplayName: "Renamed", CreatedDateTime: "2022-01-24T21:48:57Z",
		EndpointConfiguration:       &graph.LogicAppEndpointConfiguration{SubscriptionID: "s", ResourceGroupName: "rg", LogicAppWorkflowName: "wf", URL: "https://x"},
		AuthenticationConfiguration: &graph.ExtensionAuthentication{Type: graph.AuthenticationPopToken},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := s.request(0); r.Method != http.MethodPut || r.URL.Path != "/v1.0/identityGovernance/entitlementManagement/catalogs/c1/customWorkflowExtensions/e1" {
		t.Fatalf("sent %s %s", r.Method, r.URL.Path)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(s.bodies[0]), &body); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "createdDateTime"} {
		if _, ok := body[k]; ok {
			t.Errorf("read-only %s sent: %s", k, s.bodies[0])
		}
	}
	if v, ok := body["callbackConfiguration"]; !ok || v != nil {
		t.Errorf("callbackConfiguration not cleared: %s", s.bodies[0])
	}
	ep := body["endpointConfiguration"].(map[string]any)
	if body["@odata.type"] != "#microsoft.graph.accessPackageAssignmentRequestWorkflowExtension" || ep["url"] != nil ||
		ep["@odata.type"] != "#microsoft.graph.logicAppTriggerEndpointConfiguration" {
		t.Errorf("body %s", s.bodies[0])
	}
}

// Custom task extensions against the local API: created, read, patched (204) and deleted.
func TestCustomTaskExtensionCalls(t *testing.T) {
	c, _ := newEmulatorClient(t, nil)
	ctx := context.Background()
	in := graph.CustomTaskExtension{
		DisplayName:                 "Grant manager access",
		EndpointConfiguration:       &graph.LogicAppEndpointConfiguration{SubscriptionID: "c500b67c-e9b7-4ad2-a90d-77d41385ae55", ResourceGroupName: "RG-LCM", LogicAppWorkflowName: "ManagerAccess"},
		AuthenticationConfiguration: &graph.ExtensionAuthentication{Type: graph.AuthenticationPopToken},
		CallbackConfiguration:       &graph.ExtensionCallbackConfiguration{TimeoutDuration: "PT5M", AuthorizedApps: []graph.IDRef{{ID: "4f3c1b5e-2d6a-4e8b-9c7d-1a2b3c4d5e6f"}}},
	}
	created, err := c.CreateCustomTaskExtension(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	in.DisplayName, in.CallbackConfiguration = "Renamed", nil
	if err := c.UpdateCustomTaskExtension(ctx, created.ID, in); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetCustomTaskExtension(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.DisplayName != "Renamed" || got.CallbackConfiguration != nil || got.AuthenticationConfiguration.Type != graph.AuthenticationPopToken || got.CreatedBy == nil {
		t.Errorf("after update %+v", got)
	}
	if err := c.DeleteCustomTaskExtension(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteCustomTaskExtension(ctx, created.ID); err != nil {
		t.Errorf("a second delete must succeed: %v", err)
	}
}
