package entitlement

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/identity"
	"github.com/entragov/terraform-provider-entragov/internal/framework/schematypes"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ resource.Resource                   = &catalogResourceResource{}
	_ resource.ResourceWithConfigure      = &catalogResourceResource{}
	_ resource.ResourceWithImportState    = &catalogResourceResource{}
	_ resource.ResourceWithIdentity       = &catalogResourceResource{}
	_ resource.ResourceWithValidateConfig = &catalogResourceResource{}
)

// NewCatalogResourceResource is the constructor registered with the provider.
func NewCatalogResourceResource() resource.Resource {
	return &catalogResourceResource{}
}

type catalogResourceResource struct {
	client *graph.Client
}

type catalogResourceModel struct {
	ID           types.String `tfsdk:"id"`
	CatalogID    types.String `tfsdk:"catalog_id"`
	OriginSystem types.String `tfsdk:"origin_system"`
	OriginID     types.String `tfsdk:"origin_id"`
	DisplayName  types.String `tfsdk:"display_name"`
	Description  types.String `tfsdk:"description"`
	Roles        types.List   `tfsdk:"roles"`
	Scopes       types.List   `tfsdk:"scopes"`
}

var catalogResourceRoleAttrTypes = map[string]attr.Type{
	"id":           types.StringType,
	"origin_id":    types.StringType,
	"display_name": types.StringType,
	"description":  types.StringType,
}

var catalogResourceScopeAttrTypes = map[string]attr.Type{
	"id":            types.StringType,
	"origin_id":     types.StringType,
	"display_name":  types.StringType,
	"description":   types.StringType,
	"is_root_scope": types.BoolType,
}

func (r *catalogResourceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_catalog_resource"
}

func (r *catalogResourceResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Onboards a group, an application or a SharePoint Online site into a catalog (Graph " +
			"`accessPackageResourceRequest` with `adminAdd`; destroy sends `adminRemove`), so that access packages of the " +
			"catalog can grant its roles. Exposes the resource's roles and scopes for role scopes. Needs " +
			"`EntitlementManagement.ReadWrite.All`, plus `Group.ReadWrite.All` for groups and `Application.ReadWrite.All` " +
			"for applications. Every argument forces a new resource.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The catalog resource id: a GUID specific to this catalog, different from `origin_id`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"catalog_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The catalog to onboard the resource into.",
				Validators:          []validator.String{validators.GUID()},
				PlanModifiers:       replace,
			},
			"origin_system": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Where the resource lives: `AadGroup` (a group), `AadApplication` (an application, by " +
					"its service principal) or `SharePointOnline` (a site).",
				Validators:    []validator.String{stringvalidator.OneOf(graph.OriginSystems...)},
				PlanModifiers: replace,
			},
			"origin_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The resource in its origin system: the group's object id for `AadGroup`; the " +
					"**service principal** object id (not the application object id, not the appId) for `AadApplication`; " +
					"the site URL (`https://<tenant>.sharepoint.com/sites/<site>`) for `SharePointOnline`.",
				PlanModifiers: replace,
			},
			"display_name": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The resource's name as the catalog shows it.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"description": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The resource's description as the catalog shows it.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"roles": schema.ListNestedAttribute{
				Computed: true,
				MarkdownDescription: "The roles access packages can grant: `Member_<group id>` and `Owner_<group id>` for " +
					"groups, the app role ids for applications, the site group numbers (`3` Owners, `4` Visitors, `5` Members) " +
					"for SharePoint sites. Use `origin_id` as `role_origin_id` of a role scope.",
				PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":           schema.StringAttribute{Computed: true, MarkdownDescription: "The catalog role id."},
					"origin_id":    schema.StringAttribute{Computed: true, MarkdownDescription: "The role's id in the origin system."},
					"display_name": schema.StringAttribute{Computed: true, MarkdownDescription: "The role's name."},
					"description":  schema.StringAttribute{Computed: true, MarkdownDescription: "The role's description."},
				}},
			},
			"scopes": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The scopes of the resource; the root scope covers the whole resource.",
				PlanModifiers:       []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":            schema.StringAttribute{Computed: true, MarkdownDescription: "The catalog scope id."},
					"origin_id":     schema.StringAttribute{Computed: true, MarkdownDescription: "The scope's id in the origin system."},
					"display_name":  schema.StringAttribute{Computed: true, MarkdownDescription: "The scope's name."},
					"description":   schema.StringAttribute{Computed: true, MarkdownDescription: "The scope's description."},
					"is_root_scope": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether this is the root scope."},
				}},
			},
		},
	}
	resp.Schema = schematypes.Cache(resp.Schema)
}

