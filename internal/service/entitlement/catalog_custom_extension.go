package entitlement

import (
	"context"
	"fmt"
	"strings"

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
	_ resource.Resource                   = &catalogCustomExtensionResource{}
	_ resource.ResourceWithConfigure      = &catalogCustomExtensionResource{}
	_ resource.ResourceWithImportState    = &catalogCustomExtensionResource{}
	_ resource.ResourceWithIdentity       = &catalogCustomExtensionResource{}
	_ resource.ResourceWithValidateConfig = &catalogCustomExtensionResource{}
)

// catalogCustomExtensionIdentity is the resource identity (Terraform 1.12 and later): the extension's id
// under its catalog.
var catalogCustomExtensionIdentity = identity.Spec{
	{Name: "catalog_id", Description: "The id of the catalog the custom extension belongs to."},
	{Name: "id", Description: "The custom extension's Graph id."},
}

// NewCatalogCustomExtensionResource is the constructor registered with the provider.
func NewCatalogCustomExtensionResource() resource.Resource {
	return &catalogCustomExtensionResource{}
}

type catalogCustomExtensionResource struct {
	client *graph.Client
}

type catalogCustomExtensionModel struct {
	ID                          types.String                   `tfsdk:"id"`
	CatalogID                   types.String                   `tfsdk:"catalog_id"`
	Type                        types.String                   `tfsdk:"type"`
	DisplayName                 types.String                   `tfsdk:"display_name"`
	Description                 types.String                   `tfsdk:"description"`
	EndpointConfiguration       *customext.EndpointModel       `tfsdk:"endpoint_configuration"`
	AuthenticationConfiguration *customext.AuthenticationModel `tfsdk:"authentication_configuration"`
	ClientConfiguration         *customext.ClientModel         `tfsdk:"client_configuration"`
	CallbackConfiguration       *catalogExtensionCallbackModel `tfsdk:"callback_configuration"`
	CreatedBy                   types.String                   `tfsdk:"created_by"`
	CreatedDateTime             types.String                   `tfsdk:"created_date_time"`
	LastModifiedBy              types.String                   `tfsdk:"last_modified_by"`
	LastModifiedDateTime        types.String                   `tfsdk:"last_modified_date_time"`
}

type catalogExtensionCallbackModel struct {
	TimeoutDuration isoduration.Duration `tfsdk:"timeout_duration"`
}

func (r *catalogCustomExtensionResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_catalog_custom_extension"
}

