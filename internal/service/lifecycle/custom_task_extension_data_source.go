package lifecycle

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
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
	_ datasource.DataSource                     = &customTaskExtensionDataSource{}
	_ datasource.DataSourceWithConfigure        = &customTaskExtensionDataSource{}
	_ datasource.DataSourceWithConfigValidators = &customTaskExtensionDataSource{}
)

// NewCustomTaskExtensionDataSource is the constructor registered with the provider.
func NewCustomTaskExtensionDataSource() datasource.DataSource {
	return &customTaskExtensionDataSource{}
}

type customTaskExtensionDataSource struct {
	client *graph.Client
}

func (d *customTaskExtensionDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_custom_task_extension"
}

func (d *customTaskExtensionDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	var rs resource.SchemaResponse
	(&customTaskExtensionResource{}).Schema(ctx, resource.SchemaRequest{}, &rs)
	resp.Schema = schemaconv.DataSource(rs.Schema,
		"Reads a lifecycle workflows custom task extension (Graph `identityGovernance.customTaskExtension`) by id or by "+
			"exact display name, for the `customTaskExtensionID` argument of a task \"Run a Custom Task Extension\". Needs "+
			"`LifecycleWorkflows.Read.All`.",
		map[string][]validator.String{
			"id":           {validators.GUID()},
			"display_name": {stringvalidator.LengthAtLeast(1)},
		})
}

func (d *customTaskExtensionDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("display_name"))}
}

func (d *customTaskExtensionDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *customTaskExtensionDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg customTaskExtensionModel
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &cfg.ID)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("display_name"), &cfg.DisplayName)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := cfg.ID.ValueString()
	if !known(cfg.ID) {
		name := cfg.DisplayName.ValueString()
		matches, err := d.client.ListCustomTaskExtensionsByName(ctx, name)
		if err != nil {
			diagnostics.AddAPIError(&resp.Diagnostics, "Unable to look up custom task extensions named "+name, err)
			return
		}
		var ids []string
		for _, m := range matches {
			if m.DisplayName == name {
				ids = append(ids, m.ID)
			}
		}
		switch len(ids) {
		case 0:
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "Custom task extension not found",
				fmt.Sprintf("No custom task extension is named %q.", name))
			return
		case 1:
			id = ids[0]
		default:
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "More than one custom task extension matches",
				fmt.Sprintf("%d custom task extensions are named %q: %s. Use id.", len(ids), name, strings.Join(ids, ", ")))
			return
		}
	}
	ext, err := d.client.GetCustomTaskExtension(ctx, id)
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Custom task extension not found", fmt.Sprintf("No custom task extension has the id %q.", id))
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read custom task extension "+id, err)
		return
	}
	var state customTaskExtensionModel
	resp.Diagnostics.Append(flattenCustomTaskExtension(ctx, ext, &state, true)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
