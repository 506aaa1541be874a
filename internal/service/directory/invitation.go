package directory

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/identity"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ resource.ResourceWithConfigure      = &invitationResource{}
	_ resource.ResourceWithImportState    = &invitationResource{}
	_ resource.ResourceWithValidateConfig = &invitationResource{}
	_ resource.ResourceWithModifyPlan     = &invitationResource{}
	_ resource.ResourceWithIdentity       = &invitationResource{}
)

// invitationIdentity is the resource identity (Terraform 1.12 and later): the invited user's id.
var invitationIdentity = identity.ByID("invited user")

// privateImported marks a state that came from an import: the invitation-only arguments were not
// read back (Graph has no GET of an invitation), so the first update records them without inviting again.
const privateImported = "imported"

// NewInvitationResource is the constructor of the resource entragov_invitation.
func NewInvitationResource() resource.Resource {
	return &invitationResource{}
}

// invitationResource invites an external user (POST /invitations) and manages the guest user the
// invitation creates (https://learn.microsoft.com/en-us/graph/api/invitation-post?view=graph-rest-1.0).
// Graph keeps no invitation to read: the resource is the invited user, read with GET /users/{id}.
type invitationResource struct {
	client *graph.Client
}

type invitationModel struct {
	ID                      types.String `tfsdk:"id"`
	InvitedUserEmailAddress types.String `tfsdk:"invited_user_email_address"`
	InviteRedirectURL       types.String `tfsdk:"invite_redirect_url"`
	InvitedUserDisplayName  types.String `tfsdk:"invited_user_display_name"`
	SendInvitationMessage   types.Bool   `tfsdk:"send_invitation_message"`
	InvitedUserMessageInfo  types.Object `tfsdk:"invited_user_message_info"`
	InvitedUserType         types.String `tfsdk:"invited_user_type"`
	ResetRedemption         types.Bool   `tfsdk:"reset_redemption"`
	KeepUserOnDestroy       types.Bool   `tfsdk:"keep_user_on_destroy"`
	InvitedUserID           types.String `tfsdk:"invited_user_id"`
	Status                  types.String `tfsdk:"status"`
	InviteRedeemURL         types.String `tfsdk:"invite_redeem_url"`
	UserPrincipalName       types.String `tfsdk:"user_principal_name"`
	ExternalUserState       types.String `tfsdk:"external_user_state"`
}

type invitedUserMessageInfoModel struct {
	CustomizedMessageBody types.String `tfsdk:"customized_message_body"`
	MessageLanguage       types.String `tfsdk:"message_language"`
	CCRecipients          types.List   `tfsdk:"cc_recipients"`
}

func (m invitedUserMessageInfoModel) shared() invitationMessage {
	return invitationMessage{Body: m.CustomizedMessageBody, Language: m.MessageLanguage, CCRecipients: m.CCRecipients}
}

func (r *invitationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_invitation"
}

