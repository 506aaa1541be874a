package entitlement

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework/listing"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var _ list.ListResourceWithConfigure = &catalogResourceListResource{}

// NewCatalogResourceListResource is the constructor of the entragov_catalog_resource list resource
// (terraform query).
func NewCatalogResourceListResource() list.ListResource {
	return &catalogResourceListResource{}
}

type catalogResourceListResource struct {
	listing.Base
}

type catalogResourceListModel struct {
	CatalogID types.String `tfsdk:"catalog_id"`
}

// listedCatalogResource is a catalog resource with the catalog it was listed under, which its identity
// holds and Graph's object does not.
type listedCatalogResource struct {
	catalogID string
	graph.CatalogResource
}

func (r *catalogResourceListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_catalog_resource"
}

func (r *catalogResourceListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the resources (groups, applications, SharePoint sites) onboarded to catalogs (Graph " +
			"`GET /identityGovernance/entitlementManagement/catalogs/{catalog_id}/resources`, every page) for `terraform query` " +
			"(Terraform 1.14 and later). Each result is named by the resource's display name and carries the " +
			"`entragov_catalog_resource` identity (`catalog_id` and `origin_id`).",
		Attributes: map[string]listschema.Attribute{
			"catalog_id": listschema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only the resources of this catalog (its object id, a GUID). When omitted, the resources of " +
					"every catalog of the tenant, one catalog after the other.",
				Validators: []validator.String{validators.GUID()},
			},
		},
	}
}

func (r *catalogResourceListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	cfg, ok := listing.Config[catalogResourceListModel](ctx, req, stream)
	if !ok || !r.Ready(stream) {
		return
	}
	stream.Results = listing.Stream(ctx, req, r.ProviderData, catalogResources(ctx, r.Client(), cfg.CatalogID.ValueString()), listing.Spec[listedCatalogResource]{
		What:        "catalog resources",
		NewResource: NewCatalogResourceResource,
		Identity:    catalogResourceIdentity,
		Key: func(res listedCatalogResource) map[string]string {
			return map[string]string{"catalog_id": res.catalogID, "origin_id": res.OriginID}
		},
		DisplayName: func(res listedCatalogResource) string { return res.DisplayName },
	})
}

// catalogResources yields the resources of one catalog, or of every catalog when catalogID is empty.
func catalogResources(ctx context.Context, c *graph.Client, catalogID string) iter.Seq2[listedCatalogResource, error] {
	return func(yield func(listedCatalogResource, error) bool) {
		// of yields the resources of one catalog; listed says the catalog came from the list of every
		// catalog, where one that answers 404 (deleted since, or not yet replicated) is passed over.
		of := func(catalogID string, listed bool) bool {
			for res, err := range c.WalkCatalogResources(ctx, catalogID) {
				if listed && graph.IsNotFound(err) {
					return true
				}
				if !yield(listedCatalogResource{catalogID: catalogID, CatalogResource: res}, err) || err != nil {
					return false
				}
			}
			return true
		}
		if catalogID != "" {
			of(catalogID, false)
			return
		}
		for cat, err := range c.WalkCatalogs(ctx) {
			if err != nil {
				yield(listedCatalogResource{}, err)
				return
			}
			if !of(cat.ID, true) {
				return
			}
		}
	}
}
