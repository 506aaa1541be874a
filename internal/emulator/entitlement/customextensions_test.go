package entitlement_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/entitlement"
	"github.com/google/uuid"
)

func extPath(catalogID string) string {
	return emulatortest.EMPath + "/catalogs/" + catalogID + "/customWorkflowExtensions"
}

func extBody(typ string) map[string]any {
	return map[string]any{
		"@odata.type": "#microsoft.graph." + typ,
		"displayName": "Ext", "description": "Calls a logic app",
		"endpointConfiguration": map[string]any{"@odata.type": "#microsoft.graph.logicAppTriggerEndpointConfiguration",
			"subscriptionId": "38ab2ccc-3747-4567-b36b-9478f5602f0d", "resourceGroupName": "rg", "logicAppWorkflowName": "wf"},
		"authenticationConfiguration": map[string]any{"@odata.type": "#microsoft.graph.azureAdPopTokenAuthentication"},
	}
}

// createExtension creates a custom extension of the given type leaf in a catalog.
func (f *polFixture) createExtension(catalogID, typ string) string {
	f.e.T.Helper()
	resp, body := f.e.Do("POST", extPath(catalogID), extBody(typ))
	if resp.StatusCode != http.StatusCreated {
		f.e.T.Fatalf("create extension: %d %v", resp.StatusCode, body)
	}
	return body["id"].(string)
}

