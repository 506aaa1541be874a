package beta_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

const (
	betaEM       = "/beta/identityGovernance/entitlementManagement"
	v1EM         = "/v1.0/identityGovernance/entitlementManagement"
	seedGroupID  = "5eed0002-0000-4000-8000-000000000001"
	seedGroup2ID = "5eed0002-0000-4000-8000-000000000002"
	seedUserID   = "5eed0001-0000-4000-8000-000000000001"
)

func must(e *emulatortest.Env, status int, method, path string, body any) map[string]any {
	e.T.Helper()
	resp, obj := e.Do(method, path, body)
	if resp.StatusCode != status {
		e.T.Fatalf("%s %s: got %d, want %d: %v", method, path, resp.StatusCode, status, obj)
	}
	return obj
}

func TestMetadataEndpointsPointAtTheEmulator(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	resp, err := http.Get(e.Base + "/metadata/endpoints?api-version=2022-09-01")
	if err != nil {
		t.Fatal(err)
	}
	doc := emulatortest.Decode(t, resp)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %v", resp.StatusCode, doc)
	}
	want := e.Base + "/"
	auth, _ := doc["authentication"].(map[string]any)
	if doc["microsoftGraphResourceId"] != want || doc["resourceManager"] != want || auth["loginEndpoint"] != want || doc["name"] == "" {
		t.Errorf("document does not point at the emulator (%s): %v", want, doc)
	}
	if aud, _ := auth["audiences"].([]any); len(aud) != 1 || aud[0] != want || auth["tenant"] != "common" {
		t.Errorf("authentication: %v", auth)
	}
	// A token for the resource the document names is accepted by the beta paths.
	resp, tok := e.TokenRequest(e.Srv.TenantID(), url.Values{
		"grant_type": {"client_credentials"}, "client_id": {emulator.DefaultClientID}, "client_secret": {emulator.DefaultClientSecret},
		"scope": {want + ".default"},
	})
	if resp.StatusCode != 200 {
		t.Fatalf("token for %s: %v", want, tok)
	}
	resp, body := e.DoWith(tok["access_token"].(string), "GET", betaEM+"/accessPackageCatalogs", nil, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("beta list with that token: %d %v", resp.StatusCode, body)
	}

	for q, code := range map[string]string{"": "MissingApiVersionParameter", "?api-version=2015-01-01": "InvalidApiVersionParameter"} {
		resp, err := http.Get(e.Base + "/metadata/endpoints" + q)
		if err != nil {
			t.Fatal(err)
		}
		body := emulatortest.Decode(t, resp)
		if resp.StatusCode != 400 || emulatortest.ErrCode(body) != code {
			t.Errorf("%q: %d %v, want 400 %s", q, resp.StatusCode, body, code)
		}
	}
}

func TestBetaAuthAndPermissions(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	resp, body := e.DoWith("", "POST", betaEM+"/accessPackageCatalogs", `{not json`, nil)
	if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("no token: %d %v", resp.StatusCode, body)
	}
	reader := e.GetToken(emulator.ReaderClientID, emulator.ReaderClientSecret)
	resp, body = e.DoWith(reader, "POST", betaEM+"/accessPackageCatalogs", map[string]any{"displayName": "x", "description": "y"}, nil)
	if resp.StatusCode != 403 {
		t.Errorf("reader write: %d %v", resp.StatusCode, body)
	}
	resp, body = e.DoWith(reader, "GET", betaEM+"/accessPackageCatalogs", nil, nil)
	if resp.StatusCode != 200 {
		t.Errorf("reader read: %d %v", resp.StatusCode, body)
	}
	if got := e.Srv.RequestCount().ByRoute["POST "+v1EM+"/catalogs"]; got != 0 {
		t.Errorf("refused beta writes reached v1.0 %d times", got)
	}
}

