package entitlement_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/google/uuid"
)

func TestRoleScopeCreate(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cat := govCatalog(e, "C")
	gid := govGroup(e, "G")
	res := govOnboard(e, cat, "AadGroup", gid)
	roles := govByOrigin(t, res["roles"])
	member := roles["Member_"+gid]
	root := res["scopes"].([]any)[0].(map[string]any)
	pkg := govPackage(e, cat, "P")
	path := emulatortest.EMPath + "/accessPackages/" + pkg + "/resourceRoleScopes"

	// The documented body with extra read-only fields (spec 7): role.id, role.displayName,
	// a whole resource object, scope.id.
	resp, rs := e.Do("POST", path, map[string]any{
		"role": map[string]any{"id": member["id"], "displayName": "Member", "originId": "Member_" + gid, "originSystem": "AadGroup",
			"resource": map[string]any{"id": res["id"], "displayName": res["displayName"], "originId": gid, "originSystem": "AadGroup",
				"description": res["description"]}},
		"scope": map[string]any{"id": root["id"], "originId": gid, "originSystem": "AadGroup", "isRootScope": true,
			"displayName": "Root"},
		"@odata.type": "#microsoft.graph.accessPackageResourceRoleScope",
	})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("%d %v", resp.StatusCode, rs)
	}
	wantID := member["id"].(string) + "_" + root["id"].(string)
	if rs["id"] != wantID {
		t.Errorf("id %v, want <roleId>_<scopeId> %s", rs["id"], wantID)
	}
	if !emulatortest.GraphTimestamp.MatchString(rs["createdDateTime"].(string)) {
		t.Errorf("createdDateTime %v", rs["createdDateTime"])
	}
	if r := rs["role"].(map[string]any); r["id"] != member["id"] || r["originId"] != "Member_"+gid {
		t.Errorf("role %v", r)
	}
	if s := rs["scope"].(map[string]any); s["id"] != root["id"] || s["isRootScope"] != true {
		t.Errorf("scope %v", s)
	}
	emulatortest.NoInternal(t, rs)

	t.Run("duplicate", func(t *testing.T) {
		resp, body := e.Do("POST", path, map[string]any{
			"role":  map[string]any{"originId": "Member_" + gid, "originSystem": "AadGroup", "resource": map[string]any{"id": res["id"]}},
			"scope": map[string]any{"originId": gid, "originSystem": "AadGroup", "isRootScope": true}})
		govWantErr(t, resp, body, 400, "BadRequest")
		if !strings.Contains(emulatortest.ErrMessage(body), "already exists") {
			t.Errorf("message %q", emulatortest.ErrMessage(body))
		}
	})
	t.Run("scope omitted means root", func(t *testing.T) {
		resp, body := e.Do("POST", path, map[string]any{
			"role": map[string]any{"originId": "owner_" + strings.ToUpper(gid), "originSystem": "AADGroup", "resource": map[string]any{"id": res["id"]}}})
		if resp.StatusCode != 201 || body["id"] != roles["Owner_"+gid]["id"].(string)+"_"+root["id"].(string) {
			t.Errorf("%d %v", resp.StatusCode, body)
		}
	})

	other := govCatalog(e, "Other")
	otherGroup := govGroup(e, "Elsewhere")
	otherRes := govOnboard(e, other, "AadGroup", otherGroup)
	bad := []struct {
		name   string
		body   map[string]any
		status int
		code   string
	}{
		{"unknown role", map[string]any{
			"role":  map[string]any{"originId": "Guest_" + gid, "originSystem": "AadGroup", "resource": map[string]any{"id": res["id"]}},
			"scope": map[string]any{"originId": gid, "originSystem": "AadGroup", "isRootScope": true}}, 404, "RoleNotFound"},
		{"wrong originSystem", map[string]any{
			"role":  map[string]any{"originId": "Member_" + gid, "originSystem": "AadApplication", "resource": map[string]any{"id": res["id"]}},
			"scope": map[string]any{"originId": gid, "originSystem": "AadGroup", "isRootScope": true}}, 404, "RoleNotFound"},
		{"unknown scope", map[string]any{
			"role":  map[string]any{"originId": "Member_" + gid, "originSystem": "AadGroup", "resource": map[string]any{"id": res["id"]}},
			"scope": map[string]any{"originId": uuid.NewString(), "originSystem": "AadGroup", "isRootScope": false}}, 404, "ResourceNotFound"},
		{"resource of another catalog", map[string]any{
			"role":  map[string]any{"originId": "Member_" + otherGroup, "originSystem": "AadGroup", "resource": map[string]any{"id": otherRes["id"]}},
			"scope": map[string]any{"originId": otherGroup, "originSystem": "AadGroup", "isRootScope": true}}, 400, "BadRequest"},
		{"unknown resource", map[string]any{
			"role":  map[string]any{"originId": "Member_" + gid, "originSystem": "AadGroup", "resource": map[string]any{"id": uuid.NewString()}},
			"scope": map[string]any{"originId": gid, "originSystem": "AadGroup", "isRootScope": true}}, 404, "ResourceNotFound"},
		{"missing role", map[string]any{"scope": map[string]any{"originId": gid}}, 400, "BadRequest"},
		{"unknown property", map[string]any{"role": map[string]any{"originId": "Member_" + gid}, "accessPackage": map[string]any{"id": pkg}}, 400, "BadRequest"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.Do("POST", path, tc.body)
			govWantErr(t, resp, body, tc.status, tc.code)
		})
	}
	t.Run("RoleNotFound message", func(t *testing.T) {
		resp, body := e.Do("POST", path, bad[0].body)
		if resp.StatusCode != 404 || emulatortest.ErrMessage(body) != "The role was not found." {
			t.Errorf("%d %v", resp.StatusCode, body)
		}
	})
	t.Run("unknown package", func(t *testing.T) {
		resp, body := e.Do("POST", emulatortest.EMPath+"/accessPackages/"+uuid.NewString()+"/resourceRoleScopes", map[string]any{"role": map[string]any{}})
		govWantErr(t, resp, body, 404, "ResourceNotFound")
	})
}