func (r *invitationResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Invites an external user to the tenant (Graph `invitation`, `POST /invitations`) and manages the " +
			"guest user the invitation creates. Graph keeps no invitation to read back: the resource is the invited user " +
			"(`GET /users/{id}`), and destroying it deletes that user unless `keep_user_on_destroy` is set. Inviting an " +
			"email address that already belongs to a user does not create a second one: Graph answers with the existing " +
			"user, which this resource then manages (and deletes on destroy). Changing the invitation-only arguments " +
			"(`invite_redirect_url`, `send_invitation_message`, `invited_user_message_info`, `reset_redemption`) invites " +
			"the same user again, with a new email when `send_invitation_message` is true. Import by the user's object " +
			"id: the invitation-only arguments stay null until the next apply, which records them without inviting again. " +
			"Needs `User.Invite.All` (and `User.ReadWrite.All` to update and delete the user).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, PlanModifiers: keep,
				MarkdownDescription: "The invited user's object id (Graph has no GET of an invitation), also the import id.",
			},
			"invited_user_email_address": schema.StringAttribute{
				Required: true, Validators: invitedUserEmailAddressValidators(),
				MarkdownDescription: "Email address of the user to invite (Graph `invitedUserEmailAddress`). Changing it " +
					"invites another user: the resource is replaced.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(emailChanged,
					"Another email address is another user.", "Another email address is another user.")},
			},
			"invite_redirect_url": schema.StringAttribute{
				Required: true, Validators: inviteRedirectURLValidators(),
				MarkdownDescription: "Where the user lands after redeeming the invitation, such as `https://myapps.microsoft.com` " +
					"(Graph `inviteRedirectUrl`). Invitation-only: a change invites the user again.",
			},
			"invited_user_display_name": schema.StringAttribute{
				Optional: true, Computed: true, PlanModifiers: keep, Validators: invitedUserDisplayNameValidators(),
				MarkdownDescription: "Display name of the invited user (Graph `invitedUserDisplayName`, then the user's " +
					"`displayName`). When omitted, Graph chooses one (typically the email's local part). A change, or a " +
					"change made outside Terraform, is applied to the user in place (`PATCH /users/{id}`).",
			},
			"send_invitation_message": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Whether Graph emails the invitation (Graph `sendInvitationMessage`). Defaults to " +
					"`false`, Graph's default: share `invite_redeem_url` yourself. Invitation-only.",
			},
			"invited_user_message_info": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "The invitation email (Graph `invitedUserMessageInfo`); only with " +
					"`send_invitation_message = true`. Invitation-only.",
				Attributes: map[string]schema.Attribute{
					"customized_message_body": schema.StringAttribute{
						Optional: true, Validators: customizedMessageBodyValidators(),
						MarkdownDescription: "Text sent instead of the default message (Graph `customizedMessageBody`).",
					},
					"message_language": schema.StringAttribute{
						Optional: true, Validators: messageLanguageValidators(),
						MarkdownDescription: "Language of the default message, such as `fr-FR` (Graph `messageLanguage`; Graph's " +
							"default is `en-US`). Graph ignores it when `customized_message_body` is set, so the two cannot be set together.",
					},
					"cc_recipients": schema.ListAttribute{
						Optional: true, ElementType: types.StringType, Validators: ccRecipientsValidators(),
						MarkdownDescription: "Email address of one more recipient of the invitation (Graph `ccRecipients`: " +
							"Graph supports one).",
					},
				},
			},
			"invited_user_type": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString("Guest"),
				Validators: invitedUserTypeValidators(),
				MarkdownDescription: "`userType` of the invited user: `Guest` (the default) or `Member`, which only a " +
					"company administrator can invite (Graph `invitedUserType`). A change, or a change made outside " +
					"Terraform, is applied to the user in place.",
			},
			"reset_redemption": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Whether the invitation resets the user's redemption status (Graph `resetRedemption`): " +
					"the user redeems again, possibly with another account, and `external_user_state` goes back to " +
					"`PendingAcceptance`. It matters when the email already belongs to a user, or when set to `true` later " +
					"(which invites the user again). Defaults to `false`. Invitation-only.",
			},
			"keep_user_on_destroy": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "When `true`, destroying the resource leaves the invited user in the directory; when " +
					"`false` (the default), destroy deletes the user (`DELETE /users/{id}`).",
			},
			"invited_user_id": schema.StringAttribute{
				Computed: true, PlanModifiers: keep,
				MarkdownDescription: "The invited user's object id (Graph `invitedUser.id`), for references such as sponsors and assignments.",
			},
			"status": schema.StringAttribute{
				Computed: true, PlanModifiers: keep,
				MarkdownDescription: "Status of the last invitation sent: `PendingAcceptance`, `Completed` (the user had " +
					"already redeemed), `InProgress` or `Error`. Not refreshed: see `external_user_state`.",
			},
			"invite_redeem_url": schema.StringAttribute{
				Computed: true, Sensitive: true, PlanModifiers: keep,
				MarkdownDescription: "The URL the user follows to redeem the last invitation sent (Graph `inviteRedeemUrl`). " +
					"Anyone who has it can redeem the invitation: it is sensitive.",
			},
			"user_principal_name": schema.StringAttribute{
				Computed: true, PlanModifiers: keep,
				MarkdownDescription: "The invited user's user principal name, such as `ana_fabrikam.com#EXT#@contoso.onmicrosoft.com`.",
			},
			"external_user_state": schema.StringAttribute{
				Computed: true, PlanModifiers: keep,
				MarkdownDescription: "Whether the user redeemed the invitation (Graph user `externalUserState`): " +
					"`PendingAcceptance` or `Accepted`. Refreshed on every read.",
			},
		},
	}
}

// emailChanged replaces the resource when the email changes, not when it differs only in case
// (Graph matches email addresses without regard to case) or was not known before (an import).
func emailChanged(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = !req.StateValue.IsNull() && !strings.EqualFold(req.StateValue.ValueString(), req.PlanValue.ValueString())
}

func (r *invitationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = invitationIdentity.Schema()
}

