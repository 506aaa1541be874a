package directory_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// externalGuests invites two Adatum users next to the seeded Fabrikam guests (fabrikam.com,
// company Fabrikam): mary stays a pending guest, omar becomes an accepted B2B member. It returns
// their ids.
func externalGuests(t *testing.T, e *acctest.Emulator) (mary, omar string) {
	t.Helper()
	ctx := acctest.Context(t)
	c := e.Client(t)
	invite := func(mail, name string) string {
		inv, err := c.CreateInvitation(ctx, graph.Invitation{InvitedUserEmailAddress: mail, InvitedUserDisplayName: name,
			InviteRedirectURL: "https://myapps.microsoft.com"})
		if err != nil {
			t.Fatal(err)
		}
		return inv.InvitedUser.ID
	}
	mary, omar = invite("mary@adatum.com", "Mary Smith (Adatum)"), invite("omar@adatum.com", "Omar Khan (Adatum)")
	// companyName is the administrator's to set; externalUserState and userType change when the
	// invitation is redeemed and the guest converted: out of band here.
	for id, patch := range map[string]map[string]any{
		mary: {"companyName": "Adatum Corporation"},
		omar: {"companyName": "Adatum Corporation", "userType": "Member", "externalUserState": "Accepted"},
	} {
		if err := e.Server.ChangeObject("users", id, patch); err != nil {
			t.Fatal(err)
		}
	}
	return mary, omar
}

const fabrikamOrgConfig = `
resource "entragov_connected_organization" "fabrikam" {
  display_name     = "Fabrikam"
  description      = "Design agency"
  state            = "configured"
  identity_sources = [{ type = "domainIdentitySource", domain_name = "fabrikam.com" }]
}
`

// isID checks a value against an id the test learns only when the step runs.
func isID(id *string) knownvalue.Check {
	return knownvalue.StringFunc(func(v string) error {
		if v != *id {
			return fmt.Errorf("want id %s, got %s", *id, v)
		}
		return nil
	})
}

func usersWithIDs(ids ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
	}
	return knownvalue.ListExact(checks)
}

// noPerUserReads fails when the provider read a user, or a user's sponsors, one by one: the inventory
// is one list request per page with the sponsors expanded.
func noPerUserReads(e *acctest.Emulator) resource.TestCheckFunc {
	return func(*terraform.State) error {
		stats := e.Server.RequestCount()
		for route, n := range stats.ByRoute {
			if strings.HasPrefix(route, "GET /v1.0/users/{") && n > 0 {
				return fmt.Errorf("%d requests to %s: the inventory must not read users one by one", n, route)
			}
		}
		if stats.ByRoute["GET /v1.0/users"] == 0 {
			return fmt.Errorf("the users were never listed: %v", stats.ByRoute)
		}
		return nil
	}
}