func TestRoleScopeReadDelete(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cat := govCatalog(e, "C")
	site := "https://contoso.sharepoint.com/sites/docs"
	res := govOnboard(e, cat, "SharePointOnline", site)
	pkg := govPackage(e, cat, "P")
	rs := govGrant(e, pkg, res, "4")
	rsID := rs["id"].(string)
	path := emulatortest.EMPath + "/accessPackages/" + pkg + "/resourceRoleScopes"

	resp, body := e.Do("GET", path+"?$expand=role,scope", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %v", resp.StatusCode, body)
	}
	l := govList(t, body)
	if len(l) != 1 || l[0]["id"] != rsID || l[0]["role"].(map[string]any)["displayName"] != "docs Visitors" ||
		l[0]["scope"].(map[string]any)["originId"] != site {
		t.Errorf("list %v", l)
	}
	_, body = e.Do("GET", path+"?$filter="+url.QueryEscape("role/originId eq '5'"), nil)
	if l := govList(t, body); len(l) != 0 {
		t.Errorf("filtered %v", l)
	}
	resp, body = e.Do("GET", path+"/"+rsID+"?$expand=role", nil)
	if resp.StatusCode != 200 || body["role"].(map[string]any)["originId"] != "4" || body["scope"] != nil {
		t.Errorf("GET one %d %v", resp.StatusCode, body)
	}
	emulatortest.NoInternal(t, body)

	if resp, body := e.Do("DELETE", path+"/"+rsID, nil); resp.StatusCode != 204 {
		t.Fatalf("DELETE %d %v", resp.StatusCode, body)
	}
	resp, body = e.Do("DELETE", path+"/"+rsID, nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	resp, body = e.Do("GET", path+"/"+rsID, nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	_, body = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+pkg+"?$expand=resourceRoleScopes($expand=role,scope)", nil)
	if l := body["resourceRoleScopes"].([]any); len(l) != 0 {
		t.Errorf("after delete %v", l)
	}
}

func TestRoleScopeAmbiguousOrigin(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cat := govCatalog(e, "C")
	a := govOnboard(e, cat, "SharePointOnline", "https://contoso.sharepoint.com/sites/a")
	govOnboard(e, cat, "SharePointOnline", "https://contoso.sharepoint.com/sites/b")
	pkg := govPackage(e, cat, "P")
	// "3" exists on both sites: without the resource the role is ambiguous.
	resp, body := e.Do("POST", emulatortest.EMPath+"/accessPackages/"+pkg+"/resourceRoleScopes", map[string]any{
		"role": map[string]any{"originId": "3", "originSystem": "SharePointOnline"}})
	govWantErr(t, resp, body, 400, "BadRequest")
	// With the role id alone it is not.
	owners := govByOrigin(t, a["roles"])["3"]
	resp, body = e.Do("POST", emulatortest.EMPath+"/accessPackages/"+pkg+"/resourceRoleScopes", map[string]any{
		"role": map[string]any{"id": owners["id"]}})
	if resp.StatusCode != 201 || body["scope"].(map[string]any)["originId"] != a["originId"] {
		t.Errorf("%d %v", resp.StatusCode, body)
	}
}
