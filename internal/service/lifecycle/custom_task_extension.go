package lifecycle

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/customext"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/identity"
	"github.com/entragov/terraform-provider-entragov/internal/framework/isoduration"
	"github.com/entragov/terraform-provider-entragov/internal/framework/schematypes"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ resource.Resource                   = &customTaskExtensionResource{}
	_ resource.ResourceWithConfigure      = &customTaskExtensionResource{}
	_ resource.ResourceWithImportState    = &customTaskExtensionResource{}
	_ resource.ResourceWithIdentity       = &customTaskExtensionResource{}
	_ resource.ResourceWithValidateConfig = &customTaskExtensionResource{}
)

// customTaskExtensionIdentity is the resource identity (Terraform 1.12 and later).
var customTaskExtensionIdentity = identity.ByID("custom task extension")

// NewCustomTaskExtensionResource is the constructor registered with the provider.
func NewCustomTaskExtensionResource() resource.Resource {
	return &customTaskExtensionResource{}
}

type customTaskExtensionResource struct {
	client *graph.Client
}

type customTaskExtensionModel struct {
	ID                          types.String                   `tfsdk:"id"`
	DisplayName                 types.String                   `tfsdk:"display_name"`
	Description                 types.String                   `tfsdk:"description"`
	EndpointConfiguration       *customext.EndpointModel       `tfsdk:"endpoint_configuration"`
	AuthenticationConfiguration *customext.AuthenticationModel `tfsdk:"authentication_configuration"`
	ClientConfiguration         *customext.ClientModel         `tfsdk:"client_configuration"`
	CallbackConfiguration       *taskCallbackModel             `tfsdk:"callback_configuration"`
	CreatedByID                 types.String                   `tfsdk:"created_by_id"`
	CreatedDateTime             types.String                   `tfsdk:"created_date_time"`
	LastModifiedDateTime        types.String                   `tfsdk:"last_modified_date_time"`
}

type taskCallbackModel struct {
	TimeoutDuration  isoduration.Duration `tfsdk:"timeout_duration"`
	AuthorizedAppIDs types.Set            `tfsdk:"authorized_app_ids"`
}

func (r *customTaskExtensionResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_custom_task_extension"
}

func (r *customTaskExtensionResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a lifecycle workflows custom task extension (Graph `identityGovernance.customTaskExtension`, " +
			"`/identityGovernance/lifecycleWorkflows/customTaskExtensions`): an Azure Logic App that a workflow task " +
			"\"Run a Custom Task Extension\" (task definition `" + graph.CustomTaskExtensionDefinitionID + "`, argument " +
			"`" + graph.CustomTaskExtensionArgument + "`) calls. Needs `LifecycleWorkflows.ReadWrite.All` and a role on the Logic App.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The custom task extension's object id, also the import id and the value of a task's `customTaskExtensionID` argument.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"display_name": schema.StringAttribute{
				Required: true, MarkdownDescription: "The extension's name (`displayName`), unique in the tenant.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"description": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(""),
				MarkdownDescription: "What the extension does (`description`). Defaults to an empty string.",
			},
			"endpoint_configuration":       customext.EndpointAttribute(),
			"authentication_configuration": customext.AuthenticationAttribute(),
			"client_configuration":         customext.ClientAttribute(),
			"callback_configuration": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "Makes the task wait for the Logic App to resume it (`callbackConfiguration`, a " +
					"`customTaskExtensionCallbackConfiguration`). When omitted, the task does not wait.",
				Attributes: map[string]schema.Attribute{
					// Documented range: https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-customtaskextensioncallbackconfiguration?view=graph-rest-1.0
					"timeout_duration": schema.StringAttribute{
						CustomType: isoduration.DurationType{}, Required: true,
						MarkdownDescription: "How long the task waits for the callback (`timeoutDuration`): five minutes (`PT5M`) to three hours (`PT3H`), " +
							"an ISO 8601 duration such as `PT30M`; equivalent spellings (`PT1H`, `PT60M`) are the same value.",
						Validators: []validator.String{isoduration.Edm(), isoduration.AtLeast("PT5M"), isoduration.AtMost("PT3H")},
					},
					"authorized_app_ids": schema.SetAttribute{
						ElementType: types.StringType, Optional: true,
						MarkdownDescription: "The applications allowed to resume the task (`authorizedApps`): application (client) " +
							"ids or object ids. When omitted, none is named.",
						Validators: []validator.Set{setvalidator.ValueStringsAre(validators.GUID()), setvalidator.SizeAtLeast(1)},
					},
				},
			},
			"created_by_id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The id of the user (or application) that created the extension (`createdBy`).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"created_date_time": schema.StringAttribute{
				Computed: true, MarkdownDescription: "When the extension was created (RFC 3339, UTC).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"last_modified_date_time": schema.StringAttribute{
				Computed: true, MarkdownDescription: "When the extension was last changed (RFC 3339, UTC).",
			},
		},
	}
	resp.Schema = schematypes.Cache(resp.Schema)
}

