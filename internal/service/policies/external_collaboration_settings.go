package policies

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/identity"
	"github.com/entragov/terraform-provider-entragov/internal/framework/schematypes"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ resource.Resource                   = &externalCollaborationSettingsResource{}
	_ resource.ResourceWithConfigure      = &externalCollaborationSettingsResource{}
	_ resource.ResourceWithImportState    = &externalCollaborationSettingsResource{}
	_ resource.ResourceWithIdentity       = &externalCollaborationSettingsResource{}
	_ resource.ResourceWithValidateConfig = &externalCollaborationSettingsResource{}
)

// consentPolicyPattern is the documented form of a permissionGrantPoliciesAssigned value,
// managePermissionGrantsForSelf.{id} (tenants answer it with a capital M, so case is not checked).
var consentPolicyPattern = regexp.MustCompile(`(?i)^managePermissionGrantsForSelf\.\S+$`)

// NewExternalCollaborationSettingsResource is the constructor registered with the provider.
func NewExternalCollaborationSettingsResource() resource.Resource {
	return &externalCollaborationSettingsResource{}
}

type externalCollaborationSettingsResource struct {
	client *graph.Client
	// tenantID is the provider's tenant, the singleton's identity.
	tenantID string
}

type externalCollaborationSettingsModel struct {
	ID                                        types.String `tfsdk:"id"`
	DisplayName                               types.String `tfsdk:"display_name"`
	Description                               types.String `tfsdk:"description"`
	AllowInvitesFrom                          types.String `tfsdk:"allow_invites_from"`
	GuestUserRoleID                           types.String `tfsdk:"guest_user_role_id"`
	AllowEmailVerifiedUsersToJoinOrganization types.Bool   `tfsdk:"allow_email_verified_users_to_join_organization"`
	AllowedToSignUpEmailBasedSubscriptions    types.Bool   `tfsdk:"allowed_to_sign_up_email_based_subscriptions"`
	AllowedToUseSSPR                          types.Bool   `tfsdk:"allowed_to_use_sspr"`
	AllowUserConsentForRiskyApps              types.Bool   `tfsdk:"allow_user_consent_for_risky_apps"`
	BlockMsolPowerShell                       types.Bool   `tfsdk:"block_msol_powershell"`
	DefaultUserRolePermissions                types.Object `tfsdk:"default_user_role_permissions"`
}

type defaultUserRolePermissionsModel struct {
	AllowedToCreateApps                      types.Bool `tfsdk:"allowed_to_create_apps"`
	AllowedToCreateSecurityGroups            types.Bool `tfsdk:"allowed_to_create_security_groups"`
	AllowedToCreateTenants                   types.Bool `tfsdk:"allowed_to_create_tenants"`
	AllowedToReadBitlockerKeysForOwnedDevice types.Bool `tfsdk:"allowed_to_read_bitlocker_keys_for_owned_device"`
	AllowedToReadOtherUsers                  types.Bool `tfsdk:"allowed_to_read_other_users"`
	PermissionGrantPoliciesAssigned          types.Set  `tfsdk:"permission_grant_policies_assigned"`
}

var defaultUserRolePermissionsTypes = map[string]attr.Type{
	"allowed_to_create_apps":                          types.BoolType,
	"allowed_to_create_security_groups":               types.BoolType,
	"allowed_to_create_tenants":                       types.BoolType,
	"allowed_to_read_bitlocker_keys_for_owned_device": types.BoolType,
	"allowed_to_read_other_users":                     types.BoolType,
	"permission_grant_policies_assigned":              types.SetType{ElemType: types.StringType},
}

var objectAsOptions = basetypes.ObjectAsOptions{UnhandledNullAsEmpty: true, UnhandledUnknownAsEmpty: true}

func (r *externalCollaborationSettingsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_external_collaboration_settings"
}

// optionalBool is an Optional+Computed boolean: omitted, it is left as Graph holds it.
func optionalBool(description string) schema.BoolAttribute {
	return schema.BoolAttribute{
		Optional: true, Computed: true, MarkdownDescription: description,
		PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
	}
}

func (r *externalCollaborationSettingsResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schematypes.Cache(externalCollaborationSettingsSchema(" Omitted, it is left as the tenant has it."))
}

