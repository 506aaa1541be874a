package entitlement

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework/listing"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var _ list.ListResourceWithConfigure = &assignmentPolicyListResource{}

// NewAssignmentPolicyListResource is the constructor of the entragov_assignment_policy list resource
// (terraform query).
func NewAssignmentPolicyListResource() list.ListResource {
	return &assignmentPolicyListResource{}
}

type assignmentPolicyListResource struct {
	listing.Base
}

type assignmentPolicyListModel struct {
	AccessPackageID types.String `tfsdk:"access_package_id"`
}

func (r *assignmentPolicyListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_assignment_policy"
}

func (r *assignmentPolicyListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists access package assignment policies (Graph `GET /identityGovernance/entitlementManagement/assignmentPolicies`, " +
			"every page) for `terraform query` (Terraform 1.14 and later). Each result is named by the policy's display name and " +
			"carries the `entragov_assignment_policy` identity (`id`).",
		Attributes: map[string]listschema.Attribute{
			"access_package_id": listschema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only the policies of this access package (its object id, a GUID; Graph `$filter=accessPackage/id eq`).",
				Validators:          []validator.String{validators.GUID()},
			},
		},
	}
}

func (r *assignmentPolicyListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	cfg, ok := listing.Config[assignmentPolicyListModel](ctx, req, stream)
	if !ok || !r.Ready(stream) {
		return
	}
	var eqs []graph.Eq
	if known(cfg.AccessPackageID) {
		eqs = append(eqs, graph.Eq{Property: "accessPackage/id", Value: cfg.AccessPackageID.ValueString()})
	}
	stream.Results = listing.Stream(ctx, req, r.ProviderData, r.Client().WalkAssignmentPolicies(ctx, eqs...), listing.Spec[graph.AssignmentPolicy]{
		What:        "assignment policies",
		NewResource: NewAssignmentPolicyResource,
		Identity:    assignmentPolicyIdentity,
		Key:         func(p graph.AssignmentPolicy) map[string]string { return map[string]string{"id": p.ID} },
		DisplayName: func(p graph.AssignmentPolicy) string { return p.DisplayName },
	})
}
