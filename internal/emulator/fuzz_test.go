package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
)

// The fuzz targets call the handler in process (httptest.NewRecorder), so a handler panic fails the
// target instead of being swallowed by net/http, and need no network. Each fuzz worker process builds
// one in-memory tenant; objects a fuzz input creates are deleted again, so every input meets the same
// state and a finding replays from its corpus file alone.

// Fixed ids of the fixture catalog and access package, so fuzz inputs (and their corpus files) can
// reference them.
const (
	fuzzCatalogID = "f0220000-0000-4000-8000-0000000000ca"
	fuzzPackageID = "f0220000-0000-4000-8000-0000000000ac"
)

type fuzzEnv struct {
	srv       *Server
	token     string
	tokenTime time.Time
}

func newFuzzEnv(tb testing.TB) *fuzzEnv {
	tb.Helper()
	testAuthOnce.Do(func() { testAuth, testAuthErr = NewAuthority() })
	if testAuthErr != nil {
		tb.Fatal(testAuthErr)
	}
	srv, err := New(Config{DBPath: ":memory:", Authority: testAuth})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { srv.Close() })
	e := &fuzzEnv{srv: srv}
	e.refreshToken(tb)

	backdated := time.Unix(0, 0)
	const ts = "2024-01-01T00:00:00.0000000Z"
	fixtures := []struct {
		coll string
		doc  map[string]any
	}{
		{collCatalogs, map[string]any{"id": fuzzCatalogID, "displayName": "Fuzz", "description": "fuzz fixture",
			"catalogType": "userManaged", "state": "published", "isExternallyVisible": false,
			"createdDateTime": ts, "modifiedDateTime": ts}},
		{collCatalogs, map[string]any{"id": "f0220000-0000-4000-8000-0000000000cb", "displayName": "Sales (O'Neil)",
			"description": nil, "catalogType": "userManaged", "state": "unpublished", "isExternallyVisible": true,
			"createdDateTime": ts, "modifiedDateTime": ts}},
		{collAccessPackages, map[string]any{"id": fuzzPackageID, "displayName": "Fuzz package", "description": "",
			"isHidden": false, "createdDateTime": ts, "modifiedDateTime": ts, ifCatalogID: fuzzCatalogID}},
	}
	for _, fx := range fixtures {
		if err := srv.Store.Insert(fx.coll, fx.doc["id"].(string), fx.doc, backdated); err != nil {
			tb.Fatal(err)
		}
	}
	return e
}

// refreshToken gets an admin token through the token endpoint (tokens live an hour; long fuzz
// sessions renew them).
func (e *fuzzEnv) refreshToken(tb testing.TB) {
	tb.Helper()
	form := url.Values{
		"grant_type": {"client_credentials"}, "client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret},
		"scope": {"https://graph.microsoft.com/.default"},
	}
	req := httptest.NewRequest(http.MethodPost, "/"+e.srv.TenantID()+"/oauth2/v2.0/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &body) != nil || body.AccessToken == "" {
		tb.Fatalf("token: %d %s", rec.Code, rec.Body)
	}
	e.token, e.tokenTime = body.AccessToken, time.Now()
}

// serve sends one Graph request with the admin token to the handler.
func (e *fuzzEnv) serve(t *testing.T, method, target string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	if time.Since(e.tokenTime) > 30*time.Minute {
		e.refreshToken(t)
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// decodeObject reads a reply as one JSON object, failing the test when it is anything else.
func decodeObject(t *testing.T, what string, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s: %d with Content-Type %q: %s", what, rec.Code, ct, rec.Body)
	}
	var obj map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &obj); err != nil || obj == nil {
		t.Fatalf("%s: %d, body is not a JSON object (%v): %s", what, rec.Code, err, rec.Body)
	}
	return obj
}

// checkGraphError asserts Graph's error shape: {"error": {"code": "...", "message": "..."}}.
func checkGraphError(t *testing.T, what string, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	obj := decodeObject(t, what, rec)
	inner, ok := obj["error"].(map[string]any)
	if !ok {
		t.Fatalf("%s: %d without an error object: %s", what, rec.Code, rec.Body)
	}
	code, _ := inner["code"].(string)
	msg, _ := inner["message"].(string)
	if code == "" || msg == "" {
		t.Fatalf("%s: %d, error without code or message: %s", what, rec.Code, rec.Body)
	}
	return inner
}

