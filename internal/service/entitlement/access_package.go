package entitlement

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
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
	_ resource.Resource                = &accessPackageResource{}
	_ resource.ResourceWithConfigure   = &accessPackageResource{}
	_ resource.ResourceWithImportState = &accessPackageResource{}
	_ resource.ResourceWithIdentity    = &accessPackageResource{}
)

// accessPackageIdentity is the resource identity (Terraform 1.12 and later).
var accessPackageIdentity = identity.ByID("access package")

// NewAccessPackageResource is the constructor registered with the provider.
func NewAccessPackageResource() resource.Resource {
	return &accessPackageResource{}
}

type accessPackageResource struct {
	client *graph.Client
}

type accessPackageModel struct {
	ID                           types.String `tfsdk:"id"`
	CatalogID                    types.String `tfsdk:"catalog_id"`
	DisplayName                  types.String `tfsdk:"display_name"`
	Description                  types.String `tfsdk:"description"`
	Hidden                       types.Bool   `tfsdk:"hidden"`
	IncompatibleAccessPackageIDs types.Set    `tfsdk:"incompatible_access_package_ids"`
	IncompatibleGroupIDs         types.Set    `tfsdk:"incompatible_group_ids"`
	CreatedDateTime              types.String `tfsdk:"created_date_time"`
	ModifiedDateTime             types.String `tfsdk:"modified_date_time"`
}

// accessPackageExpand is the one read a refresh needs: the catalog (bound at creation, so needed for
// import) and both incompatibility lists.
var accessPackageExpand = []string{graph.ExpandCatalog, graph.ExpandIncompatibles}

func (r *accessPackageResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_package"
}

func (r *accessPackageResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages an access package (Graph `accessPackage`): a bundle of resource roles that users " +
			"request or are assigned, governed by its assignment policies. Separation of duties is expressed with " +
			"incompatible access packages and groups. Needs `EntitlementManagement.ReadWrite.All`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The access package's object id, also the import id.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"catalog_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The catalog the package belongs to. Graph binds it at creation: changing it " +
					"replaces the package.",
				Validators:    []validator.String{validators.GUID()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"display_name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The package's name as requestors see it (`displayName`).",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"description": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(""),
				MarkdownDescription: "What the package grants and who it is for (`description`). Defaults to an empty string.",
			},
			"hidden": schema.BoolAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Whether the package is hidden from the My Access portal (`isHidden`); requestors then need a direct link. When omitted, the service's default (`false`) is kept.",
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"incompatible_access_package_ids": schema.SetAttribute{
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				MarkdownDescription: "Access packages whose holders cannot request this one (`incompatibleAccessPackages`). " +
					"When omitted, links made elsewhere are left alone; set `[]` to remove them all. A mutual incompatibility " +
					"needs the link on both packages.",
				Validators:    []validator.Set{setvalidator.ValueStringsAre(validators.GUID())},
				PlanModifiers: []planmodifier.Set{setplanmodifier.UseStateForUnknown()},
			},
			"incompatible_group_ids": schema.SetAttribute{
				ElementType: types.StringType,
				Optional:    true,
				Computed:    true,
				MarkdownDescription: "Groups whose members cannot request this package (`incompatibleGroups`). When omitted, " +
					"links made elsewhere are left alone; set `[]` to remove them all.",
				Validators:    []validator.Set{setvalidator.ValueStringsAre(validators.GUID())},
				PlanModifiers: []planmodifier.Set{setplanmodifier.UseStateForUnknown()},
			},
			"created_date_time": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the package was created (RFC 3339, UTC).",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"modified_date_time": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the package was last changed (RFC 3339, UTC).",
			},
		},
	}
}

func (r *accessPackageResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = accessPackageIdentity.Schema()
}

