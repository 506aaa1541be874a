package azuread

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
)

// azuread_access_package_catalog: id = catalog id; display_name, description (required),
// externally_visible and published (optional, default true). Graph beta accessPackageCatalogs
// with catalogStatus Published/Unpublished.
func catalogDef() resourceDef {
	return resourceDef{
		name: "access_package_catalog",
		schema: schema.Schema{
			Attributes: map[string]schema.Attribute{
				"id":                 idAttribute(),
				"display_name":       schema.StringAttribute{Required: true},
				"description":        schema.StringAttribute{Required: true},
				"externally_visible": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true)},
				"published":          schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true)},
			},
			Blocks: map[string]schema.Block{"timeouts": timeoutsBlock("create", "read", "update", "delete")},
		},
		create: func(ctx context.Context, c *client, plan map[string]any) (string, error) {
			var out map[string]any
			err := c.do(ctx, http.MethodPost, "accessPackageCatalogs", nil, catalogBody(plan), &out)
			return str(out, "id"), err
		},
		read: func(ctx context.Context, c *client, id string) (map[string]any, error) {
			var cat map[string]any
			if err := c.do(ctx, http.MethodGet, "accessPackageCatalogs/"+id, nil, nil, &cat); err != nil {
				if notFound(err) {
					return nil, nil
				}
				return nil, err
			}
			return map[string]any{
				"display_name":       str(cat, "displayName"),
				"description":        str(cat, "description"),
				"published":          strings.EqualFold(str(cat, "catalogStatus"), "published"),
				"externally_visible": boolean(cat, "isExternallyVisible"),
			}, nil
		},
		update: func(ctx context.Context, c *client, id string, plan map[string]any) error {
			return c.do(ctx, http.MethodPatch, "accessPackageCatalogs/"+id, nil, catalogBody(plan), nil)
		},
		delete: func(ctx context.Context, c *client, id string) error {
			return c.do(ctx, http.MethodDelete, "accessPackageCatalogs/"+id, nil, nil, nil)
		},
	}
}

func catalogBody(plan map[string]any) map[string]any {
	status := "Unpublished"
	if boolean(plan, "published") {
		status = "Published"
	}
	return map[string]any{
		"@odata.type":         "#microsoft.graph.accessPackageCatalog",
		"displayName":         str(plan, "display_name"),
		"description":         str(plan, "description"),
		"catalogStatus":       status,
		"isExternallyVisible": boolean(plan, "externally_visible"),
	}
}

// azuread_access_package: id = package id; catalog_id (required, ForceNew), display_name,
// description (required), hidden (optional, default false). Beta accessPackages with
// catalogId and the catalog object in the body.
func accessPackageDef() resourceDef {
	body := func(ctx context.Context, c *client, plan map[string]any) (map[string]any, error) {
		var cat map[string]any
		if err := c.do(ctx, http.MethodGet, "accessPackageCatalogs/"+str(plan, "catalog_id"), nil, nil, &cat); err != nil {
			return nil, fmt.Errorf("retrieving access package catalog %q: %w", str(plan, "catalog_id"), err)
		}
		delete(cat, "@odata.context")
		return map[string]any{
			"@odata.type": "#microsoft.graph.accessPackage", "displayName": str(plan, "display_name"),
			"description": str(plan, "description"), "isHidden": boolean(plan, "hidden"),
			"catalogId": str(cat, "id"), "accessPackageCatalog": cat,
		}, nil
	}
	return resourceDef{
		name: "access_package",
		schema: schema.Schema{
			Attributes: map[string]schema.Attribute{
				"id":           idAttribute(),
				"catalog_id":   schema.StringAttribute{Required: true, PlanModifiers: forceNew},
				"display_name": schema.StringAttribute{Required: true},
				"description":  schema.StringAttribute{Required: true},
				"hidden":       schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false)},
			},
			Blocks: map[string]schema.Block{"timeouts": timeoutsBlock("create", "read", "update", "delete")},
		},
		create: func(ctx context.Context, c *client, plan map[string]any) (string, error) {
			b, err := body(ctx, c, plan)
			if err != nil {
				return "", err
			}
			var out map[string]any
			err = c.do(ctx, http.MethodPost, "accessPackages", nil, b, &out)
			return str(out, "id"), err
		},
		read: func(ctx context.Context, c *client, id string) (map[string]any, error) {
			var p map[string]any
			if err := c.do(ctx, http.MethodGet, "accessPackages/"+id, nil, nil, &p); err != nil {
				if notFound(err) {
					return nil, nil
				}
				return nil, err
			}
			return map[string]any{
				"catalog_id": str(p, "catalogId"), "display_name": str(p, "displayName"),
				"description": str(p, "description"), "hidden": boolean(p, "isHidden"),
			}, nil
		},
		update: func(ctx context.Context, c *client, id string, plan map[string]any) error {
			b, err := body(ctx, c, plan)
			if err != nil {
				return err
			}
			return c.do(ctx, http.MethodPatch, "accessPackages/"+id, nil, b, nil)
		},
		delete: func(ctx context.Context, c *client, id string) error {
			return c.do(ctx, http.MethodDelete, "accessPackages/"+id, nil, nil, nil)
		},
	}
}

