package entitlement

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/identity"
	"github.com/entragov/terraform-provider-entragov/internal/framework/isoduration"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// emSettingsID is the fixed id of the singleton in Terraform state and for import.
const emSettingsID = "entitlement-management-settings"

var (
	_ resource.Resource                   = &emSettingsResource{}
	_ resource.ResourceWithConfigure      = &emSettingsResource{}
	_ resource.ResourceWithImportState    = &emSettingsResource{}
	_ resource.ResourceWithIdentity       = &emSettingsResource{}
	_ resource.ResourceWithValidateConfig = &emSettingsResource{}
)

// NewEntitlementManagementSettingsResource is the constructor registered with the provider.
func NewEntitlementManagementSettingsResource() resource.Resource {
	return &emSettingsResource{}
}

type emSettingsResource struct {
	client *graph.Client
	// tenantID is the provider's tenant, the singleton's identity.
	tenantID string
}

type emSettingsModel struct {
	ID                                           types.String         `tfsdk:"id"`
	ExternalUserLifecycleAction                  types.String         `tfsdk:"external_user_lifecycle_action"`
	DurationUntilExternalUserDeletedAfterBlocked isoduration.Duration `tfsdk:"duration_until_external_user_deleted_after_blocked"`
}

func (r *emSettingsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_entitlement_management_settings"
}

func (r *emSettingsResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages the tenant's entitlement management settings (Graph `entitlementManagementSettings`, a " +
			"singleton): what happens to an external user whose last access package assignment ends. There is one per tenant; " +
			"creating this resource takes the settings over, and **destroying it restores the service defaults** " +
			"(`blockSignInAndDelete` after `P30D`). Needs `EntitlementManagement.ReadWrite.All`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "Always `" + emSettingsID + "`; also the import id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"external_user_lifecycle_action": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(graph.DefaultExternalUserLifecycleAction),
				MarkdownDescription: "What happens to an external user (from a connected organization) when their last " +
					"assignment ends: `none`, `blockSignIn`, or `blockSignInAndDelete` (the default).",
				Validators: []validator.String{stringvalidator.OneOf(graph.ExternalUserLifecycleActions...)},
			},
			"duration_until_external_user_deleted_after_blocked": schema.StringAttribute{
				CustomType: isoduration.DurationType{}, Optional: true, Computed: true,
				MarkdownDescription: "How long a blocked external user is kept before deletion, with `blockSignInAndDelete`; " +
					"an ISO 8601 duration such as `P30D` (the default with that action). The other actions do not use it: it " +
					"cannot be set with them, and it is null in state while they are in effect (Graph keeps its own value).",
				Validators:    []validator.String{isoduration.Edm(), isoduration.AtLeast("PT1S")},
				PlanModifiers: []planmodifier.String{deletionDelayPlan{}},
			},
		},
	}
}

// ValidateConfig pairs the deletion delay with the action that uses it.
func (r *emSettingsResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg emSettingsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || cfg.DurationUntilExternalUserDeletedAfterBlocked.IsNull() || cfg.ExternalUserLifecycleAction.IsUnknown() {
		return
	}
	action := stringOr(cfg.ExternalUserLifecycleAction, graph.DefaultExternalUserLifecycleAction)
	if action != deletingAction {
		at := path.Root("duration_until_external_user_deleted_after_blocked")
		resp.Diagnostics.AddAttributeError(at, "Deletion delay not used",
			fmt.Sprintf("Attribute %s: external users are deleted only with external_user_lifecycle_action = \"blockSignInAndDelete\"; "+
				"it is %q, so remove the duration or change the action.", at, action))
	}
}

// identity is the resource identity (Terraform 1.12 and later): the tenant, as the settings are one per tenant.
func (r *emSettingsResource) identity() identity.Spec {
	return identity.Singleton("entitlement management settings", func() string { return r.tenantID })
}

func (r *emSettingsResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = r.identity().Schema()
}

func (r *emSettingsResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
	r.tenantID = framework.TenantIDFrom(req.ProviderData)
}

