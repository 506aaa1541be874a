package entitlement

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/schematypes"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ resource.Resource                   = &connectedOrganizationResource{}
	_ resource.ResourceWithConfigure      = &connectedOrganizationResource{}
	_ resource.ResourceWithImportState    = &connectedOrganizationResource{}
	_ resource.ResourceWithValidateConfig = &connectedOrganizationResource{}
)

// NewConnectedOrganizationResource is the constructor registered with the provider.
func NewConnectedOrganizationResource() resource.Resource {
	return &connectedOrganizationResource{}
}

type connectedOrganizationResource struct {
	client *graph.Client
}

type connectedOrganizationModel struct {
	ID                 types.String          `tfsdk:"id"`
	DisplayName        types.String          `tfsdk:"display_name"`
	Description        types.String          `tfsdk:"description"`
	State              types.String          `tfsdk:"state"`
	IdentitySources    []identitySourceModel `tfsdk:"identity_sources"`
	InternalSponsorIDs types.Set             `tfsdk:"internal_sponsor_ids"`
	ExternalSponsorIDs types.Set             `tfsdk:"external_sponsor_ids"`
	CreatedDateTime    types.String          `tfsdk:"created_date_time"`
	ModifiedDateTime   types.String          `tfsdk:"modified_date_time"`
}

type identitySourceModel struct {
	Type                     types.String `tfsdk:"type"`
	DisplayName              types.String `tfsdk:"display_name"`
	TenantID                 types.String `tfsdk:"tenant_id"`
	DomainName               types.String `tfsdk:"domain_name"`
	IssuerURI                types.String `tfsdk:"issuer_uri"`
	CloudInstance            types.String `tfsdk:"cloud_instance"`
	SocialIdentitySourceType types.String `tfsdk:"social_identity_source_type"`
}

// identitySourceFields says which fields each identity source type requires (all others are refused).
var identitySourceFields = map[string][]string{
	graph.IdentitySourceTenant:           {"tenant_id"},
	graph.IdentitySourceCrossCloudTenant: {"tenant_id", "cloud_instance"},
	graph.IdentitySourceDomain:           {"domain_name"},
	graph.IdentitySourceFederation:       {"domain_name", "issuer_uri"},
	graph.IdentitySourceSocial:           {"social_identity_source_type"},
}

