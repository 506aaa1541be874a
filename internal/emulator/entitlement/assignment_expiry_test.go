package entitlement_test

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/entitlement"
)

const day = 24 * time.Hour

// advance moves the local API's clock through the control API.
func advance(e *emulatortest.Env, d string) {
	e.T.Helper()
	e.MustDo("POST", "/_emulator/clock/advance", map[string]any{"duration": d}, http.StatusOK)
}

// auditActivities lists the audit trail as "activity objectId" lines.
func auditActivities(e *emulatortest.Env) []string {
	e.T.Helper()
	var out []string
	for _, a := range emulatortest.ValueList(e.T, e.MustDo("GET", "/_emulator/audit", nil, http.StatusOK)) {
		if a["initiatedBy"] != "entitlement management" || a["dateTime"] == nil || a["reason"] == "" {
			e.T.Errorf("audit entry without who, when or why: %v", a)
		}
		out = append(out, a["activity"].(string)+" "+a["objectId"].(string))
	}
	return out
}

func (f *asgFixture) getAssignment(id string) map[string]any {
	f.e.T.Helper()
	return f.e.MustDo("GET", asgPath+"/"+id, nil, http.StatusOK)
}

// An assignment under a P30D policy calls the policy's before-expiration extensions 14 days
// and 1 day before its end, then expires, and its user leaves the group, each at its time.
func TestAssignmentExpiresOnTheClock(t *testing.T) {
	t.Parallel()
	f := newAsgFixture(t, emulator.Config{DeliveryDelay: -1})
	ext := f.createExtension(f.cat, entitlement.ExtTypeAssignment)
	b := f.minimal("Thirty days")
	b["expiration"] = map[string]any{"type": "afterDuration", "duration": "P30D"}
	b["customExtensionStageSettings"] = []any{
		map[string]any{"stage": "assignmentFourteenDaysBeforeExpiration", "customExtension": map[string]any{"id": ext}},
		map[string]any{"stage": "assignmentOneDayBeforeExpiration", "customExtension": map[string]any{"id": ext}},
	}
	policy := f.create(b)["id"].(string)
	_, asg := f.assign(polUser1, policy)
	id := asg["id"].(string)
	if !f.isMember(polUser1) {
		t.Fatal("the delivered assignment did not grant the group")
	}

	advance(f.e, "P15D") // day 15: nothing due yet
	if got := f.getAssignment(id); got["state"] != "delivered" || len(got["customExtensionCalloutInstances"].([]any)) != 0 {
		t.Fatalf("day 15: %v", got)
	}
	advance(f.e, "P1D") // day 16: fourteen days before the end
	got := f.getAssignment(id)
	callouts := got["customExtensionCalloutInstances"].([]any)
	if len(callouts) != 1 || callouts[0].(map[string]any)["customExtensionId"] != ext || callouts[0].(map[string]any)["status"] != "calloutSent" {
		t.Fatalf("day 16: callouts %v", callouts)
	}
	emulatortest.NoInternal(t, got)
	advance(f.e, "P13D") // day 29: one day before
	if got := f.getAssignment(id); got["status"] != "NearExpiry1DayNotificationTriggered" || len(got["customExtensionCalloutInstances"].([]any)) != 2 || !f.isMember(polUser1) {
		t.Fatalf("day 29: %v", got)
	}
	advance(f.e, "P1DT1H") // past the end
	got = f.getAssignment(id)
	if got["state"] != "expired" || got["expiredDateTime"] == nil || f.isMember(polUser1) {
		t.Fatalf("day 30: assignment %v, still a member: %v", got, f.isMember(polUser1))
	}
	exp, _ := time.Parse(time.RFC3339Nano, got["expiredDateTime"].(string))
	start, _ := time.Parse(time.RFC3339Nano, got["schedule"].(map[string]any)["startDateTime"].(string))
	if d := exp.Sub(start); d != 30*day {
		t.Errorf("expired %s after its start, want exactly 30 days (the effect runs at its due time)", d)
	}
	want := []string{"customExtensionCalloutSent " + id, "customExtensionCalloutSent " + id, "assignmentExpired " + id}
	if got := auditActivities(f.e); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("audit %v, want %v", got, want)
	}
	// A new assignment is possible once the old one has expired.
	if req := f.wait(f.request(f.addBody(polUser1, policy))["id"].(string)); req["state"] != "delivered" {
		t.Fatalf("new request after expiry: %v", req)
	}

	// A reset clears the audit trail.
	f.e.MustDo("POST", "/_emulator/reset", nil, http.StatusNoContent)
	if got := auditActivities(f.e); len(got) != 0 {
		t.Fatalf("audit after reset: %v", got)
	}
}

