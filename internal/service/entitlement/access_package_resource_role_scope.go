package entitlement

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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
	_ resource.Resource                = &roleScopeResource{}
	_ resource.ResourceWithConfigure   = &roleScopeResource{}
	_ resource.ResourceWithImportState = &roleScopeResource{}
	_ resource.ResourceWithIdentity    = &roleScopeResource{}
)

// NewAccessPackageResourceRoleScopeResource is the constructor registered with the provider.
func NewAccessPackageResourceRoleScopeResource() resource.Resource {
	return &roleScopeResource{}
}

type roleScopeResource struct {
	client *graph.Client
}

type roleScopeModel struct {
	ID                types.String `tfsdk:"id"`
	AccessPackageID   types.String `tfsdk:"access_package_id"`
	CatalogResourceID types.String `tfsdk:"catalog_resource_id"`
	RoleOriginID      types.String `tfsdk:"role_origin_id"`
	ScopeOriginID     types.String `tfsdk:"scope_origin_id"`
	RoleID            types.String `tfsdk:"role_id"`
	RoleDisplayName   types.String `tfsdk:"role_display_name"`
	ScopeID           types.String `tfsdk:"scope_id"`
	OriginSystem      types.String `tfsdk:"origin_system"`
}

func (r *roleScopeResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_package_resource_role_scope"
}

func (r *roleScopeResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Grants a role of a catalog resource, at a scope, through an access package (Graph " +
			"`accessPackageResourceRoleScope`): group membership or ownership, an application's app role, or a SharePoint " +
			"site group. Works for every origin system; the role is looked up among the catalog resource's roles. Role scopes " +
			"cannot be changed in place, so every argument forces a new resource. Needs `EntitlementManagement.ReadWrite.All`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The role scope id, `<role id>_<scope id>`.",
				PlanModifiers:       keep,
			},
			"access_package_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The access package that grants the role.",
				Validators:          []validator.String{validators.GUID()},
				PlanModifiers:       replace,
			},
			"catalog_resource_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The `id` of an `entragov_catalog_resource` in the package's catalog (not the group, " +
					"application or site id).",
				Validators:    []validator.String{validators.GUID()},
				PlanModifiers: replace,
			},
			"role_origin_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The role's origin id, from the catalog resource's `roles`: `Member_<group id>` or " +
					"`Owner_<group id>` for groups, an app role id for applications, `3`/`4`/`5` (Owners/Visitors/Members) " +
					"for SharePoint sites.",
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers: replace,
			},
			"scope_origin_id": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "The scope's origin id, from the catalog resource's `scopes`. Defaults to the root scope (the whole resource).",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured(), stringplanmodifier.UseStateForUnknown()},
			},
			"role_id":           schema.StringAttribute{Computed: true, MarkdownDescription: "The catalog role id.", PlanModifiers: keep},
			"role_display_name": schema.StringAttribute{Computed: true, MarkdownDescription: "The role's name.", PlanModifiers: keep},
			"scope_id":          schema.StringAttribute{Computed: true, MarkdownDescription: "The catalog scope id.", PlanModifiers: keep},
			"origin_system":     schema.StringAttribute{Computed: true, MarkdownDescription: "`AadGroup`, `AadApplication` or `SharePointOnline`.", PlanModifiers: keep},
		},
	}
}

func (r *roleScopeResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = roleScopeIdentity.Schema()
}