func TestBetaCatalogIsTheV1Catalog(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	created := must(e, 201, "POST", betaEM+"/accessPackageCatalogs", map[string]any{
		"@odata.type": "#microsoft.graph.accessPackageCatalog", "displayName": "Sales", "description": "Sales things",
		"catalogStatus": "Unpublished", "isExternallyVisible": true,
	})
	id := created["id"].(string)
	if created["catalogStatus"] != "Unpublished" || created["catalogType"] != "UserManaged" || created["isExternallyVisible"] != true {
		t.Errorf("created: %v", created)
	}
	v1 := must(e, 200, "GET", v1EM+"/catalogs/"+id, nil)
	if v1["state"] != "unpublished" || v1["displayName"] != "Sales" || v1["isExternallyVisible"] != true {
		t.Errorf("v1.0 view: %v", v1)
	}
	must(e, 204, "PATCH", betaEM+"/accessPackageCatalogs/"+id, map[string]any{"catalogStatus": "published", "displayName": "Sales 2"})
	v1 = must(e, 200, "GET", v1EM+"/catalogs/"+id, nil)
	if v1["state"] != "published" || v1["displayName"] != "Sales 2" {
		t.Errorf("after beta PATCH, v1.0: %v", v1)
	}
	must(e, 204, "PATCH", v1EM+"/catalogs/"+id, map[string]any{"description": "changed in v1"})
	beta := must(e, 200, "GET", betaEM+"/accessPackageCatalogs/"+id, nil)
	if beta["description"] != "changed in v1" || beta["catalogStatus"] != "Published" {
		t.Errorf("beta after v1 PATCH: %v", beta)
	}
	list := must(e, 200, "GET", betaEM+"/accessPackageCatalogs?$filter="+url.QueryEscape("displayName eq 'Sales 2'"), nil)
	if v := wire.AnySlice(list["value"]); len(v) != 1 || v[0].(map[string]any)["id"] != id {
		t.Errorf("filtered list: %v", list)
	}
	// Errors are v1.0's, relayed.
	resp, body := e.Do("PATCH", betaEM+"/accessPackageCatalogs/"+id, map[string]any{"catalogStatus": "Archived"})
	if resp.StatusCode != 400 || !strings.Contains(emulatortest.ErrMessage(body), "catalogStatus") {
		t.Errorf("bad status: %d %v", resp.StatusCode, body)
	}
	resp, body = e.Do("PATCH", betaEM+"/accessPackageCatalogs/"+id, map[string]any{"bogus": 1})
	if resp.StatusCode != 400 || !strings.Contains(emulatortest.ErrMessage(body), "bogus") {
		t.Errorf("unknown property: %d %v", resp.StatusCode, body)
	}
	must(e, 204, "DELETE", betaEM+"/accessPackageCatalogs/"+id, nil)
	resp, body = e.Do("GET", betaEM+"/accessPackageCatalogs/"+id, nil)
	if resp.StatusCode != 404 || emulatortest.ErrCode(body) != "ResourceNotFound" {
		t.Errorf("after delete: %d %v", resp.StatusCode, body)
	}
}

