package entitlement

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ datasource.DataSource              = &catalogRoleDefinitionsDataSource{}
	_ datasource.DataSourceWithConfigure = &catalogRoleDefinitionsDataSource{}
)

// NewCatalogRoleDefinitionsDataSource is the constructor registered with the provider.
func NewCatalogRoleDefinitionsDataSource() datasource.DataSource {
	return &catalogRoleDefinitionsDataSource{}
}

type catalogRoleDefinitionsDataSource struct {
	client *graph.Client
}

type catalogRoleDefinitionsModel struct {
	DisplayName     types.String `tfsdk:"display_name"`
	RoleDefinitions types.List   `tfsdk:"role_definitions"`
	ByName          types.Map    `tfsdk:"by_name"`
}

// roleDefinitionAttrTypes is one role definition, in the list and in the map.
var roleDefinitionAttrTypes = map[string]attr.Type{
	"id":           types.StringType,
	"display_name": types.StringType,
	"description":  types.StringType,
	"built_in":     types.BoolType,
	"enabled":      types.BoolType,
}

func (d *catalogRoleDefinitionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_catalog_role_definitions"
}

func (d *catalogRoleDefinitionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	definition := map[string]schema.Attribute{
		"id":           schema.StringAttribute{Computed: true, MarkdownDescription: "The role definition's id: `role_definition_id` of `entragov_catalog_role_assignment`."},
		"display_name": schema.StringAttribute{Computed: true, MarkdownDescription: "The role's name, e.g. `Catalog owner`."},
		"description":  schema.StringAttribute{Computed: true, MarkdownDescription: "The role's description."},
		"built_in":     schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the role is built in (`isBuiltIn`)."},
		"enabled":      schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the role is enabled (`isEnabled`)."},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the role definitions of entitlement management (Graph `unifiedRoleDefinition` in " +
			"`roleManagement/entitlementManagement/roleDefinitions`): Catalog owner, Catalog reader, AccessPackages manager, " +
			"AccessPackage assignment manager and Catalog creator, so that `entragov_catalog_role_assignment` can name " +
			"a role by its name. Needs `EntitlementManagement.Read.All`.",
		Attributes: map[string]schema.Attribute{
			"display_name": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only the role definition with this exact name. When set and no role has the name, " +
					"reading fails. When omitted, every role definition is listed.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"role_definitions": schema.ListNestedAttribute{
				Computed: true, MarkdownDescription: "The role definitions, in Graph's order.",
				NestedObject: schema.NestedAttributeObject{Attributes: definition},
			},
			"by_name": schema.MapNestedAttribute{
				Computed: true,
				MarkdownDescription: "The same role definitions keyed by display name, e.g. " +
					"`by_name[\"Catalog owner\"].id`.",
				NestedObject: schema.NestedAttributeObject{Attributes: definition},
			},
		},
	}
}

func (d *catalogRoleDefinitionsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *catalogRoleDefinitionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg catalogRoleDefinitionsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := cfg.DisplayName.ValueString()
	found, err := d.client.ListRoleDefinitions(ctx, name)
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to list the entitlement management role definitions", err)
		return
	}
	if name != "" && len(found) == 0 {
		all, _ := d.client.ListRoleDefinitions(ctx, "")
		names := make([]string, 0, len(all))
		for _, def := range all {
			names = append(names, fmt.Sprintf("%q", def.DisplayName))
		}
		resp.Diagnostics.AddAttributeError(path.Root("display_name"), "Role definition not found",
			fmt.Sprintf("Entitlement management has no role definition named %q. Its role definitions are: %s.", name, strings.Join(names, ", ")))
		return
	}
	objType := types.ObjectType{AttrTypes: roleDefinitionAttrTypes}
	list := make([]attr.Value, 0, len(found))
	byName := make(map[string]attr.Value, len(found))
	for _, def := range found {
		obj, diags := types.ObjectValue(roleDefinitionAttrTypes, map[string]attr.Value{
			"id": types.StringValue(def.ID), "display_name": types.StringValue(def.DisplayName),
			"description": types.StringValue(def.Description), "built_in": types.BoolValue(def.IsBuiltIn),
			"enabled": types.BoolValue(def.IsEnabled),
		})
		resp.Diagnostics.Append(diags...)
		list = append(list, obj)
		if _, dup := byName[def.DisplayName]; !dup {
			byName[def.DisplayName] = obj // the first of two with one name, as Graph orders them
		}
	}
	l, dl := types.ListValue(objType, list)
	resp.Diagnostics.Append(dl...)
	m, dm := types.MapValue(objType, byName)
	resp.Diagnostics.Append(dm...)
	cfg.RoleDefinitions, cfg.ByName = l, m
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
