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

var _ resource.ResourceWithMoveState = &catalogResourceResource{}

var catalogResourceFromAzureadMove = azureadMove{
	sourceType: "azuread_access_package_resource_catalog_association", targetType: "entragov_catalog_resource",
}

// azureadCatalogAssociationSchema is azuread_access_package_resource_catalog_association as
// documented (2.x and 3.x): the id is "<catalog id>/<resource origin id>" (":" in early 2.x).
func azureadCatalogAssociationSchema() *schema.Schema {
	return &schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":                     sourceID(),
			"catalog_id":             sourceString(),
			"resource_origin_id":     sourceString(),
			"resource_origin_system": sourceString(),
		},
		Blocks: map[string]schema.Block{"timeouts": sourceTimeouts("create", "read", "delete")},
	}
}

type azureadCatalogAssociationModel struct {
	ID                   types.String `tfsdk:"id"`
	CatalogID            types.String `tfsdk:"catalog_id"`
	ResourceOriginID     types.String `tfsdk:"resource_origin_id"`
	ResourceOriginSystem types.String `tfsdk:"resource_origin_system"`
	Timeouts             types.Object `tfsdk:"timeouts"`
}

// MoveState moves azuread_access_package_resource_catalog_association to entragov_catalog_resource.
func (r *catalogResourceResource) MoveState(context.Context) []resource.StateMover {
	return []resource.StateMover{{
		SourceSchema: azureadCatalogAssociationSchema(),
		StateMover: func(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
			if !catalogResourceFromAzureadMove.accepts(req, &resp.Diagnostics) {
				return
			}
			var src azureadCatalogAssociationModel
			resp.Diagnostics.Append(req.SourceState.Get(ctx, &src)...)
			if resp.Diagnostics.HasError() {
				return
			}
			m, err := catalogResourceFromAzuread(src)
			if err != nil {
				resp.Diagnostics.AddAttributeError(path.Root("catalog_id"), "Unable to move the catalog association", err.Error())
				return
			}
			resp.Diagnostics.Append(resp.TargetState.Set(ctx, m)...)
		},
	}}
}

// catalogResourceFromAzuread maps the azuread state. The catalog resource's own id (a GUID that
// azuread never stored), its name, roles and scopes come with the refresh, which finds the
// resource by catalog and origin id.
func catalogResourceFromAzuread(src azureadCatalogAssociationModel) (catalogResourceModel, error) {
	catalogID, originID := src.CatalogID.ValueString(), src.ResourceOriginID.ValueString()
	if catalogID == "" || originID == "" {
		// Fall back on the id for states written before the attributes were set.
		id := src.ID.ValueString()
		sep := "/"
		if len(id) > 36 && id[36] == ':' {
			sep = ":"
		}
		if c, o, ok := strings.Cut(id, sep); ok {
			catalogID, originID = c, o
		}
	}
	if catalogID == "" || originID == "" {
		return catalogResourceModel{}, fmt.Errorf("the azuread state names no catalog and resource origin id (id %q)", src.ID.ValueString())
	}
	return catalogResourceModel{
		ID:           types.StringNull(),
		CatalogID:    types.StringValue(catalogID),
		OriginSystem: src.ResourceOriginSystem,
		OriginID:     types.StringValue(originID),
		DisplayName:  types.StringNull(),
		Description:  types.StringNull(),
		Roles:        types.ListNull(types.ObjectType{AttrTypes: catalogResourceRoleAttrTypes}),
		Scopes:       types.ListNull(types.ObjectType{AttrTypes: catalogResourceScopeAttrTypes}),
	}, nil
}