// externalCollaborationSettingsSchema is the resource's schema; left ends the description of each
// optional attribute (the data source, derived from it, has none).
func externalCollaborationSettingsSchema(left string) schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Manages the tenant's external collaboration settings: the Graph v1.0 `authorizationPolicy` singleton " +
			"(`/policies/authorizationPolicy`), which says who may invite guests, which role guests get, whether users may join the " +
			"tenant or sign up for subscriptions by email, self-service password reset, and what the default user role may do. " +
			"There is one per tenant: creating this resource takes the policy over and writes only the attributes the configuration " +
			"sets (every attribute is optional; one left out keeps the tenant's value and is shown as Graph holds it). " +
			"**Destroying it writes the documented defaults back** (see the page's \"Defaults restored on destroy\"). " +
			"Needs `Policy.ReadWrite.Authorization` (`Policy.Read.All` to plan).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "Always `" + graph.AuthorizationPolicyID + "`, the policy's Graph id; also the import id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"display_name": schema.StringAttribute{
				Optional: true, Computed: true, MarkdownDescription: "The policy's display name (`displayName`); `Authorization Policy` in a new tenant." + left,
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"description": schema.StringAttribute{
				Optional: true, Computed: true, MarkdownDescription: "The policy's description (`description`)." + left,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"allow_invites_from": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Who may invite external users (`allowInvitesFrom`): `none` (nobody, admins included), " +
					"`adminsAndGuestInviters` (the Global Administrator, User Administrator and Guest Inviter roles), " +
					"`adminsGuestInvitersAndAllMembers` (those and every member user) or `everyone` (guests included; the default " +
					"outside US Government clouds, where `none` is)." + left,
				Validators:    []validator.String{stringvalidator.OneOf(graph.AllowInvitesFromValues...)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"guest_user_role_id": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The role template guests get (`guestUserRoleId`), one of the three Graph supports: `" +
					graph.GuestRoleUser + "` (User: guests see the directory as members do), `" + graph.GuestRoleGuestUser +
					"` (Guest User: limited access to directory objects, the default) or `" + graph.GuestRoleRestrictedGuestUser +
					"` (Restricted Guest User: guests see only their own directory objects)." + left,
				Validators:    []validator.String{stringvalidator.OneOf(graph.GuestRoleUser, graph.GuestRoleGuestUser, graph.GuestRoleRestrictedGuestUser)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"allow_email_verified_users_to_join_organization": optionalBool("Whether a user may join the tenant by verifying their " +
				"email address (`allowEmailVerifiedUsersToJoinOrganization`, email-verified self-service sign-up)." + left),
			"allowed_to_sign_up_email_based_subscriptions": optionalBool("Whether users may sign up for email-based subscriptions " +
				"(`allowedToSignUpEmailBasedSubscriptions`, self-service sign-up for subscriptions)." + left),
			"allowed_to_use_sspr": optionalBool("Whether users of the tenant may use self-service password reset (`allowedToUseSSPR`)." + left),
			"allow_user_consent_for_risky_apps": optionalBool("Whether users may consent to apps that risk-based step-up consent " +
				"flags as risky (`allowUserConsentForRiskyApps`); Graph's default is `false`, and Microsoft recommends keeping it." + left),
			"block_msol_powershell": optionalBool("Whether MSOnline PowerShell (and the legacy endpoint it uses) is blocked for users " +
				"(`blockMsolPowerShell`); Microsoft Entra Connect and Graph are not affected. Graph may hold no value (null)." + left),
			"default_user_role_permissions": schema.SingleNestedAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "What members with the default user role may do (`defaultUserRolePermissions`). Members left " +
					"out keep the tenant's values.",
				PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
				Attributes: map[string]schema.Attribute{
					"allowed_to_create_apps": optionalBool("Whether users may register applications (`allowedToCreateApps`)." + left),
					"allowed_to_create_security_groups": optionalBool("Whether users may create security groups " +
						"(`allowedToCreateSecurityGroups`)." + left),
					"allowed_to_create_tenants": optionalBool("Whether users may create tenants (`allowedToCreateTenants`); " +
						"users with the Tenant Creator role still can when `false`." + left),
					"allowed_to_read_bitlocker_keys_for_owned_device": optionalBool("Whether the registered owners of a device " +
						"may read its BitLocker recovery keys (`allowedToReadBitlockerKeysForOwnedDevice`)." + left),
					"allowed_to_read_other_users": optionalBool("Whether users may read other users (`allowedToReadOtherUsers`). " +
						"Microsoft says not to set it to `false` (the resource warns when it is)." + left),
					"permission_grant_policies_assigned": schema.SetAttribute{
						ElementType: types.StringType, Optional: true, Computed: true,
						MarkdownDescription: "The app consent policies under which users may consent to apps " +
							"(`permissionGrantPoliciesAssigned`), each `managePermissionGrantsForSelf.{policy id}`, for example " +
							"`managePermissionGrantsForSelf.microsoft-user-default-low`; an empty set turns user consent off." + left,
						Validators:    []validator.Set{setvalidator.ValueStringsAre(stringvalidator.RegexMatches(consentPolicyPattern, "must be managePermissionGrantsForSelf.{policy id}"))},
						PlanModifiers: []planmodifier.Set{setplanmodifier.UseStateForUnknown()},
					},
				},
			},
		},
	}
}

