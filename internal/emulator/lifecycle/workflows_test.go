package lifecycle_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/identity"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/lifecycle"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

const (
	lwPath            = "/v1.0/identityGovernance/lifecycleWorkflows"
	lwGroup1          = "5eed0002-0000-4000-8000-000000000001" // seeded Sales
	lwGroup2          = "5eed0002-0000-4000-8000-000000000002" // seeded Marketing
	lwUser1           = "5eed0001-0000-4000-8000-000000000001"
	lwDefDisable      = "1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950"
	lwDefRemoveGroups = "1953a66c-751c-45e5-8bfe-01462c70da3c"
	lwDefWelcome      = "70b29d51-b59a-4773-9280-8841dfd3f2ea"
	lwDefAddGroups    = "22085229-5809-45e8-97fd-270d28d66910"
	lwDefNotifyMove   = "aab41899-9972-422a-9d97-f626014578b7"
	lwDefTAP          = "1b555e50-7f65-41d5-b514-5894a026d10d"
	lwPreferAll       = "include-unknown-enum-members"
)

func lwPrefer() map[string]string { return map[string]string{"Prefer": lwPreferAll} }

// lwLeaver is the composed example of spec 2.7 (leaver, rule scope, time trigger).
func lwLeaver(name string) map[string]any {
	return map[string]any{
		"@odata.type": "#microsoft.graph.identityGovernance.workflow",
		"category":    "leaver", "displayName": name, "description": "Offboard on the last day",
		"isEnabled": true, "isSchedulingEnabled": false,
		"executionConditions": map[string]any{
			"@odata.type": "#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions",
			"scope":       map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.ruleBasedSubjectSet", "rule": "(department eq 'Sales')"},
			"trigger": map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.timeBasedAttributeTrigger",
				"timeBasedAttribute": "employeeLeaveDateTime", "offsetInDays": 0},
		},
		"tasks": []any{
			map[string]any{"displayName": "Disable account", "taskDefinitionId": lwDefDisable,
				"isEnabled": true, "continueOnError": false, "arguments": []any{}},
			map[string]any{"displayName": "Remove from groups", "taskDefinitionId": lwDefRemoveGroups,
				"isEnabled": true, "continueOnError": true,
				"arguments": []any{map[string]any{"name": "groupID", "value": lwGroup1 + ", " + lwGroup2}}},
		},
	}
}

func lwJoiner(name string) map[string]any {
	return map[string]any{
		"category": "joiner", "displayName": name,
		"executionConditions": map[string]any{
			"@odata.type": "microsoft.graph.identityGovernance.triggerAndScopeBasedConditions",
			"scope": map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.ruleBasedSubjectSet",
				"rule": "(department eq 'Marketing') and (accountEnabled in (true))"},
			"trigger": map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.timeBasedAttributeTrigger",
				"timeBasedAttribute": "employeeHireDate", "offsetInDays": -7},
		},
		"tasks": []any{
			map[string]any{"displayName": "Welcome", "taskDefinitionId": lwDefWelcome,
				"arguments": []any{map[string]any{"name": "locale", "value": "en-us"}}},
			map[string]any{"displayName": "TAP", "taskDefinitionId": lwDefTAP, "arguments": []any{
				map[string]any{"name": "tapLifetimeMinutes", "value": "480"},
				map[string]any{"name": "tapIsUsableOnce", "value": "True"}}},
		},
	}
}

func lwMover(name string) map[string]any {
	return map[string]any{
		"category": "mover", "displayName": name,
		"executionConditions": map[string]any{
			"@odata.type": "#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions",
			"scope": map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.groupBasedSubjectSet",
				"groups": []any{map[string]any{"id": lwGroup1}}},
			"trigger": map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.membershipChangeTrigger", "changeType": "add"},
		},
		"tasks": []any{
			map[string]any{"displayName": "Add to groups", "taskDefinitionId": lwDefAddGroups,
				"arguments": []any{map[string]any{"name": "groupID", "value": lwGroup2}}},
			map[string]any{"displayName": "Notify", "taskDefinitionId": lwDefNotifyMove, "arguments": []any{}},
		},
	}
}

func lwOnDemandBody(name string) map[string]any {
	return map[string]any{
		"category": "leaver", "displayName": name,
		"executionConditions": map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.onDemandExecutionOnly"},
		"tasks": []any{map[string]any{"displayName": "Disable", "taskDefinitionId": lwDefDisable, "arguments": []any{
			map[string]any{"name": "disableOnPremisesAccount", "value": "false"}}}},
	}
}

