package entitlement_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/entitlement"
	"github.com/google/uuid"
)

const polPath = emulatortest.EMPath + "/assignmentPolicies"

// Seeded Contoso users (directory_seed.json).
const (
	polUser1 = "5eed0001-0000-4000-8000-000000000001"
	polUser2 = "5eed0001-0000-4000-8000-000000000002"
)

type polFixture struct {
	e                   *emulatortest.Env
	cat, pkg, group, sp string
}

func newPolFixture(t *testing.T) *polFixture {
	t.Helper()
	e := emulatortest.New(t, emulator.Config{})
	f := &polFixture{e: e, cat: govCatalog(e, "Sales")}
	f.pkg = govPackage(e, f.cat, "Sales reps")
	f.group = govGroup(e, "Approvers")
	f.sp, _, _ = govApp(e, "Robot", nil)
	return f
}

// polJSON round-trips a Go value through JSON, so it compares with decoded responses.
func polJSON(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func ss(typ string, kv ...any) map[string]any {
	m := map[string]any{"@odata.type": "#microsoft.graph." + typ}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

// base is a valid request-based policy with two approval stages (the second with
// escalation), a quarterly review and two questions.
func (f *polFixture) base() map[string]any {
	return polJSON(f.e.T, requestPolicyBody(f.pkg, f.group))
}

// requestPolicyBody is the body of polFixture.base for the given access package and group; the
// fuzz targets seed with it too.
func requestPolicyBody(pkg, group string) map[string]any {
	return map[string]any{
		"displayName": "Employees with manager approval", "description": "Members request; manager approves",
		"accessPackage":      map[string]any{"id": pkg},
		"allowedTargetScope": "specificDirectoryUsers",
		"specificAllowedTargets": []any{
			ss("singleUser", "userId", polUser1, "description", "Patti"),
			ss("groupMembers", "groupId", group),
		},
		"automaticRequestSettings": nil,
		"expiration":               map[string]any{"type": "afterDuration", "duration": "P180D", "endDateTime": nil},
		"requestorSettings": map[string]any{
			"enableTargetsToSelfAddAccess": true, "enableTargetsToSelfUpdateAccess": true,
			"enableTargetsToSelfRemoveAccess": true, "allowCustomAssignmentSchedule": false,
			"enableOnBehalfRequestorsToAddAccess": true, "enableOnBehalfRequestorsToUpdateAccess": false,
			"enableOnBehalfRequestorsToRemoveAccess": false,
			"onBehalfRequestors":                     []any{ss("targetManager", "managerLevel", 1)},
		},
		"requestApprovalSettings": map[string]any{
			"isApprovalRequiredForAdd": true, "isApprovalRequiredForUpdate": false, "isRequestorJustificationRequired": true,
			"stages": []any{
				map[string]any{
					"durationBeforeAutomaticDenial": "P7D", "isApproverJustificationRequired": true,
					"isEscalationEnabled": false, "durationBeforeEscalation": "PT0S",
					"primaryApprovers":         []any{ss("requestorManager", "managerLevel", 1)},
					"fallbackPrimaryApprovers": []any{ss("groupMembers", "groupId", group)},
					"escalationApprovers":      []any{}, "fallbackEscalationApprovers": []any{},
					"approverInformationVisibility": "visible",
				},
				map[string]any{
					"durationBeforeAutomaticDenial": "P14D", "isApproverJustificationRequired": false,
					"isEscalationEnabled": true, "durationBeforeEscalation": "P3D",
					"primaryApprovers":            []any{ss("singleUser", "userId", polUser2)},
					"fallbackPrimaryApprovers":    []any{},
					"escalationApprovers":         []any{ss("singleUser", "userId", polUser1)},
					"fallbackEscalationApprovers": []any{ss("internalSponsors")},
				},
			},
		},
		"reviewSettings": map[string]any{
			"isEnabled": true, "expirationBehavior": "removeAccess", "isRecommendationEnabled": true,
			"isReviewerJustificationRequired": true, "isSelfReview": false,
			"primaryReviewers":  []any{ss("requestorManager", "managerLevel", 1)},
			"fallbackReviewers": []any{ss("singleUser", "userId", polUser2)},
			"schedule": map[string]any{
				"startDateTime": "2030-01-01T00:00:00Z",
				"expiration":    map[string]any{"type": "afterDuration", "duration": "P14D", "endDateTime": nil},
				"recurrence": map[string]any{
					"pattern": map[string]any{"type": "absoluteMonthly", "interval": 3, "month": 0, "dayOfMonth": 0, "daysOfWeek": []any{}},
					"range":   map[string]any{"type": "noEnd", "numberOfOccurrences": 0},
				},
			},
		},
		"notificationSettings": map[string]any{"isAssignmentNotificationDisabled": true},
		"questions": []any{
			map[string]any{
				"@odata.type": "#microsoft.graph.accessPackageTextInputQuestion",
				"sequence":    1, "isRequired": true, "isAnswerEditable": true, "text": "Business justification?",
				"localizations":        []any{map[string]any{"languageCode": "fr-CA", "text": "Justification?"}},
				"isSingleLineQuestion": false, "regexPattern": "^[A-Z].*",
			},
			map[string]any{
				"@odata.type": "#microsoft.graph.accessPackageMultipleChoiceQuestion",
				"sequence":    2, "isRequired": false, "isAnswerEditable": false, "text": "Office?", "localizations": []any{},
				"isMultipleSelectionAllowed": true,
				"choices": []any{
					map[string]any{"actualValue": "nyc", "text": "New York", "localizations": []any{}},
					map[string]any{"actualValue": "sea", "text": "Seattle", "localizations": []any{map[string]any{"languageCode": "fr", "text": "Seattle"}}},
				},
			},
		},
		"customExtensionStageSettings": []any{},
	}
}

func (f *polFixture) minimal(name string) map[string]any {
	return map[string]any{"displayName": name, "description": "", "accessPackage": map[string]any{"id": f.pkg}}
}

func (f *polFixture) create(body map[string]any) map[string]any {
	f.e.T.Helper()
	resp, obj := f.e.Do("POST", polPath, body)
	if resp.StatusCode != http.StatusCreated {
		f.e.T.Fatalf("create policy: %d %v", resp.StatusCode, obj)
	}
	return obj
}

// polSubset fails unless every member of want is in got with an equal value (arrays
// compared element-wise with the same length).
func polSubset(t *testing.T, path string, want, got any) {
	t.Helper()
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			t.Errorf("%s: got %v, want object %v", path, got, want)
			return
		}
		for k, v := range w {
			gv, present := g[k]
			if !present {
				t.Errorf("%s.%s missing (want %v)", path, k, v)
				continue
			}
			polSubset(t, path+"."+k, v, gv)
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			t.Errorf("%s: got %v, want %v", path, got, want)
			return
		}
		for i := range w {
			polSubset(t, fmt.Sprintf("%s[%d]", path, i), w[i], g[i])
		}
	default:
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%s = %v, want %v", path, got, want)
		}
	}
}

const polFullExpand = "accessPackage,catalog,questions,customExtensionStageSettings($expand=customExtension)"