// The opposite: without expiration nothing happens, however far the clock moves; and a
// group another live assignment grants stays.
func TestAssignmentWithoutExpirationStays(t *testing.T) {
	t.Parallel()
	f := newAsgFixture(t, emulator.Config{DeliveryDelay: -1})
	b := f.minimal("Short")
	b["expiration"] = map[string]any{"type": "afterDuration", "duration": "P10D"}
	short := f.create(b)["id"].(string)
	_, forever := f.assign(polUser1, f.policy)
	_, brief := f.assign(polUser1, short)
	advance(f.e, "P400D")
	if got := f.getAssignment(forever["id"].(string)); got["state"] != "delivered" {
		t.Fatalf("assignment without expiration: %v", got)
	}
	if got := f.getAssignment(brief["id"].(string)); got["state"] != "expired" {
		t.Fatalf("P10D assignment: %v", got)
	}
	if !f.isMember(polUser1) {
		t.Fatal("the user left a group the live assignment still grants")
	}
}

// externalFixture is a package whose policy targets Fabrikam's users, with the settings given.
func externalFixture(t *testing.T, action, duration string) (*asgFixture, string) {
	f := newAsgFixture(t, emulator.Config{DeliveryDelay: -1})
	org := f.e.MustDo("POST", emulatortest.EMPath+"/connectedOrganizations", map[string]any{
		"displayName": "Fabrikam", "description": "Partner", "state": "configured",
		"identitySources": []any{map[string]any{"@odata.type": "#microsoft.graph.domainIdentitySource", "domainName": "fabrikam.com", "displayName": "Fabrikam"}},
	}, http.StatusCreated)["id"].(string)
	f.e.MustDo("PATCH", emulatortest.EMPath+"/settings", map[string]any{
		"externalUserLifecycleAction": action, "durationUntilExternalUserDeletedAfterBlocked": duration}, http.StatusNoContent)
	b := f.minimal("Fabrikam")
	b["allowedTargetScope"] = "specificConnectedOrganizationUsers"
	b["specificAllowedTargets"] = []any{map[string]any{"@odata.type": "#microsoft.graph.connectedOrganizationMembers", "connectedOrganizationId": org}}
	b["expiration"] = map[string]any{"type": "afterDuration", "duration": "P30D"}
	return f, f.create(b)["id"].(string)
}

func accountEnabled(e *emulatortest.Env, user string) any {
	e.T.Helper()
	return e.MustDo("GET", "/v1.0/users/"+user+"?$select=accountEnabled", nil, http.StatusOK)["accountEnabled"]
}

// blockSignInAndDelete: the guest's last assignment expires, the guest is blocked, and
// deleted durationUntilExternalUserDeletedAfterBlocked later.
func TestExternalUserBlockedThenDeleted(t *testing.T) {
	t.Parallel()
	f, policy := externalFixture(t, "blockSignInAndDelete", "P30D")
	_, asg := f.assign(asgGuest, policy)
	// The guest's subject names the connected organization they came in through.
	got := f.e.MustDo("GET", asgPath+"/"+asg["id"].(string)+"?$expand=target($expand=connectedOrganization)", nil, http.StatusOK)
	if org, _ := got["target"].(map[string]any)["connectedOrganization"].(map[string]any); org == nil || org["displayName"] != "Fabrikam" {
		t.Fatalf("target.connectedOrganization of %v", got["target"])
	}
	advance(f.e, "P31D")
	if got := accountEnabled(f.e, asgGuest); got != false {
		t.Fatalf("after expiry accountEnabled = %v, want false", got)
	}
	advance(f.e, "P28D") // day 59: blocked on day 30, deleted on day 60
	if got := accountEnabled(f.e, asgGuest); got != false {
		t.Fatalf("29 days after the block accountEnabled = %v, want the user still there, blocked", got)
	}
	advance(f.e, "P1D")
	f.e.MustDo("GET", "/v1.0/users/"+asgGuest, nil, http.StatusNotFound)
	want := []string{"assignmentExpired " + asg["id"].(string), "externalUserBlocked " + asgGuest, "externalUserDeleted " + asgGuest}
	if got := auditActivities(f.e); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("audit %v, want %v", got, want)
	}
}