func lwCreate(e *emulatortest.Env, body map[string]any) map[string]any {
	e.T.Helper()
	resp, obj := e.DoWith(e.Token, "POST", lwPath+"/workflows", body, lwPrefer())
	if resp.StatusCode != http.StatusCreated {
		e.T.Fatalf("create workflow: %d %v", resp.StatusCode, obj)
	}
	return obj
}

func lwTasks(obj map[string]any) []map[string]any {
	var out []map[string]any
	for _, t := range obj["tasks"].([]any) {
		out = append(out, t.(map[string]any))
	}
	return out
}

func lwStatus(e *emulatortest.Env, method, path string, body any, want int) map[string]any {
	e.T.Helper()
	resp, obj := e.DoWith(e.Token, method, path, body, lwPrefer())
	if resp.StatusCode != want {
		e.T.Fatalf("%s %s: got %d, want %d: %v", method, path, resp.StatusCode, want, obj)
	}
	return obj
}

func TestLifecycleCreateAndGetShapes(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	leaver := lwCreate(e, lwLeaver("Offboard on last day"))
	if leaver["version"] != float64(1) || leaver["deletedDateTime"] != nil || leaver["nextScheduleRunDateTime"] != nil ||
		leaver["createdDateTime"] == nil || leaver["lastModifiedDateTime"] == nil || leaver["isEnabled"] != true {
		t.Fatalf("create response: %v", leaver)
	}
	if by := leaver["createdBy"].(map[string]any); by["id"] != identity.DefaultAdminObjectID {
		t.Fatalf("createdBy = %v", by)
	}
	id := leaver["id"].(string)
	got := lwStatus(e, "GET", lwPath+"/workflows/"+id, nil, 200)
	tasks := lwTasks(got)
	if len(tasks) != 2 {
		t.Fatalf("tasks: %v", got["tasks"])
	}
	want := []struct {
		seq      float64
		category string
		cont     bool
	}{{1, "joiner,leaver", false}, {2, "joiner,leaver,mover", true}}
	for i, w := range want {
		tk := tasks[i]
		if tk["executionSequence"] != w.seq || tk["category"] != w.category || tk["continueOnError"] != w.cont || tk["isEnabled"] != true {
			t.Errorf("task %d: %v", i, tk)
		}
		if _, err := uuid.Parse(tk["id"].(string)); err != nil {
			t.Errorf("task id %v", tk["id"])
		}
		for _, k := range []string{"displayName", "description", "taskDefinitionId", "arguments"} {
			if _, ok := tk[k]; !ok {
				t.Errorf("task %d lacks %s", i, k)
			}
		}
	}
	if args := tasks[1]["arguments"].([]any); len(args) != 1 || args[0].(map[string]any)["value"] != lwGroup1+", "+lwGroup2 {
		t.Errorf("arguments: %v", args)
	}
	ec := got["executionConditions"].(map[string]any)
	if ec["@odata.type"] != "#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions" ||
		ec["trigger"].(map[string]any)["offsetInDays"] != float64(0) {
		t.Errorf("executionConditions: %v", ec)
	}
	for k := range got {
		if strings.HasPrefix(k, "_") {
			t.Errorf("internal field %s in output", k)
		}
	}

	joiner := lwCreate(e, lwJoiner("Onboard"))
	jt := lwTasks(joiner)
	if jt[1]["arguments"].([]any)[1].(map[string]any)["value"] != "true" {
		t.Errorf("enum argument not canonical: %v", jt[1]["arguments"])
	}
	mover := lwCreate(e, lwMover("Move"))
	if mover["category"] != "mover" {
		t.Errorf("mover category with Prefer: %v", mover["category"])
	}
	od := lwCreate(e, lwOnDemandBody("On demand"))
	if od["executionConditions"].(map[string]any)["@odata.type"] != "#microsoft.graph.identityGovernance.onDemandExecutionOnly" {
		t.Errorf("on demand: %v", od["executionConditions"])
	}

	// Lists omit tasks unless expanded; $filter, $orderby, $select.
	list := lwStatus(e, "GET", lwPath+"/workflows?$orderby=displayName%20desc", nil, 200)["value"].([]any)
	if len(list) != 4 || list[0].(map[string]any)["displayName"] != "Onboard" || list[3].(map[string]any)["displayName"] != "Move" {
		t.Fatalf("ordered list: %v", list)
	}
	if _, ok := list[0].(map[string]any)["tasks"]; ok {
		t.Error("list returned tasks without $expand")
	}
	for q, n := range map[string]int{
		"$filter=category eq 'leaver'":                      2,
		"$filter=displayName eq 'Move'":                     1,
		"$filter=isEnabled eq true and category eq 'mover'": 1,
		"$filter=isSchedulingEnabled eq true":               0,
	} {
		if got := lwStatus(e, "GET", lwPath+"/workflows?"+strings.ReplaceAll(q, " ", "%20"), nil, 200)["value"].([]any); len(got) != n {
			t.Errorf("%s: %d items", q, len(got))
		}
	}
	sel := lwStatus(e, "GET", lwPath+"/workflows?$select=displayName&$expand=tasks&$top=1", nil, 200)
	first := sel["value"].([]any)[0].(map[string]any)
	if _, ok := first["category"]; ok || first["tasks"] == nil || sel["@odata.nextLink"] == nil {
		t.Errorf("select/expand/top: %v", sel)
	}
}