// checkCreate posts body to collection and asserts: 201 or a Graph-style 4xx, never 5xx or a panic.
// A created object has a string id, no internal (_-prefixed) fields, reads back with GET under that id
// and deletes (then, for workflows, purges) with 204, which also keeps the tenant's state fixed.
func (e *fuzzEnv) checkCreate(t *testing.T, collection string, body []byte, purge string) {
	t.Helper()
	what := "POST " + collection + " " + strconv.Quote(string(body))
	rec := e.serve(t, http.MethodPost, collection, body)
	switch {
	case rec.Code == http.StatusCreated:
	case rec.Code >= 400 && rec.Code < 500:
		checkGraphError(t, what, rec)
		return
	default:
		t.Fatalf("%s: status %d, want 201 or a 4xx: %s", what, rec.Code, rec.Body)
	}
	obj := decodeObject(t, what, rec)
	id, _ := obj["id"].(string)
	if id == "" {
		t.Fatalf("%s: 201 without an id: %s", what, rec.Body)
	}
	govNoInternal(t, obj)
	get := e.serve(t, http.MethodGet, collection+"/"+url.PathEscape(id), nil)
	if get.Code != http.StatusOK {
		t.Fatalf("%s: created %s, but GET answers %d: %s", what, id, get.Code, get.Body)
	}
	if got := decodeObject(t, "GET "+id, get); got["id"] != id {
		t.Fatalf("%s: GET %s returned id %v", what, id, got["id"])
	}
	for _, target := range []string{collection + "/" + url.PathEscape(id), purge} {
		if target == "" {
			continue
		}
		if purge != "" && target == purge {
			target += "/" + url.PathEscape(id)
		}
		del := e.serve(t, http.MethodDelete, target, nil)
		if del.Code != http.StatusNoContent {
			t.Fatalf("%s: created %s, but DELETE %s answers %d: %s", what, id, target, del.Code, del.Body)
		}
	}
}

// addJSONSeeds adds each value as JSON bytes, plus the malformed bodies every collection must refuse.
func addJSONSeeds(f *testing.F, values ...any) {
	f.Helper()
	for _, v := range values {
		b, err := json.Marshal(v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, raw := range []string{`{"displayName": "a",`, `[]`, `null`, `"x"`, `{}`, `{"displayName":"a"} {}`, ``,
		`{"displayName": 5, "description": ""}`, `{"displayName": "a", "description": "", "foo": 1}`} {
		f.Add([]byte(raw))
	}
}

const (
	fuzzCatalogsPath  = emPath + "/catalogs"
	fuzzPackagesPath  = emPath + "/accessPackages"
	fuzzWorkflowsPath = lwPath + "/workflows"
)

// FuzzCreateCatalog posts arbitrary bodies to the catalogs collection (see checkCreate).
func FuzzCreateCatalog(f *testing.F) {
	addJSONSeeds(f,
		map[string]any{"displayName": "Sales", "description": "Sales resources"},
		map[string]any{"displayName": "a", "description": ""},
		map[string]any{"displayName": "a", "description": "", "isExternallyVisible": "maybe"},
		map[string]any{"displayName": "a", "description": "", "state": "archived"},
		map[string]any{"displayName": "a", "description": "", "catalogType": "serviceDefault"},
		map[string]any{"displayName": " ", "description": ""},
		map[string]any{"displayName": "a"},
		map[string]any{"displayName": "a", "description": "d", "@odata.type": "#microsoft.graph.accessPackageCatalog",
			"@odata.context": "x", "@odata.etag": "W/1", "id": "not-used", "createdDateTime": "2001-01-01T00:00:00Z"},
		map[string]any{"@odata.type": "microsoft.graph.accessPackageCatalog", "displayName": "a", "description": "d"},
		map[string]any{"displayName": "a", "description": "d", "state": "Unpublished", "catalogType": "UserManaged"},
		map[string]any{"displayName": "a", "description": "d", "isExternallyVisible": "true"},
		map[string]any{"displayName": "a", "description": nil, "state": nil, "isExternallyVisible": nil},
	)
	e := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, body []byte) { e.checkCreate(t, fuzzCatalogsPath, body, "") })
}

