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
	_ datasource.DataSource                     = &groupDataSource{}
	_ datasource.DataSourceWithConfigure        = &groupDataSource{}
	_ datasource.DataSourceWithConfigValidators = &groupDataSource{}
)

// NewGroupDataSource is the constructor registered with the provider.
func NewGroupDataSource() datasource.DataSource {
	return &groupDataSource{}
}

type groupDataSource struct {
	client *graph.Client
}

type groupModel struct {
	ID              types.String `tfsdk:"id"`
	DisplayName     types.String `tfsdk:"display_name"`
	Description     types.String `tfsdk:"description"`
	Mail            types.String `tfsdk:"mail"`
	MailEnabled     types.Bool   `tfsdk:"mail_enabled"`
	SecurityEnabled types.Bool   `tfsdk:"security_enabled"`
	Dynamic         types.Bool   `tfsdk:"dynamic"`
	MembershipRule  types.String `tfsdk:"membership_rule"`
	MemberIDs       types.Set    `tfsdk:"member_ids"`
}

func (d *groupDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_group"
}

func (d *groupDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads a group (Graph `group`) by object id or exact display name, to onboard it into a catalog, " +
			"mark it incompatible, or use its members as approvers. Needs `Group.Read.All`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The group's object id. Exactly one of `id` and `display_name` must be set.",
				Validators:          []validator.String{validators.GUID()},
			},
			"display_name": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The group's exact display name; several groups with the name are an error that lists their ids.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"description":      schema.StringAttribute{Computed: true, MarkdownDescription: "The group's description."},
			"mail":             schema.StringAttribute{Computed: true, MarkdownDescription: "The group's SMTP address, if mail-enabled."},
			"mail_enabled":     schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the group is mail-enabled."},
			"security_enabled": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the group is a security group."},
			"dynamic":          schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether membership is rule-based (`DynamicMembership`); access packages cannot add members to such groups."},
			"membership_rule":  schema.StringAttribute{Computed: true, MarkdownDescription: "The membership rule of a dynamic group."},
			"member_ids":       schema.SetAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Object ids of the direct members."},
		},
	}
}

func (d *groupDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("display_name")),
	}
}

func (d *groupDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *groupDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg groupModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var group *graph.Group
	if known(cfg.ID) {
		g, err := d.client.GetGroup(ctx, cfg.ID.ValueString())
		if graph.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Group not found", fmt.Sprintf("No group has the id %q.", cfg.ID.ValueString()))
			return
		}
		if err != nil {
			diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read group "+cfg.ID.ValueString(), err)
			return
		}
		group = g
	} else {
		name := cfg.DisplayName.ValueString()
		groups, err := d.client.FindGroupsByName(ctx, name)
		if err != nil {
			diagnostics.AddAPIError(&resp.Diagnostics, "Unable to look up groups named "+name, err)
			return
		}
		switch len(groups) {
		case 0:
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "Group not found", fmt.Sprintf("No group is named %q.", name))
			return
		case 1:
			group = &groups[0]
		default:
			ids := make([]string, len(groups))
			for i, g := range groups {
				ids[i] = g.ID
			}
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "More than one group matches",
				fmt.Sprintf("%d groups are named %q: %s. Use id.", len(groups), name, strings.Join(ids, ", ")))
			return
		}
	}
	members, err := d.client.ListGroupMemberIDs(ctx, group.ID)
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to list the members of group "+group.ID, err)
		return
	}
	dynamic := false
	for _, t := range group.GroupTypes {
		if strings.EqualFold(t, "DynamicMembership") {
			dynamic = true
		}
	}
	memberIDs, diags := types.SetValueFrom(ctx, types.StringType, members)
	resp.Diagnostics.Append(diags...)
	state := groupModel{
		ID: types.StringValue(group.ID), DisplayName: types.StringValue(group.DisplayName),
		Description: types.StringValue(group.Description), Mail: types.StringValue(group.Mail),
		MailEnabled: types.BoolValue(group.MailEnabled), SecurityEnabled: types.BoolValue(group.SecurityEnabled),
		Dynamic: types.BoolValue(dynamic), MembershipRule: types.StringValue(group.MembershipRule), MemberIDs: memberIDs,
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
