package directory_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
)

// TestUserSponsors: users and groups can sponsor a user; duplicates, service principals, unknown
// objects and a sixth sponsor are refused; a removed or deleted sponsor leaves the list.
func TestUserSponsors(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	base := "/v1.0/users/" + emulator.SeedGuestBenID + "/sponsors"
	ref := func(coll, id string) map[string]any {
		return map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/" + coll + "/" + id}
	}
	e.MustDo("POST", base+"/$ref", ref("users", emulator.SeedUserAdeleID), http.StatusNoContent)
	e.MustDo("POST", base+"/$ref", ref("groups", emulator.SeedGroupSalesID), http.StatusNoContent)
	list := e.MustDo("GET", base, nil, http.StatusOK)
	values := emulatortest.ValueList(t, list)
	if len(values) != 2 || values[0]["@odata.type"] != "#microsoft.graph.user" || values[1]["@odata.type"] != "#microsoft.graph.group" {
		t.Fatalf("sponsors: %v", list)
	}

	for name, tc := range map[string]struct {
		body map[string]any
		want int
	}{
		"duplicate":         {ref("users", emulator.SeedUserAdeleID), http.StatusBadRequest},
		"service principal": {ref("directoryObjects", emulator.SeedAppExpensesSPID), http.StatusBadRequest},
		"user as group":     {ref("groups", emulator.SeedUserAlexID), http.StatusNotFound},
		"unknown":           {ref("users", "00000000-0000-0000-0000-0000000000aa"), http.StatusNotFound},
		"self":              {ref("users", emulator.SeedGuestBenID), http.StatusBadRequest},
	} {
		if resp, body := e.Do("POST", base+"/$ref", tc.body); resp.StatusCode != tc.want {
			t.Errorf("%s: %d %v, want %d", name, resp.StatusCode, body, tc.want)
		}
	}
	for _, id := range []string{emulator.SeedUserAlexID, emulator.SeedUserMeganID, emulator.SeedUserIsaiahID} {
		e.MustDo("POST", base+"/$ref", ref("users", id), http.StatusNoContent)
	}
	if resp, body := e.Do("POST", base+"/$ref", ref("users", emulator.SeedUserLeeID)); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("sixth sponsor: %d %v", resp.StatusCode, body)
	}

	e.MustDo("DELETE", base+"/"+emulator.SeedGroupSalesID+"/$ref", nil, http.StatusNoContent)
	e.MustDo("DELETE", base+"/"+emulator.SeedGroupSalesID+"/$ref", nil, http.StatusNotFound)
	e.MustDo("DELETE", "/v1.0/users/"+emulator.SeedUserAlexID, nil, http.StatusNoContent)
	ids, err := e.Srv.UserSponsorIDs(emulator.SeedGuestBenID)
	if err != nil || !emulatortest.SameIDs(ids, []string{emulator.SeedUserAdeleID, emulator.SeedUserMeganID, emulator.SeedUserIsaiahID}) {
		t.Errorf("sponsors after removals: %v %v", ids, err)
	}
	e.MustDo("GET", "/v1.0/users/00000000-0000-0000-0000-0000000000aa/sponsors", nil, http.StatusNotFound)
}

// TestRedeemControl: the control route accepts a pending invitation at the server's time, runs the
// OnRedeem hooks, and refuses unknown users (404) and users without a pending invitation (400).
func TestRedeemControl(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	now := time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)
	e.Srv.Now = func() time.Time { return now }
	var redeemed []string
	e.Srv.OnRedeem(func(id string) { redeemed = append(redeemed, id) })

	inv := e.MustDo("POST", "/v1.0/invitations", map[string]any{"invitedUserEmailAddress": "ana@fabrikam.com", "inviteRedirectUrl": "https://myapps.microsoft.com"}, http.StatusCreated)
	userID := inv["invitedUser"].(map[string]any)["id"].(string)
	now = now.Add(time.Hour)
	e.MustDo("POST", "/_emulator/users/"+userID+"/redeem", nil, http.StatusNoContent)
	user := e.MustDo("GET", "/v1.0/users/"+userID, nil, http.StatusOK)
	if user["externalUserState"] != "Accepted" || user["externalUserStateChangeDateTime"] != "2031-05-06T08:08:09Z" {
		t.Errorf("user after redeem: %v", user)
	}
	if len(redeemed) != 1 || redeemed[0] != userID {
		t.Errorf("hooks saw %v", redeemed)
	}
	e.MustDo("POST", "/_emulator/users/"+userID+"/redeem", nil, http.StatusBadRequest)
	e.MustDo("POST", "/_emulator/users/"+emulator.SeedUserAlexID+"/redeem", nil, http.StatusBadRequest)
	e.MustDo("POST", "/_emulator/users/00000000-0000-0000-0000-0000000000aa/redeem", nil, http.StatusNotFound)
	if len(redeemed) != 1 {
		t.Errorf("a refused redemption ran the hooks: %v", redeemed)
	}
}
