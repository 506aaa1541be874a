package entitlement

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ datasource.DataSource                     = &catalogDataSource{}
	_ datasource.DataSourceWithConfigure        = &catalogDataSource{}
	_ datasource.DataSourceWithConfigValidators = &catalogDataSource{}
)

// NewCatalogDataSource is the constructor registered with the provider.
func NewCatalogDataSource() datasource.DataSource {
	return &catalogDataSource{}
}

type catalogDataSource struct {
	client *graph.Client
}

func (d *catalogDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_catalog"
}

func (d *catalogDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads an access package catalog (Graph `accessPackageCatalog`) by id or by display name, " +
			"for example the built-in `General` catalog. A display name shared by several catalogs is an error that " +
			"lists their ids. Needs `EntitlementManagement.Read.All`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "The catalog's object id. Exactly one of `id` and `display_name` must be set.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"display_name": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "The catalog's exact display name. Exactly one of `id` and `display_name` must be set.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"description":        schema.StringAttribute{Computed: true, MarkdownDescription: "What the catalog is for."},
			"state":              schema.StringAttribute{Computed: true, MarkdownDescription: "`published` or `unpublished`."},
			"externally_visible": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether users outside the tenant can request its access packages."},
			"catalog_type":       schema.StringAttribute{Computed: true, MarkdownDescription: "`userManaged`, `serviceDefault` or `serviceManaged`."},
			"created_date_time":  schema.StringAttribute{Computed: true, MarkdownDescription: "When the catalog was created (RFC 3339, UTC)."},
			"modified_date_time": schema.StringAttribute{Computed: true, MarkdownDescription: "When the catalog was last changed (RFC 3339, UTC)."},
		},
	}
}

func (d *catalogDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("display_name")),
	}
}

func (d *catalogDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *catalogDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg catalogModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	var found *graph.Catalog
	if known(cfg.ID) {
		c, err := d.client.GetCatalog(ctx, cfg.ID.ValueString())
		if graph.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Catalog not found",
				fmt.Sprintf("No catalog has the id %q.", cfg.ID.ValueString()))
			return
		}
		if err != nil {
			diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read catalog "+cfg.ID.ValueString(), err)
			return
		}
		found = c
	} else {
		name := cfg.DisplayName.ValueString()
		matches, err := d.client.ListCatalogsByName(ctx, name)
		if err != nil {
			diagnostics.AddAPIError(&resp.Diagnostics, "Unable to look up catalogs named "+name, err)
			return
		}
		switch len(matches) {
		case 0:
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "Catalog not found",
				fmt.Sprintf("No catalog is named %q.", name))
			return
		case 1:
			found = &matches[0]
		default:
			ids := make([]string, len(matches))
			for i, m := range matches {
				ids[i] = m.ID
			}
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "More than one catalog matches",
				fmt.Sprintf("%d catalogs are named %q: %s. Use id to choose one.", len(matches), name, strings.Join(ids, ", ")))
			return
		}
	}

	var state catalogModel
	flattenCatalog(found, &state)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
