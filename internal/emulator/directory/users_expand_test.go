package directory_test

import (
	"net/url"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
)

// The external-user inventory's request: guests and invited members, with their sponsors expanded.
func TestDirectoryUsersExpandSponsors(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	e.Put(directory.UserSponsors, map[string]any{"id": emulator.SeedGuestBenID + "_" + emulator.SeedUserAdeleID,
		"userId": emulator.SeedGuestBenID, "sponsorId": emulator.SeedUserAdeleID})
	e.Put(directory.UserSponsors, map[string]any{"id": emulator.SeedGuestBenID + "_" + emulator.SeedGroupFabrikamPartnersID,
		"userId": emulator.SeedGuestBenID, "sponsorId": emulator.SeedGroupFabrikamPartnersID})

	q := url.Values{
		"$filter": {"userType eq 'Guest' or externalUserState eq 'PendingAcceptance' or externalUserState eq 'Accepted'"},
		"$select": {"id,mail,companyName,externalUserState,createdDateTime"},
		"$expand": {"sponsors($select=id)"},
		"$top":    {"100"},
	}
	body := e.MustDo("GET", "/v1.0/users?"+q.Encode(), nil, 200)
	users := emulatortest.ValueList(t, body)
	if len(users) != 3 {
		t.Fatalf("want the 3 seeded guests, got %d: %v", len(users), users)
	}
	for _, u := range users {
		if u["displayName"] != nil {
			t.Errorf("displayName was not selected: %v", u)
		}
		if u["companyName"] != "Fabrikam" || u["createdDateTime"] == nil {
			t.Errorf("selected properties missing: %v", u)
		}
		sponsors, ok := u["sponsors"].([]any)
		if !ok {
			t.Fatalf("sponsors not expanded: %v", u)
		}
		want := 0
		if u["id"] == emulator.SeedGuestBenID {
			want = 2
		}
		if len(sponsors) != want {
			t.Errorf("%v: want %d sponsors, got %v", u["id"], want, sponsors)
		}
		for _, s := range sponsors {
			m := s.(map[string]any)
			if m["id"] == nil || m["@odata.type"] == nil || m["displayName"] != nil {
				t.Errorf("sponsor should carry only id and @odata.type: %v", m)
			}
		}
	}

	// One user, expanded without a nested $select: the sponsors' properties come along.
	one := e.MustDo("GET", "/v1.0/users/"+emulator.SeedGuestBenID+"?$expand=sponsors", nil, 200)
	sponsors, _ := one["sponsors"].([]any)
	if len(sponsors) != 2 || sponsors[0].(map[string]any)["displayName"] == nil {
		t.Errorf("single user expand: %v", one["sponsors"])
	}

	// Without $expand nothing is added; an unknown navigation is refused.
	plain := e.MustDo("GET", "/v1.0/users/"+emulator.SeedGuestBenID, nil, 200)
	if _, ok := plain["sponsors"]; ok {
		t.Errorf("sponsors returned without $expand: %v", plain)
	}
	resp, errBody := e.Do("GET", "/v1.0/users?$expand=nosuchthing", nil)
	if resp.StatusCode != 400 || emulatortest.ErrCode(errBody) == "" {
		t.Errorf("unknown navigation: %d %v", resp.StatusCode, errBody)
	}
}
