package entitlement_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/entitlement"
	"github.com/google/uuid"
)

// ---- helpers of the entitlement tests (directory objects are inserted directly) ----

func govPut(e *emulatortest.Env, coll string, obj map[string]any) map[string]any {
	e.T.Helper()
	if err := e.Srv.Store.Insert(coll, obj["id"].(string), obj, time.Unix(0, 0)); err != nil {
		e.T.Fatal(err)
	}
	return obj
}

func govGroup(e *emulatortest.Env, name string) string {
	e.T.Helper()
	id := uuid.NewString()
	govPut(e, "groups", map[string]any{"id": id, "displayName": name, "description": name + " group",
		"groupTypes": []any{}, "securityEnabled": true, "mailEnabled": false, "mailNickname": strings.ReplaceAll(name, " ", "")})
	return id
}

// govApp inserts an application and its service principal; it returns the SP object
// id, the application object id and the appId.
func govApp(e *emulatortest.Env, name string, appRoles []any) (spID, appObjectID, appID string) {
	e.T.Helper()
	spID, appObjectID, appID = uuid.NewString(), uuid.NewString(), uuid.NewString()
	govPut(e, "applications", map[string]any{"id": appObjectID, "appId": appID, "displayName": name, "appRoles": appRoles})
	govPut(e, "servicePrincipals", map[string]any{"id": spID, "appId": appID, "displayName": name, "appRoles": appRoles})
	return spID, appObjectID, appID
}

func govCatalog(e *emulatortest.Env, name string) string {
	e.T.Helper()
	return e.CreateCatalog(map[string]any{"displayName": name, "description": ""})["id"].(string)
}

func govRequest(e *emulatortest.Env, requestType, catalogID string, resource map[string]any) (*http.Response, map[string]any) {
	e.T.Helper()
	return e.Do("POST", emulatortest.EMPath+"/resourceRequests", map[string]any{
		"requestType": requestType, "resource": resource, "catalog": map[string]any{"id": catalogID}})
}

func govOnboard(e *emulatortest.Env, catalogID, system, originID string) map[string]any {
	e.T.Helper()
	resp, body := govRequest(e, "adminAdd", catalogID, map[string]any{"originId": originID, "originSystem": system})
	if resp.StatusCode != http.StatusCreated {
		e.T.Fatalf("onboard %s %s: %d %v", system, originID, resp.StatusCode, body)
	}
	return govResource(e, catalogID, originID)
}

// govResource reads a catalog resource by origin id with roles and scopes.
func govResource(e *emulatortest.Env, catalogID, originID string) map[string]any {
	e.T.Helper()
	q := url.Values{"$filter": {"originId eq '" + originID + "'"}, "$expand": {"roles,scopes"}}
	resp, body := e.Do("GET", emulatortest.EMPath+"/catalogs/"+catalogID+"/resources?"+q.Encode(), nil)
	if resp.StatusCode != 200 {
		e.T.Fatalf("list resources: %d %v", resp.StatusCode, body)
	}
	vals := body["value"].([]any)
	if len(vals) != 1 {
		e.T.Fatalf("want one resource with originId %s, got %v", originID, vals)
	}
	emulatortest.NoInternal(e.T, body)
	return vals[0].(map[string]any)
}

func govPackage(e *emulatortest.Env, catalogID, name string) string {
	e.T.Helper()
	resp, body := e.Do("POST", emulatortest.EMPath+"/accessPackages", map[string]any{
		"displayName": name, "description": name, "catalog": map[string]any{"id": catalogID}})
	if resp.StatusCode != http.StatusCreated {
		e.T.Fatalf("create package: %d %v", resp.StatusCode, body)
	}
	return body["id"].(string)
}

// govGrant adds the role with the given origin id of a resource to a package.
func govGrant(e *emulatortest.Env, packageID string, resource map[string]any, roleOriginID string) map[string]any {
	e.T.Helper()
	resp, body := e.Do("POST", emulatortest.EMPath+"/accessPackages/"+packageID+"/resourceRoleScopes", map[string]any{
		"role":  map[string]any{"originId": roleOriginID, "originSystem": resource["originSystem"], "resource": map[string]any{"id": resource["id"]}},
		"scope": map[string]any{"originId": resource["originId"], "originSystem": resource["originSystem"], "isRootScope": true},
	})
	if resp.StatusCode != http.StatusCreated {
		e.T.Fatalf("role scope: %d %v", resp.StatusCode, body)
	}
	return body
}

