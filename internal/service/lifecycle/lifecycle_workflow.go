package lifecycle

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/identity"
	"github.com/entragov/terraform-provider-entragov/internal/framework/schematypes"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ resource.Resource                   = &workflowResource{}
	_ resource.ResourceWithConfigure      = &workflowResource{}
	_ resource.ResourceWithImportState    = &workflowResource{}
	_ resource.ResourceWithIdentity       = &workflowResource{}
	_ resource.ResourceWithValidateConfig = &workflowResource{}
	_ resource.ResourceWithModifyPlan     = &workflowResource{}
)

// workflowIdentity is the resource identity (Terraform 1.12 and later).
var workflowIdentity = identity.ByID("lifecycle workflow")

// NewLifecycleWorkflowResource is the constructor registered with the provider.
func NewLifecycleWorkflowResource() resource.Resource {
	return &workflowResource{}
}

type workflowResource struct {
	client      *graph.Client
	definitions taskDefinitionSource // the tenant's task definitions; nil until the provider is configured
}

func (r *workflowResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_lifecycle_workflow"
}

func (r *workflowResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schematypes.Cache(workflowSchema())
}

func (r *workflowResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = workflowIdentity.Schema()
}

func (r *workflowResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
	if defs := framework.TaskDefinitionsFrom(req.ProviderData); defs != nil {
		r.definitions = defs
	}
}

// ModifyPlan checks the tasks against the tenant's task definitions (checkTasksAgainstTenant), then
// plans `version` unknown exactly when the update will create a new version, and keeps it (and
// last_modified_date_time when nothing reaches Graph) otherwise, so that applies never report an
// inconsistent result.
func (r *workflowResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.checkTasksAgainstTenant(ctx, req, resp)
	if resp.Diagnostics.HasError() || req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return // refused, create or destroy
	}
	var plan, state workflowModel
	if d := req.State.Get(ctx, &state); d.HasError() {
		return
	}
	if d := req.Plan.Get(ctx, &plan); d.HasError() {
		// A whole task list or condition object is unknown: a new version is the safe assumption.
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("version"), types.Int64Unknown())...)
		return
	}
	newVersion := needsNewVersion(ctx, req.Plan.Raw, plan, state)
	if newVersion {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("version"), types.Int64Unknown())...)
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("version"), state.Version)...)
	if _, patch := workflowPatch(plan, state); !patch && len(changedTaskTexts(plan, state)) == 0 {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("last_modified_date_time"), state.LastModifiedDateTime)...)
	}
}

// needsNewVersion says whether going from state to plan needs createNewVersion: anything besides the
// four patchable workflow fields and the tasks' names and descriptions. A value not known yet counts
// as a change, so a planned-known version is never contradicted at apply.
func needsNewVersion(ctx context.Context, raw tftypes.Value, plan, state workflowModel) bool {
	if !attributeFullyKnown(raw, "execution_conditions") || !attributeFullyKnown(raw, "tasks") || !known(plan.Category) {
		return true
	}
	return versionKey(ctx, plan) != versionKey(ctx, state)
}

func attributeFullyKnown(raw tftypes.Value, name string) bool {
	v, _, err := tftypes.WalkAttributePath(raw, tftypes.NewAttributePath().WithAttributeName(name))
	if err != nil {
		return false
	}
	tv, ok := v.(tftypes.Value)
	return ok && tv.IsFullyKnown()
}

// workflowPatch is the PATCH body for the four patchable fields that changed.
func workflowPatch(plan, state workflowModel) (graph.WorkflowUpdate, bool) {
	var patch graph.WorkflowUpdate
	changed := false
	if !plan.DisplayName.Equal(state.DisplayName) {
		patch.DisplayName, changed = plan.DisplayName.ValueStringPointer(), true
	}
	if !plan.Description.Equal(state.Description) {
		patch.Description, changed = plan.Description.ValueStringPointer(), true
	}
	if !plan.Enabled.Equal(state.Enabled) {
		patch.IsEnabled, changed = plan.Enabled.ValueBoolPointer(), true
	}
	if !plan.SchedulingEnabled.Equal(state.SchedulingEnabled) {
		patch.IsSchedulingEnabled, changed = plan.SchedulingEnabled.ValueBoolPointer(), true
	}
	return patch, changed
}

