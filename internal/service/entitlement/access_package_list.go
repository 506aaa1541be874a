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
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var _ list.ListResourceWithConfigure = &accessPackageListResource{}

// NewAccessPackageListResource is the constructor of the entragov_access_package list resource
// (terraform query).
func NewAccessPackageListResource() list.ListResource {
	return &accessPackageListResource{}
}

type accessPackageListResource struct {
	listing.Base
}

type accessPackageListModel struct {
	CatalogID   types.String `tfsdk:"catalog_id"`
	DisplayName types.String `tfsdk:"display_name"`
}

func (r *accessPackageListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_package"
}

func (r *accessPackageListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists access packages (Graph `GET /identityGovernance/entitlementManagement/accessPackages`, or " +
			"`GET .../catalogs/{catalog_id}/accessPackages` for one catalog, every page) for `terraform query` (Terraform 1.14 and " +
			"later). Each result is named by the package's display name and carries the `entragov_access_package` identity (`id`).",
		Attributes: map[string]listschema.Attribute{
			"catalog_id": listschema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only the access packages of this catalog (its object id, a GUID).",
				Validators:          []validator.String{validators.GUID()},
			},
			"display_name": listschema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only the access packages named exactly this (Graph `$filter=displayName eq`, then compared with case).",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

func (r *accessPackageListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	cfg, ok := listing.Config[accessPackageListModel](ctx, req, stream)
	if !ok || !r.Ready(stream) {
		return
	}
	var eqs []graph.Eq
	if known(cfg.DisplayName) {
		eqs = append(eqs, graph.Eq{Property: "displayName", Value: cfg.DisplayName.ValueString()})
	}
	objects := r.Client().WalkAccessPackages(ctx, cfg.CatalogID.ValueString(), eqs...)
	stream.Results = listing.Stream(ctx, req, r.ProviderData, objects, listing.Spec[graph.AccessPackage]{
		What:        "access packages",
		NewResource: NewAccessPackageResource,
		Identity:    accessPackageIdentity,
		Key:         func(p graph.AccessPackage) map[string]string { return map[string]string{"id": p.ID} },
		DisplayName: func(p graph.AccessPackage) string { return p.DisplayName },
		Keep:        func(p graph.AccessPackage) bool { return matches(cfg.DisplayName, p.DisplayName) },
	})
}
