package lifecycle_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/google/uuid"
)

const (
	cteDefRun = "4262b724-8dba-4fad-afc3-43fcbb497a0e" // Run a Custom Task Extension
	ctePath   = lwPath + "/customTaskExtensions"
)

// cteBody is the create page's example request.
func cteBody(name string) map[string]any {
	return map[string]any{
		"displayName": name, "description": "Grant manager access to mailbox and OneDrive",
		"endpointConfiguration": map[string]any{"@odata.type": "#microsoft.graph.logicAppTriggerEndpointConfiguration",
			"subscriptionId": "c500b67c-e9b7-4ad2-a90d-77d41385ae55", "resourceGroupName": "RG-LCM", "logicAppWorkflowName": "ManagerAccess"},
		"authenticationConfiguration": map[string]any{"@odata.type": "#microsoft.graph.azureAdTokenAuthentication", "resourceId": "542dc01a-0b5d-4edc-b3f9-5cfe6393f557"},
		"clientConfiguration": map[string]any{"@odata.type": "#microsoft.graph.customExtensionClientConfiguration",
			"maximumRetries": 1, "timeoutInMilliseconds": 1000},
		"callbackConfiguration": map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.customTaskExtensionCallbackConfiguration",
			"timeoutDuration": "PT5M"},
	}
}

func cteStatus(t *testing.T, e *emulatortest.Env, method, path string, body any, want int) map[string]any {
	t.Helper()
	resp, obj := e.Do(method, path, body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d %v, want %d", method, path, resp.StatusCode, obj, want)
	}
	return obj
}

func TestCustomTaskExtensionCRUD(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	obj := cteStatus(t, e, "POST", ctePath, cteBody("Grant manager access"), http.StatusCreated)
	id := obj["id"].(string)
	emulatortest.NoInternal(t, obj)
	if obj["createdDateTime"] == nil || obj["callbackConfiguration"].(map[string]any)["timeoutDuration"] != "PT5M" ||
		obj["clientConfiguration"].(map[string]any)["maximumRetries"] != float64(1) ||
		!strings.HasSuffix(obj["@odata.context"].(string), "$metadata#identityGovernance/lifecycleWorkflows/customTaskExtensions/$entity") {
		t.Errorf("created %v", obj)
	}
	got := cteStatus(t, e, "GET", ctePath+"/"+id, nil, http.StatusOK)
	if got["displayName"] != "Grant manager access" || got["createdBy"].(map[string]any)["id"] == nil {
		t.Errorf("GET %v", got)
	}
	list := cteStatus(t, e, "GET", ctePath+"?$filter=displayName%20eq%20'Grant%20manager%20access'", nil, http.StatusOK)
	if l := list["value"].([]any); len(l) != 1 {
		t.Errorf("list %v", list)
	}
	// PATCH answers 204; absent properties stay, sent ones (authorized apps included) are written.
	app := uuid.NewString()
	resp, body := e.Do("PATCH", ctePath+"/"+id, map[string]any{
		"displayName":                 "Renamed",
		"authenticationConfiguration": map[string]any{"@odata.type": "#microsoft.graph.azureAdPopTokenAuthentication"},
		"callbackConfiguration": map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.customTaskExtensionCallbackConfiguration",
			"timeoutDuration": "PT20M", "authorizedApps": []any{map[string]any{"id": app}}},
	})
	if resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("PATCH %d %v", resp.StatusCode, body)
	}
	got = cteStatus(t, e, "GET", ctePath+"/"+id, nil, http.StatusOK)
	cb := got["callbackConfiguration"].(map[string]any)
	apps := cb["authorizedApps"].([]any)
	if got["displayName"] != "Renamed" || got["description"] != "Grant manager access to mailbox and OneDrive" || cb["timeoutDuration"] != "PT20M" ||
		len(apps) != 1 || apps[0].(map[string]any)["id"] != app {
		t.Errorf("after PATCH %v", got)
	}
	cteStatus(t, e, "DELETE", ctePath+"/"+id, nil, http.StatusNoContent)
	cteStatus(t, e, "GET", ctePath+"/"+id, nil, http.StatusNotFound)
	cteStatus(t, e, "DELETE", ctePath+"/"+id, nil, http.StatusNotFound)
}

