package entitlement

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/identity"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ resource.Resource                   = &assignmentResource{}
	_ resource.ResourceWithConfigure      = &assignmentResource{}
	_ resource.ResourceWithImportState    = &assignmentResource{}
	_ resource.ResourceWithIdentity       = &assignmentResource{}
	_ resource.ResourceWithValidateConfig = &assignmentResource{}
)

// assignmentIdentity is the resource identity (Terraform 1.12 and later).
var assignmentIdentity = identity.ByID("access package assignment")

// NewAccessPackageAssignmentResource is the constructor registered with the provider.
func NewAccessPackageAssignmentResource() resource.Resource {
	return &assignmentResource{}
}

type assignmentResource struct {
	client *graph.Client
}

type assignmentModel struct {
	ID                 types.String             `tfsdk:"id"`
	TargetID           types.String             `tfsdk:"target_id"`
	TargetEmail        types.String             `tfsdk:"target_email"`
	AccessPackageID    types.String             `tfsdk:"access_package_id"`
	AssignmentPolicyID types.String             `tfsdk:"assignment_policy_id"`
	Justification      types.String             `tfsdk:"justification"`
	Schedule           *assignmentScheduleModel `tfsdk:"schedule"`
	State              types.String             `tfsdk:"state"`
	Status             types.String             `tfsdk:"status"`
}

type assignmentScheduleModel struct {
	StartDateTime types.String     `tfsdk:"start_date_time"`
	Expiration    *expirationModel `tfsdk:"expiration"`
}

func (r *assignmentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_package_assignment"
}

func (r *assignmentResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Assigns an access package to a user directly, as an administrator (Graph " +
			"`accessPackageAssignmentRequest` with `adminAdd`; destroy sends `adminRemove`). The target is a user in the " +
			"directory (`target_id`) or someone who is not in it yet, named by email (`target_email`, for a policy whose " +
			"`allowed_target_scope` admits external users): Graph invites them, and the assignment is `delivering` until they " +
			"redeem the invitation, then `delivered`; `target_id` shows the invited user. Create waits until the assignment " +
			"is delivered (or, by email, made and waiting for the redemption) and fails with the request's state and status " +
			"when delivery fails. Assignments cannot be changed, so every argument forces a new assignment. Needs " +
			"`EntitlementManagement.ReadWrite.All`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The assignment's object id, also the import id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"target_id": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The object id of the user (member or guest) to assign. Exactly one of `target_id` and " +
					"`target_email`; with `target_email`, the id of the user Graph invited (or found with that email).",
				Validators:    []validator.String{validators.GUID()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured(), stringplanmodifier.UseStateForUnknown()},
			},
			"target_email": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The email address of someone not in the directory yet (or already there: Graph then " +
					"assigns the user with that email). Graph invites them as a guest; the policy's `allowed_target_scope` must be " +
					"`allExternalUsers`, or a connected organization scope whose organizations cover the email's domain. Exactly " +
					"one of `target_id` and `target_email`. Naming the same person by the other attribute does not replace the " +
					"assignment (an import, for example).",
				Validators:    []validator.String{validators.Email()},
				PlanModifiers: []planmodifier.String{replaceOtherTargetEmail{}},
			},
			"access_package_id": schema.StringAttribute{
				Required: true, MarkdownDescription: "The access package to assign.",
				Validators: []validator.String{validators.GUID()}, PlanModifiers: replace,
			},
			"assignment_policy_id": schema.StringAttribute{
				Required: true, MarkdownDescription: "The package's policy the assignment is made under (its expiration and reviews apply).",
				Validators: []validator.String{validators.GUID()}, PlanModifiers: replace,
			},
			"justification": schema.StringAttribute{
				Optional: true, MarkdownDescription: "Why the assignment is made, recorded on the request.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)}, PlanModifiers: replace,
			},
			"schedule": schema.SingleNestedAttribute{
				Optional: true, MarkdownDescription: "When the assignment starts and ends. Omitted: now, with the policy's expiration.",
				PlanModifiers: []planmodifier.Object{objectplanmodifier.RequiresReplace()},
				Attributes: map[string]schema.Attribute{
					"start_date_time": schema.StringAttribute{Optional: true, MarkdownDescription: "When access starts, RFC 3339.",
						Validators: []validator.String{validators.RFC3339()}},
					"expiration": schema.SingleNestedAttribute{
						Optional: true, MarkdownDescription: "When access ends.",
						Attributes: map[string]schema.Attribute{
							"type":          enumAttribute("`noExpiration`, `afterDateTime` (needs `end_date_time`) or `afterDuration` (needs `duration`).", []string{"noExpiration", "afterDateTime", "afterDuration"}, true),
							"end_date_time": schema.StringAttribute{Optional: true, MarkdownDescription: "When access ends, RFC 3339.", Validators: []validator.String{validators.RFC3339()}},
							"duration":      durationAttribute("How long access lasts.", false),
						},
					},
				},
			},
			"state": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The assignment's state, e.g. `delivered`.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"status": schema.StringAttribute{Computed: true, MarkdownDescription: "The service's status text, e.g. `Delivered`."},
		},
	}
}

