package entitlement

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
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
	_ datasource.DataSource                     = &assignmentsDataSource{}
	_ datasource.DataSourceWithConfigure        = &assignmentsDataSource{}
	_ datasource.DataSourceWithConfigValidators = &assignmentsDataSource{}
)

// NewAccessPackageAssignmentsDataSource is the constructor registered with the provider.
func NewAccessPackageAssignmentsDataSource() datasource.DataSource {
	return &assignmentsDataSource{}
}

type assignmentsDataSource struct {
	client *graph.Client
}

type assignmentsModel struct {
	AccessPackageID    types.String          `tfsdk:"access_package_id"`
	AssignmentPolicyID types.String          `tfsdk:"assignment_policy_id"`
	TargetID           types.String          `tfsdk:"target_id"`
	State              types.String          `tfsdk:"state"`
	Assignments        []assignmentItemModel `tfsdk:"assignments"`
}

type assignmentItemModel struct {
	ID                 types.String `tfsdk:"id"`
	AccessPackageID    types.String `tfsdk:"access_package_id"`
	AssignmentPolicyID types.String `tfsdk:"assignment_policy_id"`
	TargetID           types.String `tfsdk:"target_id"`
	TargetDisplayName  types.String `tfsdk:"target_display_name"`
	TargetEmail        types.String `tfsdk:"target_email"`
	State              types.String `tfsdk:"state"`
	Status             types.String `tfsdk:"status"`
}

func (d *assignmentsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_package_assignments"
}

func (d *assignmentsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	filter := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, MarkdownDescription: desc, Validators: []validator.String{validators.GUID()}}
	}
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists access package assignments (Graph `accessPackageAssignment`) of a package, a policy or a " +
			"user; the filters combine. Needs `EntitlementManagement.Read.All`.",
		Attributes: map[string]schema.Attribute{
			"access_package_id":    filter("Only assignments of this access package."),
			"assignment_policy_id": filter("Only assignments made under this policy."),
			"target_id":            filter("Only assignments of this user (object id)."),
			"state": schema.StringAttribute{
				Optional: true, MarkdownDescription: "Only assignments in this state, e.g. `delivered`.",
			},
			"assignments": schema.ListNestedAttribute{
				Computed: true, MarkdownDescription: "The assignments found.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":                   computed("The assignment's object id."),
					"access_package_id":    computed("Its access package."),
					"assignment_policy_id": computed("Its policy."),
					"target_id":            computed("The assigned user's object id."),
					"target_display_name":  computed("The assigned user's name."),
					"target_email":         computed("The assigned user's mail."),
					"state":                computed("`delivered`, `delivering`, `expired`, …"),
					"status":               computed("The service's status text."),
				}},
			},
		},
	}
}

func (d *assignmentsDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.AtLeastOneOf(path.MatchRoot("access_package_id"), path.MatchRoot("assignment_policy_id"), path.MatchRoot("target_id")),
	}
}

func (d *assignmentsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *assignmentsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m assignmentsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	found, err := d.client.ListAssignments(ctx, graph.AssignmentFilter{
		AccessPackageID: m.AccessPackageID.ValueString(), AssignmentPolicyID: m.AssignmentPolicyID.ValueString(),
		TargetObjectID: m.TargetID.ValueString(), State: m.State.ValueString(),
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to list access package assignments", err)
		return
	}
	m.Assignments = []assignmentItemModel{}
	for _, a := range found {
		item := assignmentItemModel{ID: types.StringValue(a.ID), State: types.StringValue(a.State), Status: types.StringValue(a.Status),
			AccessPackageID: types.StringNull(), AssignmentPolicyID: types.StringNull(), TargetID: types.StringNull(),
			TargetDisplayName: types.StringNull(), TargetEmail: types.StringNull()}
		if a.AccessPackage != nil {
			item.AccessPackageID = types.StringValue(a.AccessPackage.ID)
		}
		if a.AssignmentPolicy != nil {
			item.AssignmentPolicyID = types.StringValue(a.AssignmentPolicy.ID)
		}
		if a.Target != nil {
			item.TargetID = types.StringValue(a.Target.ObjectID)
			item.TargetDisplayName = types.StringValue(a.Target.DisplayName)
			item.TargetEmail = types.StringValue(a.Target.Email)
		}
		m.Assignments = append(m.Assignments, item)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