func TestLifecyclePreferSubstitution(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	mover := lwCreate(e, lwMover("Move"))
	id := mover["id"].(string)
	joiner := lwJoiner("Created")
	joiner["executionConditions"].(map[string]any)["trigger"].(map[string]any)["timeBasedAttribute"] = "createdDateTime"
	jid := lwCreate(e, joiner)["id"].(string)

	resp, plain := e.Do("GET", lwPath+"/workflows/"+id, nil)
	if resp.StatusCode != 200 || plain["category"] != "unknownFutureValue" {
		t.Fatalf("without Prefer: %v", plain["category"])
	}
	if c := lwTasks(plain)[0]["category"]; c != "joiner,leaver,unknownFutureValue" {
		t.Errorf("task flags without Prefer: %v", c)
	}
	if c := lwTasks(plain)[1]["category"]; c != "unknownFutureValue" {
		t.Errorf("mover-only task without Prefer: %v", c)
	}
	resp, full := e.DoWith(e.Token, "GET", lwPath+"/workflows/"+id, nil, map[string]string{"Prefer": "return=minimal, " + lwPreferAll})
	if full["category"] != "mover" || lwTasks(full)[0]["category"] != "joiner,leaver,mover" || resp.Header.Get("Preference-Applied") != lwPreferAll {
		t.Errorf("with Prefer: %v %v", full["category"], resp.Header)
	}
	_, jp := e.Do("GET", lwPath+"/workflows/"+jid, nil)
	if a := jp["executionConditions"].(map[string]any)["trigger"].(map[string]any)["timeBasedAttribute"]; a != "unknownFutureValue" {
		t.Errorf("timeBasedAttribute without Prefer: %v", a)
	}
	_, list := e.Do("GET", lwPath+"/workflows?$filter=category%20eq%20'mover'", nil)
	if v := list["value"].([]any); len(v) != 1 || v[0].(map[string]any)["category"] != "unknownFutureValue" {
		t.Errorf("list without Prefer: %v", list)
	}
	_, td := e.Do("GET", lwPath+"/taskDefinitions/"+lwDefNotifyMove, nil)
	if td["category"] != "unknownFutureValue" {
		t.Errorf("taskDefinition without Prefer: %v", td["category"])
	}
	_, tasks := e.Do("GET", lwPath+"/workflows/"+id+"/tasks", nil)
	if c := tasks["value"].([]any)[0].(map[string]any)["category"]; c != "joiner,leaver,unknownFutureValue" {
		t.Errorf("tasks list without Prefer: %v", c)
	}
}

