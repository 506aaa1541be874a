package directory

import (
	"context"
	"regexp"
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
	_ datasource.DataSource              = &externalUsersDataSource{}
	_ datasource.DataSourceWithConfigure = &externalUsersDataSource{}
)

// NewExternalUsersDataSource is the constructor registered with the provider.
func NewExternalUsersDataSource() datasource.DataSource {
	return &externalUsersDataSource{}
}

// externalUsersDataSource inventories the tenant's external users: the first step of a partner plan is
// to know who is already inside, from which domains and companies, and which connected organization (if
// any) each domain belongs to. It costs one request per page of users (sponsors expanded on the list)
// plus one per page of connected organizations.
type externalUsersDataSource struct {
	client *graph.Client
}

type externalUsersModel struct {
	Domain            types.String        `tfsdk:"domain"`
	CompanyName       types.String        `tfsdk:"company_name"`
	ExternalUserState types.String        `tfsdk:"external_user_state"`
	UserType          types.String        `tfsdk:"user_type"`
	Users             []externalUserModel `tfsdk:"users"`
	ByDomain          []domainCountModel  `tfsdk:"by_domain"`
	ByCompany         []companyCountModel `tfsdk:"by_company"`
}

type externalUserModel struct {
	ID                      types.String `tfsdk:"id"`
	DisplayName             types.String `tfsdk:"display_name"`
	Mail                    types.String `tfsdk:"mail"`
	UserPrincipalName       types.String `tfsdk:"user_principal_name"`
	Domain                  types.String `tfsdk:"domain"`
	CompanyName             types.String `tfsdk:"company_name"`
	CreatedDateTime         types.String `tfsdk:"created_date_time"`
	ExternalUserState       types.String `tfsdk:"external_user_state"`
	UserType                types.String `tfsdk:"user_type"`
	SponsorIDs              types.List   `tfsdk:"sponsor_ids"`
	ConnectedOrganizationID types.String `tfsdk:"connected_organization_id"`
}

type domainCountModel struct {
	Domain                  types.String `tfsdk:"domain"`
	Count                   types.Int64  `tfsdk:"count"`
	ConnectedOrganizationID types.String `tfsdk:"connected_organization_id"`
}

type companyCountModel struct {
	CompanyName types.String `tfsdk:"company_name"`
	Count       types.Int64  `tfsdk:"count"`
}

// domainPattern is a plausibility check of a DNS name with at least two labels.
var domainPattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+\.?$`)

func (d *externalUsersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_external_users"
}

func (d *externalUsersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Inventories the tenant's external users (Graph `user`): guests (`userType` `Guest`) and members invited " +
			"through B2B (`externalUserState` set), with their sponsors, the domain each comes from and the connected organization " +
			"whose domain identity source covers that domain; then counts them by domain and by company. The discovery step of a " +
			"partner plan. One `GET /users` per page (sponsors through `$expand`) and one `GET .../connectedOrganizations` per page. " +
			"Needs `User.Read.All` and `EntitlementManagement.Read.All`.",
		Attributes: map[string]schema.Attribute{
			"domain": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only users from this domain (their mail's domain, else the one in a `#EXT#` user principal name), " +
					"without regard to case. Applied by the provider: Graph filters on a domain only in advanced queries, which cannot " +
					"expand sponsors.",
				Validators: []validator.String{stringvalidator.RegexMatches(domainPattern, "must be a domain name such as fabrikam.com")},
			},
			"company_name": schema.StringAttribute{
				Optional: true, MarkdownDescription: "Only users whose `companyName` equals this (Graph's `eq`, without regard to case).",
				Validators: []validator.String{stringvalidator.LengthBetween(1, 64)},
			},
			"external_user_state": schema.StringAttribute{
				Optional: true, MarkdownDescription: "Only users in this invitation state: `PendingAcceptance` or `Accepted`.",
				Validators: []validator.String{stringvalidator.OneOf(graph.ExternalUserStates...)},
			},
			"user_type": schema.StringAttribute{
				Optional: true, MarkdownDescription: "Only `Guest` users, or only `Member` users invited through B2B.",
				Validators: []validator.String{stringvalidator.OneOf(graph.UserTypes...)},
			},
			"users": schema.ListNestedAttribute{
				Computed: true, MarkdownDescription: "The external users, ordered by domain, then user principal name.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":                  computed("The user's object id."),
					"display_name":        computed("The user's name."),
					"mail":                computed("The user's mail; null when it has none."),
					"user_principal_name": computed("The sign-in name, `alias_domain#EXT#@tenant` for B2B users."),
					"domain":              computed("The domain the user comes from: its mail's domain, else the one in its `#EXT#` user principal name, lower case; null when neither has one."),
					"company_name":        computed("The user's `companyName`; null when not set."),
					"created_date_time":   computed("When the user was created (RFC 3339)."),
					"external_user_state": computed("`PendingAcceptance`, `Accepted`, or null for a guest not created by invitation."),
					"user_type":           computed("`Guest` or `Member`."),
					"sponsor_ids": schema.ListAttribute{
						Computed: true, ElementType: types.StringType,
						MarkdownDescription: "The object ids of the user's sponsors (users and groups), sorted.",
					},
					"connected_organization_id": computed("The connected organization whose domain identity source names the user's domain; null when none does."),
				}},
			},
			"by_domain": schema.ListNestedAttribute{
				Computed: true, MarkdownDescription: "The number of users per domain, ordered by domain (users without a domain are left out).",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"domain":                    computed("The domain."),
					"count":                     schema.Int64Attribute{Computed: true, MarkdownDescription: "How many of the users come from it."},
					"connected_organization_id": computed("The connected organization that covers the domain; null when none does."),
				}},
			},
			"by_company": schema.ListNestedAttribute{
				Computed: true, MarkdownDescription: "The number of users per `companyName`, ordered by name (users without one are left out).",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"company_name": computed("The company name, as the users hold it."),
					"count":        schema.Int64Attribute{Computed: true, MarkdownDescription: "How many of the users have it."},
				}},
			},
		},
	}
}