func govList(t *testing.T, body map[string]any) []map[string]any {
	t.Helper()
	vals, ok := body["value"].([]any)
	if !ok {
		t.Fatalf("no value array: %v", body)
	}
	out := make([]map[string]any, len(vals))
	for i, v := range vals {
		out[i] = v.(map[string]any)
	}
	return out
}

func govByOrigin(t *testing.T, list any) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, x := range list.([]any) {
		m := x.(map[string]any)
		out[m["originId"].(string)] = m
	}
	return out
}

func govWantErr(t *testing.T, resp *http.Response, body map[string]any, status int, code string) {
	t.Helper()
	if resp.StatusCode != status || emulatortest.ErrCode(body) != code {
		t.Fatalf("got %d %q (%s), want %d %q", resp.StatusCode, emulatortest.ErrCode(body), emulatortest.ErrMessage(body), status, code)
	}
}

// ---- resource requests ----

func TestResourceRequestOnboardGroup(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cat := govCatalog(e, "Sales")
	gid := govGroup(e, "Sales reps")

	resp, rr := govRequest(e, "AdminAdd", cat, map[string]any{"originId": strings.ToUpper(gid), "originSystem": "aadgroup",
		"@odata.type": "#microsoft.graph.accessPackageResource"})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("%d %v", resp.StatusCode, rr)
	}
	if rr["requestType"] != "adminAdd" || rr["state"] != "delivered" || !emulatortest.GraphTimestamp.MatchString(rr["createdDateTime"].(string)) {
		t.Errorf("request %v", rr)
	}
	if _, err := uuid.Parse(rr["id"].(string)); err != nil {
		t.Errorf("id %v", rr["id"])
	}
	for _, k := range []string{"resource", "catalog"} {
		if _, ok := rr[k]; ok {
			t.Errorf("%s returned without $expand", k)
		}
	}
	if rr["@odata.context"] != e.Base+"/v1.0/$metadata#identityGovernance/entitlementManagement/resourceRequests/$entity" {
		t.Errorf("context %v", rr["@odata.context"])
	}
	emulatortest.NoInternal(t, rr)

	res := govResource(e, cat, gid)
	if res["id"] == gid || res["originId"] != gid || res["originSystem"] != "AadGroup" || res["displayName"] != "Sales reps" ||
		res["description"] != "Sales reps group" {
		t.Errorf("resource %v", res)
	}
	if attrs, ok := res["attributes"].([]any); !ok || len(attrs) != 0 {
		t.Errorf("attributes %v", res["attributes"])
	}
	for _, k := range []string{"createdDateTime", "modifiedDateTime"} {
		if !emulatortest.GraphTimestamp.MatchString(res[k].(string)) {
			t.Errorf("%s %v", k, res[k])
		}
	}
	roles := govByOrigin(t, res["roles"])
	if len(roles) != 2 || roles["Member_"+gid]["displayName"] != "Member" || roles["Owner_"+gid]["displayName"] != "Owner" {
		t.Fatalf("roles %v", res["roles"])
	}
	// https://learn.microsoft.com/graph/api/accesspackagecatalog-list-resourceroles?view=graph-rest-1.0
	// answers the group's Member role with a description string.
	for _, k := range []string{"Member_" + gid, "Owner_" + gid} {
		if d, _ := roles[k]["description"].(string); d == "" {
			t.Errorf("role %s without description: %v", k, roles[k])
		}
	}
	for _, r := range roles {
		if r["originSystem"] != "AadGroup" || r["id"] == "" {
			t.Errorf("role %v", r)
		}
		if _, ok := r["description"]; !ok {
			t.Errorf("role without description key: %v", r)
		}
	}
	scopes := res["scopes"].([]any)
	if len(scopes) != 1 {
		t.Fatalf("scopes %v", scopes)
	}
	sc := scopes[0].(map[string]any)
	if sc["originId"] != gid || sc["displayName"] != "Root" || sc["description"] != "Root Scope" || sc["isRootScope"] != true || sc["originSystem"] != "AadGroup" {
		t.Errorf("scope %v", sc)
	}

	// Already onboarded.
	resp, body := govRequest(e, "adminAdd", cat, map[string]any{"originId": gid, "originSystem": "AadGroup"})
	govWantErr(t, resp, body, 400, "BadRequest")
	if !strings.Contains(emulatortest.ErrMessage(body), "already in the catalog") {
		t.Errorf("message %q", emulatortest.ErrMessage(body))
	}

	// The same group in another catalog: new resource, role and scope ids.
	cat2 := govCatalog(e, "Other")
	res2 := govOnboard(e, cat2, "AadGroup", gid)
	if res2["id"] == res["id"] {
		t.Error("catalog resource id shared between catalogs")
	}
	r2 := govByOrigin(t, res2["roles"])
	if r2["Member_"+gid]["id"] == roles["Member_"+gid]["id"] || res2["scopes"].([]any)[0].(map[string]any)["id"] == sc["id"] {
		t.Error("role or scope ids shared between catalogs")
	}

	// The list of requests, with expansions.
	resp, list := e.Do("GET", emulatortest.EMPath+"/resourceRequests?$expand=resource,catalog", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %v", resp.StatusCode, list)
	}
	reqs := govList(t, list)
	if len(reqs) != 2 {
		t.Fatalf("requests %v", reqs)
	}
	if reqs[0]["resource"].(map[string]any)["id"] != res["id"] || reqs[0]["catalog"].(map[string]any)["id"] != cat {
		t.Errorf("expanded request %v", reqs[0])
	}
	emulatortest.NoInternal(t, list)
	resp, one := e.Do("GET", emulatortest.EMPath+"/resourceRequests/"+rr["id"].(string), nil)
	if resp.StatusCode != 200 || one["state"] != "delivered" {
		t.Errorf("GET request %d %v", resp.StatusCode, one)
	}
}