// blockSignIn blocks and keeps the guest; none leaves the guest alone; and removal by an
// adminRemove request counts as losing the last assignment too.
func TestExternalUserLifecycleActions(t *testing.T) {
	t.Parallel()
	t.Run("blockSignIn", func(t *testing.T) {
		f, policy := externalFixture(t, "blockSignIn", "P30D")
		f.assign(asgGuest, policy)
		advance(f.e, "P100D")
		if got := accountEnabled(f.e, asgGuest); got != false {
			t.Fatalf("accountEnabled = %v, want false and the user kept", got)
		}
	})
	t.Run("none", func(t *testing.T) {
		f, policy := externalFixture(t, "none", "P30D")
		f.assign(asgGuest, policy)
		advance(f.e, "P100D")
		if got := accountEnabled(f.e, asgGuest); got != true {
			t.Fatalf("accountEnabled = %v, want true", got)
		}
		if got := auditActivities(f.e); len(got) != 1 {
			t.Fatalf("audit %v, want only the expiry", got)
		}
	})
	t.Run("removed", func(t *testing.T) {
		f, policy := externalFixture(t, "blockSignIn", "P30D")
		_, asg := f.assign(asgGuest, policy)
		f.request(map[string]any{"requestType": "adminRemove", "assignment": map[string]any{"id": asg["id"]}})
		if got := accountEnabled(f.e, asgGuest); got != false {
			t.Fatalf("after removal accountEnabled = %v, want false", got)
		}
	})
	t.Run("one move", func(t *testing.T) {
		// One advance past both: the expiry registers the deletion, which runs in the same move at
		// its own time, 30 days after the block.
		f, policy := externalFixture(t, "blockSignInAndDelete", "P30D")
		f.assign(asgGuest, policy)
		advance(f.e, "P100D")
		f.e.MustDo("GET", "/v1.0/users/"+asgGuest, nil, http.StatusNotFound)
		trail := emulatortest.ValueList(t, f.e.MustDo("GET", "/_emulator/audit", nil, http.StatusOK))
		if len(trail) != 3 || trail[1]["activity"] != "externalUserBlocked" || trail[2]["activity"] != "externalUserDeleted" {
			t.Fatalf("audit %v", trail)
		}
		blocked, _ := time.Parse(time.RFC3339Nano, trail[1]["dateTime"].(string))
		deleted, _ := time.Parse(time.RFC3339Nano, trail[2]["dateTime"].(string))
		if deleted.Sub(blocked) != 30*day {
			t.Fatalf("deleted %s after the block, want 30 days", deleted.Sub(blocked))
		}
	})
	t.Run("member user", func(t *testing.T) {
		// Only external users are subject to the lifecycle action.
		f := newAsgFixture(t, emulator.Config{DeliveryDelay: -1})
		b := f.minimal("Short")
		b["expiration"] = map[string]any{"type": "afterDuration", "duration": "P10D"}
		f.assign(polUser1, f.create(b)["id"].(string))
		advance(f.e, "P100D")
		if got := accountEnabled(f.e, polUser1); got != true {
			t.Fatalf("member accountEnabled = %v, want true", got)
		}
	})
}

// A local API opened on an existing database registers the effects of what it holds.
func TestAssignmentEffectsSurviveARestart(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "tenant.db")
	f := newAsgFixture(t, emulator.Config{DBPath: path, DeliveryDelay: -1})
	b := f.minimal("Thirty days")
	b["expiration"] = map[string]any{"type": "afterDuration", "duration": "P30D"}
	_, asg := f.assign(polUser1, f.create(b)["id"].(string))
	if err := f.e.Srv.Close(); err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.New(emulator.Config{DBPath: path, Authority: emulatortest.SharedAuthority(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if _, err := srv.AdvanceClock(31 * day); err != nil {
		t.Fatal(err)
	}
	got, err := srv.GetObject("assignments", asg["id"].(string))
	if err != nil || got["state"] != "expired" {
		t.Fatalf("after a restart and 31 days: %v %v", got, err)
	}
}
