package directory_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

const invitationAddress = "entragov_invitation.test"

const invitationsRoute = "POST /v1.0/invitations"

// invitationImportIgnore are the invitation-only arguments (Graph has no GET of an invitation) and what
// only the invitation's answer holds.
var invitationImportIgnore = []string{
	"invite_redirect_url", "send_invitation_message", "invited_user_message_info", "reset_redemption",
	"status", "invite_redeem_url",
}

func invitationConfig(email, displayName, redirect, extra string) string {
	return fmt.Sprintf(`
resource "entragov_invitation" "test" {
  invited_user_email_address = %q
  invited_user_display_name  = %q
  invite_redirect_url        = %q
%s
}
`, email, displayName, redirect, extra)
}

// usersWithMail returns the ids of the users whose mail is mail.
func usersWithMail(t *testing.T, e *acctest.Emulator, mail string) []string {
	t.Helper()
	users, err := e.Server.ListObjects("users")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, u := range users {
		if m, _ := u["mail"].(string); strings.EqualFold(m, mail) {
			ids = append(ids, u["id"].(string))
		}
	}
	return ids
}

func checkNoUserWithMail(t *testing.T, e *acctest.Emulator, mails ...string) func(*terraform.State) error {
	return func(*terraform.State) error {
		for _, m := range mails {
			if ids := usersWithMail(t, e, m); len(ids) > 0 {
				return fmt.Errorf("users with mail %s left after destroy: %v", m, ids)
			}
		}
		return nil
	}
}

// userField checks one field of the invited user in state as the local API holds it.
func userField(e *acctest.Emulator, field, want string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[invitationAddress]
		if !ok {
			return fmt.Errorf("%s not in state", invitationAddress)
		}
		u, err := e.Server.GetObject("users", rs.Primary.ID)
		if err != nil {
			return fmt.Errorf("user %s: %w", rs.Primary.ID, err)
		}
		if got, _ := u[field].(string); got != want {
			return fmt.Errorf("user %s: %s = %q, want %q", rs.Primary.ID, field, got, want)
		}
		return nil
	}
}

func invitations(e *acctest.Emulator) int { return e.Server.RequestCount().ByRoute[invitationsRoute] }

func TestAccInvitation_basicUpdateImportReplace(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var id acctest.IDCapture
	var sent int
	message := `
  send_invitation_message = true
  invited_user_message_info = {
    message_language = "fr-FR"
    cc_recipients    = ["sponsor@contoso.com"]
  }`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoUserWithMail(t, e, "ana@fabrikam.com", "ana.silva@fabrikam.com"),
		Steps: []resource.TestStep{{
			Config: e.Config(invitationConfig("ana@fabrikam.com", "Ana Silva (Fabrikam)", "https://myapps.microsoft.com", message)),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID(invitationAddress, &id),
				statecheck.CompareValuePairs(invitationAddress, tfjsonpath.New("id"), invitationAddress, tfjsonpath.New("invited_user_id"), compareSame),
				statecheck.ExpectKnownValue(invitationAddress, tfjsonpath.New("status"), knownvalue.StringExact("PendingAcceptance")),
				statecheck.ExpectKnownValue(invitationAddress, tfjsonpath.New("external_user_state"), knownvalue.StringExact("PendingAcceptance")),
				statecheck.ExpectKnownValue(invitationAddress, tfjsonpath.New("invited_user_type"), knownvalue.StringExact("Guest")),
				statecheck.ExpectKnownValue(invitationAddress, tfjsonpath.New("user_principal_name"),
					knownvalue.StringExact("ana_fabrikam.com#EXT#@"+emulator.SeedTenantDomain)),
				statecheck.ExpectKnownValue(invitationAddress, tfjsonpath.New("invite_redeem_url"),
					knownvalue.StringRegexp(regexpPrefix("https://login.microsoftonline.com/redeem?"))),
				statecheck.ExpectKnownValue(invitationAddress, tfjsonpath.New("keep_user_on_destroy"), knownvalue.Bool(false)),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check: resource.ComposeTestCheckFunc(userField(e, "displayName", "Ana Silva (Fabrikam)"), func(*terraform.State) error {
				if n := invitations(e); n != 1 {
					return fmt.Errorf("%d invitations sent, want 1", n)
				}
				return nil
			}),
		}, {
			ResourceName: invitationAddress, ImportState: true, ImportStateVerify: true,
			ImportStateVerifyIgnore: invitationImportIgnore,
		}, {
			// The display name and the user type change the user in place, without a new invitation.
			Config: e.Config(invitationConfig("ana@fabrikam.com", "Ana Silva", "https://myapps.microsoft.com",
				message+"\n  invited_user_type = \"Member\"")),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(invitationAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				sameUser(invitationAddress, &id),
				statecheck.ExpectKnownValue(invitationAddress, tfjsonpath.New("invited_user_display_name"), knownvalue.StringExact("Ana Silva")),
				statecheck.ExpectKnownValue(invitationAddress, tfjsonpath.New("invited_user_type"), knownvalue.StringExact("Member")),
			},
			Check: resource.ComposeTestCheckFunc(userField(e, "displayName", "Ana Silva"), userField(e, "userType", "Member"),
				func(*terraform.State) error {
					if n := invitations(e); n != 1 {
						return fmt.Errorf("%d invitations sent, want still 1", n)
					}
					sent = invitations(e)
					return nil
				}),
		}, {
			// An invitation-only argument invites the same user again, with a new redemption URL.
			Config: e.Config(invitationConfig("ana@fabrikam.com", "Ana Silva", "https://contoso.sharepoint.com/sites/design",
				message+"\n  invited_user_type = \"Member\"")),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(invitationAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(invitationAddress, tfjsonpath.New("invite_redeem_url")),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{sameUser(invitationAddress, &id)},
			Check: func(*terraform.State) error {
				if n := invitations(e); n != sent+1 {
					return fmt.Errorf("%d invitations sent, want %d", n, sent+1)
				}
				if ids := usersWithMail(t, e, "ana@fabrikam.com"); len(ids) != 1 {
					return fmt.Errorf("users with the invited mail: %v, want one", ids)
				}
				return nil
			},
		}, {
			// Another email is another user: replaced, and the first guest deleted.
			Config: e.Config(invitationConfig("ana.silva@fabrikam.com", "Ana Silva", "https://contoso.sharepoint.com/sites/design", "")),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(invitationAddress, plancheck.ResourceActionDestroyBeforeCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: func(*terraform.State) error {
				if ids := usersWithMail(t, e, "ana@fabrikam.com"); len(ids) != 0 {
					return fmt.Errorf("the replaced guest is still there: %v", ids)
				}
				return nil
			},
		}},
	})
}

