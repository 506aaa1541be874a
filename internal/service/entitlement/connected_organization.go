package entitlement

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
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
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/identity"
	"github.com/entragov/terraform-provider-entragov/internal/framework/schematypes"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ resource.Resource                   = &connectedOrganizationResource{}
	_ resource.ResourceWithConfigure      = &connectedOrganizationResource{}
	_ resource.ResourceWithImportState    = &connectedOrganizationResource{}
	_ resource.ResourceWithIdentity       = &connectedOrganizationResource{}
	_ resource.ResourceWithValidateConfig = &connectedOrganizationResource{}
)

// connectedOrganizationIdentity is the resource identity (Terraform 1.12 and later).
var connectedOrganizationIdentity = identity.ByID("connected organization")

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
	ResolvedSources    types.List            `tfsdk:"resolved_identity_sources"`
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
				Required: true,
				MarkdownDescription: "Where the organization's users sign in, as configured. Graph takes exactly one identity source. " +
					"Graph may store another form of it: a `domainIdentitySource` whose domain belongs to an Entra tenant is " +
					"stored as that tenant's `azureActiveDirectoryTenant` source. This attribute keeps what you wrote; " +
					"`resolved_identity_sources` shows what Graph holds. Any other difference between the two is drift and is " +
					"planned away.",
				Validators: []validator.List{listvalidator.SizeBetween(1, 1)},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"type": schema.StringAttribute{
						Required: true,
						MarkdownDescription: "`azureActiveDirectoryTenant` (`tenant_id`), `crossCloudAzureActiveDirectoryTenant` " +
							"(`tenant_id`, `cloud_instance`), `domainIdentitySource` (`domain_name`), `externalDomainFederation` " +
							"(`domain_name`, `issuer_uri`) or `socialIdentitySource` (`social_identity_source_type`).",
						Validators: []validator.String{stringvalidator.OneOf(graph.IdentitySourceTypes...)},
					},
					"display_name": schema.StringAttribute{
						Optional: true, Computed: true,
						MarkdownDescription: "The source's name. Graph documents it as read-only and sets it itself (typically the " +
							"domain name, or the tenant's name). When omitted, the provider sends the domain name (domain and " +
							"federation types), the social type or the tenant id (tenant types) and keeps the name Graph returns; " +
							"when set, your value is sent on create and kept in state. Changing only this name sends nothing to Graph.",
						Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
						PlanModifiers: []planmodifier.String{identitySourceNameUnchanged{}},
					},
					"tenant_id":      schema.StringAttribute{Optional: true, MarkdownDescription: "The partner's Entra tenant id (tenant types).", Validators: []validator.String{validators.GUID()}},
					"domain_name":    schema.StringAttribute{Optional: true, MarkdownDescription: "The partner's DNS domain, e.g. `fabrikam.com` (domain and federation types)."},
					"issuer_uri":     schema.StringAttribute{Optional: true, MarkdownDescription: "The SAML/WS-Fed issuer URI of the partner's identity provider (federation type)."},
					"cloud_instance": schema.StringAttribute{Optional: true, MarkdownDescription: "The partner's cloud, e.g. `microsoftonline.us` (cross-cloud tenant type)."},
					"social_identity_source_type": schema.StringAttribute{Optional: true, MarkdownDescription: "`facebook` (social type).",
						Validators: []validator.String{stringvalidator.OneOf(graph.SocialIdentitySourceTypes...)}},
				}},
			},
			"resolved_identity_sources": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "The identity sources Graph holds for the organization, which may differ in form from " +
					"`identity_sources` (a domain of an Entra tenant is held as an `azureActiveDirectoryTenant` source). Any " +
					"identity source type Graph returns is shown, also types this provider does not let you write.",
				PlanModifiers: []planmodifier.List{resolvedSourcesUnchanged{}},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"type":                        schema.StringAttribute{Computed: true, MarkdownDescription: "The `@odata.type` of the source without its namespace, e.g. `azureActiveDirectoryTenant`."},
					"display_name":                schema.StringAttribute{Computed: true, MarkdownDescription: "The name Graph gives the source."},
					"tenant_id":                   schema.StringAttribute{Computed: true, MarkdownDescription: "The Entra tenant id (tenant types)."},
					"domain_name":                 schema.StringAttribute{Computed: true, MarkdownDescription: "The DNS domain (domain and federation types)."},
					"issuer_uri":                  schema.StringAttribute{Computed: true, MarkdownDescription: "The issuer URI of the partner's identity provider (federation type)."},
					"cloud_instance":              schema.StringAttribute{Computed: true, MarkdownDescription: "The partner's cloud (cross-cloud tenant type)."},
					"social_identity_source_type": schema.StringAttribute{Computed: true, MarkdownDescription: "The social identity provider (social type)."},
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