// FuzzCreateAccessPackage posts arbitrary bodies to the access packages collection, seeded with bodies
// that name the fixture catalog (see checkCreate).
func FuzzCreateAccessPackage(f *testing.F) {
	cat := map[string]any{"id": fuzzCatalogID}
	addJSONSeeds(f,
		map[string]any{"displayName": "Sales reps", "description": "Sales reps", "catalog": cat},
		map[string]any{"displayName": "Hidden", "description": "", "isHidden": true, "catalog": cat},
		map[string]any{"displayName": "x", "description": "", "isHidden": "True", "catalog": map[string]any{"id": strings.ToUpper(fuzzCatalogID)}},
		map[string]any{"displayName": "x", "description": "", "catalog": map[string]any{"id": "00000000-0000-4000-8000-000000000000"}},
		map[string]any{"displayName": "x", "description": "", "catalog": map[string]any{}},
		map[string]any{"displayName": "x", "description": "", "catalog": nil},
		map[string]any{"displayName": "x", "description": "", "catalog": fuzzCatalogID},
		map[string]any{"displayName": "x", "description": "", "catalog": map[string]any{"id": 5}},
		map[string]any{"displayName": "x", "description": ""},
		map[string]any{"displayName": "x", "catalog": cat, "@odata.type": "#microsoft.graph.accessPackage", "id": "x"},
	)
	e := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, body []byte) { e.checkCreate(t, fuzzPackagesPath, body, "") })
}

// fuzzPolicyBase is the valid request-based policy of policies_test.go (polFixture.base) on the fixture
// access package and a seeded group.
func fuzzPolicyBase() map[string]any {
	return requestPolicyBody(fuzzPackageID, lwGroup1)
}

// FuzzCreateAssignmentPolicy posts arbitrary bodies to the assignment policies collection, seeded with
// policies on the fixture access package (see checkCreate).
func FuzzCreateAssignmentPolicy(f *testing.F) {
	pkg := map[string]any{"id": fuzzPackageID}
	minimal := map[string]any{"displayName": "minimal", "description": "", "accessPackage": pkg}
	noExpiry := fuzzPolicyBase()
	noExpiry["expiration"] = map[string]any{"type": "noExpiration"}
	onDate := fuzzPolicyBase()
	onDate["expiration"] = map[string]any{"type": "afterDateTime", "endDateTime": "2031-01-01T00:00:00Z"}
	badDuration := fuzzPolicyBase()
	badDuration["expiration"] = map[string]any{"type": "afterDuration", "duration": "P1X"}
	auto := map[string]any{"displayName": "Auto", "description": "", "accessPackage": pkg,
		"allowedTargetScope":       "specificDirectoryUsers",
		"specificAllowedTargets":   []any{ss("attributeRuleMembers", "description", "Sales", "membershipRule", `(user.department -eq "Sales")`)},
		"automaticRequestSettings": map[string]any{"requestAccessForAllowedTargets": true}}
	addJSONSeeds(f, fuzzPolicyBase(), minimal, noExpiry, onDate, badDuration, auto,
		map[string]any{"displayName": "x", "description": "", "accessPackage": map[string]any{"id": "00000000-0000-4000-8000-000000000000"}},
		map[string]any{"displayName": "x", "description": "", "accessPackage": fuzzPackageID},
		map[string]any{"displayName": "x", "description": "", "accessPackage": pkg, "allowedTargetScope": "allConfiguredConnectedOrganizationUsers"},
		map[string]any{"displayName": "x", "description": "", "accessPackage": pkg, "requestApprovalSettings": map[string]any{"stages": "x"}},
	)
	e := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, body []byte) { e.checkCreate(t, polPath, body, "") })
}

