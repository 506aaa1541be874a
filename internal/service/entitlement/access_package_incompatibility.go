package entitlement

import (
	"context"
	"fmt"
	"strings"

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
	_ resource.Resource                   = &incompatibilityResource{}
	_ resource.ResourceWithConfigure      = &incompatibilityResource{}
	_ resource.ResourceWithImportState    = &incompatibilityResource{}
	_ resource.ResourceWithIdentity       = &incompatibilityResource{}
	_ resource.ResourceWithValidateConfig = &incompatibilityResource{}
)

// NewAccessPackageIncompatibilityResource is the constructor registered with the provider.
func NewAccessPackageIncompatibilityResource() resource.Resource {
	return &incompatibilityResource{}
}

// incompatibilityResource manages one incompatibleAccessPackages link. It exists because a mutual
// incompatibility (A excludes B and B excludes A) cannot be written with the packages' own
// incompatible_access_package_ids: each package would refer to the other, a cycle Terraform refuses.
type incompatibilityResource struct {
	client *graph.Client
}

type incompatibilityModel struct {
	ID                          types.String `tfsdk:"id"`
	AccessPackageID             types.String `tfsdk:"access_package_id"`
	IncompatibleAccessPackageID types.String `tfsdk:"incompatible_access_package_id"`
}

func (r *incompatibilityResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_package_incompatibility"
}

func (r *incompatibilityResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Makes one access package incompatible with another (a Graph `incompatibleAccessPackages` " +
			"link): users who hold `incompatible_access_package_id` cannot request `access_package_id`. Use two of these for " +
			"a mutual incompatibility, which the packages' own `incompatible_access_package_ids` cannot express without a " +
			"reference cycle. Do not manage the same link both here and in `incompatible_access_package_ids`. Needs " +
			"`EntitlementManagement.ReadWrite.All`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`<access_package_id>/<incompatible_access_package_id>`, also the import id.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"access_package_id": schema.StringAttribute{
				Required: true, MarkdownDescription: "The package that cannot be requested.",
				Validators: []validator.String{validators.GUID()}, PlanModifiers: replace,
			},
			"incompatible_access_package_id": schema.StringAttribute{
				Required: true, MarkdownDescription: "The package whose holders are excluded.",
				Validators: []validator.String{validators.GUID()}, PlanModifiers: replace,
			},
		},
	}
}

func (r *incompatibilityResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg incompatibilityModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !known(cfg.AccessPackageID) || !known(cfg.IncompatibleAccessPackageID) {
		return
	}
	if strings.EqualFold(cfg.AccessPackageID.ValueString(), cfg.IncompatibleAccessPackageID.ValueString()) {
		resp.Diagnostics.AddAttributeError(path.Root("incompatible_access_package_id"), "A package cannot exclude itself",
			"incompatible_access_package_id must name another access package than access_package_id.")
	}
}

func (r *incompatibilityResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = incompatibilityIdentity.Schema()
}

func (r *incompatibilityResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *incompatibilityResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer incompatibilityIdentity.Create(ctx, resp)
	var plan incompatibilityModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	from, to := plan.AccessPackageID.ValueString(), plan.IncompatibleAccessPackageID.ValueString()
	if err := r.client.AddIncompatibleAccessPackage(ctx, from, to); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, fmt.Sprintf("Unable to make access package %s incompatible with %s", from, to), err)
		return
	}
	plan.ID = types.StringValue(from + "/" + to)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *incompatibilityResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer incompatibilityIdentity.Read(ctx, req, resp)
	var state incompatibilityModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	from, to := state.AccessPackageID.ValueString(), state.IncompatibleAccessPackageID.ValueString()
	var pkg *graph.AccessPackage
	gone, err := r.client.RefreshRead(ctx, "", func(ctx context.Context) (err error) {
		pkg, err = r.client.GetAccessPackage(ctx, from, "incompatibleAccessPackages")
		return err
	})
	if gone {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read access package "+from, err)
		return
	}
	for _, other := range pkg.IncompatibleAccessPackages {
		if strings.EqualFold(other.ID, to) {
			state.ID = types.StringValue(from + "/" + to)
			resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
			return
		}
	}
	resp.State.RemoveResource(ctx)
}

// Update is never called with a change: every argument forces replacement.
func (r *incompatibilityResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer incompatibilityIdentity.Update(ctx, resp)
	var plan incompatibilityModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *incompatibilityResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state incompatibilityModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	from, to := state.AccessPackageID.ValueString(), state.IncompatibleAccessPackageID.ValueString()
	if err := r.client.RemoveIncompatibleAccessPackage(ctx, from, to); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, fmt.Sprintf("Unable to remove the incompatibility of %s with %s", from, to), err)
	}
}

// incompatibilityIdentity is the resource identity (Terraform 1.12 and later): the link's two packages.
var incompatibilityIdentity = identity.Spec{
	{Name: "access_package_id", Description: "The id of the access package that cannot be requested."},
	{Name: "incompatible_access_package_id", Description: "The id of the access package whose holders are excluded."},
}

// ImportState takes "<access_package_id>/<incompatible_access_package_id>", or an identity with both.
func (r *incompatibilityResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	from, to, ok := strings.Cut(req.ID, "/")
	if req.ID == "" {
		values, diags := incompatibilityIdentity.Values(ctx, req)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		from, to, ok = values["access_package_id"], values["incompatible_access_package_id"], true
	}
	if !ok || !validators.IsGUID(from) || !validators.IsGUID(to) {
		resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf("Expected <access_package_id>/<incompatible_access_package_id> (two GUIDs); got %q.", from+"/"+to))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("access_package_id"), from)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("incompatible_access_package_id"), to)...)
}
