package entitlement_test

import (
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// TestAssignmentReprocess: reprocessing a delivered assignment grants again the group
// membership removed out of band and answers 202 with no body; an unknown assignment is 404,
// a malformed id 400, and a caller without the write permission gets 403.
func TestAssignmentReprocess(t *testing.T) {
	t.Parallel()
	f := newAsgFixture(t, emulator.Config{})
	e := f.e
	_, a := f.assign(polUser1, f.policy)
	id := a["id"].(string)
	if err := e.Srv.RemoveGroupMember(f.grp, polUser1); err != nil {
		t.Fatal(err)
	}
	if f.isMember(polUser1) {
		t.Fatal("still a member")
	}
	for _, name := range []string{"reprocess", "microsoft.graph.reprocess"} {
		resp, body := e.Do("POST", asgPath+"/"+id+"/"+name, nil)
		if resp.StatusCode != http.StatusAccepted || len(body) != 0 {
			t.Fatalf("%s: %d %v", name, resp.StatusCode, body)
		}
	}
	if !f.isMember(polUser1) {
		t.Error("the membership was not granted again")
	}
	stored, err := e.Srv.GetObject("assignments", id)
	if err != nil {
		t.Fatal(err)
	}
	if stored["_reprocessedDateTime"] == nil || stored["status"] != "Delivered" {
		t.Errorf("not recorded: %v", stored)
	}
	// The regranted membership belongs to the assignment: removing it removes the membership.
	f.wait(f.request(map[string]any{"requestType": "adminRemove", "assignment": map[string]any{"id": id}})["id"].(string))
	if f.isMember(polUser1) {
		t.Error("the membership outlived the assignment")
	}

	resp, body := e.Do("POST", asgPath+"/"+uuid.NewString()+"/reprocess", nil)
	if resp.StatusCode != http.StatusNotFound || emulatortest.ErrCode(body) != wire.CodeResourceNotFound {
		t.Errorf("unknown: %d %v", resp.StatusCode, body)
	}
	resp, body = e.Do("POST", asgPath+"/not-a-guid/reprocess", nil)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("malformed: %d %v", resp.StatusCode, body)
	}
	reader := e.GetToken(emulator.ReaderClientID, emulator.ReaderClientSecret)
	resp, body = e.DoWith(reader, "POST", asgPath+"/"+id+"/reprocess", nil, nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("reader: %d %v", resp.StatusCode, body)
	}
}
