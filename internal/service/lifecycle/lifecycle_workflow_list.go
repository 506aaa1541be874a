package lifecycle

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework/listing"
	"github.com/entragov/terraform-provider-entragov/internal/framework/schemadoc"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var _ list.ListResourceWithConfigure = &lifecycleWorkflowListResource{}

// NewLifecycleWorkflowListResource is the constructor of the entragov_lifecycle_workflow list resource
// (terraform query).
func NewLifecycleWorkflowListResource() list.ListResource {
	return &lifecycleWorkflowListResource{}
}

type lifecycleWorkflowListResource struct {
	listing.Base
}

type lifecycleWorkflowListModel struct {
	DisplayName types.String `tfsdk:"display_name"`
	Category    types.String `tfsdk:"category"`
}

func (r *lifecycleWorkflowListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_lifecycle_workflow"
}

func (r *lifecycleWorkflowListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the tenant's lifecycle workflows (Graph `GET /identityGovernance/lifecycleWorkflows/workflows`, " +
			"every page; deleted workflows are not listed) for `terraform query` (Terraform 1.14 and later). Each result is named by " +
			"the workflow's display name and carries the `entragov_lifecycle_workflow` identity (`id`).",
		Attributes: map[string]listschema.Attribute{
			"display_name": listschema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only the workflows named exactly this (Graph `$filter=displayName eq`, then compared with case).",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"category": listschema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only the workflows of this category: " + schemadoc.CodeList(graph.WorkflowCategories) + " (Graph `$filter=category eq`).",
				Validators:          []validator.String{stringvalidator.OneOf(graph.WorkflowCategories...)},
			},
		},
	}
}

func (r *lifecycleWorkflowListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	cfg, ok := listing.Config[lifecycleWorkflowListModel](ctx, req, stream)
	if !ok || !r.Ready(stream) {
		return
	}
	var eqs []graph.Eq
	if known(cfg.DisplayName) {
		eqs = append(eqs, graph.Eq{Property: "displayName", Value: cfg.DisplayName.ValueString()})
	}
	if known(cfg.Category) {
		eqs = append(eqs, graph.Eq{Property: "category", Value: cfg.Category.ValueString()})
	}
	stream.Results = listing.Stream(ctx, req, r.ProviderData, r.Client().WalkWorkflows(ctx, eqs...), listing.Spec[graph.Workflow]{
		What:        "lifecycle workflows",
		NewResource: NewLifecycleWorkflowResource,
		Identity:    workflowIdentity,
		Key:         func(w graph.Workflow) map[string]string { return map[string]string{"id": w.ID} },
		DisplayName: func(w graph.Workflow) string { return w.DisplayName },
		Keep: func(w graph.Workflow) bool {
			return (!known(cfg.DisplayName) || cfg.DisplayName.ValueString() == w.DisplayName) &&
				(!known(cfg.Category) || cfg.Category.ValueString() == w.Category)
		},
	})
}