// changedTaskTexts lists the positions of tasks whose name or description changed, with their PATCH.
func changedTaskTexts(plan, state workflowModel) map[int]graph.WorkflowTaskUpdate {
	out := map[int]graph.WorkflowTaskUpdate{}
	for i := range plan.Tasks {
		if i >= len(state.Tasks) {
			break
		}
		var u graph.WorkflowTaskUpdate
		changed := false
		if !plan.Tasks[i].DisplayName.Equal(state.Tasks[i].DisplayName) {
			u.DisplayName, changed = plan.Tasks[i].DisplayName.ValueStringPointer(), true
		}
		if !plan.Tasks[i].Description.Equal(state.Tasks[i].Description) {
			u.Description, changed = plan.Tasks[i].Description.ValueStringPointer(), true
		}
		if changed {
			out[i] = u
		}
	}
	return out
}

func (r *workflowResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer workflowIdentity.Create(ctx, resp)
	var plan workflowModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	body, diags := expandWorkflow(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	named := framework.NamedCreate{
		ResourceType: "entragov_lifecycle_workflow", Kind: "lifecycle workflow", What: fmt.Sprintf("a lifecycle workflow named %q", body.DisplayName),
		Find: func(ctx context.Context) ([]string, error) {
			found, err := r.client.ListWorkflowsByName(ctx, body.DisplayName)
			ids := make([]string, len(found))
			for i, w := range found {
				ids[i] = w.ID
			}
			return ids, err
		},
	}
	if !framework.CheckNoDuplicate(ctx, r.client, &resp.Diagnostics, named) {
		return
	}
	created, err := r.client.CreateWorkflow(ctx, body)
	if graph.IsAmbiguous(err) {
		created, err = r.adopt(ctx, body.DisplayName, err)
	}
	if err != nil {
		// Graph refuses a second workflow with one name at once, while its lists may not show the first yet.
		if !framework.RefusedAsDuplicate(ctx, r.client, &resp.Diagnostics, named, err) {
			diagnostics.AddAPIError(&resp.Diagnostics, "Unable to create lifecycle workflow "+body.DisplayName, err)
		}
		return
	}
	// Keep the id in state before the read-back can fail, so the workflow is never orphaned.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), created.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("category"), plan.Category)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("display_name"), plan.DisplayName)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("permanently_delete_on_destroy"), plan.PermanentlyDeleteOnDestroy)...)

	var current *graph.Workflow
	err = r.client.WaitForExistence(ctx, func(ctx context.Context) error {
		current, err = r.client.GetWorkflow(ctx, created.ID)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Lifecycle workflow "+created.ID+" was created but could not be read back", err)
		return
	}
	state := flattenWorkflow(current, plan)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// adopt finds the workflow an ambiguous create may have made, by its display name (unique in Graph),
// waiting out replication.
func (r *workflowResource) adopt(ctx context.Context, name string, createErr error) (*graph.Workflow, error) {
	id, err := r.client.AdoptAfterAmbiguousCreate(ctx, fmt.Sprintf("lifecycle workflow %q", name), createErr, func(ctx context.Context) ([]string, error) {
		found, err := r.client.ListWorkflowsByName(ctx, name)
		ids := make([]string, len(found))
		for i, w := range found {
			ids[i] = w.ID
		}
		return ids, err
	})
	if err != nil {
		return nil, err
	}
	return &graph.Workflow{ID: id}, nil
}

func (r *workflowResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer workflowIdentity.Read(ctx, req, resp)
	var prior workflowModel
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var current *graph.Workflow
	gone, err := r.client.RefreshRead(ctx, prior.CreatedDateTime.ValueString(), func(ctx context.Context) (err error) {
		current, err = r.client.GetWorkflow(ctx, prior.ID.ValueString())
		return err
	})
	if gone || (err == nil && current.DeletedDateTime != nil) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read lifecycle workflow "+prior.ID.ValueString(), err)
		return
	}
	state := flattenWorkflow(current, prior)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *workflowResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer workflowIdentity.Update(ctx, resp)
	var plan, state workflowModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	if needsNewVersion(ctx, req.Plan.Raw, plan, state) {
		body, diags := expandWorkflow(ctx, plan)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		// The version state holds lets a lost answer be settled by reading the workflow's version.
		if _, err := r.client.CreateNewWorkflowVersion(ctx, id, int(state.Version.ValueInt64()), body); err != nil {
			diagnostics.AddAPIError(&resp.Diagnostics, "Unable to create a new version of lifecycle workflow "+id, err)
			return
		}
	} else {
		r.patch(ctx, id, plan, state, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	current, err := r.client.GetWorkflow(ctx, id)
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Lifecycle workflow "+id+" was updated but could not be read back", err)
		return
	}
	next := flattenWorkflow(current, plan)
	resp.Diagnostics.Append(resp.State.Set(ctx, &next)...)
}

// patch changes the patchable fields in place: the workflow's four, then the changed tasks' names and
// descriptions, matched by position against the task ids Graph holds now.
func (r *workflowResource) patch(ctx context.Context, id string, plan, state workflowModel, diags *diag.Diagnostics) {
	if body, changed := workflowPatch(plan, state); changed {
		if err := r.client.UpdateWorkflow(ctx, id, body); err != nil {
			diagnostics.AddAPIError(diags, "Unable to update lifecycle workflow "+id, err)
			return
		}
	}
	changes := changedTaskTexts(plan, state)
	if len(changes) == 0 {
		return
	}
	current, err := r.client.GetWorkflow(ctx, id)
	if err != nil {
		diagnostics.AddAPIError(diags, "Unable to read the tasks of lifecycle workflow "+id, err)
		return
	}
	tasks := append([]graph.WorkflowTask(nil), current.Tasks...)
	sort.SliceStable(tasks, func(i, j int) bool { return tasks[i].ExecutionSequence < tasks[j].ExecutionSequence })
	positions := make([]int, 0, len(changes))
	for i := range changes {
		positions = append(positions, i)
	}
	sort.Ints(positions)
	for _, i := range positions {
		if i >= len(tasks) {
			diags.AddError("Lifecycle workflow changed outside Terraform",
				fmt.Sprintf("Workflow %s has %d tasks in Graph; tasks[%d] cannot be renamed. Run terraform apply again after a refresh.", id, len(tasks), i))
			return
		}
		if err := r.client.UpdateWorkflowTask(ctx, id, tasks[i].ID, changes[i]); err != nil {
			diagnostics.AddAPIError(diags, fmt.Sprintf("Unable to update task %q of lifecycle workflow %s", tasks[i].DisplayName, id), err)
			return
		}
	}
}

func (r *workflowResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state workflowModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	if err := r.client.DeleteWorkflow(ctx, id); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to delete lifecycle workflow "+id, err)
		return
	}
	err := r.client.WaitForDeletion(ctx, func(ctx context.Context) error {
		_, err := r.client.GetWorkflow(ctx, id)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Lifecycle workflow "+id+" was deleted but is still readable", err)
		return
	}
	if !state.PermanentlyDeleteOnDestroy.ValueBool() {
		return
	}
	// The soft-deleted workflow shows up in deletedItems (possibly after a replication delay); delete it there.
	err = r.client.WaitForExistence(ctx, func(ctx context.Context) error {
		_, err := r.client.GetDeletedWorkflow(ctx, id)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Lifecycle workflow "+id+" was soft-deleted but is not in deletedItems", err)
		return
	}
	if err := r.client.PermanentlyDeleteWorkflow(ctx, id); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to permanently delete lifecycle workflow "+id+" from deletedItems", err)
		return
	}
	err = r.client.WaitForDeletion(ctx, func(ctx context.Context) error {
		_, err := r.client.GetDeletedWorkflow(ctx, id)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Lifecycle workflow "+id+" was permanently deleted but is still in deletedItems", err)
	}
}

func (r *workflowResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := strings.TrimSpace(req.ID)
	if req.ID == "" {
		values, diags := workflowIdentity.Values(ctx, req)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		id = strings.TrimSpace(values["id"])
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("permanently_delete_on_destroy"), false)...)
}