// ValidateConfig checks origin_id against origin_system: Graph would reject a mismatch only at apply.
func (r *catalogResourceResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg catalogResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !known(cfg.OriginSystem) || !known(cfg.OriginID) {
		return
	}
	originID := cfg.OriginID.ValueString()
	switch cfg.OriginSystem.ValueString() {
	case graph.OriginSystemGroup, graph.OriginSystemApplication:
		if !validators.IsGUID(originID) {
			what := "the group's object id"
			if cfg.OriginSystem.ValueString() == graph.OriginSystemApplication {
				what = "the service principal's object id"
			}
			resp.Diagnostics.AddAttributeError(path.Root("origin_id"), "Invalid origin id",
				fmt.Sprintf("With origin_system %q, origin_id must be %s (a GUID); got %q.", cfg.OriginSystem.ValueString(), what, originID))
		}
	case graph.OriginSystemSharePoint:
		// Graph documents a site under /portals/ too (the Community site of "Create resourceRoleScope",
		// https://learn.microsoft.com/en-us/graph/api/accesspackage-post-resourcerolescopes?view=graph-rest-1.0):
		// the configuration Terraform generates for it must validate.
		checked := originID
		if u, err := url.Parse(originID); err == nil && strings.HasPrefix(u.Path, "/portals/") {
			u.Path = "/sites/" + strings.TrimPrefix(u.Path, "/portals/")
			checked = u.String()
		}
		if problem := validators.CheckSharePointSiteURL(checked); problem != "" {
			resp.Diagnostics.AddAttributeError(path.Root("origin_id"), "Invalid SharePoint site URL",
				fmt.Sprintf("With origin_system \"SharePointOnline\", origin_id %s; got %q.", problem, originID))
		}
	}
}

func (r *catalogResourceResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = catalogResourceIdentity.Schema()
}

