package entitlement

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
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
	_ datasource.DataSource                     = &accessPackageDataSource{}
	_ datasource.DataSourceWithConfigure        = &accessPackageDataSource{}
	_ datasource.DataSourceWithConfigValidators = &accessPackageDataSource{}
)

// NewAccessPackageDataSource is the constructor registered with the provider.
func NewAccessPackageDataSource() datasource.DataSource {
	return &accessPackageDataSource{}
}

type accessPackageDataSource struct {
	client *graph.Client
}

func (d *accessPackageDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_package"
}

func (d *accessPackageDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads an access package (Graph `accessPackage`) by id, or by display name, optionally within " +
			"one catalog: a name used in two catalogs is not ambiguous when `catalog_id` is given. Needs " +
			"`EntitlementManagement.Read.All`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The package's object id. Exactly one of `id` and `display_name` must be set.",
				Validators:          []validator.String{validators.GUID()},
			},
			"display_name": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The package's exact display name. Exactly one of `id` and `display_name` must be set.",
			},
			"catalog_id": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The catalog to search by display name in; the package's catalog on output.",
				Validators:          []validator.String{validators.GUID()},
			},
			"description":                     schema.StringAttribute{Computed: true, MarkdownDescription: "What the package grants."},
			"hidden":                          schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the package is hidden from the My Access portal."},
			"incompatible_access_package_ids": schema.SetAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Packages whose holders cannot request this one."},
			"incompatible_group_ids":          schema.SetAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Groups whose members cannot request this package."},
			"created_date_time":               schema.StringAttribute{Computed: true, MarkdownDescription: "When the package was created."},
			"modified_date_time":              schema.StringAttribute{Computed: true, MarkdownDescription: "When the package was last changed."},
		},
	}
}

func (d *accessPackageDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("display_name")),
		datasourcevalidator.Conflicting(path.MatchRoot("id"), path.MatchRoot("catalog_id")),
	}
}

func (d *accessPackageDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *accessPackageDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg accessPackageModel
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &cfg.ID)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("display_name"), &cfg.DisplayName)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("catalog_id"), &cfg.CatalogID)...)
	if resp.Diagnostics.HasError() {
		return
	}

	id := cfg.ID.ValueString()
	if !known(cfg.ID) {
		name := cfg.DisplayName.ValueString()
		matches, err := d.client.ListAccessPackagesByName(ctx, cfg.CatalogID.ValueString(), name)
		if err != nil {
			diagnostics.AddAPIError(&resp.Diagnostics, "Unable to look up access packages named "+name, err)
			return
		}
		where := ""
		if known(cfg.CatalogID) {
			where = " in catalog " + cfg.CatalogID.ValueString()
		}
		switch len(matches) {
		case 0:
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "Access package not found", fmt.Sprintf("No access package is named %q%s.", name, where))
			return
		case 1:
			id = matches[0].ID
		default:
			parts := make([]string, len(matches))
			for i, m := range matches {
				parts[i] = m.ID
				if m.Catalog != nil {
					parts[i] += " (catalog " + m.Catalog.ID + ")"
				}
			}
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "More than one access package matches",
				fmt.Sprintf("%d access packages are named %q%s: %s. Set catalog_id or use id.", len(matches), name, where, strings.Join(parts, ", ")))
			return
		}
	}
	pkg, err := d.client.GetAccessPackage(ctx, id, accessPackageExpand...)
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Access package not found", fmt.Sprintf("No access package has the id %q.", id))
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read access package "+id, err)
		return
	}
	var state accessPackageModel
	resp.Diagnostics.Append(flattenAccessPackage(pkg, &state)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