func (r *customTaskExtensionResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	customext.ValidateAuthentication(ctx, req.Config, &resp.Diagnostics)
}

func (r *customTaskExtensionResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = customTaskExtensionIdentity.Schema()
}

func (r *customTaskExtensionResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func expandCustomTaskExtension(ctx context.Context, m customTaskExtensionModel) (graph.CustomTaskExtension, diag.Diagnostics) {
	var diags diag.Diagnostics
	out := graph.CustomTaskExtension{
		DisplayName: m.DisplayName.ValueString(), Description: m.Description.ValueString(),
		EndpointConfiguration:       customext.ExpandEndpoint(m.EndpointConfiguration),
		AuthenticationConfiguration: customext.ExpandAuthentication(m.AuthenticationConfiguration),
		ClientConfiguration:         customext.ExpandClient(m.ClientConfiguration),
	}
	if cb := m.CallbackConfiguration; cb != nil {
		out.CallbackConfiguration = &graph.ExtensionCallbackConfiguration{TimeoutDuration: cb.TimeoutDuration.EdmValue()}
		var ids []string
		diags.Append(cb.AuthorizedAppIDs.ElementsAs(ctx, &ids, false)...)
		for _, id := range ids {
			out.CallbackConfiguration.AuthorizedApps = append(out.CallbackConfiguration.AuthorizedApps, graph.IDRef{ID: id})
		}
	}
	return out, diags
}

// flattenCustomTaskExtension sets m from Graph's object; m holds what is configured (plan or prior state).
// Graph may answer the authorized apps, a navigation property, only when expanded: when the answer has
// none at all, the configured ones are kept.
func flattenCustomTaskExtension(ctx context.Context, ext *graph.CustomTaskExtension, m *customTaskExtensionModel, imported bool) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = types.StringValue(ext.ID)
	m.DisplayName = types.StringValue(ext.DisplayName)
	m.Description = types.StringValue(ext.Description)
	m.EndpointConfiguration = customext.FlattenEndpoint(ext.EndpointConfiguration)
	m.AuthenticationConfiguration = customext.FlattenAuthentication(ext.AuthenticationConfiguration)
	m.ClientConfiguration = customext.FlattenClient(ext.ClientConfiguration, m.ClientConfiguration, imported)
	prior := m.CallbackConfiguration
	m.CallbackConfiguration = nil
	if cb := ext.CallbackConfiguration; cb.Timeout() != "" {
		out := &taskCallbackModel{TimeoutDuration: isoduration.NewDurationValue(cb.Timeout()), AuthorizedAppIDs: types.SetNull(types.StringType)}
		switch {
		case len(cb.AuthorizedApps) > 0:
			ids := make([]string, len(cb.AuthorizedApps))
			for i, a := range cb.AuthorizedApps {
				ids[i] = a.ID
			}
			set, d := types.SetValueFrom(ctx, types.StringType, ids)
			diags.Append(d...)
			out.AuthorizedAppIDs = set
		case cb.AuthorizedApps == nil && prior != nil:
			out.AuthorizedAppIDs = prior.AuthorizedAppIDs
		}
		m.CallbackConfiguration = out
	}
	m.CreatedByID = types.StringNull()
	if ext.CreatedBy != nil && ext.CreatedBy.ID != "" {
		m.CreatedByID = types.StringValue(ext.CreatedBy.ID)
	}
	m.CreatedDateTime = types.StringValue(ext.CreatedDateTime)
	m.LastModifiedDateTime = types.StringValue(ext.LastModifiedDateTime)
	return diags
}