// FuzzCreateConnectedOrganization posts arbitrary bodies to the connected organizations collection,
// seeded with every identity source type of connectedorgs_test.go (see checkCreate).
func FuzzCreateConnectedOrganization(f *testing.F) {
	tenantID := "aaaaaaaa-1111-4111-8111-111111111111"
	addJSONSeeds(f,
		coBody("tenant", map[string]any{"@odata.type": "#microsoft.graph.azureActiveDirectoryTenant", "tenantId": strings.ToUpper(tenantID), "displayName": "Fabrikam"}),
		coBody("cross cloud", map[string]any{"@odata.type": "microsoft.graph.crossCloudAzureActiveDirectoryTenant", "tenantId": tenantID, "displayName": "Gov", "cloudInstance": "microsoftonline.us"}),
		coBody("domain", ss("domainIdentitySource", "domainName", "fabrikam.com", "displayName", "fabrikam.com")),
		coBody("federation", map[string]any{"@odata.type": "#Microsoft.Graph.ExternalDomainFederation", "domainName": "contoso-partner.org", "displayName": "Partner", "issuerUri": "https://sts.contoso-partner.org/adfs"}),
		coBody("social", ss("socialIdentitySource", "displayName", "Facebook", "socialIdentitySourceType", "Facebook")),
		coBody("bad guid", ss("azureActiveDirectoryTenant", "tenantId", "nope", "displayName", "a")),
		coBody("no type", map[string]any{"domainName": "a.com", "displayName": "a"}),
		coBody("single label", ss("domainIdentitySource", "domainName", "localhost", "displayName", "a")),
		map[string]any{"displayName": "X", "description": "", "identitySources": []any{}},
		map[string]any{"displayName": "X", "description": "", "identitySources": "a.com"},
		map[string]any{"displayName": "X", "description": "", "state": "Proposed", "identitySources": []any{ss("domainIdentitySource", "domainName", "a.com", "displayName", "a")}},
		map[string]any{"displayName": "X", "description": "", "internalSponsors": []any{}, "identitySources": []any{ss("domainIdentitySource", "domainName", "a.com", "displayName", "a")}},
	)
	e := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, body []byte) { e.checkCreate(t, coPath, body, "") })
}

// FuzzCreateWorkflow posts arbitrary bodies to the lifecycle workflows collection, seeded with the
// joiner, mover, leaver and on-demand workflows of lifecycle_workflows_test.go (see checkCreate; created
// workflows are deleted and purged from deletedItems).
func FuzzCreateWorkflow(f *testing.F) {
	attrTrigger := lwJoiner("attribute trigger")
	lwSetTrigger(attrTrigger, lwTrigger("attributeChangeTrigger", "triggerAttributes", []any{map[string]any{"name": "department"}}))
	badRule := lwLeaver("bad rule")
	lwEC(badRule)["scope"] = map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.ruleBasedSubjectSet", "rule": "(department -eq 'Sales')"}
	manyTasks := lwOnDemandBody("many tasks")
	lwSetTasks(manyTasks, lwTask("a", lwDefDisable), lwTask("b", lwDefRemoveGroups, "groupID", lwGroup1), lwTask("c", "00000000-0000-0000-0000-000000000000"))
	addJSONSeeds(f, lwLeaver("leaver"), lwJoiner("joiner"), lwMover("mover"), lwOnDemandBody("on demand"),
		attrTrigger, badRule, manyTasks,
		map[string]any{"category": "leaver", "displayName": "no tasks", "executionConditions": map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.onDemandExecutionOnly"}, "tasks": []any{}},
		map[string]any{"category": "joiner,leaver", "displayName": "x", "executionConditions": nil},
	)
	e := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		e.checkCreate(t, fuzzWorkflowsPath, body, lwPath+"/deletedItems/workflows")
	})
}

// fuzzFilterable is a union of the collections' filterable properties, including a nested path.
var fuzzFilterable = []string{"id", "displayName", "description", "state", "catalogType", "isExternallyVisible",
	"isHidden", "catalog/id", "createdDateTime", "category", "version", "continueOnError"}

// fuzzFilterObjects are documents to evaluate accepted filters on: strings, booleans, numbers, null,
// missing properties and nested objects.
var fuzzFilterObjects = []map[string]any{
	{"id": fuzzCatalogID, "displayName": "Sales", "description": nil, "state": "published", "isExternallyVisible": false},
	{"id": "x", "displayName": "O'Neil", "isHidden": true, "catalog": map[string]any{"id": fuzzCatalogID}, "version": 3.0},
	{"displayName": 5.0, "catalog": "not an object", "category": "joiner,leaver", "continueOnError": "true"},
	{},
}

