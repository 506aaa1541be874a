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
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

func TestAccessPackageCreate(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cat := govCatalog(e, "Sales")
	resp, obj := e.Do("POST", emulatortest.EMPath+"/accessPackages", map[string]any{"displayName": "Sales reps", "description": "Outside sales",
		"catalog": map[string]any{"id": cat}, "@odata.type": "#microsoft.graph.accessPackage"})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("%d %v", resp.StatusCode, obj)
	}
	id := obj["id"].(string)
	if _, err := uuid.Parse(id); err != nil {
		t.Errorf("id %q", id)
	}
	want := map[string]any{"displayName": "Sales reps", "description": "Outside sales", "isHidden": false,
		"@odata.context": e.Base + "/v1.0/$metadata#identityGovernance/entitlementManagement/accessPackages/$entity"}
	for k, v := range want {
		if obj[k] != v {
			t.Errorf("%s = %v, want %v", k, obj[k], v)
		}
	}
	for _, k := range []string{"createdDateTime", "modifiedDateTime"} {
		if s, _ := obj[k].(string); !emulatortest.GraphTimestamp.MatchString(s) {
			t.Errorf("%s = %q", k, s)
		}
	}
	for _, k := range []string{"catalog", "catalogId"} {
		if _, ok := obj[k]; ok {
			t.Errorf("%s returned", k)
		}
	}
	emulatortest.NoInternal(t, obj)
	if loc := resp.Header.Get("Location"); loc != e.Base+emulatortest.EMPath+"/accessPackages/"+id {
		t.Errorf("Location %q", loc)
	}
	resp, got := e.Do("GET", emulatortest.EMPath+"/accessPackages/"+id, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %d %v", resp.StatusCode, got)
	}
	for k, v := range obj {
		if got[k] != v {
			t.Errorf("GET %s = %v, want %v", k, got[k], v)
		}
	}
	if _, ok := got["catalog"]; ok {
		t.Error("catalog without $expand")
	}
	_, got = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+id+"?$expand=catalog", nil)
	if c, _ := got["catalog"].(map[string]any); c["id"] != cat || c["displayName"] != "Sales" {
		t.Errorf("expanded catalog %v", got["catalog"])
	}
	emulatortest.NoInternal(t, got)
	resp, got = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+id+"/catalog", nil)
	if resp.StatusCode != 200 || got["id"] != cat {
		t.Errorf("package catalog %d %v", resp.StatusCode, got)
	}

	tests := []struct {
		name   string
		body   map[string]any
		status int
		code   string
		msgHas string
	}{
		{"missing catalog", map[string]any{"displayName": "a", "description": ""}, 400, "BadRequest", "catalog"},
		{"catalog without id", map[string]any{"displayName": "a", "description": "", "catalog": map[string]any{}}, 400, "BadRequest", "catalog"},
		{"unknown catalog", map[string]any{"displayName": "a", "description": "", "catalog": map[string]any{"id": uuid.NewString()}}, 404, "ResourceNotFound", ""},
		{"catalogId property", map[string]any{"displayName": "a", "description": "", "catalogId": cat}, 400, "BadRequest", "catalogId"},
		{"missing displayName", map[string]any{"description": "", "catalog": map[string]any{"id": cat}}, 400, "BadRequest", "displayName"},
		{"missing description", map[string]any{"displayName": "a", "catalog": map[string]any{"id": cat}}, 400, "BadRequest", "description"},
		{"isHidden garbage", map[string]any{"displayName": "a", "description": "", "isHidden": "maybe", "catalog": map[string]any{"id": cat}}, 400, "BadRequest", "isHidden"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.Do("POST", emulatortest.EMPath+"/accessPackages", tc.body)
			govWantErr(t, resp, body, tc.status, tc.code)
			if !strings.Contains(emulatortest.ErrMessage(body), tc.msgHas) {
				t.Errorf("message %q does not contain %q", emulatortest.ErrMessage(body), tc.msgHas)
			}
		})
	}
	t.Run("string boolean and empty description", func(t *testing.T) {
		resp, body := e.Do("POST", emulatortest.EMPath+"/accessPackages", map[string]any{"displayName": "h", "description": "", "isHidden": "true",
			"catalog": map[string]any{"id": cat, "displayName": "Sales"}})
		if resp.StatusCode != 201 || body["isHidden"] != true || body["description"] != "" {
			t.Errorf("%d %v", resp.StatusCode, body)
		}
	})
}