func TestResourceRequestValidation(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cat := govCatalog(e, "C")
	gid := govGroup(e, "G")
	ok := map[string]any{"originId": gid, "originSystem": "AadGroup"}
	tests := []struct {
		name   string
		body   map[string]any
		status int
		code   string
		msgHas string
	}{
		{"unknown group", map[string]any{"requestType": "adminAdd", "catalog": map[string]any{"id": cat},
			"resource": map[string]any{"originId": uuid.NewString(), "originSystem": "AadGroup"}}, 404, "ResourceNotFound", "group"},
		{"missing catalog", map[string]any{"requestType": "adminAdd", "resource": ok}, 400, "BadRequest", "catalog"},
		{"unknown catalog", map[string]any{"requestType": "adminAdd", "catalog": map[string]any{"id": uuid.NewString()}, "resource": ok}, 404, "ResourceNotFound", ""},
		{"missing requestType", map[string]any{"catalog": map[string]any{"id": cat}, "resource": ok}, 400, "BadRequest", "requestType"},
		{"bad requestType", map[string]any{"requestType": "adminMove", "catalog": map[string]any{"id": cat}, "resource": ok}, 400, "BadRequest", "adminMove"},
		{"user requestType", map[string]any{"requestType": "userAdd", "catalog": map[string]any{"id": cat}, "resource": ok}, 400, "BadRequest", "not supported"},
		{"missing resource", map[string]any{"requestType": "adminAdd", "catalog": map[string]any{"id": cat}}, 400, "BadRequest", "resource"},
		{"unknown originSystem", map[string]any{"requestType": "adminAdd", "catalog": map[string]any{"id": cat},
			"resource": map[string]any{"originId": gid, "originSystem": "Ldap"}}, 400, "BadRequest", "Ldap"},
		{"missing originId", map[string]any{"requestType": "adminAdd", "catalog": map[string]any{"id": cat},
			"resource": map[string]any{"originSystem": "AadGroup"}}, 400, "BadRequest", "originId"},
		{"unknown property", map[string]any{"requestType": "adminAdd", "catalog": map[string]any{"id": cat}, "resource": ok, "justification": "x"},
			400, "BadRequest", "justification"},
		{"unknown resource property", map[string]any{"requestType": "adminAdd", "catalog": map[string]any{"id": cat},
			"resource": map[string]any{"originId": gid, "originSystem": "AadGroup", "color": "red"}}, 400, "BadRequest", "color"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.Do("POST", emulatortest.EMPath+"/resourceRequests", tc.body)
			govWantErr(t, resp, body, tc.status, tc.code)
			if !strings.Contains(emulatortest.ErrMessage(body), tc.msgHas) {
				t.Errorf("message %q does not contain %q", emulatortest.ErrMessage(body), tc.msgHas)
			}
		})
	}
	// Nothing was onboarded by the failures.
	_, body := e.Do("GET", emulatortest.EMPath+"/catalogs/"+cat+"/resources", nil)
	if n := len(govList(t, body)); n != 0 {
		t.Errorf("%d resources after failed requests", n)
	}
}

