package normalise

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
)

const (
	policiesPath = "/v1.0/identityGovernance/entitlementManagement/assignmentPolicies"
	orgsPath     = "/v1.0/identityGovernance/entitlementManagement/connectedOrganizations"
)

// normalised runs Body over a successful JSON answer of method target and decodes the result.
func normalised(t *testing.T, method, target, body string) map[string]any {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	out := Body(method, u, http.StatusOK, "application/json; charset=utf-8", []byte(body))
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("normalised answer is not JSON: %v: %s", err, out)
	}
	return m
}

// at walks a decoded document by keys and indexes ("a", 0, "b").
func at(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: not an object at %q", v, k)
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				t.Fatalf("%v: no element %d", v, k)
			}
			v = l[k]
		}
	}
	return v
}

func ids(t *testing.T, v any, key string) []string {
	t.Helper()
	l, ok := v.([]any)
	if !ok {
		t.Fatalf("not an array: %v", v)
	}
	var out []string
	for _, e := range l {
		out = append(out, e.(map[string]any)[key].(string))
	}
	return out
}

const samplePolicy = `{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/assignmentPolicies/$entity",
  "id": "p1", "displayName": "policy", "description": "", "allowedTargetScope": "specificDirectoryUsers",
  "specificAllowedTargets": [
    {"@odata.type": "#microsoft.graph.singleUser", "userId": "u1"},
    {"@odata.type": "#microsoft.graph.groupMembers", "groupId": "g1"},
    {"@odata.type": "#microsoft.graph.singleUser", "userId": "u2"}
  ],
  "requestorSettings": {"enableTargetsToSelfAddAccess": true, "onBehalfRequestors": []},
  "requestApprovalSettings": {"isApprovalRequiredForAdd": true, "stages": [
    {"durationBeforeAutomaticDenial": "P1D", "primaryApprovers": [
      {"@odata.type": "#microsoft.graph.singleUser", "userId": "a1"},
      {"@odata.type": "#microsoft.graph.singleUser", "userId": "a2"}]},
    {"durationBeforeAutomaticDenial": "P2D", "primaryApprovers": [
      {"@odata.type": "#microsoft.graph.singleUser", "userId": "b1"}]}
  ]},
  "customExtensionStageSettings": [
    {"id": "s1", "stage": "assignmentRequestCreated", "customExtension": {"@odata.type": "#microsoft.graph.accessPackageAssignmentRequestWorkflowExtension", "id": "x1"}},
    {"id": "s2", "stage": "assignmentRequestGranted", "customExtension": {"@odata.type": "#microsoft.graph.accessPackageAssignmentRequestWorkflowExtension", "id": "x2"}}
  ],
  "questions": [
    {"@odata.type": "#microsoft.graph.accessPackageTextInputQuestion", "id": "q1", "sequence": 1, "text": "first"},
    {"@odata.type": "#microsoft.graph.accessPackageTextInputQuestion", "id": "q2", "sequence": 2, "text": "second"}
  ]
}`

func TestNormaliseUnorderedCollections(t *testing.T) {
	got := normalised(t, http.MethodGet, policiesPath+"/p1", samplePolicy)

	// Subject sets are sets: answered in the other order.
	if want, have := []string{"u2", "", "u1"}, userIDs(at(t, got, "specificAllowedTargets")); !reflect.DeepEqual(want, have) {
		t.Errorf("specificAllowedTargets: got %v, want %v", have, want)
	}
	if want, have := []string{"a2", "a1"}, ids(t, at(t, got, "requestApprovalSettings", "stages", 0, "primaryApprovers"), "userId"); !reflect.DeepEqual(want, have) {
		t.Errorf("primaryApprovers of stage 1: got %v, want %v", have, want)
	}
	if want, have := []string{"s2", "s1"}, ids(t, at(t, got, "customExtensionStageSettings"), "id"); !reflect.DeepEqual(want, have) {
		t.Errorf("customExtensionStageSettings: got %v, want %v", have, want)
	}
	// Stages and questions are ordered: they keep theirs.
	if d := at(t, got, "requestApprovalSettings", "stages", 1, "durationBeforeAutomaticDenial"); d != "P2D" {
		t.Errorf("stages reordered: the second stage is %v", d)
	}
	if want, have := []string{"q1", "q2"}, ids(t, at(t, got, "questions"), "id"); !reflect.DeepEqual(want, have) {
		t.Errorf("questions: got %v, want %v", have, want)
	}
}

