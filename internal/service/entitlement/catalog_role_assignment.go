package entitlement

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

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
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ resource.Resource                   = &catalogRoleAssignmentResource{}
	_ resource.ResourceWithConfigure      = &catalogRoleAssignmentResource{}
	_ resource.ResourceWithImportState    = &catalogRoleAssignmentResource{}
	_ resource.ResourceWithIdentity       = &catalogRoleAssignmentResource{}
	_ resource.ResourceWithValidateConfig = &catalogRoleAssignmentResource{}
)

// catalogRoleAssignmentIdentity is the resource identity (Terraform 1.12 and later).
var catalogRoleAssignmentIdentity = identity.ByID("catalog role assignment")

// duplicateLookupWindow bounds how long a create Graph refused looks for the assignment that holds its key.
const duplicateLookupWindow = 30 * time.Second

// tenantWideRoles are the built-in entitlement management roles assigned at the tenant rather than on a
// catalog: the catalog creator is granted in the entitlement management settings
// (https://learn.microsoft.com/entra/id-governance/entitlement-management-delegate-catalog); the catalog
// owner, reader, access package manager and access package assignment manager are catalog roles
// (https://learn.microsoft.com/entra/id-governance/entitlement-management-delegate).
var (
	tenantWideRoles = map[string]string{graph.RoleCatalogCreator: "Catalog creator"}
	catalogRoles    = map[string]string{
		graph.RoleCatalogOwner: "Catalog owner", graph.RoleCatalogReader: "Catalog reader",
		graph.RoleAccessPackageManager: "AccessPackages manager", graph.RoleAccessPackageAssignmentManager: "AccessPackage assignment manager",
	}
)

// NewCatalogRoleAssignmentResource is the constructor registered with the provider.
func NewCatalogRoleAssignmentResource() resource.Resource {
	return &catalogRoleAssignmentResource{}
}

type catalogRoleAssignmentResource struct {
	client *graph.Client
}

type catalogRoleAssignmentModel struct {
	ID               types.String `tfsdk:"id"`
	PrincipalID      types.String `tfsdk:"principal_id"`
	RoleDefinitionID types.String `tfsdk:"role_definition_id"`
	CatalogID        types.String `tfsdk:"catalog_id"`
	DirectoryScopeID types.String `tfsdk:"directory_scope_id"`
	AppScopeID       types.String `tfsdk:"app_scope_id"`
}

func (r *catalogRoleAssignmentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_catalog_role_assignment"
}

func (r *catalogRoleAssignmentResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Assigns an entitlement management role (Graph `unifiedRoleAssignment` in " +
			"`roleManagement/entitlementManagement/roleAssignments`): a catalog role (catalog owner, catalog reader, " +
			"access package manager, access package assignment manager) on one catalog, or the tenant-wide catalog " +
			"creator role. Graph has no update of a role assignment, so any change replaces it. Look role ids up with " +
			"the `entragov_catalog_role_definitions` data source. Needs `EntitlementManagement.ReadWrite.All` (or " +
			"`RoleManagement.ReadWrite.EntitlementManagement`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The role assignment's id, also the import id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"principal_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The object id of the user, group or service principal that gets the role. A group's " +
					"members hold the role while they are members. Changing it replaces the assignment.",
				Validators: []validator.String{validators.GUID()}, PlanModifiers: replace,
			},
			"role_definition_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The id of the entitlement management role definition, e.g. " +
					"`data.entragov_catalog_role_definitions.all.by_name[\"Catalog owner\"].id`. The catalog creator role (`" +
					graph.RoleCatalogCreator + "`) is tenant-wide and takes `directory_scope_id = \"/\"`; the other built-in " +
					"roles take `catalog_id`. Changing it replaces the assignment.",
				Validators: []validator.String{validators.GUID()}, PlanModifiers: replace,
			},
			"catalog_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The catalog a catalog role is assigned on, sent as `appScopeId` " +
					"`/AccessPackageCatalog/<catalog_id>`. Exactly one of `catalog_id` and `directory_scope_id` is set. " +
					"Changing it replaces the assignment.",
				Validators: []validator.String{validators.GUID()}, PlanModifiers: replace,
			},
			"directory_scope_id": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "`/` for a tenant-wide role (the catalog creator), sent as `directoryScopeId`. Exactly " +
					"one of `catalog_id` and `directory_scope_id` is set. When `catalog_id` is set, this shows the " +
					"`directoryScopeId` Graph answers (usually none). Changing it replaces the assignment.",
				Validators:    []validator.String{stringvalidator.OneOf(graph.TenantScope)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
			},
			"app_scope_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The `appScopeId` Graph answers: `/AccessPackageCatalog/<catalog_id>` for a catalog role.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

// ValidateConfig requires exactly one scope, and the scope the built-in role is assigned at.
func (r *catalogRoleAssignmentResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg catalogRoleAssignmentModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(catalogRoleAssignmentProblems(cfg)...)
}

