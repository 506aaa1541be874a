package lifecycle

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"regexp"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/identity"
	"github.com/entragov/terraform-provider-entragov/internal/framework/schematypes"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// lifecycleSettingsID is the fixed id of the singleton in Terraform state and for import.
const lifecycleSettingsID = "lifecycle-workflow-settings"

var domainPattern = regexp.MustCompile(`^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$`)

var (
	_ resource.Resource                = &settingsResource{}
	_ resource.ResourceWithConfigure   = &settingsResource{}
	_ resource.ResourceWithImportState = &settingsResource{}
	_ resource.ResourceWithIdentity    = &settingsResource{}
)

// NewLifecycleWorkflowSettingsResource is the constructor registered with the provider.
func NewLifecycleWorkflowSettingsResource() resource.Resource {
	return &settingsResource{}
}

type settingsResource struct {
	client *graph.Client
	// tenantID is the provider's tenant, the singleton's identity.
	tenantID string
}

type settingsModel struct {
	ID                              types.String `tfsdk:"id"`
	WorkflowScheduleIntervalInHours types.Int64  `tfsdk:"workflow_schedule_interval_in_hours"`
	EmailSettings                   types.Object `tfsdk:"email_settings"`
}

type emailSettingsModel struct {
	SenderDomain       types.String `tfsdk:"sender_domain"`
	UseCompanyBranding types.Bool   `tfsdk:"use_company_branding"`
}

var emailSettingsTypes = map[string]attr.Type{"sender_domain": types.StringType, "use_company_branding": types.BoolType}

func emailSettingsValue(domain string, branding bool) types.Object {
	return types.ObjectValueMust(emailSettingsTypes, map[string]attr.Value{
		"sender_domain": types.StringValue(domain), "use_company_branding": types.BoolValue(branding),
	})
}

func (r *settingsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_lifecycle_workflow_settings"
}

func (r *settingsResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages the tenant's lifecycle workflow settings (Graph `lifecycleManagementSettings`, a singleton): " +
			"how often scheduled workflows run and how their emails are sent. There is one per tenant; creating this resource " +
			"takes the settings over, and **destroying it restores the service defaults** (every 3 hours, the Microsoft sender " +
			"domain, no company branding). Needs `LifecycleWorkflows.ReadWrite.All`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "Always `" + lifecycleSettingsID + "`; also the import id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"workflow_schedule_interval_in_hours": schema.Int64Attribute{
				Optional: true, Computed: true, Default: int64default.StaticInt64(graph.DefaultWorkflowScheduleIntervalInHours),
				MarkdownDescription: "How often, in hours, scheduled workflows are evaluated (`workflowScheduleIntervalInHours`), 1 to 24. Defaults to 3.",
				Validators:          []validator.Int64{int64validator.Between(graph.MinWorkflowScheduleIntervalInHours, graph.MaxWorkflowScheduleIntervalInHours)},
			},
			"email_settings": schema.SingleNestedAttribute{
				Optional: true, Computed: true,
				Default:             objectdefault.StaticValue(emailSettingsValue("", false)),
				MarkdownDescription: "How workflow emails are sent (`emailSettings`). Defaults to the Microsoft sender domain without company branding.",
				Attributes: map[string]schema.Attribute{
					"sender_domain": schema.StringAttribute{
						Optional: true, Computed: true, Default: stringdefault.StaticString(""),
						MarkdownDescription: "A verified custom domain the emails are sent from (`senderDomain`); empty (the default) uses Microsoft's.",
						Validators: []validator.String{stringvalidator.Any(
							stringvalidator.LengthAtMost(0),
							stringvalidator.RegexMatches(domainPattern, "must be a domain name such as contoso.com"),
						)},
					},
					"use_company_branding": schema.BoolAttribute{
						Optional: true, Computed: true, Default: booldefault.StaticBool(false),
						MarkdownDescription: "Whether the emails use the tenant's company branding (`useCompanyBranding`). Defaults to `false`.",
					},
				},
			},
		},
	}
	resp.Schema = schematypes.Cache(resp.Schema)
}

