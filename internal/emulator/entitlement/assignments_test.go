package entitlement_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/entitlement"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

const (
	asgReqPath = emulatortest.EMPath + "/assignmentRequests"
	asgPath    = emulatortest.EMPath + "/assignments"
	asgGuest   = "5eed0001-0000-4000-8000-000000000101"
)

// asgFixture is a package granting membership (and ownership) of a group, with a
// direct-assignment policy.
type asgFixture struct {
	*polFixture
	grp, policy string
}

func newAsgFixture(t *testing.T, cfg emulator.Config) *asgFixture {
	t.Helper()
	e := emulatortest.New(t, cfg)
	f := &asgFixture{polFixture: &polFixture{e: e, cat: govCatalog(e, "Sales")}}
	f.pkg = govPackage(e, f.cat, "Sales reps")
	f.group = govGroup(e, "Approvers")
	f.grp = govGroup(e, "Sales team")
	res := govOnboard(e, f.cat, "AadGroup", f.grp)
	govGrant(e, f.pkg, res, "Member_"+f.grp)
	govGrant(e, f.pkg, res, "Owner_"+f.grp)
	f.policy = f.create(f.minimal("Direct"))["id"].(string)
	return f
}

func (f *asgFixture) addBody(user, policy string) map[string]any {
	return map[string]any{"requestType": "adminAdd", "justification": "onboarding",
		"assignment": map[string]any{"targetId": user, "assignmentPolicyId": policy, "accessPackageId": f.pkg}}
}

func (f *asgFixture) request(body map[string]any) map[string]any {
	f.e.T.Helper()
	resp, got := f.e.Do("POST", asgReqPath, body)
	if resp.StatusCode != http.StatusCreated {
		f.e.T.Fatalf("request: %d %v", resp.StatusCode, got)
	}
	return got
}

