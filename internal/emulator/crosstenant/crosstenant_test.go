package crosstenant_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/crosstenant"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
)

const (
	defaultPath  = "/v1.0/policies/crossTenantAccessPolicy/default"
	partnersPath = "/v1.0/policies/crossTenantAccessPolicy/partners"
	fabrikam     = "3d0f5dec-5d3d-455c-8016-e2af1ae4d31a"
)

func access(t *testing.T, obj map[string]any, block, part string) string {
	t.Helper()
	b, _ := obj[block].(map[string]any)
	p, _ := b[part].(map[string]any)
	s, _ := p["accessType"].(string)
	return s
}

func TestCrossTenantDefault_systemDefaultPatchReset(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	got := e.MustDo("GET", defaultPath, nil, 200)
	if got["isServiceDefault"] != true || access(t, got, "b2bCollaborationInbound", "usersAndGroups") != "allowed" ||
		access(t, got, "b2bDirectConnectOutbound", "applications") != "blocked" || got["@odata.type"] != "#microsoft.graph.crossTenantAccessPolicyConfigurationDefault" {
		t.Fatalf("system default: %v", got)
	}
	// A block sent with one part keeps the other part.
	e.MustDo("PATCH", defaultPath, map[string]any{"b2bCollaborationOutbound": map[string]any{
		"usersAndGroups": map[string]any{"accessType": "blocked", "targets": []any{map[string]any{"target": "0be493dc-cb56-4a53-936f-9cf64410b8b0", "targetType": "group"}}},
	}, "inboundTrust": map[string]any{"isMfaAccepted": true}}, http.StatusNoContent)
	got = e.MustDo("GET", defaultPath, nil, 200)
	if got["isServiceDefault"] != false || access(t, got, "b2bCollaborationOutbound", "usersAndGroups") != "blocked" ||
		access(t, got, "b2bCollaborationOutbound", "applications") != "allowed" || got["inboundTrust"].(map[string]any)["isMfaAccepted"] != true {
		t.Fatalf("after PATCH: %v", got)
	}
	e.MustDo("POST", defaultPath+"/resetToSystemDefault", nil, http.StatusNoContent)
	if got = e.MustDo("GET", defaultPath, nil, 200); got["isServiceDefault"] != true || access(t, got, "b2bCollaborationOutbound", "usersAndGroups") != "allowed" {
		t.Fatalf("after reset: %v", got)
	}
	// The control API's reset brings the system default back too.
	e.MustDo("PATCH", defaultPath, map[string]any{"inboundTrust": map[string]any{"isMfaAccepted": true}}, http.StatusNoContent)
	if err := e.Srv.Reset(); err != nil {
		t.Fatal(err)
	}
	if got = e.MustDo("GET", defaultPath, nil, 200); got["isServiceDefault"] != true {
		t.Fatalf("after control reset: %v", got)
	}
	obj, err := e.Srv.GetObject(crosstenant.CollDefault, crosstenant.DefaultID)
	if err != nil || obj["isServiceDefault"] != true {
		t.Fatalf("control read: %v %v", obj, err)
	}
}

func TestCrossTenantDefault_rules(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	for name, c := range map[string]struct {
		body map[string]any
		msg  string
	}{
		"null block":      {map[string]any{"inboundTrust": nil}, "inboundTrust: a null value"},
		"consent allowed": {map[string]any{"automaticUserConsentSettings": map[string]any{"inboundAllowed": true}}, "automaticUserConsentSettings.inboundAllowed"},
		"unknown":         {map[string]any{"b2bSomething": map[string]any{}}, "b2bSomething"},
		"bad idp": {map[string]any{"invitationRedemptionIdentityProviderConfiguration": map[string]any{"fallbackIdentityProvider": "google"}},
			"invitationRedemptionIdentityProviderConfiguration.fallbackIdentityProvider"},
	} {
		resp, body := e.Do("PATCH", defaultPath, c.body)
		if resp.StatusCode != 400 || !strings.Contains(emulatortest.ErrMessage(body), c.msg) {
			t.Errorf("%s: %d %v", name, resp.StatusCode, body)
		}
	}
}