func (r *roleScopeResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *roleScopeResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer roleScopeIdentity.Create(ctx, resp)
	var plan roleScopeModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	packageID := plan.AccessPackageID.ValueString()
	catalogID, remembered := r.client.CatalogOfCreatedPackage(packageID)
	if !remembered {
		// Only a package this run created has its catalog known without a read.
		pkg, err := r.client.GetAccessPackage(ctx, packageID, graph.ExpandCatalog)
		if err != nil {
			diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read access package "+packageID, err)
			return
		}
		if pkg.Catalog == nil || pkg.Catalog.ID == "" {
			resp.Diagnostics.AddError("Unable to find the package's catalog", "Graph returned access package "+packageID+" without its catalog.")
			return
		}
		catalogID = pkg.Catalog.ID
	}

	// A resource this run onboarded comes with its roles from the onboarding's confirming reads. Any
	// other may have been onboarded a moment ago (spec 3.5): wait until it is readable. One read that
	// finds it is enough: its own create confirmed it with consecutive reads before Terraform started
	// this dependant (or it is older), and this read is needed for its roles anyway.
	resourceID := plan.CatalogResourceID.ValueString()
	res, onboarded := r.client.OnboardedResource(catalogID, resourceID)
	var err error
	if !onboarded {
		err = r.client.WaitUntilReadable(ctx, func(ctx context.Context) (err error) {
			res, err = r.client.GetCatalogResource(ctx, catalogID, resourceID)
			return err
		})
	}
	if err != nil {
		if graph.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("catalog_resource_id"), "Catalog resource not in the package's catalog",
				fmt.Sprintf("Catalog %s (the catalog of access package %s) holds no resource %s. Onboard it with entragov_catalog_resource in that catalog.", catalogID, packageID, resourceID))
			return
		}
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read catalog resource "+resourceID, err)
		return
	}
	role, ok := findRole(res, plan.RoleOriginID.ValueString())
	if !ok {
		resp.Diagnostics.AddAttributeError(path.Root("role_origin_id"), "Role not found",
			fmt.Sprintf("%s (%s) has no role %q. Its roles are: %s.", res.DisplayName, res.OriginSystem, plan.RoleOriginID.ValueString(), describeRoles(res)))
		return
	}
	scope, ok := findScope(res, plan.ScopeOriginID)
	if !ok {
		resp.Diagnostics.AddAttributeError(path.Root("scope_origin_id"), "Scope not found",
			fmt.Sprintf("%s (%s) has no scope %q.", res.DisplayName, res.OriginSystem, plan.ScopeOriginID.ValueString()))
		return
	}

	created, err := r.client.CreateRoleScope(ctx, packageID,
		graph.RoleScopeRole{OriginID: role.OriginID, OriginSystem: res.OriginSystem, Resource: &graph.IDRef{ID: res.ID}}, scope)
	if graph.IsAmbiguous(err) {
		// Role scope ids are "<roleId>_<scopeId>", so a lost answer is resolved by reading that id.
		var id string
		id, err = r.client.AdoptAfterAmbiguousCreate(ctx, "role scope "+role.ID+"_"+scope.ID, err, func(ctx context.Context) ([]string, error) {
			rs, err := r.client.GetRoleScope(ctx, packageID, role.ID+"_"+scope.ID)
			if graph.IsNotFound(err) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			return []string{rs.ID}, nil
		})
		if err == nil {
			created = &graph.ResourceRoleScope{ID: id}
		}
	}
	if err != nil && !graph.IsAmbiguous(err) && r.presentAfterRefusal(ctx, err, packageID, role.ID+"_"+scope.ID) {
		resp.Diagnostics.AddError("Role scope already in the access package",
			fmt.Sprintf("Role %s of %s is already in access package %s, so it cannot be added again. Manage the existing one with:\n\n"+
				"  terraform import <address> %s/%s\n\n%s", role.OriginID, res.DisplayName, packageID, packageID, role.ID+"_"+scope.ID, diagnostics.Detail(err)))
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, fmt.Sprintf("Unable to add role %s of %s to access package %s", role.OriginID, res.DisplayName, packageID), err)
		return
	}
	plan.ID = types.StringValue(created.ID)
	plan.RoleID = types.StringValue(role.ID)
	plan.RoleDisplayName = types.StringValue(role.DisplayName)
	plan.ScopeID = types.StringValue(scope.ID)
	plan.ScopeOriginID = types.StringValue(scope.OriginID)
	plan.OriginSystem = types.StringValue(res.OriginSystem)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)

	var current *graph.ResourceRoleScope
	err = r.client.WaitForExistence(ctx, func(ctx context.Context) error {
		current, err = r.client.GetRoleScope(ctx, packageID, created.ID)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Role scope "+created.ID+" was created but could not be read back", err)
		return
	}
	flattenRoleScope(current, &plan)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// presentAfterRefusal tells whether a role scope Graph refused to add is there anyway: one an interrupted
// apply made, possibly before Graph lists it (framework.PresentAfterRefusal waits for it).
func (r *roleScopeResource) presentAfterRefusal(ctx context.Context, err error, packageID, roleScopeID string) bool {
	return framework.PresentAfterRefusal(ctx, err, func(ctx context.Context) (bool, error) {
		_, err := r.client.GetRoleScope(ctx, packageID, roleScopeID)
		return framework.Found(err)
	})
}
func (r *roleScopeResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer roleScopeIdentity.Read(ctx, req, resp)
	var state roleScopeModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var current *graph.ResourceRoleScope
	gone, err := r.client.RefreshRead(ctx, "", func(ctx context.Context) (err error) {
		current, err = r.client.GetRoleScope(ctx, state.AccessPackageID.ValueString(), state.ID.ValueString())
		return err
	})
	if gone {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read role scope "+state.ID.ValueString(), err)
		return
	}
	// The documented read does not name the catalog resource; after an import nothing else does.
	if !known(state.CatalogResourceID) {
		if err := r.client.FindRoleScopeResource(ctx, state.AccessPackageID.ValueString(), current); err != nil {
			diagnostics.AddAPIError(&resp.Diagnostics, "Unable to find the catalog resource of role scope "+state.ID.ValueString(), err)
			return
		}
	}
	flattenRoleScope(current, &state)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update is never called with a change: every argument forces replacement.
func (r *roleScopeResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer roleScopeIdentity.Update(ctx, resp)
	var plan roleScopeModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *roleScopeResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state roleScopeModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	packageID, id := state.AccessPackageID.ValueString(), state.ID.ValueString()
	if err := r.client.DeleteRoleScope(ctx, packageID, id); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to remove role scope "+id+" from access package "+packageID, err)
		return
	}
	err := r.client.WaitForDeletion(ctx, func(ctx context.Context) error {
		_, err := r.client.GetRoleScope(ctx, packageID, id)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Role scope "+id+" was removed but is still listed", err)
	}
}

// roleScopeIdentity is the resource identity (Terraform 1.12 and later): the role scope's id under its
// access package.
var roleScopeIdentity = identity.Spec{
	{Name: "access_package_id", Description: "The id of the access package the role scope belongs to."},
	{Name: "id", Description: "The role scope's Graph id."},
}

// ImportState takes "<access_package_id>/<role_scope_id>", or an identity with both. The catalog resource
// is found from the role scope's role during the read that follows.
func (r *roleScopeResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	packageID, roleScopeID, ok := strings.Cut(req.ID, "/")
	if req.ID == "" {
		values, diags := roleScopeIdentity.Values(ctx, req)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		packageID, roleScopeID, ok = values["access_package_id"], values["id"], true
	}
	if !ok || !validators.IsGUID(packageID) {
		resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf("Expected <access_package_id>/<role_scope_id>; got %q.", packageID+"/"+roleScopeID))
		return
	}
	if _, _, err := graph.SplitRoleScopeID(roleScopeID); err != nil {
		resp.Diagnostics.AddError("Invalid import id", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("access_package_id"), packageID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), roleScopeID)...)
}

