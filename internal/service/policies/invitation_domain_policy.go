package policies

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ resource.Resource                     = &invitationDomainPolicyResource{}
	_ resource.ResourceWithConfigure        = &invitationDomainPolicyResource{}
	_ resource.ResourceWithImportState      = &invitationDomainPolicyResource{}
	_ resource.ResourceWithIdentity         = &invitationDomainPolicyResource{}
	_ resource.ResourceWithConfigValidators = &invitationDomainPolicyResource{}
	_ resource.ResourceWithValidateConfig   = &invitationDomainPolicyResource{}
)

// invitationDomainName is a DNS name of two labels or more (the lists hold domains such as contoso.com).
var invitationDomainName = regexp.MustCompile(`^(?i)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

// The display name and description a policy the provider creates gets (both are required on create).
const (
	b2bPolicyDisplayName = "B2BManagementPolicy"
	b2bPolicyDescription = "B2B collaboration policy; its invitation domain list is managed by Terraform (entragov)."
)

// NewInvitationDomainPolicyResource is the constructor registered with the provider.
func NewInvitationDomainPolicyResource() resource.Resource {
	return &invitationDomainPolicyResource{}
}

type invitationDomainPolicyResource struct {
	client *graph.Client
}

type invitationDomainPolicyModel struct {
	ID             types.String `tfsdk:"id"`
	AllowedDomains types.Set    `tfsdk:"allowed_domains"`
	BlockedDomains types.Set    `tfsdk:"blocked_domains"`
}

func (r *invitationDomainPolicyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_invitation_domain_policy"
}

func (r *invitationDomainPolicyResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	domains := []validator.Set{setvalidator.ValueStringsAre(stringvalidator.RegexMatches(invitationDomainName, "must be a domain name such as contoso.com"))}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages the domains guests may be invited from: **either** an allow list (invitations go only to " +
			"those domains) **or** a block list (invitations go anywhere else), the collaboration restrictions of the " +
			"tenant's external collaboration settings. **Backed by Microsoft Graph beta**: Graph v1.0 has no API for it, so " +
			"this resource calls `/beta/policies/b2bManagementPolicies` (the provider's other calls are v1.0); beta APIs may " +
			"change without notice. The list lives in the tenant's one B2B management policy (the `InvitationsAllowedAndBlockedDomainsPolicy` " +
			"part of its definition): create takes that policy over, or creates it when the tenant has none, and changes " +
			"only the domain list, keeping the policy's other B2B features. Destroy removes the list (invitations to any " +
			"domain), deleting the policy when nothing else is left in it. Needs `Policy.ReadWrite.B2BManagementPolicy`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The id of the tenant's B2B management policy that holds the list; also the import id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"allowed_domains": schema.SetAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: "The allow list (`AllowedDomains`): guests may be invited only from these domains, such as " +
					"`fabrikam.com`. At least one; conflicts with `blocked_domains`.",
				Validators: append([]validator.Set{setvalidator.SizeAtLeast(1)}, domains...),
			},
			"blocked_domains": schema.SetAttribute{
				ElementType: types.StringType, Optional: true,
				MarkdownDescription: "The block list (`BlockedDomains`): guests may be invited from any domain but these, " +
					"such as `gmail.com`. An empty set blocks nothing. Conflicts with `allowed_domains`.",
				Validators: domains,
			},
		},
	}
}

// ConfigValidators: a tenant holds either an allow list or a block list, never both
// (https://learn.microsoft.com/en-us/entra/external-id/allow-deny-list).
func (r *invitationDomainPolicyResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("allowed_domains"), path.MatchRoot("blocked_domains")),
	}
}

// ValidateConfig checks the size limit of a policy (25,000 characters, the other features included).
func (r *invitationDomainPolicyResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg invitationDomainPolicyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	d, at := invitationDomains(ctx, cfg, &resp.Diagnostics)
	if d == nil || resp.Diagnostics.HasError() {
		return
	}
	def, _, err := graph.WithInvitationDomains(nil, d)
	if err == nil && len(def[0]) > graph.MaxB2BPolicyDefinitionLength {
		resp.Diagnostics.AddAttributeError(at, "Domain list too long",
			fmt.Sprintf("Attribute %s: a B2B management policy holds at most %d characters and this list alone takes %d.",
				at, graph.MaxB2BPolicyDefinitionLength, len(def[0])))
	}
}

// invitationDomains is the list a configuration or plan sets (nil while it is unknown or unset), and its path.
func invitationDomains(ctx context.Context, m invitationDomainPolicyModel, diags *diag.Diagnostics) (*graph.InvitationDomains, path.Path) {
	read := func(s types.Set) []string {
		out := []string{}
		diags.Append(s.ElementsAs(ctx, &out, false)...)
		slices.Sort(out)
		return out
	}
	switch {
	case m.AllowedDomains.IsUnknown() || m.BlockedDomains.IsUnknown():
		return nil, path.Empty()
	case !m.AllowedDomains.IsNull():
		return &graph.InvitationDomains{Allowed: read(m.AllowedDomains), IsAllowList: true}, path.Root("allowed_domains")
	case !m.BlockedDomains.IsNull():
		return &graph.InvitationDomains{Blocked: read(m.BlockedDomains)}, path.Root("blocked_domains")
	}
	return nil, path.Empty()
}

// identity is the resource identity (Terraform 1.12 and later): the policy's id.
func (r *invitationDomainPolicyResource) identity() identity.Spec {
	return identity.ByID("B2B management policy")
}

func (r *invitationDomainPolicyResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = r.identity().Schema()
}

func (r *invitationDomainPolicyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

// write puts the list into the policy id (its definition fetched first, so that the other features stay).
func (r *invitationDomainPolicyResource) write(ctx context.Context, p *graph.B2BManagementPolicy, d *graph.InvitationDomains, diags *diag.Diagnostics) {
	def, _, err := graph.WithInvitationDomains(p.Definition, d)
	if err != nil {
		diags.AddError("Unreadable B2B management policy", err.Error())
		return
	}
	patch := graph.B2BManagementPolicy{Definition: def}
	if !p.IsDefault() {
		patch.IsOrganizationDefault = true
	}
	if err := r.client.UpdateB2BManagementPolicy(ctx, p.ID, patch); err != nil {
		diagnostics.AddAPIError(diags, "Unable to update B2B management policy "+p.ID, err)
	}
}

// flatten sets the lists from what Graph holds; a set of domains equal to the state's but for case keeps
// the state's spelling (domain names are case-insensitive).
func flattenInvitationDomains(ctx context.Context, d *graph.InvitationDomains, m *invitationDomainPolicyModel, diags *diag.Diagnostics) {
	set := func(prior types.Set, domains []string) types.Set {
		var before []string
		if !prior.IsNull() && !prior.IsUnknown() {
			diags.Append(prior.ElementsAs(ctx, &before, false)...)
			if sameDomains(before, domains) {
				return prior
			}
		}
		v, dd := types.SetValueFrom(ctx, types.StringType, domains)
		diags.Append(dd...)
		return v
	}
	if d.IsAllowList {
		m.AllowedDomains, m.BlockedDomains = set(m.AllowedDomains, d.Allowed), types.SetNull(types.StringType)
	} else {
		m.AllowedDomains, m.BlockedDomains = types.SetNull(types.StringType), set(m.BlockedDomains, d.Blocked)
	}
}

func sameDomains(a, b []string) bool {
	norm := func(l []string) []string {
		out := make([]string, len(l))
		for i, s := range l {
			out[i] = strings.ToLower(strings.TrimSuffix(s, "."))
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(norm(a), norm(b))
}

func (r *invitationDomainPolicyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer r.identity().Create(ctx, resp)
	var plan invitationDomainPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	d, _ := invitationDomains(ctx, plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// A tenant holds one B2B management policy: take it over when there is one.
	existing, err := r.tenantPolicy(ctx)
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to list the B2B management policies", err)
		return
	}
	if existing == nil {
		existing = r.create(ctx, d, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
		plan.ID = types.StringValue(existing.ID)
		// The id is in state before the wait: a failure after the create leaves a tainted resource.
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		if err := r.client.WaitForExistence(ctx, func(ctx context.Context) error {
			_, err := r.client.GetB2BManagementPolicy(ctx, existing.ID)
			return err
		}); err != nil {
			diagnostics.AddAPIError(&resp.Diagnostics, "B2B management policy "+existing.ID+" did not become readable", err)
			return
		}
	} else {
		r.write(ctx, existing, d, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
		plan.ID = types.StringValue(existing.ID)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// tenantPolicy is the tenant's B2B management policy (the organization default first), nil when it has none.
func (r *invitationDomainPolicyResource) tenantPolicy(ctx context.Context) (*graph.B2BManagementPolicy, error) {
	list, err := r.client.ListB2BManagementPolicies(ctx)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	for i := range list {
		if list[i].IsDefault() {
			return &list[i], nil
		}
	}
	return &list[0], nil
}

// create makes the tenant's policy with the list. A create that failed ambiguously, or was refused
// because the tenant has a policy the list did not show yet (replicas catch up), adopts the policy
// that then appears, and writes the list into it.
func (r *invitationDomainPolicyResource) create(ctx context.Context, d *graph.InvitationDomains, diags *diag.Diagnostics) *graph.B2BManagementPolicy {
	def, _, err := graph.WithInvitationDomains([]string{`{"B2BManagementPolicy":{"Version":1}}`}, d)
	if err != nil {
		diags.AddError("Unable to build the B2B management policy", err.Error())
		return nil
	}
	p, err := r.client.CreateB2BManagementPolicy(ctx, graph.B2BManagementPolicy{
		DisplayName: b2bPolicyDisplayName, Description: b2bPolicyDescription, Definition: def, IsOrganizationDefault: true,
	})
	if err == nil {
		return p
	}
	if !graph.IsAmbiguous(err) && !graph.IsBadRequest(err) && !graph.IsConflict(err) {
		diagnostics.AddAPIError(diags, "Unable to create the B2B management policy", err)
		return nil
	}
	var found *graph.B2BManagementPolicy
	waitErr := r.client.WaitForExistence(ctx, func(ctx context.Context) error {
		var lerr error
		if found, lerr = r.tenantPolicy(ctx); lerr == nil && found == nil {
			return &graph.Error{Status: http.StatusNotFound, Code: "NoPolicyYet"}
		}
		return lerr
	})
	if waitErr != nil || found == nil {
		diagnostics.AddAPIError(diags, "Unable to create the B2B management policy", err)
		return nil
	}
	r.write(ctx, found, d, diags)
	return found
}

func (r *invitationDomainPolicyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer r.identity().Read(ctx, req, resp)
	var state invitationDomainPolicyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	var p *graph.B2BManagementPolicy
	gone, err := r.client.RefreshRead(ctx, "", func(ctx context.Context) (err error) {
		p, err = r.client.GetB2BManagementPolicy(ctx, id)
		return err
	})
	if gone {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read B2B management policy "+id, err)
		return
	}
	d, err := graph.InvitationDomainsOf(p.Definition)
	if err != nil {
		resp.Diagnostics.AddError("Unreadable B2B management policy", err.Error())
		return
	}
	if d == nil {
		// The list was removed elsewhere: invitations go to any domain, and Terraform plans to write it again.
		resp.State.RemoveResource(ctx)
		return
	}
	state.ID = types.StringValue(p.ID)
	flattenInvitationDomains(ctx, d, &state, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *invitationDomainPolicyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer r.identity().Update(ctx, resp)
	var plan invitationDomainPolicyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	d, _ := invitationDomains(ctx, plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	p, err := r.client.GetB2BManagementPolicy(ctx, plan.ID.ValueString())
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read B2B management policy "+plan.ID.ValueString(), err)
		return
	}
	r.write(ctx, p, d, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete removes the list from the policy, so that guests may be invited from any domain; a policy
// left with nothing else in it is deleted.
func (r *invitationDomainPolicyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state invitationDomainPolicyModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	p, err := r.client.GetB2BManagementPolicy(ctx, id)
	if graph.IsNotFound(err) {
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read B2B management policy "+id, err)
		return
	}
	def, rest, err := graph.WithInvitationDomains(p.Definition, nil)
	if err != nil {
		resp.Diagnostics.AddError("Unreadable B2B management policy", err.Error())
		return
	}
	if rest {
		if err := r.client.UpdateB2BManagementPolicy(ctx, id, graph.B2BManagementPolicy{Definition: def}); err != nil {
			diagnostics.AddAPIError(&resp.Diagnostics, "Unable to remove the invitation domain list from B2B management policy "+id, err)
		}
		return
	}
	if err := r.client.DeleteB2BManagementPolicy(ctx, id); err != nil && !graph.IsNotFound(err) {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to delete B2B management policy "+id, err)
		return
	}
	if err := r.client.WaitForDeletion(ctx, func(ctx context.Context) error {
		_, err := r.client.GetB2BManagementPolicy(ctx, id)
		return err
	}); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "B2B management policy "+id+" was not deleted", err)
	}
}

// ImportState takes the policy's id (or, in Terraform 1.12 and later, its identity).
func (r *invitationDomainPolicyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("id"), req, resp)
}
