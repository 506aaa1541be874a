package directory

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// The pieces of an invitation (POST /invitations,
// https://learn.microsoft.com/en-us/graph/api/invitation-post?view=graph-rest-1.0) that the action
// entragov_invitation_send and the resource entragov_invitation share: the checks of each argument and
// of the invitation email (invitedUserMessageInfo), and its expansion.

// Validators of the invitation arguments, each named after the Graph property it checks.
func invitedUserEmailAddressValidators() []validator.String {
	return []validator.String{validators.Email()}
}
func inviteRedirectURLValidators() []validator.String {
	return []validator.String{validators.HTTPURL()}
}
func invitedUserDisplayNameValidators() []validator.String {
	return []validator.String{stringvalidator.LengthBetween(1, 256)}
}
func invitedUserTypeValidators() []validator.String {
	return []validator.String{stringvalidator.OneOf(graph.InvitedUserTypes...)}
}
func customizedMessageBodyValidators() []validator.String {
	return []validator.String{stringvalidator.LengthAtLeast(1)}
}
func messageLanguageValidators() []validator.String {
	return []validator.String{validators.LanguageTag()}
}

// ccRecipientsValidators: Graph supports one additional recipient
// (https://learn.microsoft.com/en-us/graph/api/resources/invitedusermessageinfo?view=graph-rest-1.0).
func ccRecipientsValidators() []validator.List {
	return []validator.List{
		listvalidator.SizeBetween(1, graph.MaxInvitationCCRecipients),
		listvalidator.ValueStringsAre(validators.Email()),
	}
}

// invitationMessage is the invitation email as configured, whatever the attributes are called.
type invitationMessage struct {
	Body, Language types.String
	CCRecipients   types.List
}

// checkInvitationMessage applies the rules between the invitation email and the other arguments:
// a message customises an email that sendsEmail says is sent (false: it is not; unknown: not known yet),
// and Graph ignores the language of the default message when a custom body is set.
func checkInvitationMessage(diags *diag.Diagnostics, msg invitationMessage, sendsEmail types.Bool, messagePath, sendName string, languagePath path.Path) {
	if !sendsEmail.IsUnknown() && !sendsEmail.ValueBool() {
		diags.AddAttributeError(path.Root(messagePath), "Message without an invitation email",
			messagePath+" customises the invitation email, which "+sendName+" = false does not send. "+
				"Remove "+messagePath+", or send the email.")
	}
	if !msg.Body.IsNull() && !msg.Language.IsNull() {
		diags.AddAttributeError(languagePath, "Conflicting message settings",
			"Graph ignores the language of the default message when a custom body is set: set the body or the language, not both.")
	}
}

// expandInvitationMessage builds invitedUserMessageInfo.
func expandInvitationMessage(ctx context.Context, msg invitationMessage) (*graph.InvitedUserMessageInfo, diag.Diagnostics) {
	info := &graph.InvitedUserMessageInfo{CustomizedMessageBody: msg.Body.ValueString(), MessageLanguage: msg.Language.ValueString()}
	var cc []string
	diags := msg.CCRecipients.ElementsAs(ctx, &cc, true)
	for _, address := range cc {
		info.CCRecipients = append(info.CCRecipients, graph.Recipient{EmailAddress: graph.EmailAddress{Address: address}})
	}
	return info, diags
}
