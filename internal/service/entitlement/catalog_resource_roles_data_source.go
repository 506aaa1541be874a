package entitlement

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ datasource.DataSource              = &catalogResourceRolesDataSource{}
	_ datasource.DataSourceWithConfigure = &catalogResourceRolesDataSource{}
)

// NewCatalogResourceRolesDataSource is the constructor registered with the provider.
func NewCatalogResourceRolesDataSource() datasource.DataSource {
	return &catalogResourceRolesDataSource{}
}

type catalogResourceRolesDataSource struct {
	client *graph.Client
}

type catalogResourceRolesModel struct {
	CatalogID         types.String `tfsdk:"catalog_id"`
	CatalogResourceID types.String `tfsdk:"catalog_resource_id"`
	OriginSystem      types.String `tfsdk:"origin_system"`
	Roles             types.List   `tfsdk:"roles"`
}

func (d *catalogResourceRolesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_catalog_resource_roles"
}

func (d *catalogResourceRolesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the roles of one catalog resource (Graph `accessPackageResourceRole`), so that app-role " +
			"ids and SharePoint site-group numbers can be found by name for role scopes. Needs `EntitlementManagement.Read.All`.",
		Attributes: map[string]schema.Attribute{
			"catalog_id": schema.StringAttribute{
				Required: true, MarkdownDescription: "The catalog that holds the resource.",
				Validators: []validator.String{validators.GUID()},
			},
			"catalog_resource_id": schema.StringAttribute{
				Required: true, MarkdownDescription: "The catalog resource's `id` (from `entragov_catalog_resource`).",
				Validators: []validator.String{validators.GUID()},
			},
			"origin_system": schema.StringAttribute{Computed: true, MarkdownDescription: "The resource's origin system."},
			"roles": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The roles, in Graph's order.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":           schema.StringAttribute{Computed: true, MarkdownDescription: "The catalog role id."},
					"origin_id":    schema.StringAttribute{Computed: true, MarkdownDescription: "The role's id in the origin system: use it as `role_origin_id`."},
					"display_name": schema.StringAttribute{Computed: true, MarkdownDescription: "The role's name."},
					"description":  schema.StringAttribute{Computed: true, MarkdownDescription: "The role's description."},
				}},
			},
		},
	}
}

func (d *catalogResourceRolesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *catalogResourceRolesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg catalogResourceRolesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	catalogID, resourceID := cfg.CatalogID.ValueString(), cfg.CatalogResourceID.ValueString()
	res, err := d.client.GetCatalogResource(ctx, catalogID, resourceID)
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("catalog_resource_id"), "Catalog resource not found",
			fmt.Sprintf("Catalog %s holds no resource %s.", catalogID, resourceID))
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read catalog resource "+resourceID, err)
		return
	}
	// The documented roles listing, rather than the expanded resource: it is what Graph supports for
	// every origin system.
	roles, err := d.client.ListCatalogResourceRoles(ctx, catalogID, res.OriginSystem, resourceID)
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to list the roles of catalog resource "+resourceID, err)
		return
	}
	var model catalogResourceModel
	res.Roles = roles
	resp.Diagnostics.Append(flattenCatalogResource(res, &model)...)
	cfg.OriginSystem = types.StringValue(res.OriginSystem)
	cfg.Roles = model.Roles
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
