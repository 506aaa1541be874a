package reviews_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
)

// reviewedPolicy is a direct-assignment policy of pkg whose assignments are reviewed by Adele every
// quarter from startDateTime for 14 days; removeAccess when nobody answers.
func reviewedPolicy(pkg string, enabled bool, start string) map[string]any {
	return map[string]any{
		"displayName": "Partners, reviewed", "description": "", "accessPackage": map[string]any{"id": pkg},
		"reviewSettings": map[string]any{
			"isEnabled": enabled, "expirationBehavior": "removeAccess", "isRecommendationEnabled": false,
			"isReviewerJustificationRequired": true, "isSelfReview": false,
			"primaryReviewers": []any{map[string]any{"@odata.type": "#microsoft.graph.singleUser", "userId": emulator.SeedUserAdeleID}},
			"schedule": map[string]any{
				"startDateTime": start,
				"expiration":    map[string]any{"type": "afterDuration", "duration": "P14D"},
				"recurrence": map[string]any{
					"pattern": map[string]any{"type": "absoluteMonthly", "interval": 3},
					"range":   map[string]any{"type": "noEnd"},
				},
			},
		},
	}
}

// An assignment policy's review is a read-only definition over the policy's assignments: it opens
// on the schedule's start, removes the denied assignment at its end, and follows the policy.
func TestAccessReviewOfAssignmentPolicy(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{DeliveryDelay: -1})
	cat := e.CreateCatalog(map[string]any{"displayName": "Partners", "description": ""})["id"].(string)
	pkg := e.MustDo("POST", emulatortest.EMPath+"/accessPackages", map[string]any{
		"displayName": "Partner access", "description": "", "catalog": map[string]any{"id": cat}}, http.StatusCreated)["id"].(string)
	start := time.Now().UTC().Add(48 * time.Hour).Format(time.RFC3339)
	policyBody := reviewedPolicy(pkg, true, start)
	policy := e.MustDo("POST", emulatortest.EMPath+"/assignmentPolicies", policyBody, http.StatusCreated)["id"].(string)
	e.MustDo("POST", emulatortest.EMPath+"/assignmentRequests", map[string]any{"requestType": "adminAdd",
		"assignment": map[string]any{"targetId": emulator.SeedGuestBenID, "assignmentPolicyId": policy, "accessPackageId": pkg}}, http.StatusCreated)

	defs := emulatortest.ValueList(t, e.MustDo("GET", defsPath, nil, 200))
	if len(defs) != 1 {
		t.Fatalf("definitions: %v", defs)
	}
	def := defs[0]
	id := def["id"].(string)
	scope := def["scope"].(map[string]any)["query"].(string)
	if !strings.Contains(scope, "accessPackageId eq '"+pkg+"'") || !strings.Contains(scope, "assignmentPolicyId eq '"+policy+"'") {
		t.Errorf("scope: %v", scope)
	}
	settings := def["settings"].(map[string]any)
	if settings["defaultDecision"] != "Deny" || settings["autoApplyDecisionsEnabled"] != true || settings["instanceDurationInDays"] != float64(14) {
		t.Errorf("settings: %v", settings)
	}
	if r := def["reviewers"].([]any); len(r) != 1 || r[0].(map[string]any)["query"] != "/users/"+emulator.SeedUserAdeleID {
		t.Errorf("reviewers: %v", def["reviewers"])
	}
	// Read-only through the access reviews API.
	e.MustDo("DELETE", defsPath+"/"+id, nil, 400)
	e.MustDo("PUT", defsPath+"/"+id, def, 400)

	// Nothing before the start day; then an instance with Ben's assignment, denied by default at its end.
	if l := emulatortest.ValueList(t, e.MustDo("GET", defsPath+"/"+id+"/instances", nil, 200)); len(l) != 0 {
		t.Fatalf("instances before the start: %v", l)
	}
	if _, err := e.Srv.AdvanceClock(3 * 24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	insts := emulatortest.ValueList(t, e.MustDo("GET", defsPath+"/"+id+"/instances", nil, 200))
	if len(insts) != 1 || len(decisionsByPrincipal(t, e, defsPath+"/"+id+"/instances/"+insts[0]["id"].(string))) != 1 {
		t.Fatalf("instances after the start: %v", insts)
	}
	if _, err := e.Srv.AdvanceClock(15 * 24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if st := e.MustDo("GET", defsPath+"/"+id+"/instances/"+insts[0]["id"].(string), nil, 200)["status"]; st != "Applied" {
		t.Fatalf("instance at its end: %v", st)
	}
	for _, a := range emulatortest.ValueList(t, e.MustDo("GET", emulatortest.EMPath+"/assignments", nil, 200)) {
		if a["state"] == "delivered" {
			t.Fatalf("Ben's assignment survived a removeAccess review: %v", a)
		}
	}

	// The policy's review turned off: the definition goes.
	off := reviewedPolicy(pkg, false, start)
	e.MustDo("PUT", emulatortest.EMPath+"/assignmentPolicies/"+policy, off, 200)
	if l := emulatortest.ValueList(t, e.MustDo("GET", defsPath, nil, 200)); len(l) != 0 {
		t.Fatalf("definitions after the review was turned off: %v", l)
	}
	// On again, then the policy deleted: made, then gone.
	e.MustDo("PUT", emulatortest.EMPath+"/assignmentPolicies/"+policy, policyBody, 200)
	if l := emulatortest.ValueList(t, e.MustDo("GET", defsPath, nil, 200)); len(l) != 1 {
		t.Fatalf("definitions after the review was turned on again: %v", l)
	}
	e.MustDo("DELETE", emulatortest.EMPath+"/assignmentPolicies/"+policy, nil, 204)
	if l := emulatortest.ValueList(t, e.MustDo("GET", defsPath, nil, 200)); len(l) != 0 {
		t.Fatalf("definitions after the policy was deleted: %v", l)
	}
}
