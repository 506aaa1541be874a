package entitlement

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework/listing"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var _ list.ListResourceWithConfigure = &catalogListResource{}

// NewCatalogListResource is the constructor of the entragov_catalog list resource (terraform query).
func NewCatalogListResource() list.ListResource {
	return &catalogListResource{}
}

type catalogListResource struct {
	listing.Base
}

type catalogListModel struct {
	DisplayName types.String `tfsdk:"display_name"`
	State       types.String `tfsdk:"state"`
}

func (r *catalogListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_catalog"
}

func (r *catalogListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the tenant's access package catalogs (Graph `GET /identityGovernance/entitlementManagement/catalogs`, " +
			"every page), the built-in General catalog included, for `terraform query` (Terraform 1.14 and later). Each result is " +
			"named by the catalog's display name and carries the `entragov_catalog` identity (`id`).",
		Attributes: map[string]listschema.Attribute{
			"display_name": listschema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only the catalogs named exactly this (Graph `$filter=displayName eq`, then compared with case).",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"state": listschema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only the catalogs in this state: `published` or `unpublished`. Graph documents no filter on " +
					"`state`, so it is applied by the provider to what Graph lists.",
				Validators: []validator.String{stringvalidator.OneOf(graph.CatalogStates...)},
			},
		},
	}
}

func (r *catalogListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	cfg, ok := listing.Config[catalogListModel](ctx, req, stream)
	if !ok || !r.Ready(stream) {
		return
	}
	var eqs []graph.Eq
	if known(cfg.DisplayName) {
		eqs = append(eqs, graph.Eq{Property: "displayName", Value: cfg.DisplayName.ValueString()})
	}
	stream.Results = listing.Stream(ctx, req, r.ProviderData, r.Client().WalkCatalogs(ctx, eqs...), listing.Spec[graph.Catalog]{
		What:        "catalogs",
		NewResource: NewCatalogResource,
		Identity:    catalogIdentity,
		Key:         func(c graph.Catalog) map[string]string { return map[string]string{"id": c.ID} },
		DisplayName: func(c graph.Catalog) string { return c.DisplayName },
		Keep: func(c graph.Catalog) bool {
			return matches(cfg.DisplayName, c.DisplayName) && matches(cfg.State, c.State)
		},
	})
}
