package entitlement_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/entitlement"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

const coPath = emulatortest.EMPath + "/connectedOrganizations"

func coBody(name string, source map[string]any) map[string]any {
	return map[string]any{"displayName": name, "description": "", "identitySources": []any{source}}
}

func createOrg(e *emulatortest.Env, name string, source map[string]any) map[string]any {
	e.T.Helper()
	resp, body := e.Do("POST", coPath, coBody(name, source))
	if resp.StatusCode != http.StatusCreated {
		e.T.Fatalf("create connected org: %d %v", resp.StatusCode, body)
	}
	return body
}

func TestConnectedOrgCRUDPerSourceType(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cases := []struct {
		name   string
		source map[string]any
		want   map[string]any
	}{
		{"tenant", map[string]any{"@odata.type": "#microsoft.graph.azureActiveDirectoryTenant",
			"tenantId": "AAAAAAAA-1111-4111-8111-111111111111", "displayName": "Fabrikam"},
			map[string]any{"@odata.type": "#microsoft.graph.azureActiveDirectoryTenant", "tenantId": "aaaaaaaa-1111-4111-8111-111111111111", "displayName": "Fabrikam"}},
		{"cross cloud", map[string]any{"@odata.type": "microsoft.graph.crossCloudAzureActiveDirectoryTenant",
			"tenantId": "bbbbbbbb-1111-4111-8111-111111111111", "displayName": "Gov", "cloudInstance": "microsoftonline.us"},
			map[string]any{"@odata.type": "#microsoft.graph.crossCloudAzureActiveDirectoryTenant", "cloudInstance": "microsoftonline.us"}},
		{"domain", map[string]any{"@odata.type": "#microsoft.graph.domainIdentitySource", "domainName": "fabrikam.com", "displayName": "fabrikam.com"},
			map[string]any{"@odata.type": "#microsoft.graph.domainIdentitySource", "domainName": "fabrikam.com"}},
		{"federation", map[string]any{"@odata.type": "#Microsoft.Graph.ExternalDomainFederation", "domainName": "contoso-partner.org",
			"displayName": "Partner", "issuerUri": "https://sts.contoso-partner.org/adfs"},
			map[string]any{"@odata.type": "#microsoft.graph.externalDomainFederation", "issuerUri": "https://sts.contoso-partner.org/adfs"}},
		{"social", map[string]any{"@odata.type": "#microsoft.graph.socialIdentitySource", "displayName": "Facebook", "socialIdentitySourceType": "Facebook"},
			map[string]any{"@odata.type": "#microsoft.graph.socialIdentitySource", "socialIdentitySourceType": "facebook"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			org := createOrg(e, "Org "+tc.name, tc.source)
			emulatortest.NoInternal(t, org)
			if org["state"] != "configured" || org["id"] == "" || org["createdDateTime"] == nil {
				t.Errorf("defaults: %v", org)
			}
			srcs := org["identitySources"].([]any)
			if len(srcs) != 1 {
				t.Fatalf("sources %v", srcs)
			}
			polSubset(t, "identitySources[0]", tc.want, srcs[0])
			id := org["id"].(string)

			resp, got := e.Do("GET", coPath+"/"+id, nil)
			if resp.StatusCode != 200 || got["displayName"] != "Org "+tc.name {
				t.Fatalf("GET %d %v", resp.StatusCode, got)
			}
			emulatortest.NoInternal(t, got)
			polSubset(t, "identitySources[0]", tc.want, got["identitySources"].([]any)[0])

			// https://learn.microsoft.com/graph/api/connectedorganization-update?view=graph-rest-1.0:
			// 202 Accepted with the updated organization.
			resp, patched := e.Do("PATCH", coPath+"/"+id, map[string]any{"displayName": "Renamed " + tc.name, "description": "d", "state": "Proposed"})
			if resp.StatusCode != http.StatusAccepted {
				t.Fatalf("PATCH %d", resp.StatusCode)
			}
			emulatortest.NoInternal(t, patched)
			if patched["id"] != id || patched["displayName"] != "Renamed "+tc.name || patched["description"] != "d" || patched["state"] != "proposed" ||
				patched["@odata.context"] == nil {
				t.Errorf("PATCH answered %v", patched)
			}
			_, got = e.Do("GET", coPath+"/"+id, nil)
			if got["displayName"] != "Renamed "+tc.name || got["description"] != "d" || got["state"] != "proposed" {
				t.Errorf("after PATCH %v", got)
			}
			resp, _ = e.Do("DELETE", coPath+"/"+id, nil)
			if resp.StatusCode != http.StatusNoContent {
				t.Fatalf("DELETE %d", resp.StatusCode)
			}
			resp, got = e.Do("GET", coPath+"/"+id, nil)
			govWantErr(t, resp, got, 404, "ResourceNotFound")
		})
	}
}