func TestAccessPackageListFilter(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	c1, c2 := govCatalog(e, "One"), govCatalog(e, "Two")
	govPackage(e, c1, "Sales reps")
	govPackage(e, c1, "Marketing")
	govPackage(e, c2, "Big SALES")
	tests := []struct{ path, want string }{
		{"/accessPackages", "Sales reps,Marketing,Big SALES"},
		{"/accessPackages?$filter=" + url.QueryEscape("displayName eq 'Marketing'"), "Marketing"},
		{"/accessPackages?$filter=" + url.QueryEscape("contains(tolower(displayName),'sales')"), "Sales reps,Big SALES"},
		{"/accessPackages?$filter=" + url.QueryEscape("catalog/id eq '"+c2+"'"), "Big SALES"},
		{"/accessPackages?$filter=" + url.QueryEscape("displayName eq 'Big SALES' and catalog/id eq '"+c1+"'"), ""},
		{"/catalogs/" + c1 + "/accessPackages", "Sales reps,Marketing"},
		{"/catalogs/" + c1 + "/accessPackages?$filter=" + url.QueryEscape("displayName eq 'Marketing'"), "Marketing"},
	}
	for _, tc := range tests {
		resp, body := e.Do("GET", emulatortest.EMPath+tc.path, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %v", tc.path, resp.StatusCode, body)
		}
		if got := strings.Join(names(t, body), ","); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.path, got, tc.want)
		}
		for _, p := range govList(t, body) {
			if _, ok := p["catalog"]; ok {
				t.Errorf("catalog without $expand: %v", p)
			}
			// https://learn.microsoft.com/graph/api/entitlementmanagement-list-accesspackages?view=graph-rest-1.0
			// shows @odata.type on each element.
			if p["@odata.type"] != "#microsoft.graph.accessPackage" {
				t.Errorf("%s: element without @odata.type: %v", tc.path, p)
			}
		}
		emulatortest.NoInternal(t, body)
	}
	_, body := e.Do("GET", emulatortest.EMPath+"/accessPackages?$expand=catalog&$filter="+url.QueryEscape("displayName eq 'Big SALES'"), nil)
	if l := govList(t, body); len(l) != 1 || l[0]["catalog"].(map[string]any)["id"] != c2 {
		t.Errorf("expanded list %v", l)
	}
	if resp, body := e.Do("GET", emulatortest.EMPath+"/catalogs/"+uuid.NewString()+"/accessPackages", nil); resp.StatusCode != 404 {
		t.Errorf("unknown catalog %d %v", resp.StatusCode, body)
	}
}

func TestAccessPackageUpdate(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cat := govCatalog(e, "C")
	id := govPackage(e, cat, "Before")
	_, before := e.Do("GET", emulatortest.EMPath+"/accessPackages/"+id, nil)
	time.Sleep(2 * time.Millisecond)
	resp, body := e.Do("PATCH", emulatortest.EMPath+"/accessPackages/"+id, map[string]any{"displayName": "After", "isHidden": true, "description": "new",
		"@odata.type": "#microsoft.graph.accessPackage", "id": id})
	if resp.StatusCode != 204 || body != nil {
		t.Fatalf("PATCH %d %v", resp.StatusCode, body)
	}
	_, got := e.Do("GET", emulatortest.EMPath+"/accessPackages/"+id, nil)
	if got["displayName"] != "After" || got["isHidden"] != true || got["description"] != "new" ||
		got["createdDateTime"] != before["createdDateTime"] || got["modifiedDateTime"] == before["modifiedDateTime"] {
		t.Errorf("after PATCH %v", got)
	}
	bad := []struct {
		name   string
		id     string
		body   map[string]any
		status int
		code   string
	}{
		{"catalog", id, map[string]any{"catalog": map[string]any{"id": govCatalog(e, "Other")}}, 400, "BadRequest"},
		{"same catalog", id, map[string]any{"catalog": map[string]any{"id": cat}}, 400, "BadRequest"},
		{"empty displayName", id, map[string]any{"displayName": ""}, 400, "BadRequest"},
		{"unknown property", id, map[string]any{"state": "x"}, 400, "BadRequest"},
		{"unknown id", uuid.NewString(), map[string]any{"displayName": "x"}, 404, "ResourceNotFound"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.Do("PATCH", emulatortest.EMPath+"/accessPackages/"+tc.id, tc.body)
			govWantErr(t, resp, body, tc.status, tc.code)
		})
	}
	_, got = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+id+"?$expand=catalog", nil)
	if got["displayName"] != "After" || got["catalog"].(map[string]any)["id"] != cat {
		t.Errorf("changed by a failed PATCH: %v", got)
	}
}