// wait polls a request until it leaves submitted.
func (f *asgFixture) wait(id string) map[string]any {
	f.e.T.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, got := f.e.Do("GET", asgReqPath+"/"+id, nil)
		if resp.StatusCode != 200 {
			f.e.T.Fatalf("GET request: %d %v", resp.StatusCode, got)
		}
		if got["state"] != "submitted" {
			return got
		}
		if time.Now().After(deadline) {
			f.e.T.Fatalf("request %s still submitted", id)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (f *asgFixture) assign(user, policy string) (request, assignment map[string]any) {
	f.e.T.Helper()
	req := f.wait(f.request(f.addBody(user, policy))["id"].(string))
	if req["state"] != "delivered" {
		f.e.T.Fatalf("request not delivered: %v", req)
	}
	q := url.Values{"$filter": {"target/objectId eq '" + user + "' and assignmentPolicy/id eq '" + policy + "'"}, "$expand": {"target"}}
	_, body := f.e.Do("GET", asgPath+"?"+q.Encode(), nil)
	vals := govList(f.e.T, body)
	if len(vals) != 1 {
		f.e.T.Fatalf("assignments %v", vals)
	}
	return req, vals[0]
}

func (f *asgFixture) isMember(user string) bool {
	f.e.T.Helper()
	ids, err := f.e.Srv.GroupMemberIDs(f.grp)
	if err != nil {
		f.e.T.Fatal(err)
	}
	return entitlement.ContainsID(ids, user)
}

func TestAssignmentAdminAddAndRemove(t *testing.T) {
	t.Parallel()
	f := newAsgFixture(t, emulator.Config{DeliveryDelay: 150 * time.Millisecond})
	e := f.e
	resp, req := e.Do("POST", asgReqPath, f.addBody(polUser1, f.policy))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("%d %v", resp.StatusCode, req)
	}
	emulatortest.NoInternal(t, req)
	polSubset(t, "request", map[string]any{"requestType": "adminAdd", "state": "submitted", "status": "Accepted",
		"justification": "onboarding", "completedDateTime": nil}, req)
	if !strings.HasSuffix(resp.Header.Get("Location"), "/assignmentRequests/"+req["id"].(string)) {
		t.Errorf("Location %q", resp.Header.Get("Location"))
	}
	// The schedule carries its @odata.type, as in the reply of
	// https://learn.microsoft.com/graph/api/accesspackageassignmentrequest-get?view=graph-rest-1.0.
	sched := req["schedule"].(map[string]any)
	if sched["startDateTime"] == nil || sched["expiration"].(map[string]any)["type"] != "notSpecified" ||
		sched["@odata.type"] != "#microsoft.graph.entitlementManagementSchedule" {
		t.Errorf("schedule %v", sched)
	}
	id := req["id"].(string)

	// Before the delay: still submitted, nothing granted.
	_, got := e.Do("GET", asgReqPath+"/"+id, nil)
	if got["state"] != "submitted" {
		t.Errorf("state before delay %v", got["state"])
	}
	_, body := e.Do("GET", asgPath, nil)
	if len(govList(t, body)) != 0 || f.isMember(polUser1) {
		t.Fatalf("granted before delivery: %v", body)
	}
	resp, body = e.Do("POST", asgReqPath, f.addBody(polUser1, f.policy))
	govWantErr(t, resp, body, 400, "BadRequest")

	got = f.wait(id)
	polSubset(t, "request", map[string]any{"state": "delivered", "status": "Delivered"}, got)
	if got["completedDateTime"] == nil {
		t.Errorf("completedDateTime not set: %v", got)
	}
	if !f.isMember(polUser1) {
		t.Error("user not added to the package's group")
	}

	q := url.Values{"$filter": {"target/objectid eq '" + strings.ToUpper(polUser1) + "' and accessPackage/id eq '" + f.pkg + "' and State eq 'delivered'"},
		"$expand": {"target,accessPackage,assignmentPolicy"}}
	resp, body = e.Do("GET", asgPath+"?"+q.Encode(), nil)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %v", resp.StatusCode, body)
	}
	emulatortest.NoInternal(t, body)
	vals := govList(t, body)
	if len(vals) != 1 {
		t.Fatalf("assignments %v", vals)
	}
	a := vals[0]
	polSubset(t, "assignment", map[string]any{"@odata.type": "#microsoft.graph.accessPackageAssignment", "state": "delivered", "status": "Delivered",
		"target": map[string]any{"objectId": polUser1, "displayName": "Patti Fernandez", "principalName": "PattiF@contoso.onmicrosoft.com",
			"subjectType": "user"},
		"accessPackage":    map[string]any{"id": f.pkg, "displayName": "Sales reps"},
		"assignmentPolicy": map[string]any{"id": f.policy, "displayName": "Direct"}}, a)
	if tid, _ := a["target"].(map[string]any)["id"].(string); tid == "" || tid == polUser1 {
		t.Errorf("subject id %q", tid)
	}
	asgID := a["id"].(string)

	// Without $expand the navigations are absent; $expand on the request reaches the assignment.
	_, one := e.Do("GET", asgPath+"/"+asgID, nil)
	for _, k := range []string{"target", "accessPackage", "assignmentPolicy"} {
		if _, has := one[k]; has {
			t.Errorf("%s without $expand: %v", k, one)
		}
	}
	// https://learn.microsoft.com/graph/api/entitlementmanagement-list-assignments?view=graph-rest-1.0
	// shows the schedule's @odata.type.
	if sc, _ := one["schedule"].(map[string]any); sc["@odata.type"] != "#microsoft.graph.entitlementManagementSchedule" || one["@odata.context"] == nil {
		t.Errorf("assignment %v", one)
	}
	_, got = e.Do("GET", asgReqPath+"/"+id+"?$expand=assignment($expand=target),accessPackage", nil)
	if got["assignment"].(map[string]any)["id"] != asgID || got["accessPackage"].(map[string]any)["id"] != f.pkg ||
		got["assignment"].(map[string]any)["target"].(map[string]any)["objectId"] != polUser1 {
		t.Errorf("request expand %v", got)
	}

	// Duplicate, no DELETE on assignments, policy delete refused.
	resp, body = e.Do("POST", asgReqPath, f.addBody(polUser1, f.policy))
	govWantErr(t, resp, body, 400, "BadRequest")
	if emulatortest.ErrMessage(body) != entitlement.MsgDuplicateAssignment {
		t.Errorf("message %q", emulatortest.ErrMessage(body))
	}
	resp, body = e.Do("DELETE", asgPath+"/"+asgID, nil)
	govWantErr(t, resp, body, 405, "Request_BadRequest")
	resp, body = e.Do("DELETE", polPath+"/"+f.policy, nil)
	govWantErr(t, resp, body, 400, "BadRequest")
	resp, body = e.Do("DELETE", emulatortest.EMPath+"/accessPackages/"+f.pkg, nil)
	govWantErr(t, resp, body, 400, "BadRequest")

	// A completed request can be deleted.
	if resp, _ := e.Do("DELETE", asgReqPath+"/"+id, nil); resp.StatusCode != 204 {
		t.Errorf("delete delivered request %d", resp.StatusCode)
	}

	// adminRemove (legacy key): the assignment goes, and the membership with it.
	rm := f.request(map[string]any{"requestType": "AdminRemove", "accessPackageAssignment": map[string]any{"id": asgID}})
	polSubset(t, "remove", map[string]any{"requestType": "adminRemove", "state": "submitted", "status": "Accepted"}, rm)
	resp, body = e.Do("POST", asgReqPath, map[string]any{"requestType": "adminRemove", "assignment": map[string]any{"id": asgID}})
	govWantErr(t, resp, body, 400, "BadRequest")
	if got := f.wait(rm["id"].(string)); got["state"] != "delivered" {
		t.Fatalf("remove %v", got)
	}
	resp, body = e.Do("GET", asgPath+"/"+asgID, nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	if f.isMember(polUser1) {
		t.Error("membership not removed")
	}
	resp, body = e.Do("POST", asgReqPath, map[string]any{"requestType": "adminRemove", "assignment": map[string]any{"id": asgID}})
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	if resp, body := e.Do("DELETE", polPath+"/"+f.policy, nil); resp.StatusCode != 204 {
		t.Errorf("policy delete after removal %d %v", resp.StatusCode, body)
	}
}

func TestAssignmentRequestValidation(t *testing.T) {
	t.Parallel()
	f := newAsgFixture(t, emulator.Config{DeliveryDelay: -1})
	auto := f.minimal("Auto")
	// A rule nobody matches: the policy makes no assignment of its own (auto_assignment.go).
	auto["allowedTargetScope"] = "specificDirectoryUsers"
	auto["specificAllowedTargets"] = []any{ss("attributeRuleMembers", "membershipRule", `(user.department -eq "Nobody")`)}
	auto["automaticRequestSettings"] = map[string]any{"requestAccessForAllowedTargets": true}
	autoID := f.create(auto)["id"].(string)
	otherPkg := govPackage(f.e, f.cat, "Other")
	asg := func(kv ...any) map[string]any {
		m := map[string]any{"targetId": polUser1, "assignmentPolicyId": f.policy, "accessPackageId": f.pkg}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(m, kv[i].(string))
			} else {
				m[kv[i].(string)] = kv[i+1]
			}
		}
		return m
	}
	add := func(a map[string]any, kv ...any) map[string]any {
		m := map[string]any{"requestType": "adminAdd", "assignment": a}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	cases := []struct {
		name   string
		body   map[string]any
		status int
		code   string
	}{
		{"no requestType", map[string]any{"assignment": asg()}, 400, "BadRequest"},
		{"userAdd", map[string]any{"requestType": "userAdd", "assignment": asg()}, 400, "BadRequest"},
		{"adminUpdate", map[string]any{"requestType": "adminUpdate", "assignment": map[string]any{"id": "x"}}, 400, "BadRequest"},
		{"unknown requestType", map[string]any{"requestType": "adminPlease", "assignment": asg()}, 400, "BadRequest"},
		{"no assignment", map[string]any{"requestType": "adminAdd"}, 400, "BadRequest"},
		{"both keys", add(asg(), "accessPackageAssignment", asg()), 400, "BadRequest"},
		{"assignment not object", add(nil, "assignment", "x"), 400, "BadRequest"},
		{"no targetId", add(asg("targetId", nil)), 400, "BadRequest"},
		{"bad targetId", add(asg("targetId", "PattiF")), 400, "BadRequest"},
		{"unknown user", add(asg("targetId", "00000000-0000-4000-8000-00000000abcd")), 404, "Request_ResourceNotFound"},
		{"no policy", add(asg("assignmentPolicyId", nil)), 400, "BadRequest"},
		{"unknown policy", add(asg("assignmentPolicyId", "00000000-0000-4000-8000-000000000000")), 404, "ResourceNotFound"},
		{"no package", add(asg("accessPackageId", nil)), 400, "BadRequest"},
		{"package mismatch", add(asg("accessPackageId", otherPkg)), 400, "BadRequest"},
		{"unknown package", add(asg("accessPackageId", "00000000-0000-4000-8000-000000000000")), 404, "ResourceNotFound"},
		{"auto policy", add(asg("assignmentPolicyId", autoID)), 400, "BadRequest"},
		{"unknown assignment property", add(asg("color", "red")), 400, "BadRequest"},
		{"unknown property", add(asg(), "priority", 1), 400, "BadRequest"},
		{"email target", add(asg("targetId", nil, "target", map[string]any{"email": "a@partner.com"})), 400, "BadRequest"},
		{"bad justification", add(asg(), "justification", 5), 400, "BadRequest"},
		{"bad answers", add(asg(), "answers", "yes"), 400, "BadRequest"},
		{"schedule bad start", add(asg(), "schedule", map[string]any{"startDateTime": "tomorrow"}), 400, "BadRequest"},
		{"schedule no duration", add(asg(), "schedule", map[string]any{"expiration": map[string]any{"type": "afterDuration"}}), 400, "BadRequest"},
		{"schedule end before start", add(asg(), "schedule", map[string]any{"startDateTime": "2030-01-02T00:00:00Z",
			"expiration": map[string]any{"type": "afterDateTime", "endDateTime": "2030-01-01T00:00:00Z"}}), 400, "BadRequest"},
		{"schedule recurrence", add(asg(), "schedule", map[string]any{"recurrence": map[string]any{"pattern": map[string]any{}}}), 400, "BadRequest"},
		{"schedule unknown", add(asg(), "schedule", map[string]any{"timeZone": "UTC"}), 400, "BadRequest"},
		{"remove without id", map[string]any{"requestType": "adminRemove", "assignment": map[string]any{}}, 400, "BadRequest"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := f.e.Do("POST", asgReqPath, tc.body)
			govWantErr(t, resp, body, tc.status, tc.code)
		})
	}
	if objs, _ := f.e.Srv.ListObjects(entitlement.CollAssignmentRequests); len(objs) != 0 {
		t.Errorf("invalid requests stored: %v", objs)
	}

	// Accepted variants: legacy key, target.objectId, read-only fields, a full schedule
	// with recurrence null; immediate delivery still answers submitted.
	body := map[string]any{"requestType": "AdminAdd", "requestState": "x", "@odata.type": "#microsoft.graph.accessPackageAssignmentRequest",
		"accessPackageAssignment": map[string]any{"target": map[string]any{"objectId": polUser2}, "assignmentPolicyId": strings.ToUpper(f.policy),
			"accessPackageId": f.pkg},
		"schedule": map[string]any{"startDateTime": "2030-01-01T00:00:00Z", "recurrence": nil,
			"expiration": map[string]any{"type": "afterDuration", "duration": "P30D", "endDateTime": nil}},
		"answers": []any{}}
	req := f.request(body)
	if req["state"] != "submitted" {
		t.Errorf("immediate: answer %v", req["state"])
	}
	_, got := f.e.Do("GET", asgReqPath+"/"+req["id"].(string), nil)
	if got["state"] != "delivered" {
		t.Errorf("immediate: stored %v", got)
	}
	polSubset(t, "schedule", map[string]any{"startDateTime": "2030-01-01T00:00:00Z",
		"expiration": map[string]any{"type": "afterDuration", "duration": "P30D", "endDateTime": nil}}, got["schedule"])
	_, body = f.e.Do("GET", asgPath+"?$filter="+url.QueryEscape("target/objectId eq '"+polUser2+"'"), nil)
	if vals := govList(t, body); len(vals) != 1 || vals[0]["schedule"].(map[string]any)["expiration"].(map[string]any)["duration"] != "P30D" {
		t.Errorf("assignment %v", vals)
	}

	reader := f.e.GetToken(emulator.ReaderClientID, emulator.ReaderClientSecret)
	resp, rb := f.e.DoWith(reader, "POST", asgReqPath, f.addBody(polUser1, f.policy), nil)
	govWantErr(t, resp, rb, 403, "UnAuthorized")
	if resp, _ := f.e.DoWith(reader, "GET", asgPath, nil, nil); resp.StatusCode != 200 {
		t.Errorf("reader list %d", resp.StatusCode)
	}
}

