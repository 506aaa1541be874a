package emulator

import (
	"net/http"
	"strings"
	"testing"
)

const orgsPath = "/v1.0/identityGovernance/entitlementManagement/connectedOrganizations"

// sourceType is the @odata.type of the first identity source of an organization as answered.
func sourceType(t *testing.T, obj map[string]any) any {
	t.Helper()
	sources, _ := obj["identitySources"].([]any)
	if len(sources) == 0 {
		t.Fatalf("no identity source in %v", obj)
	}
	first, _ := sources[0].(map[string]any)
	return first["@odata.type"]
}

func TestNormalisedSwitch(t *testing.T) {
	e := newEnv(t, Config{})
	if e.srv.Normalised() {
		t.Fatal("normalised answers are on by default")
	}
	org := map[string]any{"displayName": "Fabrikam", "description": "", "identitySources": []any{
		map[string]any{"@odata.type": "#microsoft.graph.azureActiveDirectoryTenant", "tenantId": "3e8e2d4f-0000-4000-8000-00000000f00d", "displayName": "Fabrikam"}}}
	resp, created := e.do(http.MethodPost, orgsPath, org)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %v", resp.StatusCode, created)
	}
	path := orgsPath + "/" + created["id"].(string)
	typeOf := func(obj map[string]any) any { return sourceType(t, obj) }
	if _, got := e.do(http.MethodGet, path, nil); typeOf(got) != "#microsoft.graph.azureActiveDirectoryTenant" {
		t.Fatalf("off: @odata.type = %v", typeOf(got))
	}

	ctl := func(method string, body any) map[string]any {
		resp, got := e.doWith("", method, "/_emulator/normalised", body, nil)
		if resp.StatusCode/100 != 2 {
			t.Fatalf("%s /_emulator/normalised: %d %v", method, resp.StatusCode, got)
		}
		return got
	}
	if got := ctl(http.MethodGet, nil); got["normalised"] != false {
		t.Errorf("control API says %v", got)
	}
	ctl(http.MethodPut, map[string]any{"normalised": true})
	if !e.srv.Normalised() || ctl(http.MethodGet, nil)["normalised"] != true {
		t.Fatal("the control API did not switch it on")
	}
	if resp, _ := e.doWith("", http.MethodPut, "/_emulator/normalised", map[string]any{}, nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("PUT without a value: %d, want 400", resp.StatusCode)
	}
	_, got := e.do(http.MethodGet, path, nil)
	if typeOf(got) != "microsoft.graph.azureActiveDirectoryTenant" {
		t.Errorf("on: @odata.type = %v", typeOf(got))
	}
	if v, has := got["externalSponsors"]; has {
		t.Errorf("a navigation was filled: %v", v)
	}
	stored, err := e.srv.GetObject("connectedOrganizations", created["id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if ty := sourceType(t, stored); ty != "#microsoft.graph.azureActiveDirectoryTenant" {
		t.Errorf("the stored object changed: %v", ty)
	}

	_, batch := e.do(http.MethodPost, "/v1.0/$batch", map[string]any{"requests": []any{
		map[string]any{"id": "1", "method": "GET", "url": strings.TrimPrefix(path, "/v1.0")},
	}})
	responses, _ := batch["responses"].([]any)
	if len(responses) != 1 {
		t.Fatalf("batch answer: %v", batch)
	}
	item, _ := responses[0].(map[string]any)
	body, _ := item["body"].(map[string]any)
	if ty := sourceType(t, body); ty != "microsoft.graph.azureActiveDirectoryTenant" {
		t.Errorf("batch item: @odata.type = %v", ty)
	}

	e.srv.SetNormalised(false)
	if _, got := e.do(http.MethodGet, path, nil); typeOf(got) != "#microsoft.graph.azureActiveDirectoryTenant" {
		t.Errorf("off again: @odata.type = %v", typeOf(got))
	}

	on := newEnv(t, Config{Normalise: true})
	if !on.srv.Normalised() {
		t.Error("Config.Normalise did not switch it on")
	}
}
