package entitlement_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/google/uuid"
)

func TestCatalogCreateDefaults(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	resp, obj := e.Do("POST", emulatortest.CatalogsPath, map[string]any{"displayName": "Sales", "description": "Sales resources"})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("status %d %v", resp.StatusCode, obj)
	}
	id, _ := obj["id"].(string)
	if _, err := uuid.Parse(id); err != nil {
		t.Fatalf("id %q is not a GUID", id)
	}
	want := map[string]any{"displayName": "Sales", "description": "Sales resources", "catalogType": "userManaged",
		"state": "published", "isExternallyVisible": false,
		"@odata.context": e.Base + "/v1.0/$metadata#identityGovernance/entitlementManagement/catalogs/$entity"}
	for k, v := range want {
		if obj[k] != v {
			t.Errorf("%s = %v, want %v", k, obj[k], v)
		}
	}
	for _, k := range []string{"createdDateTime", "modifiedDateTime"} {
		if s, _ := obj[k].(string); !emulatortest.GraphTimestamp.MatchString(s) {
			t.Errorf("%s = %q, not an RFC 3339 UTC timestamp", k, s)
		}
	}
	if loc := resp.Header.Get("Location"); loc != e.Base+emulatortest.CatalogsPath+"/"+id {
		t.Errorf("Location %q", loc)
	}
	// The created object reads back the same.
	resp, got := e.Do("GET", emulatortest.CatalogsPath+"/"+id, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %d %v", resp.StatusCode, got)
	}
	for k, v := range obj {
		if got[k] != v {
			t.Errorf("GET %s = %v, want %v", k, got[k], v)
		}
	}
}

