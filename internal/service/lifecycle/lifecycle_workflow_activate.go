package lifecycle

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
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

var _ action.ActionWithConfigure = &workflowActivateAction{}

// NewLifecycleWorkflowActivateAction is the constructor of the action entragov_lifecycle_workflow_activate.
func NewLifecycleWorkflowActivateAction() action.Action {
	return &workflowActivateAction{}
}

// workflowActivateAction runs a lifecycle workflow on demand: an operation, not an object, so it is an
// action rather than a resource.
type workflowActivateAction struct {
	client *graph.Client
}

type workflowActivateModel struct {
	WorkflowID types.String `tfsdk:"workflow_id"`
	UserIDs    types.Set    `tfsdk:"user_ids"`
}

func (a *workflowActivateAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_lifecycle_workflow_activate"
}

func (a *workflowActivateAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Runs a lifecycle workflow on demand for the given users " +
			"(`POST /identityGovernance/lifecycleWorkflows/workflows/{id}/activate`): its tasks run for them whether or not " +
			"they match the workflow's scope and trigger. The workflow must be enabled. Graph accepts the run and processes " +
			"it in the background; the run and each user's result are then listed under the workflow's runs and " +
			"userProcessingResults. Needs Terraform " + framework.ActionsMinimumTerraform + " or later.",
		Attributes: map[string]schema.Attribute{
			"workflow_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Object id (GUID) of the lifecycle workflow to run, such as `entragov_lifecycle_workflow.leavers.id`.",
				Validators:          []validator.String{validators.GUID()},
			},
			"user_ids": schema.SetAttribute{
				Required:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Object ids (GUIDs) of the users to run the workflow for; at least one.",
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(validators.GUID()),
				},
			},
		},
	}
}

func (a *workflowActivateAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (a *workflowActivateAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m workflowActivateModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if a.client == nil {
		resp.Diagnostics.AddError("Provider not configured", "The entragov provider was not configured before the action ran. This is a bug in the provider; please report it.")
		return
	}
	var users []string
	resp.Diagnostics.Append(m.UserIDs.ElementsAs(ctx, &users, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := m.WorkflowID.ValueString()

	framework.Progress(resp, "Reading lifecycle workflow %s", id)
	name := id
	wf, err := a.client.GetWorkflow(ctx, id)
	switch {
	case graph.IsForbidden(err):
		// LifecycleWorkflows-Workflow.Activate, the least privileged permission, may not read workflows:
		// Graph's own answer to the activate says whether the workflow can run.
		framework.Progress(resp, "The application may not read lifecycle workflow %s; running it without the checks", id)
	case err != nil:
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read the lifecycle workflow to run", err)
		return
	case !wf.IsEnabled:
		resp.Diagnostics.AddAttributeError(path.Root("workflow_id"), "Lifecycle workflow is disabled",
			fmt.Sprintf("The lifecycle workflow %q (%s) is disabled, and Graph runs only enabled workflows on demand. "+
				"Set enabled = true on the entragov_lifecycle_workflow first.", wf.DisplayName, wf.ID))
		return
	default:
		name = fmt.Sprintf("%q (version %d)", wf.DisplayName, wf.Version)
	}
	framework.Progress(resp, "Running lifecycle workflow %s on demand for %s", name, plural(len(users), "user"))
	if err := a.client.ActivateWorkflow(ctx, id, users); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to run the lifecycle workflow on demand", err)
		return
	}
	framework.Progress(resp, "Graph accepted the on-demand run of lifecycle workflow %s for %s; its tasks run in the background "+
		"(see the workflow's runs and user processing results)", name, plural(len(users), "user"))
}

// plural says "1 user" or "3 users".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