func (r *emSettingsResource) write(ctx context.Context, plan *emSettingsModel, summary string, diags *diag.Diagnostics) {
	err := r.client.UpdateEntitlementManagementSettings(ctx, graph.EntitlementManagementSettings{
		ExternalUserLifecycleAction:                  plan.ExternalUserLifecycleAction.ValueString(),
		DurationUntilExternalUserDeletedAfterBlocked: plan.DurationUntilExternalUserDeletedAfterBlocked.EdmValue(),
	})
	if err != nil {
		diagnostics.AddAPIError(diags, summary, err)
		return
	}
	r.readInto(ctx, plan, diags)
}

func (r *emSettingsResource) readInto(ctx context.Context, m *emSettingsModel, diags *diag.Diagnostics) {
	s, err := r.client.GetEntitlementManagementSettings(ctx)
	if err != nil {
		diagnostics.AddAPIError(diags, "Unable to read the entitlement management settings", err)
		return
	}
	m.ID = types.StringValue(emSettingsID)
	m.ExternalUserLifecycleAction = types.StringValue(s.ExternalUserLifecycleAction)
	// Graph keeps a deletion delay whatever the action; it means something only when users are deleted.
	// Unless the configuration holds one, it is null for the other actions, so that an imported or
	// generated configuration never sets a value the action does not use (which ValidateConfig refuses).
	if s.ExternalUserLifecycleAction != deletingAction && m.DurationUntilExternalUserDeletedAfterBlocked.IsNull() {
		return
	}
	m.DurationUntilExternalUserDeletedAfterBlocked = isoduration.NewDurationValue(s.DurationUntilExternalUserDeletedAfterBlocked)
}

// deletingAction is the only external user lifecycle action that uses the deletion delay.
const deletingAction = "blockSignInAndDelete"

// deletionDelayPlan plans the deletion delay the configuration leaves out: the service default with
// blockSignInAndDelete, null with the actions that do not use it (the write then leaves Graph's value
// alone), unknown while the action is.
type deletionDelayPlan struct{}

func (deletionDelayPlan) Description(context.Context) string {
	return "when omitted, " + graph.DefaultExternalUserDeletionDelay + " with " + deletingAction + " and null with the other actions"
}

func (p deletionDelayPlan) MarkdownDescription(ctx context.Context) string { return p.Description(ctx) }

func (deletionDelayPlan) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if !req.ConfigValue.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var action types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("external_user_lifecycle_action"), &action)...)
	switch {
	case resp.Diagnostics.HasError():
	case action.IsUnknown():
		resp.PlanValue = types.StringUnknown()
	case action.ValueString() == deletingAction:
		resp.PlanValue = types.StringValue(graph.DefaultExternalUserDeletionDelay)
	default:
		resp.PlanValue = types.StringNull()
	}
}

// apply writes the planned settings: a singleton is created and updated the same way.
func (r *emSettingsResource) apply(ctx context.Context, from tfsdk.Plan, to *tfsdk.State, diags *diag.Diagnostics) {
	var plan emSettingsModel
	diags.Append(from.Get(ctx, &plan)...)
	if diags.HasError() {
		return
	}
	r.write(ctx, &plan, "Unable to update the entitlement management settings", diags)
	if diags.HasError() {
		return
	}
	diags.Append(to.Set(ctx, &plan)...)
}

func (r *emSettingsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer r.identity().Create(ctx, resp)
	r.apply(ctx, req.Plan, &resp.State, &resp.Diagnostics)
}

func (r *emSettingsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer r.identity().Read(ctx, req, resp)
	var state emSettingsModel
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

func (r *emSettingsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer r.identity().Update(ctx, resp)
	r.apply(ctx, req.Plan, &resp.State, &resp.Diagnostics)
}

// Delete restores the service defaults: a singleton cannot be deleted.
func (r *emSettingsResource) Delete(ctx context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	err := r.client.UpdateEntitlementManagementSettings(ctx, graph.EntitlementManagementSettings{
		ExternalUserLifecycleAction:                  graph.DefaultExternalUserLifecycleAction,
		DurationUntilExternalUserDeletedAfterBlocked: graph.DefaultExternalUserDeletionDelay,
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to restore the default entitlement management settings", err)
	}
}

// ImportState takes the fixed id (emSettingsID), or an identity whose tenant_id, when set, is the provider's tenant.
func (r *emSettingsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID != "" && req.ID != emSettingsID {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("The entitlement management settings are a singleton; import them with the id %q, got %q.", emSettingsID, req.ID))
		return
	}
	identity.CheckTenant(ctx, req, r.tenantID, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), emSettingsID)...)
}