func TestLifecyclePatch(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	id := lwCreate(e, lwLeaver("Leaver"))["id"].(string)
	lwCreate(e, lwOnDemandBody("Other"))
	p := lwPath + "/workflows/" + id
	lwStatus(e, "PATCH", p, map[string]any{"displayName": "Renamed", "description": "new", "isEnabled": true, "isSchedulingEnabled": true}, 204)
	got := lwStatus(e, "GET", p, nil, 200)
	if got["displayName"] != "Renamed" || got["description"] != "new" || got["isSchedulingEnabled"] != true || got["version"] != float64(1) {
		t.Fatalf("after PATCH: %v", got)
	}
	cases := []struct {
		body map[string]any
		want string
	}{
		{map[string]any{"tasks": []any{}}, "'tasks' cannot be changed with PATCH"},
		{map[string]any{"executionConditions": map[string]any{}}, "createNewVersion"},
		{map[string]any{"category": "joiner"}, "'category'"},
		{map[string]any{"isEnabled": false}, "isSchedulingEnabled cannot be true while isEnabled is false"},
		{map[string]any{"displayName": "Other"}, lifecycle.MsgLWDuplicateName},
		{map[string]any{"displayName": ""}, "must not be empty"},
		{map[string]any{"isEnabled": "maybe"}, "Edm.Boolean"},
	}
	for _, c := range cases {
		obj := lwStatus(e, "PATCH", p, c.body, 400)
		if !strings.Contains(emulatortest.ErrMessage(obj), c.want) || emulatortest.ErrCode(obj) != wire.CodeBadRequest {
			t.Errorf("%v: %v", c.body, obj)
		}
	}
	lwStatus(e, "PATCH", p, map[string]any{"isEnabled": false, "isSchedulingEnabled": false}, 204)
	lwStatus(e, "PATCH", lwPath+"/workflows/"+uuid.NewString(), map[string]any{"displayName": "x"}, 404)

	// Task PATCH: displayName and description only, names unique within the workflow.
	tasks := lwTasks(got)
	tp := p + "/tasks/" + tasks[0]["id"].(string)
	lwStatus(e, "PATCH", tp, map[string]any{"displayName": "Disable now", "description": "d"}, 204)
	tk := lwStatus(e, "GET", tp, nil, 200)
	if tk["displayName"] != "Disable now" || tk["description"] != "d" || tk["executionSequence"] != float64(1) {
		t.Errorf("task after PATCH: %v", tk)
	}
	for body, want := range map[string]string{
		`{"displayName":"Remove from groups"}`: "already used",
		`{"arguments":[]}`:                     "createNewVersion",
		`{"isEnabled":false}`:                  "'isEnabled' cannot be changed",
	} {
		if obj := lwStatus(e, "PATCH", tp, body, 400); !strings.Contains(emulatortest.ErrMessage(obj), want) {
			t.Errorf("%s: %v", body, obj)
		}
	}
	lwStatus(e, "PATCH", p+"/tasks/"+uuid.NewString(), map[string]any{"displayName": "x"}, 404)
	if v := lwStatus(e, "GET", p+"/tasks", nil, 200)["value"].([]any); len(v) != 2 {
		t.Errorf("tasks list: %v", v)
	}
}

func TestLifecycleCreateNewVersion(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	created := lwCreate(e, lwLeaver("Leaver"))
	id := created["id"].(string)
	oldTasks := lwTasks(created)
	next := lwLeaver("Leaver v2")
	next["executionConditions"].(map[string]any)["trigger"].(map[string]any)["offsetInDays"] = 7
	next["tasks"] = append(next["tasks"].([]any), map[string]any{"displayName": "Revoke", "taskDefinitionId": "509589A4-0466-4471-829E-49C5E502BDEE"})
	got := lwStatus(e, "POST", lwPath+"/workflows/"+id+"/createNewVersion", map[string]any{"workflow": next}, 200)
	if got["id"] != id || got["version"] != float64(2) || got["displayName"] != "Leaver v2" || len(lwTasks(got)) != 3 {
		t.Fatalf("new version: %v", got)
	}
	for _, nt := range lwTasks(got) {
		for _, ot := range oldTasks {
			if nt["id"] == ot["id"] {
				t.Errorf("task id %v reused", nt["id"])
			}
		}
	}
	if lwTasks(got)[2]["executionSequence"] != float64(3) {
		t.Errorf("sequence: %v", lwTasks(got)[2])
	}
	vs := lwStatus(e, "GET", lwPath+"/workflows/"+id+"/versions", nil, 200)["value"].([]any)
	if len(vs) != 2 || vs[0].(map[string]any)["versionNumber"] != float64(1) || vs[1].(map[string]any)["versionNumber"] != float64(2) {
		t.Fatalf("versions: %v", vs)
	}
	v1 := lwStatus(e, "GET", lwPath+"/workflows/"+id+"/versions/1", nil, 200)
	if v1["displayName"] != "Leaver" || len(lwTasks(v1)) != 2 || lwTasks(v1)[0]["id"] != oldTasks[0]["id"] {
		t.Errorf("version 1: %v", v1)
	}
	v1t := lwStatus(e, "GET", lwPath+"/workflows/"+id+"/versions/1/tasks", nil, 200)["value"].([]any)
	if len(v1t) != 2 {
		t.Errorf("version 1 tasks: %v", v1t)
	}
	lwStatus(e, "GET", lwPath+"/workflows/"+id+"/versions/1/tasks/"+oldTasks[1]["id"].(string), nil, 200)
	lwStatus(e, "GET", lwPath+"/workflows/"+id+"/versions/9", nil, 404)

	// Also under the namespace-qualified action name.
	next3 := lwLeaver("Leaver v3")
	got = lwStatus(e, "POST", lwPath+"/workflows/"+id+"/microsoft.graph.identityGovernance.createNewVersion", map[string]any{"workflow": next3}, 200)
	if got["version"] != float64(3) {
		t.Errorf("v3: %v", got["version"])
	}
	bad := lwJoiner("Leaver v4")
	if obj := lwStatus(e, "POST", lwPath+"/workflows/"+id+"/createNewVersion", map[string]any{"workflow": bad}, 400); !strings.Contains(emulatortest.ErrMessage(obj), "category") {
		t.Errorf("category change: %v", obj)
	}
	// Example 2 of https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-createnewversion?view=graph-rest-1.0
	// sends the workflow itself, without the parameter wrapper; the answer is the workflow either way.
	got = lwStatus(e, "POST", lwPath+"/workflows/"+id+"/createNewVersion", lwLeaver("unwrapped"), 200)
	if got["version"] != float64(4) || got["displayName"] != "unwrapped" || len(lwTasks(got)) != 2 || got["workflow"] != nil {
		t.Errorf("unwrapped: %v", got)
	}
	unwrappedBad := lwJoiner("unwrapped joiner")
	if obj := lwStatus(e, "POST", lwPath+"/workflows/"+id+"/createNewVersion", unwrappedBad, 400); !strings.HasPrefix(emulatortest.ErrMessage(obj), "category:") {
		t.Errorf("unwrapped category change: %v", obj)
	}
	if obj := lwStatus(e, "POST", lwPath+"/workflows/"+id+"/createNewVersion", map[string]any{"workflow": lwLeaver("x"), "displayName": "y"}, 400); !strings.Contains(emulatortest.ErrMessage(obj), "'displayName' is not a parameter") {
		t.Errorf("wrapper plus a workflow property: %v", obj)
	}
	if obj := lwStatus(e, "POST", lwPath+"/workflows/"+id+"/createNewVersion", map[string]any{"workflow": nil}, 400); !strings.HasPrefix(emulatortest.ErrMessage(obj), "workflow:") {
		t.Errorf("null workflow: %v", obj)
	}
	broken := lwLeaver("Leaver v4")
	broken["tasks"] = []any{}
	if obj := lwStatus(e, "POST", lwPath+"/workflows/"+id+"/createNewVersion", map[string]any{"workflow": broken}, 400); !strings.HasPrefix(emulatortest.ErrMessage(obj), "workflow.tasks:") {
		t.Errorf("invalid version: %v", obj)
	}
	lwStatus(e, "POST", lwPath+"/workflows/"+uuid.NewString()+"/createNewVersion", map[string]any{"workflow": lwLeaver("x")}, 404)
}