func TestResourceRequestOnboardApplication(t *testing.T) {
	t.Parallel()
	limited := emulator.App{ClientID: uuid.NewString(), Secret: "limited", Roles: []string{"EntitlementManagement.ReadWrite.All"}}
	e := emulatortest.New(t, emulator.Config{Apps: append(emulator.DefaultApps(), limited)})
	cat := govCatalog(e, "Apps")
	roleA, roleB := uuid.NewString(), uuid.NewString()
	sp, appObj, appID := govApp(e, "Payroll", []any{
		map[string]any{"id": roleA, "value": "Payroll.Admin", "displayName": "Payroll admin", "description": "Administers payroll",
			"allowedMemberTypes": []any{"User"}, "isEnabled": true},
		map[string]any{"id": roleB, "value": "Payroll.Read", "displayName": "Payroll reader", "description": "Reads payroll",
			"allowedMemberTypes": []any{"User"}, "isEnabled": true},
	})

	for name, id := range map[string]string{"application object id": appObj, "appId": appID} {
		t.Run(name, func(t *testing.T) {
			resp, body := govRequest(e, "adminAdd", cat, map[string]any{"originId": id, "originSystem": "AadApplication"})
			govWantErr(t, resp, body, 400, "BadRequest")
			if !strings.Contains(emulatortest.ErrMessage(body), "service principal") {
				t.Errorf("message %q", emulatortest.ErrMessage(body))
			}
		})
	}
	t.Run("unknown service principal", func(t *testing.T) {
		resp, body := govRequest(e, "adminAdd", cat, map[string]any{"originId": uuid.NewString(), "originSystem": "AadApplication"})
		govWantErr(t, resp, body, 404, "ResourceNotFound")
	})
	t.Run("caller without Application.ReadWrite.All", func(t *testing.T) {
		tok := e.GetToken(limited.ClientID, limited.Secret)
		resp, body := e.DoWith(tok, "POST", emulatortest.EMPath+"/resourceRequests", map[string]any{"requestType": "adminAdd",
			"catalog": map[string]any{"id": cat}, "resource": map[string]any{"originId": sp, "originSystem": "AadApplication"}}, nil)
		govWantErr(t, resp, body, 400, "CallerNotResourceOwner")
		if emulatortest.ErrMessage(body) != "The caller is not the resource owner." {
			t.Errorf("message %q", emulatortest.ErrMessage(body))
		}
		gid := govGroup(e, "G")
		resp, body = e.DoWith(tok, "POST", emulatortest.EMPath+"/resourceRequests", map[string]any{"requestType": "adminAdd",
			"catalog": map[string]any{"id": cat}, "resource": map[string]any{"originId": gid, "originSystem": "AadGroup"}}, nil)
		govWantErr(t, resp, body, 400, "CallerNotResourceOwner")
	})

	res := govOnboard(e, cat, "AadApplication", sp)
	if res["displayName"] != "Payroll" || res["originSystem"] != "AadApplication" {
		t.Errorf("resource %v", res)
	}
	roles := govByOrigin(t, res["roles"])
	if len(roles) != 2 || roles[roleA]["displayName"] != "Payroll admin" || roles[roleA]["description"] != "Administers payroll" ||
		roles[roleB]["displayName"] != "Payroll reader" {
		t.Errorf("roles %v", res["roles"])
	}
	scopes := res["scopes"].([]any)
	if len(scopes) != 1 || scopes[0].(map[string]any)["originId"] != sp || scopes[0].(map[string]any)["isRootScope"] != true {
		t.Errorf("scopes %v", scopes)
	}

	// An SP without app roles exposes Default Access.
	bare, _, _ := govApp(e, "Wiki", nil)
	res = govOnboard(e, cat, "AadApplication", bare)
	roles = govByOrigin(t, res["roles"])
	if len(roles) != 1 || roles[entitlement.DefaultAccessRoleID]["displayName"] != "Default Access" ||
		roles[entitlement.DefaultAccessRoleID]["description"] == nil {
		t.Errorf("roles %v", res["roles"])
	}
	if res["description"] != nil {
		t.Errorf("description of a service principal without one, none sent: %v", res["description"])
	}

	// https://learn.microsoft.com/graph/api/accesspackagecatalog-list-resources?view=graph-rest-1.0: the
	// resource answers the description its request carried when the service principal has none.
	described, _, _ := govApp(e, "Cafeteria", nil)
	resp, body := govRequest(e, "adminAdd", cat, map[string]any{"originId": described, "originSystem": "AadApplication", "description": "Example application"})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("onboard with description: %d %v", resp.StatusCode, body)
	}
	if res = govResource(e, cat, described); res["description"] != "Example application" {
		t.Errorf("description %v, want the request's", res["description"])
	}
}

