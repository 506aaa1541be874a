package crosstenant

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
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

// crossTenantAccessDefaultID is the fixed id of the singleton in Terraform state and for import.
const crossTenantAccessDefaultID = "cross-tenant-access-default"

var (
	_ resource.Resource                = &crossTenantAccessDefaultResource{}
	_ resource.ResourceWithConfigure   = &crossTenantAccessDefaultResource{}
	_ resource.ResourceWithImportState = &crossTenantAccessDefaultResource{}
	_ resource.ResourceWithIdentity    = &crossTenantAccessDefaultResource{}
)

// NewCrossTenantAccessDefaultResource is the constructor registered with the provider.
func NewCrossTenantAccessDefaultResource() resource.Resource {
	return &crossTenantAccessDefaultResource{}
}

type crossTenantAccessDefaultResource struct {
	client   *graph.Client
	tenantID string
}

type crossTenantAccessDefaultModel struct {
	ID                           types.String `tfsdk:"id"`
	B2BCollaborationInbound      types.Object `tfsdk:"b2b_collaboration_inbound"`
	B2BCollaborationOutbound     types.Object `tfsdk:"b2b_collaboration_outbound"`
	B2BDirectConnectInbound      types.Object `tfsdk:"b2b_direct_connect_inbound"`
	B2BDirectConnectOutbound     types.Object `tfsdk:"b2b_direct_connect_outbound"`
	TenantRestrictions           types.Object `tfsdk:"tenant_restrictions"`
	InboundTrust                 types.Object `tfsdk:"inbound_trust"`
	InvitationRedemption         types.Object `tfsdk:"invitation_redemption_identity_provider_configuration"`
	AutomaticUserConsentSettings types.Object `tfsdk:"automatic_user_consent_settings"`
	ServiceDefault               types.Bool   `tfsdk:"service_default"`
}

func (m *crossTenantAccessDefaultModel) b2b() map[string]*types.Object {
	return map[string]*types.Object{
		"b2b_collaboration_inbound": &m.B2BCollaborationInbound, "b2b_collaboration_outbound": &m.B2BCollaborationOutbound,
		"b2b_direct_connect_inbound": &m.B2BDirectConnectInbound, "b2b_direct_connect_outbound": &m.B2BDirectConnectOutbound,
		"tenant_restrictions": &m.TenantRestrictions,
	}
}

type invitationRedemptionModel struct {
	PrimaryIdentityProviderPrecedenceOrder types.List   `tfsdk:"primary_identity_provider_precedence_order"`
	FallbackIdentityProvider               types.String `tfsdk:"fallback_identity_provider"`
}

var invitationRedemptionAttrTypes = map[string]attr.Type{
	"primary_identity_provider_precedence_order": types.ListType{ElemType: types.StringType},
	"fallback_identity_provider":                 types.StringType,
}

func (r *crossTenantAccessDefaultResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cross_tenant_access_default"
}

func (r *crossTenantAccessDefaultResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.Object{objectplanmodifier.UseStateForUnknown()}
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			Computed: true, MarkdownDescription: "Always `" + crossTenantAccessDefaultID + "`; also the import id.",
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"inbound_trust": schema.SingleNestedAttribute{
			Optional: true, Computed: true, PlanModifiers: keep,
			MarkdownDescription: "Which Conditional Access claims of other Microsoft Entra tenants are trusted (Graph `inboundTrust`). " +
				"When omitted, Graph's value is kept (none trusted in a new tenant).",
			Attributes: map[string]schema.Attribute{
				"mfa_accepted": schema.BoolAttribute{Required: true,
					MarkdownDescription: "Multifactor authentication done in the other tenant is trusted (`isMfaAccepted`)."},
				"compliant_device_accepted": schema.BoolAttribute{Required: true,
					MarkdownDescription: "Compliant devices of the other tenant are trusted (`isCompliantDeviceAccepted`)."},
				"hybrid_azure_ad_joined_device_accepted": schema.BoolAttribute{Required: true,
					MarkdownDescription: "Hybrid joined devices of the other tenant are trusted (`isHybridAzureADJoinedDeviceAccepted`)."},
			},
		},
		"invitation_redemption_identity_provider_configuration": schema.SingleNestedAttribute{
			Optional: true, Computed: true, PlanModifiers: keep,
			MarkdownDescription: "Which identity provider a guest redeems an invitation with (Graph " +
				"`invitationRedemptionIdentityProviderConfiguration`). When omitted, Graph's value is kept.",
			Attributes: map[string]schema.Attribute{
				"primary_identity_provider_precedence_order": schema.ListAttribute{
					ElementType: types.StringType, Required: true,
					MarkdownDescription: "The providers tried first, in order: `azureActiveDirectory`, `externalFederation`, `socialIdentityProviders`.",
					Validators: []validator.List{listvalidator.UniqueValues(),
						listvalidator.ValueStringsAre(stringvalidator.OneOf(graph.PrimaryIdentityProviders...))},
				},
				"fallback_identity_provider": schema.StringAttribute{
					Required:            true,
					MarkdownDescription: "The provider used when no primary one can be: `defaultConfiguredIdp`, `emailOneTimePasscode` or `microsoftAccount`.",
					Validators:          []validator.String{stringvalidator.OneOf(graph.FallbackIdentityProviders...)},
				},
			},
		},
		"automatic_user_consent_settings": schema.SingleNestedAttribute{
			Computed: true, PlanModifiers: keep,
			MarkdownDescription: "Automatic redemption in the default configuration: read-only, always false both ways " +
				"(set it per partner with `entragov_cross_tenant_access_partner`).",
			Attributes: map[string]schema.Attribute{
				"inbound_allowed":  schema.BoolAttribute{Computed: true, MarkdownDescription: "Always false."},
				"outbound_allowed": schema.BoolAttribute{Computed: true, MarkdownDescription: "Always false."},
			},
		},
		"service_default": schema.BoolAttribute{
			Computed:            true,
			PlanModifiers:       []planmodifier.Bool{serviceDefaultPlan{}},
			MarkdownDescription: "Whether the configuration is the system default (`isServiceDefault`): false once it has been changed.",
		},
	}
	for _, b := range b2bBlocks {
		attrs[b.attr] = b2bSettingAttribute(b.what, false)
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages the tenant's default cross-tenant access settings (Graph " +
			"`crossTenantAccessPolicyConfigurationDefault`, a singleton at `/policies/crossTenantAccessPolicy/default`): what " +
			"applies to every external Microsoft Entra tenant without a partner configuration. Settings left out keep Graph's " +
			"values. Creating this resource takes the settings over; **destroying it resets them to the system default** " +
			"(`resetToSystemDefault`). Needs `Policy.ReadWrite.CrossTenantAccess`.",
		Attributes: attrs,
	}
	resp.Schema = schematypes.Cache(resp.Schema)
}

func (r *crossTenantAccessDefaultResource) identity() identity.Spec {
	return identity.Singleton("default cross-tenant access settings", func() string { return r.tenantID })
}

func (r *crossTenantAccessDefaultResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = r.identity().Schema()
}

func (r *crossTenantAccessDefaultResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
	r.tenantID = framework.TenantIDFrom(req.ProviderData)
}

// expand sends the settings the plan knows (configured, or kept from state); the others are left out,
// so Graph keeps them.
func (m *crossTenantAccessDefaultModel) expand(ctx context.Context, diags *diag.Diagnostics) graph.CrossTenantAccessDefault {
	out := graph.CrossTenantAccessDefault{InboundTrust: expandInboundTrust(ctx, m.InboundTrust, diags)}
	fields := b2bFields(&out.B2BCollaborationInbound, &out.B2BCollaborationOutbound, &out.B2BDirectConnectInbound, &out.B2BDirectConnectOutbound, &out.TenantRestrictions)
	for name, v := range m.b2b() {
		*fields[name] = expandB2BSetting(ctx, *v, diags)
	}
	if !m.InvitationRedemption.IsNull() && !m.InvitationRedemption.IsUnknown() {
		var ir invitationRedemptionModel
		diags.Append(m.InvitationRedemption.As(ctx, &ir, basetypes.ObjectAsOptions{})...)
		conf := &graph.InvitationRedemptionIdentityProviderConfiguration{FallbackIdentityProvider: ir.FallbackIdentityProvider.ValueString()}
		diags.Append(ir.PrimaryIdentityProviderPrecedenceOrder.ElementsAs(ctx, &conf.PrimaryIdentityProviderPrecedenceOrder, false)...)
		out.InvitationRedemptionIdentityProviderConfiguration = conf
	}
	return out
}