func TestAssignmentTargetScope(t *testing.T) {
	t.Parallel()
	f := newAsgFixture(t, emulator.Config{DeliveryDelay: -1})
	policy := func(name, scope string, targets ...any) string {
		b := f.minimal(name)
		b["allowedTargetScope"] = scope
		if len(targets) > 0 {
			b["specificAllowedTargets"] = targets
		}
		return f.create(b)["id"].(string)
	}
	members := policy("Members", "allMemberUsers")
	externals := policy("Externals", "allExternalUsers")
	specific := policy("Specific", "specificDirectoryUsers", ss("singleUser", "userId", polUser1))
	cases := []struct {
		name, user, policy, state string
	}{
		{"guest on allMemberUsers", asgGuest, members, "deliveryFailed"},
		{"member on allMemberUsers", polUser1, members, "delivered"},
		{"member on allExternalUsers", polUser2, externals, "deliveryFailed"},
		{"guest on allExternalUsers", asgGuest, externals, "delivered"},
		{"other user on specificDirectoryUsers", polUser2, specific, "deliveryFailed"},
		{"listed user on specificDirectoryUsers", polUser1, specific, "delivered"},
	}
	for _, tc := range cases {
		req := f.wait(f.request(f.addBody(tc.user, tc.policy))["id"].(string))
		if req["state"] != tc.state {
			t.Errorf("%s: %v", tc.name, req)
			continue
		}
		if tc.state == "deliveryFailed" && !strings.Contains(req["status"].(string), "allowedTargetScope") {
			t.Errorf("%s: status %v", tc.name, req["status"])
		}
	}
	_, body := f.e.Do("GET", asgPath, nil)
	if n := len(govList(t, body)); n != 3 {
		t.Errorf("%d assignments, want 3", n)
	}
	// A failed request can be retried once the cause is gone (no assignment was made).
	_, body = f.e.Do("GET", asgReqPath+"?$filter="+url.QueryEscape("state eq 'deliveryFailed'"), nil)
	if n := len(govList(t, body)); n != 3 {
		t.Errorf("%d failed requests, want 3", n)
	}
}