func TestResourceRequestOnboardSharePoint(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cat := govCatalog(e, "Sites")
	site := "https://contoso.sharepoint.com/sites/Marketing"
	res := govOnboard(e, cat, "SharePointOnline", site)
	if res["displayName"] != "Marketing" || res["originSystem"] != "SharePointOnline" {
		t.Errorf("resource %v", res)
	}
	roles := govByOrigin(t, res["roles"])
	want := map[string]string{"3": "Marketing Owners", "4": "Marketing Visitors", "5": "Marketing Members"}
	if len(roles) != 3 {
		t.Fatalf("roles %v", res["roles"])
	}
	for o, n := range want {
		if roles[o]["displayName"] != n || roles[o]["originSystem"] != "SharePointOnline" {
			t.Errorf("role %s = %v, want %s", o, roles[o], n)
		}
	}
	sc := res["scopes"].([]any)[0].(map[string]any)
	if sc["originId"] != site || sc["isRootScope"] != true {
		t.Errorf("scope %v", sc)
	}
	// A trailing slash names the same site.
	resp, body := govRequest(e, "adminAdd", cat, map[string]any{"originId": site + "/", "originSystem": "SharePointOnline"})
	govWantErr(t, resp, body, 400, "BadRequest")

	// teams sites, with a display name from the request.
	resp, body = govRequest(e, "adminAdd", cat, map[string]any{"originId": "https://contoso.sharepoint.com/teams/hr",
		"originSystem": "SharePointOnline", "displayName": "Human Resources"})
	if resp.StatusCode != 201 {
		t.Fatalf("%d %v", resp.StatusCode, body)
	}
	hr := govResource(e, cat, "https://contoso.sharepoint.com/teams/hr")
	if hr["displayName"] != "Human Resources" || govByOrigin(t, hr["roles"])["3"]["displayName"] != "Human Resources Owners" {
		t.Errorf("hr %v", hr)
	}

	for _, bad := range []string{"http://contoso.sharepoint.com/sites/x", "https://contoso.example.com/sites/x",
		"https://contoso.sharepoint.com/sites/", "https://contoso.sharepoint.com/lists/x", "https://contoso.sharepoint.com/sites/x/sub", "Marketing"} {
		resp, body := govRequest(e, "adminAdd", cat, map[string]any{"originId": bad, "originSystem": "SharePointOnline"})
		if resp.StatusCode != 400 || !strings.Contains(emulatortest.ErrMessage(body), "SharePoint") {
			t.Errorf("%s: %d %v", bad, resp.StatusCode, body)
		}
	}
}