// ValidateConfig warns about the one setting Microsoft documents as not to be turned off.
func (r *externalCollaborationSettingsResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var readOthers types.Bool
	at := path.Root("default_user_role_permissions").AtName("allowed_to_read_other_users")
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, at, &readOthers)...)
	if !resp.Diagnostics.HasError() && !readOthers.IsNull() && !readOthers.IsUnknown() && !readOthers.ValueBool() {
		resp.Diagnostics.AddAttributeWarning(at, "Users cannot read other users",
			"Microsoft documents allowedToReadOtherUsers as a value not to set to false: features that look users up for "+
				"members (people pickers, sharing) stop working.")
	}
}

// identity is the resource identity (Terraform 1.12 and later): the tenant, as the policy is one per tenant.
func (r *externalCollaborationSettingsResource) identity() identity.Spec {
	return identity.Singleton("external collaboration settings", func() string { return r.tenantID })
}

func (r *externalCollaborationSettingsResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = r.identity().Schema()
}

func (r *externalCollaborationSettingsResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
	r.tenantID = framework.TenantIDFrom(req.ProviderData)
}

// expandAuthorizationPolicy is the PATCH body of a configuration: only what it sets, so that what it
// leaves out stays as the tenant has it. ok is false when it sets nothing.
func expandAuthorizationPolicy(ctx context.Context, cfg externalCollaborationSettingsModel, diags *diag.Diagnostics) (body graph.AuthorizationPolicy, ok bool) {
	str := func(v types.String) *string {
		if v.IsNull() || v.IsUnknown() {
			return nil
		}
		ok = true
		s := v.ValueString()
		return &s
	}
	boolean := func(v types.Bool) *bool {
		if v.IsNull() || v.IsUnknown() {
			return nil
		}
		ok = true
		b := v.ValueBool()
		return &b
	}
	body = graph.AuthorizationPolicy{
		DisplayName:      str(cfg.DisplayName),
		Description:      str(cfg.Description),
		AllowInvitesFrom: str(cfg.AllowInvitesFrom),
		GuestUserRoleID:  str(cfg.GuestUserRoleID),
		AllowEmailVerifiedUsersToJoinOrganization: boolean(cfg.AllowEmailVerifiedUsersToJoinOrganization),
		AllowedToSignUpEmailBasedSubscriptions:    boolean(cfg.AllowedToSignUpEmailBasedSubscriptions),
		AllowedToUseSSPR:                          boolean(cfg.AllowedToUseSSPR),
		AllowUserConsentForRiskyApps:              boolean(cfg.AllowUserConsentForRiskyApps),
		BlockMsolPowerShell:                       boolean(cfg.BlockMsolPowerShell),
	}
	if cfg.DefaultUserRolePermissions.IsNull() || cfg.DefaultUserRolePermissions.IsUnknown() {
		return body, ok
	}
	var p defaultUserRolePermissionsModel
	diags.Append(cfg.DefaultUserRolePermissions.As(ctx, &p, objectAsOptions)...)
	perms := graph.DefaultUserRolePermissions{
		AllowedToCreateApps:                      boolean(p.AllowedToCreateApps),
		AllowedToCreateSecurityGroups:            boolean(p.AllowedToCreateSecurityGroups),
		AllowedToCreateTenants:                   boolean(p.AllowedToCreateTenants),
		AllowedToReadBitlockerKeysForOwnedDevice: boolean(p.AllowedToReadBitlockerKeysForOwnedDevice),
		AllowedToReadOtherUsers:                  boolean(p.AllowedToReadOtherUsers),
	}
	if !p.PermissionGrantPoliciesAssigned.IsNull() && !p.PermissionGrantPoliciesAssigned.IsUnknown() {
		list := []string{}
		diags.Append(p.PermissionGrantPoliciesAssigned.ElementsAs(ctx, &list, false)...)
		perms.PermissionGrantPoliciesAssigned = &list
		ok = true
	}
	if perms != (graph.DefaultUserRolePermissions{}) {
		body.DefaultUserRolePermissions = &perms
	}
	return body, ok
}