func TestAssignmentDeliveryFailureFault(t *testing.T) {
	t.Parallel()
	f := newAsgFixture(t, emulator.Config{DeliveryDelay: 20 * time.Millisecond})
	var fl emulator.Faults
	if err := json.Unmarshal([]byte(`{"deliveryFailure": true}`), &fl); err != nil || !fl.DeliveryFailure {
		t.Fatalf("faults JSON: %v %+v", err, fl)
	}
	if b, _ := json.Marshal(fl); !strings.Contains(string(b), `"deliveryFailure":true`) {
		t.Errorf("faults marshal %s", b)
	}
	f.e.Srv.SetFaults(fl)
	req := f.wait(f.request(f.addBody(polUser1, f.policy))["id"].(string))
	if req["state"] != "deliveryFailed" || req["status"] != emulator.MsgDeliveryFault || req["completedDateTime"] == nil {
		t.Errorf("request %v", req)
	}
	_, body := f.e.Do("GET", asgPath, nil)
	if len(govList(t, body)) != 0 || f.isMember(polUser1) {
		t.Errorf("granted despite the fault: %v", body)
	}
	f.e.Srv.SetFaults(emulator.Faults{})
	f.assign(polUser1, f.policy)
}

func TestAssignmentFiltersCancelAndDelete(t *testing.T) {
	t.Parallel()
	f := newAsgFixture(t, emulator.Config{DeliveryDelay: -1})
	other := f.create(f.minimal("Second"))["id"].(string)
	_, a1 := f.assign(polUser1, f.policy)
	_, a2 := f.assign(polUser2, f.policy)
	_, a3 := f.assign(polUser1, other)
	ids := func(filter string) []string {
		t.Helper()
		resp, body := f.e.Do("GET", asgPath+"?$filter="+url.QueryEscape(filter), nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %v", filter, resp.StatusCode, body)
		}
		var out []string
		for _, v := range govList(t, body) {
			out = append(out, v["id"].(string))
		}
		return out
	}
	cases := []struct {
		filter string
		want   []any
	}{
		{"target/objectid eq '" + polUser1 + "'", []any{a1["id"], a3["id"]}},
		{"TARGET/OBJECTID eq '" + strings.ToUpper(polUser2) + "'", []any{a2["id"]}},
		{"assignmentPolicy/id eq '" + other + "'", []any{a3["id"]}},
		{"accessPackage/id eq '" + f.pkg + "' and state eq 'delivered' and target/objectId eq '" + polUser2 + "'", []any{a2["id"]}},
		{"state eq 'expired'", nil},
		{"target/principalName eq 'AdeleV@contoso.onmicrosoft.com'", []any{a2["id"]}},
	}
	for _, tc := range cases {
		got := ids(tc.filter)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %v, want %v", tc.filter, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: %v, want %v", tc.filter, got, tc.want)
			}
		}
	}
	resp, body := f.e.Do("GET", asgPath+"?$filter="+url.QueryEscape("target/department eq 'x'"), nil)
	govWantErr(t, resp, body, 400, "BadRequest")
	resp, body = f.e.Do("GET", asgPath+"?$expand=requestor", nil)
	govWantErr(t, resp, body, 400, "BadRequest")

	// The subject is one per user.
	if a1["target"].(map[string]any)["id"] != a3["target"].(map[string]any)["id"] {
		t.Errorf("subject ids differ: %v %v", a1["target"], a3["target"])
	}
	// Removing one of two assignments that grant the same group keeps the membership.
	rm := f.request(map[string]any{"requestType": "adminRemove", "assignment": map[string]any{"id": a1["id"]}})
	if got := f.wait(rm["id"].(string)); got["state"] != "delivered" || !f.isMember(polUser1) {
		t.Fatalf("after first removal: %v member=%v", got, f.isMember(polUser1))
	}
	rm = f.request(map[string]any{"requestType": "adminRemove", "assignment": map[string]any{"id": a3["id"]}})
	if f.wait(rm["id"].(string)); f.isMember(polUser1) {
		t.Error("membership kept after the last assignment went")
	}

	// Requests: filters, cancel, delete.
	_, body = f.e.Do("GET", asgReqPath+"?$filter="+url.QueryEscape("requestType eq 'adminRemove' and state eq 'delivered'"), nil)
	if n := len(govList(t, body)); n != 2 {
		t.Errorf("%d adminRemove requests, want 2", n)
	}
	emulatortest.NoInternal(t, body)
	f.e.Srv.SetDeliveryDelay(time.Hour)
	if f.e.Srv.DeliveryDelay() != time.Hour {
		t.Errorf("delay %v", f.e.Srv.DeliveryDelay())
	}
	pending := f.request(f.addBody(polUser1, f.policy))
	pid := pending["id"].(string)
	resp, body = f.e.Do("DELETE", asgReqPath+"/"+pid, nil)
	govWantErr(t, resp, body, 400, "BadRequest")
	resp, _ = f.e.Do("POST", asgReqPath+"/"+pid+"/cancel", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("cancel %d", resp.StatusCode)
	}
	_, got := f.e.Do("GET", asgReqPath+"/"+pid, nil)
	if got["state"] != "canceled" || got["completedDateTime"] == nil {
		t.Errorf("canceled %v", got)
	}
	resp, body = f.e.Do("POST", asgReqPath+"/"+pid+"/cancel", nil)
	govWantErr(t, resp, body, 400, "BadRequest")
	if emulatortest.ErrMessage(body) != entitlement.MsgCannotCancel {
		t.Errorf("message %q", emulatortest.ErrMessage(body))
	}
	if resp, _ := f.e.Do("DELETE", asgReqPath+"/"+pid, nil); resp.StatusCode != 204 {
		t.Errorf("delete canceled %d", resp.StatusCode)
	}
	resp, body = f.e.Do("DELETE", asgReqPath+"/"+pid, nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	resp, body = f.e.Do("POST", asgReqPath+"/"+pid+"/cancel", nil)
	govWantErr(t, resp, body, 404, "ResourceNotFound")
	// A canceled request never delivers.
	_, body = f.e.Do("GET", asgPath+"?$filter="+url.QueryEscape("target/objectId eq '"+polUser1+"'"), nil)
	if n := len(govList(t, body)); n != 0 {
		t.Errorf("%d assignments after cancel", n)
	}
}