// sameUser checks the resource still manages the captured user.
func sameUser(address string, want *acctest.IDCapture) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(address, tfjsonpath.New("id"), knownvalue.StringFunc(func(got string) error {
		if got != want.Value {
			return fmt.Errorf("%s was replaced: user %s became %s", address, want.Value, got)
		}
		return nil
	}))
}

func TestAccInvitation_driftAndDisappears(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var id acctest.IDCapture
	cfg := e.Config(invitationConfig("bruno@fabrikam.com", "Bruno Costa", "https://myapps.microsoft.com", ""))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoUserWithMail(t, e, "bruno@fabrikam.com"),
		Steps: []resource.TestStep{{
			Config:            cfg,
			ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(invitationAddress, &id)},
		}, {
			// A display name changed in the portal is planned back, in place.
			PreConfig: func() {
				if err := e.Server.ChangeObject("users", id.Value, map[string]any{"displayName": "B. Costa"}); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(invitationAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(invitationAddress, tfjsonpath.New("invited_user_display_name"), knownvalue.StringExact("Bruno Costa")),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{sameUser(invitationAddress, &id)},
			Check:             userField(e, "displayName", "Bruno Costa"),
		}, {
			// The guest deleted in the portal is invited again.
			PreConfig: func() {
				if err := e.Server.DeleteObject("users", id.Value); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(invitationAddress, plancheck.ResourceActionCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: func(*terraform.State) error {
				if ids := usersWithMail(t, e, "bruno@fabrikam.com"); len(ids) != 1 || ids[0] == id.Value {
					return fmt.Errorf("users with the invited mail: %v, want one new user", ids)
				}
				return nil
			},
		}},
	})
}

// A guest who redeems the invitation shows as Accepted on the next refresh, with nothing to change.
func TestAccInvitation_redeemed(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var id acctest.IDCapture
	cfg := e.Config(invitationConfig("chloe@fabrikam.com", "Chloé Martin", "https://myapps.microsoft.com", ""))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoUserWithMail(t, e, "chloe@fabrikam.com"),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID(invitationAddress, &id),
				statecheck.ExpectKnownValue(invitationAddress, tfjsonpath.New("external_user_state"), knownvalue.StringExact("PendingAcceptance")),
			},
		}, {
			PreConfig: func() {
				if err := e.Server.RedeemInvitation(id.Value); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				sameUser(invitationAddress, &id),
				statecheck.ExpectKnownValue(invitationAddress, tfjsonpath.New("external_user_state"), knownvalue.StringExact("Accepted")),
			},
		}, {
			// reset_redemption invites the guest again and makes the redemption pending again.
			Config: e.Config(invitationConfig("chloe@fabrikam.com", "Chloé Martin", "https://myapps.microsoft.com", "  reset_redemption = true")),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(invitationAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(invitationAddress, tfjsonpath.New("external_user_state")),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				sameUser(invitationAddress, &id),
				statecheck.ExpectKnownValue(invitationAddress, tfjsonpath.New("external_user_state"), knownvalue.StringExact("PendingAcceptance")),
				statecheck.ExpectKnownValue(invitationAddress, tfjsonpath.New("status"), knownvalue.StringExact("PendingAcceptance")),
			},
		}},
	})
}