func userIDs(v any) []string {
	var out []string
	for _, e := range v.([]any) {
		id, _ := e.(map[string]any)["userId"].(string)
		out = append(out, id)
	}
	return out
}

func TestNormaliseTypeWithoutHash(t *testing.T) {
	got := normalised(t, http.MethodGet, policiesPath+"/p1", samplePolicy)
	if ty := at(t, got, "specificAllowedTargets", 0, "@odata.type"); ty != "microsoft.graph.singleUser" {
		t.Errorf("@odata.type = %v, want it without '#'", ty)
	}
	if ty := at(t, got, "questions", 1, "@odata.type"); ty != "microsoft.graph.accessPackageTextInputQuestion" {
		t.Errorf("question @odata.type = %v", ty)
	}
	// Only @odata.type: the context URL keeps its fragment.
	if ctx := got["@odata.context"].(string); !strings.Contains(ctx, "$metadata#identityGovernance") {
		t.Errorf("@odata.context changed: %v", ctx)
	}
}

func TestNormaliseFillsDeclaredProperties(t *testing.T) {
	got := normalised(t, http.MethodGet, policiesPath+"/p1", samplePolicy)
	// Unset complex values are null, unset collections [], sent values untouched.
	if v, has := got["reviewSettings"]; !has || v != nil {
		t.Errorf("reviewSettings = %v (present %v), want null", v, has)
	}
	if v, has := got["automaticRequestSettings"]; !has || v != nil {
		t.Errorf("automaticRequestSettings = %v (present %v), want null", v, has)
	}
	if v := at(t, got, "requestorSettings", "enableTargetsToSelfAddAccess"); v != true {
		t.Errorf("a sent value changed: %v", v)
	}
	if v, has := at(t, got, "requestorSettings").(map[string]any)["enableOnBehalfRequestorsToAddAccess"]; !has || v != nil {
		t.Errorf("requestorSettings.enableOnBehalfRequestorsToAddAccess = %v (present %v), want null", v, has)
	}
	if v := got["description"]; v != "" {
		t.Errorf("description = %v, want the stored \"\"", v)
	}
	// Navigation properties are not filled: they appear only when expanded.
	if _, has := got["accessPackage"]; has {
		t.Error("the accessPackage navigation was filled in")
	}
	// An object whose collection is null is answered [].
	nullColl := normalised(t, http.MethodGet, orgsPath+"/o1", `{"id": "o1", "identitySources": null}`)
	if v, ok := nullColl["identitySources"].([]any); !ok || len(v) != 0 {
		t.Errorf("identitySources = %#v, want []", nullColl["identitySources"])
	}

	// With $select only what was asked for comes back.
	sel := normalised(t, http.MethodGet, policiesPath+"/p1?$select=displayName", `{"id": "p1", "displayName": "policy"}`)
	if len(sel) != 2 {
		t.Errorf("$select answer grew: %v", sel)
	}
	sel = normalised(t, http.MethodGet, "/v1.0/identityGovernance/entitlementManagement/accessPackages/a1?$expand=catalog($select=id)", `{"id": "a1", "catalog": {"id": "c1"}}`)
	if _, has := sel["isHidden"]; has {
		t.Errorf("nested $select answer grew: %v", sel)
	}
}

func TestNormaliseIdentitySourceDisplayName(t *testing.T) {
	got := normalised(t, http.MethodGet, orgsPath+"/o1", `{"id": "o1", "identitySources": [
		{"@odata.type": "#microsoft.graph.domainIdentitySource", "domainName": "fabrikam.example", "displayName": "Fabrikam"}]}`)
	if v := at(t, got, "identitySources", 0, "displayName"); v != "fabrikam.example" {
		t.Errorf("domain source displayName = %v, want the domain name", v)
	}
	got = normalised(t, http.MethodGet, orgsPath+"/o1", `{"id": "o1", "identitySources": [
		{"@odata.type": "#microsoft.graph.azureActiveDirectoryTenant", "tenantId": "t1", "displayName": "Fabrikam"}]}`)
	if v := at(t, got, "identitySources", 0, "displayName"); v != "Fabrikam" {
		t.Errorf("tenant source displayName = %v, want it kept", v)
	}
}