func TestAccExternalUsersDataSource_inventory(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var mary, omar string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() { mary, omar = externalGuests(t, e) },
			Config: e.Config(fabrikamOrgConfig, `
data "entragov_external_users" "all" {
  depends_on = [entragov_connected_organization.fabrikam]
}
`),
			Check: noPerUserReads(e),
			ConfigStateChecks: []statecheck.StateCheck{
				// Ordered by domain, then user principal name: adatum.com (mary, omar), fabrikam.com (ben, carla, dan).
				statecheck.ExpectKnownValue("data.entragov_external_users.all", tfjsonpath.New("users"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": isID(&mary), "display_name": knownvalue.StringExact("Mary Smith (Adatum)"),
						"mail": knownvalue.StringExact("mary@adatum.com"), "user_principal_name": knownvalue.StringExact("mary_adatum.com#EXT#@contoso.onmicrosoft.com"),
						"domain": knownvalue.StringExact("adatum.com"), "company_name": knownvalue.StringExact("Adatum Corporation"),
						"created_date_time": knownvalue.NotNull(), "external_user_state": knownvalue.StringExact("PendingAcceptance"),
						"user_type": knownvalue.StringExact("Guest"), "sponsor_ids": knownvalue.ListExact([]knownvalue.Check{}),
						"connected_organization_id": knownvalue.Null(),
					}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": isID(&omar), "user_type": knownvalue.StringExact("Member"), "external_user_state": knownvalue.StringExact("Accepted"), "domain": knownvalue.StringExact("adatum.com")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(emulator.SeedGuestBenID), "company_name": knownvalue.StringExact("Fabrikam"), "created_date_time": knownvalue.StringExact("2024-03-01T10:00:00Z")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(emulator.SeedGuestCarlaID)}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(emulator.SeedGuestDanID)}),
				})),
				statecheck.CompareValuePairs("data.entragov_external_users.all", tfjsonpath.New("users").AtSliceIndex(2).AtMapKey("connected_organization_id"),
					"entragov_connected_organization.fabrikam", tfjsonpath.New("id"), compareSame),
				statecheck.ExpectKnownValue("data.entragov_external_users.all", tfjsonpath.New("by_domain"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{"domain": knownvalue.StringExact("adatum.com"), "count": knownvalue.Int64Exact(2), "connected_organization_id": knownvalue.Null()}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{"domain": knownvalue.StringExact("fabrikam.com"), "count": knownvalue.Int64Exact(3), "connected_organization_id": knownvalue.NotNull()}),
				})),
				statecheck.CompareValuePairs("data.entragov_external_users.all", tfjsonpath.New("by_domain").AtSliceIndex(1).AtMapKey("connected_organization_id"),
					"entragov_connected_organization.fabrikam", tfjsonpath.New("id"), compareSame),
				statecheck.ExpectKnownValue("data.entragov_external_users.all", tfjsonpath.New("by_company"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{"company_name": knownvalue.StringExact("Adatum Corporation"), "count": knownvalue.Int64Exact(2)}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{"company_name": knownvalue.StringExact("Fabrikam"), "count": knownvalue.Int64Exact(3)}),
				})),
			},
		}, {
			// Each filter, the domain without regard to case; and a domain nobody comes from.
			Config: e.Config(fabrikamOrgConfig, `
data "entragov_external_users" "fabrikam" {
  domain = "FABRIKAM.com"
}
data "entragov_external_users" "adatum_company" {
  company_name = "adatum corporation"
}
data "entragov_external_users" "pending" {
  external_user_state = "PendingAcceptance"
}
data "entragov_external_users" "members" {
  user_type = "Member"
}
data "entragov_external_users" "guests_of_adatum" {
  user_type = "Guest"
  domain    = "adatum.com"
}
data "entragov_external_users" "nobody" {
  domain = "nowhere.example"
}
`),
			Check: noPerUserReads(e),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.entragov_external_users.fabrikam", tfjsonpath.New("users"),
					usersWithIDs(emulator.SeedGuestBenID, emulator.SeedGuestCarlaID, emulator.SeedGuestDanID)),
				statecheck.ExpectKnownValue("data.entragov_external_users.fabrikam", tfjsonpath.New("by_domain").AtSliceIndex(0).AtMapKey("domain"), knownvalue.StringExact("fabrikam.com")),
				statecheck.ExpectKnownValue("data.entragov_external_users.adatum_company", tfjsonpath.New("by_company"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{"company_name": knownvalue.StringExact("Adatum Corporation"), "count": knownvalue.Int64Exact(2)}),
				})),
				statecheck.ExpectKnownValue("data.entragov_external_users.pending", tfjsonpath.New("users").AtSliceIndex(0).AtMapKey("mail"), knownvalue.StringExact("mary@adatum.com")),
				statecheck.ExpectKnownValue("data.entragov_external_users.pending", tfjsonpath.New("users"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.entragov_external_users.members", tfjsonpath.New("users"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.entragov_external_users.members", tfjsonpath.New("users").AtSliceIndex(0).AtMapKey("mail"), knownvalue.StringExact("omar@adatum.com")),
				statecheck.ExpectKnownValue("data.entragov_external_users.guests_of_adatum", tfjsonpath.New("users"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.entragov_external_users.nobody", tfjsonpath.New("users"), knownvalue.ListExact([]knownvalue.Check{})),
				statecheck.ExpectKnownValue("data.entragov_external_users.nobody", tfjsonpath.New("by_domain"), knownvalue.ListExact([]knownvalue.Check{})),
				statecheck.ExpectKnownValue("data.entragov_external_users.nobody", tfjsonpath.New("by_company"), knownvalue.ListExact([]knownvalue.Check{})),
			},
		}},
	})
}

