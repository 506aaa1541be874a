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
)

const (
	guestBen   = "5eed0001-0000-4000-8000-000000000101" // seeded Fabrikam guests
	guestCarla = "5eed0001-0000-4000-8000-000000000102"
	guestDan   = "5eed0001-0000-4000-8000-000000000103"

	defRemoveAllPackages = "42ae2956-193d-4f39-be06-691b8ac4fa1d"
	defDeleteAccount     = "8d18588d-9ad3-4c0f-99d0-ec215f0e3dff"
	defCustomExtension   = "4262b724-8dba-4fad-afc3-43fcbb497a0e"
	defRequestPackage    = "c1ec1e76-f374-4375-aaa6-0bb6bd4c60be"
)

func advanceClock(e *emulatortest.Env, d string) {
	e.T.Helper()
	e.MustDo("POST", "/_emulator/clock/advance", map[string]any{"duration": d}, http.StatusOK)
}

func clockNow(e *emulatortest.Env) time.Time {
	e.T.Helper()
	now, err := time.Parse(time.RFC3339Nano, e.MustDo("GET", "/_emulator/clock", nil, http.StatusOK)["now"].(string))
	if err != nil {
		e.T.Fatal(err)
	}
	return now
}

func changeUser(e *emulatortest.Env, id string, patch map[string]any) {
	e.T.Helper()
	e.MustDo("PATCH", "/_emulator/objects/users/"+id, patch, http.StatusNoContent)
}

func getUser(e *emulatortest.Env, id string) (int, map[string]any) {
	e.T.Helper()
	resp, body := e.Do("GET", "/v1.0/users/"+id+"?$select=id,accountEnabled", nil)
	return resp.StatusCode, body
}

// accessPackageFor makes a catalog, a package and a direct-assignment policy.
func accessPackageFor(e *emulatortest.Env) (pkg, policy string) {
	e.T.Helper()
	cat := e.CreateCatalog(map[string]any{"displayName": "Partners", "description": ""})["id"].(string)
	pkg = e.MustDo("POST", emulatortest.EMPath+"/accessPackages", map[string]any{
		"displayName": "Partner access", "description": "", "catalog": map[string]any{"id": cat}}, http.StatusCreated)["id"].(string)
	policy = e.MustDo("POST", emulatortest.EMPath+"/assignmentPolicies", map[string]any{
		"displayName": "Direct", "description": "", "accessPackage": map[string]any{"id": pkg}}, http.StatusCreated)["id"].(string)
	return pkg, policy
}

func liveAssignments(e *emulatortest.Env, user string) []map[string]any {
	e.T.Helper()
	q := url.Values{"$filter": {"target/objectId eq '" + user + "'"}}
	var out []map[string]any
	for _, a := range emulatortest.ValueList(e.T, e.MustDo("GET", emulatortest.EMPath+"/assignments?"+q.Encode(), nil, http.StatusOK)) {
		if a["state"] == "delivered" {
			out = append(out, a)
		}
	}
	return out
}

func task(name, def string, cont bool, args ...string) map[string]any {
	list := []any{}
	for i := 0; i+1 < len(args); i += 2 {
		list = append(list, map[string]any{"name": args[i], "value": args[i+1]})
	}
	return map[string]any{"displayName": name, "taskDefinitionId": def, "isEnabled": true, "continueOnError": cont, "arguments": list}
}

// guestLeaver is a leaver workflow for Fabrikam's guests on their employeeLeaveDateTime.
func guestLeaver(scheduling bool) map[string]any {
	return map[string]any{
		"category": "leaver", "displayName": "Fabrikam guests leave", "description": "",
		"isEnabled": true, "isSchedulingEnabled": scheduling,
		"executionConditions": map[string]any{
			"@odata.type": "#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions",
			"scope": map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.ruleBasedSubjectSet",
				"rule": "(userType eq 'Guest') and (companyName eq 'Fabrikam')"},
			"trigger": map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.timeBasedAttributeTrigger",
				"timeBasedAttribute": "employeeLeaveDateTime", "offsetInDays": 0},
		},
		"tasks": []any{
			task("Remove access packages", defRemoveAllPackages, false),
			task("Disable account", lwDefDisable, false),
		},
	}
}

