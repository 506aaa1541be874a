package directory

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// The invitation built from a model carries every argument Graph takes, and the user read back fills
// what Graph holds; an imported model (no email yet) takes the user's mail.
func TestInvitationExpandAndFlatten(t *testing.T) {
	ctx := context.Background()
	cc, _ := types.ListValueFrom(ctx, types.StringType, []string{"lead@contoso.com"})
	info, diags := types.ObjectValue(map[string]attr.Type{
		"customized_message_body": types.StringType, "message_language": types.StringType,
		"cc_recipients": types.ListType{ElemType: types.StringType},
	}, map[string]attr.Value{
		"customized_message_body": types.StringNull(), "message_language": types.StringValue("fr-FR"), "cc_recipients": cc,
	})
	if diags.HasError() {
		t.Fatal(diags)
	}
	m := invitationModel{
		InvitedUserEmailAddress: types.StringValue("ines@fabrikam.com"), InviteRedirectURL: types.StringValue("https://myapps.microsoft.com"),
		InvitedUserDisplayName: types.StringUnknown(), SendInvitationMessage: types.BoolValue(true), InvitedUserMessageInfo: info,
		InvitedUserType: types.StringValue("Guest"), ResetRedemption: types.BoolValue(true),
	}
	in, diags := m.invitation(ctx)
	if diags.HasError() {
		t.Fatal(diags)
	}
	want := graph.Invitation{InvitedUserEmailAddress: "ines@fabrikam.com", InviteRedirectURL: "https://myapps.microsoft.com",
		InvitedUserType: "Guest", SendInvitationMessage: true, ResetRedemption: true}
	msg := in.InvitedUserMessageInfo
	in.InvitedUserMessageInfo = nil
	if in != want {
		t.Errorf("invitation %+v, want %+v", in, want)
	}
	if msg == nil || msg.MessageLanguage != "fr-FR" || msg.CustomizedMessageBody != "" || len(msg.CCRecipients) != 1 ||
		msg.CCRecipients[0].EmailAddress.Address != "lead@contoso.com" {
		t.Errorf("message %+v", msg)
	}

	imported := invitationModel{InvitedUserEmailAddress: types.StringNull()}
	flattenInvitedUser(&graph.User{ID: "u1", DisplayName: "Inès", UserType: "Guest", UserPrincipalName: "ines_fabrikam.com#EXT#@contoso.onmicrosoft.com",
		Mail: "ines@fabrikam.com", ExternalUserState: "Accepted"}, &imported)
	if imported.ID.ValueString() != "u1" || imported.InvitedUserID.ValueString() != "u1" || imported.InvitedUserDisplayName.ValueString() != "Inès" ||
		imported.ExternalUserState.ValueString() != "Accepted" || imported.InvitedUserEmailAddress.ValueString() != "ines@fabrikam.com" {
		t.Errorf("flattened %+v", imported)
	}
	// A managed invitation keeps the address as written (Graph compares addresses without regard to case).
	managed := invitationModel{InvitedUserEmailAddress: types.StringValue("Ines@Fabrikam.com")}
	flattenInvitedUser(&graph.User{ID: "u1", Mail: "ines@fabrikam.com"}, &managed)
	if managed.InvitedUserEmailAddress.ValueString() != "Ines@Fabrikam.com" || !managed.ExternalUserState.IsNull() {
		t.Errorf("flattened %+v", managed)
	}
}

func TestDiffIDsIgnoresCase(t *testing.T) {
	add, remove := diffIDs([]string{"AA", "bb"}, []string{"aa", "cc"})
	if len(add) != 1 || add[0] != "cc" || len(remove) != 1 || remove[0] != "bb" {
		t.Errorf("add %v remove %v", add, remove)
	}
	set := sponsorSet([]string{"aa", "bb"}, []string{"AA"})
	if !set.Equal(types.SetValueMust(types.StringType, []attr.Value{types.StringValue("AA"), types.StringValue("bb")})) {
		t.Errorf("set %v", set)
	}
}