func TestAssignmentControl(t *testing.T) {
	t.Parallel()
	f := newAsgFixture(t, emulator.Config{DeliveryDelay: -1})
	// A membership that existed before the assignment is not the assignment's to remove.
	if err := f.e.Srv.AddGroupMember(f.grp, polUser2); err != nil {
		t.Fatal(err)
	}
	_, a1 := f.assign(polUser1, f.policy)
	_, a2 := f.assign(polUser2, f.policy)
	for _, c := range []string{entitlement.CollConnectedOrgs, entitlement.CollEMSettings, entitlement.CollAssignmentRequests, entitlement.CollAssignments} {
		if _, err := f.e.Srv.ListObjects(c); err != nil {
			t.Errorf("ListObjects %s: %v", c, err)
		}
	}
	obj, err := f.e.Srv.GetObject(entitlement.CollAssignments, a1["id"].(string))
	if err != nil || obj[entitlement.IfTargetID] != polUser1 || obj[entitlement.IfAssignmentPolicyID] != f.policy || obj[entitlement.IfAccessPackageID] != f.pkg {
		t.Fatalf("GetObject %v %v", obj, err)
	}
	if g := wire.StrList(obj[entitlement.IfGrantedGroups]); len(g) != 1 || g[0] != f.grp {
		t.Errorf("granted %v", g)
	}
	if o := wire.StrList(obj[entitlement.IfOwnerRoles]); len(o) != 1 || o[0] != "Owner_"+f.grp {
		t.Errorf("owner roles %v", o)
	}
	if err := f.e.Srv.ChangeObject(entitlement.CollAssignments, a1["id"].(string), map[string]any{"status": "NearExpiry1DayNotificationTriggered"}); err != nil {
		t.Fatal(err)
	}
	_, got := f.e.Do("GET", asgPath+"/"+a1["id"].(string), nil)
	if got["status"] != "NearExpiry1DayNotificationTriggered" {
		t.Errorf("drift %v", got)
	}
	if err := f.e.Srv.DeleteObject(entitlement.CollAssignments, a1["id"].(string)); err != nil {
		t.Fatal(err)
	}
	if err := f.e.Srv.DeleteObject(entitlement.CollAssignments, a2["id"].(string)); err != nil {
		t.Fatal(err)
	}
	if f.isMember(polUser1) || !f.isMember(polUser2) {
		t.Errorf("memberships after out-of-band delete: user1=%v user2=%v", f.isMember(polUser1), f.isMember(polUser2))
	}
	// adminRemove of an assignment deleted meanwhile: nothing left to do.
	resp, body := f.e.Do("POST", asgReqPath, map[string]any{"requestType": "adminRemove", "assignment": map[string]any{"id": a1["id"]}})
	govWantErr(t, resp, body, 404, "ResourceNotFound")

	// Lazy delivery is visible to the control reads too.
	f.e.Srv.SetDeliveryDelay(30 * time.Millisecond)
	req := f.request(f.addBody(polUser1, f.policy))
	time.Sleep(60 * time.Millisecond)
	obj, err = f.e.Srv.GetObject(entitlement.CollAssignmentRequests, req["id"].(string))
	if err != nil || obj["state"] != "delivered" {
		t.Errorf("control read %v %v", obj, err)
	}
	if err := f.e.Srv.Reset(); err != nil {
		t.Fatal(err)
	}
	if objs, _ := f.e.Srv.ListObjects(entitlement.CollAssignments); len(objs) != 0 {
		t.Errorf("after reset %v", objs)
	}
}