// A scheduled leaver workflow processes the guest whose leave date has come, once: the
// assignment is removed, the account disabled, and the run is reported at every level.
func TestLifecycleScheduledLeaverRun(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{DeliveryDelay: -1})
	pkg, policy := accessPackageFor(e)
	e.MustDo("POST", emulatortest.EMPath+"/assignmentRequests", map[string]any{"requestType": "adminAdd",
		"assignment": map[string]any{"targetId": guestBen, "assignmentPolicyId": policy, "accessPackageId": pkg}}, http.StatusCreated)
	if len(liveAssignments(e, guestBen)) != 1 {
		t.Fatal("setup: Ben has no assignment")
	}
	wf := lwCreate(e, guestLeaver(true))["id"].(string)
	leave := clockNow(e).Add(24 * time.Hour).UTC().Format(time.RFC3339)
	changeUser(e, guestBen, map[string]any{"employeeLeaveDateTime": leave})
	changeUser(e, guestDan, map[string]any{"employeeLeaveDateTime": leave, "companyName": "Contoso"}) // out of scope

	advanceClock(e, "PT12H") // before the day: nothing yet
	p := lwPath + "/workflows/" + wf
	if runs := emulatortest.ValueList(t, lwStatus(e, "GET", p+"/runs", nil, 200)); len(runs) != 0 {
		t.Fatalf("runs before the leave date: %v", runs)
	}
	advanceClock(e, "P1D")
	if _, u := getUser(e, guestBen); u["accountEnabled"] != false {
		t.Errorf("Ben still enabled: %v", u)
	}
	if got := liveAssignments(e, guestBen); len(got) != 0 {
		t.Errorf("Ben's assignments not removed: %v", got)
	}
	for _, other := range []string{guestCarla, guestDan} {
		if _, u := getUser(e, other); u["accountEnabled"] != true {
			t.Errorf("%s processed: %v", other, u)
		}
	}
	runs := emulatortest.ValueList(t, lwStatus(e, "GET", p+"/runs", nil, 200))
	if len(runs) != 1 || runs[0]["workflowExecutionType"] != "scheduled" || runs[0]["processingStatus"] != "completed" ||
		runs[0]["totalUsersCount"] != float64(1) || runs[0]["totalTasksCount"] != float64(2) {
		t.Fatalf("runs: %v", runs)
	}
	emulatortest.NoInternal(t, runs)
	run := runs[0]["id"].(string)
	lwStatus(e, "GET", p+"/runs/"+run, nil, 200)
	users := emulatortest.ValueList(t, lwStatus(e, "GET", p+"/runs/"+run+"/userProcessingResults", nil, 200))
	if len(users) != 1 || users[0]["subject"].(map[string]any)["id"] != guestBen || users[0]["processingStatus"] != "completed" {
		t.Fatalf("userProcessingResults: %v", users)
	}
	upr := users[0]["id"].(string)
	tasks := emulatortest.ValueList(t, lwStatus(e, "GET", p+"/runs/"+run+"/userProcessingResults/"+upr+"/taskProcessingResults", nil, 200))
	if len(tasks) != 2 || tasks[0]["processingStatus"] != "completed" || tasks[0]["task"].(map[string]any)["taskDefinitionId"] != defRemoveAllPackages {
		t.Fatalf("taskProcessingResults: %v", tasks)
	}
	if same := emulatortest.ValueList(t, lwStatus(e, "GET", p+"/userProcessingResults/"+upr+"/taskProcessingResults", nil, 200)); len(same) != 2 {
		t.Errorf("through the workflow's userProcessingResults: %v", same)
	}
	reports := emulatortest.ValueList(t, lwStatus(e, "GET", p+"/taskReports", nil, 200))
	if len(reports) != 2 || reports[0]["runId"] != run || reports[0]["successfulUsersCount"] != float64(1) {
		t.Fatalf("taskReports: %v", reports)
	}
	if r := emulatortest.ValueList(t, lwStatus(e, "GET", p+"/taskReports/"+reports[1]["id"].(string)+"/taskProcessingResults", nil, 200)); len(r) != 1 {
		t.Errorf("a task report's results: %v", r)
	}
	q := url.Values{"$filter": {"processingStatus eq 'failed'"}}
	if failed := emulatortest.ValueList(t, lwStatus(e, "GET", p+"/runs?"+q.Encode(), nil, 200)); len(failed) != 0 {
		t.Errorf("$filter: %v", failed)
	}
	lwStatus(e, "GET", p+"/runs/"+upr, nil, 404)

	// Once per occurrence: the next evaluations leave Ben alone; a new leave date is a new one.
	advanceClock(e, "P1D")
	if runs := emulatortest.ValueList(t, lwStatus(e, "GET", p+"/runs", nil, 200)); len(runs) != 1 {
		t.Fatalf("Ben processed again: %v", runs)
	}
	audit := auditLines(e)
	for _, want := range []string{"accessPackageAssignmentRemovalRequested", "userDisabled " + guestBen, "workflowRunCompleted " + wf} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit trail lacks %q:\n%s", want, audit)
		}
	}
}