func TestLifecycleDeleteRestorePurge(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	id := lwCreate(e, lwLeaver("Leaver"))["id"].(string)
	p := lwPath + "/workflows/" + id
	lwStatus(e, "DELETE", p, nil, 204)
	lwStatus(e, "GET", p, nil, 404)
	lwStatus(e, "DELETE", p, nil, 404)
	if v := lwStatus(e, "GET", lwPath+"/workflows", nil, 200)["value"].([]any); len(v) != 0 {
		t.Errorf("active list after delete: %v", v)
	}
	del := lwStatus(e, "GET", lwPath+"/deletedItems/workflows", nil, 200)["value"].([]any)
	if len(del) != 1 || del[0].(map[string]any)["deletedDateTime"] == nil {
		t.Fatalf("deleted items: %v", del)
	}
	d := lwStatus(e, "GET", lwPath+"/deletedItems/workflows/"+id, nil, 200)
	if d["deletedDateTime"] == nil || len(lwTasks(d)) != 2 {
		t.Errorf("deleted item: %v", d)
	}
	// The name is free while the workflow is deleted; restoring then collides.
	other := lwCreate(e, lwLeaver("Leaver"))["id"].(string)
	lwStatus(e, "POST", lwPath+"/deletedItems/workflows/"+id+"/restore", nil, 400)
	lwStatus(e, "DELETE", lwPath+"/workflows/"+other, nil, 204)
	lwStatus(e, "DELETE", lwPath+"/deletedItems/workflows/"+other, nil, 204)
	lwStatus(e, "GET", lwPath+"/deletedItems/workflows/"+other, nil, 404)
	restored := lwStatus(e, "POST", lwPath+"/deletedItems/workflows/"+id+"/restore", nil, 200)
	if restored["id"] != id || restored["deletedDateTime"] != nil {
		t.Errorf("restored: %v", restored)
	}
	lwStatus(e, "GET", p, nil, 200)
	lwStatus(e, "GET", lwPath+"/deletedItems/workflows/"+id, nil, 404)
	lwStatus(e, "DELETE", p, nil, 204)
	lwStatus(e, "DELETE", lwPath+"/deletedItems/workflows/"+id, nil, 204)
	lwStatus(e, "POST", lwPath+"/deletedItems/workflows/"+id+"/restore", nil, 404)
	if objs, _ := e.Srv.ListObjects(lifecycle.CollDeletedWorkflows); len(objs) != 0 {
		t.Errorf("deleted store: %v", objs)
	}
}

