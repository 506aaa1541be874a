package graph_test

import (
	"context"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// TestCreateInvitation: the invitation comes back with the invited user, who is a pending guest; the
// same email invited again is the same user.
func TestCreateInvitation(t *testing.T) {
	t.Parallel()
	c, _ := newEmulatorClient(t, nil)
	ctx := context.Background()
	in := graph.Invitation{
		InvitedUserEmailAddress: "grace@example.org", InviteRedirectURL: "https://myapps.microsoft.com",
		InvitedUserDisplayName: "Grace Hopper", SendInvitationMessage: true,
		InvitedUserMessageInfo: &graph.InvitedUserMessageInfo{CustomizedMessageBody: "Welcome aboard",
			CCRecipients: []graph.Recipient{{EmailAddress: graph.EmailAddress{Address: "sponsor@contoso.com"}}}},
	}
	inv, err := c.CreateInvitation(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if inv.ID == "" || inv.Status != "PendingAcceptance" || inv.InviteRedeemURL == "" || inv.InvitedUser == nil || !inv.SendInvitationMessage {
		t.Fatalf("invitation %+v", inv)
	}
	u, err := c.GetUser(ctx, inv.InvitedUser.ID)
	if err != nil {
		t.Fatal(err)
	}
	if u.UserType != "Guest" || u.ExternalUserState != "PendingAcceptance" || u.Mail != "grace@example.org" ||
		u.UserPrincipalName != "grace_example.org#EXT#@contoso.onmicrosoft.com" || u.DisplayName != "Grace Hopper" {
		t.Errorf("guest %+v", u)
	}
	again, err := c.CreateInvitation(ctx, graph.Invitation{InvitedUserEmailAddress: "grace@example.org", InviteRedirectURL: "https://contoso.com"})
	if err != nil || again.InvitedUser.ID != inv.InvitedUser.ID || again.ID == inv.ID {
		t.Errorf("again %+v, %v", again, err)
	}
	if _, err := c.CreateInvitation(ctx, graph.Invitation{InvitedUserEmailAddress: "grace", InviteRedirectURL: "https://contoso.com"}); !graph.IsBadRequest(err) {
		t.Errorf("bad email: %v", err)
	}
}