func TestConnectedOrgValidation(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	src := func(typ string, kv ...any) []any { return []any{ss(typ, kv...)} }
	cases := []struct {
		name string
		body map[string]any
		msg  string
	}{
		{"no sources", map[string]any{"displayName": "X", "description": ""}, "identitySources"},
		{"null sources", map[string]any{"displayName": "X", "description": "", "identitySources": nil}, "identitySources"},
		{"empty sources", map[string]any{"displayName": "X", "description": "", "identitySources": []any{}}, "exactly one"},
		{"two sources", map[string]any{"displayName": "X", "description": "", "identitySources": []any{
			ss("domainIdentitySource", "domainName", "a.com", "displayName", "a"), ss("domainIdentitySource", "domainName", "b.com", "displayName", "b")}}, "exactly one"},
		{"sources not array", map[string]any{"displayName": "X", "description": "", "identitySources": "a.com"}, "JSON array"},
		{"no type", map[string]any{"displayName": "X", "description": "", "identitySources": []any{map[string]any{"domainName": "a.com", "displayName": "a"}}}, "@odata.type"},
		{"unknown type", map[string]any{"displayName": "X", "description": "", "identitySources": src("samlIdentitySource", "displayName", "a")}, "not a valid 'identitySource' type"},
		{"tenant bad guid", map[string]any{"displayName": "X", "description": "", "identitySources": src("azureActiveDirectoryTenant", "tenantId", "nope", "displayName", "a")}, "tenantId"},
		{"tenant with domain", map[string]any{"displayName": "X", "description": "", "identitySources": src("azureActiveDirectoryTenant", "tenantId", "aaaaaaaa-1111-4111-8111-111111111111", "displayName", "a", "domainName", "a.com")}, "domainName"},
		{"cross cloud no instance", map[string]any{"displayName": "X", "description": "", "identitySources": src("crossCloudAzureActiveDirectoryTenant", "tenantId", "aaaaaaaa-1111-4111-8111-111111111111", "displayName", "a")}, "cloudInstance"},
		{"cross cloud null instance", map[string]any{"displayName": "X", "description": "", "identitySources": src("crossCloudAzureActiveDirectoryTenant", "tenantId", "aaaaaaaa-1111-4111-8111-111111111111", "displayName", "a", "cloudInstance", nil)}, "cloudInstance"},
		{"domain invalid", map[string]any{"displayName": "X", "description": "", "identitySources": src("domainIdentitySource", "domainName", "not a domain", "displayName", "a")}, "domainName"},
		{"domain single label", map[string]any{"displayName": "X", "description": "", "identitySources": src("domainIdentitySource", "domainName", "localhost", "displayName", "a")}, "domainName"},
		{"domain missing", map[string]any{"displayName": "X", "description": "", "identitySources": src("domainIdentitySource", "displayName", "a")}, "domainName"},
		{"federation http", map[string]any{"displayName": "X", "description": "", "identitySources": src("externalDomainFederation", "domainName", "a.com", "displayName", "a", "issuerUri", "http://sts.a.com")}, "issuerUri"},
		{"federation no issuer", map[string]any{"displayName": "X", "description": "", "identitySources": src("externalDomainFederation", "domainName", "a.com", "displayName", "a")}, "issuerUri"},
		{"social other", map[string]any{"displayName": "X", "description": "", "identitySources": src("socialIdentitySource", "displayName", "a", "socialIdentitySourceType", "twitter")}, "socialIdentitySourceType"},
		{"social missing", map[string]any{"displayName": "X", "description": "", "identitySources": src("socialIdentitySource", "displayName", "a")}, "socialIdentitySourceType"},
		{"no displayName", map[string]any{"description": "", "identitySources": src("domainIdentitySource", "domainName", "a.com", "displayName", "a")}, "displayName"},
		{"no description", map[string]any{"displayName": "X", "identitySources": src("domainIdentitySource", "domainName", "a.com", "displayName", "a")}, "description"},
		{"bad state", map[string]any{"displayName": "X", "description": "", "state": "active", "identitySources": src("domainIdentitySource", "domainName", "a.com", "displayName", "a")}, "state"},
		{"unknown property", map[string]any{"displayName": "X", "description": "", "color": "red", "identitySources": src("domainIdentitySource", "domainName", "a.com", "displayName", "a")}, "color"},
		{"sponsors in body", map[string]any{"displayName": "X", "description": "", "internalSponsors": []any{}, "identitySources": src("domainIdentitySource", "domainName", "a.com", "displayName", "a")}, "internalSponsors"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.Do("POST", coPath, tc.body)
			govWantErr(t, resp, body, 400, "BadRequest")
			if !strings.Contains(emulatortest.ErrMessage(body), tc.msg) {
				t.Errorf("message %q does not mention %q", emulatortest.ErrMessage(body), tc.msg)
			}
		})
	}
	if objs, _ := e.Srv.ListObjects(entitlement.CollConnectedOrgs); len(objs) != 0 {
		t.Errorf("invalid creates stored %v", objs)
	}
}