func TestAccessPackageDelete(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cat := govCatalog(e, "C")
	gid := govGroup(e, "G")
	res := govOnboard(e, cat, "AadGroup", gid)
	id := govPackage(e, cat, "P")
	govGrant(e, id, res, "Member_"+gid)

	// Blocked by a policy, then by an assignment.
	govPut(e, entitlement.AssignmentPolicies, map[string]any{"id": "pol-1", "displayName": "x", "accessPackage": map[string]any{"id": id}})
	resp, body := e.Do("DELETE", emulatortest.EMPath+"/accessPackages/"+id, nil)
	govWantErr(t, resp, body, 400, "BadRequest")
	if !strings.Contains(emulatortest.ErrMessage(body), "polic") {
		t.Errorf("message %q", emulatortest.ErrMessage(body))
	}
	_, got := e.Do("GET", emulatortest.EMPath+"/accessPackages/"+id+"?$expand=assignmentPolicies", nil)
	if l := got["assignmentPolicies"].([]any); len(l) != 1 || l[0].(map[string]any)["id"] != "pol-1" {
		t.Errorf("assignmentPolicies %v", got["assignmentPolicies"])
	} else if _, ok := l[0].(map[string]any)["accessPackage"]; ok {
		t.Errorf("policy shows accessPackage without $expand: %v", l[0])
	}
	if err := e.Srv.DeleteObject(entitlement.AssignmentPolicies, "pol-1"); err != nil {
		t.Fatal(err)
	}
	govPut(e, entitlement.CollAssignments, map[string]any{"id": "asg-1", "state": "delivered", "accessPackageId": id})
	resp, body = e.Do("DELETE", emulatortest.EMPath+"/accessPackages/"+id, nil)
	govWantErr(t, resp, body, 400, "BadRequest")
	if err := e.Srv.ChangeObject(entitlement.CollAssignments, "asg-1", map[string]any{"state": "expired"}); err != nil {
		t.Fatal(err)
	}

	// Role scopes go with the package.
	if resp, body := e.Do("DELETE", emulatortest.EMPath+"/accessPackages/"+id, nil); resp.StatusCode != 204 {
		t.Fatalf("DELETE %d %v", resp.StatusCode, body)
	}
	if objs, _ := e.Srv.ListObjects(entitlement.CollRoleScopes); len(objs) != 0 {
		t.Errorf("role scopes left: %v", objs)
	}
	resp, body = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+id, nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	resp, body = e.Do("DELETE", emulatortest.EMPath+"/accessPackages/"+id, nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	// The resource can leave the catalog now.
	if resp, body := govRequest(e, "adminRemove", cat, map[string]any{"id": res["id"]}); resp.StatusCode != 201 {
		t.Errorf("remove %d %v", resp.StatusCode, body)
	}
}

func TestAccessPackageExpand(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cat := govCatalog(e, "C")
	gid := govGroup(e, "G")
	res := govOnboard(e, cat, "AadGroup", gid)
	a, b := govPackage(e, cat, "A"), govPackage(e, cat, "B")
	rs := govGrant(e, a, res, "Owner_"+gid)
	if err := e.Srv.AddLink(emulator.LinkIncompatibleAccessPackages, a, b); err != nil {
		t.Fatal(err)
	}
	if err := e.Srv.AddLink(emulator.LinkIncompatibleGroups, a, gid); err != nil {
		t.Fatal(err)
	}
	q := url.Values{"$expand": {"catalog,resourceRoleScopes($expand=role,scope),incompatibleAccessPackages,incompatibleGroups,accessPackagesIncompatibleWith,assignmentPolicies"}}
	resp, got := e.Do("GET", emulatortest.EMPath+"/accessPackages/"+a+"?"+q.Encode(), nil)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %v", resp.StatusCode, got)
	}
	emulatortest.NoInternal(t, got)
	if got["catalog"].(map[string]any)["id"] != cat {
		t.Errorf("catalog %v", got["catalog"])
	}
	rss := got["resourceRoleScopes"].([]any)
	if len(rss) != 1 {
		t.Fatalf("resourceRoleScopes %v", rss)
	}
	item := rss[0].(map[string]any)
	role, scope := item["role"].(map[string]any), item["scope"].(map[string]any)
	if item["id"] != rs["id"] || !emulatortest.GraphTimestamp.MatchString(item["createdDateTime"].(string)) ||
		role["originId"] != "Owner_"+gid || role["displayName"] != "Owner" || role["originSystem"] != "AadGroup" ||
		scope["originId"] != gid || scope["isRootScope"] != true || scope["displayName"] != "Root" || scope["description"] != "Root Scope" {
		t.Errorf("role scope %v", item)
	}
	if l := got["incompatibleAccessPackages"].([]any); len(l) != 1 || l[0].(map[string]any)["id"] != b {
		t.Errorf("incompatibleAccessPackages %v", l)
	}
	if l := got["incompatibleGroups"].([]any); len(l) != 1 || l[0].(map[string]any)["displayName"] != "G" {
		t.Errorf("incompatibleGroups %v", l)
	}
	if l := got["accessPackagesIncompatibleWith"].([]any); len(l) != 0 {
		t.Errorf("accessPackagesIncompatibleWith %v", l)
	}
	if l := got["assignmentPolicies"].([]any); len(l) != 0 {
		t.Errorf("assignmentPolicies %v", l)
	}
	_, got = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+b+"?$expand=accessPackagesIncompatibleWith", nil)
	if l := got["accessPackagesIncompatibleWith"].([]any); len(l) != 1 || l[0].(map[string]any)["id"] != a {
		t.Errorf("accessPackagesIncompatibleWith %v", l)
	}

	// Without nested $expand the role scope has only id and createdDateTime.
	_, got = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+a+"?$expand=resourceRoleScopes", nil)
	item = got["resourceRoleScopes"].([]any)[0].(map[string]any)
	if _, ok := item["role"]; ok || item["id"] != rs["id"] {
		t.Errorf("unexpanded role scope %v", item)
	}
	// Deeper: the role's resource.
	q = url.Values{"$expand": {"resourceRoleScopes($expand=role($expand=resource),scope)"}}
	_, got = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+a+"?"+q.Encode(), nil)
	item = got["resourceRoleScopes"].([]any)[0].(map[string]any)
	if item["role"].(map[string]any)["resource"].(map[string]any)["id"] != res["id"] {
		t.Errorf("role resource %v", item)
	}
	// $select keeps the expansions.
	q = url.Values{"$select": {"displayName"}, "$expand": {"catalog"}}
	_, got = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+a+"?"+q.Encode(), nil)
	if got["displayName"] != "A" || got["catalog"] == nil || got["description"] != nil {
		t.Errorf("select+expand %v", got)
	}
	for _, bad := range []string{"owners", "resourceRoleScopes($expand=owner)", "catalog(", "resourceRoleScopes($expand=role"} {
		resp, body := e.Do("GET", emulatortest.EMPath+"/accessPackages/"+a+"?$expand="+url.QueryEscape(bad), nil)
		if resp.StatusCode != 400 || emulatortest.ErrCode(body) != "BadRequest" {
			t.Errorf("$expand=%s: %d %v", bad, resp.StatusCode, body)
		}
	}
}