// azuread_access_package_resource_catalog_association: id = "<catalog id>/<resource origin
// id>"; every argument is ForceNew. Onboarding and removal are AdminAdd / AdminRemove
// resource requests naming the resource by origin; reads list the catalog's resources by
// originId.
func catalogAssociationDef() resourceDef {
	find := func(ctx context.Context, c *client, catalogID, originID string) (map[string]any, error) {
		var page struct {
			Value []map[string]any `json:"value"`
		}
		q := url.Values{"$filter": {"originId eq '" + strings.ReplaceAll(originID, "'", "''") + "'"}}
		if err := c.do(ctx, http.MethodGet, "accessPackageCatalogs/"+catalogID+"/accessPackageResources", q, nil, &page); err != nil {
			return nil, err
		}
		if len(page.Value) == 0 {
			return nil, nil
		}
		return page.Value[0], nil
	}
	return resourceDef{
		name: "access_package_resource_catalog_association",
		schema: schema.Schema{
			Attributes: map[string]schema.Attribute{
				"id":                     idAttribute(),
				"resource_origin_id":     schema.StringAttribute{Required: true, PlanModifiers: forceNew},
				"resource_origin_system": schema.StringAttribute{Required: true, PlanModifiers: forceNew},
				"catalog_id":             schema.StringAttribute{Required: true, PlanModifiers: forceNew},
			},
			Blocks: map[string]schema.Block{"timeouts": timeoutsBlock("create", "read", "delete")},
		},
		create: func(ctx context.Context, c *client, plan map[string]any) (string, error) {
			catalogID, originID := str(plan, "catalog_id"), str(plan, "resource_origin_id")
			err := c.do(ctx, http.MethodPost, "accessPackageResourceRequests", nil, map[string]any{
				"catalogId": catalogID, "requestType": "AdminAdd", "executeImmediately": true,
				"accessPackageResource": map[string]any{"originId": originID, "originSystem": str(plan, "resource_origin_system")},
			}, nil)
			if err != nil {
				return "", err
			}
			err = waitFor(ctx, func() (bool, error) {
				res, err := find(ctx, c, catalogID, originID)
				return res != nil, err
			})
			return catalogID + "/" + originID, err
		},
		read: func(ctx context.Context, c *client, id string) (map[string]any, error) {
			catalogID, originID, ok := strings.Cut(id, "/")
			if !ok {
				return nil, fmt.Errorf("ID should be in the format {catalogId}/{originId} - but got %q", id)
			}
			res, err := find(ctx, c, catalogID, originID)
			if err != nil || res == nil {
				if notFound(err) {
					err = nil
				}
				return nil, err
			}
			return map[string]any{"catalog_id": catalogID, "resource_origin_id": originID, "resource_origin_system": str(res, "originSystem")}, nil
		},
		delete: func(ctx context.Context, c *client, id string) error {
			catalogID, originID, _ := strings.Cut(id, "/")
			res, err := find(ctx, c, catalogID, originID)
			if err != nil || res == nil {
				return err
			}
			return c.do(ctx, http.MethodPost, "accessPackageResourceRequests", nil, map[string]any{
				"catalogId": catalogID, "requestType": "AdminRemove", "executeImmediately": true,
				"accessPackageResource": map[string]any{"originId": originID, "originSystem": str(res, "originSystem")},
			}, nil)
		},
	}
}

