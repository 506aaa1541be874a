package reviews_test

import (
	"strings"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
)

// falconGuestReview reviews the guests of Project Falcon for 14 days, quarterly, Deny by default.
func falconGuestReview(autoApply bool, applyActions ...string) map[string]any {
	actions := []any{}
	for _, a := range applyActions {
		actions = append(actions, map[string]any{"@odata.type": "#microsoft.graph." + a})
	}
	return map[string]any{
		"displayName": "Guests of Project Falcon",
		"scope": map[string]any{"@odata.type": "#microsoft.graph.accessReviewQueryScope",
			"query": "/groups/" + emulator.SeedGroupProjectFalconID + "/transitiveMembers/microsoft.graph.user/?$filter=(userType eq 'Guest')", "queryType": "MicrosoftGraph"},
		"settings": map[string]any{
			"instanceDurationInDays": 14, "defaultDecisionEnabled": true, "defaultDecision": "Deny",
			"autoApplyDecisionsEnabled": autoApply, "applyActions": actions,
			"recurrence": map[string]any{
				"pattern": map[string]any{"type": "absoluteMonthly", "interval": 3, "dayOfMonth": 5},
				"range":   map[string]any{"type": "noEnd", "startDate": "2026-01-05"},
			},
		},
	}
}

// reviewEnv is a tenant with Ben and Carla (guests) added to Project Falcon and the review created.
func reviewEnv(t *testing.T, def map[string]any) (*emulatortest.Env, string, map[string]any) {
	e := emulatortest.New(t, emulator.Config{})
	for _, g := range []string{emulator.SeedGuestBenID, emulator.SeedGuestCarlaID} {
		if err := e.Srv.AddGroupMember(emulator.SeedGroupProjectFalconID, g); err != nil {
			t.Fatal(err)
		}
	}
	created := e.MustDo("POST", defsPath, def, 201)
	id := created["id"].(string)
	insts := emulatortest.ValueList(t, e.MustDo("GET", defsPath+"/"+id+"/instances", nil, 200))
	if len(insts) != 1 {
		t.Fatalf("instances after create: %v", insts)
	}
	return e, id, insts[0]
}

func decisionsByPrincipal(t *testing.T, e *emulatortest.Env, path string) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, d := range emulatortest.ValueList(t, e.MustDo("GET", path+"/decisions", nil, 200)) {
		out[d["principal"].(map[string]any)["id"].(string)] = d
	}
	return out
}

func isMember(t *testing.T, e *emulatortest.Env, userID string) bool {
	for _, id := range emulatortest.IDsOf(t, e.MustDo("GET", "/v1.0/groups/"+emulator.SeedGroupProjectFalconID+"/members", nil, 200)) {
		if strings.EqualFold(id, userID) {
			return true
		}
	}
	return false
}

func TestAccessReviewInstances_openWithGuestDecisions(t *testing.T) {
	e, defID, inst := reviewEnv(t, falconGuestReview(true))
	if inst["status"] != "InProgress" {
		t.Fatalf("instance: %v", inst)
	}
	start, _ := time.Parse(time.RFC3339Nano, inst["startDateTime"].(string))
	end, _ := time.Parse(time.RFC3339Nano, inst["endDateTime"].(string))
	if end.Sub(start) != 14*24*time.Hour {
		t.Errorf("instance runs %s, want 14 days", end.Sub(start))
	}
	path := defsPath + "/" + defID + "/instances/" + inst["id"].(string)
	got := e.MustDo("GET", path, nil, 200)
	if got["id"] != inst["id"] || !strings.Contains(got["@odata.context"].(string), "/instances/$entity") {
		t.Errorf("get instance: %v", got)
	}
	decs := decisionsByPrincipal(t, e, path)
	if len(decs) != 2 || decs[emulator.SeedGuestBenID] == nil || decs[emulator.SeedGuestCarlaID] == nil {
		t.Fatalf("decisions: want Ben and Carla only (members are not guests), got %v", decs)
	}
	ben := decs[emulator.SeedGuestBenID]
	if ben["decision"] != "NotReviewed" || ben["applyResult"] != "New" || ben["accessReviewId"] != inst["id"] ||
		ben["principalLink"] != "https://graph.microsoft.com/v1.0/users/"+emulator.SeedGuestBenID {
		t.Errorf("Ben's decision: %v", ben)
	}
	// The definition's instances for another definition id are 404.
	e.MustDo("GET", defsPath+"/"+emulator.SeedGroupSalesID+"/instances/"+inst["id"].(string), nil, 404)
	// $filter on status.
	if l := emulatortest.ValueList(t, e.MustDo("GET", defsPath+"/"+defID+"/instances?$filter=status%20eq%20'Completed'", nil, 200)); len(l) != 0 {
		t.Errorf("filtered instances: %v", l)
	}
}