func TestEntitlementControl(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	cat := govCatalog(e, "C")
	gid := govGroup(e, "G")
	res := govOnboard(e, cat, "AadGroup", gid)
	p1, p2 := govPackage(e, cat, "P1"), govPackage(e, cat, "P2")
	rs1 := govGrant(e, p1, res, "Member_"+gid)
	rs2 := govGrant(e, p2, res, "Member_"+gid)
	if rs1["id"] != rs2["id"] {
		t.Fatalf("same role scope in two packages: %v / %v", rs1["id"], rs2["id"])
	}
	rsID := rs1["id"].(string)

	// Access packages: change and read out of band.
	if err := e.Srv.ChangeObject("accessPackages", p1, map[string]any{"displayName": "Drifted"}); err != nil {
		t.Fatal(err)
	}
	_, got := e.Do("GET", emulatortest.EMPath+"/accessPackages/"+p1, nil)
	if got["displayName"] != "Drifted" {
		t.Errorf("after ChangeObject %v", got)
	}
	obj, err := e.Srv.GetObject("accessPackages", p1)
	if err != nil || obj["displayName"] != "Drifted" || obj[entitlement.IfCatalogID] != cat {
		t.Errorf("GetObject %v %v", obj, err)
	}
	if objs, err := e.Srv.ListObjects("accessPackages"); err != nil || len(objs) != 2 {
		t.Errorf("ListObjects %v %v", objs, err)
	}

	// Role scopes by their API id.
	obj, err = e.Srv.GetObject("resourceRoleScopes", rsID)
	if err != nil || obj["id"] != rsID {
		t.Fatalf("GetObject role scope %v %v", obj, err)
	}
	if err := e.Srv.DeleteObject("resourceRoleScopes", p2+"_"+rsID); err != nil {
		t.Fatal(err)
	}
	_, got = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+p2+"?$expand=resourceRoleScopes", nil)
	if l := got["resourceRoleScopes"].([]any); len(l) != 0 {
		t.Errorf("p2 role scopes %v", l)
	}
	_, got = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+p1+"?$expand=resourceRoleScopes", nil)
	if l := got["resourceRoleScopes"].([]any); len(l) != 1 {
		t.Errorf("p1 role scopes %v", l)
	}
	if err := e.Srv.DeleteObject("resourceRoleScopes", rsID); err != nil {
		t.Fatal(err)
	}
	if err := e.Srv.DeleteObject("resourceRoleScopes", rsID); err != emulator.ErrNotFound {
		t.Errorf("second delete: %v", err)
	}
	govGrant(e, p1, res, "Member_"+gid)

	// A catalog resource deleted out of band takes roles, scopes and role scopes along.
	if err := e.Srv.ChangeObject("catalogResources", res["id"].(string), map[string]any{"displayName": "Changed"}); err != nil {
		t.Fatal(err)
	}
	if got := govResource(e, cat, gid); got["displayName"] != "Changed" {
		t.Errorf("after ChangeObject %v", got)
	}
	if err := e.Srv.DeleteObject("catalogResources", res["id"].(string)); err != nil {
		t.Fatal(err)
	}
	for _, coll := range []string{entitlement.CollCatalogResources, entitlement.CollCatalogRoles, entitlement.CollCatalogScopes, entitlement.CollRoleScopes} {
		if objs, _ := e.Srv.ListObjects(coll); len(objs) != 0 {
			t.Errorf("%s left: %v", coll, objs)
		}
	}

	// Links out of band, through Go and through the control API.
	if err := e.Srv.AddLink("incompatibleAccessPackages", p1, p2); err != nil {
		t.Fatal(err)
	}
	if err := e.Srv.AddLink("incompatibleAccessPackages", p1, p1); err == nil {
		t.Error("self link accepted")
	}
	if err := e.Srv.AddLink("incompatibleGroups", p1, uuid.NewString()); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("unknown group: %v", err)
	}
	if err := e.Srv.AddLink("bogus", p1, p2); err == nil {
		t.Error("bogus kind accepted")
	}
	_, got = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+p2+"/accessPackagesIncompatibleWith", nil)
	if l := govList(t, got); len(l) != 1 || l[0]["id"] != p1 {
		t.Errorf("reverse %v", l)
	}
	if err := e.Srv.RemoveLink("incompatibleAccessPackages", p1, p2); err != nil {
		t.Fatal(err)
	}
	if err := e.Srv.RemoveLink("incompatibleAccessPackages", p1, p2); err == nil {
		t.Error("second RemoveLink succeeded")
	}
	ctl := func(method, path string) int {
		req, _ := http.NewRequest(method, e.Base+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := ctl("POST", "/_emulator/links/incompatibleGroups/"+p1+"/"+gid); st != 204 {
		t.Errorf("control add %d", st)
	}
	_, got = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+p1+"/incompatibleGroups", nil)
	if l := govList(t, got); len(l) != 1 || l[0]["id"] != gid {
		t.Errorf("groups %v", l)
	}
	if st := ctl("DELETE", "/_emulator/links/incompatibleGroups/"+p1+"/"+gid); st != 204 {
		t.Errorf("control remove %d", st)
	}
	if st := ctl("DELETE", "/_emulator/links/incompatibleGroups/"+p1+"/"+gid); st != 404 {
		t.Errorf("control remove again %d", st)
	}
	if st := ctl("POST", "/_emulator/links/bogus/"+p1+"/"+gid); st != 400 {
		t.Errorf("control bogus kind %d", st)
	}
	// Deleting a package out of band also removes the links to it.
	if err := e.Srv.AddLink("incompatibleAccessPackages", p1, p2); err != nil {
		t.Fatal(err)
	}
	if st := ctl("DELETE", "/_emulator/objects/accessPackages/"+p2); st != 204 {
		t.Errorf("control delete %d", st)
	}
	_, got = e.Do("GET", emulatortest.EMPath+"/accessPackages/"+p1+"/incompatibleAccessPackages", nil)
	if l := govList(t, got); len(l) != 0 {
		t.Errorf("links to a deleted package: %v", l)
	}
	if obj, _ := e.Srv.GetObject("accessPackages", p1); len(wire.StrList(obj[entitlement.IfIncompatiblePackages])) != 0 {
		t.Errorf("stored links %v", obj)
	}
}