func TestCatalogCreateValidation(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	tests := []struct {
		name    string
		body    any // string bodies are sent raw
		status  int
		msgHas  []string
		checkFn func(t *testing.T, obj map[string]any)
	}{
		{name: "unknown property", body: map[string]any{"displayName": "a", "description": "", "foo": 1}, status: 400,
			msgHas: []string{"'foo'", "microsoft.graph.accessPackageCatalog"}},
		{name: "displayName number", body: map[string]any{"displayName": 5, "description": ""}, status: 400, msgHas: []string{"displayName"}},
		{name: "bool garbage", body: map[string]any{"displayName": "a", "description": "", "isExternallyVisible": "maybe"}, status: 400,
			msgHas: []string{"isExternallyVisible"}},
		{name: "bad enum", body: map[string]any{"displayName": "a", "description": "", "state": "archived"}, status: 400,
			msgHas: []string{"'archived'", "'state'", "unpublished, published"}},
		{name: "catalogType serviceDefault", body: map[string]any{"displayName": "a", "description": "", "catalogType": "serviceDefault"}, status: 400,
			msgHas: []string{"catalogType"}},
		{name: "missing displayName", body: map[string]any{"description": ""}, status: 400, msgHas: []string{"displayName"}},
		{name: "empty displayName", body: map[string]any{"displayName": " ", "description": ""}, status: 400, msgHas: []string{"displayName"}},
		{name: "missing description", body: map[string]any{"displayName": "a"}, status: 400, msgHas: []string{"description"}},
		{name: "malformed json", body: `{"displayName": "a",`, status: 400},
		{name: "array body", body: `[]`, status: 400},
		{name: "empty description ok", body: map[string]any{"displayName": "a", "description": ""}, status: 201},
		{name: "annotations and read-only ignored", body: map[string]any{"displayName": "a", "description": "d",
			"@odata.type": "#microsoft.graph.accessPackageCatalog", "@odata.context": "x", "@odata.etag": "W/1",
			"id": "not-used", "createdDateTime": "2001-01-01T00:00:00Z"}, status: 201,
			checkFn: func(t *testing.T, obj map[string]any) {
				if obj["id"] == "not-used" || obj["createdDateTime"] == "2001-01-01T00:00:00Z" {
					t.Errorf("read-only input was used: %v", obj)
				}
			}},
		{name: "odata.type without hash", body: map[string]any{"@odata.type": "microsoft.graph.accessPackageCatalog", "displayName": "a", "description": "d"}, status: 201},
		{name: "PascalCase enums", body: map[string]any{"displayName": "a", "description": "d", "state": "Unpublished", "catalogType": "UserManaged"}, status: 201,
			checkFn: func(t *testing.T, obj map[string]any) {
				if obj["state"] != "unpublished" || obj["catalogType"] != "userManaged" {
					t.Errorf("enums not camelCase: %v %v", obj["state"], obj["catalogType"])
				}
			}},
		{name: "string boolean", body: map[string]any{"displayName": "a", "description": "d", "isExternallyVisible": "true"}, status: 201,
			checkFn: func(t *testing.T, obj map[string]any) {
				if obj["isExternallyVisible"] != true {
					t.Errorf("isExternallyVisible = %#v", obj["isExternallyVisible"])
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, obj := e.Do("POST", emulatortest.CatalogsPath, tc.body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %v", resp.StatusCode, tc.status, obj)
			}
			if tc.status == 400 && emulatortest.ErrCode(obj) != "BadRequest" {
				t.Errorf("code %q", emulatortest.ErrCode(obj))
			}
			for _, m := range tc.msgHas {
				if !strings.Contains(emulatortest.ErrMessage(obj), m) {
					t.Errorf("message %q does not contain %q", emulatortest.ErrMessage(obj), m)
				}
			}
			if tc.checkFn != nil {
				tc.checkFn(t, obj)
			}
		})
	}
	t.Run("no content type", func(t *testing.T) {
		resp, obj := e.DoWith(e.Token, "POST", emulatortest.CatalogsPath, map[string]any{"displayName": "a", "description": ""},
			map[string]string{"Content-Type": ""})
		if resp.StatusCode != http.StatusUnsupportedMediaType || obj["error"] == nil {
			t.Fatalf("got %d %v", resp.StatusCode, obj)
		}
	})
	t.Run("body too large", func(t *testing.T) {
		big := `{"displayName":"a","description":"` + strings.Repeat("x", 4<<20) + `"}`
		resp, obj := e.Do("POST", emulatortest.CatalogsPath, big)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || obj["error"] == nil {
			t.Fatalf("got %d", resp.StatusCode)
		}
	})
}

func TestCatalogUpdate(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	c := e.CreateCatalog(map[string]any{"displayName": "Before", "description": "d"})
	id := c["id"].(string)
	time.Sleep(2 * time.Millisecond) // so modifiedDateTime can move
	resp, body := e.Do("PATCH", emulatortest.CatalogsPath+"/"+id, map[string]any{"displayName": "After", "state": "Unpublished",
		"isExternallyVisible": "True", "catalogType": "userManaged", "@odata.type": "#microsoft.graph.accessPackageCatalog"})
	if resp.StatusCode != http.StatusNoContent || body != nil {
		t.Fatalf("PATCH %d %v", resp.StatusCode, body)
	}
	_, got := e.Do("GET", emulatortest.CatalogsPath+"/"+id, nil)
	want := map[string]any{"displayName": "After", "description": "d", "state": "unpublished", "isExternallyVisible": true,
		"createdDateTime": c["createdDateTime"]}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if got["modifiedDateTime"] == c["modifiedDateTime"] {
		t.Error("modifiedDateTime not bumped")
	}
	bad := []struct {
		name   string
		path   string
		body   map[string]any
		status int
		code   string
	}{
		{"empty displayName", id, map[string]any{"displayName": ""}, 400, "BadRequest"},
		{"change catalogType", id, map[string]any{"catalogType": "serviceManaged"}, 400, "BadRequest"},
		{"unknown property", id, map[string]any{"owner": "x"}, 400, "BadRequest"},
		{"bad enum", id, map[string]any{"state": "archived"}, 400, "BadRequest"},
		{"unknown id", uuid.NewString(), map[string]any{"displayName": "x"}, 404, "ResourceNotFound"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.Do("PATCH", emulatortest.CatalogsPath+"/"+tc.path, tc.body)
			if resp.StatusCode != tc.status || emulatortest.ErrCode(body) != tc.code {
				t.Fatalf("got %d %v", resp.StatusCode, body)
			}
		})
	}
	// Failed PATCHes changed nothing.
	_, again := e.Do("GET", emulatortest.CatalogsPath+"/"+id, nil)
	if again["displayName"] != "After" || again["catalogType"] != "userManaged" {
		t.Errorf("object changed by a failed PATCH: %v", again)
	}
}

