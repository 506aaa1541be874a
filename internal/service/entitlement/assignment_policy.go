package entitlement

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/identity"
	"github.com/entragov/terraform-provider-entragov/internal/framework/schematypes"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ resource.Resource                   = &assignmentPolicyResource{}
	_ resource.ResourceWithConfigure      = &assignmentPolicyResource{}
	_ resource.ResourceWithImportState    = &assignmentPolicyResource{}
	_ resource.ResourceWithIdentity       = &assignmentPolicyResource{}
	_ resource.ResourceWithValidateConfig = &assignmentPolicyResource{}
)

// assignmentPolicyIdentity is the resource identity (Terraform 1.12 and later).
var assignmentPolicyIdentity = identity.ByID("assignment policy")

// NewAssignmentPolicyResource is the constructor registered with the provider.
func NewAssignmentPolicyResource() resource.Resource {
	return &assignmentPolicyResource{}
}

type assignmentPolicyResource struct {
	client *graph.Client
}

func (r *assignmentPolicyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_assignment_policy"
}

func (r *assignmentPolicyResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schematypes.Cache(policySchema())
}

func (r *assignmentPolicyResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = assignmentPolicyIdentity.Schema()
}

func (r *assignmentPolicyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *assignmentPolicyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer assignmentPolicyIdentity.Create(ctx, resp)
	var plan policyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	body, diags := expandPolicy(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	packageID := plan.AccessPackageID.ValueString()
	named := framework.NamedCreate{
		ResourceType: "entragov_assignment_policy", Kind: "assignment policy", What: fmt.Sprintf("an assignment policy named %q for access package %s", body.DisplayName, packageID),
		Find: func(ctx context.Context) ([]string, error) {
			found, err := r.client.ListAssignmentPoliciesByName(ctx, packageID, body.DisplayName)
			return idsOf(found, func(p graph.AssignmentPolicy) string { return p.ID }), err
		},
		InFreshParent: r.client.PreventDuplicateNames() && r.client.ClaimNameInFreshParent(graph.ParentAccessPackage, packageID, body.DisplayName),
	}
	if !framework.CheckNoDuplicate(ctx, r.client, &resp.Diagnostics, named) {
		return
	}
	start := r.client.StartCreate()
	created, err := r.client.CreateAssignmentPolicy(ctx, packageID, body)
	if graph.IsAmbiguous(err) {
		created, err = adoptByName(ctx, r.client, fmt.Sprintf("assignment policy %q", body.DisplayName), err, start,
			func(ctx context.Context) ([]graph.AssignmentPolicy, error) {
				return r.client.ListAssignmentPoliciesByName(ctx, packageID, body.DisplayName)
			},
			func(p graph.AssignmentPolicy) (string, string) { return p.ID, p.CreatedDateTime })
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to create assignment policy for access package "+packageID, err)
		return
	}
	// Keep the id in state before the read-back can fail, so the policy is never orphaned.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), created.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("access_package_id"), packageID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("display_name"), plan.DisplayName)...)

	var current *graph.AssignmentPolicy
	err = r.client.WaitForExistence(ctx, func(ctx context.Context) error {
		current, err = r.client.GetAssignmentPolicy(ctx, created.ID)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Assignment policy "+created.ID+" was created but could not be read back", err)
		return
	}
	if !createdAlone(ctx, r.client, resp, named, created.ID, func(ctx context.Context) error { return r.client.DeleteAssignmentPolicy(ctx, created.ID) },
		func(ctx context.Context) error { _, err := r.client.GetAssignmentPolicy(ctx, created.ID); return err }) {
		return
	}
	state, diags := flattenPolicy(ctx, current, plan)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *assignmentPolicyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer assignmentPolicyIdentity.Read(ctx, req, resp)
	var prior policyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var current *graph.AssignmentPolicy
	gone, err := r.client.RefreshRead(ctx, prior.CreatedDateTime.ValueString(), func(ctx context.Context) (err error) {
		current, err = r.client.GetAssignmentPolicy(ctx, prior.ID.ValueString())
		return err
	})
	if gone {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read assignment policy "+prior.ID.ValueString(), err)
		return
	}
	state, diags := flattenPolicy(ctx, current, prior)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *assignmentPolicyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer assignmentPolicyIdentity.Update(ctx, resp)
	var plan policyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	body, diags := expandPolicy(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := plan.ID.ValueString()
	if _, err := r.client.ReplaceAssignmentPolicy(ctx, id, plan.AccessPackageID.ValueString(), body); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to update assignment policy "+id, err)
		return
	}
	// The PUT reply lacks the navigation properties (questions, extensions); read the whole policy.
	current, err := r.client.GetAssignmentPolicy(ctx, id)
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Assignment policy "+id+" was updated but could not be read back", err)
		return
	}
	state, diags := flattenPolicy(ctx, current, plan)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *assignmentPolicyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state policyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	deleteAndWait(ctx, r.client, &resp.Diagnostics, "assignment policy "+id,
		func(ctx context.Context) error { return r.client.DeleteAssignmentPolicy(ctx, id) },
		func(ctx context.Context) error {
			_, err := r.client.GetAssignmentPolicy(ctx, id)
			return err
		})
}

func (r *assignmentPolicyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("id"), req, resp)
}