// Inviting the email of a guest who already exists adopts that guest: no second user. With
// keep_user_on_destroy the guest stays after destroy.
func TestAccInvitation_adoptsExistingGuestAndKeepsIt(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if ids := usersWithMail(t, e, "ben@fabrikam.com"); len(ids) != 1 || ids[0] != emulator.SeedGuestBenID {
				return fmt.Errorf("users with Ben's mail after destroy: %v, want Ben kept", ids)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: e.Config(`
resource "entragov_invitation" "test" {
  invited_user_email_address = "ben@fabrikam.com"
  invite_redirect_url        = "https://myapps.microsoft.com"
  keep_user_on_destroy       = true
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(invitationAddress, tfjsonpath.New("id"), knownvalue.StringExact(emulator.SeedGuestBenID)),
				statecheck.ExpectKnownValue(invitationAddress, tfjsonpath.New("status"), knownvalue.StringExact("Completed")),
				statecheck.ExpectKnownValue(invitationAddress, tfjsonpath.New("external_user_state"), knownvalue.StringExact("Accepted")),
				statecheck.ExpectKnownValue(invitationAddress, tfjsonpath.New("invited_user_display_name"), knownvalue.StringExact("Ben Walters (Fabrikam)")),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check: func(*terraform.State) error {
				if ids := usersWithMail(t, e, "ben@fabrikam.com"); len(ids) != 1 {
					return fmt.Errorf("users with Ben's mail: %v, want one", ids)
				}
				return nil
			},
		}},
	})
}

func TestAccInvitation_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	bad := func(extra, email, redirect, pattern string) resource.TestStep {
		return resource.TestStep{
			Config: e.Config(fmt.Sprintf(`
resource "entragov_invitation" "test" {
  invited_user_email_address = %q
  invite_redirect_url        = %q
%s
}
`, email, redirect, extra)),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(pattern),
		}
	}
	const ok, url = "ana@fabrikam.com", "https://myapps.microsoft.com"
	steps := []resource.TestStep{
		bad("", "Ana Silva", url, `invited_user_email_address[\s\S]*not an email address`),
		bad("", ok, "/welcome", `invite_redirect_url[\s\S]*not an absolute http or https URL`),
		bad(`  invited_user_type = "guest"`, ok, url, `invited_user_type[\s\S]*value must be one of`),
		bad(`  invited_user_message_info = { message_language = "fr-FR" }`, ok, url, `invited_user_message_info[\s\S]*send_invitation_message = false`),
		bad(`  send_invitation_message = true
  invited_user_message_info = { customized_message_body = "Welcome", message_language = "fr-FR" }`, ok, url,
			`Conflicting message settings[\s\S]*Graph ignores the language`),
		bad(`  send_invitation_message = true
  invited_user_message_info = { cc_recipients = ["a@contoso.com", "b@contoso.com"] }`, ok, url, `invited_user_message_info.cc_recipients list must contain at least`),
		bad(`  send_invitation_message = true
  invited_user_message_info = { message_language = "French" }`, ok, url, `message_language[\s\S]*not a language tag`),
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}

// An imported guest: the first apply records the invitation-only arguments without inviting again.
func TestAccInvitation_importThenApplySendsNothing(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	inv, err := e.Client(t).CreateInvitation(acctest.Context(t), graph.Invitation{
		InvitedUserEmailAddress: "farah@fabrikam.com", InviteRedirectURL: "https://myapps.microsoft.com", InvitedUserDisplayName: "Farah Haddad",
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg := e.Config(invitationConfig("farah@fabrikam.com", "Farah Haddad", "https://myapps.microsoft.com", ""))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoUserWithMail(t, e, "farah@fabrikam.com"),
		Steps: []resource.TestStep{{
			Config: cfg, ResourceName: invitationAddress, ImportState: true, ImportStateId: inv.InvitedUser.ID, ImportStatePersist: true,
			ImportStateCheck: func(states []*terraform.InstanceState) error {
				if len(states) != 1 || states[0].Attributes["invited_user_email_address"] != "farah@fabrikam.com" ||
					states[0].Attributes["invite_redirect_url"] != "" {
					return fmt.Errorf("imported state: %v", states)
				}
				return nil
			},
		}, {
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(invitationAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(invitationAddress, tfjsonpath.New("external_user_state"), knownvalue.StringExact("PendingAcceptance")),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(invitationAddress, tfjsonpath.New("id"), knownvalue.StringExact(inv.InvitedUser.ID)),
			},
			Check: func(*terraform.State) error {
				if n := invitations(e); n != 1 {
					return fmt.Errorf("%d invitations sent, want only the one made before the import", n)
				}
				return nil
			},
		}},
	})
}