// azuread_access_package_resource_package_association: id = "<access package id>/<role scope
// id>/<resource origin id>/<access type>"; catalog_resource_association_id is the catalog
// association's id; access_type Member (default) or Owner. The role scope is created with the
// role "<access type>_<origin id>" at the resource's root scope.
func packageAssociationDef() resourceDef {
	return resourceDef{
		name: "access_package_resource_package_association",
		schema: schema.Schema{
			Attributes: map[string]schema.Attribute{
				"id":                              idAttribute(),
				"access_package_id":               schema.StringAttribute{Required: true, PlanModifiers: forceNew},
				"catalog_resource_association_id": schema.StringAttribute{Required: true, PlanModifiers: forceNew},
				"access_type": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("Member"),
					PlanModifiers: forceNew},
			},
			Blocks: map[string]schema.Block{"timeouts": timeoutsBlock("create", "read", "delete")},
		},
		create: func(ctx context.Context, c *client, plan map[string]any) (string, error) {
			catalogID, originID, ok := strings.Cut(str(plan, "catalog_resource_association_id"), "/")
			if !ok {
				return "", fmt.Errorf("invalid catalog_resource_association_id %q", str(plan, "catalog_resource_association_id"))
			}
			var page struct {
				Value []map[string]any `json:"value"`
			}
			q := url.Values{"$filter": {"originId eq '" + originID + "'"}}
			if err := c.do(ctx, http.MethodGet, "accessPackageCatalogs/"+catalogID+"/accessPackageResources", q, nil, &page); err != nil {
				return "", err
			}
			if len(page.Value) == 0 {
				return "", fmt.Errorf("no matching resource found in catalog %s", catalogID)
			}
			res := page.Value[0]
			accessType, pkgID := str(plan, "access_type"), str(plan, "access_package_id")
			var out map[string]any
			err := c.do(ctx, http.MethodPost, "accessPackages/"+pkgID+"/accessPackageResourceRoleScopes", nil, map[string]any{
				"accessPackageResourceRole": map[string]any{
					"displayName": accessType, "originId": strings.ReplaceAll(accessType, " ", "") + "_" + originID,
					"originSystem":          res["originSystem"],
					"accessPackageResource": map[string]any{"id": res["id"], "resourceType": res["resourceType"], "originId": res["originId"]},
				},
				"accessPackageResourceScope": map[string]any{"originSystem": res["originSystem"], "originId": originID},
			}, &out)
			if err != nil {
				return "", err
			}
			return pkgID + "/" + str(out, "id") + "/" + originID + "/" + accessType, nil
		},
		read: func(ctx context.Context, c *client, id string) (map[string]any, error) {
			parts := strings.Split(id, "/")
			if len(parts) != 4 {
				return nil, fmt.Errorf("ID should be in the format {accessPackageId}/{resourcePackageAssociationId}/{originId}/{accessType} - but got %q", id)
			}
			var pkg map[string]any
			q := url.Values{"$expand": {"accessPackageResourceRoleScopes($expand=accessPackageResourceRole,accessPackageResourceScope)"}}
			if err := c.do(ctx, http.MethodGet, "accessPackages/"+parts[0], q, nil, &pkg); err != nil {
				if notFound(err) {
					return nil, nil
				}
				return nil, err
			}
			for _, x := range list(pkg, "accessPackageResourceRoleScopes") {
				if rs, _ := x.(map[string]any); str(rs, "id") == parts[1] {
					return map[string]any{
						"access_package_id": parts[0], "access_type": parts[3],
						"catalog_resource_association_id": str(pkg, "catalogId") + "/" + parts[2],
					}, nil
				}
			}
			return nil, nil
		},
		delete: func(ctx context.Context, c *client, id string) error {
			parts := strings.Split(id, "/")
			if len(parts) != 4 {
				return fmt.Errorf("invalid id %q", id)
			}
			return c.do(ctx, http.MethodDelete, "accessPackages/"+parts[0]+"/accessPackageResourceRoleScopes/"+parts[1], nil, nil, nil)
		},
	}
}