func TestConnectedOrgDuplicatesAndPatchSources(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	a := createOrg(e, "A", ss("domainIdentitySource", "domainName", "Fabrikam.com", "displayName", "Fabrikam"))
	// Kept as sent: fabrikam.com is no known tenant's domain here.
	src := a["identitySources"].([]any)[0].(map[string]any)
	if src["@odata.type"] != "#microsoft.graph.domainIdentitySource" || src["domainName"] != "Fabrikam.com" || src["tenantId"] != nil {
		t.Errorf("source rewritten: %v", src)
	}
	resp, body := e.Do("POST", coPath, coBody("B", ss("externalDomainFederation", "domainName", "fabrikam.com.", "displayName", "F",
		"issuerUri", "https://sts.fabrikam.com")))
	govWantErr(t, resp, body, 400, "BadRequest")
	if emulatortest.ErrMessage(body) != entitlement.MsgDuplicateIdentitySource {
		t.Errorf("message %q", emulatortest.ErrMessage(body))
	}
	tenant := createOrg(e, "T", ss("azureActiveDirectoryTenant", "tenantId", "cccccccc-1111-4111-8111-111111111111", "displayName", "T"))
	resp, body = e.Do("POST", coPath, coBody("T2", ss("crossCloudAzureActiveDirectoryTenant", "tenantId", "CCCCCCCC-1111-4111-8111-111111111111",
		"displayName", "T", "cloudInstance", "microsoftonline.us")))
	govWantErr(t, resp, body, 400, "BadRequest")

	// PATCH: identitySources replaceable (exactly one, not a duplicate).
	tid := tenant["id"].(string)
	resp, body = e.Do("PATCH", coPath+"/"+tid, map[string]any{"identitySources": []any{ss("domainIdentitySource", "domainName", "FABRIKAM.COM", "displayName", "x")}})
	govWantErr(t, resp, body, 400, "BadRequest")
	resp, body = e.Do("PATCH", coPath+"/"+tid, map[string]any{"identitySources": []any{}})
	govWantErr(t, resp, body, 400, "BadRequest")
	resp, body = e.Do("PATCH", coPath+"/"+tid, map[string]any{"displayName": ""})
	govWantErr(t, resp, body, 400, "BadRequest")
	resp, _ = e.Do("PATCH", coPath+"/"+tid, map[string]any{"identitySources": []any{ss("domainIdentitySource", "domainName", "tailspin.com", "displayName", "Tailspin")}})
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("PATCH sources %d", resp.StatusCode)
	}
	_, got := e.Do("GET", coPath+"/"+tid, nil)
	if s := got["identitySources"].([]any)[0].(map[string]any); s["domainName"] != "tailspin.com" || got["displayName"] != "T" {
		t.Errorf("after PATCH %v", got)
	}
	// The own source again is no duplicate.
	resp, _ = e.Do("PATCH", coPath+"/"+tid, map[string]any{"identitySources": []any{ss("domainIdentitySource", "domainName", "tailspin.com", "displayName", "Tailspin")}})
	if resp.StatusCode != http.StatusAccepted {
		t.Errorf("PATCH same source %d", resp.StatusCode)
	}
	resp, body = e.Do("PATCH", coPath+"/00000000-0000-4000-8000-000000000000", map[string]any{"displayName": "x"})
	govWantErr(t, resp, body, 404, "ResourceNotFound")
}