func TestBetaResourceRequestsAndRoleScopes(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	cat := must(e, 201, "POST", betaEM+"/accessPackageCatalogs", map[string]any{"displayName": "C", "description": "d"})
	catID := cat["id"].(string)
	req := must(e, 201, "POST", betaEM+"/accessPackageResourceRequests", map[string]any{
		"catalogId": catID, "requestType": "AdminAdd", "executeImmediately": true,
		"accessPackageResource": map[string]any{"originId": seedGroupID, "originSystem": "AadGroup"},
	})
	if req["requestState"] != "Delivered" || req["requestType"] != "AdminAdd" || req["catalogId"] != catID {
		t.Errorf("request: %v", req)
	}
	for _, f := range []string{"originId eq '" + seedGroupID + "'", "startswith(originId, '" + seedGroupID[:8] + "')"} {
		list := must(e, 200, "GET", betaEM+"/accessPackageCatalogs/"+catID+"/accessPackageResources?$filter="+url.QueryEscape(f), nil)
		v := wire.AnySlice(list["value"])
		if len(v) != 1 || v[0].(map[string]any)["originSystem"] != "AadGroup" || v[0].(map[string]any)["resourceType"] != "Security Group" {
			t.Fatalf("%s: %v", f, list)
		}
	}
	v1res := must(e, 200, "GET", v1EM+"/catalogs/"+catID+"/resources", nil)
	resID := wire.AnySlice(v1res["value"])[0].(map[string]any)["id"].(string)

	pkg := must(e, 201, "POST", betaEM+"/accessPackages", map[string]any{
		"displayName": "P", "description": "d", "isHidden": true, "catalogId": catID,
		"accessPackageCatalog": map[string]any{"id": catID, "displayName": "C", "catalogStatus": "Published"},
	})
	pkgID := pkg["id"].(string)
	if pkg["catalogId"] != catID || pkg["isHidden"] != true {
		t.Errorf("package: %v", pkg)
	}
	v1pkg := must(e, 200, "GET", v1EM+"/accessPackages/"+pkgID+"?$expand=catalog", nil)
	if v1pkg["catalog"].(map[string]any)["id"] != catID {
		t.Errorf("v1.0 package catalog: %v", v1pkg)
	}
	other := must(e, 201, "POST", betaEM+"/accessPackageCatalogs", map[string]any{"displayName": "O", "description": "d"})
	resp, body := e.Do("PATCH", betaEM+"/accessPackages/"+pkgID, map[string]any{"displayName": "P2", "catalogId": other["id"]})
	if resp.StatusCode != 400 || !strings.Contains(emulatortest.ErrMessage(body), "moving") {
		t.Errorf("move to another catalog: %d %v", resp.StatusCode, body)
	}
	must(e, 204, "PATCH", betaEM+"/accessPackages/"+pkgID, map[string]any{"displayName": "P2", "catalogId": catID, "isHidden": false})

	rs := must(e, 201, "POST", betaEM+"/accessPackages/"+pkgID+"/accessPackageResourceRoleScopes", map[string]any{
		"accessPackageResourceRole": map[string]any{"displayName": "Member", "originId": "Member_" + seedGroupID, "originSystem": "AadGroup",
			"accessPackageResource": map[string]any{"id": resID, "resourceType": "Security Group", "originId": seedGroupID}},
		"accessPackageResourceScope": map[string]any{"originSystem": "AadGroup", "originId": seedGroupID},
	})
	rsID := rs["id"].(string)
	role := rs["accessPackageResourceRole"].(map[string]any)
	if role["originId"] != "Member_"+seedGroupID || rs["accessPackageResourceScope"].(map[string]any)["isRootScope"] != true {
		t.Errorf("role scope: %v", rs)
	}
	must(e, 200, "GET", v1EM+"/accessPackages/"+pkgID+"/resourceRoleScopes/"+rsID, nil)
	got := must(e, 200, "GET", betaEM+"/accessPackages/"+pkgID+"?$expand=accessPackageResourceRoleScopes($expand=accessPackageResourceRole,accessPackageResourceScope)", nil)
	scopes := wire.AnySlice(got["accessPackageResourceRoleScopes"])
	if len(scopes) != 1 || scopes[0].(map[string]any)["id"] != rsID || got["displayName"] != "P2" || got["isHidden"] != false {
		t.Errorf("expanded package: %v", got)
	}
	resp, body = e.Do("GET", betaEM+"/accessPackages/"+pkgID+"?$expand=nothingLikeThis", nil)
	if resp.StatusCode != 400 {
		t.Errorf("unknown expand: %d %v", resp.StatusCode, body)
	}
	// The resource is in use: v1.0 refuses to offboard it, and beta relays that.
	resp, body = e.Do("POST", betaEM+"/accessPackageResourceRequests", map[string]any{
		"catalogId": catID, "requestType": "AdminRemove",
		"accessPackageResource": map[string]any{"originId": seedGroupID, "originSystem": "AadGroup"},
	})
	if resp.StatusCode != 400 {
		t.Errorf("remove while in use: %d %v", resp.StatusCode, body)
	}
	must(e, 204, "DELETE", betaEM+"/accessPackages/"+pkgID+"/accessPackageResourceRoleScopes/"+rsID, nil)
	must(e, 201, "POST", betaEM+"/accessPackageResourceRequests", map[string]any{
		"catalogId": catID, "requestType": "AdminRemove",
		"accessPackageResource": map[string]any{"originId": seedGroupID, "originSystem": "AadGroup"},
	})
	left := must(e, 200, "GET", v1EM+"/catalogs/"+catID+"/resources", nil)
	if len(wire.AnySlice(left["value"])) != 0 {
		t.Errorf("resource still in the catalog: %v", left)
	}
}