func auditLines(e *emulatortest.Env) string {
	e.T.Helper()
	var b strings.Builder
	for _, a := range emulatortest.ValueList(e.T, e.MustDo("GET", "/_emulator/audit", nil, http.StatusOK)) {
		b.WriteString(a["activity"].(string) + " " + a["objectId"].(string) + "\n")
	}
	return b.String()
}

// A workflow without scheduling (or disabled) is never evaluated: no effect is even pending.
func TestLifecycleScheduledOffDoesNothing(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{DeliveryDelay: -1})
	wf := lwCreate(e, guestLeaver(false))["id"].(string)
	changeUser(e, guestBen, map[string]any{"employeeLeaveDateTime": clockNow(e).Add(time.Hour).UTC().Format(time.RFC3339)})
	if n := e.MustDo("GET", "/_emulator/clock", nil, http.StatusOK)["pendingEffects"]; n != float64(0) {
		t.Errorf("pending effects without a scheduled workflow: %v", n)
	}
	advanceClock(e, "P2D")
	if runs := emulatortest.ValueList(t, lwStatus(e, "GET", lwPath+"/workflows/"+wf+"/runs", nil, 200)); len(runs) != 0 {
		t.Fatalf("runs: %v", runs)
	}
	if _, u := getUser(e, guestBen); u["accountEnabled"] != true {
		t.Errorf("Ben disabled: %v", u)
	}
	if got := lwStatus(e, "GET", lwPath+"/workflows/"+wf, nil, 200)["nextScheduleRunDateTime"]; got != nil {
		t.Errorf("nextScheduleRunDateTime of an unscheduled workflow: %v", got)
	}
	// Enabling scheduling registers the evaluation; the leave date is still in the window.
	lwStatus(e, "PATCH", lwPath+"/workflows/"+wf, map[string]any{"isSchedulingEnabled": true}, 204)
	want := clockNow(e).UTC().Truncate(3 * time.Hour).Add(3 * time.Hour)
	next, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(lwStatus(e, "GET", lwPath+"/workflows/"+wf, nil, 200)["nextScheduleRunDateTime"]))
	if !next.Equal(want) {
		t.Errorf("nextScheduleRunDateTime %v, want %v", next, want)
	}
	advanceClock(e, "PT3H")
	if _, u := getUser(e, guestBen); u["accountEnabled"] != false {
		t.Errorf("Ben not processed once scheduling was enabled: %v", u)
	}
}