// catalogRoleAssignmentProblems are the plan-time rules: exactly one of catalog_id and
// directory_scope_id (an unknown value counts as set), and for a built-in role the scope it is assigned at.
func catalogRoleAssignmentProblems(cfg catalogRoleAssignmentModel) diag.Diagnostics {
	var diags diag.Diagnostics
	hasCatalog, hasTenant := !cfg.CatalogID.IsNull(), !cfg.DirectoryScopeID.IsNull()
	switch {
	case hasCatalog && hasTenant:
		diags.AddAttributeError(path.Root("directory_scope_id"), "Both scopes set",
			"Attribute directory_scope_id: set either catalog_id (a catalog role) or directory_scope_id = \"/\" (a tenant-wide role), not both.")
		return diags
	case !hasCatalog && !hasTenant:
		diags.AddAttributeError(path.Root("catalog_id"), "No scope set",
			"Attribute catalog_id: set catalog_id for a catalog role, or directory_scope_id = \"/\" for a tenant-wide role such as the catalog creator.")
		return diags
	}
	if !known(cfg.RoleDefinitionID) {
		return diags
	}
	role := strings.ToLower(cfg.RoleDefinitionID.ValueString())
	if name, ok := tenantWideRoles[role]; ok && hasCatalog {
		diags.AddAttributeError(path.Root("catalog_id"), "Tenant-wide role assigned on a catalog",
			fmt.Sprintf("Attribute catalog_id: the %s role is assigned for the whole tenant: remove catalog_id and set directory_scope_id = \"/\".", name))
	}
	if name, ok := catalogRoles[role]; ok && hasTenant {
		diags.AddAttributeError(path.Root("directory_scope_id"), "Catalog role assigned at the tenant",
			fmt.Sprintf("Attribute directory_scope_id: the %s role is assigned on a catalog: remove directory_scope_id and set catalog_id.", name))
	}
	return diags
}

func (r *catalogRoleAssignmentResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = catalogRoleAssignmentIdentity.Schema()
}

func (r *catalogRoleAssignmentResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *catalogRoleAssignmentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer catalogRoleAssignmentIdentity.Create(ctx, resp)
	var plan catalogRoleAssignmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in := expandCatalogRoleAssignment(plan)
	created, err := r.client.CreateRoleAssignment(ctx, in)
	if graph.IsAmbiguous(err) {
		// Graph keeps one assignment per principal, role and scope, so the one found is the one this create made.
		var id string
		id, err = r.client.AdoptAfterAmbiguousCreate(ctx, "role assignment of "+in.RoleDefinitionID+" to "+in.PrincipalID, err,
			func(ctx context.Context) ([]string, error) { return r.findRoleAssignments(ctx, in) })
		if err == nil {
			created = &graph.RoleAssignment{ID: id, PrincipalID: in.PrincipalID, RoleDefinitionID: in.RoleDefinitionID,
				AppScopeID: in.AppScopeID, DirectoryScopeID: in.DirectoryScopeID}
		}
	}
	if err != nil {
		if r.refusedAsDuplicate(ctx, &resp.Diagnostics, in, err) {
			return
		}
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to create the role assignment", err)
		return
	}
	// Keep the new id in state before waiting, so the assignment is never orphaned.
	flattenCatalogRoleAssignment(created, &plan)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)

	var current *graph.RoleAssignment
	err = r.client.WaitForExistence(ctx, func(ctx context.Context) (err error) {
		current, err = r.client.GetRoleAssignment(ctx, created.ID)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Role assignment "+created.ID+" was created but could not be read back", err)
		return
	}
	flattenCatalogRoleAssignment(current, &plan)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *catalogRoleAssignmentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer catalogRoleAssignmentIdentity.Read(ctx, req, resp)
	var state catalogRoleAssignmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var current *graph.RoleAssignment
	gone, err := r.client.RefreshRead(ctx, "", func(ctx context.Context) (err error) {
		current, err = r.client.GetRoleAssignment(ctx, state.ID.ValueString())
		return err
	})
	if gone {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read role assignment "+state.ID.ValueString(), err)
		return
	}
	flattenCatalogRoleAssignment(current, &state)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update is never called with a change: Graph has no update of a role assignment, and every argument
// forces replacement.
func (r *catalogRoleAssignmentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer catalogRoleAssignmentIdentity.Update(ctx, resp)
	var plan catalogRoleAssignmentModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *catalogRoleAssignmentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state catalogRoleAssignmentModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	deleteAndWait(ctx, r.client, &resp.Diagnostics, "role assignment "+id,
		func(ctx context.Context) error { return r.client.DeleteRoleAssignment(ctx, id) },
		func(ctx context.Context) error {
			_, err := r.client.GetRoleAssignment(ctx, id)
			return err
		})
}

func (r *catalogRoleAssignmentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("id"), req, resp)
}

// expandCatalogRoleAssignment builds the POST body: the catalog as appScopeId, or the tenant as directoryScopeId.
func expandCatalogRoleAssignment(m catalogRoleAssignmentModel) graph.RoleAssignment {
	in := graph.RoleAssignment{PrincipalID: m.PrincipalID.ValueString(), RoleDefinitionID: m.RoleDefinitionID.ValueString()}
	if known(m.CatalogID) {
		in.AppScopeID = graph.CatalogScope(m.CatalogID.ValueString())
	} else {
		in.DirectoryScopeID = graph.TenantScope
	}
	return in
}