func TestBetaPolicyMapsToV1AndBack(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	cat := must(e, 201, "POST", v1EM+"/catalogs", map[string]any{"displayName": "C", "description": "d"})
	pkg := must(e, 201, "POST", v1EM+"/accessPackages", map[string]any{"displayName": "P", "description": "d", "catalog": map[string]any{"id": cat["id"]}})
	pkgID := pkg["id"].(string)

	resp, body := e.Do("POST", betaEM+"/accessPackageAssignmentPolicies", map[string]any{
		"accessPackageId": pkgID, "displayName": "x", "description": "y",
		"requestorSettings": map[string]any{"scopeType": "SpecificDirectorySubjects", "acceptRequests": true},
	})
	if resp.StatusCode != 400 || !strings.Contains(emulatortest.ErrMessage(body), "specificAllowedTargets") {
		t.Errorf("v1.0 rule not relayed: %d %v", resp.StatusCode, body)
	}

	in := map[string]any{
		"accessPackageId": pkgID, "displayName": "Members", "description": "Members request", "canExtend": true, "durationInDays": 90,
		"requestorSettings": map[string]any{"scopeType": "AllExistingDirectoryMemberUsers", "acceptRequests": true},
		"requestApprovalSettings": map[string]any{"isApprovalRequired": true, "isApprovalRequiredForExtension": false,
			"isRequestorJustificationRequired": true, "approvalMode": "SingleStage",
			"approvalStages": []any{map[string]any{"approvalStageTimeOutInDays": 14, "isEscalationEnabled": true, "escalationTimeInMinutes": 2880,
				"primaryApprovers": []any{
					map[string]any{"@odata.type": "#microsoft.graph.groupMembers", "id": seedGroupID, "isBackup": false},
					map[string]any{"@odata.type": "#microsoft.graph.singleUser", "id": seedUserID, "isBackup": true},
				},
				"escalationApprovers": []any{map[string]any{"@odata.type": "#microsoft.graph.requestorManager", "isBackup": false}},
			}}},
		"accessReviewSettings": map[string]any{"isEnabled": true, "recurrenceType": "quarterly", "reviewerType": "Reviewers",
			"startDateTime": "2031-01-06T00:00:00Z", "durationInDays": 7, "accessReviewTimeoutBehavior": "removeAccess",
			"isAccessRecommendationEnabled": true, "isApprovalJustificationRequired": true,
			"reviewers": []any{map[string]any{"@odata.type": "#microsoft.graph.groupMembers", "id": seedGroup2ID, "isBackup": false}}},
		"questions": []any{map[string]any{"@odata.type": "#microsoft.graph.accessPackageTextInputQuestion", "isRequired": true, "sequence": 1,
			"text": map[string]any{"defaultText": "Why?", "localizedTexts": []any{map[string]any{"languageCode": "fr", "text": "Pourquoi ?"}}}}},
	}
	created := must(e, 201, "POST", betaEM+"/accessPackageAssignmentPolicies", in)
	id := created["id"].(string)

	v1 := must(e, 200, "GET", v1EM+"/assignmentPolicies/"+id+"?$expand=accessPackage,questions", nil)
	checks := map[string][2]any{
		"allowedTargetScope": {v1["allowedTargetScope"], "allMemberUsers"},
		"expiration":         {v1["expiration"].(map[string]any)["duration"], "P90D"},
		"selfAdd":            {v1["requestorSettings"].(map[string]any)["enableTargetsToSelfAddAccess"], true},
		"selfUpdate":         {v1["requestorSettings"].(map[string]any)["enableTargetsToSelfUpdateAccess"], true},
		"package":            {v1["accessPackage"].(map[string]any)["id"], pkgID},
	}
	stage := wire.AnySlice(v1["requestApprovalSettings"].(map[string]any)["stages"])[0].(map[string]any)
	checks["deny"] = [2]any{stage["durationBeforeAutomaticDenial"], "P14D"}
	checks["escalation"] = [2]any{stage["durationBeforeEscalation"], "P2D"}
	checks["primary"] = [2]any{wire.AnySlice(stage["primaryApprovers"])[0].(map[string]any)["groupId"], seedGroupID}
	checks["fallback"] = [2]any{wire.AnySlice(stage["fallbackPrimaryApprovers"])[0].(map[string]any)["userId"], seedUserID}
	rv := v1["reviewSettings"].(map[string]any)
	checks["reviewBehavior"] = [2]any{rv["expirationBehavior"], "removeAccess"}
	checks["reviewer"] = [2]any{wire.AnySlice(rv["primaryReviewers"])[0].(map[string]any)["groupId"], seedGroup2ID}
	pattern := rv["schedule"].(map[string]any)["recurrence"].(map[string]any)["pattern"].(map[string]any)
	checks["pattern"] = [2]any{pattern["type"], "absoluteMonthly"}
	checks["interval"] = [2]any{pattern["interval"], float64(3)}
	q := wire.AnySlice(v1["questions"])[0].(map[string]any)
	checks["question"] = [2]any{q["text"], "Why?"}
	checks["localization"] = [2]any{wire.AnySlice(q["localizations"])[0].(map[string]any)["languageCode"], "fr"}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("v1.0 %s = %v, want %v", name, c[0], c[1])
		}
	}

	beta := must(e, 200, "GET", betaEM+"/accessPackageAssignmentPolicies/"+id, nil)
	if beta["durationInDays"] != float64(90) || beta["canExtend"] != true || beta["accessPackageId"] != pkgID {
		t.Errorf("beta read: %v", beta)
	}
	brs := beta["requestorSettings"].(map[string]any)
	bas := beta["requestApprovalSettings"].(map[string]any)
	bst := wire.AnySlice(bas["approvalStages"])[0].(map[string]any)
	brv := beta["accessReviewSettings"].(map[string]any)
	if brs["scopeType"] != "AllExistingDirectoryMemberUsers" || brs["acceptRequests"] != true ||
		bas["isApprovalRequired"] != true || bas["isRequestorJustificationRequired"] != true ||
		bst["approvalStageTimeOutInDays"] != float64(14) || bst["escalationTimeInMinutes"] != float64(2880) ||
		len(wire.AnySlice(bst["primaryApprovers"])) != 2 || wire.AnySlice(bst["primaryApprovers"])[1].(map[string]any)["isBackup"] != true ||
		brv["recurrenceType"] != "quarterly" || brv["reviewerType"] != "Reviewers" || brv["durationInDays"] != float64(7) ||
		wire.AnySlice(beta["questions"])[0].(map[string]any)["text"].(map[string]any)["defaultText"] != "Why?" {
		t.Errorf("beta round trip: %v", beta)
	}

	// A property beta cannot express survives a beta PUT.
	v1put := must(e, 200, "GET", v1EM+"/assignmentPolicies/"+id+"?$expand=accessPackage,questions", nil)
	v1put["notificationSettings"] = map[string]any{"isAssignmentNotificationDisabled": true}
	must(e, 200, "PUT", v1EM+"/assignmentPolicies/"+id, v1put)
	in["displayName"] = "Members 2"
	in["accessReviewSettings"] = nil
	in["requestApprovalSettings"] = nil
	after := must(e, 200, "PUT", betaEM+"/accessPackageAssignmentPolicies/"+id, in)
	if after["displayName"] != "Members 2" || after["accessReviewSettings"] != nil {
		t.Errorf("beta PUT answer: %v", after)
	}
	v1 = must(e, 200, "GET", v1EM+"/assignmentPolicies/"+id, nil)
	if v1["notificationSettings"].(map[string]any)["isAssignmentNotificationDisabled"] != true || v1["reviewSettings"] != nil {
		t.Errorf("after beta PUT, v1.0: %v", v1)
	}
	list := must(e, 200, "GET", betaEM+"/accessPackageAssignmentPolicies?$filter="+url.QueryEscape("accessPackageId eq '"+pkgID+"'"), nil)
	if len(wire.AnySlice(list["value"])) != 1 {
		t.Errorf("filtered list: %v", list)
	}
	must(e, 204, "DELETE", betaEM+"/accessPackageAssignmentPolicies/"+id, nil)
	must(e, 404, "GET", v1EM+"/assignmentPolicies/"+id, nil)
}