func TestConnectedOrgFilters(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	createOrg(e, "Fabrikam", ss("domainIdentitySource", "domainName", "fabrikam.com", "displayName", "Fabrikam"))
	createOrg(e, "Tailspin Toys", ss("azureActiveDirectoryTenant", "tenantId", "dddddddd-1111-4111-8111-111111111111", "displayName", "Tailspin"))
	createOrg(e, "Wingtip", ss("externalDomainFederation", "domainName", "wingtip.net", "displayName", "W", "issuerUri", "https://sts.wingtip.net"))
	cases := []struct {
		filter string
		want   []string
	}{
		{"displayName eq 'fabrikam'", []string{"Fabrikam"}},
		{"contains(tolower(displayName),'tail')", []string{"Tailspin Toys"}},
		{"identitySources/any(i:i/domainName eq 'fabrikam.com')", []string{"Fabrikam"}},
		{"identitySources/any(s: s/domainName eq 'WINGTIP.NET')", []string{"Wingtip"}},
		{"identitySources/any(x:x/tenantId eq 'dddddddd-1111-4111-8111-111111111111')", []string{"Tailspin Toys"}},
		{"identitySources/any(i:i/domainName eq 'nope.com') or displayName eq 'Wingtip'", []string{"Wingtip"}},
		// The documented form casts the range variable
		// (https://learn.microsoft.com/graph/api/entitlementmanagement-list-connectedorganizations?view=graph-rest-1.0).
		{"identitySources/any(is:is/microsoft.graph.azureActiveDirectoryTenant/tenantId eq 'dddddddd-1111-4111-8111-111111111111')", []string{"Tailspin Toys"}},
		{"identitySources/any(is:is/microsoft.graph.crossCloudAzureActiveDirectoryTenant/tenantId eq 'dddddddd-1111-4111-8111-111111111111')", nil},
		{"identitySources/any(x:x/Microsoft.Graph.ExternalDomainFederation/domainName eq 'wingtip.net') or displayName eq 'Fabrikam'", []string{"Fabrikam", "Wingtip"}},
		{"identitySources/any(x:x/microsoft.graph.domainIdentitySource/domainName eq 'wingtip.net')", nil},
		{"state eq 'configured'", []string{"Fabrikam", "Tailspin Toys", "Wingtip"}},
	}
	for _, tc := range cases {
		resp, body := e.Do("GET", coPath+"?$filter="+url.QueryEscape(tc.filter), nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %v", tc.filter, resp.StatusCode, body)
		}
		got := names(t, body)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: got %v, want %v", tc.filter, got, tc.want)
		}
		emulatortest.NoInternal(t, body)
	}
	resp, body := e.Do("GET", coPath+"?$filter="+url.QueryEscape("identitySources/any(i:j/domainName eq 'a.com')"), nil)
	govWantErr(t, resp, body, 400, "BadRequest")
	resp, body = e.Do("GET", coPath+"?$filter="+url.QueryEscape("identitySources/any(i:i/microsoft.graph.user/tenantId eq 'a')"), nil)
	govWantErr(t, resp, body, 400, "BadRequest")
}

