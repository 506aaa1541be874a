package entitlement_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
)

const emSettingsPath = emulatortest.EMPath + "/settings"

func TestEMSettingsDefaultsPatchReset(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	resp, got := e.Do("GET", emSettingsPath, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %d %v", resp.StatusCode, got)
	}
	want := map[string]any{"id": "settings", "@odata.type": "#microsoft.graph.entitlementManagementSettings",
		"externalUserLifecycleAction": "blockSignInAndDelete", "durationUntilExternalUserDeletedAfterBlocked": "P30D"}
	polSubset(t, "settings", want, got)
	if !strings.HasSuffix(got["@odata.context"].(string), "#identityGovernance/entitlementManagement/settings/$entity") {
		t.Errorf("context %v", got["@odata.context"])
	}

	resp, body := e.Do("PATCH", emSettingsPath, map[string]any{"externalUserLifecycleAction": "BlockSignIn",
		"durationUntilExternalUserDeletedAfterBlocked": "p14d", "@odata.type": "#microsoft.graph.entitlementManagementSettings", "id": "settings"})
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PATCH %d %v", resp.StatusCode, body)
	}
	_, got = e.Do("GET", emSettingsPath, nil)
	// The duration is kept even though it matters only with blockSignInAndDelete.
	polSubset(t, "settings", map[string]any{"externalUserLifecycleAction": "blockSignIn", "durationUntilExternalUserDeletedAfterBlocked": "P14D"}, got)
	resp, _ = e.Do("PATCH", emSettingsPath, map[string]any{"externalUserLifecycleAction": "none"})
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PATCH %d", resp.StatusCode)
	}
	_, got = e.Do("GET", emSettingsPath, nil)
	polSubset(t, "settings", map[string]any{"externalUserLifecycleAction": "none", "durationUntilExternalUserDeletedAfterBlocked": "P14D"}, got)

	// Drift through the control API.
	if err := e.Srv.ChangeObject("emSettings", "settings", map[string]any{"externalUserLifecycleAction": "blockSignIn"}); err != nil {
		t.Fatal(err)
	}
	_, got = e.Do("GET", emSettingsPath, nil)
	if got["externalUserLifecycleAction"] != "blockSignIn" {
		t.Errorf("drift not visible: %v", got)
	}
	obj, err := e.Srv.GetObject("emSettings", "settings")
	if err != nil || obj["durationUntilExternalUserDeletedAfterBlocked"] != "P14D" {
		t.Errorf("GetObject %v %v", obj, err)
	}

	if err := e.Srv.Reset(); err != nil {
		t.Fatal(err)
	}
	_, got = e.Do("GET", emSettingsPath, nil)
	polSubset(t, "settings", want, got)

	// Permissions, methods.
	reader := e.GetToken(emulator.ReaderClientID, emulator.ReaderClientSecret)
	if resp, _ := e.DoWith(reader, "GET", emSettingsPath, nil, nil); resp.StatusCode != 200 {
		t.Errorf("reader GET %d", resp.StatusCode)
	}
	resp, body = e.DoWith(reader, "PATCH", emSettingsPath, map[string]any{"externalUserLifecycleAction": "none"}, nil)
	govWantErr(t, resp, body, 403, "UnAuthorized")
	resp, body = e.Do("POST", emSettingsPath, map[string]any{})
	govWantErr(t, resp, body, 405, "Request_BadRequest")
	resp, body = e.Do("DELETE", emSettingsPath, nil)
	govWantErr(t, resp, body, 405, "Request_BadRequest")
}

func TestEMSettingsValidation(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cases := []struct {
		name string
		body map[string]any
	}{
		{"bad enum", map[string]any{"externalUserLifecycleAction": "delete"}},
		{"unknownFutureValue", map[string]any{"externalUserLifecycleAction": "unknownFutureValue"}},
		{"enum not string", map[string]any{"externalUserLifecycleAction": 1}},
		{"null enum", map[string]any{"externalUserLifecycleAction": nil}},
		{"bad duration", map[string]any{"durationUntilExternalUserDeletedAfterBlocked": "30 days"}},
		{"empty duration", map[string]any{"durationUntilExternalUserDeletedAfterBlocked": "P"}},
		{"duration number", map[string]any{"durationUntilExternalUserDeletedAfterBlocked": 30}},
		{"null duration", map[string]any{"durationUntilExternalUserDeletedAfterBlocked": nil}},
		// Edm.Duration: no years, months or weeks (schemas/v1.0-Prod.csdl, entitlementManagementSettings).
		{"duration in months", map[string]any{"durationUntilExternalUserDeletedAfterBlocked": "P1M"}},
		{"duration in weeks", map[string]any{"durationUntilExternalUserDeletedAfterBlocked": "P2W"}},
		{"duration in years", map[string]any{"durationUntilExternalUserDeletedAfterBlocked": "P1Y"}},
		{"unknown property", map[string]any{"catalogCreators": []any{}}},
		{"other id", map[string]any{"id": "other"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.Do("PATCH", emSettingsPath, tc.body)
			govWantErr(t, resp, body, 400, "BadRequest")
		})
	}
	_, got := e.Do("GET", emSettingsPath, nil)
	polSubset(t, "settings", map[string]any{"externalUserLifecycleAction": "blockSignInAndDelete", "durationUntilExternalUserDeletedAfterBlocked": "P30D"}, got)
}

// A store seeded before the settings existed gets the defaults on first use.
func TestEMSettingsMissingDocument(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	if err := e.Srv.DeleteObject("emSettings", "settings"); err != nil {
		t.Fatal(err)
	}
	resp, got := e.Do("GET", emSettingsPath, nil)
	if resp.StatusCode != 200 || got["externalUserLifecycleAction"] != "blockSignInAndDelete" {
		t.Fatalf("%d %v", resp.StatusCode, got)
	}
	if err := e.Srv.DeleteObject("emSettings", "settings"); err != nil {
		t.Fatal(err)
	}
	if resp, _ := e.Do("PATCH", emSettingsPath, map[string]any{"externalUserLifecycleAction": "none"}); resp.StatusCode != 204 {
		t.Fatalf("PATCH %d", resp.StatusCode)
	}
	if obj, err := e.Srv.GetObject("emSettings", "settings"); err != nil || obj["externalUserLifecycleAction"] != "none" {
		t.Errorf("%v %v", obj, err)
	}
}