// The interval of the settings sets when evaluations happen; a failing task is reported
// failed and stops the user's later tasks; mails land in the outbox; a deleted account
// is gone; the custom task extension's callout is recorded.
func TestLifecycleScheduledTasksAndOutbox(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{DeliveryDelay: -1})
	lwStatus(e, "PATCH", lwPath+"/settings", map[string]any{"workflowScheduleIntervalInHours": 1, "emailSettings": map[string]any{"senderDomain": "", "useCompanyBranding": false}}, 204)
	gone := e.MustDo("POST", "/v1.0/groups", map[string]any{"displayName": "Temp", "mailEnabled": false, "mailNickname": "temp",
		"securityEnabled": true}, http.StatusCreated)["id"].(string)
	ext := "11111111-2222-4333-8444-555555555555"
	// The extension the task names, stored as the custom task extensions area keeps them
	// (collection "customTaskExtensions"), for a local API that checks it exists.
	e.Put("customTaskExtensions", map[string]any{"id": ext, "displayName": "Contract check", "description": ""})
	body := map[string]any{
		"category": "joiner", "displayName": "New Marketing hires", "description": "",
		"isEnabled": true, "isSchedulingEnabled": true,
		"executionConditions": map[string]any{
			"@odata.type": "#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions",
			"scope": map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.ruleBasedSubjectSet",
				"rule": "(department eq 'Marketing') and (accountEnabled eq true)"},
			"trigger": map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.timeBasedAttributeTrigger",
				"timeBasedAttribute": "employeeHireDate", "offsetInDays": -1},
		},
		"tasks": []any{
			task("Welcome", lwDefWelcome, true, "customSubject", "Hello"),
			task("Extension", defCustomExtension, true, "customTaskExtensionID", ext),
			task("Add to Temp", lwDefAddGroups, false, "groupID", gone),
			task("Add to Marketing", lwDefAddGroups, false, "groupID", lwGroup2),
		},
	}
	resp, obj := e.DoWith(e.Token, "POST", lwPath+"/workflows", body, lwPrefer())
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("workflow refused: %d %v", resp.StatusCode, obj)
	}
	wf := obj["id"].(string)
	e.MustDo("DELETE", "/v1.0/groups/"+gone, nil, http.StatusNoContent)
	// Hired in two days: the workflow runs one day before.
	hire := clockNow(e).Add(48 * time.Hour).UTC().Format(time.RFC3339)
	changeUser(e, lwUser1, map[string]any{"department": "Marketing", "employeeHireDate": hire})
	advanceClock(e, "PT23H")
	if runs := emulatortest.ValueList(t, lwStatus(e, "GET", lwPath+"/workflows/"+wf+"/runs", nil, 200)); len(runs) != 0 {
		t.Fatalf("run before the day: %v", runs)
	}
	advanceClock(e, "PT2H") // hourly evaluations: the first after the day processes
	users := emulatortest.ValueList(t, lwStatus(e, "GET", lwPath+"/workflows/"+wf+"/userProcessingResults", nil, 200))
	if len(users) != 1 || users[0]["processingStatus"] != "failed" || users[0]["failedTasksCount"] != float64(1) || users[0]["totalUnprocessedTasksCount"] != float64(1) {
		t.Fatalf("userProcessingResults: %v", users)
	}
	results := emulatortest.ValueList(t, lwStatus(e, "GET", lwPath+"/workflows/"+wf+"/userProcessingResults/"+users[0]["id"].(string)+"/taskProcessingResults", nil, 200))
	status := map[string]string{}
	for _, r := range results {
		status[r["task"].(map[string]any)["displayName"].(string)] = r["processingStatus"].(string)
		if r["processingStatus"] == "failed" && !strings.Contains(r["failureReason"].(string), gone) {
			t.Errorf("failureReason: %v", r)
		}
	}
	if status["Welcome"] != "completed" || status["Extension"] != "completed" || status["Add to Temp"] != "failed" || status["Add to Marketing"] != "canceled" {
		t.Errorf("task statuses: %v", status)
	}
	members, _ := e.Srv.GroupMemberIDs(lwGroup2)
	for _, m := range members {
		if m == lwUser1 {
			t.Error("a canceled task changed the directory")
		}
	}
	mails := emulatortest.ValueList(t, e.MustDo("GET", "/_emulator/outbox", nil, http.StatusOK))
	if len(mails) != 1 || mails[0]["to"] != "PattiF@contoso.onmicrosoft.com" || mails[0]["subject"] != "Hello" || mails[0]["workflowId"] != wf {
		t.Fatalf("outbox: %v", mails)
	}
	if audit := auditLines(e); !strings.Contains(audit, "customTaskExtensionCalloutSent "+ext) || !strings.Contains(audit, "mailSent "+lwUser1) {
		t.Errorf("audit trail:\n%s", audit)
	}

	// A leaver on demand: the account is deleted; a second run for the same user fails.
	leaver := lwCreate(e, map[string]any{
		"category": "leaver", "displayName": "Delete now", "isEnabled": true,
		"executionConditions": map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.onDemandExecutionOnly"},
		"tasks":               []any{task("Delete", defDeleteAccount, false)},
	})["id"].(string)
	subjects := map[string]any{"subjects": []any{map[string]any{"id": guestCarla}}}
	lwStatus(e, "POST", lwPath+"/workflows/"+leaver+"/activate", subjects, 204)
	if code, _ := getUser(e, guestCarla); code != http.StatusNotFound {
		t.Errorf("Carla not deleted: %d", code)
	}
}

// A membership change trigger processes the users added to the scope's group after the
// first evaluation, not those already in it.
func TestLifecycleScheduledMembershipChange(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{DeliveryDelay: -1})
	pkg, policy := accessPackageFor(e)
	body := lwMover("Sales joiners get access")
	body["isEnabled"], body["isSchedulingEnabled"] = true, true
	body["tasks"] = []any{task("Request access", defRequestPackage, false, "accessPackageId", pkg, "assignmentPolicyId", policy)}
	wf := lwCreate(e, body)["id"].(string)
	advanceClock(e, "PT3H") // the first evaluation only notes the members
	e.MustDo("POST", "/v1.0/groups/"+lwGroup1+"/members/$ref", map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/" + guestDan}, http.StatusNoContent)
	advanceClock(e, "PT3H")
	users := emulatortest.ValueList(t, lwStatus(e, "GET", lwPath+"/workflows/"+wf+"/userProcessingResults", nil, 200))
	if len(users) != 1 || users[0]["subject"].(map[string]any)["id"] != guestDan {
		t.Fatalf("userProcessingResults: %v", users)
	}
	if got := liveAssignments(e, guestDan); len(got) != 1 {
		t.Errorf("Dan's requested assignment: %v", got)
	}
}

