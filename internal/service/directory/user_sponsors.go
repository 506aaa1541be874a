package directory

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
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
	_ resource.ResourceWithConfigure   = &userSponsorsResource{}
	_ resource.ResourceWithImportState = &userSponsorsResource{}
	_ resource.ResourceWithIdentity    = &userSponsorsResource{}
)

// userSponsorsIdentity is the resource identity (Terraform 1.12 and later): the sponsored user's id.
var userSponsorsIdentity = identity.ByID("sponsored user")

// NewUserSponsorsResource is the constructor of the resource entragov_user_sponsors.
func NewUserSponsorsResource() resource.Resource {
	return &userSponsorsResource{}
}

// userSponsorsResource manages the whole set of a user's sponsors (users/{id}/sponsors), the users and
// groups responsible for a guest
// (https://learn.microsoft.com/en-us/graph/api/user-list-sponsors?view=graph-rest-1.0).
type userSponsorsResource struct {
	client *graph.Client
}

type userSponsorsModel struct {
	ID         types.String `tfsdk:"id"`
	UserID     types.String `tfsdk:"user_id"`
	SponsorIDs types.Set    `tfsdk:"sponsor_ids"`
}

func (r *userSponsorsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_sponsors"
}

func (r *userSponsorsResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages the sponsors of a user (Graph `users/{id}/sponsors`): the users and groups responsible " +
			"for a guest's access and information, whom entitlement management can name as approvers and reviewers. " +
			"The set is authoritative: sponsors of the user that are not in `sponsor_ids` are removed. Destroy removes " +
			"the sponsors in state. Import by the user's object id. Needs `User.ReadWrite.All`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The sponsored user's object id, also the import id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"user_id": schema.StringAttribute{
				Required: true, Validators: []validator.String{validators.GUID()},
				MarkdownDescription: "Object id of the user (usually a guest) whose sponsors these are. Changing it replaces the resource.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"sponsor_ids": schema.SetAttribute{
				Required: true, ElementType: types.StringType,
				MarkdownDescription: "Object ids of the sponsoring users and groups. Entra documents up to five sponsors per guest " +
					"(https://learn.microsoft.com/en-us/entra/external-id/b2b-sponsors).",
				Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(validators.GUID())},
			},
		},
	}
}

func (r *userSponsorsResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = userSponsorsIdentity.Schema()
}

func (r *userSponsorsResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

// sponsorIDs lists the ids of a user's sponsors.
func (r *userSponsorsResource) sponsorIDs(ctx context.Context, userID string) ([]string, error) {
	sponsors, err := r.client.ListUserSponsors(ctx, userID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(sponsors))
	for i, s := range sponsors {
		ids[i] = s.ID
	}
	return ids, nil
}

// reconcile makes the user's sponsors exactly want: removals first, so that a swap never meets the
// limit on the number of sponsors.
func (r *userSponsorsResource) reconcile(ctx context.Context, userID string, have, want []string) diag.Diagnostics {
	var diags diag.Diagnostics
	add, remove := diffIDs(have, want)
	for _, id := range remove {
		if err := r.client.RemoveUserSponsor(ctx, userID, id); err != nil {
			diagnostics.AddAPIError(&diags, fmt.Sprintf("Unable to remove sponsor %s from user %s", id, userID), err)
		}
	}
	for _, id := range add {
		if err := r.client.AddUserSponsor(ctx, userID, id); err != nil {
			diagnostics.AddAPIError(&diags, fmt.Sprintf("Unable to add sponsor %s to user %s", id, userID), err)
		}
	}
	return diags
}

// diffIDs compares id lists case-insensitively (Graph ids are GUIDs in any case).
func diffIDs(have, want []string) (add, remove []string) {
	haveSet, wantSet := map[string]bool{}, map[string]bool{}
	for _, h := range have {
		haveSet[strings.ToLower(h)] = true
	}
	for _, w := range want {
		wantSet[strings.ToLower(w)] = true
		if !haveSet[strings.ToLower(w)] {
			add = append(add, w)
		}
	}
	for _, h := range have {
		if !wantSet[strings.ToLower(h)] {
			remove = append(remove, h)
		}
	}
	sort.Strings(add)
	sort.Strings(remove)
	return add, remove
}

// setIDs reads a set of ids; an unknown or null set is empty.
func setIDs(ctx context.Context, s types.Set, diags *diag.Diagnostics) []string {
	var ids []string
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	diags.Append(s.ElementsAs(ctx, &ids, false)...)
	return ids
}

// sponsorSet is the set of ids Graph holds, spelled as in prev where they are the same id in another case.
func sponsorSet(have, prev []string) types.Set {
	spelled := map[string]string{}
	for _, p := range prev {
		spelled[strings.ToLower(p)] = p
	}
	values := make([]string, len(have))
	for i, h := range have {
		values[i] = h
		if p, ok := spelled[strings.ToLower(h)]; ok {
			values[i] = p
		}
	}
	set, _ := types.SetValueFrom(context.Background(), types.StringType, values)
	return set
}

// apply reconciles the sponsors with the plan and reads them back into it.
func (r *userSponsorsResource) apply(ctx context.Context, plan *userSponsorsModel, diags *diag.Diagnostics) bool {
	userID := plan.UserID.ValueString()
	want := setIDs(ctx, plan.SponsorIDs, diags)
	have, err := r.sponsorIDs(ctx, userID)
	if err != nil {
		diagnostics.AddAPIError(diags, "Unable to read the sponsors of user "+userID, err)
		return false
	}
	diags.Append(r.reconcile(ctx, userID, have, want)...)
	if diags.HasError() {
		return false
	}
	if have, err = r.sponsorIDs(ctx, userID); err != nil {
		diagnostics.AddAPIError(diags, "Unable to read the sponsors of user "+userID, err)
		return false
	}
	plan.ID = plan.UserID
	plan.SponsorIDs = sponsorSet(have, want)
	return true
}

func (r *userSponsorsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer userSponsorsIdentity.Create(ctx, resp)
	var plan userSponsorsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The id first, so that a failure below leaves a tainted resource whose destroy removes what was added.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), plan.UserID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_id"), plan.UserID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("sponsor_ids"), plan.SponsorIDs)...)
	if !r.apply(ctx, &plan, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *userSponsorsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer userSponsorsIdentity.Read(ctx, req, resp)
	var state userSponsorsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	userID := state.ID.ValueString()
	have, err := r.sponsorIDs(ctx, userID)
	if graph.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read the sponsors of user "+userID, err)
		return
	}
	state.UserID = state.ID
	state.SponsorIDs = sponsorSet(have, setIDs(ctx, state.SponsorIDs, &resp.Diagnostics))
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *userSponsorsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer userSponsorsIdentity.Update(ctx, resp)
	var plan userSponsorsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.apply(ctx, &plan, &resp.Diagnostics) {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete removes the sponsors in state; sponsors added outside Terraform since the last refresh stay.
func (r *userSponsorsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state userSponsorsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	userID := state.ID.ValueString()
	for _, id := range setIDs(ctx, state.SponsorIDs, &resp.Diagnostics) {
		err := r.client.RemoveUserSponsor(ctx, userID, id)
		if err != nil && !graph.IsNotFound(err) {
			diagnostics.AddAPIError(&resp.Diagnostics, fmt.Sprintf("Unable to remove sponsor %s from user %s", id, userID), err)
		}
	}
}

// ImportState takes the sponsored user's object id.
func (r *userSponsorsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("id"), req, resp)
}
