package directory

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
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ datasource.DataSource                     = &userDataSource{}
	_ datasource.DataSourceWithConfigure        = &userDataSource{}
	_ datasource.DataSourceWithConfigValidators = &userDataSource{}
)

// NewUserDataSource is the constructor registered with the provider.
func NewUserDataSource() datasource.DataSource {
	return &userDataSource{}
}

type userDataSource struct {
	client *graph.Client
}

type userModel struct {
	ID                    types.String `tfsdk:"id"`
	UserPrincipalName     types.String `tfsdk:"user_principal_name"`
	Mail                  types.String `tfsdk:"mail"`
	DisplayName           types.String `tfsdk:"display_name"`
	UserType              types.String `tfsdk:"user_type"`
	AccountEnabled        types.Bool   `tfsdk:"account_enabled"`
	Department            types.String `tfsdk:"department"`
	JobTitle              types.String `tfsdk:"job_title"`
	CompanyName           types.String `tfsdk:"company_name"`
	EmployeeID            types.String `tfsdk:"employee_id"`
	EmployeeHireDate      types.String `tfsdk:"employee_hire_date"`
	EmployeeLeaveDateTime types.String `tfsdk:"employee_leave_date_time"`
}

func (d *userDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user"
}

func (d *userDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads a user (Graph `user`), member or guest, by object id, user principal name or mail, " +
			"to use as an assignment target, sponsor, approver or reviewer. Needs `User.Read.All`; the lifecycle dates " +
			"also need `User-LifeCycleInfo.Read.All` in a real tenant.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The user's object id. Exactly one of `id`, `user_principal_name` and `mail` must be set.",
				Validators:          []validator.String{validators.GUID()},
			},
			"user_principal_name": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The sign-in name, e.g. `adele@contoso.onmicrosoft.com` (guests: `alias_domain#EXT#@tenant`).",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(3)},
			},
			"mail": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The primary SMTP address; handy for guests, whose UPN is generated.",
				Validators:          []validator.String{stringvalidator.RegexMatches(mailPattern, "must be an email address")},
			},
			"display_name":             computed("The user's name."),
			"user_type":                computed("`Member` or `Guest`."),
			"account_enabled":          schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the account can sign in."},
			"department":               computed("The user's department."),
			"job_title":                computed("The user's job title."),
			"company_name":             computed("The user's company, e.g. the partner's name for guests."),
			"employee_id":              computed("The employee id from HR."),
			"employee_hire_date":       computed("The hire date (joiner workflows trigger on it)."),
			"employee_leave_date_time": computed("The last day (leaver workflows trigger on it)."),
		},
	}
}

func (d *userDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("user_principal_name"), path.MatchRoot("mail")),
	}
}

func (d *userDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *userDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg userModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var (
		user     *graph.User
		err      error
		property string
		value    string
		at       path.Path
	)
	switch {
	case known(cfg.ID):
		property, value, at = "id", cfg.ID.ValueString(), path.Root("id")
	case known(cfg.UserPrincipalName):
		property, value, at = "userPrincipalName", cfg.UserPrincipalName.ValueString(), path.Root("user_principal_name")
	default:
		property, value, at = "mail", cfg.Mail.ValueString(), path.Root("mail")
	}
	if property == "id" {
		user, err = d.client.GetUser(ctx, value)
		if graph.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(at, "User not found", fmt.Sprintf("No user has the id %q.", value))
			return
		}
	} else {
		var users []graph.User
		users, err = d.client.FindUsers(ctx, property, value)
		if err == nil {
			switch len(users) {
			case 0:
				resp.Diagnostics.AddAttributeError(at, "User not found", fmt.Sprintf("No user has %s %q.", property, value))
				return
			case 1:
				user = &users[0]
			default:
				ids := make([]string, len(users))
				for i, u := range users {
					ids[i] = u.ID
				}
				resp.Diagnostics.AddAttributeError(at, "More than one user matches",
					fmt.Sprintf("%d users have %s %q: %s. Use id.", len(users), property, value, strings.Join(ids, ", ")))
				return
			}
		}
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read the user with "+property+" "+value, err)
		return
	}
	state := userModel{
		ID: types.StringValue(user.ID), UserPrincipalName: types.StringValue(user.UserPrincipalName),
		Mail: types.StringValue(user.Mail), DisplayName: types.StringValue(user.DisplayName),
		UserType: types.StringValue(user.UserType), AccountEnabled: types.BoolPointerValue(user.AccountEnabled),
		Department: types.StringValue(user.Department), JobTitle: types.StringValue(user.JobTitle),
		CompanyName: types.StringValue(user.CompanyName), EmployeeID: types.StringValue(user.EmployeeID),
		EmployeeHireDate: types.StringValue(user.EmployeeHireDate), EmployeeLeaveDateTime: types.StringValue(user.EmployeeLeaveDateTime),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