func flattenRoleScope(rs *graph.ResourceRoleScope, m *roleScopeModel) {
	m.ID = types.StringValue(rs.ID)
	if rs.Role != nil {
		m.RoleID = types.StringValue(rs.Role.ID)
		m.RoleOriginID = types.StringValue(rs.Role.OriginID)
		m.RoleDisplayName = types.StringValue(rs.Role.DisplayName)
		m.OriginSystem = types.StringValue(rs.Role.OriginSystem)
		if rs.Role.Resource != nil && rs.Role.Resource.ID != "" {
			m.CatalogResourceID = types.StringValue(rs.Role.Resource.ID)
		}
	}
	if rs.Scope != nil {
		m.ScopeID = types.StringValue(rs.Scope.ID)
		m.ScopeOriginID = types.StringValue(rs.Scope.OriginID)
	}
}

func findRole(res *graph.CatalogResource, originID string) (graph.CatalogResourceRole, bool) {
	for _, role := range res.Roles {
		if strings.EqualFold(role.OriginID, originID) {
			return role, true
		}
	}
	return graph.CatalogResourceRole{}, false
}

func findScope(res *graph.CatalogResource, originID types.String) (graph.CatalogResourceScope, bool) {
	if !known(originID) {
		return res.RootScope()
	}
	for _, s := range res.Scopes {
		if strings.EqualFold(s.OriginID, originID.ValueString()) {
			return s, true
		}
	}
	return graph.CatalogResourceScope{}, false
}

func describeRoles(res *graph.CatalogResource) string {
	if len(res.Roles) == 0 {
		return "none"
	}
	parts := make([]string, len(res.Roles))
	for i, role := range res.Roles {
		parts[i] = fmt.Sprintf("%q (%s)", role.OriginID, role.DisplayName)
	}
	return strings.Join(parts, ", ")
}
