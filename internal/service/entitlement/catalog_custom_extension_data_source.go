package entitlement

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/schemaconv"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ datasource.DataSource                     = &catalogCustomExtensionDataSource{}
	_ datasource.DataSourceWithConfigure        = &catalogCustomExtensionDataSource{}
	_ datasource.DataSourceWithConfigValidators = &catalogCustomExtensionDataSource{}
)

// NewCatalogCustomExtensionDataSource is the constructor registered with the provider.
func NewCatalogCustomExtensionDataSource() datasource.DataSource {
	return &catalogCustomExtensionDataSource{}
}

type catalogCustomExtensionDataSource struct {
	client *graph.Client
}

func (d *catalogCustomExtensionDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_catalog_custom_extension"
}

func (d *catalogCustomExtensionDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	var rs resource.SchemaResponse
	(&catalogCustomExtensionResource{}).Schema(ctx, resource.SchemaRequest{}, &rs)
	s := schemaconv.DataSource(rs.Schema,
		"Reads a custom workflow extension of a catalog (Graph `accessPackageAssignmentRequestWorkflowExtension` or "+
			"`accessPackageAssignmentWorkflowExtension`) by id or by exact display name, for an assignment policy's "+
			"`custom_extension_stage_settings`. Needs `EntitlementManagement.Read.All`.",
		map[string][]validator.String{
			"id":           {stringvalidator.LengthAtLeast(1)},
			"display_name": {stringvalidator.LengthAtLeast(1)},
		})
	s.Attributes["catalog_id"] = dschema.StringAttribute{
		Required: true, MarkdownDescription: "The catalog that holds the extension.",
		Validators: []validator.String{validators.GUID()},
	}
	resp.Schema = s
}

func (d *catalogCustomExtensionDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("display_name"))}
}

func (d *catalogCustomExtensionDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *catalogCustomExtensionDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg catalogCustomExtensionModel
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &cfg.ID)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("display_name"), &cfg.DisplayName)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("catalog_id"), &cfg.CatalogID)...)
	if resp.Diagnostics.HasError() {
		return
	}
	catalogID, id := cfg.CatalogID.ValueString(), cfg.ID.ValueString()
	if !known(cfg.ID) {
		name := cfg.DisplayName.ValueString()
		matches, err := d.client.ListCustomWorkflowExtensionsByName(ctx, catalogID, name)
		if err != nil {
			diagnostics.AddAPIError(&resp.Diagnostics, "Unable to look up custom extensions named "+name, err)
			return
		}
		exact := matches[:0]
		for _, m := range matches {
			if m.DisplayName == name {
				exact = append(exact, m)
			}
		}
		switch len(exact) {
		case 0:
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "Custom extension not found",
				fmt.Sprintf("No custom extension of catalog %s is named %q.", catalogID, name))
			return
		case 1:
			id = exact[0].ID
		default:
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "More than one custom extension matches",
				fmt.Sprintf("%d custom extensions of catalog %s are named %q: %s. Use id.", len(exact), catalogID, name,
					strings.Join(idsOf(exact, func(e graph.CustomWorkflowExtension) string { return e.ID }), ", ")))
			return
		}
	}
	ext, err := d.client.GetCustomWorkflowExtension(ctx, catalogID, id)
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Custom extension not found",
			fmt.Sprintf("Catalog %s has no custom extension with the id %q.", catalogID, id))
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read custom extension "+id, err)
		return
	}
	var state catalogCustomExtensionModel
	flattenCatalogCustomExtension(ext, catalogID, &state, true)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