func TestBetaListsPageWithBetaLinks(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{PageSize: 2})
	for i := 0; i < 4; i++ {
		must(e, 201, "POST", betaEM+"/accessPackageCatalogs", map[string]any{"displayName": "c", "description": "d"})
	}
	seen := 0
	next := betaEM + "/accessPackageCatalogs?$top=2"
	for next != "" {
		page := must(e, 200, "GET", next, nil)
		seen += len(wire.AnySlice(page["value"]))
		next, _ = page["@odata.nextLink"].(string)
		if next != "" && !strings.Contains(next, "/beta/") {
			t.Fatalf("nextLink leaves beta: %s", next)
		}
	}
	if seen != 5 { // four plus the built-in General catalog
		t.Errorf("paged through %d catalogs, want 5", seen)
	}
}

// TestBetaRequestorSettingsRoundTrip writes every requestor scopeType with acceptRequests
// null (what the azuread provider sends for false: nullable.NoZero in its
// internal/services/identitygovernance/identitygovernance.go), false and true, through a beta
// POST and a beta PUT: a beta read gives back what was written, while v1.0 sees the mapping
// of internal/emulator/beta/policies.go. A v1.0 change of the scope ends the memo.
func TestBetaRequestorSettingsRoundTrip(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	cat := must(e, 201, "POST", v1EM+"/catalogs", map[string]any{"displayName": "C", "description": "d"})
	pkg := must(e, 201, "POST", v1EM+"/accessPackages", map[string]any{"displayName": "P", "description": "d", "catalog": map[string]any{"id": cat["id"]}})
	org := must(e, 201, "POST", v1EM+"/connectedOrganizations", map[string]any{"displayName": "Partner", "description": "d",
		"identitySources": []any{map[string]any{"@odata.type": "#microsoft.graph.domainIdentitySource", "domainName": "partner.example", "displayName": "partner.example"}}})
	v1Scopes := map[string]string{
		"NoSubjects": "notSpecified", "SpecificDirectorySubjects": "specificDirectoryUsers",
		"SpecificConnectedOrganizationSubjects": "specificConnectedOrganizationUsers", "AllExistingDirectoryMemberUsers": "allMemberUsers",
		"AllExistingDirectorySubjects": "allDirectoryUsers", "AllConfiguredConnectedOrganizationSubjects": "allConfiguredConnectedOrganizationUsers",
		"AllExistingConnectedOrganizationSubjects": "allConfiguredConnectedOrganizationUsers", "AllExternalSubjects": "allExternalUsers",
	}
	body := func(scope string, accept any) map[string]any {
		requestors := []any{}
		switch scope {
		case "SpecificDirectorySubjects":
			requestors = []any{map[string]any{"@odata.type": "#microsoft.graph.groupMembers", "id": seedGroupID, "isBackup": false}}
		case "SpecificConnectedOrganizationSubjects":
			requestors = []any{map[string]any{"@odata.type": "#microsoft.graph.connectedOrganizationMembers", "id": org["id"], "isBackup": false}}
		}
		return map[string]any{"accessPackageId": pkg["id"], "displayName": "x", "description": "y",
			"requestorSettings": map[string]any{"scopeType": scope, "acceptRequests": accept, "allowedRequestors": requestors}}
	}
	check := func(what, id, scope string, accept bool) {
		t.Helper()
		got := must(e, 200, "GET", betaEM+"/accessPackageAssignmentPolicies/"+id, nil)
		rs := got["requestorSettings"].(map[string]any)
		if rs["scopeType"] != scope || rs["acceptRequests"] != accept {
			t.Errorf("%s: beta read %v/%v, want %s/%v", what, rs["scopeType"], rs["acceptRequests"], scope, accept)
		}
		v1 := must(e, 200, "GET", v1EM+"/assignmentPolicies/"+id, nil)
		selfAdd := accept && scope != "NoSubjects"
		if v1["allowedTargetScope"] != v1Scopes[scope] || v1["requestorSettings"].(map[string]any)["enableTargetsToSelfAddAccess"] != selfAdd {
			t.Errorf("%s: v1.0 %v/%v, want %s/%v", what, v1["allowedTargetScope"], v1["requestorSettings"], v1Scopes[scope], selfAdd)
		}
	}
	accepts := []any{nil, false, true}
	for scope := range v1Scopes {
		for i, accept := range accepts {
			want := accept == true
			created := must(e, 201, "POST", betaEM+"/accessPackageAssignmentPolicies", body(scope, accept))
			id := created["id"].(string)
			if rs := created["requestorSettings"].(map[string]any); rs["scopeType"] != scope || rs["acceptRequests"] != want {
				t.Errorf("POST %s/%v answered %v", scope, accept, rs)
			}
			check(fmt.Sprintf("POST %s/%v", scope, accept), id, scope, want)
			// A PUT to the next combination, then back.
			next := accepts[(i+1)%len(accepts)]
			must(e, 200, "PUT", betaEM+"/accessPackageAssignmentPolicies/"+id, body(scope, next))
			check(fmt.Sprintf("PUT %s/%v", scope, next), id, scope, next == true)
			other := "AllExistingConnectedOrganizationSubjects"
			if scope == other {
				other = "AllConfiguredConnectedOrganizationSubjects"
			}
			must(e, 200, "PUT", betaEM+"/accessPackageAssignmentPolicies/"+id, body(other, accept))
			check(fmt.Sprintf("PUT %s/%v", other, accept), id, other, want)
			list := must(e, 200, "GET", betaEM+"/accessPackageAssignmentPolicies?$filter="+url.QueryEscape("id eq '"+id+"'"), nil)
			if l := wire.AnySlice(list["value"]); len(l) != 1 || l[0].(map[string]any)["requestorSettings"].(map[string]any)["scopeType"] != other {
				t.Errorf("list after PUT %s: %v", other, list)
			}
			must(e, 204, "DELETE", betaEM+"/accessPackageAssignmentPolicies/"+id, nil)
		}
	}

	// A v1.0 write that changes what the beta values became ends the memo: the beta read is the
	// mapping of the new v1.0 values.
	created := must(e, 201, "POST", betaEM+"/accessPackageAssignmentPolicies", body("AllExistingConnectedOrganizationSubjects", true))
	id := created["id"].(string)
	v1 := must(e, 200, "GET", v1EM+"/assignmentPolicies/"+id+"?$expand=accessPackage,questions", nil)
	v1["allowedTargetScope"] = "allMemberUsers"
	must(e, 200, "PUT", v1EM+"/assignmentPolicies/"+id, v1)
	check("v1.0 PUT allMemberUsers", id, "AllExistingDirectoryMemberUsers", true)
	v1["allowedTargetScope"] = "allConfiguredConnectedOrganizationUsers"
	v1["requestorSettings"].(map[string]any)["enableTargetsToSelfAddAccess"] = false
	must(e, 200, "PUT", v1EM+"/assignmentPolicies/"+id, v1)
	check("v1.0 PUT without self-add", id, "AllConfiguredConnectedOrganizationSubjects", false)
}