func TestAccessReviewInstances_defaultDenyAutoApplied(t *testing.T) {
	e, defID, inst := reviewEnv(t, falconGuestReview(true))
	path := defsPath + "/" + defID + "/instances/" + inst["id"].(string)
	decs := decisionsByPrincipal(t, e, path)
	// Carla is approved by a reviewer; Ben gets no answer.
	carla := decs[emulator.SeedGuestCarlaID]["id"].(string)
	e.MustDo("PATCH", path+"/decisions/"+carla, map[string]any{"decision": "Approve", "justification": "Still on the project"}, 204)
	e.MustDo("PATCH", path+"/decisions/"+carla, map[string]any{"decision": "Maybe"}, 400)
	e.MustDo("PATCH", path+"/decisions/"+carla, map[string]any{"justification": "no decision"}, 400)
	e.MustDo("POST", path+"/applyDecisions", nil, 400) // not Completed yet

	if _, err := e.Srv.AdvanceClock(13 * 24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if st := e.MustDo("GET", path, nil, 200)["status"]; st != "InProgress" {
		t.Fatalf("day 13: %v", st)
	}
	if _, err := e.Srv.AdvanceClock(2 * 24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if st := e.MustDo("GET", path, nil, 200)["status"]; st != "Applied" {
		t.Fatalf("day 15: status %v, want Applied", st)
	}
	decs = decisionsByPrincipal(t, e, path)
	if b := decs[emulator.SeedGuestBenID]; b["decision"] != "Deny" || b["applyResult"] != "AppliedSuccessfully" || b["appliedDateTime"] == nil {
		t.Errorf("Ben: %v", b)
	}
	if c := decs[emulator.SeedGuestCarlaID]; c["decision"] != "Approve" || c["justification"] != "Still on the project" {
		t.Errorf("Carla: %v", c)
	}
	if isMember(t, e, emulator.SeedGuestBenID) || !isMember(t, e, emulator.SeedGuestCarlaID) {
		t.Error("want Ben removed from Project Falcon and Carla kept")
	}
	// Decisions cannot be recorded any more.
	e.MustDo("PATCH", path+"/decisions/"+carla, map[string]any{"decision": "Deny"}, 400)
	audit, err := e.Srv.AuditTrail()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range audit {
		if a["activity"] == "groupMemberRemoved" && a["initiatedBy"] == "access reviews" && strings.EqualFold(a["details"].(map[string]any)["memberId"].(string), emulator.SeedGuestBenID) {
			found = true
		}
	}
	if !found {
		t.Errorf("no audit entry for Ben's removal: %v", audit)
	}
}

func TestAccessReviewInstances_noAutoApplyThenApplyDecisions(t *testing.T) {
	e, defID, inst := reviewEnv(t, falconGuestReview(false, "disableAndDeleteUserApplyAction"))
	path := defsPath + "/" + defID + "/instances/" + inst["id"].(string)
	e.MustDo("POST", path+"/stop", nil, 204)
	e.MustDo("POST", path+"/stop", nil, 400)
	if st := e.MustDo("GET", path, nil, 200)["status"]; st != "Completed" {
		t.Fatalf("stopped: %v", st)
	}
	if !isMember(t, e, emulator.SeedGuestBenID) {
		t.Fatal("without auto-apply Ben stays")
	}
	e.MustDo("POST", path+"/applyDecisions", nil, 204)
	if st := e.MustDo("GET", path, nil, 200)["status"]; st != "Applied" {
		t.Fatalf("applied: %v", st)
	}
	if isMember(t, e, emulator.SeedGuestBenID) {
		t.Fatal("Ben still a member after applyDecisions")
	}
	if u := e.MustDo("GET", "/v1.0/users/"+emulator.SeedGuestBenID+"?$select=accountEnabled", nil, 200); u["accountEnabled"] != false {
		t.Fatalf("Ben not disabled: %v", u)
	}
	if _, err := e.Srv.AdvanceClock(29 * 24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	e.MustDo("GET", "/v1.0/users/"+emulator.SeedGuestBenID, nil, 200)
	if _, err := e.Srv.AdvanceClock(2 * 24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	e.MustDo("GET", "/v1.0/users/"+emulator.SeedGuestBenID, nil, 404)
}

func TestAccessReviewInstances_recurrence(t *testing.T) {
	e, defID, _ := reviewEnv(t, falconGuestReview(true))
	// The next occurrence opens on the 5th, three months after the one before.
	if _, err := e.Srv.AdvanceClock(100 * 24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	insts := emulatortest.ValueList(t, e.MustDo("GET", defsPath+"/"+defID+"/instances", nil, 200))
	if len(insts) != 2 {
		t.Fatalf("instances after 100 days: %d", len(insts))
	}
	if !strings.Contains(insts[1]["startDateTime"].(string), "-05T00:00:00") {
		t.Errorf("second occurrence starts %v", insts[1]["startDateTime"])
	}
	// Deleting the definition takes its instances along.
	e.MustDo("DELETE", defsPath+"/"+defID, nil, 204)
	e.MustDo("GET", defsPath+"/"+defID+"/instances", nil, 404)
}