func TestCatalogDelete(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	c := e.CreateCatalog(map[string]any{"displayName": "Doomed", "description": "d"})
	path := emulatortest.CatalogsPath + "/" + c["id"].(string)
	if resp, body := e.Do("DELETE", path, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE %d %v", resp.StatusCode, body)
	}
	resp, body := e.Do("GET", path, nil)
	if resp.StatusCode != 404 || emulatortest.ErrCode(body) != "ResourceNotFound" || !strings.Contains(emulatortest.ErrMessage(body), "does not exist") {
		t.Fatalf("GET after delete: %d %v", resp.StatusCode, body)
	}
	if resp, body := e.Do("DELETE", path, nil); resp.StatusCode != 404 || emulatortest.ErrCode(body) != "ResourceNotFound" {
		t.Fatalf("second DELETE: %d %v", resp.StatusCode, body)
	}
	// The built-in General catalog cannot be deleted.
	_, list := e.Do("GET", emulatortest.CatalogsPath+"?$filter=displayName+eq+'General'", nil)
	vals := list["value"].([]any)
	if len(vals) != 1 {
		t.Fatalf("General: %v", list)
	}
	g := vals[0].(map[string]any)
	if g["catalogType"] != "serviceDefault" || g["description"] != "Built-in catalog." || g["isExternallyVisible"] != true || g["state"] != "published" {
		t.Errorf("General seed %v", g)
	}
	resp, body = e.Do("DELETE", emulatortest.CatalogsPath+"/"+g["id"].(string), nil)
	if resp.StatusCode != 400 || emulatortest.ErrCode(body) != "BadRequest" {
		t.Fatalf("DELETE General: %d %v", resp.StatusCode, body)
	}
}

func names(t *testing.T, body map[string]any) []string {
	t.Helper()
	vals, ok := body["value"].([]any)
	if !ok {
		t.Fatalf("no value array: %v", body)
	}
	var out []string
	for _, v := range vals {
		out = append(out, v.(map[string]any)["displayName"].(string))
	}
	return out
}

func TestCatalogFilter(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	e.CreateCatalog(map[string]any{"displayName": "O'Brien team", "description": ""})
	e.CreateCatalog(map[string]any{"displayName": "Sales EMEA", "description": "", "state": "unpublished"})
	sales := e.CreateCatalog(map[string]any{"displayName": "Big SALES", "description": ""})
	e.CreateCatalog(map[string]any{"displayName": "Marketing", "description": ""})

	tests := []struct {
		name   string
		filter string // raw query value, already encoded as a client would send it
		want   string
	}{
		{"eq with doubled quote", url.QueryEscape("displayName eq 'O''Brien team'"), "O'Brien team"},
		{"eq plus and %27", "displayName+eq+%27Marketing%27", "Marketing"},
		{"property name case", "DISPLAYNAME+eq+'Marketing'", "Marketing"},
		{"contains tolower", url.QueryEscape("contains(tolower(displayName),'sales')"), "Sales EMEA,Big SALES"},
		{"state eq", url.QueryEscape("state eq 'unpublished'"), "Sales EMEA"},
		{"and", url.QueryEscape("contains(tolower(displayName),'sales') and state eq 'published'"), "Big SALES"},
		{"id eq", url.QueryEscape("id eq '" + strings.ToUpper(sales["id"].(string)) + "'"), "Big SALES"},
		{"no match", url.QueryEscape("displayName eq 'nothing'"), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.Do("GET", emulatortest.CatalogsPath+"?$filter="+tc.filter, nil)
			if resp.StatusCode != 200 {
				t.Fatalf("%d %v", resp.StatusCode, body)
			}
			if got := strings.Join(names(t, body), ","); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if body["@odata.context"] != e.Base+"/v1.0/$metadata#identityGovernance/entitlementManagement/catalogs" {
				t.Errorf("context %v", body["@odata.context"])
			}
		})
	}
	for _, bad := range []string{"displayName gt 'a'", "owner eq 'x'", "displayName eq 'unterminated", "startswith(displayName,", "displayName eq"} {
		t.Run("invalid "+bad, func(t *testing.T) {
			resp, body := e.Do("GET", emulatortest.CatalogsPath+"?$filter="+url.QueryEscape(bad), nil)
			if resp.StatusCode != 400 || emulatortest.ErrCode(body) != "BadRequest" || !strings.Contains(emulatortest.ErrMessage(body), "Invalid filter clause") {
				t.Fatalf("%d %v", resp.StatusCode, body)
			}
		})
	}
}