func TestCatalogResourceReads(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cat := govCatalog(e, "C")
	gid := govGroup(e, "G")
	res := govOnboard(e, cat, "AadGroup", gid)
	resID := res["id"].(string)
	govOnboard(e, cat, "SharePointOnline", "https://contoso.sharepoint.com/sites/a")

	t.Run("get with expand", func(t *testing.T) {
		resp, body := e.Do("GET", emulatortest.EMPath+"/catalogs/"+cat+"/resources/"+resID+"?$expand=roles,scopes,environment", nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%d %v", resp.StatusCode, body)
		}
		if env, ok := body["environment"]; !ok || env != nil {
			t.Errorf("environment %v (present %v)", env, ok)
		}
		if len(body["roles"].([]any)) != 2 || len(body["scopes"].([]any)) != 1 {
			t.Errorf("body %v", body)
		}
		emulatortest.NoInternal(t, body)
		resp, body = e.Do("GET", emulatortest.EMPath+"/catalogs/"+cat+"/resources/"+resID, nil)
		if _, ok := body["roles"]; ok || resp.StatusCode != 200 {
			t.Errorf("roles without $expand: %v", body)
		}
		other := govCatalog(e, "Other")
		resp, body = e.Do("GET", emulatortest.EMPath+"/catalogs/"+other+"/resources/"+resID, nil)
		govWantErr(t, resp, body, 404, "ResourceNotFound")
		resp, body = e.Do("GET", emulatortest.EMPath+"/catalogs/"+cat+"/resources?$expand=owners", nil)
		govWantErr(t, resp, body, 400, "BadRequest")
	})
	t.Run("filter by id", func(t *testing.T) {
		_, body := e.Do("GET", emulatortest.EMPath+"/catalogs/"+cat+"/resources?$filter="+url.QueryEscape("id eq '"+resID+"'"), nil)
		if l := govList(t, body); len(l) != 1 || l[0]["originId"] != gid {
			t.Errorf("got %v", l)
		}
		_, body = e.Do("GET", emulatortest.EMPath+"/catalogs/"+cat+"/resources", nil)
		if l := govList(t, body); len(l) != 2 {
			t.Errorf("got %v", l)
		}
	})
	t.Run("resourceRoles needs originSystem", func(t *testing.T) {
		for _, f := range []string{"", "resource/id eq '" + resID + "'", "originSystem ne 'AadGroup'",
			"originSystem eq 'AadGroup' or resource/id eq '" + resID + "'"} {
			q := ""
			if f != "" {
				q = "?$filter=" + url.QueryEscape(f)
			}
			resp, body := e.Do("GET", emulatortest.EMPath+"/catalogs/"+cat+"/resourceRoles"+q, nil)
			if resp.StatusCode != 400 || emulatortest.ErrCode(body) != "BadRequest" {
				t.Errorf("filter %q: %d %v", f, resp.StatusCode, body)
			}
		}
		q := url.Values{"$filter": {"(originSystem eq 'AadGroup' and resource/id eq '" + resID + "')"}, "$expand": {"resource"}}
		resp, body := e.Do("GET", emulatortest.EMPath+"/catalogs/"+cat+"/resourceRoles?"+q.Encode(), nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%d %v", resp.StatusCode, body)
		}
		roles := govList(t, body)
		if len(roles) != 2 {
			t.Fatalf("roles %v", roles)
		}
		for _, r := range roles {
			if r["resource"].(map[string]any)["id"] != resID || r["resource"].(map[string]any)["originId"] != gid {
				t.Errorf("role %v", r)
			}
		}
		emulatortest.NoInternal(t, body)
		if body["@odata.context"] != e.Base+"/v1.0/$metadata#identityGovernance/entitlementManagement/catalogs('"+cat+"')/resourceRoles" {
			t.Errorf("context %v", body["@odata.context"])
		}
		// Without $expand the role has no resource.
		_, body = e.Do("GET", emulatortest.EMPath+"/catalogs/"+cat+"/resourceRoles?$filter="+url.QueryEscape("originSystem eq 'SharePointOnline'"), nil)
		roles = govList(t, body)
		if len(roles) != 3 {
			t.Fatalf("roles %v", roles)
		}
		if _, ok := roles[0]["resource"]; ok {
			t.Errorf("resource without $expand: %v", roles[0])
		}
	})
	t.Run("resourceScopes", func(t *testing.T) {
		_, body := e.Do("GET", emulatortest.EMPath+"/catalogs/"+cat+"/resourceScopes", nil)
		if l := govList(t, body); len(l) != 2 {
			t.Errorf("scopes %v", l)
		}
		_, body = e.Do("GET", emulatortest.EMPath+"/catalogs/"+cat+"/resourceScopes?$filter="+url.QueryEscape("resource/id eq '"+resID+"'")+"&$expand=resource", nil)
		l := govList(t, body)
		if len(l) != 1 || l[0]["originId"] != gid || l[0]["resource"].(map[string]any)["id"] != resID {
			t.Errorf("scopes %v", l)
		}
	})
	t.Run("roles and scopes of a resource", func(t *testing.T) {
		_, body := e.Do("GET", emulatortest.EMPath+"/catalogs/"+cat+"/resources/"+resID+"/roles", nil)
		if l := govList(t, body); len(l) != 2 {
			t.Errorf("roles %v", l)
		}
		_, body = e.Do("GET", emulatortest.EMPath+"/catalogs/"+cat+"/resources/"+resID+"/scopes", nil)
		if l := govList(t, body); len(l) != 1 {
			t.Errorf("scopes %v", l)
		}
	})
	t.Run("unknown catalog", func(t *testing.T) {
		resp, body := e.Do("GET", emulatortest.EMPath+"/catalogs/"+uuid.NewString()+"/resources", nil)
		govWantErr(t, resp, body, 404, "ResourceNotFound")
	})
}