func TestPolicyRoundTrip(t *testing.T) {
	t.Parallel()
	f := newPolFixture(t)
	ext := f.createExtension(f.cat, entitlement.ExtTypeRequest)
	in := f.base()
	in["customExtensionStageSettings"] = []any{map[string]any{"stage": "assignmentRequestCreated",
		"customExtension": map[string]any{"id": ext}}}
	resp, created := f.e.Do("POST", polPath, in)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("%d %v", resp.StatusCode, created)
	}
	id, _ := created["id"].(string)
	if _, err := uuid.Parse(id); err != nil {
		t.Fatalf("id %q", id)
	}
	if loc := resp.Header.Get("Location"); loc != f.e.Base+polPath+"/"+id {
		t.Errorf("Location %q", loc)
	}
	if created["@odata.context"] != f.e.Base+"/v1.0/$metadata#identityGovernance/entitlementManagement/assignmentPolicies/$entity" {
		t.Errorf("context %v", created["@odata.context"])
	}
	for _, k := range []string{"createdDateTime", "modifiedDateTime"} {
		if s, _ := created[k].(string); !emulatortest.GraphTimestamp.MatchString(s) {
			t.Errorf("%s = %q", k, created[k])
		}
	}
	for _, k := range []string{"accessPackage", "catalog"} {
		if _, ok := created[k]; ok {
			t.Errorf("create response has %s", k)
		}
	}
	emulatortest.NoInternal(t, created)

	resp, got := f.e.Do("GET", polPath+"/"+id+"?$expand="+url.QueryEscape(polFullExpand), nil)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %d %v", resp.StatusCode, got)
	}
	emulatortest.NoInternal(t, got)
	// The sent body comes back, server fields and defaults added.
	want := f.base()
	delete(want, "accessPackage")
	delete(want, "customExtensionStageSettings")
	stages := want["requestApprovalSettings"].(map[string]any)["stages"].([]any)
	stages[1].(map[string]any)["approverInformationVisibility"] = "default"
	polSubset(t, "policy", want, got)
	// The create response equals the GET, apart from the expansions.
	for k, v := range created {
		if k == "@odata.context" || k == "customExtensionStageSettings" {
			continue
		}
		polSubset(t, k, v, got[k])
	}
	if ap, _ := got["accessPackage"].(map[string]any); ap["id"] != f.pkg || ap["displayName"] != "Sales reps" {
		t.Errorf("accessPackage %v", got["accessPackage"])
	}
	if c, _ := got["catalog"].(map[string]any); c["id"] != f.cat {
		t.Errorf("catalog %v", got["catalog"])
	}
	qs := got["questions"].([]any)
	for i, q := range qs {
		qid, _ := q.(map[string]any)["id"].(string)
		if _, err := uuid.Parse(qid); err != nil {
			t.Errorf("question %d id %q", i, qid)
		}
		if qid != created["questions"].([]any)[i].(map[string]any)["id"] {
			t.Errorf("question %d id changed", i)
		}
	}
	settings := got["customExtensionStageSettings"].([]any)
	if len(settings) != 1 {
		t.Fatalf("settings %v", settings)
	}
	st := settings[0].(map[string]any)
	ce, _ := st["customExtension"].(map[string]any)
	if st["stage"] != "assignmentRequestCreated" || ce["id"] != ext || ce["displayName"] != "Ext" ||
		ce["@odata.type"] != "#microsoft.graph."+entitlement.ExtTypeRequest {
		t.Errorf("setting %v", st)
	}
	cst := created["customExtensionStageSettings"].([]any)[0].(map[string]any)
	if cst["id"] != st["id"] || !reflect.DeepEqual(cst["customExtension"], map[string]any{"@odata.type": "#microsoft.graph." + entitlement.ExtTypeRequest, "id": ext}) {
		t.Errorf("created setting %v", cst)
	}
}

func TestPolicyDefaults(t *testing.T) {
	t.Parallel()
	f := newPolFixture(t)
	created := f.create(f.minimal("Admin only"))
	_, got := f.e.Do("GET", polPath+"/"+created["id"].(string)+"?$expand=questions,customExtensionStageSettings", nil)
	want := map[string]any{
		"displayName": "Admin only", "description": "", "allowedTargetScope": "notSpecified",
		"specificAllowedTargets":   []any{},
		"automaticRequestSettings": nil,
		"reviewSettings":           nil,
		"expiration":               map[string]any{"type": "notSpecified", "endDateTime": nil, "duration": nil},
		"requestorSettings": map[string]any{
			"enableTargetsToSelfAddAccess": false, "enableTargetsToSelfUpdateAccess": false,
			"enableTargetsToSelfRemoveAccess": false, "allowCustomAssignmentSchedule": false,
			"enableOnBehalfRequestorsToAddAccess": false, "enableOnBehalfRequestorsToUpdateAccess": false,
			"enableOnBehalfRequestorsToRemoveAccess": false, "onBehalfRequestors": []any{},
		},
		"requestApprovalSettings": map[string]any{"isApprovalRequiredForAdd": false, "isApprovalRequiredForUpdate": false,
			"isRequestorJustificationRequired": false, "stages": []any{}},
		"notificationSettings":         map[string]any{"isAssignmentNotificationDisabled": false},
		"questions":                    []any{},
		"customExtensionStageSettings": []any{},
	}
	for k, v := range want {
		if !reflect.DeepEqual(got[k], v) {
			t.Errorf("%s = %#v, want %#v", k, got[k], v)
		}
	}

	// Defaults inside given objects.
	in := f.base()
	st := in["requestApprovalSettings"].(map[string]any)["stages"].([]any)[0].(map[string]any)
	delete(st, "durationBeforeEscalation")
	delete(st, "approverInformationVisibility")
	rv := in["reviewSettings"].(map[string]any)
	delete(rv, "isRecommendationEnabled")
	delete(rv, "isReviewerJustificationRequired")
	delete(rv, "expirationBehavior")
	in["expiration"] = map[string]any{"type": "afterDuration", "duration": "p14dt12h"}
	got = f.create(in)
	st = got["requestApprovalSettings"].(map[string]any)["stages"].([]any)[0].(map[string]any)
	if st["durationBeforeEscalation"] != "PT0S" || st["approverInformationVisibility"] != "default" {
		t.Errorf("stage defaults %v", st)
	}
	rv = got["reviewSettings"].(map[string]any)
	if rv["isRecommendationEnabled"] != true || rv["isReviewerJustificationRequired"] != true || rv["expirationBehavior"] != "keepAccess" {
		t.Errorf("review defaults %v", rv)
	}
	if e := got["expiration"].(map[string]any); e["duration"] != "P14DT12H" || e["endDateTime"] != nil {
		t.Errorf("expiration %v", e)
	}
	pat := rv["schedule"].(map[string]any)["recurrence"].(map[string]any)["pattern"].(map[string]any)
	if pat["firstDayOfWeek"] != nil || pat["index"] != nil || pat["interval"] != float64(3) {
		t.Errorf("pattern %v", pat)
	}
}