func (d *externalUsersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *externalUsersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m externalUsersModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	users, err := d.client.ListExternalUsers(ctx, graph.ExternalUserFilter{
		UserType: m.UserType.ValueString(), ExternalUserState: m.ExternalUserState.ValueString(), CompanyName: m.CompanyName.ValueString(),
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to list the external users", err)
		return
	}
	orgs, err := d.client.ListConnectedOrganizations(ctx)
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to list the connected organizations", err)
		return
	}
	inv := buildInventory(users, graph.OrganizationsByDomain(orgs), graph.NormalizeDomain(m.Domain.ValueString()))
	m.Users, m.ByDomain, m.ByCompany = inv.users, inv.byDomain, inv.byCompany
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

type inventory struct {
	users     []externalUserModel
	byDomain  []domainCountModel
	byCompany []companyCountModel
}

// buildInventory turns the listed users into the data source's lists: only domain's users when domain
// is set, each with its domain and connected organization, and the counts, all in a stable order.
func buildInventory(users []graph.ExternalUser, orgByDomain map[string]string, domain string) inventory {
	type row struct {
		u      graph.ExternalUser
		domain string
	}
	var rows []row
	for _, u := range users {
		// The list's filter already selects external users; this keeps a member whose
		// externalUserState Graph returned null out, unless its UPN says it is a B2B user.
		if u.UserType != "Guest" && u.ExternalUserState == "" && !graph.IsExternalUPN(u.UserPrincipalName) {
			continue
		}
		dom := graph.UserDomain(u.Mail, u.UserPrincipalName)
		if domain != "" && dom != domain {
			continue
		}
		rows = append(rows, row{u, dom})
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].domain != rows[j].domain {
			return rows[i].domain < rows[j].domain
		}
		a, b := strings.ToLower(rows[i].u.UserPrincipalName), strings.ToLower(rows[j].u.UserPrincipalName)
		if a != b {
			return a < b
		}
		return rows[i].u.ID < rows[j].u.ID
	})
	inv := inventory{users: make([]externalUserModel, 0, len(rows)), byDomain: []domainCountModel{}, byCompany: []companyCountModel{}}
	domainCount := map[string]int64{}
	companyCount := map[string]int64{}
	for _, r := range rows {
		sponsors := make([]string, 0, len(r.u.Sponsors))
		for _, s := range r.u.Sponsors {
			sponsors = append(sponsors, strings.ToLower(s.ID))
		}
		sort.Strings(sponsors)
		ids := make([]attr.Value, len(sponsors))
		for i, s := range sponsors {
			ids[i] = types.StringValue(s)
		}
		inv.users = append(inv.users, externalUserModel{
			ID: types.StringValue(r.u.ID), DisplayName: types.StringValue(r.u.DisplayName),
			Mail: stringOrNull(r.u.Mail), UserPrincipalName: types.StringValue(r.u.UserPrincipalName),
			Domain: stringOrNull(r.domain), CompanyName: stringOrNull(r.u.CompanyName),
			CreatedDateTime: stringOrNull(r.u.CreatedDateTime), ExternalUserState: stringOrNull(r.u.ExternalUserState),
			UserType: stringOrNull(r.u.UserType), SponsorIDs: types.ListValueMust(types.StringType, ids),
			ConnectedOrganizationID: stringOrNull(orgByDomain[r.domain]),
		})
		if r.domain != "" {
			domainCount[r.domain]++
		}
		if r.u.CompanyName != "" {
			companyCount[r.u.CompanyName]++
		}
	}
	for _, dom := range sortedKeys(domainCount) {
		inv.byDomain = append(inv.byDomain, domainCountModel{Domain: types.StringValue(dom), Count: types.Int64Value(domainCount[dom]),
			ConnectedOrganizationID: stringOrNull(orgByDomain[dom])})
	}
	for _, c := range sortedKeys(companyCount) {
		inv.byCompany = append(inv.byCompany, companyCountModel{CompanyName: types.StringValue(c), Count: types.Int64Value(companyCount[c])})
	}
	return inv
}

func sortedKeys(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
