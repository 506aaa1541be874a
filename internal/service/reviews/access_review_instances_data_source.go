package reviews

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/schemadoc"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ datasource.DataSource              = &accessReviewInstancesDataSource{}
	_ datasource.DataSourceWithConfigure = &accessReviewInstancesDataSource{}
)

// NewAccessReviewInstancesDataSource is the constructor registered with the provider.
func NewAccessReviewInstancesDataSource() datasource.DataSource {
	return &accessReviewInstancesDataSource{}
}

// accessReviewInstancesDataSource lists an access review's instances (Graph accessReviewInstance,
// https://learn.microsoft.com/en-us/graph/api/accessreviewscheduledefinition-list-instances?view=graph-rest-1.0)
// with the count of their decision items by decision
// (https://learn.microsoft.com/en-us/graph/api/accessreviewinstance-list-decisions?view=graph-rest-1.0).
type accessReviewInstancesDataSource struct {
	client *graph.Client
}

type accessReviewInstancesModel struct {
	AccessReviewID types.String                `tfsdk:"access_review_id"`
	Status         types.String                `tfsdk:"status"`
	Instances      []accessReviewInstanceModel `tfsdk:"instances"`
}

type accessReviewInstanceModel struct {
	ID               types.String   `tfsdk:"id"`
	Status           types.String   `tfsdk:"status"`
	StartDateTime    types.String   `tfsdk:"start_date_time"`
	EndDateTime      types.String   `tfsdk:"end_date_time"`
	ScopeQuery       types.String   `tfsdk:"scope_query"`
	DecisionsCount   types.Int64    `tfsdk:"decisions_count"`
	ApprovedCount    types.Int64    `tfsdk:"approved_count"`
	DeniedCount      types.Int64    `tfsdk:"denied_count"`
	DontKnowCount    types.Int64    `tfsdk:"dont_know_count"`
	NotReviewedCount types.Int64    `tfsdk:"not_reviewed_count"`
	AppliedCount     types.Int64    `tfsdk:"applied_count"`
	DeniedPrincipals []types.String `tfsdk:"denied_principal_ids"`
}

// instanceStatuses are the statuses of accessReviewInstance: the resource page's list and Applied,
// which the list instances page's answer shows.
var instanceStatuses = []string{"Initializing", "NotStarted", "Starting", "InProgress", "Completing", "Completed",
	"AutoReviewing", "AutoReviewed", "Applied"}

func (d *accessReviewInstancesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_review_instances"
}

func (d *accessReviewInstancesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	count := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the instances of an access review (Graph `accessReviewInstance`: one per recurrence, and per " +
			"group for a review of all groups), oldest first, with the count of their decisions. Reads the decisions of each " +
			"instance (one request per instance). Needs `AccessReview.Read.All`.",
		Attributes: map[string]schema.Attribute{
			"access_review_id": schema.StringAttribute{Required: true, MarkdownDescription: "The id of the `entragov_access_review`.",
				Validators: []validator.String{validators.GUID()}},
			"status": schema.StringAttribute{Optional: true,
				MarkdownDescription: "Only the instances in this status: " + schemadoc.CodeList(instanceStatuses) + ". Omitted: all.",
				Validators:          []validator.String{stringvalidator.OneOf(instanceStatuses...)}},
			"instances": schema.ListNestedAttribute{
				Computed: true, MarkdownDescription: "The instances, in the order Graph lists them.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":                 str("The instance's id."),
					"status":             str("`NotStarted`, `InProgress`, `Completed`, `Applied`, ... (Graph's `status`)."),
					"start_date_time":    str("When the instance starts (RFC 3339)."),
					"end_date_time":      str("When the instance ends (RFC 3339)."),
					"scope_query":        str("The query of the instance's scope: who it reviews (for a review of all groups, resolved for the instance's group)."),
					"decisions_count":    count("Decision items: one per principal under review."),
					"approved_count":     count("Decisions `Approve`."),
					"denied_count":       count("Decisions `Deny`."),
					"dont_know_count":    count("Decisions `DontKnow`."),
					"not_reviewed_count": count("Decisions `NotReviewed`: nobody decided (yet)."),
					"applied_count":      count("Decisions applied (`applyResult` other than `New`)."),
					"denied_principal_ids": schema.ListAttribute{Computed: true, ElementType: types.StringType,
						MarkdownDescription: "The ids of the principals denied, in the order Graph lists the decisions."},
				}},
			},
		},
	}
}

func (d *accessReviewInstancesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *accessReviewInstancesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg accessReviewInstancesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	reviewID := cfg.AccessReviewID.ValueString()
	insts, err := d.client.ListAccessReviewInstances(ctx, reviewID)
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("access_review_id"), "Access review not found", fmt.Sprintf("No access review has the id %q.", reviewID))
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to list the instances of access review "+reviewID, err)
		return
	}
	cfg.Instances = make([]accessReviewInstanceModel, 0, len(insts))
	for _, in := range insts {
		// The status is compared here: the list page documents $filter on status, but one request
		// for all and a comparison keep the read to the same requests either way.
		if !cfg.Status.IsNull() && !strings.EqualFold(in.Status, cfg.Status.ValueString()) {
			continue
		}
		decs, err := d.client.ListAccessReviewDecisions(ctx, reviewID, in.ID)
		if err != nil {
			diagnostics.AddAPIError(&resp.Diagnostics, "Unable to list the decisions of access review instance "+in.ID, err)
			return
		}
		cfg.Instances = append(cfg.Instances, instanceModel(in, decs))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}

// instanceModel flattens an instance and counts its decisions.
func instanceModel(in graph.AccessReviewInstance, decs []graph.AccessReviewDecision) accessReviewInstanceModel {
	m := accessReviewInstanceModel{
		ID: types.StringValue(in.ID), Status: types.StringValue(in.Status),
		StartDateTime: types.StringValue(in.StartDateTime), EndDateTime: types.StringValue(in.EndDateTime),
		ScopeQuery: types.StringNull(), DeniedPrincipals: []types.String{},
	}
	if in.Scope != nil && in.Scope.Query != "" {
		m.ScopeQuery = types.StringValue(in.Scope.Query)
	}
	var approved, denied, dontKnow, notReviewed, applied int64
	for _, d := range decs {
		switch {
		case strings.EqualFold(d.Decision, "Approve"):
			approved++
		case strings.EqualFold(d.Decision, "Deny"):
			denied++
			if d.Principal != nil {
				m.DeniedPrincipals = append(m.DeniedPrincipals, types.StringValue(d.Principal.ID))
			}
		case strings.EqualFold(d.Decision, "DontKnow"):
			dontKnow++
		default:
			notReviewed++
		}
		if d.ApplyResult != "" && !strings.EqualFold(d.ApplyResult, "New") {
			applied++
		}
	}
	m.DecisionsCount = types.Int64Value(int64(len(decs)))
	m.ApprovedCount, m.DeniedCount, m.DontKnowCount = types.Int64Value(approved), types.Int64Value(denied), types.Int64Value(dontKnow)
	m.NotReviewedCount, m.AppliedCount = types.Int64Value(notReviewed), types.Int64Value(applied)
	return m
}
