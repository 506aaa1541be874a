package crosstenant

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/identity"
	"github.com/entragov/terraform-provider-entragov/internal/framework/schematypes"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ resource.Resource                = &crossTenantAccessPartnerResource{}
	_ resource.ResourceWithConfigure   = &crossTenantAccessPartnerResource{}
	_ resource.ResourceWithImportState = &crossTenantAccessPartnerResource{}
	_ resource.ResourceWithIdentity    = &crossTenantAccessPartnerResource{}
)

// NewCrossTenantAccessPartnerResource is the constructor registered with the provider.
func NewCrossTenantAccessPartnerResource() resource.Resource {
	return &crossTenantAccessPartnerResource{}
}

type crossTenantAccessPartnerResource struct {
	client *graph.Client
}

type crossTenantAccessPartnerModel struct {
	ID                           types.String `tfsdk:"id"`
	TenantID                     types.String `tfsdk:"tenant_id"`
	AutomaticUserConsentSettings types.Object `tfsdk:"automatic_user_consent_settings"`
	B2BCollaborationInbound      types.Object `tfsdk:"b2b_collaboration_inbound"`
	B2BCollaborationOutbound     types.Object `tfsdk:"b2b_collaboration_outbound"`
	B2BDirectConnectInbound      types.Object `tfsdk:"b2b_direct_connect_inbound"`
	B2BDirectConnectOutbound     types.Object `tfsdk:"b2b_direct_connect_outbound"`
	TenantRestrictions           types.Object `tfsdk:"tenant_restrictions"`
	InboundTrust                 types.Object `tfsdk:"inbound_trust"`
	ServiceProvider              types.Bool   `tfsdk:"service_provider"`
	InMultiTenantOrganization    types.Bool   `tfsdk:"in_multi_tenant_organization"`
}

// b2b maps the B2B settings attributes to the model's fields.
func (m *crossTenantAccessPartnerModel) b2b() map[string]*types.Object {
	return map[string]*types.Object{
		"b2b_collaboration_inbound": &m.B2BCollaborationInbound, "b2b_collaboration_outbound": &m.B2BCollaborationOutbound,
		"b2b_direct_connect_inbound": &m.B2BDirectConnectInbound, "b2b_direct_connect_outbound": &m.B2BDirectConnectOutbound,
		"tenant_restrictions": &m.TenantRestrictions,
	}
}

// crossTenantAccessPartnerIdentity: a partner configuration is addressed by the partner's tenant id.
var crossTenantAccessPartnerIdentity = identity.Spec{{Name: "tenant_id", Description: "The partner tenant's id, the key of its configuration."}}

func (r *crossTenantAccessPartnerResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cross_tenant_access_partner"
}

func (r *crossTenantAccessPartnerResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{
			Computed: true, MarkdownDescription: "The partner tenant's id (as `tenant_id`); also the import id.",
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"tenant_id": schema.StringAttribute{
			Required: true,
			MarkdownDescription: "The id of the partner's Microsoft Entra tenant (a GUID), the configuration's key. " +
				"Changing it replaces the configuration.",
			Validators:    []validator.String{validators.GUID()},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"automatic_user_consent_settings": schema.SingleNestedAttribute{
			Optional: true,
			MarkdownDescription: "Automatic redemption (Graph `automaticUserConsentSettings`): whether invitations are redeemed " +
				"without the consent prompt. Null inherits the default configuration, where both are always false.",
			Attributes: map[string]schema.Attribute{
				"inbound_allowed": schema.BoolAttribute{Optional: true,
					MarkdownDescription: "Users of the partner who come in are not asked to consent (the partner must allow it outbound)."},
				"outbound_allowed": schema.BoolAttribute{Optional: true,
					MarkdownDescription: "Your users who go to the partner are not asked to consent (the partner must allow it inbound)."},
			},
		},
		"inbound_trust": schema.SingleNestedAttribute{
			Optional: true,
			MarkdownDescription: "Which Conditional Access claims of the partner's tenant are trusted (Graph `inboundTrust`). " +
				"Null inherits the default configuration.",
			Attributes: map[string]schema.Attribute{
				"mfa_accepted": schema.BoolAttribute{Optional: true,
					MarkdownDescription: "Multifactor authentication done in the partner's tenant is trusted (`isMfaAccepted`)."},
				"compliant_device_accepted": schema.BoolAttribute{Optional: true,
					MarkdownDescription: "Compliant devices of the partner's tenant are trusted (`isCompliantDeviceAccepted`)."},
				"hybrid_azure_ad_joined_device_accepted": schema.BoolAttribute{Optional: true,
					MarkdownDescription: "Hybrid joined devices of the partner's tenant are trusted (`isHybridAzureADJoinedDeviceAccepted`)."},
			},
		},
		"service_provider": schema.BoolAttribute{
			Computed: true, MarkdownDescription: "Whether the partner is a Cloud Service Provider for your organization (`isServiceProvider`, read-only).",
			PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
		},
		"in_multi_tenant_organization": schema.BoolAttribute{
			Computed: true, MarkdownDescription: "Whether the partner is a member of your multitenant organization (`isInMultiTenantOrganization`, read-only).",
			PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
		},
	}
	for _, b := range b2bBlocks {
		attrs[b.attr] = b2bSettingAttribute(b.what, true)
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages the cross-tenant access settings for one partner tenant (Graph " +
			"`crossTenantAccessPolicyConfigurationPartner`, `/policies/crossTenantAccessPolicy/partners/{tenantId}`): B2B " +
			"collaboration and direct connect in both directions, tenant restrictions, inbound trust and automatic redemption. " +
			"Every setting left null inherits the tenant's default configuration (`entragov_cross_tenant_access_default`). " +
			"There is one configuration per partner tenant. Needs `Policy.ReadWrite.CrossTenantAccess`.",
		Attributes: attrs,
	}
	resp.Schema = schematypes.Cache(resp.Schema)
}

func (r *crossTenantAccessPartnerResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = crossTenantAccessPartnerIdentity.Schema()
}

func (r *crossTenantAccessPartnerResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

// expand builds the configuration Graph is sent: every settings property, null where the plan has none.
func (m *crossTenantAccessPartnerModel) expand(ctx context.Context, diags *diag.Diagnostics) graph.CrossTenantAccessPartner {
	out := graph.CrossTenantAccessPartner{
		TenantID:                     m.TenantID.ValueString(),
		AutomaticUserConsentSettings: expandConsent(ctx, m.AutomaticUserConsentSettings, diags),
		InboundTrust:                 expandInboundTrust(ctx, m.InboundTrust, diags),
	}
	fields := b2bFields(&out.B2BCollaborationInbound, &out.B2BCollaborationOutbound, &out.B2BDirectConnectInbound, &out.B2BDirectConnectOutbound, &out.TenantRestrictions)
	for name, v := range m.b2b() {
		*fields[name] = expandB2BSetting(ctx, *v, diags)
	}
	return out
}

// flatten sets the model from Graph's configuration; m holds the prior values (plan or state).
func (m *crossTenantAccessPartnerModel) flatten(ctx context.Context, g *graph.CrossTenantAccessPartner, diags *diag.Diagnostics) {
	// Keep the tenant id as written when Graph answers it in another case.
	if !strings.EqualFold(m.TenantID.ValueString(), g.TenantID) {
		m.TenantID = types.StringValue(g.TenantID)
	}
	m.ID = m.TenantID
	m.AutomaticUserConsentSettings = flattenConsent(g.AutomaticUserConsentSettings, m.AutomaticUserConsentSettings, diags)
	m.InboundTrust = flattenInboundTrust(g.InboundTrust, diags)
	fields := b2bFields(&g.B2BCollaborationInbound, &g.B2BCollaborationOutbound, &g.B2BDirectConnectInbound, &g.B2BDirectConnectOutbound, &g.TenantRestrictions)
	for name, v := range m.b2b() {
		*v = flattenB2BSetting(ctx, *fields[name], *v, diags)
	}
	m.ServiceProvider = types.BoolValue(g.IsServiceProvider != nil && *g.IsServiceProvider)
	m.InMultiTenantOrganization = types.BoolValue(g.IsInMultiTenantOrganization != nil && *g.IsInMultiTenantOrganization)
}

func (r *crossTenantAccessPartnerResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer crossTenantAccessPartnerIdentity.Create(ctx, resp)
	var plan crossTenantAccessPartnerModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	in := plan.expand(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	tenantID := plan.TenantID.ValueString()
	created, err := r.client.CreateCrossTenantAccessPartner(ctx, in)
	if err != nil {
		if graph.IsConflict(err) {
			diagnostics.AddAPIError(&resp.Diagnostics, "A cross-tenant access configuration for tenant "+tenantID+" already exists", err)
			resp.Diagnostics.AddAttributeError(path.Root("tenant_id"), "Partner configuration exists",
				fmt.Sprintf("Tenant %s already has a partner configuration; bring it under management with "+
					"`terraform import entragov_cross_tenant_access_partner.<name> %s`.", tenantID, tenantID))
			return
		}
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to create the cross-tenant access configuration of tenant "+tenantID, err)
		return
	}
	// Keep the key before reading back, so a failure there leaves a tainted resource, not an orphan.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), tenantID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("tenant_id"), tenantID)...)
	var got *graph.CrossTenantAccessPartner
	err = r.client.WaitForExistence(ctx, func(ctx context.Context) (err error) {
		got, err = r.client.GetCrossTenantAccessPartner(ctx, created.TenantID)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "The cross-tenant access configuration of tenant "+tenantID+" was created but could not be read back", err)
		return
	}
	plan.flatten(ctx, got, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *crossTenantAccessPartnerResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer crossTenantAccessPartnerIdentity.Read(ctx, req, resp)
	var state crossTenantAccessPartnerModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	tenantID := state.TenantID.ValueString()
	var got *graph.CrossTenantAccessPartner
	gone, err := r.client.RefreshRead(ctx, "", func(ctx context.Context) (err error) {
		got, err = r.client.GetCrossTenantAccessPartner(ctx, tenantID)
		return err
	})
	if gone {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read the cross-tenant access configuration of tenant "+tenantID, err)
		return
	}
	state.flatten(ctx, got, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update sends every settings property (null for those the configuration no longer sets, so that they
// inherit the default again), then reads back.
func (r *crossTenantAccessPartnerResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer crossTenantAccessPartnerIdentity.Update(ctx, resp)
	var plan crossTenantAccessPartnerModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	in := plan.expand(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	tenantID := plan.TenantID.ValueString()
	if err := r.client.UpdateCrossTenantAccessPartner(ctx, tenantID, in); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to update the cross-tenant access configuration of tenant "+tenantID, err)
		return
	}
	got, err := r.client.GetCrossTenantAccessPartner(ctx, tenantID)
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read the cross-tenant access configuration of tenant "+tenantID, err)
		return
	}
	plan.flatten(ctx, got, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *crossTenantAccessPartnerResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state crossTenantAccessPartnerModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	tenantID := state.TenantID.ValueString()
	if err := r.client.DeleteCrossTenantAccessPartner(ctx, tenantID); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to delete the cross-tenant access configuration of tenant "+tenantID, err)
		return
	}
	err := r.client.WaitForDeletion(ctx, func(ctx context.Context) error {
		_, err := r.client.GetCrossTenantAccessPartner(ctx, tenantID)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "The cross-tenant access configuration of tenant "+tenantID+" was deleted but is still readable", err)
	}
}

// ImportState takes the partner's tenant id, or an identity naming it.
func (r *crossTenantAccessPartnerResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	tenantID := req.ID
	if tenantID == "" {
		values, diags := crossTenantAccessPartnerIdentity.Values(ctx, req)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		tenantID = values["tenant_id"]
	}
	if !validators.IsGUID(tenantID) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Import a partner configuration with the partner's tenant id (a GUID), got %q.", tenantID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), tenantID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("tenant_id"), tenantID)...)
}