func TestConnectedOrgDeleteRefusedWhilePolicyTargetsIt(t *testing.T) {
	t.Parallel()
	f := newPolFixture(t)
	org := createOrg(f.e, "Fabrikam", ss("domainIdentitySource", "domainName", "fabrikam.com", "displayName", "Fabrikam"))
	id := org["id"].(string)
	pb := f.minimal("Partners")
	pb["allowedTargetScope"] = "specificConnectedOrganizationUsers"
	pb["specificAllowedTargets"] = []any{ss("connectedOrganizationMembers", "connectedOrganizationId", id)}
	pol := f.create(pb)
	resp, body := f.e.Do("DELETE", coPath+"/"+id, nil)
	govWantErr(t, resp, body, 400, "BadRequest")
	if !strings.Contains(emulatortest.ErrMessage(body), pol["id"].(string)) {
		t.Errorf("message %q", emulatortest.ErrMessage(body))
	}
	if resp, body := f.e.Do("DELETE", polPath+"/"+pol["id"].(string), nil); resp.StatusCode != 204 {
		t.Fatalf("delete policy %d %v", resp.StatusCode, body)
	}
	if resp, body := f.e.Do("DELETE", coPath+"/"+id, nil); resp.StatusCode != 204 {
		t.Fatalf("delete org %d %v", resp.StatusCode, body)
	}
	resp, body = f.e.Do("DELETE", coPath+"/"+id, nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
}

func TestConnectedOrgSponsors(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	org := createOrg(e, "Fabrikam", ss("domainIdentitySource", "domainName", "fabrikam.com", "displayName", "Fabrikam"))
	id := org["id"].(string)
	group := govGroup(e, "Sponsors")
	sp, _, _ := govApp(e, "Robot", nil)
	const user, guest = "5eed0001-0000-4000-8000-000000000001", "5eed0001-0000-4000-8000-000000000101"
	in := coPath + "/" + id + "/internalSponsors"
	ext := coPath + "/" + id + "/externalSponsors"
	ref := func(p string) map[string]any {
		return map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/" + p}
	}

	for _, tc := range []struct {
		path string
		body map[string]any
	}{
		{in, ref("users/" + user)},
		{in, ref("groups/" + group)},
		{ext, map[string]any{"@odata.id": e.Base + "/v1.0/directoryObjects/" + strings.ToUpper(guest)}},
	} {
		if resp, body := e.Do("POST", tc.path+"/$ref", tc.body); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("add %v: %d %v", tc.body, resp.StatusCode, body)
		}
	}
	resp, body := e.Do("GET", in, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("list %d %v", resp.StatusCode, body)
	}
	vals := govList(t, body)
	if len(vals) != 2 || vals[0]["id"] != user || vals[0]["@odata.type"] != "#microsoft.graph.user" ||
		vals[1]["id"] != group || vals[1]["@odata.type"] != "#microsoft.graph.group" {
		t.Errorf("internal sponsors %v", vals)
	}
	_, body = e.Do("GET", ext, nil)
	if vals := govList(t, body); len(vals) != 1 || vals[0]["id"] != guest {
		t.Errorf("external sponsors %v", vals)
	}
	_, got := e.Do("GET", coPath+"/"+id, nil)
	if _, has := got["internalSponsors"]; has {
		t.Errorf("sponsors shown without $expand: %v", got)
	}
	emulatortest.NoInternal(t, got)
	// No $expand is documented on connectedOrganization: the sponsors are read from their lists.
	for _, q := range []string{"?$expand=internalSponsors,externalSponsors", "?$expand=externalSponsors"} {
		resp, got = e.Do("GET", coPath+"/"+id+q, nil)
		govWantErr(t, resp, got, 400, "BadRequest")
		resp, got = e.Do("GET", coPath+q, nil)
		govWantErr(t, resp, got, 400, "BadRequest")
	}

	errs := []struct {
		name   string
		path   string
		body   map[string]any
		status int
		code   string
	}{
		{"duplicate", in, ref("directoryObjects/" + user), 400, "Request_BadRequest"},
		{"unknown object", in, ref("users/00000000-0000-4000-8000-00000000abcd"), 404, "Request_ResourceNotFound"},
		{"user named as group", in, ref("groups/" + user), 404, "Request_ResourceNotFound"},
		{"service principal", in, ref("servicePrincipals/" + sp), 400, "Request_BadRequest"},
		{"bad url", in, map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/applications/" + user}, 400, "Request_BadRequest"},
		{"no ref", in, map[string]any{"id": user}, 400, "Request_BadRequest"},
		{"unknown org", coPath + "/00000000-0000-4000-8000-000000000000/internalSponsors", ref("users/" + user), 404, "ResourceNotFound"},
	}
	for _, tc := range errs {
		resp, body := e.Do("POST", tc.path+"/$ref", tc.body)
		if resp.StatusCode != tc.status || emulatortest.ErrCode(body) != tc.code {
			t.Errorf("%s: %d %s (%s)", tc.name, resp.StatusCode, emulatortest.ErrCode(body), emulatortest.ErrMessage(body))
		}
	}
	_, body = e.Do("POST", in+"/$ref", ref("users/"+user))
	if !strings.HasPrefix(emulatortest.ErrMessage(body), "One or more added object references already exist") {
		t.Errorf("duplicate message %q", emulatortest.ErrMessage(body))
	}

	if resp, _ := e.Do("DELETE", in+"/"+user+"/$ref", nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("remove %d", resp.StatusCode)
	}
	resp, body = e.Do("DELETE", in+"/"+user+"/$ref", nil)
	govWantErr(t, resp, body, 404, "Request_ResourceNotFound")
	_, body = e.Do("GET", in, nil)
	if vals := govList(t, body); len(vals) != 1 || vals[0]["id"] != group {
		t.Errorf("after remove %v", vals)
	}

	// Go methods and control paths.
	if err := e.Srv.AddSponsor(id, emulator.SponsorsExternal, user); err != nil {
		t.Fatal(err)
	}
	if err := e.Srv.AddSponsor(id, emulator.SponsorsExternal, user); !errors.Is(err, emulator.ErrAlreadyMember) {
		t.Errorf("duplicate AddSponsor: %v", err)
	}
	if err := e.Srv.AddSponsor(id, emulator.SponsorsExternal, "00000000-0000-4000-8000-00000000abcd"); !errors.Is(err, emulator.ErrNotFound) {
		t.Errorf("unknown object: %v", err)
	}
	if err := e.Srv.AddSponsor("00000000-0000-4000-8000-000000000000", emulator.SponsorsExternal, user); !errors.Is(err, emulator.ErrNotFound) {
		t.Errorf("unknown org: %v", err)
	}
	if err := e.Srv.AddSponsor(id, "sponsors", user); err == nil {
		t.Error("bad kind accepted")
	}
	if err := e.Srv.RemoveSponsor(id, emulator.SponsorsExternal, guest); err != nil {
		t.Fatal(err)
	}
	if err := e.Srv.RemoveSponsor(id, emulator.SponsorsExternal, guest); !errors.Is(err, emulator.ErrNotMember) {
		t.Errorf("remove twice: %v", err)
	}
	ctl := e.Base + "/_emulator/sponsors/" + id + "/internalSponsors/" + user
	if resp, body := e.DoWith("", "POST", ctl, nil, nil); resp.StatusCode != 204 {
		t.Fatalf("control add %d %v", resp.StatusCode, body)
	}
	if resp, _ := e.DoWith("", "POST", ctl, nil, nil); resp.StatusCode != 400 {
		t.Errorf("control duplicate %d", resp.StatusCode)
	}
	if resp, _ := e.DoWith("", "DELETE", ctl, nil, nil); resp.StatusCode != 204 {
		t.Errorf("control remove %d", resp.StatusCode)
	}
	if resp, _ := e.DoWith("", "DELETE", ctl, nil, nil); resp.StatusCode != 404 {
		t.Errorf("control remove twice %d", resp.StatusCode)
	}
	obj, err := e.Srv.GetObject(entitlement.CollConnectedOrgs, id)
	if err != nil {
		t.Fatal(err)
	}
	if got := wire.StrList(obj[entitlement.IfExternalSponsors]); len(got) != 1 || got[0] != user {
		t.Errorf("stored external sponsors %v", got)
	}

	// Permissions: the reader app can list, not write.
	reader := e.GetToken(emulator.ReaderClientID, emulator.ReaderClientSecret)
	if resp, _ := e.DoWith(reader, "GET", in, nil, nil); resp.StatusCode != 200 {
		t.Errorf("reader list %d", resp.StatusCode)
	}
	resp, body = e.DoWith(reader, "POST", in+"/$ref", ref("users/"+user), nil)
	govWantErr(t, resp, body, 403, "UnAuthorized")
	resp, body = e.DoWith(reader, "POST", coPath, coBody("R", ss("domainIdentitySource", "domainName", "r.com", "displayName", "r")), nil)
	govWantErr(t, resp, body, 403, "UnAuthorized")
}

// https://learn.microsoft.com/graph/api/resources/domainidentitysource?view=graph-rest-1.0: a domain
// source whose domain is a registered domain of an Entra tenant makes an organization with that
// tenant's azureActiveDirectoryTenant source, named as the tenant.
func TestConnectedOrgDomainOfKnownTenant(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	tenantSource := func(id, name string) map[string]any {
		return map[string]any{"@odata.type": "#microsoft.graph.azureActiveDirectoryTenant", "tenantId": id, "displayName": name}
	}
	fab := entitlement.SeededPartnerTenants[0]
	// A seeded tenant's initial domain, any case, trailing dot ignored.
	org := createOrg(e, "Fabrikam", ss("domainIdentitySource", "domainName", "Fabrikam.onmicrosoft.com.", "displayName", "fabrikam.onmicrosoft.com"))
	want := []any{tenantSource(fab.ID, fab.DisplayName)}
	polSubset(t, "created", want, org["identitySources"])
	_, got := e.Do("GET", coPath+"/"+org["id"].(string), nil)
	polSubset(t, "read", want, got["identitySources"])
	// The same tenant again, by its id, is a duplicate.
	resp, body := e.Do("POST", coPath, coBody("Fabrikam 2", ss("azureActiveDirectoryTenant", "tenantId", fab.ID)))
	govWantErr(t, resp, body, 400, "BadRequest")
	// The filter by tenant finds it.
	resp, body = e.Do("GET", coPath+"?$filter="+url.QueryEscape("identitySources/any(x:x/tenantId eq '"+fab.ID+"')"), nil)
	if l := govList(t, body); resp.StatusCode != 200 || len(l) != 1 || l[0]["id"] != org["id"] {
		t.Errorf("filter by tenant: %d %v", resp.StatusCode, body)
	}

	// A tenant added by the control method, with a custom domain; PATCH resolves as POST does.
	const tailspin = "0f1e2d3c-4b5a-4968-8776-655443322110"
	if err := e.Srv.AddPartnerTenant(tailspin, "Tailspin Toys", "tailspintoys.com"); err != nil {
		t.Fatal(err)
	}
	if err := e.Srv.AddPartnerTenant("not-a-guid", "X", "x.com"); err == nil {
		t.Error("AddPartnerTenant took a tenant id that is not a GUID")
	}
	if err := e.Srv.AddPartnerTenant("11111111-2222-4333-8444-555555555555", "Other", "TailspinToys.com"); err == nil {
		t.Error("AddPartnerTenant gave a second tenant the same domain")
	}
	plain := createOrg(e, "Plain", ss("domainIdentitySource", "domainName", "tailspin.example"))
	id := plain["id"].(string)
	resp, got = e.Do("PATCH", coPath+"/"+id, map[string]any{"identitySources": []any{ss("domainIdentitySource", "domainName", "TAILSPINTOYS.com")}})
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("PATCH %d %v", resp.StatusCode, got)
	}
	polSubset(t, "patched", []any{tenantSource(tailspin, "Tailspin Toys")}, got["identitySources"])
	// The control API does the same.
	resp, _ = e.Do("POST", "/_emulator/partnerTenants", map[string]any{"id": "22222222-3333-4444-8555-666666666666", "displayName": "Northwind", "domains": []any{"northwindtraders.com"}})
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("control partnerTenants %d", resp.StatusCode)
	}
	org = createOrg(e, "Northwind", ss("domainIdentitySource", "domainName", "northwindtraders.com"))
	polSubset(t, "control", []any{tenantSource("22222222-3333-4444-8555-666666666666", "Northwind")}, org["identitySources"])
	// A reset forgets added tenants and keeps the seeded ones.
	if err := e.Srv.Reset(); err != nil {
		t.Fatal(err)
	}
	org = createOrg(e, "Tailspin", ss("domainIdentitySource", "domainName", "tailspintoys.com"))
	if src := org["identitySources"].([]any)[0].(map[string]any); src["@odata.type"] != "#microsoft.graph.domainIdentitySource" {
		t.Errorf("after reset: %v", src)
	}
	org = createOrg(e, "Woodgrove", ss("domainIdentitySource", "domainName", "woodgrovebank.com"))
	polSubset(t, "seeded after reset", []any{tenantSource(entitlement.SeededPartnerTenants[1].ID, "Woodgrove Bank")}, org["identitySources"])
}