// FuzzFilter checks the $filter parser on any text: it never panics; with no filterable property every
// clause is unsupported and therefore an error; an accepted filter evaluates without panicking, means the
// same in parentheses and combined with itself by and/or; and through the handler (GET catalogs) an
// accepted or blank filter answers 200 with exactly the catalogs it matches, a rejected one 400 with
// Graph's "Invalid filter clause" error, never a 5xx.
func FuzzFilter(f *testing.F) {
	for _, s := range []string{
		"displayName eq 'General'", "displayName eq 'Mary O''Neil'", "startswith(displayName,'Project')",
		"startswith(displayName,'l')", "category eq 'leaver'", "category has 'joiner'", "category has microsoft.graph.x'leaver'",
		"isEnabled eq true and category eq 'mover'", "isExternallyVisible eq false", "id eq '" + fuzzCatalogID + "'",
		"catalog/id eq '" + fuzzCatalogID + "'", "(state eq 'published' and catalog/id eq 'x') or description eq null",
		"contains(tolower(displayName), 'sales')", "endswith(toupper(displayName), 'L)')", "version eq 3",
		"version ne -1.5", "version eq 1.2.3", "displayName eq", "displayName", "(displayName eq 'a'", "displayName eq 'a')",
		"contains(", "contains(displayName", "contains(displayName,", "startswith(tolower(displayName", "displayName gt 'a'",
		"unknown eq 'a'", "displayName eq 'unterminated", "not displayName eq 'a'", "displayName eq 'a' and", "()", "",
		"   ", "\t", "displayName eq 'a' or (description eq null and isHidden ne true)", "category has", "category has x",
	} {
		f.Add(s)
	}
	e := newFuzzEnv(f)
	catalogs, err := e.srv.Store.List(collCatalogs)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, filter string) {
		if _, err := odata.ParseFilter(filter, nil); err == nil {
			t.Fatalf("odata.ParseFilter(%q) with no filterable property succeeded", filter)
		}
		expr, err := odata.ParseFilter(filter, fuzzFilterable)
		if err == nil {
			// s, (s), (s) and (s) and (s) or (s) mean the same.
			for _, wrapped := range []string{"(" + filter + ")", "(" + filter + ") and (" + filter + ")", "(" + filter + ") or (" + filter + ")"} {
				w, err := odata.ParseFilter(wrapped, fuzzFilterable)
				if err != nil {
					t.Fatalf("odata.ParseFilter(%q) accepts it, but odata.ParseFilter(%q) = %v", filter, wrapped, err)
				}
				for _, obj := range fuzzFilterObjects {
					if got, want := w.Eval(obj), expr.Eval(obj); got != want {
						t.Fatalf("%q on %v = %v, but %q = %v", wrapped, obj, got, filter, want)
					}
				}
			}
		}

		// The catalogs collection filters on its own properties.
		catExpr, err := odata.ParseFilter(filter, catalogFilterable)
		rec := e.serve(t, http.MethodGet, fuzzCatalogsPath+"?"+url.Values{"$filter": {filter}}.Encode(), nil)
		what := "GET catalogs?$filter=" + strconv.Quote(filter)
		if err != nil && strings.TrimSpace(filter) != "" {
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("%s: odata.ParseFilter rejects it (%v), but the handler answers %d: %s", what, err, rec.Code, rec.Body)
			}
			if inner := checkGraphError(t, what, rec); !strings.HasPrefix(inner["message"].(string), "Invalid filter clause") {
				t.Fatalf("%s: message %q, want \"Invalid filter clause...\"", what, inner["message"])
			}
			return
		}
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d, want 200: %s", what, rec.Code, rec.Body)
		}
		var want []any
		for _, c := range catalogs {
			if err != nil || catExpr.Eval(c.Body) { // err: a blank filter, which filters nothing
				want = append(want, c.ID)
			}
		}
		var got []any
		values, _ := decodeObject(t, what, rec)["value"].([]any)
		for _, v := range values {
			got = append(got, v.(map[string]any)["id"])
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: answered ids %v, want %v", what, got, want)
		}
	})
}