func TestLifecycleLimit(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	for i := 0; i < lifecycle.MaxWorkflows-2; i++ {
		id := uuid.NewString()
		if err := e.Srv.Store.Insert(lifecycle.CollWorkflows, id, map[string]any{"id": id, "displayName": fmt.Sprintf("w%d", i)}, time.Unix(0, 0)); err != nil {
			t.Fatal(err)
		}
	}
	last := lwCreate(e, lwLeaver("99th"))["id"].(string)
	lwCreate(e, lwLeaver("100th"))
	if obj := lwStatus(e, "POST", lwPath+"/workflows", lwLeaver("101st"), 400); !strings.Contains(emulatortest.ErrMessage(obj), "limit is 100") {
		t.Errorf("limit: %v", obj)
	}
	// Soft-deleted workflows still count; a permanent delete frees a slot.
	lwStatus(e, "DELETE", lwPath+"/workflows/"+last, nil, 204)
	lwStatus(e, "POST", lwPath+"/workflows", lwLeaver("101st"), 400)
	lwStatus(e, "DELETE", lwPath+"/deletedItems/workflows/"+last, nil, 204)
	lwCreate(e, lwLeaver("101st"))
}

func TestLifecycleActivateAndReadOnlyNavs(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	id := lwCreate(e, lwOnDemandBody("Run me"))["id"].(string)
	p := lwPath + "/workflows/" + id
	lwStatus(e, "POST", p+"/activate", map[string]any{"subjects": []any{map[string]any{"id": lwUser1}}}, 204)
	lwStatus(e, "POST", p+"/microsoft.graph.identityGovernance.activate", map[string]any{"subjects": []any{map[string]any{"id": lwUser1}}}, 204)
	lwStatus(e, "POST", p+"/activate", map[string]any{"subjects": []any{map[string]any{"id": uuid.NewString()}}}, 400)
	lwStatus(e, "POST", p+"/activate", map[string]any{"subjects": []any{}}, 400)
	lwStatus(e, "PATCH", p, map[string]any{"isEnabled": false}, 204)
	lwStatus(e, "POST", p+"/activate", map[string]any{"subjects": []any{map[string]any{"id": lwUser1}}}, 400)
	// The two accepted activations are two on-demand runs, each with the user's result and
	// a report of its one task; the refused ones left nothing.
	for nav, want := range map[string]int{"runs": 2, "userProcessingResults": 2, "taskReports": 2} {
		v := lwStatus(e, "GET", p+"/"+nav, nil, 200)["value"].([]any)
		if len(v) != want {
			t.Fatalf("%s: %d items, want %d: %v", nav, len(v), want, v)
		}
		for _, x := range v {
			m := x.(map[string]any)
			if (nav != "taskReports" && m["workflowExecutionType"] != "onDemand") || m["processingStatus"] != "completed" {
				t.Errorf("%s: %v", nav, m)
			}
			if nav == "userProcessingResults" && m["subject"].(map[string]any)["id"] != lwUser1 {
				t.Errorf("subject: %v", m)
			}
			if _, internal := m["_workflowId"]; internal {
				t.Errorf("internal field answered: %v", m)
			}
		}
	}
}

func TestLifecyclePermissions(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	id := lwCreate(e, lwLeaver("Leaver"))["id"].(string)
	reader := e.GetToken(emulator.ReaderClientID, emulator.ReaderClientSecret)
	resp, _ := e.DoWith(reader, "GET", lwPath+"/workflows/"+id, nil, nil)
	if resp.StatusCode != 200 {
		t.Errorf("reader GET: %d", resp.StatusCode)
	}
	for _, c := range []struct{ method, path string }{
		{"POST", lwPath + "/workflows"}, {"PATCH", lwPath + "/workflows/" + id}, {"DELETE", lwPath + "/workflows/" + id},
		{"PATCH", lwPath + "/settings"}, {"POST", lwPath + "/workflows/" + id + "/activate"},
	} {
		resp, obj := e.DoWith(reader, c.method, c.path, map[string]any{}, nil)
		if resp.StatusCode != 403 || emulatortest.ErrCode(obj) != wire.CodeUnAuthorized {
			t.Errorf("reader %s %s: %d %v", c.method, c.path, resp.StatusCode, obj)
		}
	}
	granular := identity.NewClaims("LifecycleWorkflows-Workflow.ReadWrite.All")
	if !granular.Allows(lifecycle.Permission(lifecycle.AreaWorkflows, "POST")) || !granular.Allows(lifecycle.Permission(lifecycle.AreaActivate, "POST")) || granular.Allows(lifecycle.Permission(lifecycle.AreaSettings, "PATCH")) {
		t.Error("granular workflow permission")
	}
	basic := identity.NewClaims("LifecycleWorkflows-Workflow.Read.All")
	if !basic.Allows(lifecycle.Permission(lifecycle.AreaWorkflows, "GET")) || basic.Allows(lifecycle.Permission(lifecycle.AreaWorkflows, "PATCH")) {
		t.Error("granular read permission")
	}
}