func TestCrossTenantPartner_lifecycle(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	create := map[string]any{
		"tenantId":     strings.ToUpper(fabrikam),
		"inboundTrust": map[string]any{"isMfaAccepted": true},
		"b2bCollaborationInbound": map[string]any{
			"usersAndGroups": map[string]any{"accessType": "allowed", "targets": []any{map[string]any{"target": "allusers", "targetType": "user"}}},
		},
	}
	got := e.MustDo("POST", partnersPath, create, http.StatusCreated)
	if got["tenantId"] != fabrikam || got["b2bCollaborationOutbound"] != nil || got["isServiceProvider"] != false {
		t.Fatalf("created: %v", got)
	}
	targets := got["b2bCollaborationInbound"].(map[string]any)["usersAndGroups"].(map[string]any)["targets"].([]any)
	if targets[0].(map[string]any)["target"] != "AllUsers" {
		t.Errorf("keyword not canonical: %v", targets)
	}
	resp, body := e.Do("POST", partnersPath, map[string]any{"tenantId": fabrikam})
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("second partner for the tenant: %d %v", resp.StatusCode, body)
	}
	e.MustDo("PATCH", partnersPath+"/"+fabrikam, map[string]any{"inboundTrust": nil,
		"automaticUserConsentSettings": map[string]any{"inboundAllowed": true, "outboundAllowed": true}}, http.StatusNoContent)
	got = e.MustDo("GET", partnersPath+"/"+fabrikam, nil, 200)
	if got["inboundTrust"] != nil || got["automaticUserConsentSettings"].(map[string]any)["inboundAllowed"] != true || got["b2bCollaborationInbound"] == nil {
		t.Fatalf("after PATCH: %v", got)
	}
	list := emulatortest.ValueList(t, e.MustDo("GET", partnersPath, nil, 200))
	if len(list) != 1 {
		t.Errorf("list: %v", list)
	}
	e.MustDo("DELETE", partnersPath+"/"+fabrikam, nil, http.StatusNoContent)
	resp, _ = e.Do("GET", partnersPath+"/"+fabrikam, nil)
	if resp.StatusCode != 404 {
		t.Errorf("GET after delete: %d", resp.StatusCode)
	}
	resp, _ = e.Do("DELETE", partnersPath+"/"+fabrikam, nil)
	if resp.StatusCode != 404 {
		t.Errorf("DELETE after delete: %d", resp.StatusCode)
	}
	// A reset of the local API forgets every partner configuration.
	e.MustDo("POST", partnersPath, map[string]any{"tenantId": fabrikam}, http.StatusCreated)
	if err := e.Srv.Reset(); err != nil {
		t.Fatal(err)
	}
	if list := emulatortest.ValueList(t, e.MustDo("GET", partnersPath, nil, 200)); len(list) != 0 {
		t.Errorf("after reset: %v", list)
	}
}

func TestCrossTenantPartner_rules(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	tc := func(access string, targets ...map[string]any) map[string]any {
		l := make([]any, len(targets))
		for i, t := range targets {
			l[i] = t
		}
		return map[string]any{"accessType": access, "targets": l}
	}
	tg := func(target, typ string) map[string]any { return map[string]any{"target": target, "targetType": typ} }
	for name, c := range map[string]struct {
		body map[string]any
		msg  string
	}{
		"no tenant":  {map[string]any{}, "tenantId: the property is required"},
		"bad tenant": {map[string]any{"tenantId": "fabrikam.com"}, "tenantId: 'fabrikam.com' is not a tenant id"},
		"app type in users": {map[string]any{"tenantId": fabrikam, "b2bCollaborationInbound": map[string]any{"usersAndGroups": tc("allowed", tg("AllApplications", "application"))}},
			"b2bCollaborationInbound.usersAndGroups.targets[0].targetType"},
		"AllUsers as group": {map[string]any{"tenantId": fabrikam, "b2bCollaborationInbound": map[string]any{"usersAndGroups": tc("allowed", tg("AllUsers", "group"))}},
			"b2bCollaborationInbound.usersAndGroups.targets[0].target: the keyword 'AllUsers'"},
		"not an id": {map[string]any{"tenantId": fabrikam, "b2bDirectConnectInbound": map[string]any{"applications": tc("allowed", tg("Teams", "application"))}},
			"b2bDirectConnectInbound.applications.targets[0].target"},
		"bad access": {map[string]any{"tenantId": fabrikam, "b2bDirectConnectInbound": map[string]any{"applications": tc("maybe", tg("Office365", "application"))}},
			"b2bDirectConnectInbound.applications.accessType"},
		"no targets": {map[string]any{"tenantId": fabrikam, "tenantRestrictions": map[string]any{"applications": tc("blocked")}},
			"tenantRestrictions.applications.targets"},
		"devices": {map[string]any{"tenantId": fabrikam, "tenantRestrictions": map[string]any{"devices": map[string]any{"mode": "allowed"}}},
			"tenantRestrictions.devices"},
	} {
		resp, body := e.Do("POST", partnersPath, c.body)
		if resp.StatusCode != 400 || !strings.Contains(emulatortest.ErrMessage(body), c.msg) {
			t.Errorf("%s: %d %v", name, resp.StatusCode, body)
		}
	}
	e.MustDo("POST", partnersPath, map[string]any{"tenantId": fabrikam}, http.StatusCreated)
	resp, body := e.Do("PATCH", partnersPath+"/"+fabrikam, map[string]any{"tenantId": "9c5d131d-b1c3-4fc4-9e3f-c6557947d551"})
	if resp.StatusCode != 400 || !strings.Contains(emulatortest.ErrMessage(body), "key property") {
		t.Errorf("tenant change: %d %v", resp.StatusCode, body)
	}
}

func TestCrossTenant_permissions(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	reader := e.GetToken(emulator.ReaderClientID, emulator.ReaderClientSecret)
	if resp, _ := e.DoWith(reader, "GET", defaultPath, nil, nil); resp.StatusCode != 200 {
		t.Errorf("reader GET: %d", resp.StatusCode)
	}
	if resp, _ := e.DoWith(reader, "POST", partnersPath, map[string]any{"tenantId": fabrikam}, nil); resp.StatusCode != 403 {
		t.Errorf("reader POST: %d", resp.StatusCode)
	}
}
