package graph_test

import (
	"context"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

func TestExternalUsersFilter(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   graph.ExternalUserFilter
		want string
	}{
		{graph.ExternalUserFilter{}, "userType eq 'Guest' or externalUserState eq 'PendingAcceptance' or externalUserState eq 'Accepted'"},
		{graph.ExternalUserFilter{UserType: "Guest"}, "userType eq 'Guest'"},
		{graph.ExternalUserFilter{UserType: "Member"}, "userType eq 'Member' and (externalUserState eq 'PendingAcceptance' or externalUserState eq 'Accepted')"},
		{graph.ExternalUserFilter{ExternalUserState: "Accepted"}, "externalUserState eq 'Accepted'"},
		{graph.ExternalUserFilter{ExternalUserState: "Accepted", UserType: "Member"}, "userType eq 'Member' and externalUserState eq 'Accepted'"},
		{graph.ExternalUserFilter{CompanyName: "O'Neil & Co"}, "(userType eq 'Guest' or externalUserState eq 'PendingAcceptance' or externalUserState eq 'Accepted') and companyName eq 'O''Neil & Co'"},
	}
	for _, c := range cases {
		if got := graph.ExternalUsersFilter(c.in); got != c.want {
			t.Errorf("%+v:\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

func TestUserDomain(t *testing.T) {
	t.Parallel()
	cases := []struct{ mail, upn, want string }{
		{"Ben@Fabrikam.com", "ben_fabrikam.com#EXT#@contoso.onmicrosoft.com", "fabrikam.com"},
		{"", "mary_adatum.com#EXT#@contoso.onmicrosoft.com", "adatum.com"},
		{"", "first_last_litware.com#ext#@contoso.onmicrosoft.com", "litware.com"},
		{"", "adele@contoso.onmicrosoft.com", ""},
	}
	for _, c := range cases {
		if got := graph.UserDomain(c.mail, c.upn); got != c.want {
			t.Errorf("UserDomain(%q, %q) = %q, want %q", c.mail, c.upn, got, c.want)
		}
	}
}

// TestListExternalUsers: the seeded Fabrikam guests and an invited guest, members left out, one page
// request per page with the sponsors expanded.
func TestListExternalUsers(t *testing.T) {
	t.Parallel()
	c, srv := newEmulatorClient(t, nil)
	ctx := context.Background()
	inv, err := c.CreateInvitation(ctx, graph.Invitation{InvitedUserEmailAddress: "mary@adatum.com", InviteRedirectURL: "https://myapps.microsoft.com"})
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetRequestCount()
	users, err := c.ListExternalUsers(ctx, graph.ExternalUserFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]graph.ExternalUser{}
	for _, u := range users {
		got[u.ID] = u
	}
	if len(users) != 4 || got[inv.InvitedUser.ID].ExternalUserState != "PendingAcceptance" || got[emulator.SeedGuestBenID].CompanyName != "Fabrikam" ||
		got[emulator.SeedGuestBenID].CreatedDateTime == "" || got[emulator.SeedGuestBenID].Sponsors == nil {
		t.Fatalf("external users %+v", users)
	}
	if n := srv.RequestCount().ByRoute["GET /v1.0/users"]; n != 1 {
		t.Errorf("want one list request, got %d (%v)", n, srv.RequestCount().ByRoute)
	}
	pending, err := c.ListExternalUsers(ctx, graph.ExternalUserFilter{ExternalUserState: "PendingAcceptance"})
	if err != nil || len(pending) != 1 || pending[0].ID != inv.InvitedUser.ID {
		t.Errorf("pending %+v %v", pending, err)
	}
	fabrikam, err := c.ListExternalUsers(ctx, graph.ExternalUserFilter{CompanyName: "fabrikam"})
	if err != nil || len(fabrikam) != 3 {
		t.Errorf("fabrikam %+v %v", fabrikam, err)
	}
}

// TestOrganizationsByDomain: a domain two organizations name goes to the lowest id, whatever the order.
func TestOrganizationsByDomain(t *testing.T) {
	t.Parallel()
	orgs := []graph.ConnectedOrganization{
		{ID: "b", IdentitySources: []graph.IdentitySource{{Type: graph.IdentitySourceFederation, DomainName: "Fabrikam.com."}}},
		{ID: "a", IdentitySources: []graph.IdentitySource{{Type: graph.IdentitySourceDomain, DomainName: "fabrikam.com"}, {Type: graph.IdentitySourceTenant, TenantID: "T"}}},
	}
	got := graph.OrganizationsByDomain(orgs)
	if len(got) != 1 || got["fabrikam.com"] != "a" {
		t.Errorf("%v", got)
	}
	if ids := orgs[1].TenantIDs(); len(ids) != 1 || ids[0] != "t" {
		t.Errorf("tenant ids %v", ids)
	}
}
