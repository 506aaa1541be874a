package directory

import (
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// TestBuildInventory: the rows Graph's filter cannot decide on its own, and the order and counts.
func TestBuildInventory(t *testing.T) {
	t.Parallel()
	users := []graph.ExternalUser{
		{ID: "3", UserPrincipalName: "zoe_fabrikam.com#EXT#@contoso.onmicrosoft.com", Mail: "Zoe@Fabrikam.com", UserType: "Guest", CompanyName: "Fabrikam",
			Sponsors: []graph.DirectoryObject{{ID: "BBB"}, {ID: "aaa"}}},
		{ID: "2", UserPrincipalName: "al_fabrikam.com#EXT#@contoso.onmicrosoft.com", UserType: "Guest"}, // no mail: domain from the UPN
		{ID: "1", UserPrincipalName: "kim_adatum.com#EXT#@contoso.onmicrosoft.com", Mail: "kim@adatum.com", UserType: "Member", CompanyName: "Adatum"},
		{ID: "4", UserPrincipalName: "lee@contoso.onmicrosoft.com", UserType: "Member"}, // neither invited nor B2B: left out
	}
	inv := buildInventory(users, map[string]string{"fabrikam.com": "org-f"}, "")
	var ids []string
	for _, u := range inv.users {
		ids = append(ids, u.ID.ValueString())
	}
	if want := []string{"1", "2", "3"}; len(ids) != 3 || ids[0] != want[0] || ids[1] != want[1] || ids[2] != want[2] {
		t.Fatalf("users %v, want %v (by domain, then UPN)", ids, want)
	}
	if d := inv.users[1].Domain.ValueString(); d != "fabrikam.com" || !inv.users[1].Mail.IsNull() || !inv.users[1].CompanyName.IsNull() {
		t.Errorf("al: domain %q mail %v company %v", d, inv.users[1].Mail, inv.users[1].CompanyName)
	}
	if got := inv.users[2].SponsorIDs.String(); got != `["aaa","bbb"]` {
		t.Errorf("sponsor ids %s, want sorted lower case", got)
	}
	if !inv.users[0].ConnectedOrganizationID.IsNull() || inv.users[2].ConnectedOrganizationID.ValueString() != "org-f" {
		t.Errorf("organizations %v %v", inv.users[0].ConnectedOrganizationID, inv.users[2].ConnectedOrganizationID)
	}
	if len(inv.byDomain) != 2 || inv.byDomain[1].Count.ValueInt64() != 2 || inv.byDomain[1].ConnectedOrganizationID.ValueString() != "org-f" {
		t.Errorf("by domain %+v", inv.byDomain)
	}
	if len(inv.byCompany) != 2 || inv.byCompany[0].CompanyName.ValueString() != "Adatum" || inv.byCompany[1].Count.ValueInt64() != 1 {
		t.Errorf("by company %+v (al has no company and is not counted)", inv.byCompany)
	}
	only := buildInventory(users, nil, "adatum.com")
	if len(only.users) != 1 || only.users[0].ID.ValueString() != "1" || len(only.byDomain) != 1 {
		t.Errorf("domain filter: %+v", only.users)
	}
}
