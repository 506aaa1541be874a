package entitlement

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/identity"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ resource.Resource                = &catalogResource{}
	_ resource.ResourceWithConfigure   = &catalogResource{}
	_ resource.ResourceWithImportState = &catalogResource{}
	_ resource.ResourceWithIdentity    = &catalogResource{}
)

// catalogIdentity is the resource identity (Terraform 1.12 and later).
var catalogIdentity = identity.ByID("catalog")

// NewCatalogResource is the constructor registered with the provider.
func NewCatalogResource() resource.Resource {
	return &catalogResource{}
}

type catalogResource struct {
	client *graph.Client
}

type catalogModel struct {
	ID                types.String `tfsdk:"id"`
	DisplayName       types.String `tfsdk:"display_name"`
	Description       types.String `tfsdk:"description"`
	State             types.String `tfsdk:"state"`
	ExternallyVisible types.Bool   `tfsdk:"externally_visible"`
	CatalogType       types.String `tfsdk:"catalog_type"`
	CreatedDateTime   types.String `tfsdk:"created_date_time"`
	ModifiedDateTime  types.String `tfsdk:"modified_date_time"`
}

func (r *catalogResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_catalog"
}

func (r *catalogResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages an access package catalog (Graph `accessPackageCatalog`): a container of " +
			"resources and access packages with its own delegated administrators. Needs the application permission " +
			"`EntitlementManagement.ReadWrite.All`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The catalog's object id (a GUID), also the import id.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"display_name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The catalog's name as requestors and approvers see it (`displayName`).",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"description": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(""),
				MarkdownDescription: "What the catalog is for (`description`). Defaults to an empty string, which Graph accepts.",
			},
			"state": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Whether the access packages in the catalog can be requested: `published` or " +
					"`unpublished` (`state`). When omitted, the service's default (`published`) is kept.",
				Validators:    []validator.String{stringvalidator.OneOf(graph.CatalogStates...)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"externally_visible": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Whether users outside the tenant (for example from connected organizations) can " +
					"request the catalog's access packages (`isExternallyVisible`). When omitted, the service's default is kept.",
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"catalog_type": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Who manages the catalog (`catalogType`): `userManaged` for catalogs created " +
					"through the API, `serviceDefault` for the built-in General catalog.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"created_date_time": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the catalog was created (RFC 3339, UTC).",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"modified_date_time": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the catalog was last changed (RFC 3339, UTC).",
			},
		},
	}
}

func (r *catalogResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = catalogIdentity.Schema()
}

func (r *catalogResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *catalogResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer catalogIdentity.Create(ctx, resp)
	var plan catalogModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := plan.DisplayName.ValueString()
	named := framework.NamedCreate{
		ResourceType: "entragov_catalog", Kind: "catalog", What: fmt.Sprintf("a catalog named %q", name),
		Find: func(ctx context.Context) ([]string, error) {
			found, err := r.client.ListCatalogsByName(ctx, name)
			return idsOf(found, func(c graph.Catalog) string { return c.ID }), err
		},
	}
	if !framework.CheckNoDuplicate(ctx, r.client, &resp.Diagnostics, named) {
		return
	}
	start := r.client.StartCreate()
	created, err := r.client.CreateCatalog(ctx, expandCatalogCreate(plan))
	if graph.IsAmbiguous(err) {
		created, err = adoptCatalog(ctx, r.client, plan.DisplayName.ValueString(), start, err)
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to create catalog", err)
		return
	}
	// Keep the new id in state before anything else can fail, so the catalog is never orphaned:
	// a failed wait below leaves a tainted resource that the next apply replaces or cleans up.
	flattenCatalog(created, &plan)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)

	var current *graph.Catalog
	err = r.client.WaitForExistence(ctx, func(ctx context.Context) error {
		var err error
		current, err = r.client.GetCatalog(ctx, created.ID)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Catalog "+created.ID+" was created but could not be read back", err)
		return
	}
	if !createdAlone(ctx, r.client, resp, named, created.ID, func(ctx context.Context) error { return r.client.DeleteCatalog(ctx, created.ID) },
		func(ctx context.Context) error { _, err := r.client.GetCatalog(ctx, created.ID); return err }) {
		return
	}
	flattenCatalog(current, &plan)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *catalogResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer catalogIdentity.Read(ctx, req, resp)
	var state catalogModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var current *graph.Catalog
	gone, err := r.client.RefreshRead(ctx, state.CreatedDateTime.ValueString(), func(ctx context.Context) (err error) {
		current, err = r.client.GetCatalog(ctx, state.ID.ValueString())
		return err
	})
	if gone {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read catalog "+state.ID.ValueString(), err)
		return
	}
	flattenCatalog(current, &state)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *catalogResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer catalogIdentity.Update(ctx, resp)
	var plan, state catalogModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	if patch, changed := expandCatalogUpdate(plan, state); changed {
		if err := r.client.UpdateCatalog(ctx, id, patch); err != nil {
			diagnostics.AddAPIError(&resp.Diagnostics, "Unable to update catalog "+id, err)
			return
		}
	}
	current, err := r.client.GetCatalog(ctx, id)
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Catalog "+id+" was updated but could not be read back", err)
		return
	}
	flattenCatalog(current, &plan)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *catalogResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state catalogModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	deleteAndWait(ctx, r.client, &resp.Diagnostics, "catalog "+id,
		func(ctx context.Context) error { return r.client.DeleteCatalog(ctx, id) },
		func(ctx context.Context) error {
			_, err := r.client.GetCatalog(ctx, id)
			return err
		})
}

