package directory

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ action.ActionWithConfigure      = &invitationSendAction{}
	_ action.ActionWithValidateConfig = &invitationSendAction{}
)

// NewInvitationSendAction is the constructor of the action entragov_invitation_send.
func NewInvitationSendAction() action.Action {
	return &invitationSendAction{}
}

// invitationSendAction invites an external user (POST /invitations), or invites again a user the email
// already names: each invocation is a new invitation and, by default, a new email.
type invitationSendAction struct {
	client *graph.Client
}

type invitationSendModel struct {
	UserEmailAddress      types.String `tfsdk:"user_email_address"`
	RedirectURL           types.String `tfsdk:"redirect_url"`
	UserDisplayName       types.String `tfsdk:"user_display_name"`
	UserType              types.String `tfsdk:"user_type"`
	SendInvitationMessage types.Bool   `tfsdk:"send_invitation_message"`
	Message               types.Object `tfsdk:"message"`
}

type invitationMessageModel struct {
	AdditionalRecipients types.List   `tfsdk:"additional_recipients"`
	Body                 types.String `tfsdk:"body"`
	Language             types.String `tfsdk:"language"`
}

func (a *invitationSendAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_invitation_send"
}

func (a *invitationSendAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Invites an external user to the tenant (`POST /invitations`), or invites again the user the email " +
			"address already names. Graph creates the guest user (`userType` `Guest`, `externalUserState` `PendingAcceptance`, " +
			"user principal name `<email with @ as _>#EXT#@<tenant domain>`) and, unless `send_invitation_message` is false, " +
			"emails the invitation. Every invocation is a new invitation, and a new email. Needs `User.Invite.All` and " +
			"Terraform " + framework.ActionsMinimumTerraform + " or later.",
		Attributes: map[string]schema.Attribute{
			"user_email_address": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Email address of the user to invite (Graph `invitedUserEmailAddress`).",
				Validators:          invitedUserEmailAddressValidators(),
			},
			"redirect_url": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Where the user lands after redeeming the invitation, such as `https://myapps.microsoft.com` (Graph `inviteRedirectUrl`).",
				Validators:          inviteRedirectURLValidators(),
			},
			"user_display_name": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Display name of the invited user (Graph `invitedUserDisplayName`).",
				Validators:          invitedUserDisplayNameValidators(),
			},
			"user_type": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "`userType` of the invited user: `Guest` (Graph's default) or `Member`, which only a " +
					"company administrator can invite (Graph `invitedUserType`).",
				Validators: invitedUserTypeValidators(),
			},
			"send_invitation_message": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Whether Graph emails the invitation (Graph `sendInvitationMessage`). Defaults to `true` " +
					"for this action (Graph's own default is `false`).",
			},
			"message": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "The invitation email (Graph `invitedUserMessageInfo`); only with `send_invitation_message` true.",
				Attributes: map[string]schema.Attribute{
					"additional_recipients": schema.ListAttribute{
						Optional:            true,
						ElementType:         types.StringType,
						MarkdownDescription: "Email address of one more recipient of the invitation (Graph `ccRecipients`: one is supported).",
						Validators:          ccRecipientsValidators(),
					},
					"body": schema.StringAttribute{
						Optional:            true,
						MarkdownDescription: "Text sent instead of the default message (Graph `customizedMessageBody`).",
						Validators:          customizedMessageBodyValidators(),
					},
					"language": schema.StringAttribute{
						Optional: true,
						MarkdownDescription: "Language of the default message, such as `fr-FR` (Graph `messageLanguage`; Graph's " +
							"default is `en-US`). Graph ignores it when `body` is set, so the two cannot be set together.",
						Validators: messageLanguageValidators(),
					},
				},
			},
		},
	}
}

func (a *invitationSendAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig checks the rules between attributes: a message is only sent when the invitation
// email is, and Graph ignores the language of a custom body.
func (a *invitationSendAction) ValidateConfig(ctx context.Context, req action.ValidateConfigRequest, resp *action.ValidateConfigResponse) {
	var m invitationSendModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.Message.IsNull() || m.Message.IsUnknown() {
		return
	}
	var msg invitationMessageModel
	resp.Diagnostics.Append(m.Message.As(ctx, &msg, basetypes.ObjectAsOptions{})...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The action emails the invitation unless send_invitation_message is false.
	sends := m.SendInvitationMessage
	if sends.IsNull() {
		sends = types.BoolValue(true)
	}
	checkInvitationMessage(&resp.Diagnostics, msg.shared(), sends, "message", "send_invitation_message", path.Root("message").AtName("language"))
}

func (m invitationMessageModel) shared() invitationMessage {
	return invitationMessage{Body: m.Body, Language: m.Language, CCRecipients: m.AdditionalRecipients}
}

func (a *invitationSendAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m invitationSendModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if a.client == nil {
		resp.Diagnostics.AddError("Provider not configured", "The entragov provider was not configured before the action ran. This is a bug in the provider; please report it.")
		return
	}
	in, diags := expandInvitation(ctx, m)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	how := "without an email"
	if in.SendInvitationMessage {
		how = "and emailing the invitation"
	}
	framework.Progress(resp, "Inviting %s %s", in.InvitedUserEmailAddress, how)
	inv, err := a.client.CreateInvitation(ctx, in)
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to invite "+in.InvitedUserEmailAddress, err)
		return
	}
	user := "(not returned)"
	if inv.InvitedUser != nil {
		user = inv.InvitedUser.ID
	}
	framework.Progress(resp, "Invitation %s for %s: status %s, invited user %s (userType %s)",
		inv.ID, in.InvitedUserEmailAddress, inv.Status, user, inv.InvitedUserType)
}

// expandInvitation builds the Graph invitation from the configuration.
func expandInvitation(ctx context.Context, m invitationSendModel) (graph.Invitation, diag.Diagnostics) {
	in := graph.Invitation{
		InvitedUserEmailAddress: m.UserEmailAddress.ValueString(),
		InviteRedirectURL:       m.RedirectURL.ValueString(),
		InvitedUserDisplayName:  m.UserDisplayName.ValueString(),
		InvitedUserType:         m.UserType.ValueString(),
		SendInvitationMessage:   m.SendInvitationMessage.IsNull() || m.SendInvitationMessage.ValueBool(),
	}
	if m.Message.IsNull() {
		return in, nil
	}
	var msg invitationMessageModel
	diags := m.Message.As(ctx, &msg, basetypes.ObjectAsOptions{})
	if diags.HasError() {
		return in, diags
	}
	info, more := expandInvitationMessage(ctx, msg.shared())
	diags.Append(more...)
	in.InvitedUserMessageInfo = info
	return in, diags
}