func TestCatalogPaging(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{PageSize: 2})
	for i := 0; i < 5; i++ {
		e.CreateCatalog(map[string]any{"displayName": "Cat " + string(rune('A'+i)), "description": ""})
	}
	seen := map[string]int{}
	pages := 0
	next := e.Base + emulatortest.CatalogsPath
	for next != "" {
		pages++
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		resp, body := e.Do("GET", next, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%d %v", resp.StatusCode, body)
		}
		for _, n := range names(t, body) {
			seen[n]++
		}
		next, _ = body["@odata.nextLink"].(string)
		if next != "" && (!strings.HasPrefix(next, e.Base+emulatortest.CatalogsPath+"?") || !strings.Contains(next, "$skiptoken=")) {
			t.Fatalf("nextLink %q", next)
		}
	}
	if pages != 3 || len(seen) != 6 {
		t.Fatalf("pages %d, seen %v", pages, seen)
	}
	for n, c := range seen {
		if c != 1 {
			t.Errorf("%s seen %d times", n, c)
		}
	}

	t.Run("nextLink keeps the query", func(t *testing.T) {
		_, body := e.Do("GET", emulatortest.CatalogsPath+"?$filter="+url.QueryEscape("startswith(displayName,'Cat')"), nil)
		next, _ := body["@odata.nextLink"].(string)
		u, err := url.Parse(next)
		if err != nil || u.Query().Get("$filter") != "startswith(displayName,'Cat')" {
			t.Fatalf("nextLink %q", next)
		}
		var all []string
		all = append(all, names(t, body)...)
		for next != "" {
			_, body = e.Do("GET", next, nil)
			all = append(all, names(t, body)...)
			next, _ = body["@odata.nextLink"].(string)
		}
		if strings.Join(all, ",") != "Cat A,Cat B,Cat C,Cat D,Cat E" {
			t.Errorf("got %v", all)
		}
	})
	t.Run("top", func(t *testing.T) {
		_, body := e.Do("GET", emulatortest.CatalogsPath+"?$top=1", nil)
		if got := names(t, body); len(got) != 1 || got[0] != "General" {
			t.Errorf("got %v", got)
		}
		if next, _ := body["@odata.nextLink"].(string); !strings.Contains(next, "$top=1") {
			t.Errorf("nextLink %q", next)
		}
		for _, bad := range []string{"0", "1000", "x"} {
			if resp, body := e.Do("GET", emulatortest.CatalogsPath+"?$top="+bad, nil); resp.StatusCode != 400 {
				t.Errorf("$top=%s: %d %v", bad, resp.StatusCode, body)
			}
		}
	})
	t.Run("bad skiptoken", func(t *testing.T) {
		if resp, body := e.Do("GET", emulatortest.CatalogsPath+"?$skiptoken=zzz", nil); resp.StatusCode != 400 {
			t.Errorf("%d %v", resp.StatusCode, body)
		}
	})
}

// $expand=accessPackages on one catalog and on the list, as
// https://learn.microsoft.com/graph/api/accesspackagecatalog-get?view=graph-rest-1.0 and
// https://learn.microsoft.com/graph/api/entitlementmanagement-list-catalogs?view=graph-rest-1.0 show it.
func TestCatalogExpandAccessPackages(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	staff := govCatalog(e, "Staff catalog")
	empty := govCatalog(e, "Empty")
	sales := govPackage(e, staff, "Sales Team access")
	govPackage(e, govCatalog(e, "Other"), "Elsewhere")

	resp, got := e.Do("GET", emulatortest.CatalogsPath+"/"+staff+"?$expand=accessPackages", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %v", resp.StatusCode, got)
	}
	pkgs, _ := got["accessPackages"].([]any)
	if len(pkgs) != 1 || pkgs[0].(map[string]any)["id"] != sales || pkgs[0].(map[string]any)["displayName"] != "Sales Team access" {
		t.Errorf("accessPackages %v", got["accessPackages"])
	}
	emulatortest.NoInternal(t, got)
	if got["@odata.context"] == nil || got["displayName"] != "Staff catalog" {
		t.Errorf("catalog %v", got)
	}
	// Without $expand, no accessPackages.
	if _, got = e.Do("GET", emulatortest.CatalogsPath+"/"+staff, nil); got["accessPackages"] != nil {
		t.Errorf("accessPackages without $expand: %v", got)
	}
	// The list: each catalog with its own packages ($select keeps the expansion).
	resp, body := e.Do("GET", emulatortest.CatalogsPath+"?$expand=accessPackages($select=id)&$select=id,displayName", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %v", resp.StatusCode, body)
	}
	counts := map[string]int{}
	for _, c := range govList(t, body) {
		l, ok := c["accessPackages"].([]any)
		if !ok {
			t.Fatalf("no accessPackages in %v", c)
		}
		counts[c["id"].(string)] = len(l)
		for _, p := range l {
			if _, has := p.(map[string]any)["displayName"]; has {
				t.Errorf("nested $select ignored: %v", p)
			}
		}
		if _, has := c["description"]; has {
			t.Errorf("$select ignored: %v", c)
		}
	}
	if counts[staff] != 1 || counts[empty] != 0 {
		t.Errorf("packages per catalog %v", counts)
	}
	// An unknown navigation answers 400.
	resp, body = e.Do("GET", emulatortest.CatalogsPath+"/"+staff+"?$expand=resources2", nil)
	govWantErr(t, resp, body, 400, "BadRequest")
}