// ValidateConfig checks the schedule: its expiration fields must fit the type, and it must end after
// it starts.
func (r *assignmentResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m assignmentModel
	if d := req.Config.Get(ctx, &m); d.HasError() {
		return
	}
	if m.TargetID.IsNull() == m.TargetEmail.IsNull() && !m.TargetID.IsUnknown() && !m.TargetEmail.IsUnknown() {
		what := "neither is"
		if !m.TargetID.IsNull() {
			what = "both are"
		}
		resp.Diagnostics.AddAttributeError(path.Root("target_id"), "Exactly one target",
			"Set target_id (a user in the directory) or target_email (someone Graph invites); "+what+" set.")
	}
	if m.Schedule == nil {
		return
	}
	v := policyValidator{ctx: ctx, diags: &resp.Diagnostics}
	if e := m.Schedule.Expiration; e != nil {
		v.expirationAt(path.Root("schedule").AtName("expiration"), e)
		if known(e.EndDateTime) && known(m.Schedule.StartDateTime) && e.EndDateTime.ValueString() <= m.Schedule.StartDateTime.ValueString() &&
			strings.HasSuffix(e.EndDateTime.ValueString(), "Z") && strings.HasSuffix(m.Schedule.StartDateTime.ValueString(), "Z") {
			v.fail(path.Root("schedule").AtName("expiration").AtName("end_date_time"), "End before start",
				"the assignment ends (%s) before it starts (%s).", e.EndDateTime.ValueString(), m.Schedule.StartDateTime.ValueString())
		}
	}
}

func (r *assignmentResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = assignmentIdentity.Schema()
}

