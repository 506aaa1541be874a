package entitlement_test

import (
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/entitlement"
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

const (
	fuzzCatalogsPath = emulatortest.EMPath + "/catalogs"
	fuzzPackagesPath = emulatortest.EMPath + "/accessPackages"
)

// newFuzzEnv is the fuzz tenant with a fixture catalog and access package.
func newFuzzEnv(tb testing.TB) *emulatortest.FuzzEnv {
	tb.Helper()
	e := emulatortest.NewFuzzEnv(tb)
	srv := e.Srv
	backdated := time.Unix(0, 0)
	const ts = "2024-01-01T00:00:00.0000000Z"
	fixtures := []struct {
		coll string
		doc  map[string]any
	}{
		{entitlement.Catalogs, map[string]any{"id": fuzzCatalogID, "displayName": "Fuzz", "description": "fuzz fixture",
			"catalogType": "userManaged", "state": "published", "isExternallyVisible": false,
			"createdDateTime": ts, "modifiedDateTime": ts}},
		{entitlement.Catalogs, map[string]any{"id": "f0220000-0000-4000-8000-0000000000cb", "displayName": "Sales (O'Neil)",
			"description": nil, "catalogType": "userManaged", "state": "unpublished", "isExternallyVisible": true,
			"createdDateTime": ts, "modifiedDateTime": ts}},
		{entitlement.AccessPackages, map[string]any{"id": fuzzPackageID, "displayName": "Fuzz package", "description": "",
			"isHidden": false, "createdDateTime": ts, "modifiedDateTime": ts, entitlement.IfCatalogID: fuzzCatalogID}},
	}
	for _, fx := range fixtures {
		if err := srv.Store.Insert(fx.coll, fx.doc["id"].(string), fx.doc, backdated); err != nil {
			tb.Fatal(err)
		}
	}
	return e
}

// FuzzCreateCatalog posts arbitrary bodies to the catalogs collection (see checkCreate).
func FuzzCreateCatalog(f *testing.F) {
	emulatortest.AddJSONSeeds(f,
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
	f.Fuzz(func(t *testing.T, body []byte) { e.CheckCreate(t, fuzzCatalogsPath, body, "") })
}

// FuzzCreateAccessPackage posts arbitrary bodies to the access packages collection, seeded with bodies
// that name the fixture catalog (see checkCreate).
func FuzzCreateAccessPackage(f *testing.F) {
	cat := map[string]any{"id": fuzzCatalogID}
	emulatortest.AddJSONSeeds(f,
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
	f.Fuzz(func(t *testing.T, body []byte) { e.CheckCreate(t, fuzzPackagesPath, body, "") })
}

// fuzzPolicyBase is the valid request-based policy of policies_test.go (polFixture.base) on the fixture
// access package and a seeded group.
func fuzzPolicyBase() map[string]any {
	return requestPolicyBody(fuzzPackageID, emulator.SeedGroupSalesID)
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
	emulatortest.AddJSONSeeds(f, fuzzPolicyBase(), minimal, noExpiry, onDate, badDuration, auto,
		map[string]any{"displayName": "x", "description": "", "accessPackage": map[string]any{"id": "00000000-0000-4000-8000-000000000000"}},
		map[string]any{"displayName": "x", "description": "", "accessPackage": fuzzPackageID},
		map[string]any{"displayName": "x", "description": "", "accessPackage": pkg, "allowedTargetScope": "allConfiguredConnectedOrganizationUsers"},
		map[string]any{"displayName": "x", "description": "", "accessPackage": pkg, "requestApprovalSettings": map[string]any{"stages": "x"}},
	)
	e := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, body []byte) { e.CheckCreate(t, polPath, body, "") })
}

// FuzzCreateConnectedOrganization posts arbitrary bodies to the connected organizations collection,
// seeded with every identity source type of connectedorgs_test.go (see checkCreate).
func FuzzCreateConnectedOrganization(f *testing.F) {
	tenantID := "aaaaaaaa-1111-4111-8111-111111111111"
	emulatortest.AddJSONSeeds(f,
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
	f.Fuzz(func(t *testing.T, body []byte) { e.CheckCreate(t, coPath, body, "") })
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
	catalogs, err := e.Srv.Store.List(entitlement.Catalogs)
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
		catExpr, err := odata.ParseFilter(filter, entitlement.CatalogFilterable)
		rec := e.Serve(t, http.MethodGet, fuzzCatalogsPath+"?"+url.Values{"$filter": {filter}}.Encode(), nil)
		what := "GET catalogs?$filter=" + strconv.Quote(filter)
		if err != nil && strings.TrimSpace(filter) != "" {
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("%s: odata.ParseFilter rejects it (%v), but the handler answers %d: %s", what, err, rec.Code, rec.Body)
			}
			if inner := emulatortest.CheckGraphError(t, what, rec); !strings.HasPrefix(inner["message"].(string), "Invalid filter clause") {
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
		values, _ := emulatortest.DecodeObject(t, what, rec)["value"].([]any)
		for _, v := range values {
			got = append(got, v.(map[string]any)["id"])
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: answered ids %v, want %v", what, got, want)
		}
	})
}