func (r *catalogResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("id"), req, resp)
}

// expandCatalogCreate builds the POST body. Optional+Computed values the user left out are not sent, so
// the service's own defaults apply.
func expandCatalogCreate(m catalogModel) graph.CatalogCreate {
	in := graph.CatalogCreate{
		DisplayName: m.DisplayName.ValueString(),
		Description: m.Description.ValueString(),
	}
	if known(m.State) {
		in.State = m.State.ValueString()
	}
	if !m.ExternallyVisible.IsNull() && !m.ExternallyVisible.IsUnknown() {
		v := m.ExternallyVisible.ValueBool()
		in.IsExternallyVisible = &v
	}
	return in
}

// expandCatalogUpdate builds a PATCH body holding only what changed.
func expandCatalogUpdate(plan, state catalogModel) (graph.CatalogUpdate, bool) {
	var patch graph.CatalogUpdate
	changed := false
	if !plan.DisplayName.Equal(state.DisplayName) {
		patch.DisplayName, changed = plan.DisplayName.ValueStringPointer(), true
	}
	if !plan.Description.Equal(state.Description) {
		patch.Description, changed = plan.Description.ValueStringPointer(), true
	}
	if known(plan.State) && !plan.State.Equal(state.State) {
		patch.State, changed = plan.State.ValueStringPointer(), true
	}
	if !plan.ExternallyVisible.IsNull() && !plan.ExternallyVisible.IsUnknown() && !plan.ExternallyVisible.Equal(state.ExternallyVisible) {
		patch.IsExternallyVisible, changed = plan.ExternallyVisible.ValueBoolPointer(), true
	}
	return patch, changed
}

// flattenCatalog copies a Graph catalog into the model.
func flattenCatalog(c *graph.Catalog, m *catalogModel) {
	m.ID = types.StringValue(c.ID)
	m.DisplayName = types.StringValue(c.DisplayName)
	m.Description = types.StringValue(c.Description)
	m.State = types.StringValue(c.State)
	m.ExternallyVisible = types.BoolPointerValue(c.IsExternallyVisible)
	m.CatalogType = types.StringValue(c.CatalogType)
	m.CreatedDateTime = types.StringValue(c.CreatedDateTime)
	m.ModifiedDateTime = types.StringValue(c.ModifiedDateTime)
}

// adoptCatalog finds the catalog a create whose answer was lost made: the same name, created since.
func adoptCatalog(ctx context.Context, c *graph.Client, name string, start graph.CreateStart, cause error) (*graph.Catalog, error) {
	return adoptByName(ctx, c, fmt.Sprintf("catalog %q", name), cause, start,
		func(ctx context.Context) ([]graph.Catalog, error) { return c.ListCatalogsByName(ctx, name) },
		func(cat graph.Catalog) (string, string) { return cat.ID, cat.CreatedDateTime })
}