// TestAccExternalUsersDataSource_sponsors: sponsors added through Graph (POST /users/{id}/sponsors/$ref,
// https://learn.microsoft.com/en-us/graph/api/user-post-sponsors?view=graph-rest-1.0) come back as
// sponsor_ids, sorted, with no per-user read.
func TestAccExternalUsersDataSource_sponsors(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory, acctest.NeedsLocalAPI)
	if status := addUserSponsor(t, e, emulator.SeedGuestBenID, "users", emulator.SeedUserAdeleID); status != http.StatusNoContent {
		t.Fatalf("adding a sponsor: %d", status)
	}
	if status := addUserSponsor(t, e, emulator.SeedGuestBenID, "groups", emulator.SeedGroupFabrikamPartnersID); status != http.StatusNoContent {
		t.Fatalf("adding a group sponsor: %d", status)
	}
	want := []string{strings.ToLower(emulator.SeedUserAdeleID), strings.ToLower(emulator.SeedGroupFabrikamPartnersID)}
	if want[1] < want[0] {
		want[0], want[1] = want[1], want[0]
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(`
data "entragov_external_users" "fabrikam" {
  domain = "fabrikam.com"
}
`),
			Check: noPerUserReads(e),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.entragov_external_users.fabrikam", tfjsonpath.New("users").AtSliceIndex(0).AtMapKey("sponsor_ids"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(want[0]), knownvalue.StringExact(want[1])})),
				statecheck.ExpectKnownValue("data.entragov_external_users.fabrikam", tfjsonpath.New("users").AtSliceIndex(1).AtMapKey("sponsor_ids"),
					knownvalue.ListExact([]knownvalue.Check{})),
			},
		}},
	})
}

// addUserSponsor sends POST /v1.0/users/{id}/sponsors/$ref as an administrator would, and returns the
// status.
func addUserSponsor(t *testing.T, e *acctest.Emulator, userID, kind, sponsorID string) int {
	t.Helper()
	ctx := acctest.Context(t)
	token := adminToken(ctx, t, e)
	body, _ := json.Marshal(map[string]string{"@odata.id": "https://graph.microsoft.com/v1.0/" + kind + "/" + sponsorID})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.URL+"/v1.0/users/"+userID+"/sponsors/$ref", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode
}

// adminToken is a token of the local API's administrator app (client credentials).
func adminToken(ctx context.Context, t *testing.T, e *acctest.Emulator) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {emulator.DefaultClientID},
		"client_secret": {emulator.DefaultClientSecret}, "scope": {"https://graph.microsoft.com/.default"}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.URL+"/"+emulator.DefaultTenantID+"/oauth2/v2.0/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token: %d %v", resp.StatusCode, err)
	}
	return tok.AccessToken
}

func TestAccExternalUsersDataSource_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      e.Config(`data "entragov_external_users" "bad" { domain = "ben@fabrikam.com" }`),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(`(?s)domain.*must be a domain name`),
		}, {
			Config:      e.Config(`data "entragov_external_users" "bad" { external_user_state = "Pending" }`),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(`(?s)external_user_state.*PendingAcceptance`),
		}, {
			Config:      e.Config(`data "entragov_external_users" "bad" { user_type = "guest" }`),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(`(?s)user_type.*Guest`),
		}},
		CheckDestroy: func(*terraform.State) error {
			if n := e.GraphRequests(); n != 0 {
				return fmt.Errorf("invalid configurations made %d Graph requests", n)
			}
			return nil
		},
	})
}