func TestNormaliseCollectionsOfNavigations(t *testing.T) {
	list := `{"value": [{"id": "r1"}, {"id": "r2"}, {"id": "r3"}]}`
	base := "/v1.0/identityGovernance/entitlementManagement/accessPackages/a1/"
	for _, nav := range []string{"resourceRoleScopes", "incompatibleAccessPackages", "incompatibleGroups", "accessPackagesIncompatibleWith"} {
		if got := ids(t, normalised(t, http.MethodGet, base+nav, list)["value"], "id"); !reflect.DeepEqual(got, []string{"r3", "r2", "r1"}) {
			t.Errorf("%s: got %v, want it reversed", nav, got)
		}
	}
	if got := ids(t, normalised(t, http.MethodGet, orgsPath+"/o1/internalSponsors", list)["value"], "id"); !reflect.DeepEqual(got, []string{"r3", "r2", "r1"}) {
		t.Errorf("internalSponsors: got %v, want it reversed", got)
	}
	// Entity sets and ordered navigations keep the order they were answered in.
	for _, target := range []string{
		"/v1.0/identityGovernance/entitlementManagement/accessPackages",
		"/v1.0/identityGovernance/lifecycleWorkflows/workflows/w1/tasks",
		base + "resourceRoleScopes?$orderby=createdDateTime",
	} {
		if got := ids(t, normalised(t, http.MethodGet, target, list)["value"], "id"); !reflect.DeepEqual(got, []string{"r1", "r2", "r3"}) {
			t.Errorf("%s: got %v, want the order kept", target, got)
		}
	}
}

func TestNormaliseWorkflow(t *testing.T) {
	wf := `{"id": "w1", "category": "joiner", "executionConditions": {
	  "@odata.type": "#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions",
	  "scope": {"@odata.type": "#microsoft.graph.identityGovernance.groupBasedSubjectSet", "groups": [{"id": "g1"}, {"id": "g2"}]},
	  "trigger": {"@odata.type": "#microsoft.graph.identityGovernance.attributeChangeTrigger", "triggerAttributes": [{"name": "department"}, {"name": "jobTitle"}]}},
	  "tasks": [
	    {"id": "t1", "executionSequence": 1, "arguments": [{"name": "a", "value": "1"}, {"name": "b", "value": "2"}]},
	    {"id": "t2", "executionSequence": 2, "arguments": []}]}`
	got := normalised(t, http.MethodPost, "/v1.0/identityGovernance/lifecycleWorkflows/workflows/w1/microsoft.graph.identityGovernance.createNewVersion", wf)
	if v := ids(t, at(t, got, "tasks"), "id"); !reflect.DeepEqual(v, []string{"t1", "t2"}) {
		t.Errorf("tasks: got %v, want their order", v)
	}
	if v := ids(t, at(t, got, "tasks", 0, "arguments"), "name"); !reflect.DeepEqual(v, []string{"b", "a"}) {
		t.Errorf("task arguments: got %v, want them reversed", v)
	}
	if v := ids(t, at(t, got, "executionConditions", "scope", "groups"), "id"); !reflect.DeepEqual(v, []string{"g2", "g1"}) {
		t.Errorf("scope groups: got %v, want them reversed", v)
	}
	if v := ids(t, at(t, got, "executionConditions", "trigger", "triggerAttributes"), "name"); !reflect.DeepEqual(v, []string{"jobTitle", "department"}) {
		t.Errorf("trigger attributes: got %v, want them reversed", v)
	}
	if v := at(t, got, "executionConditions", "@odata.type"); v != "microsoft.graph.identityGovernance.triggerAndScopeBasedConditions" {
		t.Errorf("@odata.type = %v", v)
	}
	if v, has := got["deletedDateTime"]; !has || v != nil {
		t.Errorf("deletedDateTime = %v (present %v), want null", v, has)
	}
}

// TestNormaliseLeavesOthersAlone: errors, the directory, other media types and empty bodies are not touched.
func TestNormaliseLeavesOthersAlone(t *testing.T) {
	body := []byte(`{"@odata.type":"#microsoft.graph.user","value":[{"id":"1"},{"id":"2"}]}` + "\n")
	for _, c := range []struct {
		name, path, ctype string
		status            int
		body              []byte
	}{
		{"directory", "/v1.0/users", "application/json", 200, body},
		{"group members", "/v1.0/groups/g1/members", "application/json", 200, body},
		{"error", policiesPath + "/p1", "application/json", 404, body},
		{"not JSON", policiesPath + "/p1", "text/plain", 200, body},
		{"empty", policiesPath + "/p1", "application/json", 204, nil},
		{"not a Graph path", "/v1.0/identityGovernance/somethingElse", "application/json", 200, body},
	} {
		u, _ := url.Parse(c.path)
		if got := Body(http.MethodGet, u, c.status, c.ctype, c.body); string(got) != string(c.body) {
			t.Errorf("%s: changed to %s", c.name, got)
		}
	}
}