func TestLifecycleControl(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	id := lwCreate(e, lwLeaver("Leaver"))["id"].(string)
	if err := e.Srv.ChangeObject(lifecycle.CollWorkflows, id, map[string]any{
		"executionConditions": map[string]any{"trigger": map[string]any{"offsetInDays": 30}},
	}); err != nil {
		t.Fatal(err)
	}
	if err := e.Srv.ChangeWorkflowTask(id, "Remove from groups", map[string]any{
		"continueOnError": false, "arguments": map[string]any{"groupID": lwGroup1},
	}); err != nil {
		t.Fatal(err)
	}
	got := lwStatus(e, "GET", lwPath+"/workflows/"+id, nil, 200)
	if off := got["executionConditions"].(map[string]any)["trigger"].(map[string]any)["offsetInDays"]; off != float64(30) {
		t.Errorf("trigger drift: %v", off)
	}
	tk := lwTasks(got)[1]
	if tk["continueOnError"] != false || tk["arguments"].([]any)[0].(map[string]any)["value"] != lwGroup1 {
		t.Errorf("task drift: %v", tk)
	}
	if err := e.Srv.ChangeWorkflowTask(id, "nope", map[string]any{}); err == nil {
		t.Error("unknown task changed")
	}
	obj, err := e.Srv.GetObject(lifecycle.CollWorkflows, id)
	if err != nil || obj["version"] != float64(1) {
		t.Fatalf("GetObject: %v %v", obj, err)
	}
	if err := e.Srv.DeleteObject(lifecycle.CollWorkflows, id); err != nil {
		t.Fatal(err)
	}
	lwStatus(e, "GET", lwPath+"/workflows/"+id, nil, 404)
	lwStatus(e, "GET", lwPath+"/deletedItems/workflows/"+id, nil, 404)
}

// The single-workflow answers as the reference pages show them.
func TestLifecycleWorkflowAnswersOfThePages(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	id := lwCreate(e, lwLeaver("Leaver"))["id"].(string)
	p := lwPath + "/workflows/" + id
	tasksContext := func(obj map[string]any, coll string) {
		t.Helper()
		want := e.Base + "/v1.0/$metadata#identityGovernance/lifecycleWorkflows/" + coll + "('" + id + "')/tasks"
		if obj["tasks@odata.context"] != want {
			t.Errorf("tasks@odata.context = %v, want %s", obj["tasks@odata.context"], want)
		}
	}

	// https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-get?view=graph-rest-1.0:
	// Example 1 expands the tasks with tasks@odata.context; Example 2's $select leaves them out.
	got := lwStatus(e, "GET", p, nil, 200)
	tasksContext(got, "workflows")
	if len(lwTasks(got)) != 2 {
		t.Errorf("tasks: %v", got["tasks"])
	}
	got = lwStatus(e, "GET", p+"?$select=id,displayName,executionConditions,category", nil, 200)
	if _, has := got["tasks"]; has || got["tasks@odata.context"] != nil || got["displayName"] != "Leaver" || got["description"] != nil {
		t.Errorf("$select without tasks: %v", got)
	}
	for _, q := range []string{"?$select=displayName,tasks", "?$select=displayName&$expand=tasks"} {
		got = lwStatus(e, "GET", p+q, nil, 200)
		if len(lwTasks(got)) != 2 || got["description"] != nil {
			t.Errorf("%s: %v", q, got)
		}
		tasksContext(got, "workflows")
	}

	// https://learn.microsoft.com/en-us/graph/api/identitygovernance-deleteditemcontainer-get?view=graph-rest-1.0:
	// tasks with their context, also with a $select that does not name them.
	lwStatus(e, "DELETE", p, nil, 204)
	for _, q := range []string{"", "?$select=id,category,displayName,description,version,executionConditions"} {
		got = lwStatus(e, "GET", lwPath+"/deletedItems/workflows/"+id+q, nil, 200)
		tasksContext(got, "deletedItems/workflows")
		if len(lwTasks(got)) != 2 {
			t.Errorf("deleted item%s: %v", q, got)
		}
	}

	// https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-restore?view=graph-rest-1.0:
	// the reply has the workflow's @odata.type and tasks@odata.context. Restoring is a write: the
	// current permissions table (api-reference/v1.0/includes/permissions/identitygovernance-workflow-restore-permissions.md
	// in microsoftgraph/microsoft-graph-docs-contrib) names LifecycleWorkflows-Workflow.ReadWrite.All and
	// LifecycleWorkflows.ReadWrite.All only.
	reader := e.GetToken(emulator.ReaderClientID, emulator.ReaderClientSecret)
	if resp, obj := e.DoWith(reader, "POST", lwPath+"/deletedItems/workflows/"+id+"/restore", nil, nil); resp.StatusCode != 403 {
		t.Errorf("reader restore: %d %v", resp.StatusCode, obj)
	}
	if !identity.NewClaims("LifecycleWorkflows-Workflow.ReadWrite.All").Allows(lifecycle.Permission(lifecycle.AreaWorkflows, "POST")) ||
		identity.NewClaims("LifecycleWorkflows.Read.All").Allows(lifecycle.Permission(lifecycle.AreaWorkflows, "POST")) {
		t.Error("restore permissions")
	}
	got = lwStatus(e, "POST", lwPath+"/deletedItems/workflows/"+id+"/restore", nil, 200)
	if got["@odata.type"] != "#microsoft.graph.identityGovernance.workflow" || len(lwTasks(got)) != 2 {
		t.Errorf("restored: %v", got)
	}
	tasksContext(got, "workflows")
}