func (r *catalogCustomExtensionResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	computedString := func(desc string, keep bool) schema.StringAttribute {
		a := schema.StringAttribute{Computed: true, MarkdownDescription: desc}
		if keep {
			a.PlanModifiers = []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
		}
		return a
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a custom workflow extension of a catalog (Graph `accessPackageAssignmentRequestWorkflowExtension` " +
			"or `accessPackageAssignmentWorkflowExtension`, under `/identityGovernance/entitlementManagement/catalogs/{catalogId}/customWorkflowExtensions`): " +
			"an Azure Logic App that the catalog's assignment policies call at the stages of a request or of an assignment " +
			"(`custom_extension_stage_settings` of `entragov_assignment_policy`). Needs `EntitlementManagement.ReadWrite.All` " +
			"and a role on the Logic App.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The custom extension's object id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"catalog_id": schema.StringAttribute{
				Required: true, MarkdownDescription: "The catalog that holds the extension. Changing it replaces the extension.",
				Validators:    []validator.String{validators.GUID()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"type": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The kind of extension (its `@odata.type`): `accessPackageAssignmentRequestWorkflowExtension` " +
					"(called at the request stages: created, approved, granted, removed; it may wait for a callback) or " +
					"`accessPackageAssignmentWorkflowExtension` (called 14 days and 1 day before an assignment expires). " +
					"Changing it replaces the extension.",
				Validators:    []validator.String{stringvalidator.OneOf(graph.CustomWorkflowExtensionTypes...)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"display_name": schema.StringAttribute{
				Required: true, MarkdownDescription: "The extension's name (`displayName`).",
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
				MarkdownDescription: "Makes the request wait for the Logic App to call back (`callbackConfiguration`); only an " +
					"`accessPackageAssignmentRequestWorkflowExtension` takes it. When omitted, Graph does not wait.",
				Attributes: map[string]schema.Attribute{
					// Documented range in entitlement management: five minutes to 14 days
					// (https://learn.microsoft.com/en-us/graph/api/resources/customextensioncallbackconfiguration?view=graph-rest-1.0).
					"timeout_duration": durationAttribute("How long Graph waits for the callback (`timeoutDuration`): five minutes (`PT5M`) to 14 days (`P14D`).", true,
						isoduration.AtLeast("PT5M"), isoduration.AtMost("P14D")),
				},
			},
			"created_by":              computedString("Who created the extension (`createdBy`).", true),
			"created_date_time":       computedString("When the extension was created (RFC 3339, UTC).", true),
			"last_modified_by":        computedString("Who last changed the extension (`lastModifiedBy`).", false),
			"last_modified_date_time": computedString("When the extension was last changed (RFC 3339, UTC).", false),
		},
	}
	resp.Schema = schematypes.Cache(resp.Schema)
}

// ValidateConfig checks the authentication fields and that only a request extension has a callback.
func (r *catalogCustomExtensionResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	customext.ValidateAuthentication(ctx, req.Config, &resp.Diagnostics)
	var typ types.String
	var callback *catalogExtensionCallbackModel
	if req.Config.GetAttribute(ctx, path.Root("type"), &typ).HasError() ||
		req.Config.GetAttribute(ctx, path.Root("callback_configuration"), &callback).HasError() {
		return
	}
	if callback != nil && known(typ) && typ.ValueString() != graph.RequestWorkflowExtensionType {
		resp.Diagnostics.AddAttributeError(path.Root("callback_configuration"), "Callback not allowed for this extension type",
			fmt.Sprintf("Attribute callback_configuration: only an %s waits for a callback; remove it from this %s.",
				graph.RequestWorkflowExtensionType, typ.ValueString()))
	}
}

func (r *catalogCustomExtensionResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = catalogCustomExtensionIdentity.Schema()
}

func (r *catalogCustomExtensionResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func expandCatalogCustomExtension(m catalogCustomExtensionModel) graph.CustomWorkflowExtension {
	out := graph.CustomWorkflowExtension{
		Type: m.Type.ValueString(), DisplayName: m.DisplayName.ValueString(), Description: m.Description.ValueString(),
		EndpointConfiguration:       customext.ExpandEndpoint(m.EndpointConfiguration),
		AuthenticationConfiguration: customext.ExpandAuthentication(m.AuthenticationConfiguration),
		ClientConfiguration:         customext.ExpandClient(m.ClientConfiguration),
	}
	if m.CallbackConfiguration != nil {
		out.CallbackConfiguration = &graph.ExtensionCallbackConfiguration{TimeoutDuration: m.CallbackConfiguration.TimeoutDuration.EdmValue()}
	}
	return out
}

// flattenCatalogCustomExtension sets m from Graph's object; m holds what is configured (plan or prior
// state), which decides the client configuration fields left to the service (customext.FlattenClient).
func flattenCatalogCustomExtension(ext *graph.CustomWorkflowExtension, catalogID string, m *catalogCustomExtensionModel, imported bool) {
	m.ID = types.StringValue(ext.ID)
	m.CatalogID = types.StringValue(catalogID)
	m.Type = types.StringValue(ext.Type)
	m.DisplayName = types.StringValue(ext.DisplayName)
	m.Description = types.StringValue(ext.Description)
	m.EndpointConfiguration = customext.FlattenEndpoint(ext.EndpointConfiguration)
	m.AuthenticationConfiguration = customext.FlattenAuthentication(ext.AuthenticationConfiguration)
	m.ClientConfiguration = customext.FlattenClient(ext.ClientConfiguration, m.ClientConfiguration, imported)
	m.CallbackConfiguration = nil
	if d := ext.CallbackConfiguration.Timeout(); d != "" {
		m.CallbackConfiguration = &catalogExtensionCallbackModel{TimeoutDuration: isoduration.NewDurationValue(d)}
	}
	m.CreatedBy = types.StringValue(ext.CreatedBy)
	m.CreatedDateTime = types.StringValue(ext.CreatedDateTime)
	m.LastModifiedBy = types.StringValue(ext.LastModifiedBy)
	m.LastModifiedDateTime = types.StringValue(ext.LastModifiedDateTime)
}

func (r *catalogCustomExtensionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer catalogCustomExtensionIdentity.Create(ctx, resp)
	var plan catalogCustomExtensionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	catalogID := plan.CatalogID.ValueString()
	in := expandCatalogCustomExtension(plan)
	named := framework.NamedCreate{
		ResourceType: "entragov_catalog_custom_extension", Kind: "custom extension",
		What:     fmt.Sprintf("a custom extension named %q in catalog %s", in.DisplayName, catalogID),
		ImportID: func(id string) string { return catalogID + "/" + id },
		Find: func(ctx context.Context) ([]string, error) {
			found, err := r.client.ListCustomWorkflowExtensionsByName(ctx, catalogID, in.DisplayName)
			return idsOf(found, func(e graph.CustomWorkflowExtension) string { return e.ID }), err
		},
	}
	if !framework.CheckNoDuplicate(ctx, r.client, &resp.Diagnostics, named) {
		return
	}
	start := r.client.StartCreate()
	created, err := r.client.CreateCustomWorkflowExtension(ctx, catalogID, in)
	if graph.IsAmbiguous(err) {
		created, err = adoptByName(ctx, r.client, fmt.Sprintf("custom extension %q", in.DisplayName), err, start,
			func(ctx context.Context) ([]graph.CustomWorkflowExtension, error) {
				return r.client.ListCustomWorkflowExtensionsByName(ctx, catalogID, in.DisplayName)
			},
			func(e graph.CustomWorkflowExtension) (string, string) { return e.ID, e.CreatedDateTime })
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to create custom extension", err)
		return
	}
	// Keep the id before waiting, so a failure from here leaves a tainted resource, never an orphan.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), created.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("catalog_id"), catalogID)...)
	read := func(ctx context.Context) error {
		_, err := r.client.GetCustomWorkflowExtension(ctx, catalogID, created.ID)
		return err
	}
	if err := r.client.WaitForExistence(ctx, read); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Custom extension "+created.ID+" was created but could not be read back", err)
		return
	}
	if !createdAlone(ctx, r.client, resp, named, created.ID,
		func(ctx context.Context) error {
			return r.client.DeleteCustomWorkflowExtension(ctx, catalogID, created.ID)
		}, read) {
		return
	}
	if r.readInto(ctx, catalogID, created.ID, &plan, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

func (r *catalogCustomExtensionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer catalogCustomExtensionIdentity.Read(ctx, req, resp)
	var state catalogCustomExtensionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	catalogID, id := state.CatalogID.ValueString(), state.ID.ValueString()
	var ext *graph.CustomWorkflowExtension
	gone, err := r.client.RefreshRead(ctx, state.CreatedDateTime.ValueString(), func(ctx context.Context) (err error) {
		ext, err = r.client.GetCustomWorkflowExtension(ctx, catalogID, id)
		return err
	})
	if gone {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read custom extension "+id, err)
		return
	}
	// An import leaves everything but the ids null: Graph's client configuration is then taken whole.
	imported := state.DisplayName.IsNull()
	flattenCatalogCustomExtension(ext, catalogID, &state, imported)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *catalogCustomExtensionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer catalogCustomExtensionIdentity.Update(ctx, resp)
	var plan, state catalogCustomExtensionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	catalogID, id := state.CatalogID.ValueString(), state.ID.ValueString()
	if err := r.client.UpdateCustomWorkflowExtension(ctx, catalogID, id, expandCatalogCustomExtension(plan)); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to update custom extension "+id, err)
		return
	}
	if r.readInto(ctx, catalogID, id, &plan, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
}

func (r *catalogCustomExtensionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state catalogCustomExtensionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	catalogID, id := state.CatalogID.ValueString(), state.ID.ValueString()
	err := r.client.DeleteCustomWorkflowExtension(ctx, catalogID, id)
	if err != nil {
		r.explainRefusedDelete(ctx, id, err, &resp.Diagnostics)
		return
	}
	if err := r.client.WaitForDeletion(ctx, func(ctx context.Context) error {
		_, err := r.client.GetCustomWorkflowExtension(ctx, catalogID, id)
		return err
	}); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Custom extension "+id+" was deleted but is still readable", err)
	}
}

// explainRefusedDelete reports a refused delete. Graph keeps an extension that assignment policies use
// (the local API answers 400; the reference pages do not say how the service refuses), so a refusal
// names the policies that still use it and what to do.
func (r *catalogCustomExtensionResource) explainRefusedDelete(ctx context.Context, id string, err error, diags *diag.Diagnostics) {
	if graph.IsBadRequest(err) || graph.IsConflict(err) {
		if users, lerr := r.client.PoliciesUsingCustomWorkflowExtension(ctx, id); lerr == nil && len(users) > 0 {
			names := make([]string, len(users))
			for i, p := range users {
				names[i] = fmt.Sprintf("%q (%s)", p.DisplayName, p.ID)
			}
			diags.AddError("Custom extension "+id+" is used by assignment policies", fmt.Sprintf(
				"The extension is named in the custom_extension_stage_settings of: %s. Remove it from those "+
					"policies (or destroy them) first; when the policies are in the same configuration, refer to this "+
					"resource's id from them so that Terraform deletes the policies first.\n\n%s",
				strings.Join(names, ", "), diagnostics.Detail(err)))
			return
		}
		// No policy found (yet: a policy made moments ago may not be listed): the usual cause still applies.
		diags.AddError("Unable to delete custom extension "+id, "Graph refused the delete. It keeps an extension that "+
			"assignment policies name in their custom_extension_stage_settings: remove it from those policies (or destroy "+
			"them) first.\n\n"+diagnostics.Detail(err))
		return
	}
	diagnostics.AddAPIError(diags, "Unable to delete custom extension "+id, err)
}

// ImportState takes "<catalog_id>/<id>", or an identity with both.
func (r *catalogCustomExtensionResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	catalogID, id, ok := strings.Cut(req.ID, "/")
	if req.ID == "" {
		values, diags := catalogCustomExtensionIdentity.Values(ctx, req)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		catalogID, id, ok = values["catalog_id"], values["id"], true
	}
	if !ok || !validators.IsGUID(catalogID) || id == "" || strings.Contains(id, "/") {
		resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf("Expected <catalog_id>/<custom_extension_id>; got %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("catalog_id"), catalogID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}

// readInto reads the extension after a write into m; it reports whether m now holds what Graph holds.
func (r *catalogCustomExtensionResource) readInto(ctx context.Context, catalogID, id string, m *catalogCustomExtensionModel, diags *diag.Diagnostics) bool {
	ext, err := r.client.GetCustomWorkflowExtension(ctx, catalogID, id)
	if err != nil {
		diagnostics.AddAPIError(diags, "Custom extension "+id+" was saved but could not be read back", err)
		return false
	}
	flattenCatalogCustomExtension(ext, catalogID, m, false)
	return true
}