func (r *assignmentResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *assignmentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer assignmentIdentity.Create(ctx, resp)
	var plan assignmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.TargetEmail.IsNull() {
		r.createByEmail(ctx, &plan, resp)
		return
	}
	target, pkg, policy := plan.TargetID.ValueString(), plan.AccessPackageID.ValueString(), plan.AssignmentPolicyID.ValueString()
	request, err := r.client.AssignAccessPackage(ctx, target, pkg, policy, plan.Justification.ValueString(), expandAssignmentSchedule(plan.Schedule))
	if graph.IsAmbiguous(err) {
		// The request's answer was lost; the assignment it makes is found by its natural key.
		var id string
		id, err = r.client.AdoptAfterAmbiguousCreate(ctx, fmt.Sprintf("assignment of %s to %s", pkg, target), err, func(ctx context.Context) ([]string, error) {
			a, err := r.findAssignment(ctx, target, pkg, policy)
			if graph.IsNotFound(err) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			return []string{a.ID}, nil
		})
		if err == nil {
			var found *graph.Assignment
			if found, err = r.client.GetAssignment(ctx, id); err == nil {
				flattenAssignment(found, &plan)
				resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
				return
			}
		}
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, fmt.Sprintf("Unable to assign access package %s to %s", pkg, target), err)
		return
	}
	// Once the request is accepted, its outcome is awaited even when Terraform is interrupted, so the
	// new assignment's id reaches the state.
	waitCtx, cancel := graph.Detached(ctx, 5*time.Minute)
	defer cancel()
	done, err := r.client.WaitForRequest(waitCtx, request.ID)
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Assignment request "+request.ID+" did not finish", err)
		return
	}
	if done.State != "delivered" {
		resp.Diagnostics.AddError("Assignment not delivered",
			fmt.Sprintf("Assignment request %s for user %s ended in state %q with status %q. Check the policy %s allows this user, then apply again.",
				done.ID, target, done.State, done.Status, policy))
		return
	}
	// The request answers before the assignment is listed; find it by its natural key.
	var found *graph.Assignment
	err = r.client.WaitForExistence(waitCtx, func(ctx context.Context) error {
		found, err = r.findAssignment(ctx, target, pkg, policy)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Assignment of "+pkg+" to "+target+" was delivered but could not be read back", err)
		return
	}
	flattenAssignment(found, &plan)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// createByEmail assigns someone named by email. Graph invites them; the request makes an assignment
// that is delivering until they redeem, so Create waits for the assignment, not for its delivery.
func (r *assignmentResource) createByEmail(ctx context.Context, plan *assignmentModel, resp *resource.CreateResponse) {
	email, pkg, policy := plan.TargetEmail.ValueString(), plan.AccessPackageID.ValueString(), plan.AssignmentPolicyID.ValueString()
	request, err := r.client.AssignAccessPackageByEmail(ctx, email, pkg, policy, plan.Justification.ValueString(), expandAssignmentSchedule(plan.Schedule))
	var found *graph.Assignment
	if graph.IsAmbiguous(err) {
		// The answer was lost: the assignment is found by the package, the policy and the target's email.
		var id string
		id, err = r.client.AdoptAfterAmbiguousCreate(ctx, fmt.Sprintf("assignment of %s to %s", pkg, email), err, func(ctx context.Context) ([]string, error) {
			a, err := r.findAssignmentByEmail(ctx, email, pkg, policy)
			if graph.IsNotFound(err) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			return []string{a.ID}, nil
		})
		if err == nil {
			found, err = r.client.GetAssignment(ctx, id)
		}
	} else if err == nil {
		waitCtx, cancel := graph.Detached(ctx, 5*time.Minute)
		defer cancel()
		var done *graph.AssignmentRequest
		done, found, err = r.client.WaitForRequestAssignment(waitCtx, request.ID)
		if err == nil && found == nil {
			resp.Diagnostics.AddError("Assignment not made",
				fmt.Sprintf("Assignment request %s for %s ended in state %q with status %q. Check that policy %s admits external users "+
					"from the email's domain, then apply again.", done.ID, email, done.State, done.Status, policy))
			return
		}
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, fmt.Sprintf("Unable to assign access package %s to %s", pkg, email), err)
		return
	}
	flattenAssignment(found, plan)
	if plan.TargetID.IsUnknown() {
		plan.TargetID = types.StringNull()
	}
	resp.Diagnostics.Append(rememberTargetEmail(ctx, resp.Private, found)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// findAssignmentByEmail finds the not-expired assignment of pkg under policy whose target has email.
func (r *assignmentResource) findAssignmentByEmail(ctx context.Context, email, pkg, policy string) (*graph.Assignment, error) {
	found, err := r.client.ListAssignments(ctx, graph.AssignmentFilter{AccessPackageID: pkg, AssignmentPolicyID: policy})
	if err != nil {
		return nil, err
	}
	for i := range found {
		if a := &found[i]; a.State != "expired" && a.Target != nil && strings.EqualFold(a.Target.Email, email) {
			return a, nil
		}
	}
	return nil, &graph.Error{Status: 404, Code: "ResourceNotFound", Message: fmt.Sprintf("no assignment of %s to %s under policy %s", pkg, email, policy)}
}

func (r *assignmentResource) findAssignment(ctx context.Context, target, pkg, policy string) (*graph.Assignment, error) {
	found, err := r.client.ListAssignments(ctx, graph.AssignmentFilter{TargetObjectID: target, AccessPackageID: pkg})
	if err != nil {
		return nil, err
	}
	for i := range found {
		a := &found[i]
		if a.State == "expired" || a.AssignmentPolicy == nil || !strings.EqualFold(a.AssignmentPolicy.ID, policy) {
			continue
		}
		return a, nil
	}
	return nil, &graph.Error{Status: 404, Code: "ResourceNotFound", Message: fmt.Sprintf("no assignment of %s to %s under policy %s", pkg, target, policy)}
}

func (r *assignmentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer assignmentIdentity.Read(ctx, req, resp)
	var state assignmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var a *graph.Assignment
	gone, err := r.client.RefreshRead(ctx, "", func(ctx context.Context) (err error) {
		a, err = r.client.GetAssignment(ctx, state.ID.ValueString())
		return err
	})
	if gone || (err == nil && a.State == "expired") {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read assignment "+state.ID.ValueString(), err)
		return
	}
	flattenAssignment(a, &state)
	if state.TargetID.IsUnknown() {
		state.TargetID = types.StringNull()
	}
	resp.Diagnostics.Append(rememberTargetEmail(ctx, resp.Private, a)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update changes nothing in Graph: every argument forces a new assignment, except naming the same
// target by the other attribute (replaceOtherTargetEmail), which only changes what state records.
func (r *assignmentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer assignmentIdentity.Update(ctx, resp)
	var plan, state assignmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Graph's values are as the last read left them.
	if plan.TargetID.IsUnknown() {
		plan.TargetID = state.TargetID
	}
	plan.State, plan.Status = state.State, state.Status
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *assignmentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state assignmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	request, err := r.client.RemoveAssignment(ctx, id)
	if graph.IsNotFound(err) {
		return
	}
	// A lost answer to the removal request is settled by waiting for the assignment to go.
	if err != nil && !graph.IsAmbiguous(err) {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to remove assignment "+id, err)
		return
	}
	if err == nil {
		done, err := r.client.WaitForRequest(ctx, request.ID)
		if err != nil {
			diagnostics.AddAPIError(&resp.Diagnostics, "Removal request "+request.ID+" did not finish", err)
			return
		}
		if done.State != "delivered" {
			resp.Diagnostics.AddError("Assignment not removed",
				fmt.Sprintf("Removal request %s for assignment %s ended in state %q with status %q.", done.ID, id, done.State, done.Status))
			return
		}
	}
	err = r.client.WaitForDeletion(ctx, func(ctx context.Context) error {
		a, err := r.client.GetAssignment(ctx, id)
		if err == nil && a.State == "expired" {
			return &graph.Error{Status: 404}
		}
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Assignment "+id+" was removed but is still listed", err)
	}
}

func (r *assignmentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("id"), req, resp)
}

func expandAssignmentSchedule(s *assignmentScheduleModel) *graph.EntitlementManagementSchedule {
	if s == nil {
		return nil
	}
	out := &graph.EntitlementManagementSchedule{}
	if known(s.StartDateTime) {
		out.StartDateTime = s.StartDateTime.ValueStringPointer()
	}
	if s.Expiration != nil {
		out.Expiration = expandExpiration(s.Expiration)
	}
	return out
}

// flattenAssignment copies what Graph reports; the requested schedule and justification stay as
// configured, because Graph fills in its own schedule and does not echo the justification.
func flattenAssignment(a *graph.Assignment, m *assignmentModel) {
	m.ID = types.StringValue(a.ID)
	m.State = types.StringValue(a.State)
	m.Status = types.StringValue(a.Status)
	if a.Target != nil && a.Target.ObjectID != "" && !strings.EqualFold(a.Target.ObjectID, m.TargetID.ValueString()) {
		m.TargetID = types.StringValue(a.Target.ObjectID)
	}
	if a.AccessPackage != nil && a.AccessPackage.ID != "" && !strings.EqualFold(a.AccessPackage.ID, m.AccessPackageID.ValueString()) {
		m.AccessPackageID = types.StringValue(a.AccessPackage.ID)
	}
	if a.AssignmentPolicy != nil && a.AssignmentPolicy.ID != "" && !strings.EqualFold(a.AssignmentPolicy.ID, m.AssignmentPolicyID.ValueString()) {
		m.AssignmentPolicyID = types.StringValue(a.AssignmentPolicy.ID)
	}
}

// targetEmailKey is the private state key that keeps Graph's email of the assignment's target, so that
// a plan can tell whether a target_email set on an existing assignment names the same person.
const targetEmailKey = "target_email"

func rememberTargetEmail(ctx context.Context, private interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}, a *graph.Assignment) diag.Diagnostics {
	email := ""
	if a != nil && a.Target != nil {
		email = strings.ToLower(a.Target.Email)
	}
	raw, _ := json.Marshal(email)
	return private.SetKey(ctx, targetEmailKey, raw)
}

// replaceOtherTargetEmail forces a new assignment when target_email names someone other than the
// assignment's target: another address than state holds, or, when state holds none (the assignment was
// imported or made with target_id), another address than Graph's target has. An address in another
// case is the same person.
type replaceOtherTargetEmail struct{}

func (replaceOtherTargetEmail) Description(context.Context) string {
	return "Forces a new assignment when the email names someone other than the assignment's target."
}

func (m replaceOtherTargetEmail) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (replaceOtherTargetEmail) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() {
		return
	}
	planned := req.PlanValue.ValueString()
	if !req.StateValue.IsNull() {
		resp.RequiresReplace = !strings.EqualFold(planned, req.StateValue.ValueString())
		return
	}
	raw, diags := req.Private.GetKey(ctx, targetEmailKey)
	resp.Diagnostics.Append(diags...)
	var graphEmail string
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &graphEmail)
	}
	resp.RequiresReplace = graphEmail == "" || !strings.EqualFold(planned, graphEmail)
}