// Ordering comparisons on the dates and the version, as
// https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-workflow?view=graph-rest-1.0 documents them
// (createdDateTime, lastModifiedDateTime, deletedDateTime, version: lt, le, gt, ge, eq, ne).
func TestLifecycleWorkflowOrderingFilters(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	// The local API's clock, moved by hand: B is created a minute after A.
	now := time.Now().UTC()
	e.Srv.Now = func() time.Time { return now }
	a := lwCreate(e, lwLeaver("A"))
	now = now.Add(time.Minute)
	b := lwCreate(e, lwLeaver("B"))
	lwStatus(e, "POST", lwPath+"/workflows/"+a["id"].(string)+"/createNewVersion", map[string]any{"workflow": lwLeaver("A")}, 200)
	names := func(path, filter string) string {
		t.Helper()
		got := lwStatus(e, "GET", path+"?$orderby=displayName&$filter="+url.QueryEscape(filter), nil, 200)["value"].([]any)
		var out []string
		for _, x := range got {
			out = append(out, x.(map[string]any)["displayName"].(string))
		}
		return strings.Join(out, ",")
	}
	bCreated := b["createdDateTime"].(string)
	for filter, want := range map[string]string{
		"version gt 1":                                    "A",
		"version le 1":                                    "B",
		"version ge 1 and version lt 3":                   "A,B",
		"createdDateTime lt " + bCreated:                  "A",
		"createdDateTime ge " + bCreated:                  "B",
		"createdDateTime eq " + bCreated:                  "B",
		"createdDateTime ne " + bCreated:                  "A",
		"lastModifiedDateTime gt 2000-01-01T00:00:00Z":    "A,B",
		"createdDateTime gt 2100-01-01T00:00:00.0000000Z": "",
	} {
		if got := names(lwPath+"/workflows", filter); got != want {
			t.Errorf("%s: %q, want %q", filter, got, want)
		}
	}
	for _, filter := range []string{"displayName lt 'B'", "version gt 'one'", "createdDateTime gt 2022-08-01"} {
		lwStatus(e, "GET", lwPath+"/workflows?$filter="+url.QueryEscape(filter), nil, 400)
	}
	lwStatus(e, "DELETE", lwPath+"/workflows/"+b["id"].(string), nil, 204)
	if got := names(lwPath+"/deletedItems/workflows", "deletedDateTime le "+now.Add(time.Minute).Format(time.RFC3339)); got != "B" {
		t.Errorf("deleted before now: %q", got)
	}
	if got := names(lwPath+"/deletedItems/workflows", "deletedDateTime gt "+now.Add(time.Minute).Format(time.RFC3339)); got != "" {
		t.Errorf("deleted after now: %q", got)
	}
}
