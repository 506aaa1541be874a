package entitlement

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var _ action.ActionWithConfigure = &assignmentReprocessAction{}

// NewAccessPackageAssignmentReprocessAction is the constructor of the action
// entragov_access_package_assignment_reprocess.
func NewAccessPackageAssignmentReprocessAction() action.Action {
	return &assignmentReprocessAction{}
}

// assignmentReprocessAction asks Graph to reevaluate and enforce an assignment: the access it grants
// (group memberships, application roles, site roles) is delivered again.
type assignmentReprocessAction struct {
	client *graph.Client
}

type assignmentReprocessModel struct {
	AssignmentID types.String `tfsdk:"assignment_id"`
}

func (a *assignmentReprocessAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_package_assignment_reprocess"
}

func (a *assignmentReprocessAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reprocesses an access package assignment " +
			"(`POST /identityGovernance/entitlementManagement/assignments/{id}/reprocess`): Graph reevaluates it and delivers " +
			"the access it grants again, for example a group membership removed by hand. Only a `delivered` assignment can be " +
			"reprocessed. Graph accepts the request (202) and works in the background. Needs Terraform " +
			framework.ActionsMinimumTerraform + " or later.",
		Attributes: map[string]schema.Attribute{
			"assignment_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Object id (GUID) of the access package assignment, such as " +
					"`entragov_access_package_assignment.alice.id`.",
				Validators: []validator.String{validators.GUID()},
			},
		},
	}
}

func (a *assignmentReprocessAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (a *assignmentReprocessAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m assignmentReprocessModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if a.client == nil {
		resp.Diagnostics.AddError("Provider not configured", "The entragov provider was not configured before the action ran. This is a bug in the provider; please report it.")
		return
	}
	id := m.AssignmentID.ValueString()

	framework.Progress(resp, "Reading access package assignment %s", id)
	asg, err := a.client.GetAssignment(ctx, id)
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read the access package assignment to reprocess", err)
		return
	}
	who := describeAssignment(asg)
	// The reference page: the assignment must be delivered to be reprocessed.
	if !strings.EqualFold(asg.State, "delivered") {
		resp.Diagnostics.AddAttributeError(path.Root("assignment_id"), "Access package assignment cannot be reprocessed",
			fmt.Sprintf("The assignment %s %s is in state %q (status %q); Graph reprocesses only delivered assignments.", id, who, asg.State, asg.Status))
		return
	}
	framework.Progress(resp, "Reprocessing access package assignment %s %s (status %s)", id, who, asg.Status)
	if err := a.client.ReprocessAssignment(ctx, id); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to reprocess the access package assignment", err)
		return
	}
	framework.Progress(resp, "Graph accepted the reprocessing of assignment %s; the access it grants is delivered again in the background", id)
}

// describeAssignment names the user and the access package of an assignment for messages.
func describeAssignment(asg *graph.Assignment) string {
	var parts []string
	if t := asg.Target; t != nil {
		name := t.DisplayName
		if t.PrincipalName != "" {
			name += " <" + t.PrincipalName + ">"
		}
		parts = append(parts, "of "+strings.TrimSpace(name))
	}
	if asg.AccessPackage != nil && asg.AccessPackage.ID != "" {
		parts = append(parts, "to access package "+asg.AccessPackage.ID)
	}
	return strings.Join(parts, " ")
}
