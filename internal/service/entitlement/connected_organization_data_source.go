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
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/schemaconv"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ datasource.DataSource                     = &connectedOrganizationDataSource{}
	_ datasource.DataSourceWithConfigure        = &connectedOrganizationDataSource{}
	_ datasource.DataSourceWithConfigValidators = &connectedOrganizationDataSource{}
)

// NewConnectedOrganizationDataSource is the constructor registered with the provider.
func NewConnectedOrganizationDataSource() datasource.DataSource {
	return &connectedOrganizationDataSource{}
}

type connectedOrganizationDataSource struct {
	client *graph.Client
}

// connectedOrganizationLookup is the data source's model: the resource's model plus a domain to search.
type connectedOrganizationLookup struct {
	connectedOrganizationModel
	Domain types.String `tfsdk:"domain"`
}

func (d *connectedOrganizationDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_connected_organization"
}

func (d *connectedOrganizationDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	var rs resource.SchemaResponse
	(&connectedOrganizationResource{}).Schema(ctx, resource.SchemaRequest{}, &rs)
	s := schemaconv.DataSource(rs.Schema,
		"Reads a connected organization (Graph `connectedOrganization`) by id, by exact display name, or by the domain of "+
			"its identity source, with its sponsors. Needs `EntitlementManagement.Read.All`.",
		map[string][]validator.String{
			"id":           {validators.GUID()},
			"display_name": {stringvalidator.LengthAtLeast(1)},
		})
	s.Attributes["domain"] = dschemaString("A domain of the organization's identity source, e.g. `fabrikam.com`.")
	// Nothing is configured here: identity_sources is what Graph holds, as resolved_identity_sources.
	if a, ok := s.Attributes["identity_sources"].(dschema.ListNestedAttribute); ok {
		a.MarkdownDescription = "Where the organization's users sign in, as Graph holds it (the same as " +
			"`resolved_identity_sources`): a domain of an Entra tenant is held as the tenant's `azureActiveDirectoryTenant` source."
		if n, ok := a.NestedObject.Attributes["display_name"].(dschema.StringAttribute); ok {
			n.MarkdownDescription = "The name Graph gives the source."
			a.NestedObject.Attributes["display_name"] = n
		}
		s.Attributes["identity_sources"] = a
	}
	resp.Schema = s
}

func (d *connectedOrganizationDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("display_name"), path.MatchRoot("domain")),
	}
}

func (d *connectedOrganizationDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *connectedOrganizationDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var id, name, domain types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("display_name"), &name)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("domain"), &domain)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := id.ValueString()
	if !known(id) {
		var (
			matches        []graph.ConnectedOrganization
			err            error
			what, notFound string
			at             = path.Root("display_name")
		)
		if known(name) {
			what = fmt.Sprintf("named %q", name.ValueString())
			notFound = "No connected organization is " + what + "."
			matches, err = d.client.ListConnectedOrganizationsByName(ctx, name.ValueString())
		} else {
			// Graph has no documented filter on identity sources, so the domain is matched here.
			what, at = fmt.Sprintf("with the domain %q", domain.ValueString()), path.Root("domain")
			notFound = fmt.Sprintf("No connected organization has an identity source with the domain %q.", domain.ValueString())
			var all []graph.ConnectedOrganization
			all, err = d.client.ListConnectedOrganizations(ctx)
			for _, o := range all {
				for _, s := range o.IdentitySources {
					if s.DomainName != "" && graph.NormalizeDomain(s.DomainName) == graph.NormalizeDomain(domain.ValueString()) {
						matches = append(matches, o)
						break
					}
				}
			}
		}
		if err != nil {
			diagnostics.AddAPIError(&resp.Diagnostics, "Unable to look up connected organizations "+what, err)
			return
		}
		switch len(matches) {
		case 0:
			resp.Diagnostics.AddAttributeError(at, "Connected organization not found", notFound)
			return
		case 1:
			orgID = matches[0].ID
		default:
			ids := make([]string, len(matches))
			for i, m := range matches {
				ids[i] = m.ID
			}
			resp.Diagnostics.AddAttributeError(at, "More than one connected organization matches",
				fmt.Sprintf("%d connected organizations match (%s): %s. Use id.", len(matches), what, strings.Join(ids, ", ")))
			return
		}
	}
	r := &connectedOrganizationResource{client: d.client}
	org, internal, external, err := r.fetch(ctx, orgID)
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Connected organization not found", fmt.Sprintf("No connected organization has the id %q.", orgID))
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read connected organization "+orgID, err)
		return
	}
	var state connectedOrganizationLookup
	_, diags := flattenConnectedOrganization(ctx, org, internal, external, &state.connectedOrganizationModel, nil, false)
	resp.Diagnostics.Append(diags...)
	state.Domain = domain
	if !known(domain) {
		state.Domain = types.StringNull()
		for _, s := range org.IdentitySources {
			if s.DomainName != "" {
				state.Domain = types.StringValue(s.DomainName)
				break
			}
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func dschemaString(desc string) dschema.StringAttribute {
	return dschema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: desc}
}