func (r *customTaskExtensionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer customTaskExtensionIdentity.Create(ctx, resp)
	var plan customTaskExtensionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in, diags := expandCustomTaskExtension(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	named := framework.NamedCreate{
		ResourceType: "entragov_custom_task_extension", Kind: "custom task extension",
		What: fmt.Sprintf("a custom task extension named %q", in.DisplayName),
		Find: func(ctx context.Context) ([]string, error) {
			found, err := r.client.ListCustomTaskExtensionsByName(ctx, in.DisplayName)
			ids := make([]string, len(found))
			for i, e := range found {
				ids[i] = e.ID
			}
			return ids, err
		},
	}
	if !framework.CheckNoDuplicate(ctx, r.client, &resp.Diagnostics, named) {
		return
	}
	start := time.Now()
	created, err := r.client.CreateCustomTaskExtension(ctx, in)
	if graph.IsAmbiguous(err) {
		listed := map[string]graph.CustomTaskExtension{}
		var id string
		id, err = r.client.AdoptAfterAmbiguousCreate(ctx, fmt.Sprintf("custom task extension %q", in.DisplayName), err, func(ctx context.Context) ([]string, error) {
			found, err := r.client.ListCustomTaskExtensionsByName(ctx, in.DisplayName)
			var ids []string
			for _, e := range found {
				if graph.CreatedSince(e.CreatedDateTime, start) {
					ids = append(ids, e.ID)
					listed[e.ID] = e
				}
			}
			return ids, err
		})
		if err == nil {
			e := listed[id]
			created = &e
		}
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to create custom task extension", err)
		return
	}
	// Keep the id before waiting, so a failure from here leaves a tainted resource, never an orphan.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), created.ID)...)
	if err := r.client.WaitForExistence(ctx, func(ctx context.Context) error {
		_, err := r.client.GetCustomTaskExtension(ctx, created.ID)
		return err
	}); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Custom task extension "+created.ID+" was created but could not be read back", err)
		return
	}
	if r.readInto(ctx, created.ID, &plan, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

func (r *customTaskExtensionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer customTaskExtensionIdentity.Read(ctx, req, resp)
	var state customTaskExtensionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	var ext *graph.CustomTaskExtension
	gone, err := r.client.RefreshRead(ctx, state.CreatedDateTime.ValueString(), func(ctx context.Context) (err error) {
		ext, err = r.client.GetCustomTaskExtension(ctx, id)
		return err
	})
	if gone {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read custom task extension "+id, err)
		return
	}
	resp.Diagnostics.Append(flattenCustomTaskExtension(ctx, ext, &state, state.DisplayName.IsNull())...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *customTaskExtensionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer customTaskExtensionIdentity.Update(ctx, resp)
	var plan, state customTaskExtensionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	in, diags := expandCustomTaskExtension(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.client.UpdateCustomTaskExtension(ctx, id, in); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to update custom task extension "+id, err)
		return
	}
	if r.readInto(ctx, id, &plan, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

func (r *customTaskExtensionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state customTaskExtensionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	if err := r.client.DeleteCustomTaskExtension(ctx, id); err != nil {
		r.explainRefusedDelete(ctx, id, err, &resp.Diagnostics)
		return
	}
	if err := r.client.WaitForDeletion(ctx, func(ctx context.Context) error {
		_, err := r.client.GetCustomTaskExtension(ctx, id)
		return err
	}); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Custom task extension "+id+" was deleted but is still readable", err)
	}
}

// explainRefusedDelete reports a refused delete. Graph keeps an extension that a workflow's task names
// (https://learn.microsoft.com/en-us/graph/api/identitygovernance-customtaskextension-delete?view=graph-rest-1.0),
// so a refusal names those workflows and what to do.
func (r *customTaskExtensionResource) explainRefusedDelete(ctx context.Context, id string, err error, diags *diag.Diagnostics) {
	if graph.IsBadRequest(err) || graph.IsConflict(err) {
		if users, lerr := r.client.WorkflowsUsingCustomTaskExtension(ctx, id); lerr == nil && len(users) > 0 {
			names := make([]string, len(users))
			for i, w := range users {
				names[i] = fmt.Sprintf("%q (%s)", w.DisplayName, w.ID)
			}
			diags.AddError("Custom task extension "+id+" is used by lifecycle workflows", fmt.Sprintf(
				"A task of these workflows runs the extension: %s. Remove those tasks (or destroy the workflows) first; when "+
					"the workflows are in the same configuration, refer to this resource's id in their task arguments so that "+
					"Terraform changes them first.\n\n%s", strings.Join(names, ", "), diagnostics.Detail(err)))
			return
		}
		// No workflow found (yet: a workflow made moments ago may not be listed): the usual cause still applies.
		diags.AddError("Unable to delete custom task extension "+id, "Graph refused the delete. It keeps an extension that "+
			"a task of a lifecycle workflow names in its customTaskExtensionID argument: remove those tasks (or destroy the "+
			"workflows) first.\n\n"+diagnostics.Detail(err))
		return
	}
	diagnostics.AddAPIError(diags, "Unable to delete custom task extension "+id, err)
}

func (r *customTaskExtensionResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("id"), req, resp)
}

// readInto reads the extension after a write into m; it reports whether m now holds what Graph holds.
func (r *customTaskExtensionResource) readInto(ctx context.Context, id string, m *customTaskExtensionModel, diags *diag.Diagnostics) bool {
	ext, err := r.client.GetCustomTaskExtension(ctx, id)
	if err != nil {
		diagnostics.AddAPIError(diags, "Custom task extension "+id+" was saved but could not be read back", err)
		return false
	}
	diags.Append(flattenCustomTaskExtension(ctx, ext, m, false)...)
	return !diags.HasError()
}