func TestCustomTaskExtensionValidation(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	cteStatus(t, e, "POST", ctePath, cteBody("Taken"), http.StatusCreated)
	cases := []struct {
		name string
		mut  func(b map[string]any)
		want string
	}{
		{"displayName missing", func(b map[string]any) { delete(b, "displayName") }, "displayName: the property is required"},
		{"displayName taken", func(b map[string]any) { b["displayName"] = "TAKEN" }, "A custom task extension with the same display name already exists"},
		{"authentication missing", func(b map[string]any) { delete(b, "authenticationConfiguration") }, "authenticationConfiguration: the property is required"},
		{"callback too short", func(b map[string]any) {
			b["callbackConfiguration"].(map[string]any)["timeoutDuration"] = "PT4M"
		}, "callbackConfiguration.timeoutDuration: must be between PT5M and PT3H"},
		{"callback too long", func(b map[string]any) {
			b["callbackConfiguration"].(map[string]any)["timeoutDuration"] = "PT3H1M"
		}, "callbackConfiguration.timeoutDuration: must be between PT5M and PT3H"},
		{"callback of a catalog extension", func(b map[string]any) {
			b["callbackConfiguration"].(map[string]any)["@odata.type"] = "#microsoft.graph.accessPackageRequestApprovalStageCallbackConfiguration"
		}, "callbackConfiguration.@odata.type"},
		{"authorized app not a GUID", func(b map[string]any) {
			b["callbackConfiguration"].(map[string]any)["authorizedApps"] = []any{map[string]any{"id": "my-app"}}
		}, "callbackConfiguration.authorizedApps[0].id: 'my-app' is not a valid object id"},
		{"retries out of range", func(b map[string]any) {
			b["clientConfiguration"].(map[string]any)["maximumRetries"] = 3
		}, "clientConfiguration.maximumRetries: must be between 0 and 1"},
		{"unknown property", func(b map[string]any) { b["logicAppUrl"] = "https://x" }, "logicAppUrl: The property 'logicAppUrl' does not exist"},
	}
	for _, tc := range cases {
		b := cteBody("New")
		tc.mut(b)
		resp, got := e.Do("POST", ctePath, b)
		if resp.StatusCode != http.StatusBadRequest || !strings.HasPrefix(emulatortest.ErrMessage(got), tc.want) {
			t.Errorf("%s: %d %q", tc.name, resp.StatusCode, emulatortest.ErrMessage(got))
		}
	}
}

// A task "Run a Custom Task Extension" must name an existing extension, and an extension a workflow's
// task names cannot be deleted (https://learn.microsoft.com/en-us/graph/api/identitygovernance-customtaskextension-delete?view=graph-rest-1.0).
func TestCustomTaskExtensionReferences(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	b := lwLeaver("Run the Logic App")
	lwSetTasks(b, lwTask("Run", cteDefRun, "customTaskExtensionID", uuid.NewString()))
	resp, obj := e.DoWith(e.Token, "POST", lwPath+"/workflows", b, lwPrefer())
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(emulatortest.ErrMessage(obj), "custom task extension") {
		t.Fatalf("missing extension: %d %v", resp.StatusCode, obj)
	}
	ext := cteStatus(t, e, "POST", ctePath, cteBody("Grant manager access"), http.StatusCreated)["id"].(string)
	lwSetTasks(b, lwTask("Run", cteDefRun, "customTaskExtensionID", ext))
	wf := lwCreate(e, b)["id"].(string)
	resp, obj = e.Do("DELETE", ctePath+"/"+ext, nil)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(emulatortest.ErrMessage(obj), wf) {
		t.Fatalf("delete while used: %d %v", resp.StatusCode, obj)
	}
	// A soft-deleted workflow no longer holds it.
	cteStatus(t, e, "DELETE", lwPath+"/workflows/"+wf, nil, http.StatusNoContent)
	cteStatus(t, e, "DELETE", ctePath+"/"+ext, nil, http.StatusNoContent)
}