// Identity source displayName is read-only and nullable (the identitySource subtype pages,
// schemas/v1.0-Prod.csdl): omitted, the service fills it; sent, it is kept.
func TestConnectedOrgSourceDisplayNameFilled(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	fab := entitlement.SeededPartnerTenants[0]
	cases := []struct {
		name   string
		source map[string]any
		want   string
	}{
		{"domain", ss("domainIdentitySource", "domainName", "fabrikam.example"), "fabrikam.example"},
		{"domain null name", ss("domainIdentitySource", "domainName", "null.example", "displayName", nil), "null.example"},
		{"federation", ss("externalDomainFederation", "domainName", "wingtip.example", "issuerUri", "https://sts.wingtip.example"), "wingtip.example"},
		{"known tenant", ss("azureActiveDirectoryTenant", "tenantId", fab.ID), fab.DisplayName},
		{"unknown tenant", ss("azureActiveDirectoryTenant", "tenantId", "EEEEEEEE-1111-4111-8111-111111111111"), "eeeeeeee-1111-4111-8111-111111111111"},
		{"cross cloud", ss("crossCloudAzureActiveDirectoryTenant", "tenantId", "ffffffff-1111-4111-8111-111111111111", "cloudInstance", "microsoftonline.us"), "ffffffff-1111-4111-8111-111111111111"},
		{"social", ss("socialIdentitySource", "socialIdentitySourceType", "facebook"), "facebook"},
		{"sent name kept", ss("domainIdentitySource", "domainName", "kept.example", "displayName", "Kept"), "Kept"},
	}
	for _, tc := range cases {
		org := createOrg(e, tc.name, tc.source)
		if got := org["identitySources"].([]any)[0].(map[string]any)["displayName"]; got != tc.want {
			t.Errorf("%s: displayName %v, want %q", tc.name, got, tc.want)
		}
	}
}