// identity is the resource identity (Terraform 1.12 and later): the tenant, as the settings are one per tenant.
func (r *settingsResource) identity() identity.Spec {
	return identity.Singleton("lifecycle workflow settings", func() string { return r.tenantID })
}

func (r *settingsResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = r.identity().Schema()
}

func (r *settingsResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
	r.tenantID = framework.TenantIDFrom(req.ProviderData)
}

func (r *settingsResource) write(ctx context.Context, plan *settingsModel, diags *diag.Diagnostics) {
	var email emailSettingsModel
	diags.Append(plan.EmailSettings.As(ctx, &email, objectAsOptions)...)
	if diags.HasError() {
		return
	}
	err := r.client.UpdateLifecycleSettings(ctx, graph.LifecycleSettings{
		WorkflowScheduleIntervalInHours: int(plan.WorkflowScheduleIntervalInHours.ValueInt64()),
		EmailSettings: &graph.LifecycleEmailSettings{
			SenderDomain: email.SenderDomain.ValueString(), UseCompanyBranding: email.UseCompanyBranding.ValueBool(),
		},
	})
	if err != nil {
		diagnostics.AddAPIError(diags, "Unable to update the lifecycle workflow settings", err)
		return
	}
	r.readInto(ctx, plan, diags)
}

func (r *settingsResource) readInto(ctx context.Context, m *settingsModel, diags *diag.Diagnostics) {
	s, err := r.client.GetLifecycleSettings(ctx)
	if err != nil {
		diagnostics.AddAPIError(diags, "Unable to read the lifecycle workflow settings", err)
		return
	}
	m.ID = types.StringValue(lifecycleSettingsID)
	m.WorkflowScheduleIntervalInHours = types.Int64Value(int64(s.WorkflowScheduleIntervalInHours))
	email := graph.LifecycleEmailSettings{}
	if s.EmailSettings != nil {
		email = *s.EmailSettings
	}
	m.EmailSettings = emailSettingsValue(email.SenderDomain, email.UseCompanyBranding)
}

// apply writes the planned settings: a singleton is created and updated the same way.
func (r *settingsResource) apply(ctx context.Context, from tfsdk.Plan, to *tfsdk.State, diags *diag.Diagnostics) {
	var plan settingsModel
	diags.Append(from.Get(ctx, &plan)...)
	if diags.HasError() {
		return
	}
	r.write(ctx, &plan, diags)
	if diags.HasError() {
		return
	}
	diags.Append(to.Set(ctx, &plan)...)
}

func (r *settingsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer r.identity().Create(ctx, resp)
	r.apply(ctx, req.Plan, &resp.State, &resp.Diagnostics)
}

func (r *settingsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer r.identity().Read(ctx, req, resp)
	var state settingsModel
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

func (r *settingsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer r.identity().Update(ctx, resp)
	r.apply(ctx, req.Plan, &resp.State, &resp.Diagnostics)
}

// Delete restores the service defaults: a singleton cannot be deleted.
func (r *settingsResource) Delete(ctx context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	err := r.client.UpdateLifecycleSettings(ctx, graph.LifecycleSettings{
		WorkflowScheduleIntervalInHours: graph.DefaultWorkflowScheduleIntervalInHours,
		EmailSettings:                   &graph.LifecycleEmailSettings{},
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to restore the default lifecycle workflow settings", err)
	}
}

// ImportState takes the fixed id (lifecycleSettingsID), or an identity whose tenant_id, when set, is the provider's tenant.
func (r *settingsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID != "" && req.ID != lifecycleSettingsID {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("The lifecycle workflow settings are a singleton; import them with the id %q, got %q.", lifecycleSettingsID, req.ID))
		return
	}
	identity.CheckTenant(ctx, req, r.tenantID, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), lifecycleSettingsID)...)
}