// domainPattern is a DNS name with at least two labels.
var domainPattern = regexp.MustCompile(`^(?i)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

func (r *connectedOrganizationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_connected_organization"
}

func (r *connectedOrganizationResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	sponsors := func(desc string) schema.SetAttribute {
		return schema.SetAttribute{
			ElementType: types.StringType, Optional: true, Computed: true,
			MarkdownDescription: desc + " When omitted, sponsors added elsewhere are left alone; set `[]` to remove them all.",
			Validators:          []validator.Set{setvalidator.ValueStringsAre(validators.GUID())},
			PlanModifiers:       []planmodifier.Set{setplanmodifier.UseStateForUnknown()},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a connected organization (Graph `connectedOrganization`): a partner tenant or domain " +
			"whose users may request access packages, with internal and external sponsors who approve and review. Needs " +
			"`EntitlementManagement.ReadWrite.All`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The connected organization's object id, also the import id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"display_name": schema.StringAttribute{
				Required: true, MarkdownDescription: "The organization's name.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"description": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(""),
				MarkdownDescription: "What the relationship is. Defaults to an empty string.",
			},
			"state": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "`configured` (its users may request packages of policies for all configured connected " +
					"organizations) or `proposed`. When omitted, the service's default (`configured`) is kept.",
				Validators:    []validator.String{stringvalidator.OneOf(graph.ConnectedOrganizationStates...)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"identity_sources": schema.ListNestedAttribute{
				Required:            true,
				MarkdownDescription: "Where the organization's users sign in. Graph takes exactly one identity source.",
				Validators:          []validator.List{listvalidator.SizeBetween(1, 1)},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"type": schema.StringAttribute{
						Required: true,
						MarkdownDescription: "`azureActiveDirectoryTenant` (`tenant_id`), `crossCloudAzureActiveDirectoryTenant` " +
							"(`tenant_id`, `cloud_instance`), `domainIdentitySource` (`domain_name`), `externalDomainFederation` " +
							"(`domain_name`, `issuer_uri`) or `socialIdentitySource` (`social_identity_source_type`).",
						Validators: []validator.String{stringvalidator.OneOf(graph.IdentitySourceTypes...)},
					},
					"display_name": schema.StringAttribute{Required: true, MarkdownDescription: "The source's name, e.g. the partner's name.",
						Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
					"tenant_id":      schema.StringAttribute{Optional: true, MarkdownDescription: "The partner's Entra tenant id (tenant types).", Validators: []validator.String{validators.GUID()}},
					"domain_name":    schema.StringAttribute{Optional: true, MarkdownDescription: "The partner's DNS domain, e.g. `fabrikam.com` (domain and federation types)."},
					"issuer_uri":     schema.StringAttribute{Optional: true, MarkdownDescription: "The SAML/WS-Fed issuer URI of the partner's identity provider (federation type)."},
					"cloud_instance": schema.StringAttribute{Optional: true, MarkdownDescription: "The partner's cloud, e.g. `microsoftonline.us` (cross-cloud tenant type)."},
					"social_identity_source_type": schema.StringAttribute{Optional: true, MarkdownDescription: "`facebook` (social type).",
						Validators: []validator.String{stringvalidator.OneOf("facebook")}},
				}},
			},
			"internal_sponsor_ids": sponsors("Users or groups of your tenant who sponsor the organization (object ids)."),
			"external_sponsor_ids": sponsors("Users or groups (usually guests) from the partner who sponsor it (object ids)."),
			"created_date_time": schema.StringAttribute{Computed: true, MarkdownDescription: "When it was created (RFC 3339, UTC).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
			"modified_date_time": schema.StringAttribute{Computed: true, MarkdownDescription: "When it was last changed (RFC 3339, UTC)."},
		},
	}
	resp.Schema = schematypes.Cache(resp.Schema)
}

// ValidateConfig checks each identity source's fields against its type.
func (r *connectedOrganizationResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var sources []identitySourceModel
	if d := req.Config.GetAttribute(ctx, path.Root("identity_sources"), &sources); d.HasError() {
		return
	}
	for i, s := range sources {
		at := path.Root("identity_sources").AtListIndex(i)
		for _, p := range identitySourceProblems(s) {
			resp.Diagnostics.AddAttributeError(at.AtName(p.field), p.summary, fmt.Sprintf("Attribute %s: %s", at.AtName(p.field), p.detail))
		}
	}
}

// identitySourceProblem is one rule an identity source breaks, on one of its fields.
type identitySourceProblem struct {
	field, summary, detail string
}

// identitySourceProblems lists what is wrong with one identity source: the fields its type needs and
// does not use, the domain syntax and the issuer URI. Unknown values are not judged.
func identitySourceProblems(s identitySourceModel) []identitySourceProblem {
	if !known(s.Type) {
		return nil
	}
	var problems []identitySourceProblem
	typ := s.Type.ValueString()
	required := identitySourceFields[typ]
	values := map[string]types.String{
		"tenant_id": s.TenantID, "domain_name": s.DomainName, "issuer_uri": s.IssuerURI,
		"cloud_instance": s.CloudInstance, "social_identity_source_type": s.SocialIdentitySourceType,
	}
	for _, field := range sortedKeys(values) {
		v := values[field]
		needed := false
		for _, f := range required {
			needed = needed || f == field
		}
		switch {
		case needed && v.IsNull():
			problems = append(problems, identitySourceProblem{field, "Missing identity source field", fmt.Sprintf("type %q needs %s.", typ, field)})
		case !needed && !v.IsNull():
			problems = append(problems, identitySourceProblem{field, "Field not used by this identity source type", fmt.Sprintf("%s is not used by type %q; remove it.", field, typ)})
		}
	}
	if known(s.DomainName) && !domainPattern.MatchString(s.DomainName.ValueString()) {
		problems = append(problems, identitySourceProblem{"domain_name", "Invalid domain name",
			fmt.Sprintf("%q is not a DNS domain name such as fabrikam.com.", s.DomainName.ValueString())})
	}
	if known(s.IssuerURI) {
		if u, err := url.Parse(s.IssuerURI.ValueString()); err != nil || u.Scheme == "" || u.Host == "" {
			problems = append(problems, identitySourceProblem{"issuer_uri", "Invalid issuer URI",
				fmt.Sprintf("%q is not an absolute URI.", s.IssuerURI.ValueString())})
		}
	}
	return problems
}

func (r *connectedOrganizationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *connectedOrganizationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan connectedOrganizationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in := graph.ConnectedOrganization{
		DisplayName: plan.DisplayName.ValueString(), Description: plan.Description.ValueString(),
		IdentitySources: expandIdentitySources(plan.IdentitySources),
	}
	if known(plan.State) {
		in.State = plan.State.ValueString()
	}
	start := time.Now()
	created, err := r.client.CreateConnectedOrganization(ctx, in)
	if graph.IsAmbiguous(err) {
		created, err = adoptByName(ctx, r.client, fmt.Sprintf("connected organization %q", in.DisplayName), err, start,
			func(ctx context.Context) ([]graph.ConnectedOrganization, error) {
				return r.client.ListConnectedOrganizationsByName(ctx, in.DisplayName)
			},
			func(o graph.ConnectedOrganization) (string, string) { return o.ID, o.CreatedDateTime })
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to create connected organization", err)
		return
	}
	// Keep the id before adding sponsors, so a failure there leaves a tainted resource, not an orphan.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), created.ID)...)
	err = r.client.WaitForExistence(ctx, func(ctx context.Context) error {
		_, err := r.client.GetConnectedOrganization(ctx, created.ID)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Connected organization "+created.ID+" was created but could not be read back", err)
		return
	}
	resp.Diagnostics.Append(r.reconcileSponsors(ctx, created.ID, nil, nil, plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.readInto(ctx, created.ID, &plan, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *connectedOrganizationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state connectedOrganizationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	var (
		org                *graph.ConnectedOrganization
		internal, external []graph.DirectoryObject
	)
	gone, err := r.client.RefreshRead(ctx, state.CreatedDateTime.ValueString(), func(ctx context.Context) (err error) {
		org, internal, external, err = r.fetch(ctx, id)
		return err
	})
	if gone {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read connected organization "+id, err)
		return
	}
	resp.Diagnostics.Append(flattenConnectedOrganization(ctx, org, internal, external, &state)...)
	if state.IdentitySources == nil {
		// Only after an import: Graph answered without the identity source, and no configuration
		// holds it yet. Say so, since a generated configuration cannot hold it either.
		resp.Diagnostics.AddAttributeWarning(path.Root("identity_sources"), "Identity source not returned by Graph",
			fmt.Sprintf("Graph returned connected organization %s without its identity source, so it cannot be imported "+
				"or generated: write identity_sources in the configuration yourself (the partner's tenant id or domain, as "+
				"the organization was created with).", id))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *connectedOrganizationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state connectedOrganizationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	var patch graph.ConnectedOrganizationUpdate
	changed := false
	if !plan.DisplayName.Equal(state.DisplayName) {
		patch.DisplayName, changed = plan.DisplayName.ValueStringPointer(), true
	}
	if !plan.Description.Equal(state.Description) {
		patch.Description, changed = plan.Description.ValueStringPointer(), true
	}
	if known(plan.State) && !plan.State.Equal(state.State) {
		patch.State, changed = plan.State.ValueStringPointer(), true
	}
	if !identitySourcesEqual(plan.IdentitySources, state.IdentitySources) {
		patch.IdentitySources, changed = expandIdentitySources(plan.IdentitySources), true
	}
	if changed {
		if err := r.client.UpdateConnectedOrganization(ctx, id, patch); err != nil {
			diagnostics.AddAPIError(&resp.Diagnostics, "Unable to update connected organization "+id, err)
			return
		}
	}
	resp.Diagnostics.Append(r.reconcileSponsors(ctx, id, setStrings(state.InternalSponsorIDs), setStrings(state.ExternalSponsorIDs), plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.readInto(ctx, id, &plan, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *connectedOrganizationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state connectedOrganizationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	deleteAndWait(ctx, r.client, &resp.Diagnostics, "connected organization "+id,
		func(ctx context.Context) error { return r.client.DeleteConnectedOrganization(ctx, id) },
		func(ctx context.Context) error {
			_, err := r.client.GetConnectedOrganization(ctx, id)
			return err
		})
}

func (r *connectedOrganizationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

// reconcileSponsors makes each sponsor list exactly the planned one.
func (r *connectedOrganizationResource) reconcileSponsors(ctx context.Context, id string, haveInternal, haveExternal []string, plan connectedOrganizationModel) diag.Diagnostics {
	sponsors := func(kind, what string, have []string, want types.Set) linkSet {
		return linkSet{what: what, have: have, want: want,
			add:    func(ctx context.Context, object string) error { return r.client.AddSponsor(ctx, id, kind, object) },
			remove: func(ctx context.Context, object string) error { return r.client.RemoveSponsor(ctx, id, kind, object) }}
	}
	return reconcileLinks(ctx, "connected organization "+id,
		sponsors(graph.InternalSponsors, "internal sponsor", haveInternal, plan.InternalSponsorIDs),
		sponsors(graph.ExternalSponsors, "external sponsor", haveExternal, plan.ExternalSponsorIDs),
	)
}

// fetch reads the organization and both sponsor lists (sponsors are separate collections in Graph).
func (r *connectedOrganizationResource) fetch(ctx context.Context, id string) (*graph.ConnectedOrganization, []graph.DirectoryObject, []graph.DirectoryObject, error) {
	// One request where Graph expands the sponsors; three where it does not.
	org, internal, external, expanded, err := r.client.GetConnectedOrganizationWithSponsors(ctx, id)
	if err != nil || expanded {
		return org, internal, external, err
	}
	internal, err = r.client.ListSponsors(ctx, id, graph.InternalSponsors)
	if err != nil {
		return nil, nil, nil, err
	}
	external, err = r.client.ListSponsors(ctx, id, graph.ExternalSponsors)
	if err != nil {
		return nil, nil, nil, err
	}
	return org, internal, external, nil
}

// readInto reads the organization after a write into m.
func (r *connectedOrganizationResource) readInto(ctx context.Context, id string, m *connectedOrganizationModel, diags *diag.Diagnostics) {
	org, internal, external, err := r.fetch(ctx, id)
	if err != nil {
		diagnostics.AddAPIError(diags, "Connected organization "+id+" was saved but could not be read back", err)
		return
	}
	diags.Append(flattenConnectedOrganization(ctx, org, internal, external, m)...)
}

func flattenConnectedOrganization(ctx context.Context, org *graph.ConnectedOrganization, internal, external []graph.DirectoryObject, m *connectedOrganizationModel) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = types.StringValue(org.ID)
	m.DisplayName = types.StringValue(org.DisplayName)
	m.Description = types.StringValue(org.Description)
	m.State = types.StringValue(org.State)
	m.CreatedDateTime = types.StringValue(org.CreatedDateTime)
	m.ModifiedDateTime = types.StringValue(org.ModifiedDateTime)
	// Graph may return no identity source at all on read (spec 1.8); keep what is configured then
	// rather than plan a change the service cannot show.
	if len(org.IdentitySources) > 0 {
		m.IdentitySources = flattenIdentitySources(org.IdentitySources)
	}
	ids := func(objs []graph.DirectoryObject) types.Set {
		out := make([]string, len(objs))
		for i, o := range objs {
			out[i] = o.ID
		}
		s, d := types.SetValueFrom(ctx, types.StringType, out)
		diags.Append(d...)
		return s
	}
	m.InternalSponsorIDs = ids(internal)
	m.ExternalSponsorIDs = ids(external)
	return diags
}

func expandIdentitySources(in []identitySourceModel) []graph.IdentitySource {
	out := make([]graph.IdentitySource, len(in))
	for i, s := range in {
		out[i] = graph.IdentitySource{
			Type: s.Type.ValueString(), DisplayName: s.DisplayName.ValueString(), TenantID: s.TenantID.ValueString(),
			DomainName: s.DomainName.ValueString(), IssuerURI: s.IssuerURI.ValueString(), CloudInstance: s.CloudInstance.ValueString(),
			SocialIdentitySourceType: s.SocialIdentitySourceType.ValueString(),
		}
	}
	return out
}

func flattenIdentitySources(in []graph.IdentitySource) []identitySourceModel {
	str := func(s string) types.String {
		if s == "" {
			return types.StringNull()
		}
		return types.StringValue(s)
	}
	out := make([]identitySourceModel, len(in))
	for i, s := range in {
		out[i] = identitySourceModel{
			Type: types.StringValue(s.Type), DisplayName: types.StringValue(s.DisplayName), TenantID: str(s.TenantID),
			DomainName: str(s.DomainName), IssuerURI: str(s.IssuerURI), CloudInstance: str(s.CloudInstance),
			SocialIdentitySourceType: str(s.SocialIdentitySourceType),
		}
	}
	return out
}

func identitySourcesEqual(a, b []identitySourceModel) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if !x.Type.Equal(y.Type) || !x.DisplayName.Equal(y.DisplayName) || !x.TenantID.Equal(y.TenantID) ||
			!strings.EqualFold(x.DomainName.ValueString(), y.DomainName.ValueString()) || !x.IssuerURI.Equal(y.IssuerURI) ||
			!x.CloudInstance.Equal(y.CloudInstance) || !x.SocialIdentitySourceType.Equal(y.SocialIdentitySourceType) {
			return false
		}
	}
	return true
}