func (r *invitationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig applies the rules of the invitation email shared with entragov_invitation_send.
func (r *invitationResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m invitationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.InvitedUserMessageInfo.IsNull() || m.InvitedUserMessageInfo.IsUnknown() {
		return
	}
	var msg invitedUserMessageInfoModel
	resp.Diagnostics.Append(m.InvitedUserMessageInfo.As(ctx, &msg, basetypes.ObjectAsOptions{})...)
	if resp.Diagnostics.HasError() {
		return
	}
	sends := m.SendInvitationMessage
	if sends.IsNull() {
		sends = types.BoolValue(false) // the default
	}
	checkInvitationMessage(&resp.Diagnostics, msg.shared(), sends, "invited_user_message_info", "send_invitation_message",
		path.Root("invited_user_message_info").AtName("message_language"))
}

// reinvites says whether an update sends the invitation again: an invitation-only argument changed
// since the last invitation. After an import these were never known, and the update only records them.
func reinvites(ctx context.Context, state, plan invitationModel, private interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}) bool {
	if imported, _ := private.GetKey(ctx, privateImported); len(imported) > 0 {
		return false
	}
	return !state.InviteRedirectURL.Equal(plan.InviteRedirectURL) ||
		!state.SendInvitationMessage.Equal(plan.SendInvitationMessage) ||
		!state.InvitedUserMessageInfo.Equal(plan.InvitedUserMessageInfo) ||
		!state.ResetRedemption.Equal(plan.ResetRedemption)
}