func (r *accessPackageResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *accessPackageResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer accessPackageIdentity.Create(ctx, resp)
	var plan accessPackageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in := graph.AccessPackageCreate{DisplayName: plan.DisplayName.ValueString(), Description: plan.Description.ValueString()}
	if !plan.Hidden.IsNull() && !plan.Hidden.IsUnknown() {
		in.IsHidden = plan.Hidden.ValueBoolPointer()
	}
	catalogID := plan.CatalogID.ValueString()
	named := framework.NamedCreate{
		ResourceType: "entragov_access_package", Kind: "access package", What: fmt.Sprintf("an access package named %q in catalog %s", in.DisplayName, catalogID),
		Find: func(ctx context.Context) ([]string, error) {
			found, err := r.client.ListAccessPackagesByName(ctx, catalogID, in.DisplayName)
			return idsOf(found, func(p graph.AccessPackage) string { return p.ID }), err
		},
		InFreshParent: r.client.PreventDuplicateNames() && r.client.ClaimNameInFreshParent(graph.ParentCatalog, catalogID, in.DisplayName),
	}
	if !framework.CheckNoDuplicate(ctx, r.client, &resp.Diagnostics, named) {
		return
	}
	start := r.client.StartCreate()
	created, err := r.client.CreateAccessPackage(ctx, catalogID, in)
	if graph.IsAmbiguous(err) {
		created, err = adoptByName(ctx, r.client, fmt.Sprintf("access package %q", in.DisplayName), err, start,
			func(ctx context.Context) ([]graph.AccessPackage, error) {
				return r.client.ListAccessPackagesByName(ctx, plan.CatalogID.ValueString(), in.DisplayName)
			},
			func(p graph.AccessPackage) (string, string) { return p.ID, p.CreatedDateTime })
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to create access package", err)
		return
	}
	// Keep the id before the steps that can still fail, so the package is never orphaned. Links not
	// made yet are recorded as absent; the next apply adds them.
	plan.ID = types.StringValue(created.ID)
	saved := plan
	saved.Hidden = types.BoolPointerValue(created.IsHidden)
	saved.CreatedDateTime = types.StringValue(created.CreatedDateTime)
	saved.ModifiedDateTime = types.StringValue(created.ModifiedDateTime)
	saved.IncompatibleAccessPackageIDs, saved.IncompatibleGroupIDs = types.SetValueMust(types.StringType, nil), types.SetValueMust(types.StringType, nil)
	resp.Diagnostics.Append(resp.State.Set(ctx, &saved)...)

	// The confirming reads are the refresh's read, so the last one is the package as Graph holds it.
	var confirmed *graph.AccessPackage
	err = r.client.WaitForExistence(ctx, func(ctx context.Context) (err error) {
		confirmed, err = r.client.GetAccessPackage(ctx, created.ID, accessPackageExpand...)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Access package "+created.ID+" was created but could not be read back", err)
		return
	}
	if !createdAlone(ctx, r.client, resp, named, created.ID, func(ctx context.Context) error { return r.client.DeleteAccessPackage(ctx, created.ID) },
		func(ctx context.Context) error { _, err := r.client.GetAccessPackage(ctx, created.ID); return err }) {
		return
	}
	if len(setStrings(plan.IncompatibleAccessPackageIDs)) == 0 && len(setStrings(plan.IncompatibleGroupIDs)) == 0 {
		// No link to add, so nothing was written since the confirmation: its read is the result.
		resp.Diagnostics.Append(flattenAccessPackage(confirmed, &plan)...)
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	resp.Diagnostics.Append(r.reconcileLinks(ctx, created.ID, nil, nil, plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.readInto(ctx, created.ID, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *accessPackageResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer accessPackageIdentity.Read(ctx, req, resp)
	var state accessPackageModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var pkg *graph.AccessPackage
	gone, err := r.client.RefreshRead(ctx, state.CreatedDateTime.ValueString(), func(ctx context.Context) (err error) {
		pkg, err = r.client.GetAccessPackage(ctx, state.ID.ValueString(), accessPackageExpand...)
		return err
	})
	if gone {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read access package "+state.ID.ValueString(), err)
		return
	}
	resp.Diagnostics.Append(flattenAccessPackage(pkg, &state)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *accessPackageResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer accessPackageIdentity.Update(ctx, resp)
	var plan, state accessPackageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	var patch graph.AccessPackageUpdate
	changed := false
	if !plan.DisplayName.Equal(state.DisplayName) {
		patch.DisplayName, changed = plan.DisplayName.ValueStringPointer(), true
	}
	if !plan.Description.Equal(state.Description) {
		patch.Description, changed = plan.Description.ValueStringPointer(), true
	}
	if !plan.Hidden.IsUnknown() && !plan.Hidden.IsNull() && !plan.Hidden.Equal(state.Hidden) {
		patch.IsHidden, changed = plan.Hidden.ValueBoolPointer(), true
	}
	if changed {
		if err := r.client.UpdateAccessPackage(ctx, id, patch); err != nil {
			diagnostics.AddAPIError(&resp.Diagnostics, "Unable to update access package "+id, err)
			return
		}
	}
	resp.Diagnostics.Append(r.reconcileLinks(ctx, id, setStrings(state.IncompatibleAccessPackageIDs), setStrings(state.IncompatibleGroupIDs), plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.readInto(ctx, id, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *accessPackageResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state accessPackageModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	deleteAndWait(ctx, r.client, &resp.Diagnostics, "access package "+id,
		func(ctx context.Context) error { return r.client.DeleteAccessPackage(ctx, id) },
		func(ctx context.Context) error {
			_, err := r.client.GetAccessPackage(ctx, id)
			return err
		})
}

func (r *accessPackageResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("id"), req, resp)
}

// reconcileLinks makes the package hold exactly the planned incompatibility links.
func (r *accessPackageResource) reconcileLinks(ctx context.Context, id string, havePackages, haveGroups []string, plan accessPackageModel) diag.Diagnostics {
	return reconcileLinks(ctx, "access package "+id,
		linkSet{what: "incompatible access package", have: havePackages, want: plan.IncompatibleAccessPackageIDs,
			add: func(ctx context.Context, other string) error {
				return r.client.AddIncompatibleAccessPackage(ctx, id, other)
			},
			remove: func(ctx context.Context, other string) error {
				return r.client.RemoveIncompatibleAccessPackage(ctx, id, other)
			}},
		linkSet{what: "incompatible group", have: haveGroups, want: plan.IncompatibleGroupIDs,
			add:    func(ctx context.Context, group string) error { return r.client.AddIncompatibleGroup(ctx, id, group) },
			remove: func(ctx context.Context, group string) error { return r.client.RemoveIncompatibleGroup(ctx, id, group) }},
	)
}

func (r *accessPackageResource) readInto(ctx context.Context, id string, m *accessPackageModel, diags *diag.Diagnostics) {
	pkg, err := r.client.GetAccessPackage(ctx, id, accessPackageExpand...)
	if err != nil {
		diagnostics.AddAPIError(diags, "Access package "+id+" was saved but could not be read back", err)
		return
	}
	diags.Append(flattenAccessPackage(pkg, m)...)
}

func flattenAccessPackage(p *graph.AccessPackage, m *accessPackageModel) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = types.StringValue(p.ID)
	if p.Catalog != nil && p.Catalog.ID != "" {
		m.CatalogID = types.StringValue(p.Catalog.ID)
	}
	m.DisplayName = types.StringValue(p.DisplayName)
	m.Description = types.StringValue(p.Description)
	m.Hidden = types.BoolPointerValue(p.IsHidden)
	m.CreatedDateTime = types.StringValue(p.CreatedDateTime)
	m.ModifiedDateTime = types.StringValue(p.ModifiedDateTime)
	pkgIDs := make([]string, len(p.IncompatibleAccessPackages))
	for i, o := range p.IncompatibleAccessPackages {
		pkgIDs[i] = o.ID
	}
	groupIDs := make([]string, len(p.IncompatibleGroups))
	for i, g := range p.IncompatibleGroups {
		groupIDs[i] = g.ID
	}
	var d diag.Diagnostics
	m.IncompatibleAccessPackageIDs, d = types.SetValueFrom(context.Background(), types.StringType, pkgIDs)
	diags.Append(d...)
	m.IncompatibleGroupIDs, d = types.SetValueFrom(context.Background(), types.StringType, groupIDs)
	diags.Append(d...)
	return diags
}
