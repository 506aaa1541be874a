package reviews

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

var _ list.ListResourceWithConfigure = &accessReviewListResource{}

// NewAccessReviewListResource is the constructor of the entragov_access_review list resource (terraform query).
func NewAccessReviewListResource() list.ListResource {
	return &accessReviewListResource{}
}

type accessReviewListResource struct {
	listing.Base
}

type accessReviewListModel struct {
	DisplayName types.String `tfsdk:"display_name"`
	Status      types.String `tfsdk:"status"`
}

// reviewStatuses are the statuses the definition's page names
// (https://learn.microsoft.com/en-us/graph/api/resources/accessreviewscheduledefinition?view=graph-rest-1.0).
var reviewStatuses = []string{"Initializing", "NotStarted", "Starting", "InProgress", "Completing", "Completed", "AutoReviewing", "AutoReviewed"}

func (r *accessReviewListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_review"
}

func (r *accessReviewListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the tenant's access review series (Graph `GET /identityGovernance/accessReviews/definitions`, every page) " +
			"for `terraform query` (Terraform 1.14 and later). Each result is named by the series' display name and carries the " +
			"`entragov_access_review` identity (`id`). Graph filters by status; it documents no filter on the display name, which " +
			"the provider applies to what Graph lists.",
		Attributes: map[string]listschema.Attribute{
			"display_name": listschema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only the series named exactly this (applied by the provider).",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"status": listschema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only the series in this status, e.g. `NotStarted` or `InProgress` (Graph `$filter=status eq`).",
				Validators:          []validator.String{stringvalidator.OneOf(reviewStatuses...)},
			},
		},
	}
}

func (r *accessReviewListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	cfg, ok := listing.Config[accessReviewListModel](ctx, req, stream)
	if !ok || !r.Ready(stream) {
		return
	}
	var eqs []graph.Eq
	if isKnown(cfg.Status) {
		eqs = append(eqs, graph.Eq{Property: "status", Value: cfg.Status.ValueString()})
	}
	objects := r.Client().WalkAccessReviewDefinitions(ctx, eqs...)
	stream.Results = listing.Stream(ctx, req, r.ProviderData, objects, listing.Spec[graph.AccessReviewDefinition]{
		What:        "access reviews",
		NewResource: NewAccessReviewResource,
		Identity:    accessReviewIdentity,
		Key:         func(d graph.AccessReviewDefinition) map[string]string { return map[string]string{"id": d.ID} },
		DisplayName: func(d graph.AccessReviewDefinition) string { return d.DisplayName },
		Keep: func(d graph.AccessReviewDefinition) bool {
			return !isKnown(cfg.DisplayName) || cfg.DisplayName.ValueString() == d.DisplayName
		},
	})
}