func TestClassifyPath(t *testing.T) {
	const em, lw = "/v1.0/identityGovernance/entitlementManagement", "/v1.0/identityGovernance/lifecycleWorkflows"
	for path, want := range map[string]pathTarget{
		em + "/assignmentPolicies":                                               {Type: "microsoft.graph.accessPackageAssignmentPolicy", Collection: true},
		em + "/assignmentPolicies/p1":                                            {Type: "microsoft.graph.accessPackageAssignmentPolicy"},
		em + "/accessPackages/a1/catalog":                                        {Type: "microsoft.graph.accessPackageCatalog"},
		em + "/accessPackages/a1/resourceRoleScopes":                             {Type: "microsoft.graph.accessPackageResourceRoleScope", Collection: true, Owner: "microsoft.graph.accessPackage", Nav: "resourceRoleScopes"},
		em + "/accessPackages/a1/resourceRoleScopes/r1":                          {Type: "microsoft.graph.accessPackageResourceRoleScope"},
		em + "/catalogs/c1/resources/r1/roles":                                   {Type: "microsoft.graph.accessPackageResourceRole", Collection: true},
		em + "/catalogs/c1/customWorkflowExtensions/x1":                          {Type: "microsoft.graph.customCalloutExtension"},
		em + "/settings":                                                         {Type: "microsoft.graph.entitlementManagementSettings"},
		lw + "/settings":                                                         {Type: "microsoft.graph.identityGovernance.lifecycleManagementSettings"},
		lw + "/workflows/w1/tasks":                                               {Type: "microsoft.graph.identityGovernance.task", Collection: true},
		lw + "/deletedItems/workflows/w1/restore":                                {Type: "microsoft.graph.identityGovernance.workflow"},
		lw + "/workflows/w1/microsoft.graph.identityGovernance.createNewVersion": {Type: "microsoft.graph.identityGovernance.workflow"},
		lw + "/workflows/w1/versions/2":                                          {Type: "microsoft.graph.identityGovernance.workflowVersion"},
		strings.ToLower(em) + "/ASSIGNMENTPOLICIES/p1":                           {Type: "microsoft.graph.accessPackageAssignmentPolicy"},
	} {
		got, ok := classifyPath(path)
		if !ok || got != want {
			t.Errorf("%s: got %+v (%v), want %+v", path, got, ok, want)
		}
	}
	for _, path := range []string{"/v1.0/users/u1", "/v1.0/groups", em + "/accessPackages/a1/incompatibleGroups/$ref", "/v1.0/identityGovernance"} {
		if got, ok := classifyPath(path); ok {
			t.Errorf("%s: classified as %+v, want no type", path, got)
		}
	}
}

// TestNormalisedSwitch: off by default; Config.Normalise, SetNormalised and the control API turn it on and
// off; answers through the router and the items of a batch are normalised, stored objects are not.
// TestNormaliseMetadataIsTheDigest keeps metadata.json equal to the types of the v1.0 digest
// (make graph-metadata regenerates the digest; copy its types here with the same fields).
func TestNormaliseMetadataIsTheDigest(t *testing.T) {
	raw, err := os.ReadFile("../../graphmeta/testdata/v1.0-digest.json")
	if err != nil {
		t.Fatal(err)
	}
	var digest struct {
		Types map[string]metaType `json:"types"`
	}
	if err := json.Unmarshal(raw, &digest); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(digest.Types, normaliseTypes()) {
		t.Error("metadata.json differs from internal/graphmeta/testdata/v1.0-digest.json")
	}
	for _, r := range normaliseRules {
		if r.Type == "*" {
			continue
		}
		if _, ok := normaliseTypes()[r.Type]; !ok {
			t.Errorf("rule %s names a type the metadata does not have: %s", r.Name, r.Type)
		}
		if _, _, ok := memberType(r.Type, r.Property); !ok {
			t.Errorf("rule %s names a property %s.%s the metadata does not have", r.Name, r.Type, r.Property)
		}
		if r.Source == "" {
			t.Errorf("rule %s cites no source", r.Name)
		}
	}
}