func TestCustomExtensionCRUD(t *testing.T) {
	t.Parallel()
	f := newPolFixture(t)
	in := extBody(entitlement.ExtTypeRequest)
	in["callbackConfiguration"] = map[string]any{"@odata.type": "microsoft.graph.customExtensionCallbackConfiguration", "durationBeforeTimeout": "pt1h"}
	in["clientConfiguration"] = map[string]any{"maximumRetries": "1", "timeoutInMilliseconds": 1000}
	resp, obj := f.e.Do("POST", extPath(f.cat), in)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("%d %v", resp.StatusCode, obj)
	}
	if _, wrapped := obj["value"]; wrapped {
		t.Fatalf("wrapped: %v", obj)
	}
	id := obj["id"].(string)
	emulatortest.NoInternal(t, obj)
	ep := obj["endpointConfiguration"].(map[string]any)
	if obj["@odata.type"] != "#microsoft.graph."+entitlement.ExtTypeRequest || obj["displayName"] != "Ext" ||
		!strings.Contains(ep["url"].(string), "/workflows/wf/") ||
		obj["callbackConfiguration"].(map[string]any)["timeoutDuration"] != "PT1H" ||
		// The page's example sends and echoes durationBeforeTimeout.
		obj["callbackConfiguration"].(map[string]any)["durationBeforeTimeout"] != "PT1H" ||
		obj["clientConfiguration"].(map[string]any)["maximumRetries"] != float64(1) ||
		!emulatortest.GraphTimestamp.MatchString(obj["createdDateTime"].(string)) {
		t.Errorf("created %v", obj)
	}
	if loc := resp.Header.Get("Location"); loc != f.e.Base+extPath(f.cat)+"/"+id {
		t.Errorf("Location %q", loc)
	}
	resp, got := f.e.Do("GET", extPath(f.cat)+"/"+id, nil)
	if resp.StatusCode != 200 || got["displayName"] != "Ext" || got["id"] != id {
		t.Errorf("GET %d %v", resp.StatusCode, got)
	}
	// List and filter.
	f.createExtension(f.cat, entitlement.ExtTypeAssignment)
	_, list := f.e.Do("GET", extPath(f.cat), nil)
	if l := govList(t, list); len(l) != 2 {
		t.Errorf("list %v", l)
	}
	q := url.Values{"$filter": {"id eq '" + id + "'"}}
	_, list = f.e.Do("GET", extPath(f.cat)+"?"+q.Encode(), nil)
	if l := govList(t, list); len(l) != 1 || l[0]["id"] != id {
		t.Errorf("filtered %v", l)
	}
	// Another catalog does not see it.
	cat2 := govCatalog(f.e, "Other")
	resp, body := f.e.Do("GET", extPath(cat2)+"/"+id, nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	resp, body = f.e.Do("GET", extPath(uuid.NewString()), nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")

	// PATCH answers 200 with the object; the type is fixed.
	resp, upd := f.e.Do("PATCH", extPath(f.cat)+"/"+id, map[string]any{"@odata.type": "#microsoft.graph." + entitlement.ExtTypeRequest,
		"displayName": "Renamed", "authenticationConfiguration": map[string]any{"@odata.type": "#microsoft.graph.azureAdTokenAuthentication", "resourceId": "api://x"}})
	if resp.StatusCode != 200 || upd["displayName"] != "Renamed" || upd["description"] != "Calls a logic app" ||
		upd["authenticationConfiguration"].(map[string]any)["resourceId"] != "api://x" {
		t.Errorf("PATCH %d %v", resp.StatusCode, upd)
	}
	resp, body = f.e.Do("PATCH", extPath(f.cat)+"/"+id, map[string]any{"@odata.type": "#microsoft.graph." + entitlement.ExtTypeAssignment})
	govWantErr(t, resp, body, 400, "BadRequest")
	resp, body = f.e.Do("PATCH", extPath(f.cat)+"/"+id, map[string]any{"displayName": ""})
	govWantErr(t, resp, body, 400, "BadRequest")
	// PUT, the documented update, keeps what the body leaves out (the pages' example sends only the names).
	resp, upd = f.e.Do("PUT", extPath(f.cat)+"/"+id, map[string]any{"@odata.type": "#microsoft.graph." + entitlement.ExtTypeRequest,
		"displayName": "Put", "description": "Put description"})
	if resp.StatusCode != 200 || upd["displayName"] != "Put" || upd["description"] != "Put description" ||
		upd["authenticationConfiguration"].(map[string]any)["resourceId"] != "api://x" || upd["endpointConfiguration"] == nil {
		t.Errorf("PUT %d %v", resp.StatusCode, upd)
	}

	// Control API.
	if err := f.e.Srv.ChangeObject(entitlement.CollCustomWorkflowExtensions, id, map[string]any{"description": "drift"}); err != nil {
		t.Fatal(err)
	}
	if o, err := f.e.Srv.GetObject(entitlement.CollCustomWorkflowExtensions, id); err != nil || o["description"] != "drift" || o["lastModifiedDateTime"] == upd["lastModifiedDateTime"] {
		t.Errorf("GetObject %v %v", o, err)
	}

	// Delete; the catalog cannot go while it holds extensions.
	resp, body = f.e.Do("DELETE", emulatortest.CatalogsPath+"/"+cat2, nil)
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("empty catalog delete %d %v", resp.StatusCode, body)
	}
	cat3 := govCatalog(f.e, "Third")
	ext3 := f.createExtension(cat3, entitlement.ExtTypeAssignment)
	resp, body = f.e.Do("DELETE", emulatortest.CatalogsPath+"/"+cat3, nil)
	govWantErr(t, resp, body, 400, "BadRequest")
	if !strings.Contains(emulatortest.ErrMessage(body), "custom workflow extensions") {
		t.Errorf("message %q", emulatortest.ErrMessage(body))
	}
	if resp, body := f.e.Do("DELETE", extPath(cat3)+"/"+ext3, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete %d %v", resp.StatusCode, body)
	}
	if resp, body := f.e.Do("DELETE", emulatortest.CatalogsPath+"/"+cat3, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("catalog delete %d %v", resp.StatusCode, body)
	}
	resp, body = f.e.Do("DELETE", extPath(cat3)+"/"+ext3, nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	if err := f.e.Srv.DeleteObject(entitlement.CollCustomWorkflowExtensions, id); err != nil {
		t.Fatal(err)
	}
	resp, body = f.e.Do("GET", extPath(f.cat)+"/"+id, nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
}

func TestCustomExtensionValidation(t *testing.T) {
	t.Parallel()
	f := newPolFixture(t)
	cases := []struct {
		name string
		mut  func(b map[string]any)
		want string
	}{
		{"type missing", func(b map[string]any) { delete(b, "@odata.type") }, "@odata.type: the type of this 'customCalloutExtension' is required"},
		{"type unknown", func(b map[string]any) { b["@odata.type"] = "#microsoft.graph.customTaskExtension" }, "@odata.type: '#microsoft.graph.customTaskExtension' is not a valid"},
		{"displayName missing", func(b map[string]any) { delete(b, "displayName") }, "displayName: the property is required"},
		{"endpoint missing", func(b map[string]any) { delete(b, "endpointConfiguration") }, "endpointConfiguration: the property is required"},
		{"endpoint field missing", func(b map[string]any) { delete(b["endpointConfiguration"].(map[string]any), "logicAppWorkflowName") }, "endpointConfiguration.logicAppWorkflowName: the property is required"},
		{"endpoint type missing", func(b map[string]any) { delete(b["endpointConfiguration"].(map[string]any), "@odata.type") }, "endpointConfiguration.@odata.type: the type"},
		{"http endpoint not https", func(b map[string]any) {
			b["endpointConfiguration"] = map[string]any{"@odata.type": "#microsoft.graph.httpRequestEndpoint", "targetUrl": "http://x"}
		}, "endpointConfiguration.targetUrl: 'http://x' is not an absolute https URL"},
		{"authentication missing", func(b map[string]any) { delete(b, "authenticationConfiguration") }, "authenticationConfiguration: the property is required"},
		{"token auth without resource", func(b map[string]any) {
			b["authenticationConfiguration"] = map[string]any{"@odata.type": "#microsoft.graph.azureAdTokenAuthentication"}
		}, "authenticationConfiguration.resourceId: the property is required"},
		{"pop auth with a field", func(b map[string]any) { b["authenticationConfiguration"].(map[string]any)["resourceId"] = "x" }, "authenticationConfiguration.resourceId: The property 'resourceId' does not exist"},
		{"client configuration negative", func(b map[string]any) { b["clientConfiguration"] = map[string]any{"maximumRetries": -1} }, "clientConfiguration.maximumRetries: must be between 0 and 1"},
		{"retries above the documented range", func(b map[string]any) { b["clientConfiguration"] = map[string]any{"maximumRetries": 2} }, "clientConfiguration.maximumRetries: must be between 0 and 1"},
		{"timeout below the documented range", func(b map[string]any) { b["clientConfiguration"] = map[string]any{"timeoutInMilliseconds": 199} }, "clientConfiguration.timeoutInMilliseconds: must be between 200 and 2000"},
		{"callback shorter than five minutes", func(b map[string]any) { b["callbackConfiguration"] = map[string]any{"timeoutDuration": "PT4M"} }, "callbackConfiguration.timeoutDuration: must be between PT5M and P14D"},
		{"callback longer than 14 days", func(b map[string]any) { b["callbackConfiguration"] = map[string]any{"timeoutDuration": "P14DT1S"} }, "callbackConfiguration.timeoutDuration: must be between PT5M and P14D"},
		{"callback on an assignment extension", func(b map[string]any) {
			b["@odata.type"] = "#microsoft.graph." + entitlement.ExtTypeAssignment
			b["callbackConfiguration"] = map[string]any{"timeoutDuration": "PT1H"}
		}, "callbackConfiguration: only a '#microsoft.graph.accessPackageAssignmentRequestWorkflowExtension'"},
		{"callback duration", func(b map[string]any) { b["callbackConfiguration"] = map[string]any{"timeoutDuration": "1h"} }, "callbackConfiguration.timeoutDuration: '1h' is not a valid ISO 8601 duration"},
		{"callback durations that differ", func(b map[string]any) {
			b["callbackConfiguration"] = map[string]any{"timeoutDuration": "PT1H", "durationBeforeTimeout": "PT2H"}
		}, "callbackConfiguration.durationBeforeTimeout: 'PT2H' differs from timeoutDuration 'PT1H'"},
		{"callback duration in weeks", func(b map[string]any) { b["callbackConfiguration"] = map[string]any{"timeoutDuration": "P1W"} }, "callbackConfiguration.timeoutDuration: cannot convert the literal 'P1W' to the expected type 'Edm.Duration'."},
		{"callback duration in months", func(b map[string]any) { b["callbackConfiguration"] = map[string]any{"durationBeforeTimeout": "P1M"} }, "callbackConfiguration.durationBeforeTimeout: cannot convert the literal 'P1M' to the expected type 'Edm.Duration'."},
		{"unknown property", func(b map[string]any) { b["foo"] = 1 }, "foo: The property 'foo' does not exist"},
	}
	for _, tc := range cases {
		b := extBody(entitlement.ExtTypeRequest)
		tc.mut(b)
		resp, got := f.e.Do("POST", extPath(f.cat), b)
		if resp.StatusCode != 400 || emulatortest.ErrCode(got) != "BadRequest" || !strings.HasPrefix(emulatortest.ErrMessage(got), tc.want) {
			t.Errorf("%s: %d %q %q", tc.name, resp.StatusCode, emulatortest.ErrCode(got), emulatortest.ErrMessage(got))
		}
	}
}

func TestCustomExtensionPolicyPairing(t *testing.T) {
	t.Parallel()
	f := newPolFixture(t)
	req := f.createExtension(f.cat, entitlement.ExtTypeRequest)
	asg := f.createExtension(f.cat, entitlement.ExtTypeAssignment)
	foreignCat := govCatalog(f.e, "Foreign")
	foreign := f.createExtension(foreignCat, entitlement.ExtTypeRequest)
	setting := func(stage, ext string, typ ...string) map[string]any {
		ce := map[string]any{"id": ext}
		if len(typ) > 0 {
			ce["@odata.type"] = typ[0]
		}
		return map[string]any{"stage": stage, "customExtension": ce}
	}
	bad := []struct {
		name string
		st   map[string]any
		want string
	}{
		{"request stage with assignment extension", setting("assignmentRequestApproved", asg), "customExtensionStageSettings[0].customExtension: stage assignmentRequestApproved needs a '#microsoft.graph.accessPackageAssignmentRequestWorkflowExtension'"},
		{"expiration stage with request extension", setting("assignmentOneDayBeforeExpiration", req), "customExtensionStageSettings[0].customExtension: stage assignmentOneDayBeforeExpiration needs a '#microsoft.graph.accessPackageAssignmentWorkflowExtension'"},
		{"extension of another catalog", setting("assignmentRequestCreated", foreign), "customExtensionStageSettings[0].customExtension.id: custom extension '" + foreign + "' does not exist in catalog"},
		{"sent type mismatch", setting("assignmentRequestCreated", req, "#microsoft.graph."+entitlement.ExtTypeAssignment), "customExtensionStageSettings[0].customExtension.@odata.type: '#microsoft.graph.accessPackageAssignmentWorkflowExtension' does not match"},
		{"sent type unknown", setting("assignmentRequestCreated", req, "#microsoft.graph.user"), "customExtensionStageSettings[0].customExtension.@odata.type: '#microsoft.graph.user' is not a valid custom extension type"},
	}
	for _, tc := range bad {
		b := f.minimal(tc.name)
		b["customExtensionStageSettings"] = []any{tc.st}
		resp, got := f.e.Do("POST", polPath, b)
		if resp.StatusCode != 400 || !strings.HasPrefix(emulatortest.ErrMessage(got), tc.want) {
			t.Errorf("%s: %d %q", tc.name, resp.StatusCode, emulatortest.ErrMessage(got))
		}
	}
	b := f.minimal("Hooks")
	b["customExtensionStageSettings"] = []any{
		setting("AssignmentRequestGranted", req, "microsoft.graph."+entitlement.ExtTypeRequest),
		setting("assignmentFourteenDaysBeforeExpiration", strings.ToUpper(asg)),
	}
	created := f.create(b)
	sts := created["customExtensionStageSettings"].([]any)
	if len(sts) != 2 || polAt(sts[0], "customExtension")["id"] != req || polAt(sts[1], "customExtension")["id"] != asg ||
		polAt(sts[1], "customExtension")["@odata.type"] != "#microsoft.graph."+entitlement.ExtTypeAssignment || sts[0].(map[string]any)["stage"] != "assignmentRequestGranted" {
		t.Errorf("settings %v", sts)
	}
	pid := created["id"].(string)

	// In use: the extension cannot be deleted.
	resp, body := f.e.Do("DELETE", extPath(f.cat)+"/"+asg, nil)
	govWantErr(t, resp, body, 400, "BadRequest")
	if !strings.Contains(emulatortest.ErrMessage(body), pid) {
		t.Errorf("message %q", emulatortest.ErrMessage(body))
	}
	// PUT keeps the setting ids sent back and removes hooks with [].
	put := f.minimal("Hooks")
	keep := setting("assignmentRequestGranted", req)
	keep["id"] = sts[0].(map[string]any)["id"]
	put["customExtensionStageSettings"] = []any{keep}
	resp, got := f.e.Do("PUT", polPath+"/"+pid, put)
	if resp.StatusCode != 200 {
		t.Fatalf("PUT %d %v", resp.StatusCode, got)
	}
	if l := got["customExtensionStageSettings"].([]any); len(l) != 1 || l[0].(map[string]any)["id"] != keep["id"] {
		t.Errorf("after PUT %v", l)
	}
	if resp, body := f.e.Do("DELETE", extPath(f.cat)+"/"+asg, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete unused %d %v", resp.StatusCode, body)
	}
	put["customExtensionStageSettings"] = []any{}
	if resp, body := f.e.Do("PUT", polPath+"/"+pid, put); resp.StatusCode != 200 {
		t.Fatalf("PUT [] %d %v", resp.StatusCode, body)
	}
	_, after := f.e.Do("GET", polPath+"/"+pid+"?$expand=customExtensionStageSettings($expand=customExtension)", nil)
	if l := after["customExtensionStageSettings"].([]any); len(l) != 0 {
		t.Errorf("hooks not removed %v", l)
	}
	if resp, body := f.e.Do("DELETE", extPath(f.cat)+"/"+req, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete %d %v", resp.StatusCode, body)
	}
}
