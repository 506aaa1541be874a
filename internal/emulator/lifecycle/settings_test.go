package lifecycle_test

import (
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/lifecycle"
)

func TestLifecycleSettings(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	p := lwPath + "/settings"
	got := lwStatus(e, "GET", p, nil, 200)
	// The settings are an entity: the reply has an id
	// (https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-lifecyclemanagementsettings?view=graph-rest-1.0).
	if got["id"] != lifecycle.SettingsID {
		t.Errorf("id: %v", got["id"])
	}
	email := got["emailSettings"].(map[string]any)
	if got["workflowScheduleIntervalInHours"] != float64(3) || email["senderDomain"] != "" || email["useCompanyBranding"] != false {
		t.Fatalf("defaults: %v", got)
	}
	lwStatus(e, "PATCH", p, map[string]any{"workflowScheduleIntervalInHours": 12,
		"emailSettings": map[string]any{"senderDomain": "contoso.com", "useCompanyBranding": true}}, 204)
	lwStatus(e, "PATCH", p, map[string]any{"workflowScheduleIntervalInHours": 12, "emailSettings": map[string]any{"useCompanyBranding": false}}, 204)
	got = lwStatus(e, "GET", p, nil, 200)
	email = got["emailSettings"].(map[string]any)
	if got["workflowScheduleIntervalInHours"] != float64(12) || email["senderDomain"] != "contoso.com" || email["useCompanyBranding"] != false {
		t.Fatalf("after PATCH: %v", got)
	}
	for body, want := range map[string]string{
		`{"workflowScheduleIntervalInHours": 0}`:                 "between 1 and 24",
		`{"workflowScheduleIntervalInHours": 25}`:                "between 1 and 24",
		`{"workflowScheduleIntervalInHours": "often"}`:           "Edm.Int32",
		`{"emailSettings": {"senderDomain": "not a domain"}}`:    "not a valid domain",
		`{"emailSettings": {"useCompanyBranding": "sometimes"}}`: "Edm.Boolean",
		`{"emailSettings": {"color": "red"}}`:                    "'color' does not exist",
		`{"emailSettings": null}`:                                "null",
		`{"quarantine": true}`:                                   "'quarantine' does not exist",
		// Both properties are required (https://learn.microsoft.com/en-us/graph/api/identitygovernance-lifecyclemanagementsettings-update?view=graph-rest-1.0).
		`{"workflowScheduleIntervalInHours": 4}`:                              "emailSettings: the property is required",
		`{"emailSettings": {"senderDomain": "", "useCompanyBranding": true}}`: "workflowScheduleIntervalInHours: the property is required",
	} {
		if obj := lwStatus(e, "PATCH", p, body, 400); !strings.Contains(emulatortest.ErrMessage(obj), want) {
			t.Errorf("%s: %v", body, obj)
		}
	}
	if err := e.Srv.Reset(); err != nil {
		t.Fatal(err)
	}
	got = lwStatus(e, "GET", p, nil, 200)
	if got["workflowScheduleIntervalInHours"] != float64(3) {
		t.Errorf("after Reset: %v", got)
	}
	// A store without the document (seeded before settings existed) reads and writes defaults.
	if err := e.Srv.DeleteObject(lifecycle.CollLifecycleSettings, lifecycle.SettingsID); err != nil {
		t.Fatal(err)
	}
	lwStatus(e, "GET", p, nil, 200)
	lwStatus(e, "PATCH", p, map[string]any{"workflowScheduleIntervalInHours": 1, "emailSettings": map[string]any{}}, 204)
	if obj, err := e.Srv.GetObject(lifecycle.CollLifecycleSettings, lifecycle.SettingsID); err != nil || obj["workflowScheduleIntervalInHours"] != float64(1) {
		t.Errorf("stored: %v %v", obj, err)
	}
}
