package entitlement

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithMoveState = &catalogResource{}

var catalogFromAzureadMove = azureadMove{sourceType: "azuread_access_package_catalog", targetType: "entragov_catalog"}

// azureadCatalogSchema is azuread_access_package_catalog as the azuread provider documents it
// (2.x and 3.x): the id is the catalog id.
func azureadCatalogSchema() *schema.Schema {
	return &schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":                 sourceID(),
			"display_name":       sourceString(),
			"description":        sourceString(),
			"externally_visible": sourceBool(),
			"published":          sourceBool(),
		},
		Blocks: map[string]schema.Block{"timeouts": sourceTimeouts("create", "read", "update", "delete")},
	}
}

type azureadCatalogModel struct {
	ID                types.String `tfsdk:"id"`
	DisplayName       types.String `tfsdk:"display_name"`
	Description       types.String `tfsdk:"description"`
	ExternallyVisible types.Bool   `tfsdk:"externally_visible"`
	Published         types.Bool   `tfsdk:"published"`
	Timeouts          types.Object `tfsdk:"timeouts"`
}

// MoveState moves azuread_access_package_catalog to entragov_catalog.
func (r *catalogResource) MoveState(context.Context) []resource.StateMover {
	return []resource.StateMover{{
		SourceSchema: azureadCatalogSchema(),
		StateMover: func(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
			if !catalogFromAzureadMove.accepts(req, &resp.Diagnostics) {
				return
			}
			var src azureadCatalogModel
			resp.Diagnostics.Append(req.SourceState.Get(ctx, &src)...)
			if resp.Diagnostics.HasError() {
				return
			}
			resp.Diagnostics.Append(resp.TargetState.Set(ctx, catalogFromAzuread(src))...)
		},
	}}
}

// catalogFromAzuread maps the azuread state: published is the catalog state, the rest keeps its
// name. catalog_type and the timestamps come with the refresh.
func catalogFromAzuread(src azureadCatalogModel) catalogModel {
	m := catalogModel{
		ID:                src.ID,
		DisplayName:       src.DisplayName,
		Description:       src.Description,
		State:             types.StringNull(),
		ExternallyVisible: src.ExternallyVisible,
		CatalogType:       types.StringNull(),
		CreatedDateTime:   types.StringNull(),
		ModifiedDateTime:  types.StringNull(),
	}
	if !src.Published.IsNull() && !src.Published.IsUnknown() {
		m.State = types.StringValue("unpublished")
		if src.Published.ValueBool() {
			m.State = types.StringValue("published")
		}
	}
	if m.Description.IsNull() {
		m.Description = types.StringValue("")
	}
	return m
}