// flattenCatalogRoleAssignment copies what Graph holds into the model. Ids the user wrote are kept when
// Graph answers them in another case (GUIDs compare without regard to case).
func flattenCatalogRoleAssignment(a *graph.RoleAssignment, m *catalogRoleAssignmentModel) {
	m.ID = types.StringValue(a.ID)
	m.PrincipalID = sameGUIDOr(m.PrincipalID, a.PrincipalID)
	m.RoleDefinitionID = sameGUIDOr(m.RoleDefinitionID, a.RoleDefinitionID)
	if catalog := graph.CatalogOfScope(a.AppScopeID); catalog != "" {
		m.CatalogID = sameGUIDOr(m.CatalogID, catalog)
	} else {
		m.CatalogID = types.StringNull()
	}
	m.AppScopeID = optionalString(a.AppScopeID)
	m.DirectoryScopeID = optionalString(a.DirectoryScopeID)
	if m.CatalogID.IsNull() && m.DirectoryScopeID.IsNull() && a.AppScopeID == graph.TenantScope {
		// A tenant-wide assignment answered with the app scope "/" (the create page allows "/" in both).
		m.DirectoryScopeID = types.StringValue(graph.TenantScope)
	}
}

// sameGUIDOr keeps the model's id when Graph answers the same GUID, else takes Graph's.
func sameGUIDOr(have types.String, graphValue string) types.String {
	if known(have) && strings.EqualFold(have.ValueString(), graphValue) {
		return have
	}
	return types.StringValue(graphValue)
}

// optionalString is null for an empty string.
func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// findRoleAssignments lists the ids of the assignments of the same role to the same principal at the same scope.
func (r *catalogRoleAssignmentResource) findRoleAssignments(ctx context.Context, in graph.RoleAssignment) ([]string, error) {
	found, err := r.client.ListRoleAssignmentsOf(ctx, in.PrincipalID)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, a := range found {
		if !strings.EqualFold(a.RoleDefinitionID, in.RoleDefinitionID) {
			continue
		}
		sameCatalog := in.AppScopeID != "" && strings.EqualFold(a.AppScopeID, in.AppScopeID)
		sameTenant := in.AppScopeID == "" && graph.CatalogOfScope(a.AppScopeID) == "" &&
			(a.DirectoryScopeID == graph.TenantScope || a.AppScopeID == graph.TenantScope)
		if sameCatalog || sameTenant {
			ids = append(ids, a.ID)
		}
	}
	return ids, nil
}

// refusedAsDuplicate handles a create Graph refused (400 or 409) because the principal already holds the
// role at that scope: the existing assignment is named with the import block that brings it under
// management, as framework.RefusedAsDuplicate does for connected organizations. It returns false, adding
// nothing, when the error is another or no such assignment is listed, so that Graph's error is reported.
func (r *catalogRoleAssignmentResource) refusedAsDuplicate(ctx context.Context, diags *diag.Diagnostics, in graph.RoleAssignment, err error) bool {
	var ge *graph.Error
	if !errors.As(err, &ge) || (ge.Status != http.StatusBadRequest && ge.Status != http.StatusConflict) {
		return false
	}
	// Graph refuses a duplicate at once while its lists lag behind creates (as framework.RefusedAsDuplicate
	// explains): the assignment is looked up for a while before Graph's error is reported as is.
	var ids []string
	deadline := time.Now().Add(duplicateLookupWindow)
	for pause := time.Second; ; pause = min(2*pause, 8*time.Second) {
		found, findErr := r.findRoleAssignments(ctx, in)
		if findErr != nil {
			return false
		}
		if ids = found; len(ids) > 0 {
			break
		}
		if time.Now().Add(pause).After(deadline) {
			return false
		}
		timer := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			timer.Stop()
			return false
		case <-timer.C:
		}
	}
	var blocks []string
	for _, id := range ids {
		blocks = append(blocks, fmt.Sprintf("import {\n  to = entragov_catalog_role_assignment.<name>\n  id = %q\n}", id))
	}
	scope := "the tenant"
	if in.AppScopeID != "" {
		scope = "catalog " + graph.CatalogOfScope(in.AppScopeID)
	}
	diags.AddAttributeError(path.Root("principal_id"), "This role assignment already exists",
		fmt.Sprintf("Principal %s already holds role %s on %s (Graph refused the create: %s), and no Terraform state here "+
			"manages that assignment. This usually means an earlier apply was stopped after Graph made it but before "+
			"Terraform saved it, or it was made outside Terraform. Bring it under management with an import block (the "+
			"resource's address in place of entragov_catalog_role_assignment.<name>), then apply again:\n\n%s",
			in.PrincipalID, in.RoleDefinitionID, scope, ge.Message, strings.Join(blocks, "\n\n")))
	return true
}