// TestBetaAnnualReviewKeepsMonthZero: azuread's review_frequency "annual" is written as
// absoluteYearly, interval 1, with month and dayOfMonth 0 (the service picks them), and reads
// back as annual through beta.
func TestBetaAnnualReviewKeepsMonthZero(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	cat := must(e, 201, "POST", v1EM+"/catalogs", map[string]any{"displayName": "C", "description": "d"})
	pkg := must(e, 201, "POST", v1EM+"/accessPackages", map[string]any{"displayName": "P", "description": "d", "catalog": map[string]any{"id": cat["id"]}})
	created := must(e, 201, "POST", betaEM+"/accessPackageAssignmentPolicies", map[string]any{
		"accessPackageId": pkg["id"], "displayName": "Annual", "description": "d",
		"requestorSettings": map[string]any{"scopeType": "AllExistingDirectoryMemberUsers", "acceptRequests": true},
		"accessReviewSettings": map[string]any{"isEnabled": true, "recurrenceType": "annual", "reviewerType": "Self",
			"startDateTime": "2030-01-07T00:00:00Z", "durationInDays": 14, "accessReviewTimeoutBehavior": "keepAccess",
			"isAccessRecommendationEnabled": nil, "isApprovalJustificationRequired": nil, "reviewers": []any{}},
	})
	id := created["id"].(string)
	v1 := must(e, 200, "GET", v1EM+"/assignmentPolicies/"+id, nil)
	pattern := v1["reviewSettings"].(map[string]any)["schedule"].(map[string]any)["recurrence"].(map[string]any)["pattern"].(map[string]any)
	if pattern["type"] != "absoluteYearly" || pattern["interval"] != float64(1) || pattern["month"] != float64(0) || pattern["dayOfMonth"] != float64(0) {
		t.Errorf("v1.0 pattern of an annual review: %v", pattern)
	}
	beta := must(e, 200, "GET", betaEM+"/accessPackageAssignmentPolicies/"+id, nil)
	if rv := beta["accessReviewSettings"].(map[string]any); rv["recurrenceType"] != "annual" || rv["durationInDays"] != float64(14) || rv["startDateTime"] != "2030-01-07T00:00:00Z" {
		t.Errorf("beta read of an annual review: %v", rv)
	}
}
