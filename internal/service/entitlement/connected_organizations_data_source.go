package entitlement

import (
	"context"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ datasource.DataSource              = &connectedOrganizationsDataSource{}
	_ datasource.DataSourceWithConfigure = &connectedOrganizationsDataSource{}
)

// NewConnectedOrganizationsDataSource is the constructor registered with the provider.
func NewConnectedOrganizationsDataSource() datasource.DataSource {
	return &connectedOrganizationsDataSource{}
}

// connectedOrganizationsDataSource lists every connected organization with the domains and tenants its
// identity sources name: with entragov_external_users, it shows which partner domains are already
// covered and which are not.
type connectedOrganizationsDataSource struct {
	client *graph.Client
}

type connectedOrganizationsModel struct {
	DisplayName   types.String                      `tfsdk:"display_name"`
	State         types.String                      `tfsdk:"state"`
	Organizations []connectedOrganizationEntryModel `tfsdk:"connected_organizations"`
}

type connectedOrganizationEntryModel struct {
	ID          types.String `tfsdk:"id"`
	DisplayName types.String `tfsdk:"display_name"`
	State       types.String `tfsdk:"state"`
	Domains     types.List   `tfsdk:"domains"`
	TenantIDs   types.List   `tfsdk:"tenant_ids"`
}

func (d *connectedOrganizationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_connected_organizations"
}

func (d *connectedOrganizationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the connected organizations (Graph `connectedOrganization`) with the domains and tenant ids " +
			"their identity sources name. Needs `EntitlementManagement.Read.All`.",
		Attributes: map[string]schema.Attribute{
			"display_name": schema.StringAttribute{
				Optional: true, MarkdownDescription: "Only the organizations with exactly this display name (Graph's `$filter`).",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"state": schema.StringAttribute{
				Optional: true, MarkdownDescription: "Only the organizations in this state: `configured` or `proposed`. Applied by the provider.",
				Validators: []validator.String{stringvalidator.OneOf(graph.ConnectedOrganizationStates...)},
			},
			"connected_organizations": schema.ListNestedAttribute{
				Computed: true, MarkdownDescription: "The organizations, ordered by display name, then id.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":           computed("The connected organization's id."),
					"display_name": computed("Its name."),
					"state":        computed("`configured` (its users may request access) or `proposed`."),
					"domains": schema.ListAttribute{
						Computed: true, ElementType: types.StringType,
						MarkdownDescription: "The domains of its `domainIdentitySource` and `externalDomainFederation` sources, lower case, " +
							"sorted. A domain of an Entra tenant is held as the tenant's source, so its domains are not listed here: see `tenant_ids`.",
					},
					"tenant_ids": schema.ListAttribute{
						Computed: true, ElementType: types.StringType,
						MarkdownDescription: "The tenant ids of its `azureActiveDirectoryTenant` and `crossCloudAzureActiveDirectoryTenant` sources, sorted.",
					},
				}},
			},
		},
	}
}

func (d *connectedOrganizationsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *connectedOrganizationsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m connectedOrganizationsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var (
		orgs []graph.ConnectedOrganization
		err  error
	)
	if known(m.DisplayName) {
		orgs, err = d.client.ListConnectedOrganizationsByName(ctx, m.DisplayName.ValueString())
	} else {
		orgs, err = d.client.ListConnectedOrganizations(ctx)
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to list the connected organizations", err)
		return
	}
	m.Organizations = flattenConnectedOrganizationList(orgs, m.State.ValueString())
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// flattenConnectedOrganizationList keeps the organizations in state (all when state is ""), in a
// stable order.
func flattenConnectedOrganizationList(orgs []graph.ConnectedOrganization, state string) []connectedOrganizationEntryModel {
	kept := make([]graph.ConnectedOrganization, 0, len(orgs))
	for _, o := range orgs {
		if state == "" || strings.EqualFold(o.State, state) {
			kept = append(kept, o)
		}
	}
	sort.Slice(kept, func(i, j int) bool {
		if kept[i].DisplayName != kept[j].DisplayName {
			return kept[i].DisplayName < kept[j].DisplayName
		}
		return strings.ToLower(kept[i].ID) < strings.ToLower(kept[j].ID)
	})
	out := make([]connectedOrganizationEntryModel, 0, len(kept))
	for _, o := range kept {
		out = append(out, connectedOrganizationEntryModel{
			ID: types.StringValue(o.ID), DisplayName: types.StringValue(o.DisplayName), State: types.StringValue(o.State),
			Domains: stringList(o.Domains()), TenantIDs: stringList(o.TenantIDs()),
		})
	}
	return out
}

func stringList(values []string) types.List {
	elems := make([]attr.Value, len(values))
	for i, v := range values {
		elems[i] = types.StringValue(v)
	}
	return types.ListValueMust(types.StringType, elems)
}