func TestPolicyExpandGating(t *testing.T) {
	t.Parallel()
	f := newPolFixture(t)
	id := f.create(f.base())["id"].(string)
	_, plain := f.e.Do("GET", polPath+"/"+id, nil)
	for _, k := range []string{"questions", "customExtensionStageSettings", "accessPackage", "catalog"} {
		if _, ok := plain[k]; ok {
			t.Errorf("plain GET returns %s", k)
		}
	}
	if plain["displayName"] != "Employees with manager approval" || plain["requestApprovalSettings"] == nil {
		t.Errorf("plain GET %v", plain)
	}
	_, q := f.e.Do("GET", polPath+"/"+id+"?$expand=questions", nil)
	if l, _ := q["questions"].([]any); len(l) != 2 {
		t.Errorf("questions %v", q["questions"])
	}
	if _, ok := q["accessPackage"]; ok {
		t.Error("accessPackage without $expand")
	}
	_, sel := f.e.Do("GET", polPath+"/"+id+"?$select=displayName,questions", nil)
	if l, _ := sel["questions"].([]any); len(l) != 2 || sel["description"] != nil {
		t.Errorf("$select %v", sel)
	}
	_, ap := f.e.Do("GET", polPath+"/"+id+"?$expand=accessPackage($expand=catalog)", nil)
	if a, _ := ap["accessPackage"].(map[string]any); a["id"] != f.pkg || a["catalog"].(map[string]any)["id"] != f.cat {
		t.Errorf("nested expand %v", ap["accessPackage"])
	}
	resp, body := f.e.Do("GET", polPath+"/"+id+"?$expand=owner", nil)
	govWantErr(t, resp, body, 400, "BadRequest")

	// Collection: filters and $expand.
	other := govPackage(f.e, f.cat, "Other")
	m := f.minimal("Second")
	m["accessPackage"] = map[string]any{"id": other}
	f.create(m)
	for filter, n := range map[string]int{
		"displayName eq 'Employees with manager approval'":     1,
		"displayName eq 'second'":                              1,
		"accessPackage/id eq '" + other + "'":                  1,
		"accessPackage/id eq '" + strings.ToUpper(f.pkg) + "'": 1,
		"displayName eq 'none'":                                0,
	} {
		q := url.Values{"$filter": {filter}, "$expand": {"accessPackage"}}
		resp, body := f.e.Do("GET", polPath+"?"+q.Encode(), nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %v", filter, resp.StatusCode, body)
		}
		list := govList(t, body)
		if len(list) != n {
			t.Errorf("%s: %d items", filter, len(list))
		}
		for _, p := range list {
			if p["accessPackage"] == nil {
				t.Errorf("%s: no accessPackage: %v", filter, p)
			}
			if _, ok := p["questions"]; ok {
				t.Errorf("questions in list")
			}
		}
	}
	// Under the package.
	_, pkg := f.e.Do("GET", emulatortest.EMPath+"/accessPackages/"+f.pkg+"?$expand=assignmentPolicies($expand=questions)", nil)
	pl, _ := pkg["assignmentPolicies"].([]any)
	if len(pl) != 1 {
		t.Fatalf("package policies %v", pkg["assignmentPolicies"])
	}
	p := pl[0].(map[string]any)
	if p["id"] != id || len(p["questions"].([]any)) != 2 || p["accessPackage"] != nil {
		t.Errorf("package policy %v", p)
	}
	emulatortest.NoInternal(t, pkg)
	// The contained path is not served (spec 1 path pitfall [I]).
	for _, method := range []string{"GET", "POST"} {
		resp, body := f.e.Do(method, emulatortest.EMPath+"/accessPackages/"+f.pkg+"/assignmentPolicies", map[string]any{})
		if resp.StatusCode != 404 || emulatortest.ErrCode(body) != "" || !strings.HasPrefix(emulatortest.ErrMessage(body), "No HTTP resource was found that matches the request URI") {
			t.Errorf("%s contained path: %d %q %q", method, resp.StatusCode, emulatortest.ErrCode(body), emulatortest.ErrMessage(body))
		}
	}
	resp, body = f.e.Do("GET", polPath+"/"+uuid.NewString(), nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
}

func TestPolicyReplace(t *testing.T) {
	t.Parallel()
	f := newPolFixture(t)
	created := f.create(f.base())
	id := created["id"].(string)
	qids := []string{created["questions"].([]any)[0].(map[string]any)["id"].(string),
		created["questions"].([]any)[1].(map[string]any)["id"].(string)}

	// Keep the first question (by id), drop the second, add a new one; reset the rest.
	put := f.minimal("Renamed")
	put["id"] = id
	put["automaticRequestSettings"] = nil
	q1 := f.base()["questions"].([]any)[0].(map[string]any)
	q1["id"] = qids[0]
	q1["text"] = "Changed?"
	q3 := map[string]any{"@odata.type": "microsoft.graph.accessPackageTextInputQuestion", "sequence": 3, "text": "New?"}
	put["questions"] = []any{q1, q3}
	resp, got := f.e.Do("PUT", polPath+"/"+id, put)
	if resp.StatusCode != 200 {
		t.Fatalf("PUT %d %v", resp.StatusCode, got)
	}
	if got["displayName"] != "Renamed" || got["id"] != id || got["createdDateTime"] != created["createdDateTime"] {
		t.Errorf("PUT response %v", got)
	}
	_, after := f.e.Do("GET", polPath+"/"+id+"?$expand=questions,accessPackage", nil)
	if after["allowedTargetScope"] != "notSpecified" || len(after["specificAllowedTargets"].([]any)) != 0 ||
		after["reviewSettings"] != nil || len(after["requestApprovalSettings"].(map[string]any)["stages"].([]any)) != 0 ||
		after["notificationSettings"].(map[string]any)["isAssignmentNotificationDisabled"] != false ||
		after["expiration"].(map[string]any)["type"] != "notSpecified" {
		t.Errorf("omitted properties not reset: %v", after)
	}
	qs := after["questions"].([]any)
	if len(qs) != 2 || qs[0].(map[string]any)["id"] != qids[0] || qs[0].(map[string]any)["text"] != "Changed?" {
		t.Fatalf("questions %v", qs)
	}
	if nid := qs[1].(map[string]any)["id"].(string); nid == qids[0] || nid == qids[1] || uuid.Validate(nid) != nil {
		t.Errorf("new question id %q", nid)
	}
	if ap, _ := after["accessPackage"].(map[string]any); ap["id"] != f.pkg {
		t.Errorf("accessPackage %v", after["accessPackage"])
	}

	// Moving, mismatched id, missing package, unknown policy.
	other := govPackage(f.e, f.cat, "Other")
	mv := f.minimal("x")
	mv["accessPackage"] = map[string]any{"id": other}
	resp, body := f.e.Do("PUT", polPath+"/"+id, mv)
	govWantErr(t, resp, body, 400, "BadRequest")
	if !strings.HasPrefix(emulatortest.ErrMessage(body), "accessPackage.id: a policy cannot be moved") {
		t.Errorf("message %q", emulatortest.ErrMessage(body))
	}
	bad := f.minimal("x")
	bad["id"] = uuid.NewString()
	resp, body = f.e.Do("PUT", polPath+"/"+id, bad)
	govWantErr(t, resp, body, 400, "BadRequest")
	if !strings.HasPrefix(emulatortest.ErrMessage(body), "id: ") {
		t.Errorf("message %q", emulatortest.ErrMessage(body))
	}
	noPkg := f.minimal("x")
	delete(noPkg, "accessPackage")
	resp, body = f.e.Do("PUT", polPath+"/"+id, noPkg)
	govWantErr(t, resp, body, 400, "BadRequest")
	resp, body = f.e.Do("PUT", polPath+"/"+uuid.NewString(), f.minimal("x"))
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	resp, body = f.e.Do("PATCH", polPath+"/"+id, map[string]any{"displayName": "y"})
	govWantErr(t, resp, body, 405, "Request_BadRequest")
	_, still := f.e.Do("GET", polPath+"/"+id, nil)
	if still["displayName"] != "Renamed" {
		t.Errorf("changed by failed requests: %v", still)
	}
}

func TestPolicyDelete(t *testing.T) {
	t.Parallel()
	f := newPolFixture(t)
	id := f.create(f.minimal("P"))["id"].(string)

	// The package cannot go while it has the policy.
	resp, body := f.e.Do("DELETE", emulatortest.EMPath+"/accessPackages/"+f.pkg, nil)
	govWantErr(t, resp, body, 400, "BadRequest")

	govPut(f.e, entitlement.CollAssignments, map[string]any{"id": "asg-1", "state": "delivered", "assignmentPolicy": map[string]any{"id": id}})
	resp, body = f.e.Do("DELETE", polPath+"/"+id, nil)
	govWantErr(t, resp, body, 400, "BadRequest")
	if err := f.e.Srv.ChangeObject(entitlement.CollAssignments, "asg-1", map[string]any{"assignmentPolicy": nil, "_assignmentPolicyId": strings.ToUpper(id)}); err != nil {
		t.Fatal(err)
	}
	resp, body = f.e.Do("DELETE", polPath+"/"+id, nil)
	govWantErr(t, resp, body, 400, "BadRequest")
	if err := f.e.Srv.ChangeObject(entitlement.CollAssignments, "asg-1", map[string]any{"state": "expired"}); err != nil {
		t.Fatal(err)
	}
	resp, body = f.e.Do("DELETE", polPath+"/"+id, nil)
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete %d %v", resp.StatusCode, body)
	}
	resp, body = f.e.Do("GET", polPath+"/"+id, nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	resp, body = f.e.Do("DELETE", polPath+"/"+id, nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	if err := f.e.Srv.DeleteObject(entitlement.CollAssignments, "asg-1"); err != nil {
		t.Fatal(err)
	}
	if resp, body := f.e.Do("DELETE", emulatortest.EMPath+"/accessPackages/"+f.pkg, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("package delete %d %v", resp.StatusCode, body)
	}
	// A policy for a missing package.
	resp, body = f.e.Do("POST", polPath, f.minimal("late"))
	govWantErr(t, resp, body, 404, "ResourceNotFound")
}

// polAt walks a body: keys and array indexes.
func polAt(v any, path ...any) map[string]any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v.(map[string]any)
}

func TestPolicyValidation(t *testing.T) {
	t.Parallel()
	f := newPolFixture(t)
	stage := func(b map[string]any, i int) map[string]any { return polAt(b, "requestApprovalSettings", "stages", i) }
	review := func(b map[string]any) map[string]any { return polAt(b, "reviewSettings") }
	sched := func(b map[string]any) map[string]any { return polAt(b, "reviewSettings", "schedule") }
	pattern := func(b map[string]any) map[string]any {
		return polAt(b, "reviewSettings", "schedule", "recurrence", "pattern")
	}
	rng := func(b map[string]any) map[string]any {
		return polAt(b, "reviewSettings", "schedule", "recurrence", "range")
	}
	question := func(b map[string]any, i int) map[string]any { return polAt(b, "questions", i) }
	auto := func(b map[string]any) {
		b["automaticRequestSettings"] = map[string]any{"requestAccessForAllowedTargets": true,
			"removeAccessWhenTargetLeavesAllowedTargets": true, "gracePeriodBeforeAccessRemoval": "P7D"}
		b["specificAllowedTargets"] = []any{ss("attributeRuleMembers", "membershipRule", `(user.department -eq "Sales")`)}
		rs := polAt(b, "requestorSettings")
		for _, k := range append(append([]string(nil), entitlement.RequestorSelfFlags...), entitlement.RequestorOnBehalfFlags...) {
			rs[k] = false
		}
	}
	cases := []struct {
		name string
		mut  func(b map[string]any)
		want string // message prefix
	}{
		{"unknown top-level", func(b map[string]any) { b["foo"] = 1 }, "foo: The property 'foo' does not exist on type 'microsoft.graph.accessPackageAssignmentPolicy'"},
		{"unknown nested", func(b map[string]any) { polAt(b, "requestorSettings")["bogus"] = true }, "requestorSettings.bogus: The property 'bogus' does not exist"},
		{"unknown in stage", func(b map[string]any) { stage(b, 1)["foo"] = "x" }, "requestApprovalSettings.stages[1].foo: The property"},
		{"field of another subject set type", func(b map[string]any) { polAt(b, "specificAllowedTargets", 0)["groupId"] = f.group }, "specificAllowedTargets[0].groupId: The property 'groupId' does not exist on type 'microsoft.graph.singleUser'"},
		{"unknown in schedule", func(b map[string]any) { sched(b)["timeZone"] = "UTC" }, "reviewSettings.schedule.timeZone: The property"},
		{"displayName wrong type", func(b map[string]any) { b["displayName"] = 5 }, "displayName: cannot convert the literal '5' to the expected type 'Edm.String'"},
		{"bool wrong type", func(b map[string]any) { polAt(b, "requestApprovalSettings")["isApprovalRequiredForAdd"] = "yes" }, "requestApprovalSettings.isApprovalRequiredForAdd: cannot convert"},
		{"bool null", func(b map[string]any) { polAt(b, "notificationSettings")["isAssignmentNotificationDisabled"] = nil }, "notificationSettings.isAssignmentNotificationDisabled: a null value"},
		{"int wrong type", func(b map[string]any) { polAt(stage(b, 0), "primaryApprovers", 0)["managerLevel"] = "one" }, "requestApprovalSettings.stages[0].primaryApprovers[0].managerLevel: cannot convert"},
		{"int fraction", func(b map[string]any) { pattern(b)["interval"] = 1.5 }, "reviewSettings.schedule.recurrence.pattern.interval: cannot convert"},
		{"array wrong type", func(b map[string]any) { b["specificAllowedTargets"] = "all" }, "specificAllowedTargets: expected a JSON array"},
		{"object wrong type", func(b map[string]any) { b["requestorSettings"] = []any{} }, "requestorSettings: expected a JSON object"},
		{"displayName missing", func(b map[string]any) { delete(b, "displayName") }, "displayName: the property is required"},
		{"displayName empty", func(b map[string]any) { b["displayName"] = " " }, "displayName: the value must not be empty"},
		{"description missing", func(b map[string]any) { delete(b, "description") }, "description: the property is required"},
		{"description wrong type", func(b map[string]any) { b["description"] = true }, "description: cannot convert"},
		{"accessPackage missing", func(b map[string]any) { delete(b, "accessPackage") }, "accessPackage: the property is required"},
		{"accessPackage without id", func(b map[string]any) { b["accessPackage"] = map[string]any{} }, "accessPackage.id: the property is required"},
		{"wrong @odata.type on expiration", func(b map[string]any) { polAt(b, "expiration")["@odata.type"] = "#microsoft.graph.singleUser" }, "expiration.@odata.type: '#microsoft.graph.singleUser' is not valid here"},
		{"allowedTargetScope enum", func(b map[string]any) { b["allowedTargetScope"] = "everyone" }, "allowedTargetScope: the value 'everyone' is not valid"},
		{"expiration type enum", func(b map[string]any) { polAt(b, "expiration")["type"] = "never" }, "expiration.type: the value 'never' is not valid"},
		{"approverInformationVisibility enum", func(b map[string]any) { stage(b, 0)["approverInformationVisibility"] = "hidden" }, "requestApprovalSettings.stages[0].approverInformationVisibility: the value 'hidden'"},
		{"expirationBehavior enum", func(b map[string]any) { review(b)["expirationBehavior"] = "deny" }, "reviewSettings.expirationBehavior: the value 'deny'"},
		{"pattern type enum", func(b map[string]any) { pattern(b)["type"] = "hourly" }, "reviewSettings.schedule.recurrence.pattern.type: the value 'hourly'"},
		{"range type enum", func(b map[string]any) { rng(b)["type"] = "forever" }, "reviewSettings.schedule.recurrence.range.type: the value 'forever'"},
		{"day of week enum", func(b map[string]any) { pattern(b)["daysOfWeek"] = []any{"monday", "funday"} }, "reviewSettings.schedule.recurrence.pattern.daysOfWeek[1]: the value 'funday'"},
		{"week index enum", func(b map[string]any) { pattern(b)["index"] = "fifth" }, "reviewSettings.schedule.recurrence.pattern.index: the value 'fifth'"},
		{"month range", func(b map[string]any) { pattern(b)["month"] = 13 }, "reviewSettings.schedule.recurrence.pattern.month: 13 is out of range"},
		{"duration syntax", func(b map[string]any) { polAt(b, "expiration")["duration"] = "14 days" }, "expiration.duration: '14 days' is not a valid ISO 8601 duration"},
		{"duration bare P", func(b map[string]any) { stage(b, 0)["durationBeforeAutomaticDenial"] = "P" }, "requestApprovalSettings.stages[0].durationBeforeAutomaticDenial: 'P' is not a valid ISO 8601 duration"},
		{"duration dangling T", func(b map[string]any) { stage(b, 1)["durationBeforeEscalation"] = "P1DT" }, "requestApprovalSettings.stages[1].durationBeforeEscalation: 'P1DT' is not a valid"},
		{"timestamp", func(b map[string]any) { sched(b)["startDateTime"] = "2030-13-01" }, "reviewSettings.schedule.startDateTime: '2030-13-01' is not a valid timestamp"},
		{"date", func(b map[string]any) { rng(b)["startDate"] = "01/02/2030" }, "reviewSettings.schedule.recurrence.range.startDate: '01/02/2030' is not a valid date"},
		{"subject set unknown type", func(b map[string]any) {
			polAt(b, "specificAllowedTargets", 0)["@odata.type"] = "#microsoft.graph.everyone"
		}, "specificAllowedTargets[0].@odata.type: '#microsoft.graph.everyone' is not a valid 'subjectSet' type"},
		{"subject set without namespace", func(b map[string]any) { polAt(b, "specificAllowedTargets", 0)["@odata.type"] = "singleUser" }, "specificAllowedTargets[0].@odata.type: 'singleUser' is not a valid"},
		{"subject set type missing", func(b map[string]any) { delete(polAt(b, "specificAllowedTargets", 0), "@odata.type") }, "specificAllowedTargets[0].@odata.type: the type of this 'subjectSet' is required"},
		{"singleUser without userId", func(b map[string]any) { delete(polAt(b, "specificAllowedTargets", 0), "userId") }, "specificAllowedTargets[0].userId: the property is required on type 'microsoft.graph.singleUser'"},
		{"managerLevel zero", func(b map[string]any) { polAt(stage(b, 0), "primaryApprovers", 0)["managerLevel"] = 0 }, "requestApprovalSettings.stages[0].primaryApprovers[0].managerLevel: must be 1"},
		{"managerLevel missing", func(b map[string]any) { delete(polAt(b, "requestorSettings", "onBehalfRequestors", 0), "managerLevel") }, "requestorSettings.onBehalfRequestors[0].managerLevel: the property is required"},
		{"target type not allowed", func(b map[string]any) { b["specificAllowedTargets"] = []any{ss("requestorManager", "managerLevel", 1)} }, "specificAllowedTargets[0]: subject set type 'requestorManager' is not allowed in specificAllowedTargets with allowedTargetScope specificDirectoryUsers"},
		{"attributeRuleMembers without automatic settings", func(b map[string]any) {
			b["specificAllowedTargets"] = []any{ss("attributeRuleMembers", "membershipRule", `(user.department -eq "Sales")`)}
		}, "specificAllowedTargets[0]: subject set type 'attributeRuleMembers' is not allowed"},
		{"connected org members for directory users", func(b map[string]any) {
			b["specificAllowedTargets"] = []any{ss("connectedOrganizationMembers", "connectedOrganizationId", uuid.NewString())}
		}, "specificAllowedTargets[0]: subject set type 'connectedOrganizationMembers' is not allowed"},
		{"targets with an all… scope", func(b map[string]any) { b["allowedTargetScope"] = "allMemberUsers" }, "specificAllowedTargets[0]: subject set type 'singleUser' is not allowed in specificAllowedTargets with allowedTargetScope allMemberUsers: the list must be empty"},
		{"specific scope without targets", func(b map[string]any) { b["specificAllowedTargets"] = []any{} }, "specificAllowedTargets: allowedTargetScope specificDirectoryUsers needs at least one target"},
		{"service principal scope with a user", func(b map[string]any) { b["allowedTargetScope"] = "specificDirectoryServicePrincipals" }, "specificAllowedTargets[0]: subject set type 'singleUser' is not allowed"},
		{"approver type not allowed", func(b map[string]any) {
			polAt(stage(b, 0), "primaryApprovers", 0)["@odata.type"] = "#microsoft.graph.targetManager"
		}, "requestApprovalSettings.stages[0].primaryApprovers[0]: subject set type 'targetManager' is not allowed in primaryApprovers"},
		{"fallback escalation approver type", func(b map[string]any) {
			stage(b, 1)["fallbackEscalationApprovers"] = []any{ss("attributeRuleMembers", "membershipRule", `(user.department -eq "x")`)}
		}, "requestApprovalSettings.stages[1].fallbackEscalationApprovers[0]: subject set type 'attributeRuleMembers' is not allowed"},
		{"on-behalf type not allowed", func(b map[string]any) {
			polAt(b, "requestorSettings")["onBehalfRequestors"] = []any{ss("internalSponsors")}
		}, "requestorSettings.onBehalfRequestors[0]: subject set type 'internalSponsors' is not allowed in onBehalfRequestors"},
		{"reviewer type not allowed", func(b map[string]any) { review(b)["primaryReviewers"] = []any{ss("externalSponsors")} }, "reviewSettings.primaryReviewers[0]: subject set type 'externalSponsors' is not allowed in primaryReviewers"},
		{"lifecycle subject set", func(b map[string]any) {
			review(b)["fallbackReviewers"] = []any{map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.ruleBasedSubjectSet", "rule": "x"}}
		}, "reviewSettings.fallbackReviewers[0]: subject set type 'identityGovernance.ruleBasedSubjectSet' is not allowed"},
		{"unknown user", func(b map[string]any) {
			polAt(b, "specificAllowedTargets", 0)["userId"] = "0badbad0-0000-4000-8000-000000000000"
		}, "specificAllowedTargets[0].userId: user '0badbad0-0000-4000-8000-000000000000' does not exist"},
		{"unknown group", func(b map[string]any) { polAt(stage(b, 0), "fallbackPrimaryApprovers", 0)["groupId"] = "nope" }, "requestApprovalSettings.stages[0].fallbackPrimaryApprovers[0].groupId: group 'nope' does not exist"},
		{"unknown service principal", func(b map[string]any) {
			b["allowedTargetScope"] = "specificDirectoryServicePrincipals"
			b["specificAllowedTargets"] = []any{ss("singleServicePrincipal", "servicePrincipalId", "gone")}
		}, "specificAllowedTargets[0].servicePrincipalId: service principal 'gone' does not exist"},
		{"afterDateTime without end", func(b map[string]any) { b["expiration"] = map[string]any{"type": "afterDateTime"} }, "expiration.endDateTime: required when type is afterDateTime"},
		{"afterDateTime in the past", func(b map[string]any) {
			b["expiration"] = map[string]any{"type": "afterDateTime", "endDateTime": "2001-01-01T00:00:00Z"}
		}, "expiration.endDateTime: '2001-01-01T00:00:00Z' is not in the future"},
		{"afterDateTime with duration", func(b map[string]any) {
			b["expiration"] = map[string]any{"type": "afterDateTime", "endDateTime": "2099-01-01T00:00:00Z", "duration": "P1D"}
		}, "expiration.duration: must be null when type is afterDateTime"},
		{"afterDuration without duration", func(b map[string]any) { b["expiration"] = map[string]any{"type": "afterDuration"} }, "expiration.duration: required when type is afterDuration"},
		{"afterDuration zero", func(b map[string]any) { b["expiration"] = map[string]any{"type": "afterDuration", "duration": "PT0S"} }, "expiration.duration: must be a positive duration"},
		{"afterDuration with end", func(b map[string]any) {
			b["expiration"] = map[string]any{"type": "afterDuration", "duration": "P1D", "endDateTime": "2099-01-01T00:00:00Z"}
		}, "expiration.endDateTime: must be null when type is afterDuration"},
		{"noExpiration with duration", func(b map[string]any) { b["expiration"] = map[string]any{"type": "noExpiration", "duration": "P1D"} }, "expiration.duration: must be null when type is noExpiration"},
		{"approval without stages", func(b map[string]any) { polAt(b, "requestApprovalSettings")["stages"] = []any{} }, "requestApprovalSettings.stages: at least one approval stage is required"},
		{"four stages", func(b map[string]any) {
			s := polAt(b, "requestApprovalSettings")
			l := s["stages"].([]any)
			s["stages"] = append(l, l[0], l[1])
		}, "requestApprovalSettings.stages: at most 3 approval stages"},
		{"stage without any primary approver", func(b map[string]any) {
			stage(b, 0)["primaryApprovers"] = []any{}
			stage(b, 0)["fallbackPrimaryApprovers"] = []any{}
		}, "requestApprovalSettings.stages[0].primaryApprovers: every approval stage needs at least one primary or fallback primary approver"},
		{"stage without denial duration", func(b map[string]any) { delete(stage(b, 0), "durationBeforeAutomaticDenial") }, "requestApprovalSettings.stages[0].durationBeforeAutomaticDenial: required"},
		{"escalation without duration", func(b map[string]any) { stage(b, 1)["durationBeforeEscalation"] = "PT0S" }, "requestApprovalSettings.stages[1].durationBeforeEscalation: must be a positive duration when isEscalationEnabled"},
		{"escalation not before denial", func(b map[string]any) { stage(b, 1)["durationBeforeEscalation"] = "P15D" }, "requestApprovalSettings.stages[1].durationBeforeEscalation: 'P15D' must be shorter than durationBeforeAutomaticDenial 'P14D'"},
		// Edm.Duration is a day-time duration: years, months (before T) and weeks are not literals of it.
		{"weeks", func(b map[string]any) { stage(b, 1)["durationBeforeEscalation"] = "P1W" }, "requestApprovalSettings.stages[1].durationBeforeEscalation: cannot convert the literal 'P1W' to the expected type 'Edm.Duration'."},
		{"months", func(b map[string]any) { stage(b, 0)["durationBeforeAutomaticDenial"] = "P1M" }, "requestApprovalSettings.stages[0].durationBeforeAutomaticDenial: cannot convert the literal 'P1M' to the expected type 'Edm.Duration'."},
		{"years", func(b map[string]any) { polAt(b, "expiration")["duration"] = "P1Y" }, "expiration.duration: cannot convert the literal 'P1Y' to the expected type 'Edm.Duration'."},
		{"years and days", func(b map[string]any) { polAt(b, "reviewSettings", "schedule", "expiration")["duration"] = "P1Y2D" }, "reviewSettings.schedule.expiration.duration: cannot convert the literal 'P1Y2D' to the expected type 'Edm.Duration'."},
		{"grace period in weeks", func(b map[string]any) {
			auto(b)
			polAt(b, "automaticRequestSettings")["gracePeriodBeforeAccessRemoval"] = "P2W"
		}, "automaticRequestSettings.gracePeriodBeforeAccessRemoval: cannot convert the literal 'P2W' to the expected type 'Edm.Duration'."},
		{"escalation without approvers", func(b map[string]any) { stage(b, 1)["escalationApprovers"] = []any{} }, "requestApprovalSettings.stages[1].escalationApprovers: at least one escalation approver"},
		{"review without schedule", func(b map[string]any) { delete(review(b), "schedule") }, "reviewSettings.schedule: required when isEnabled is true"},
		{"review without start", func(b map[string]any) { delete(sched(b), "startDateTime") }, "reviewSettings.schedule.startDateTime: required when the review is enabled"},
		{"review duration type", func(b map[string]any) { sched(b)["expiration"] = map[string]any{"type": "noExpiration"} }, "reviewSettings.schedule.expiration.type: a review's duration must be an afterDuration"},
		{"review without recurrence", func(b map[string]any) { delete(sched(b), "recurrence") }, "reviewSettings.schedule.recurrence: required"},
		{"review interval zero", func(b map[string]any) { pattern(b)["interval"] = 0 }, "reviewSettings.schedule.recurrence.pattern.interval: must be 1 or more"},
		{"weekly without days", func(b map[string]any) { pattern(b)["type"] = "weekly" }, "reviewSettings.schedule.recurrence.pattern.daysOfWeek: a weekly pattern needs at least one day"},
		{"endDate range without endDate", func(b map[string]any) { rng(b)["type"] = "endDate" }, "reviewSettings.schedule.recurrence.range.endDate: required when the range type is endDate"},
		{"numbered range without count", func(b map[string]any) { rng(b)["type"] = "numbered" }, "reviewSettings.schedule.recurrence.range.numberOfOccurrences: must be 1 or more"},
		{"review without reviewers", func(b map[string]any) { review(b)["primaryReviewers"] = []any{} }, "reviewSettings.primaryReviewers: at least one primary reviewer is required unless isSelfReview"},
		{"auto with wrong scope", func(b map[string]any) {
			auto(b)
			b["allowedTargetScope"] = "allMemberUsers"
			b["specificAllowedTargets"] = []any{}
		}, "allowedTargetScope: an auto-assignment policy"},
		{"auto with a user target", func(b map[string]any) {
			auto(b)
			b["specificAllowedTargets"] = []any{ss("singleUser", "userId", polUser1)}
		}, "specificAllowedTargets[0]: an auto-assignment policy takes only attributeRuleMembers targets"},
		{"auto with self-service", func(b map[string]any) {
			auto(b)
			polAt(b, "requestorSettings")["enableTargetsToSelfAddAccess"] = true
		}, "requestorSettings.enableTargetsToSelfAddAccess: must be false on an auto-assignment policy"},
		{"auto with a bad rule", func(b map[string]any) {
			auto(b)
			polAt(b, "specificAllowedTargets", 0)["membershipRule"] = "department = Sales"
		}, "specificAllowedTargets[0].membershipRule: invalid membership rule"},
		{"auto grace period syntax", func(b map[string]any) {
			auto(b)
			polAt(b, "automaticRequestSettings")["gracePeriodBeforeAccessRemoval"] = "7d"
		}, "automaticRequestSettings.gracePeriodBeforeAccessRemoval: '7d' is not a valid ISO 8601 duration"},
		{"on-behalf without requestors", func(b map[string]any) { polAt(b, "requestorSettings")["onBehalfRequestors"] = []any{} }, "requestorSettings.onBehalfRequestors: at least one on-behalf requestor is required when enableOnBehalfRequestorsToAddAccess"},
		{"self-service with notSpecified", func(b map[string]any) {
			b["allowedTargetScope"] = "notSpecified"
			b["specificAllowedTargets"] = []any{}
		}, "requestorSettings.enableTargetsToSelfAddAccess: allowedTargetScope notSpecified allows only administrator direct assignment"},
		{"question type", func(b map[string]any) { question(b, 0)["@odata.type"] = "#microsoft.graph.accessPackageDateQuestion" }, "questions[0].@odata.type: '#microsoft.graph.accessPackageDateQuestion' is not a valid 'accessPackageQuestion' type"},
		{"question type missing", func(b map[string]any) { delete(question(b, 1), "@odata.type") }, "questions[1].@odata.type: the type of this 'accessPackageQuestion' is required"},
		{"question text missing", func(b map[string]any) { delete(question(b, 0), "text") }, "questions[0].text: the property is required"},
		{"question sequence duplicate", func(b map[string]any) { question(b, 1)["sequence"] = "1" }, "questions[1].sequence: sequence 1 is already used by questions[0]"},
		{"multiple choice without choices", func(b map[string]any) { question(b, 1)["choices"] = []any{} }, "questions[1].choices: a multiple choice question needs at least one choice"},
		{"choice without actualValue", func(b map[string]any) { delete(polAt(question(b, 1), "choices", 0), "actualValue") }, "questions[1].choices[0].actualValue: the property is required"},
		{"choice without text", func(b map[string]any) { polAt(question(b, 1), "choices", 1)["text"] = "" }, "questions[1].choices[1].text: the value must not be empty"},
		{"text-input field on multiple choice", func(b map[string]any) { question(b, 1)["isSingleLineQuestion"] = true }, "questions[1].isSingleLineQuestion: The property 'isSingleLineQuestion' does not exist on type 'microsoft.graph.accessPackageMultipleChoiceQuestion'"},
		{"regexPattern on multiple choice", func(b map[string]any) { question(b, 1)["regexPattern"] = ".*" }, "questions[1].regexPattern: The property 'regexPattern' does not exist"},
		{"choices on text input", func(b map[string]any) { question(b, 0)["choices"] = []any{} }, "questions[0].choices: The property 'choices' does not exist on type 'microsoft.graph.accessPackageTextInputQuestion'"},
		{"regexPattern invalid", func(b map[string]any) { question(b, 0)["regexPattern"] = "([" }, "questions[0].regexPattern: '([' is not a valid regular expression"},
		{"localization without languageCode", func(b map[string]any) { delete(polAt(question(b, 0), "localizations", 0), "languageCode") }, "questions[0].localizations[0].languageCode: the property is required"},
		{"choice localization without languageCode", func(b map[string]any) { polAt(question(b, 1), "choices", 1, "localizations", 0)["languageCode"] = "" }, "questions[1].choices[1].localizations[0].languageCode: the value must not be empty"},
		{"stage setting stage enum", func(b map[string]any) {
			b["customExtensionStageSettings"] = []any{map[string]any{"stage": "assignmentExpired", "customExtension": map[string]any{"id": "x"}}}
		}, "customExtensionStageSettings[0].stage: the value 'assignmentExpired' is not valid"},
		{"stage setting without extension", func(b map[string]any) {
			b["customExtensionStageSettings"] = []any{map[string]any{"stage": "assignmentRequestCreated"}}
		}, "customExtensionStageSettings[0].customExtension: the property is required"},
		{"stage setting unknown extension", func(b map[string]any) {
			b["customExtensionStageSettings"] = []any{map[string]any{"stage": "assignmentRequestCreated", "customExtension": map[string]any{"id": "missing"}}}
		}, "customExtensionStageSettings[0].customExtension.id: custom extension 'missing' does not exist in catalog"},
		{"stage setting twice", func(b map[string]any) {
			s := map[string]any{"stage": "assignmentRequestCreated", "customExtension": map[string]any{"id": "x"}}
			b["customExtensionStageSettings"] = []any{s, s}
		}, "customExtensionStageSettings[1].stage: stage assignmentRequestCreated already has a custom extension"},
	}
	if len(cases) < 40 {
		t.Fatalf("only %d cases", len(cases))
	}
	// The base body itself is valid.
	f.create(f.base())
	seen := map[string]bool{}
	for _, tc := range cases {
		if seen[tc.name] {
			t.Fatalf("duplicate case %q", tc.name)
		}
		seen[tc.name] = true
		body := f.base()
		tc.mut(body)
		resp, got := f.e.Do("POST", polPath, body)
		if resp.StatusCode != 400 || emulatortest.ErrCode(got) != "BadRequest" {
			t.Errorf("%s: got %d %q %q", tc.name, resp.StatusCode, emulatortest.ErrCode(got), emulatortest.ErrMessage(got))
			continue
		}
		if !strings.HasPrefix(emulatortest.ErrMessage(got), tc.want) {
			t.Errorf("%s:\n got  %q\n want %q…", tc.name, emulatortest.ErrMessage(got), tc.want)
		}
	}
	// Nothing but the valid policy was written.
	if list, _ := f.e.Srv.ListObjects(entitlement.AssignmentPolicies); len(list) != 1 {
		t.Errorf("%d policies stored", len(list))
	}
}

func TestPolicyAutoAssignmentAndReferences(t *testing.T) {
	t.Parallel()
	f := newPolFixture(t)
	autoBody := func(name string) map[string]any {
		b := f.minimal(name)
		b["allowedTargetScope"] = "specificDirectoryUsers"
		b["specificAllowedTargets"] = []any{ss("attributeRuleMembers", "membershipRule", `(user.department -eq "Sales")`, "description", "Sales")}
		b["automaticRequestSettings"] = map[string]any{"requestAccessForAllowedTargets": true, "removeAccessWhenTargetLeavesAllowedTargets": true, "gracePeriodBeforeAccessRemoval": "P7D"}
		return b
	}
	first := f.create(autoBody("Auto"))
	if ars := first["automaticRequestSettings"].(map[string]any); ars["gracePeriodBeforeAccessRemoval"] != "P7D" || ars["requestAccessForAllowedTargets"] != true {
		t.Errorf("automaticRequestSettings %v", ars)
	}
	resp, body := f.e.Do("POST", polPath, autoBody("Auto 2"))
	govWantErr(t, resp, body, 400, "BadRequest")
	if !strings.HasPrefix(emulatortest.ErrMessage(body), "automaticRequestSettings.requestAccessForAllowedTargets: access package") {
		t.Errorf("message %q", emulatortest.ErrMessage(body))
	}
	// Replacing the auto policy itself is fine; another package may have its own.
	put := autoBody("Auto renamed")
	if resp, body := f.e.Do("PUT", polPath+"/"+first["id"].(string), put); resp.StatusCode != 200 {
		t.Fatalf("PUT %d %v", resp.StatusCode, body)
	}
	other := autoBody("Auto other")
	other["accessPackage"] = map[string]any{"id": govPackage(f.e, f.cat, "Other")}
	f.create(other)

	// Connected organizations are checked only once the tenant has some.
	co := f.minimal("Partners")
	co["allowedTargetScope"] = "specificConnectedOrganizationUsers"
	co["specificAllowedTargets"] = []any{ss("connectedOrganizationMembers", "connectedOrganizationId", "11111111-1111-4111-8111-111111111111")}
	f.create(co)
	govPut(f.e, entitlement.PolicyCollConnectedOrgs, map[string]any{"id": "22222222-2222-4222-8222-222222222222", "displayName": "Fabrikam"})
	resp, body = f.e.Do("POST", polPath, co)
	govWantErr(t, resp, body, 400, "BadRequest")
	if !strings.HasPrefix(emulatortest.ErrMessage(body), "specificAllowedTargets[0].connectedOrganizationId: connected organization '11111111-1111-4111-8111-111111111111' does not exist") {
		t.Errorf("message %q", emulatortest.ErrMessage(body))
	}
	co["specificAllowedTargets"] = []any{ss("connectedOrganizationMembers", "connectedOrganizationId", "22222222-2222-4222-8222-222222222222")}
	f.create(co)

	// Service principal targets.
	sp := f.minimal("Robots")
	sp["allowedTargetScope"] = "specificDirectoryServicePrincipals"
	sp["specificAllowedTargets"] = []any{ss("singleServicePrincipal", "servicePrincipalId", f.sp), ss("groupMembers", "groupId", f.group)}
	sp["requestorSettings"] = map[string]any{"enableOnBehalfRequestorsToAddAccess": true,
		"onBehalfRequestors": []any{ss("targetApplicationOwners"), ss("requestorManager", "managerLevel", 2)}}
	f.create(sp)
}

func TestPolicyInputVariants(t *testing.T) {
	t.Parallel()
	f := newPolFixture(t)
	b := map[string]any{
		"@odata.type": "microsoft.graph.accessPackageAssignmentPolicy", "@odata.context": "ignored",
		"displayName": "Variants", "description": "", "accessPackage": map[string]any{"id": strings.ToUpper(f.pkg), "displayName": "Sales reps"},
		"allowedTargetScope":       "SpecificDirectoryUsers",
		"specificAllowedTargets":   []any{map[string]any{"@odata.type": "Microsoft.Graph.SingleUser", "userId": polUser1}},
		"automaticRequestSettings": nil,
		"expiration":               map[string]any{"type": "AfterDuration", "duration": "p30d"},
		"requestorSettings":        map[string]any{"enableTargetsToSelfAddAccess": "true", "enableTargetsToSelfRemoveAccess": "False", "onBehalfRequestors": []any{}},
		"requestApprovalSettings": map[string]any{"isApprovalRequiredForAdd": "TRUE", "isApprovalRequiredForUpdate": "false",
			"stages": []any{map[string]any{"@odata.type": "#microsoft.graph.accessPackageApprovalStage",
				"durationBeforeAutomaticDenial": "P7D", "isEscalationEnabled": "false", "approverInformationVisibility": "NotVisible",
				"primaryApprovers": []any{map[string]any{"@odata.type": "microsoft.graph.requestorManager", "managerLevel": "1"}}}}},
		"reviewSettings": map[string]any{"isEnabled": "true", "isSelfReview": "true", "expirationBehavior": "AcceptAccessRecommendation",
			"schedule": map[string]any{"startDateTime": "2030-01-01T02:00:00+02:00",
				"expiration": map[string]any{"@odata.type": "microsoft.graph.expirationPattern", "type": "afterDuration", "duration": "P14D"},
				"recurrence": map[string]any{
					"pattern": map[string]any{"type": "Weekly", "interval": "2", "daysOfWeek": []any{"Monday"}, "firstDayOfWeek": "Sunday", "index": "First"},
					"range":   map[string]any{"type": "Numbered", "numberOfOccurrences": "4", "startDate": "2030-01-01", "recurrenceTimeZone": "UTC"}}}},
		"notificationSettings": map[string]any{"isAssignmentNotificationDisabled": "true"},
		"questions": []any{map[string]any{"@odata.type": "microsoft.graph.accessPackageMultipleChoiceQuestion", "sequence": "1",
			"isRequired": "false", "text": "Office?", "isMultipleSelectionAllowed": "true",
			"choices": []any{map[string]any{"@odata.type": "#microsoft.graph.accessPackageAnswerChoice", "actualValue": "nyc", "text": "New York"}}}},
	}
	got := f.create(b)
	stage := polAt(got, "requestApprovalSettings", "stages", 0)
	rev := polAt(got, "reviewSettings")
	pat := polAt(rev, "schedule", "recurrence", "pattern")
	rg := polAt(rev, "schedule", "recurrence", "range")
	q := polAt(got, "questions", 0)
	checks := map[string][2]any{
		"allowedTargetScope":     {got["allowedTargetScope"], "specificDirectoryUsers"},
		"target type":            {polAt(got, "specificAllowedTargets", 0)["@odata.type"], "#microsoft.graph.singleUser"},
		"expiration":             {polAt(got, "expiration")["type"], "afterDuration"},
		"duration":               {polAt(got, "expiration")["duration"], "P30D"},
		"self add":               {polAt(got, "requestorSettings")["enableTargetsToSelfAddAccess"], true},
		"self remove":            {polAt(got, "requestorSettings")["enableTargetsToSelfRemoveAccess"], false},
		"approval":               {polAt(got, "requestApprovalSettings")["isApprovalRequiredForAdd"], true},
		"visibility":             {stage["approverInformationVisibility"], "notVisible"},
		"stage type":             {stage["@odata.type"], nil},
		"approver":               {polAt(stage, "primaryApprovers", 0)["@odata.type"], "#microsoft.graph.requestorManager"},
		"managerLevel":           {polAt(stage, "primaryApprovers", 0)["managerLevel"], float64(1)},
		"review":                 {rev["isEnabled"], true},
		"behavior":               {rev["expirationBehavior"], "acceptAccessRecommendation"},
		"start":                  {polAt(rev, "schedule")["startDateTime"], "2030-01-01T00:00:00Z"},
		"pattern":                {pat["type"], "weekly"},
		"interval":               {pat["interval"], float64(2)},
		"firstDayOfWeek":         {pat["firstDayOfWeek"], "sunday"},
		"index":                  {pat["index"], "first"},
		"days":                   {pat["daysOfWeek"].([]any)[0], "monday"},
		"range":                  {rg["type"], "numbered"},
		"occurrences":            {rg["numberOfOccurrences"], float64(4)},
		"notification":           {polAt(got, "notificationSettings")["isAssignmentNotificationDisabled"], true},
		"question type":          {q["@odata.type"], "#microsoft.graph.accessPackageMultipleChoiceQuestion"},
		"sequence":               {q["sequence"], float64(1)},
		"isMultipleSelection":    {q["isMultipleSelectionAllowed"], true},
		"question isAnswerEdit.": {q["isAnswerEditable"], false},
	}
	for name, c := range checks {
		if !reflect.DeepEqual(c[0], c[1]) {
			t.Errorf("%s = %#v, want %#v", name, c[0], c[1])
		}
	}
	if _, ok := polAt(q, "choices", 0)["@odata.type"]; ok {
		t.Errorf("choice carries @odata.type: %v", q)
	}
	// PUT with the read-only id in another case, and automaticRequestSettings null.
	id := got["id"].(string)
	b["id"] = strings.ToUpper(id)
	b["displayName"] = "Variants 2"
	b["createdDateTime"] = "2000-01-01T00:00:00Z"
	resp, put := f.e.Do("PUT", polPath+"/"+id, b)
	if resp.StatusCode != 200 || put["displayName"] != "Variants 2" || put["id"] != id || put["createdDateTime"] != got["createdDateTime"] {
		t.Fatalf("PUT %d %v", resp.StatusCode, put)
	}
	// Question ids are re-issued when the PUT does not carry them ([U]).
	if polAt(put, "questions", 0)["id"] == q["id"] {
		t.Error("question without id kept its id")
	}
}

func TestPolicyCreateConflictFault(t *testing.T) {
	t.Parallel()
	f := newPolFixture(t)
	other := govPackage(f.e, f.cat, "Other")
	race := func(pkgs ...string) []int {
		var wg sync.WaitGroup
		codes := make([]int, len(pkgs))
		for i, p := range pkgs {
			wg.Add(1)
			go func(i int, p string) {
				defer wg.Done()
				b := f.minimal("Race " + strconv.Itoa(i) + " " + uuid.NewString())
				b["accessPackage"] = map[string]any{"id": p}
				resp, body := f.e.Do("POST", polPath, b)
				codes[i] = resp.StatusCode
				if resp.StatusCode == http.StatusConflict && (emulatortest.ErrCode(body) != "DuplicateKey" || emulatortest.ErrMessage(body) != "There is already a duplicated entity.") {
					t.Errorf("conflict body %v", body)
				}
			}(i, p)
		}
		wg.Wait()
		return codes
	}
	count := func(codes []int, c int) int {
		n := 0
		for _, x := range codes {
			if x == c {
				n++
			}
		}
		return n
	}
	// Off: parallel creates all succeed.
	if codes := race(f.pkg, f.pkg, f.pkg); count(codes, 201) != 3 {
		t.Fatalf("fault off: %v", codes)
	}
	f.e.Srv.SetFaults(emulator.Faults{PolicyCreateConflict: true})
	codes := race(f.pkg, f.pkg, f.pkg)
	if count(codes, 201) != 1 || count(codes, 409) != 2 {
		t.Errorf("same package: %v", codes)
	}
	if codes := race(f.pkg, other); count(codes, 201) != 2 {
		t.Errorf("different packages: %v", codes)
	}
	// One after the other: no conflict.
	f.create(f.minimal("Sequential 1"))
	f.create(f.minimal("Sequential 2"))
	if list, _ := f.e.Srv.ListObjects(entitlement.AssignmentPolicies); len(list) != 8 {
		t.Errorf("%d policies", len(list))
	}
	// The fault travels over the control API.
	var fj emulator.Faults
	raw, _ := json.Marshal(f.e.Srv.Faults())
	if err := json.Unmarshal(raw, &fj); err != nil || !fj.PolicyCreateConflict || !strings.Contains(string(raw), `"policyCreateConflict":true`) {
		t.Errorf("faults JSON %s %v", raw, err)
	}
}

func TestPolicyControlObjects(t *testing.T) {
	t.Parallel()
	f := newPolFixture(t)
	id := f.create(f.base())["id"].(string)
	obj, err := f.e.Srv.GetObject(entitlement.AssignmentPolicies, strings.ToUpper(id))
	if err != nil || obj["displayName"] != "Employees with manager approval" || !strings.EqualFold(obj[entitlement.IfAccessPackageID].(string), f.pkg) {
		t.Fatalf("GetObject %v %v", obj, err)
	}
	// Drift in a nested field, out of band.
	err = f.e.Srv.ChangeObject(entitlement.AssignmentPolicies, id, map[string]any{
		"requestApprovalSettings": map[string]any{"isRequestorJustificationRequired": false},
		"reviewSettings":          nil,
	})
	if err != nil {
		t.Fatal(err)
	}
	_, got := f.e.Do("GET", polPath+"/"+id, nil)
	ras := got["requestApprovalSettings"].(map[string]any)
	if ras["isRequestorJustificationRequired"] != false || len(ras["stages"].([]any)) != 2 || got["modifiedDateTime"] == obj["modifiedDateTime"] {
		t.Errorf("after ChangeObject %v", got)
	}
	if _, ok := got["reviewSettings"]; ok {
		t.Errorf("reviewSettings not removed: %v", got["reviewSettings"])
	}
	if err := f.e.Srv.DeleteObject(entitlement.AssignmentPolicies, id); err != nil {
		t.Fatal(err)
	}
	resp, body := f.e.Do("GET", polPath+"/"+id, nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	if err := f.e.Srv.DeleteObject(entitlement.AssignmentPolicies, id); err != emulator.ErrNotFound {
		t.Errorf("second delete: %v", err)
	}
}

// Example 2 of https://learn.microsoft.com/graph/api/entitlementmanagement-post-assignmentpolicies?view=graph-rest-1.0:
// the second stage has "primaryApprovers": [] and two fallbackPrimaryApprovers, and is created (201).
func TestPolicyStageWithOnlyFallbackApprovers(t *testing.T) {
	t.Parallel()
	f := newPolFixture(t)
	body := f.base()
	second := polAt(body, "requestApprovalSettings", "stages", 1)
	second["isEscalationEnabled"] = false
	second["durationBeforeEscalation"] = "PT0S"
	second["primaryApprovers"] = []any{}
	second["fallbackPrimaryApprovers"] = []any{ss("singleUser", "userId", polUser1), ss("groupMembers", "groupId", f.group)}
	second["escalationApprovers"] = []any{}
	second["fallbackEscalationApprovers"] = []any{}
	got := f.create(body)
	stage := polAt(got, "requestApprovalSettings", "stages", 1)
	polSubset(t, "stages[1].primaryApprovers", []any{}, stage["primaryApprovers"])
	polSubset(t, "stages[1].fallbackPrimaryApprovers", polJSON(t, map[string]any{"l": second["fallbackPrimaryApprovers"]})["l"], stage["fallbackPrimaryApprovers"])
}

// https://learn.microsoft.com/graph/api/resources/accesspackageassignmentapprovalsettings?view=graph-rest-1.0
// states no refusal of stages sent while no approval is required: they are kept as sent.
func TestPolicyStagesWithApprovalOff(t *testing.T) {
	t.Parallel()
	f := newPolFixture(t)
	body := f.base()
	polAt(body, "requestApprovalSettings")["isApprovalRequiredForAdd"] = false
	got := f.create(body)
	as := polAt(got, "requestApprovalSettings")
	if as["isApprovalRequiredForAdd"] != false {
		t.Errorf("isApprovalRequiredForAdd = %v", as["isApprovalRequiredForAdd"])
	}
	if l, _ := as["stages"].([]any); len(l) != 2 {
		t.Errorf("stages = %v, want the two sent", as["stages"])
	}
}

// targetAgentIdentitySponsorsOrOwners is a subjectSet subtype of the v1.0 metadata
// (https://learn.microsoft.com/graph/api/resources/targetagentidentitysponsorsorowners?view=graph-rest-1.0):
// accepted as on-behalf requestor and approver; the page's isBackup is accepted and not kept.
func TestPolicyAgentIdentitySponsorsOrOwners(t *testing.T) {
	t.Parallel()
	f := newPolFixture(t)
	body := f.base()
	polAt(body, "requestorSettings")["onBehalfRequestors"] = []any{ss("targetAgentIdentitySponsorsOrOwners")}
	first := polAt(body, "requestApprovalSettings", "stages", 0)
	first["primaryApprovers"] = []any{ss("targetAgentIdentitySponsorsOrOwners", "isBackup", false)}
	first["fallbackPrimaryApprovers"] = []any{ss("targetAgentIdentitySponsorsOrOwners", "isBackup", true)}
	got := f.create(body)
	want := map[string]any{"@odata.type": "#microsoft.graph.targetAgentIdentitySponsorsOrOwners"}
	polSubset(t, "onBehalfRequestors", []any{want}, polAt(got, "requestorSettings")["onBehalfRequestors"])
	stage := polAt(got, "requestApprovalSettings", "stages", 0)
	for _, k := range []string{"primaryApprovers", "fallbackPrimaryApprovers"} {
		polSubset(t, k, []any{want}, stage[k])
		if _, ok := stage[k].([]any)[0].(map[string]any)["isBackup"]; ok {
			t.Errorf("%s kept isBackup: %v", k, stage[k])
		}
	}
	// Reviewers are not among the places the page names.
	body = f.base()
	polAt(body, "reviewSettings")["primaryReviewers"] = []any{ss("targetAgentIdentitySponsorsOrOwners")}
	if resp, _ := f.e.Do("POST", polPath, body); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("as reviewer: %d, want 400", resp.StatusCode)
	}
}