// flattenAuthorizationPolicy is the state of what Graph holds.
func flattenAuthorizationPolicy(p *graph.AuthorizationPolicy, m *externalCollaborationSettingsModel, diags *diag.Diagnostics) {
	m.ID = types.StringValue(graph.AuthorizationPolicyID)
	m.DisplayName = types.StringPointerValue(p.DisplayName)
	m.Description = types.StringPointerValue(p.Description)
	m.AllowInvitesFrom = types.StringPointerValue(p.AllowInvitesFrom)
	m.GuestUserRoleID = types.StringPointerValue(p.GuestUserRoleID)
	m.AllowEmailVerifiedUsersToJoinOrganization = types.BoolPointerValue(p.AllowEmailVerifiedUsersToJoinOrganization)
	m.AllowedToSignUpEmailBasedSubscriptions = types.BoolPointerValue(p.AllowedToSignUpEmailBasedSubscriptions)
	m.AllowedToUseSSPR = types.BoolPointerValue(p.AllowedToUseSSPR)
	m.AllowUserConsentForRiskyApps = types.BoolPointerValue(p.AllowUserConsentForRiskyApps)
	m.BlockMsolPowerShell = types.BoolPointerValue(p.BlockMsolPowerShell)
	perms := graph.DefaultUserRolePermissions{}
	if p.DefaultUserRolePermissions != nil {
		perms = *p.DefaultUserRolePermissions
	}
	consent := types.SetNull(types.StringType)
	if perms.PermissionGrantPoliciesAssigned != nil {
		var d diag.Diagnostics
		consent, d = types.SetValueFrom(context.Background(), types.StringType, *perms.PermissionGrantPoliciesAssigned)
		diags.Append(d...)
	}
	obj, d := types.ObjectValue(defaultUserRolePermissionsTypes, map[string]attr.Value{
		"allowed_to_create_apps":                          types.BoolPointerValue(perms.AllowedToCreateApps),
		"allowed_to_create_security_groups":               types.BoolPointerValue(perms.AllowedToCreateSecurityGroups),
		"allowed_to_create_tenants":                       types.BoolPointerValue(perms.AllowedToCreateTenants),
		"allowed_to_read_bitlocker_keys_for_owned_device": types.BoolPointerValue(perms.AllowedToReadBitlockerKeysForOwnedDevice),
		"allowed_to_read_other_users":                     types.BoolPointerValue(perms.AllowedToReadOtherUsers),
		"permission_grant_policies_assigned":              consent,
	})
	diags.Append(d...)
	m.DefaultUserRolePermissions = obj
}

func (r *externalCollaborationSettingsResource) readInto(ctx context.Context, m *externalCollaborationSettingsModel, diags *diag.Diagnostics) {
	readAuthorizationPolicy(ctx, r.client, m, diags)
}

// readAuthorizationPolicy reads the policy into m (the resource's and the data source's read).
func readAuthorizationPolicy(ctx context.Context, client *graph.Client, m *externalCollaborationSettingsModel, diags *diag.Diagnostics) {
	p, err := client.GetAuthorizationPolicy(ctx)
	if err != nil {
		diagnostics.AddAPIError(diags, "Unable to read the authorization policy", err)
		return
	}
	flattenAuthorizationPolicy(p, m, diags)
}

// apply writes what the configuration sets, then reads the whole policy back: a singleton is created
// and updated the same way.
func (r *externalCollaborationSettingsResource) apply(ctx context.Context, config tfsdk.Config, to *tfsdk.State, diags *diag.Diagnostics) {
	var cfg externalCollaborationSettingsModel
	diags.Append(config.Get(ctx, &cfg)...)
	if diags.HasError() {
		return
	}
	body, ok := expandAuthorizationPolicy(ctx, cfg, diags)
	if diags.HasError() {
		return
	}
	if ok {
		if err := r.client.UpdateAuthorizationPolicy(ctx, body); err != nil {
			diagnostics.AddAPIError(diags, "Unable to update the authorization policy", err)
			return
		}
	}
	var state externalCollaborationSettingsModel
	r.readInto(ctx, &state, diags)
	if diags.HasError() {
		return
	}
	diags.Append(to.Set(ctx, &state)...)
}

func (r *externalCollaborationSettingsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer r.identity().Create(ctx, resp)
	r.apply(ctx, req.Config, &resp.State, &resp.Diagnostics)
}

func (r *externalCollaborationSettingsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer r.identity().Read(ctx, req, resp)
	var state externalCollaborationSettingsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.readInto(ctx, &state, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *externalCollaborationSettingsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer r.identity().Update(ctx, resp)
	r.apply(ctx, req.Config, &resp.State, &resp.Diagnostics)
}

// Delete writes the documented defaults back (graph.DefaultAuthorizationPolicy): the policy always exists.
func (r *externalCollaborationSettingsResource) Delete(ctx context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	if err := r.client.UpdateAuthorizationPolicy(ctx, graph.DefaultAuthorizationPolicy()); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to restore the default authorization policy", err)
	}
}

// ImportState takes the policy's id (graph.AuthorizationPolicyID), or an identity whose tenant_id, when
// set, is the provider's tenant.
func (r *externalCollaborationSettingsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID != "" && req.ID != graph.AuthorizationPolicyID {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("The external collaboration settings are the tenant's authorization policy, a singleton; import them with the id %q, got %q.",
				graph.AuthorizationPolicyID, req.ID))
		return
	}
	identity.CheckTenant(ctx, req, r.tenantID, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), graph.AuthorizationPolicyID)...)
}