// lifecycleRuleFuzzSeeds are the valid and invalid rules of TestParseLifecycleRule.
var lifecycleRuleFuzzSeeds = []string{
	"(department eq 'Marketing')",
	"department eq 'Marketing'",
	"(department eq 'Marketing') and (accountEnabled in (true))",
	"(otherMails/any(p:startsWith(p, 'Av')))",
	"(Department EQ 'Sales') OR (jobTitle ne 'Intern')",
	"not (startsWith(displayName, 'Test'))",
	"(country in ('US', 'CA', 'MX')) and (userType eq 'Member')",
	"(employeeOrgData/division eq 'R&D') and (employeeOrgData/costCenter eq '1001')",
	"(onPremisesExtensionAttributes/extensionAttribute15 eq 'x')",
	"(extension_9a8b7c6d5e4f40302010a0b0c0d0e0f1_costCode eq 'A1')",
	"(extension_9a8b7c6d5e4f40302010a0b0c0d0e0f1_n eq -12)",
	"(companyName eq 'O''Brien Ltd')",
	"(proxyAddresses/any(x:x eq 'smtp:a@contoso.com'))",
	"(assignedPlans/any(x:x/servicePlanId eq efb87545-963c-4e0d-99df-69c6916d9eb0 and x/capabilityStatus eq 'Enabled'))",
	"((department eq 'A') or (department eq 'B')) and not (accountEnabled eq false)",
	"(mail eq null)",
	"",
	"(departmen eq 'Sales')",
	"(department eq 'Sales'",
	"(department eq 'Sales'))",
	"(department eq Sales)",
	`(department eq "Sales")`,
	"(department -eq 'Sales')",
	"(department gt 'Sales')",
	"(department eq 'Sales) and (x eq 1)",
	"(accountEnabled eq 'true')",
	"(department eq true)",
	"(department in 'Sales')",
	"(department in ('A' 'B'))",
	"(department eq 'A') and",
	"(department eq 'A') (city eq 'B')",
	"(otherMails eq 'a@b.c')",
	"(otherMails/all(p:startsWith(p, 'Av')))",
	"(department/any(p:p eq 'x'))",
	"(otherMails/any(p:startsWith(q, 'Av')))",
	"(assignedPlans/any(x:x/servicePlanId eq 'nope'))",
	"(assignedPlans/any(x:x eq 'a'))",
	"(startsWith(accountEnabled, 'a'))",
	"(startsWith(department, 1))",
	"(extension_123_name eq 'a')",
	"(onPremisesExtensionAttributes/extensionAttribute16 eq 'x')",
	"(otherMails/any(p:otherMails/any(q:q eq 'x')))",
	"(otherMails/any(department:department eq 'x'))",
	"startsWith(", "otherMails/any(", "otherMails/any(p", "otherMails/any(p:", "not", "-", "(department in (",
}

var lifecycleRuleErrorRE = regexp.MustCompile(`^at position ([0-9]+): \S`)

// FuzzParseLifecycleRule checks the emulator's scope rule parser on any text: it never panics; an error
// reads "at position N: reason" with N a 1-based byte position inside the rule (at most one past its
// end); an accepted rule stays accepted inside extra parentheses and whitespace, negated, and combined
// with itself.
func FuzzParseLifecycleRule(f *testing.F) {
	for _, s := range lifecycleRuleFuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rule string) {
		err := ParseLifecycleRule(rule)
		if err != nil {
			m := lifecycleRuleErrorRE.FindStringSubmatch(err.Error())
			if m == nil {
				t.Fatalf("ParseLifecycleRule(%q) = %q, want \"at position N: reason\"", rule, err)
			}
			if pos, _ := strconv.Atoi(m[1]); pos < 1 || pos > len(rule)+1 {
				t.Fatalf("ParseLifecycleRule(%q): position %d is outside the rule's %d bytes: %v", rule, pos, len(rule), err)
			}
			return
		}
		for _, wrapped := range []string{
			"(" + rule + ")",
			" \t( \n" + rule + "\r\n )  ",
			"((" + rule + "))",
			"not (" + rule + ")",
			"(" + rule + ") and (" + rule + ")",
			"(" + rule + ") or not (" + rule + ")",
		} {
			if err := ParseLifecycleRule(wrapped); err != nil {
				t.Fatalf("ParseLifecycleRule(%q) accepts it, but ParseLifecycleRule(%q) = %v", rule, wrapped, err)
			}
		}
	})
}