func (r *catalogResourceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *catalogResourceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer catalogResourceIdentity.Create(ctx, resp)
	var plan catalogResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	catalogID, originID := plan.CatalogID.ValueString(), plan.OriginID.ValueString()
	// A lost answer is resolved below: the resource is looked up by its origin id either way.
	if _, err := r.client.AddCatalogResource(ctx, catalogID, plan.OriginSystem.ValueString(), originID); err != nil && !graph.IsAmbiguous(err) {
		// Graph refuses a resource already in the catalog before its list shows it (an apply killed
		// moments earlier): PresentAfterRefusal waits for the list, so the error names the import.
		listed := framework.PresentAfterRefusal(ctx, err, func(ctx context.Context) (bool, error) {
			_, err := r.client.FindCatalogResource(ctx, catalogID, originID)
			return framework.Found(err)
		})
		if listed {
			resp.Diagnostics.AddError("Resource already in the catalog",
				fmt.Sprintf("%s is already in catalog %s, so it cannot be onboarded again. Manage the existing one with:\n\n"+
					"  terraform import <address> %s/%s\n\n%s", originID, catalogID, catalogID, originID, diagnostics.Detail(err)))
			return
		}
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to add resource "+originID+" to catalog "+catalogID, err)
		return
	}

	// The request answers before the resource is listed; wait until the catalog shows it. The wait is
	// not cut short by an interruption: without the id the onboarded resource would be orphaned.
	waitCtx, cancel := graph.Detached(ctx, 2*time.Minute)
	defer cancel()
	var found *graph.CatalogResource
	err := r.client.WaitForExistence(waitCtx, func(ctx context.Context) error {
		var err error
		found, err = r.client.FindCatalogResource(ctx, catalogID, originID)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, fmt.Sprintf("Resource %s was added to catalog %s but could not be read back "+
			"(import it with %s/%s once it shows)", originID, catalogID, catalogID, originID), err)
		return
	}
	r.client.RememberOnboardedResource(catalogID, found)
	resp.Diagnostics.Append(flattenCatalogResource(found, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *catalogResourceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer catalogResourceIdentity.Read(ctx, req, resp)
	var state catalogResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var found *graph.CatalogResource
	gone, err := r.client.RefreshRead(ctx, "", func(ctx context.Context) (err error) {
		found, err = r.client.FindCatalogResource(ctx, state.CatalogID.ValueString(), state.OriginID.ValueString())
		return err
	})
	if gone {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read resource "+state.OriginID.ValueString()+" of catalog "+state.CatalogID.ValueString(), err)
		return
	}
	resp.Diagnostics.Append(flattenCatalogResource(found, &state)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update is never called with a change: every argument forces replacement.
func (r *catalogResourceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer catalogResourceIdentity.Update(ctx, resp)
	var plan catalogResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *catalogResourceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state catalogResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	catalogID, originID := state.CatalogID.ValueString(), state.OriginID.ValueString()
	_, err := r.client.RemoveCatalogResource(ctx, catalogID, state.ID.ValueString())
	// A lost answer is settled by the wait below.
	if err != nil && !graph.IsNotFound(err) && !graph.IsAmbiguous(err) {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to remove resource "+originID+" from catalog "+catalogID, err)
		return
	}
	err = r.client.WaitForDeletion(ctx, func(ctx context.Context) error {
		_, err := r.client.FindCatalogResource(ctx, catalogID, originID)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Resource "+originID+" was removed from catalog "+catalogID+" but is still listed", err)
	}
}

// catalogResourceIdentity is the resource identity (Terraform 1.12 and later): the catalog and the origin
// id, the key every read looks the resource up by. The catalog resource's own Graph id is not part of it:
// Graph gives a resource removed from a catalog and added again a new id, which Read follows, and an
// identity must not change.
var catalogResourceIdentity = identity.Spec{
	{Name: "catalog_id", Description: "The id of the catalog that holds the resource."},
	{Name: "origin_id", Description: "The resource's id in its origin system: the group or service principal object id, or the SharePoint site URL."},
}

// ImportState takes "<catalog_id>/<origin_id>", or an identity with both. Origin ids may hold slashes
// (SharePoint URLs), so only the first slash separates.
func (r *catalogResourceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	catalogID, originID, ok := strings.Cut(req.ID, "/")
	if req.ID == "" {
		values, diags := catalogResourceIdentity.Values(ctx, req)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		catalogID, originID, ok = values["catalog_id"], values["origin_id"], true
	}
	if !ok || !validators.IsGUID(catalogID) || originID == "" {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Expected <catalog_id>/<origin_id>, e.g. 3f0c9b1e-8a7d-4e2c-9b5a-6d4e3c2b1a09/https://contoso.sharepoint.com/sites/sales; got %q.", catalogID+"/"+originID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("catalog_id"), catalogID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("origin_id"), originID)...)
}

func flattenCatalogResource(res *graph.CatalogResource, m *catalogResourceModel) (diags diag.Diagnostics) {
	m.ID = types.StringValue(res.ID)
	m.OriginSystem = types.StringValue(res.OriginSystem)
	m.OriginID = types.StringValue(res.OriginID)
	m.DisplayName = types.StringValue(res.DisplayName)
	m.Description = types.StringValue(res.Description)
	roles := make([]attr.Value, 0, len(res.Roles))
	for _, role := range res.Roles {
		v, d := types.ObjectValue(catalogResourceRoleAttrTypes, map[string]attr.Value{
			"id": types.StringValue(role.ID), "origin_id": types.StringValue(role.OriginID),
			"display_name": types.StringValue(role.DisplayName), "description": types.StringValue(role.Description),
		})
		diags.Append(d...)
		roles = append(roles, v)
	}
	scopes := make([]attr.Value, 0, len(res.Scopes))
	for _, scope := range res.Scopes {
		v, d := types.ObjectValue(catalogResourceScopeAttrTypes, map[string]attr.Value{
			"id": types.StringValue(scope.ID), "origin_id": types.StringValue(scope.OriginID),
			"display_name": types.StringValue(scope.DisplayName), "description": types.StringValue(scope.Description),
			"is_root_scope": types.BoolValue(scope.IsRootScope),
		})
		diags.Append(d...)
		scopes = append(scopes, v)
	}
	var d diag.Diagnostics
	m.Roles, d = types.ListValue(types.ObjectType{AttrTypes: catalogResourceRoleAttrTypes}, roles)
	diags.Append(d...)
	m.Scopes, d = types.ListValue(types.ObjectType{AttrTypes: catalogResourceScopeAttrTypes}, scopes)
	diags.Append(d...)
	return diags
}
