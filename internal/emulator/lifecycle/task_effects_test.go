package lifecycle_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
)

// A leaver workflow that disables the account changes what automatic assignment policies see: a guest
// whose access comes from a rule on accountEnabled loses it once the policy's grace period has passed,
// exactly as when the account is disabled through PATCH /users/{id}.
func TestLifecycleDisabledLeaverLeavesAutomaticAssignment(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{DeliveryDelay: -1})
	pkg, _ := accessPackageFor(e)
	e.MustDo("POST", emulatortest.EMPath+"/assignmentPolicies", map[string]any{
		"displayName": "Enabled Fabrikam guests", "description": "", "accessPackage": map[string]any{"id": pkg},
		"allowedTargetScope": "specificDirectoryUsers",
		"specificAllowedTargets": []any{map[string]any{"@odata.type": "#microsoft.graph.attributeRuleMembers",
			"membershipRule": `(user.companyName -eq "Fabrikam") -and (user.accountEnabled -eq true)`}},
		"automaticRequestSettings": map[string]any{"requestAccessForAllowedTargets": true,
			"removeAccessWhenTargetLeavesAllowedTargets": true, "gracePeriodBeforeAccessRemoval": "P1D"},
	}, http.StatusCreated)
	advanceClock(e, "PT1M") // delivers the automatic assignments
	if len(liveAssignments(e, guestBen)) != 1 {
		t.Fatal("setup: Ben was not assigned by the policy's rule")
	}

	wf := guestLeaver(true)
	wf["tasks"] = []any{task("Disable account", lwDefDisable, false)}
	lwCreate(e, wf)
	changeUser(e, guestBen, map[string]any{"employeeLeaveDateTime": clockNow(e).Add(24 * time.Hour).UTC().Format(time.RFC3339)})

	advanceClock(e, "P1DT6H") // the workflow disables Ben; the policy's grace period starts
	if _, u := getUser(e, guestBen); u["accountEnabled"] != false {
		t.Fatalf("the workflow did not disable Ben: %v", u)
	}
	if len(liveAssignments(e, guestBen)) != 1 {
		t.Fatal("Ben lost the assignment before the grace period ended")
	}
	advanceClock(e, "P2D")
	if got := liveAssignments(e, guestBen); len(got) != 0 {
		t.Errorf("Ben, disabled by the leaver workflow, kept the automatic assignment past the grace period: %v", got)
	}
	if got := liveAssignments(e, guestCarla); len(got) != 1 {
		t.Errorf("Carla (still enabled) has %d assignments, want 1", len(got))
	}
}
