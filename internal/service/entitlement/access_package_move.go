package entitlement

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithMoveState = &accessPackageResource{}

var accessPackageFromAzureadMove = azureadMove{sourceType: "azuread_access_package", targetType: "entragov_access_package"}

// azureadAccessPackageSchema is azuread_access_package as documented (2.x and 3.x): the id is
// the access package id.
func azureadAccessPackageSchema() *schema.Schema {
	return &schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":           sourceID(),
			"catalog_id":   sourceString(),
			"display_name": sourceString(),
			"description":  sourceString(),
			"hidden":       sourceBool(),
		},
		Blocks: map[string]schema.Block{"timeouts": sourceTimeouts("create", "read", "update", "delete")},
	}
}

type azureadAccessPackageModel struct {
	ID          types.String `tfsdk:"id"`
	CatalogID   types.String `tfsdk:"catalog_id"`
	DisplayName types.String `tfsdk:"display_name"`
	Description types.String `tfsdk:"description"`
	Hidden      types.Bool   `tfsdk:"hidden"`
	Timeouts    types.Object `tfsdk:"timeouts"`
}

// MoveState moves azuread_access_package to entragov_access_package.
func (r *accessPackageResource) MoveState(context.Context) []resource.StateMover {
	return []resource.StateMover{{
		SourceSchema: azureadAccessPackageSchema(),
		StateMover: func(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
			if !accessPackageFromAzureadMove.accepts(req, &resp.Diagnostics) {
				return
			}
			var src azureadAccessPackageModel
			resp.Diagnostics.Append(req.SourceState.Get(ctx, &src)...)
			if resp.Diagnostics.HasError() {
				return
			}
			resp.Diagnostics.Append(resp.TargetState.Set(ctx, accessPackageFromAzuread(src))...)
		},
	}}
}

// accessPackageFromAzuread maps the azuread state. The incompatibility sets (azuread has none)
// and the timestamps come with the refresh, so links made elsewhere show as they are.
func accessPackageFromAzuread(src azureadAccessPackageModel) accessPackageModel {
	m := accessPackageModel{
		ID:                           src.ID,
		CatalogID:                    src.CatalogID,
		DisplayName:                  src.DisplayName,
		Description:                  src.Description,
		Hidden:                       src.Hidden,
		IncompatibleAccessPackageIDs: types.SetNull(types.StringType),
		IncompatibleGroupIDs:         types.SetNull(types.StringType),
		CreatedDateTime:              types.StringNull(),
		ModifiedDateTime:             types.StringNull(),
	}
	if m.Description.IsNull() {
		m.Description = types.StringValue("")
	}
	return m
}