// ModifyPlan marks what a new invitation changes as unknown: its status and redemption URL, and the
// user's state when the redemption is reset.
func (r *invitationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var state, plan invitationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !reinvites(ctx, state, plan, req.Private) {
		return
	}
	plan.Status = types.StringUnknown()
	plan.InviteRedeemURL = types.StringUnknown()
	plan.ExternalUserState = types.StringUnknown()
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// invitation builds the Graph invitation from the plan.
func (m invitationModel) invitation(ctx context.Context) (graph.Invitation, diag.Diagnostics) {
	in := graph.Invitation{
		InvitedUserEmailAddress: m.InvitedUserEmailAddress.ValueString(),
		InviteRedirectURL:       m.InviteRedirectURL.ValueString(),
		InvitedUserType:         m.InvitedUserType.ValueString(),
		SendInvitationMessage:   m.SendInvitationMessage.ValueBool(),
		ResetRedemption:         m.ResetRedemption.ValueBool(),
	}
	if known(m.InvitedUserDisplayName) {
		in.InvitedUserDisplayName = m.InvitedUserDisplayName.ValueString()
	}
	if m.InvitedUserMessageInfo.IsNull() || m.InvitedUserMessageInfo.IsUnknown() {
		return in, nil
	}
	var msg invitedUserMessageInfoModel
	diags := m.InvitedUserMessageInfo.As(ctx, &msg, basetypes.ObjectAsOptions{})
	if diags.HasError() {
		return in, diags
	}
	info, more := expandInvitationMessage(ctx, msg.shared())
	diags.Append(more...)
	in.InvitedUserMessageInfo = info
	return in, diags
}

// invite sends the invitation. A lost answer is settled by sending it again: Graph answers a second
// invitation of the same email with the same user (the only cost is a second email, when one is sent).
func (r *invitationResource) invite(ctx context.Context, m invitationModel, diags *diag.Diagnostics) *graph.Invitation {
	in, d := m.invitation(ctx)
	diags.Append(d...)
	if diags.HasError() {
		return nil
	}
	inv, err := r.client.CreateInvitation(ctx, in)
	if graph.IsAmbiguous(err) {
		inv, err = r.client.CreateInvitation(ctx, in)
	}
	if err != nil {
		diagnostics.AddAPIError(diags, "Unable to invite "+in.InvitedUserEmailAddress, err)
		return nil
	}
	if inv.InvitedUser == nil || inv.InvitedUser.ID == "" {
		diags.AddError("Invitation without a user", "Graph answered the invitation of "+in.InvitedUserEmailAddress+
			" without the invited user's id (invitedUser.id), so the resource cannot manage the user.")
		return nil
	}
	return inv
}

func (r *invitationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer invitationIdentity.Create(ctx, resp)
	var plan invitationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	inv := r.invite(ctx, plan, &resp.Diagnostics)
	if inv == nil {
		return
	}
	id := inv.InvitedUser.ID
	// Keep the id first, so a failure below leaves a tainted resource, not an orphaned guest.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	plan.Status = types.StringValue(inv.Status)
	plan.InviteRedeemURL = types.StringValue(inv.InviteRedeemURL)
	if !r.settleUser(ctx, id, &plan, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// settleUser waits for the invited user to be readable, applies the display name and user type the plan
// wants (a user adopted from an earlier invitation keeps its own until told otherwise) and reads the
// user into m.
func (r *invitationResource) settleUser(ctx context.Context, id string, m *invitationModel, diags *diag.Diagnostics) bool {
	var user *graph.User
	err := r.client.WaitForExistence(ctx, func(ctx context.Context) error {
		var err error
		user, err = r.client.GetUser(ctx, id)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(diags, "Invited user "+id+" could not be read", err)
		return false
	}
	var update graph.UserUpdate
	if known(m.InvitedUserDisplayName) && m.InvitedUserDisplayName.ValueString() != user.DisplayName {
		update.DisplayName = m.InvitedUserDisplayName.ValueString()
	}
	if known(m.InvitedUserType) && m.InvitedUserType.ValueString() != user.UserType {
		update.UserType = m.InvitedUserType.ValueString()
	}
	if update != (graph.UserUpdate{}) {
		if err := r.client.UpdateUser(ctx, id, update); err != nil {
			diagnostics.AddAPIError(diags, "Unable to update invited user "+id, err)
			return false
		}
		if user, err = r.client.GetUser(ctx, id); err != nil {
			diagnostics.AddAPIError(diags, "Invited user "+id+" could not be read", err)
			return false
		}
	}
	flattenInvitedUser(user, m)
	return true
}

// flattenInvitedUser copies what Graph holds of the user into m.
func flattenInvitedUser(u *graph.User, m *invitationModel) {
	m.ID = types.StringValue(u.ID)
	m.InvitedUserID = types.StringValue(u.ID)
	m.InvitedUserDisplayName = types.StringValue(u.DisplayName)
	m.InvitedUserType = types.StringValue(u.UserType)
	m.UserPrincipalName = types.StringValue(u.UserPrincipalName)
	m.ExternalUserState = stringOrNull(u.ExternalUserState)
	if m.InvitedUserEmailAddress.IsNull() || m.InvitedUserEmailAddress.IsUnknown() {
		// Imported: the address the user was invited with is its mail (or first other mail).
		switch {
		case u.Mail != "":
			m.InvitedUserEmailAddress = types.StringValue(u.Mail)
		case len(u.OtherMails) > 0:
			m.InvitedUserEmailAddress = types.StringValue(u.OtherMails[0])
		}
	}
}

func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func (r *invitationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer invitationIdentity.Read(ctx, req, resp)
	var state invitationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	user, err := r.client.GetUser(ctx, state.ID.ValueString())
	if graph.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read invited user "+state.ID.ValueString(), err)
		return
	}
	flattenInvitedUser(user, &state)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *invitationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer invitationIdentity.Update(ctx, resp)
	var state, plan invitationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	if reinvites(ctx, state, plan, req.Private) {
		inv := r.invite(ctx, plan, &resp.Diagnostics)
		if inv == nil {
			return
		}
		if !strings.EqualFold(inv.InvitedUser.ID, id) {
			resp.Diagnostics.AddError("Invitation answered with another user",
				"Inviting "+plan.InvitedUserEmailAddress.ValueString()+" again was answered with user "+inv.InvitedUser.ID+
					", not "+id+": the email address now names another user. Run terraform apply -replace on this resource.")
			return
		}
		plan.Status = types.StringValue(inv.Status)
		plan.InviteRedeemURL = types.StringValue(inv.InviteRedeemURL)
	} else {
		plan.Status, plan.InviteRedeemURL = state.Status, state.InviteRedeemURL
	}
	if !r.settleUser(ctx, id, &plan, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImported, nil)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *invitationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state invitationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || state.KeepUserOnDestroy.ValueBool() {
		return
	}
	id := state.ID.ValueString()
	if err := r.client.DeleteUser(ctx, id); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to delete invited user "+id, err)
		return
	}
	err := r.client.WaitForDeletion(ctx, func(ctx context.Context) error {
		_, err := r.client.GetUser(ctx, id)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Invited user "+id+" was deleted but is still readable", err)
	}
}

// ImportState takes the invited user's object id. keep_user_on_destroy starts false; the
// invitation-only arguments stay null until the next apply records them.
func (r *invitationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("id"), req, resp)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("keep_user_on_destroy"), false)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImported, []byte(`true`))...)
}