func (m *crossTenantAccessDefaultModel) flatten(ctx context.Context, g *graph.CrossTenantAccessDefault, diags *diag.Diagnostics) {
	m.ID = types.StringValue(crossTenantAccessDefaultID)
	m.InboundTrust = flattenInboundTrust(g.InboundTrust, diags)
	fields := b2bFields(&g.B2BCollaborationInbound, &g.B2BCollaborationOutbound, &g.B2BDirectConnectInbound, &g.B2BDirectConnectOutbound, &g.TenantRestrictions)
	for name, v := range m.b2b() {
		*v = flattenB2BSetting(ctx, *fields[name], *v, diags)
	}
	m.AutomaticUserConsentSettings = flattenConsent(g.AutomaticUserConsentSettings, types.ObjectNull(consentAttrTypes), diags)
	m.ServiceDefault = types.BoolValue(g.IsServiceDefault != nil && *g.IsServiceDefault)
	m.InvitationRedemption = types.ObjectNull(invitationRedemptionAttrTypes)
	if ir := g.InvitationRedemptionIdentityProviderConfiguration; ir != nil {
		order, d := types.ListValueFrom(ctx, types.StringType, ir.PrimaryIdentityProviderPrecedenceOrder)
		diags.Append(d...)
		fallback := types.StringNull()
		if ir.FallbackIdentityProvider != "" {
			fallback = types.StringValue(ir.FallbackIdentityProvider)
		}
		o, d := types.ObjectValue(invitationRedemptionAttrTypes, map[string]attr.Value{
			"primary_identity_provider_precedence_order": order, "fallback_identity_provider": fallback,
		})
		diags.Append(d...)
		m.InvitationRedemption = o
	}
}

// apply writes the planned settings and reads them back: a singleton is created and updated the same way.
func (r *crossTenantAccessDefaultResource) apply(ctx context.Context, from tfsdk.Plan, to *tfsdk.State, diags *diag.Diagnostics) {
	var plan crossTenantAccessDefaultModel
	diags.Append(from.Get(ctx, &plan)...)
	in := plan.expand(ctx, diags)
	if diags.HasError() {
		return
	}
	if in != (graph.CrossTenantAccessDefault{}) {
		if err := r.client.UpdateCrossTenantAccessDefault(ctx, in); err != nil {
			diagnostics.AddAPIError(diags, "Unable to update the default cross-tenant access settings", err)
			return
		}
	}
	got, err := r.client.GetCrossTenantAccessDefault(ctx)
	if err != nil {
		diagnostics.AddAPIError(diags, "Unable to read the default cross-tenant access settings", err)
		return
	}
	plan.flatten(ctx, got, diags)
	if diags.HasError() {
		return
	}
	diags.Append(to.Set(ctx, &plan)...)
}

func (r *crossTenantAccessDefaultResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer r.identity().Create(ctx, resp)
	r.apply(ctx, req.Plan, &resp.State, &resp.Diagnostics)
}

func (r *crossTenantAccessDefaultResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer r.identity().Read(ctx, req, resp)
	var state crossTenantAccessDefaultModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := r.client.GetCrossTenantAccessDefault(ctx)
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read the default cross-tenant access settings", err)
		return
	}
	state.flatten(ctx, got, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *crossTenantAccessDefaultResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer r.identity().Update(ctx, resp)
	r.apply(ctx, req.Plan, &resp.State, &resp.Diagnostics)
}

// Delete resets the default configuration to the system default: a singleton cannot be deleted.
func (r *crossTenantAccessDefaultResource) Delete(ctx context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	if err := r.client.ResetCrossTenantAccessDefault(ctx); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to reset the default cross-tenant access settings to the system default", err)
	}
}

// ImportState takes the fixed id, or an identity whose tenant_id, when set, is the provider's tenant.
func (r *crossTenantAccessDefaultResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID != "" && req.ID != crossTenantAccessDefaultID {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("The default cross-tenant access settings are a singleton; import them with the id %q, got %q.", crossTenantAccessDefaultID, req.ID))
		return
	}
	identity.CheckTenant(ctx, req, r.tenantID, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), crossTenantAccessDefaultID)...)
}

// settingsAttributes are the attributes a configuration writes to Graph.
var settingsAttributes = []string{
	"b2b_collaboration_inbound", "b2b_collaboration_outbound", "b2b_direct_connect_inbound", "b2b_direct_connect_outbound",
	"tenant_restrictions", "inbound_trust", "invitation_redemption_identity_provider_configuration",
}

// serviceDefaultPlan keeps service_default while the configured settings are what state holds: only a
// write makes the configuration customised. Terraform proposes the Optional+Computed blocks the
// configuration leaves out as changed, which would otherwise make service_default unknown on every plan.
type serviceDefaultPlan struct{}

func (serviceDefaultPlan) Description(context.Context) string {
	return "unchanged unless a configured setting differs from state"
}

func (p serviceDefaultPlan) MarkdownDescription(ctx context.Context) string {
	return p.Description(ctx)
}

func (serviceDefaultPlan) PlanModifyBool(ctx context.Context, req planmodifier.BoolRequest, resp *planmodifier.BoolResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || req.StateValue.IsNull() {
		return
	}
	for _, name := range settingsAttributes {
		var cfg, state types.Object
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(name), &cfg)...)
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(name), &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if !cfg.IsNull() && !cfg.Equal(state) {
			return
		}
	}
	resp.PlanValue = req.StateValue
}