func (r *connectedOrganizationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = connectedOrganizationIdentity.Schema()
}

func (r *connectedOrganizationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *connectedOrganizationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer connectedOrganizationIdentity.Create(ctx, resp)
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
	named := framework.NamedCreate{
		ResourceType: "entragov_connected_organization", Kind: "connected organization", What: fmt.Sprintf("a connected organization named %q", in.DisplayName),
		Find: func(ctx context.Context) ([]string, error) {
			found, err := r.client.ListConnectedOrganizationsByName(ctx, in.DisplayName)
			return idsOf(found, func(o graph.ConnectedOrganization) string { return o.ID }), err
		},
	}
	if !framework.CheckNoDuplicate(ctx, r.client, &resp.Diagnostics, named) {
		return
	}
	start := r.client.StartCreate()
	created, err := r.client.CreateConnectedOrganization(ctx, in)
	if graph.IsAmbiguous(err) {
		created, err = adoptByName(ctx, r.client, fmt.Sprintf("connected organization %q", in.DisplayName), err, start,
			func(ctx context.Context) ([]graph.ConnectedOrganization, error) {
				return r.client.ListConnectedOrganizationsByName(ctx, in.DisplayName)
			},
			func(o graph.ConnectedOrganization) (string, string) { return o.ID, o.CreatedDateTime })
	}
	if err != nil {
		if !framework.RefusedAsDuplicate(ctx, r.client, &resp.Diagnostics, named, err) {
			diagnostics.AddAPIError(&resp.Diagnostics, "Unable to create connected organization", err)
		}
		return
	}
	// Keep the id before adding sponsors, so a failure there leaves a tainted resource, not an orphan.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), created.ID)...)
	var confirmed *graph.ConnectedOrganization
	err = r.client.WaitForExistence(ctx, func(ctx context.Context) (err error) {
		confirmed, err = r.client.GetConnectedOrganization(ctx, created.ID)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Connected organization "+created.ID+" was created but could not be read back", err)
		return
	}
	if !createdAlone(ctx, r.client, resp, named, created.ID, func(ctx context.Context) error { return r.client.DeleteConnectedOrganization(ctx, created.ID) },
		func(ctx context.Context) error {
			_, err := r.client.GetConnectedOrganization(ctx, created.ID)
			return err
		}) {
		return
	}
	if len(setStrings(plan.InternalSponsorIDs)) == 0 && len(setStrings(plan.ExternalSponsorIDs)) == 0 {
		// No sponsor to add, so nothing was written since the confirmation: its last read is the
		// organization as Graph holds it, and a new organization has no sponsors to list.
		r.settleInto(ctx, confirmed, nil, nil, &plan, nil, true, &resp.Diagnostics)
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	resp.Diagnostics.Append(r.reconcileSponsors(ctx, created.ID, nil, nil, plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.readInto(ctx, created.ID, &plan, nil, true, &resp.Diagnostics) {
		// The state keeps the id set above (a tainted resource). Setting the plan here would return its
		// unknown id, which Terraform saves as null: the next refresh drops the resource and the
		// organization is orphaned (an interrupted apply under throttling did so, issue 13 item 7).
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *connectedOrganizationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer connectedOrganizationIdentity.Read(ctx, req, resp)
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
	// What Graph held at the last read tells a rewrite Graph made of the configured source (kept) from a
	// change made since (drift).
	_, diags := flattenConnectedOrganization(ctx, org, internal, external, &state, graphSources(ctx, state.ResolvedSources), false)
	resp.Diagnostics.Append(diags...)
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
	defer connectedOrganizationIdentity.Update(ctx, resp)
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
	sent := patch.IdentitySources != nil
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
	r.readInto(ctx, id, &plan, graphSources(ctx, state.ResolvedSources), sent, &resp.Diagnostics)
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
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("id"), req, resp)
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
	return r.client.GetConnectedOrganizationWithSponsors(ctx, id)
}

// readInto reads the organization after a write into m. prev is what Graph held before the write and
// sent says whether the write carried m's identity sources. It reports whether m now holds what Graph
// holds; when the read failed, m is left as it was (with the plan's unknown values).
func (r *connectedOrganizationResource) readInto(ctx context.Context, id string, m *connectedOrganizationModel, prev []graph.IdentitySource, sent bool, diags *diag.Diagnostics) bool {
	org, internal, external, err := r.fetch(ctx, id)
	if err != nil {
		diagnostics.AddAPIError(diags, "Connected organization "+id+" was saved but could not be read back", err)
		return false
	}
	r.settleInto(ctx, org, internal, external, m, prev, sent, diags)
	return true
}

// settleInto sets m from what Graph holds after a write (org and its sponsors), with readInto's prev and
// sent, and reports an identity source Graph holds that neither the write nor a documented rewrite explains.
func (r *connectedOrganizationResource) settleInto(ctx context.Context, org *graph.ConnectedOrganization, internal, external []graph.DirectoryObject,
	m *connectedOrganizationModel, prev []graph.IdentitySource, sent bool, diags *diag.Diagnostics,
) {
	configured := m.IdentitySources
	explained, d := flattenConnectedOrganization(ctx, org, internal, external, m, prev, sent)
	diags.Append(d...)
	if !explained {
		diags.AddAttributeError(path.Root("identity_sources"), "Graph holds another identity source",
			fmt.Sprintf("Connected organization %s was saved with the identity source %s, but Graph holds %s, which is neither "+
				"that source nor a form Graph documents for it. The state now records what Graph holds; check the "+
				"organization in the portal and the configuration, then apply again.", org.ID, describeSources(expandIdentitySources(configured)),
				describeSources(org.IdentitySources)))
	}
}

// identitySourceObjectType is the object type of one identity source in both lists.
var identitySourceObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"type": types.StringType, "display_name": types.StringType, "tenant_id": types.StringType, "domain_name": types.StringType,
	"issuer_uri": types.StringType, "cloud_instance": types.StringType, "social_identity_source_type": types.StringType,
}}

// flattenConnectedOrganization sets m from Graph's object. m.IdentitySources holds what is configured (the
// plan, or the prior state on a refresh; nil after an import and in the data source), prev the identity
// sources Graph held at the last read, and sent whether the apply that just ran wrote m.IdentitySources.
// resolved_identity_sources always becomes what Graph holds. identity_sources keeps the configured sources
// when Graph holds them, or holds the documented rewrite of a domain into its tenant's
// azureActiveDirectoryTenant source (https://learn.microsoft.com/graph/api/resources/domainidentitysource?view=graph-rest-1.0)
// that Graph made when this provider wrote the domain: either in this apply (sent), or before, when prev
// already held that same tenant. Anything else is drift: identity_sources becomes what Graph holds and
// explained is false.
func flattenConnectedOrganization(ctx context.Context, org *graph.ConnectedOrganization, internal, external []graph.DirectoryObject, m *connectedOrganizationModel, prev []graph.IdentitySource, sent bool) (explained bool, diags diag.Diagnostics) {
	m.ID = types.StringValue(org.ID)
	m.DisplayName = types.StringValue(org.DisplayName)
	m.Description = types.StringValue(org.Description)
	// Any state Graph returns is kept, also unknownFutureValue or a later member: only the configuration
	// is held to the writable states.
	m.State = types.StringValue(org.State)
	m.CreatedDateTime = types.StringValue(org.CreatedDateTime)
	m.ModifiedDateTime = types.StringValue(org.ModifiedDateTime)
	m.IdentitySources, explained = settleIdentitySources(m.IdentitySources, prev, org.IdentitySources, sent)
	resolved, d := types.ListValueFrom(ctx, identitySourceObjectType, flattenIdentitySources(org.IdentitySources))
	diags.Append(d...)
	m.ResolvedSources = resolved
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
	return explained, diags
}

// settleIdentitySources is the identity_sources to record for the configured sources when Graph holds held
// (see flattenConnectedOrganization).
func settleIdentitySources(configured []identitySourceModel, prev, held []graph.IdentitySource, sent bool) ([]identitySourceModel, bool) {
	if len(held) == 0 {
		// Graph may answer without the identity source (the create page's example does): keep what is
		// configured rather than plan a change the service cannot show.
		return configured, true
	}
	if configured == nil {
		// Import, or the data source: nothing was configured, so what Graph holds is the configuration.
		return flattenIdentitySources(held), true
	}
	if len(configured) != len(held) {
		return flattenIdentitySources(held), false
	}
	out := make([]identitySourceModel, len(configured))
	for i, c := range configured {
		want, have := graphSource(c), held[i]
		rewritten := graph.ResolvesDomainToTenant(want, have) && (sent || holdsTenant(prev, have.TenantID))
		if !graph.SameIdentitySource(want, have) && !rewritten {
			return flattenIdentitySources(held), false
		}
		out[i] = c
		if !known(c.DisplayName) {
			// Omitted in the configuration: the name is the one Graph gives the source.
			out[i].DisplayName = types.StringValue(have.DisplayName)
		}
	}
	return out, true
}

// holdsTenant reports whether sources has the azureActiveDirectoryTenant source of tenantID.
func holdsTenant(sources []graph.IdentitySource, tenantID string) bool {
	for _, s := range sources {
		if s.Type == graph.IdentitySourceTenant && strings.EqualFold(s.TenantID, tenantID) {
			return true
		}
	}
	return false
}

// graphSources reads resolved_identity_sources back into Graph's form (nil when null or unknown).
func graphSources(ctx context.Context, l types.List) []graph.IdentitySource {
	if l.IsNull() || l.IsUnknown() {
		return nil
	}
	var models []identitySourceModel
	if d := l.ElementsAs(ctx, &models, false); d.HasError() {
		return nil
	}
	out := make([]graph.IdentitySource, len(models))
	for i, m := range models {
		out[i] = graphSource(m)
	}
	return out
}

// graphSource is one configured source as it is (no name filled in).
func graphSource(s identitySourceModel) graph.IdentitySource {
	return graph.IdentitySource{
		Type: s.Type.ValueString(), DisplayName: s.DisplayName.ValueString(), TenantID: s.TenantID.ValueString(),
		DomainName: s.DomainName.ValueString(), IssuerURI: s.IssuerURI.ValueString(), CloudInstance: s.CloudInstance.ValueString(),
		SocialIdentitySourceType: s.SocialIdentitySourceType.ValueString(),
	}
}

// expandIdentitySources is the identitySources of a request body. The reference's create example sends a
// displayName (https://learn.microsoft.com/graph/api/entitlementmanagement-post-connectedorganizations?view=graph-rest-1.0)
// although the identity source pages document it as read-only; when it is omitted, the value those pages
// call typical is sent: the domain name, or the social type, and for tenants (whose name the provider
// cannot know) the tenant id.
func expandIdentitySources(in []identitySourceModel) []graph.IdentitySource {
	out := make([]graph.IdentitySource, len(in))
	for i, s := range in {
		out[i] = graphSource(s)
		if known(s.DisplayName) {
			continue
		}
		switch out[i].Type {
		case graph.IdentitySourceDomain, graph.IdentitySourceFederation:
			out[i].DisplayName = out[i].DomainName
		case graph.IdentitySourceSocial:
			out[i].DisplayName = out[i].SocialIdentitySourceType
		default:
			out[i].DisplayName = out[i].TenantID
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

// describeSources names identity sources in a diagnostic.
func describeSources(in []graph.IdentitySource) string {
	if len(in) == 0 {
		return "none"
	}
	parts := make([]string, len(in))
	for i, s := range in {
		key := s.TenantID
		switch {
		case s.DomainName != "":
			key = s.DomainName
		case s.SocialIdentitySourceType != "":
			key = s.SocialIdentitySourceType
		}
		parts[i] = fmt.Sprintf("%s %q", s.Type, key)
	}
	return strings.Join(parts, ", ")
}

// identitySourcesEqual compares the sources Graph identifies them by; display names are read-only in Graph
// and a change of name alone sends nothing.
func identitySourcesEqual(a, b []identitySourceModel) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sourceKeysKnown(a[i]) || !sourceKeysKnown(b[i]) || !graph.SameIdentitySource(graphSource(a[i]), graphSource(b[i])) {
			return false
		}
	}
	return true
}

// sourceKeysKnown reports whether every identifying field of s is known at plan time.
func sourceKeysKnown(s identitySourceModel) bool {
	for _, v := range []types.String{s.Type, s.TenantID, s.DomainName, s.IssuerURI, s.CloudInstance, s.SocialIdentitySourceType} {
		if v.IsUnknown() {
			return false
		}
	}
	return true
}

// identitySourceNameUnchanged plans an omitted display_name as the one in state while the source it names
// (type and identifying fields) stays the same; a new source's name is unknown until Graph sets it.
type identitySourceNameUnchanged struct{}

func (identitySourceNameUnchanged) Description(context.Context) string {
	return "Keeps the name Graph gave the identity source while the source is unchanged."
}

func (m identitySourceNameUnchanged) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (identitySourceNameUnchanged) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if !req.ConfigValue.IsNull() || !req.PlanValue.IsUnknown() || req.StateValue.IsNull() || req.StateValue.IsUnknown() {
		return
	}
	source := req.Path.ParentPath()
	var planned, prior types.Object
	if req.Plan.GetAttribute(ctx, source, &planned).HasError() || req.State.GetAttribute(ctx, source, &prior).HasError() {
		return
	}
	a, okA := objectSource(ctx, planned)
	b, okB := objectSource(ctx, prior)
	if okA && okB && identitySourcesEqual([]identitySourceModel{a}, []identitySourceModel{b}) {
		resp.PlanValue = req.StateValue
	}
}

// resolvedSourcesUnchanged plans resolved_identity_sources as the one in state while identity_sources names
// the same sources; when they change, what Graph will hold is unknown until it answers.
type resolvedSourcesUnchanged struct{}

func (resolvedSourcesUnchanged) Description(context.Context) string {
	return "Keeps the identity sources Graph holds while the configured ones are unchanged."
}

func (m resolvedSourcesUnchanged) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (resolvedSourcesUnchanged) PlanModifyList(ctx context.Context, req planmodifier.ListRequest, resp *planmodifier.ListResponse) {
	if !req.PlanValue.IsUnknown() || req.StateValue.IsNull() || req.StateValue.IsUnknown() {
		return
	}
	var planned, prior types.List
	if req.Plan.GetAttribute(ctx, path.Root("identity_sources"), &planned).HasError() ||
		req.State.GetAttribute(ctx, path.Root("identity_sources"), &prior).HasError() {
		return
	}
	a, okA := listSources(ctx, planned)
	b, okB := listSources(ctx, prior)
	if okA && okB && identitySourcesEqual(a, b) {
		resp.PlanValue = req.StateValue
	}
}

func objectSource(ctx context.Context, o types.Object) (identitySourceModel, bool) {
	var s identitySourceModel
	if o.IsNull() || o.IsUnknown() {
		return s, false
	}
	return s, !o.As(ctx, &s, basetypes.ObjectAsOptions{}).HasError()
}

func listSources(ctx context.Context, l types.List) ([]identitySourceModel, bool) {
	if l.IsNull() || l.IsUnknown() {
		return nil, false
	}
	var out []identitySourceModel
	return out, !l.ElementsAs(ctx, &out, false).HasError()
}