func TestResourceOffboard(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cat := govCatalog(e, "C")
	gid := govGroup(e, "G")
	res := govOnboard(e, cat, "AadGroup", gid)
	resID := res["id"].(string)
	pkg := govPackage(e, cat, "P")
	rs := govGrant(e, pkg, res, "Member_"+gid)

	resp, body := govRequest(e, "adminRemove", cat, map[string]any{"id": resID})
	govWantErr(t, resp, body, 400, "InvalidDeleteResourceHasEntitlements")

	if resp, body := e.Do("DELETE", emulatortest.EMPath+"/accessPackages/"+pkg+"/resourceRoleScopes/"+rs["id"].(string), nil); resp.StatusCode != 204 {
		t.Fatalf("delete role scope %d %v", resp.StatusCode, body)
	}
	resp, body = govRequest(e, "AdminRemove", cat, map[string]any{"id": resID})
	if resp.StatusCode != 201 || body["requestType"] != "adminRemove" || body["state"] != "delivered" {
		t.Fatalf("remove %d %v", resp.StatusCode, body)
	}
	resp, body = e.Do("GET", emulatortest.EMPath+"/catalogs/"+cat+"/resources/"+resID, nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	for _, coll := range []string{entitlement.CollCatalogRoles, entitlement.CollCatalogScopes} {
		if objs, _ := e.Srv.ListObjects(coll); len(objs) != 0 {
			t.Errorf("%s left: %v", coll, objs)
		}
	}
	resp, body = govRequest(e, "adminRemove", cat, map[string]any{"id": resID})
	govWantErr(t, resp, body, 404, "ResourceNotFound")

	// By origin, and onboarding again afterwards.
	govOnboard(e, cat, "AadGroup", gid)
	resp, body = govRequest(e, "adminRemove", cat, map[string]any{"originId": gid, "originSystem": "AadGroup"})
	if resp.StatusCode != 201 {
		t.Fatalf("remove by origin %d %v", resp.StatusCode, body)
	}
	resp, body = govRequest(e, "adminRemove", cat, map[string]any{"originId": gid, "originSystem": "AadGroup"})
	govWantErr(t, resp, body, 404, "ResourceNotFound")

	// adminUpdate changes displayName and description.
	res = govOnboard(e, cat, "AadGroup", gid)
	resp, body = govRequest(e, "adminUpdate", cat, map[string]any{"id": res["id"], "displayName": "Renamed"})
	if resp.StatusCode != 201 {
		t.Fatalf("update %d %v", resp.StatusCode, body)
	}
	if got := govResource(e, cat, gid); got["displayName"] != "Renamed" {
		t.Errorf("after update %v", got)
	}
}

func TestCatalogDeleteNotEmpty(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cat := govCatalog(e, "C")
	gid := govGroup(e, "G")
	res := govOnboard(e, cat, "AadGroup", gid)
	pkg := govPackage(e, cat, "P")
	const msg = "The catalog cannot be deleted because it still contains access packages or resources."

	resp, body := e.Do("DELETE", emulatortest.CatalogsPath+"/"+cat, nil)
	govWantErr(t, resp, body, 400, "BadRequest")
	if emulatortest.ErrMessage(body) != msg {
		t.Errorf("message %q", emulatortest.ErrMessage(body))
	}
	if resp, _ := e.Do("DELETE", emulatortest.EMPath+"/accessPackages/"+pkg, nil); resp.StatusCode != 204 {
		t.Fatal("delete package")
	}
	resp, body = e.Do("DELETE", emulatortest.CatalogsPath+"/"+cat, nil)
	govWantErr(t, resp, body, 400, "BadRequest")
	if resp, body := govRequest(e, "adminRemove", cat, map[string]any{"id": res["id"]}); resp.StatusCode != 201 {
		t.Fatalf("remove %d %v", resp.StatusCode, body)
	}
	if resp, body := e.Do("DELETE", emulatortest.CatalogsPath+"/"+cat, nil); resp.StatusCode != 204 {
		t.Fatalf("delete empty catalog %d %v", resp.StatusCode, body)
	}
}

func TestEntitlementPermissions(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cat := govCatalog(e, "C")
	pkg := govPackage(e, cat, "P")
	reader := e.GetToken(emulator.ReaderClientID, emulator.ReaderClientSecret)
	for _, path := range []string{"/accessPackages", "/accessPackages/" + pkg + "?$expand=resourceRoleScopes($expand=role,scope)",
		"/resourceRequests", "/catalogs/" + cat + "/resources", "/accessPackages/" + pkg + "/incompatibleAccessPackages"} {
		if resp, body := e.DoWith(reader, "GET", emulatortest.EMPath+path, nil, nil); resp.StatusCode != 200 {
			t.Errorf("reader GET %s: %d %v", path, resp.StatusCode, body)
		}
	}
	writes := []struct{ method, path string }{
		{"POST", "/accessPackages"}, {"PATCH", "/accessPackages/" + pkg}, {"DELETE", "/accessPackages/" + pkg},
		{"POST", "/resourceRequests"}, {"POST", "/accessPackages/" + pkg + "/resourceRoleScopes"},
		{"POST", "/accessPackages/" + pkg + "/incompatibleAccessPackages/$ref"},
	}
	for _, w := range writes {
		resp, body := e.DoWith(reader, w.method, emulatortest.EMPath+w.path, map[string]any{}, nil)
		if resp.StatusCode != 403 || emulatortest.ErrCode(body) != "UnAuthorized" {
			t.Errorf("reader %s %s: %d %v", w.method, w.path, resp.StatusCode, body)
		}
	}
}

func TestEntitlementReplicationDelay(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	// An old catalog, so only the objects created under the fault are young.
	cat := uuid.NewString()
	govPut(e, entitlement.Catalogs, map[string]any{"id": cat, "displayName": "C", "description": "", "catalogType": "userManaged",
		"state": "published", "isExternallyVisible": false})
	gid := govGroup(e, "G")
	e.Srv.SetFaults(emulator.Faults{ReadAfterCreateDelay: time.Hour})
	if resp, body := govRequest(e, "adminAdd", cat, map[string]any{"originId": gid, "originSystem": "AadGroup"}); resp.StatusCode != 201 {
		t.Fatalf("%d %v", resp.StatusCode, body)
	}
	resp, pbody := e.Do("POST", emulatortest.EMPath+"/accessPackages", map[string]any{"displayName": "P", "description": "", "catalog": map[string]any{"id": cat}})
	if resp.StatusCode != 201 {
		t.Fatalf("%d %v", resp.StatusCode, pbody)
	}
	pkg := pbody["id"].(string)
	objs, err := e.Srv.ListObjects(entitlement.CollCatalogResources)
	if err != nil || len(objs) != 1 {
		t.Fatalf("%v %v", objs, err)
	}
	resID := objs[0]["id"].(string)

	q := url.Values{"$filter": {"originId eq '" + gid + "'"}}
	_, body := e.Do("GET", emulatortest.EMPath+"/catalogs/"+cat+"/resources?"+q.Encode(), nil)
	if l := govList(t, body); len(l) != 0 {
		t.Errorf("young resource listed: %v", l)
	}
	resp, body = e.Do("GET", emulatortest.EMPath+"/catalogs/"+cat+"/resources/"+resID, nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	resp, body = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+pkg, nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	_, body = e.Do("GET", emulatortest.EMPath+"/accessPackages", nil)
	if l := govList(t, body); len(l) != 0 {
		t.Errorf("young package listed: %v", l)
	}

	// An old package with a young role scope: the role scope is missing from the
	// expansion and the list during the window.
	e.Srv.SetFaults(emulator.Faults{})
	res := govResource(e, cat, gid)
	rec, err := e.Srv.Store.Get(entitlement.AccessPackages, pkg)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Srv.Store.Delete(entitlement.AccessPackages, pkg); err != nil {
		t.Fatal(err)
	}
	govPut(e, entitlement.AccessPackages, rec.Body)
	e.Srv.SetFaults(emulator.Faults{ReadAfterCreateDelay: time.Hour})
	govGrant(e, pkg, res, "Member_"+gid)
	resp, body = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+pkg+"?$expand=resourceRoleScopes", nil)
	if l, _ := body["resourceRoleScopes"].([]any); resp.StatusCode != 200 || len(l) != 0 {
		t.Errorf("young role scope expanded: %d %v", resp.StatusCode, body)
	}
	_, body = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+pkg+"/resourceRoleScopes", nil)
	if l := govList(t, body); len(l) != 0 {
		t.Errorf("young role scope listed: %v", l)
	}
	e.Srv.SetFaults(emulator.Faults{})
	_, body = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+pkg+"?$expand=resourceRoleScopes", nil)
	if l, _ := body["resourceRoleScopes"].([]any); len(l) != 1 {
		t.Errorf("after the window: %v", body)
	}
}