func triggerWorkflow(category, name string, scope, trigger map[string]any, tasks ...any) map[string]any {
	return map[string]any{
		"category": category, "displayName": name, "description": "", "isEnabled": true, "isSchedulingEnabled": true,
		"executionConditions": map[string]any{
			"@odata.type": "#microsoft.graph.identityGovernance.triggerAndScopeBasedConditions", "scope": scope, "trigger": trigger},
		"tasks": tasks,
	}
}

func processedUsers(e *emulatortest.Env, wf string) []string {
	e.T.Helper()
	var out []string
	for _, u := range emulatortest.ValueList(e.T, lwStatus(e, "GET", lwPath+"/workflows/"+wf+"/userProcessingResults", nil, 200)) {
		out = append(out, u["subject"].(map[string]any)["id"].(string))
	}
	return out
}

// An attribute change trigger processes the users in scope whose watched attribute changed
// since the previous evaluation; an inactivity trigger those who have not signed in for the
// period; a membership change trigger with remove those who left the scope's group.
func TestLifecycleScheduledOtherTriggers(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{DeliveryDelay: -1})
	ruleScope := map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.ruleBasedSubjectSet", "rule": "(companyName eq 'Contoso')"}
	moved := lwCreate(e, triggerWorkflow("mover", "Job changes", ruleScope,
		map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.attributeChangeTrigger",
			"triggerAttributes": []any{map[string]any{"name": "jobTitle"}}},
		task("Add to Marketing", lwDefAddGroups, false, "groupID", lwGroup2)))["id"].(string)
	idle := lwCreate(e, triggerWorkflow("leaver", "Inactive guests",
		map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.ruleBasedSubjectSet", "rule": "(userType eq 'Guest')"},
		map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.userInactivityTrigger", "inactivityPeriodInDays": 30},
		task("Disable", lwDefDisable, false)))["id"].(string)
	left := lwCreate(e, triggerWorkflow("leaver", "Left Sales",
		map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.groupBasedSubjectSet", "groups": []any{map[string]any{"id": lwGroup1}}},
		map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.membershipChangeTrigger", "changeType": "remove"},
		task("Disable", lwDefDisable, false)))["id"].(string)
	e.MustDo("POST", "/v1.0/groups/"+lwGroup1+"/members/$ref", map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/" + lwUser1}, http.StatusNoContent)

	now := clockNow(e)
	changeUser(e, guestBen, map[string]any{"signInActivity": map[string]any{"lastSuccessfulSignInDateTime": now.Add(-40 * 24 * time.Hour).Format(time.RFC3339)}})
	changeUser(e, guestCarla, map[string]any{"signInActivity": map[string]any{"lastSuccessfulSignInDateTime": now.Add(-time.Hour).Format(time.RFC3339)}})
	changeUser(e, guestDan, map[string]any{"signInActivity": map[string]any{"lastSuccessfulSignInDateTime": now.Add(-10 * 24 * time.Hour).Format(time.RFC3339)}})
	advanceClock(e, "PT3H") // first evaluation: baselines noted; Ben inactive for 40 days
	if got := processedUsers(e, moved); len(got) != 0 {
		t.Errorf("attribute change on the first evaluation: %v", got)
	}
	if got := processedUsers(e, left); len(got) != 0 {
		t.Errorf("membership change on the first evaluation: %v", got)
	}
	if got := processedUsers(e, idle); len(got) != 1 || got[0] != guestBen {
		t.Errorf("inactive users: %v, want Ben", got)
	}

	changeUser(e, lwUser1, map[string]any{"jobTitle": "Sales lead"})
	e.MustDo("DELETE", "/v1.0/groups/"+lwGroup1+"/members/"+lwUser1+"/$ref", nil, http.StatusNoContent)
	advanceClock(e, "P20D") // Dan passes 30 days of inactivity on the way
	if got := processedUsers(e, moved); len(got) != 1 || got[0] != lwUser1 {
		t.Errorf("attribute change: %v, want Patti", got)
	}
	if got := processedUsers(e, left); len(got) != 1 || got[0] != lwUser1 {
		t.Errorf("left the group: %v, want Patti", got)
	}
	if got := processedUsers(e, idle); len(got) != 2 || got[1] != guestDan {
		t.Errorf("inactive users: %v, want Ben then Dan", got)
	}
}
