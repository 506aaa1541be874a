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

var _ list.ListResourceWithConfigure = &connectedOrganizationListResource{}

// NewConnectedOrganizationListResource is the constructor of the entragov_connected_organization list
// resource (terraform query).
func NewConnectedOrganizationListResource() list.ListResource {
	return &connectedOrganizationListResource{}
}

type connectedOrganizationListResource struct {
	listing.Base
}

type connectedOrganizationListModel struct {
	DisplayName types.String `tfsdk:"display_name"`
	State       types.String `tfsdk:"state"`
	Domain      types.String `tfsdk:"domain"`
}

func (r *connectedOrganizationListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_connected_organization"
}

func (r *connectedOrganizationListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the tenant's connected organizations (Graph `GET /identityGovernance/entitlementManagement/connectedOrganizations`, " +
			"every page) for `terraform query` (Terraform 1.14 and later). Each result is named by the organization's display name and " +
			"carries the `entragov_connected_organization` identity (`id`). Graph filters by display name; it documents no filter on " +
			"`state` or on an identity source's domain, so those two are applied by the provider to what Graph lists.",
		Attributes: map[string]listschema.Attribute{
			"display_name": listschema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only the organizations named exactly this (Graph `$filter=displayName eq`, then compared with case).",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"state": listschema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only the organizations in this state: `configured` or `proposed` (applied by the provider).",
				Validators:          []validator.String{stringvalidator.OneOf(graph.ConnectedOrganizationStates...)},
			},
			"domain": listschema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only the organizations with an identity source of this domain, e.g. `fabrikam.com`, compared " +
					"without regard to case (applied by the provider). A domain of an Entra tenant is held as the tenant's " +
					"`azureActiveDirectoryTenant` source, which has no domain: such organizations are found by name.",
				Validators: []validator.String{stringvalidator.RegexMatches(domainPattern, "must be a DNS name such as fabrikam.com")},
			},
		},
	}
}

func (r *connectedOrganizationListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	cfg, ok := listing.Config[connectedOrganizationListModel](ctx, req, stream)
	if !ok || !r.Ready(stream) {
		return
	}
	var eqs []graph.Eq
	if known(cfg.DisplayName) {
		eqs = append(eqs, graph.Eq{Property: "displayName", Value: cfg.DisplayName.ValueString()})
	}
	objects := r.Client().WalkConnectedOrganizations(ctx, eqs...)
	stream.Results = listing.Stream(ctx, req, r.ProviderData, objects, listing.Spec[graph.ConnectedOrganization]{
		What:        "connected organizations",
		NewResource: NewConnectedOrganizationResource,
		Identity:    connectedOrganizationIdentity,
		Key:         func(o graph.ConnectedOrganization) map[string]string { return map[string]string{"id": o.ID} },
		DisplayName: func(o graph.ConnectedOrganization) string { return o.DisplayName },
		Keep: func(o graph.ConnectedOrganization) bool {
			return matches(cfg.DisplayName, o.DisplayName) && matches(cfg.State, o.State) && hasDomain(o, cfg.Domain)
		},
	})
}

// hasDomain reports whether an identity source of o has the domain (always, when no domain is asked for).
func hasDomain(o graph.ConnectedOrganization, domain types.String) bool {
	if !known(domain) {
		return true
	}
	for _, s := range o.IdentitySources {
		if s.DomainName != "" && graph.NormalizeDomain(s.DomainName) == graph.NormalizeDomain(domain.ValueString()) {
			return true
		}
	}
	return false
}
