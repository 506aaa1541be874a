package entitlement

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithMoveState = &roleScopeResource{}

var roleScopeFromAzureadMove = azureadMove{
	sourceType: "azuread_access_package_resource_package_association", targetType: "entragov_access_package_resource_role_scope",
}

// azureadPackageAssociationSchema is azuread_access_package_resource_package_association as
// documented: access_package_id, catalog_resource_association_id ("<catalog id>/<origin id>"),
// access_type (Member or Owner; the newest releases add "Eligible Member"/"Eligible Owner"),
// and the id "<package id>/<role scope id>/<origin id>/<access type>". resource_role_origin_id
// and resource_role_display_name are read when a newer release wrote them.
func azureadPackageAssociationSchema() *schema.Schema {
	return &schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":                              sourceID(),
			"access_package_id":               sourceString(),
			"catalog_resource_association_id": sourceString(),
			"access_type":                     sourceString(),
			"resource_role_origin_id":         sourceString(),
			"resource_role_display_name":      sourceString(),
		},
		Blocks: map[string]schema.Block{"timeouts": sourceTimeouts("create", "read", "delete")},
	}
}

type azureadPackageAssociationModel struct {
	ID                           types.String `tfsdk:"id"`
	AccessPackageID              types.String `tfsdk:"access_package_id"`
	CatalogResourceAssociationID types.String `tfsdk:"catalog_resource_association_id"`
	AccessType                   types.String `tfsdk:"access_type"`
	ResourceRoleOriginID         types.String `tfsdk:"resource_role_origin_id"`
	ResourceRoleDisplayName      types.String `tfsdk:"resource_role_display_name"`
	Timeouts                     types.Object `tfsdk:"timeouts"`
}

// MoveState moves azuread_access_package_resource_package_association to
// entragov_access_package_resource_role_scope.
func (r *roleScopeResource) MoveState(context.Context) []resource.StateMover {
	return []resource.StateMover{{
		SourceSchema: azureadPackageAssociationSchema(),
		StateMover: func(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
			if !roleScopeFromAzureadMove.accepts(req, &resp.Diagnostics) {
				return
			}
			var src azureadPackageAssociationModel
			resp.Diagnostics.Append(req.SourceState.Get(ctx, &src)...)
			if resp.Diagnostics.HasError() {
				return
			}
			m, err := roleScopeFromAzuread(src)
			if err != nil {
				resp.Diagnostics.AddAttributeError(path.Root("id"), "Unable to move the package association", err.Error())
				return
			}
			resp.Diagnostics.Append(resp.TargetState.Set(ctx, m)...)
		},
	}}
}

// roleScopeFromAzuread maps the azuread state: the role scope id and the package come from the
// composite id, the role from access_type (group roles "Member_<group id>", "Owner_<group
// id>") or resource_role_origin_id, the scope is the resource's root scope. The catalog
// resource id (azuread kept the catalog and origin id instead), the role and scope ids and the
// origin system come with the refresh, which reads the role scope by package and id.
func roleScopeFromAzuread(src azureadPackageAssociationModel) (roleScopeModel, error) {
	packageID, roleScopeID, ok := azureadRoleScopeID(src.ID.ValueString())
	if !ok {
		return roleScopeModel{}, fmt.Errorf("the id %q is not <access package id>/<role scope id>/<origin id>/<access type>", src.ID.ValueString())
	}
	if p := src.AccessPackageID.ValueString(); p != "" && !strings.EqualFold(p, packageID) {
		return roleScopeModel{}, fmt.Errorf("the id %q names access package %s but access_package_id is %s", src.ID.ValueString(), packageID, p)
	}
	_, originID, _ := strings.Cut(src.CatalogResourceAssociationID.ValueString(), "/")
	if originID == "" {
		_, originID, _ = strings.Cut(src.CatalogResourceAssociationID.ValueString(), ":")
	}
	m := roleScopeModel{
		ID:                types.StringValue(roleScopeID),
		AccessPackageID:   types.StringValue(packageID),
		CatalogResourceID: types.StringNull(),
		RoleOriginID:      types.StringNull(),
		ScopeOriginID:     types.StringNull(),
		RoleID:            types.StringNull(),
		RoleDisplayName:   types.StringNull(),
		ScopeID:           types.StringNull(),
		OriginSystem:      types.StringNull(),
	}
	switch {
	case src.ResourceRoleOriginID.ValueString() != "":
		m.RoleOriginID = src.ResourceRoleOriginID
	case originID != "":
		accessType := src.AccessType.ValueString()
		if accessType == "" {
			accessType = "Member"
		}
		m.RoleOriginID = types.StringValue(strings.ReplaceAll(accessType, " ", "") + "_" + originID)
	}
	if originID != "" {
		m.ScopeOriginID = types.StringValue(originID)
	}
	return m, nil
}
