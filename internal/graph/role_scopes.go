package graph

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// ResourceRoleScope is an accessPackageResourceRoleScope: a role of a catalog resource, at a scope,
// granted by an access package. Its id is "<catalog role id>_<catalog scope id>" (spec 1.4).
type ResourceRoleScope struct {
	ID              string                `json:"id,omitempty"`
	CreatedDateTime string                `json:"createdDateTime,omitempty"`
	Role            *RoleScopeRole        `json:"role,omitempty"`
	Scope           *CatalogResourceScope `json:"scope,omitempty"`
}

// RoleScopeRole is the role half of a role scope; on create it names the catalog resource.
type RoleScopeRole struct {
	ID           string `json:"id,omitempty"`
	DisplayName  string `json:"displayName,omitempty"`
	OriginID     string `json:"originId"`
	OriginSystem string `json:"originSystem"`
	Resource     *IDRef `json:"resource,omitempty"`
}

// SplitRoleScopeID splits "<roleId>_<scopeId>". Graph ids are GUIDs, so the first underscore separates.
func SplitRoleScopeID(id string) (roleID, scopeID string, err error) {
	roleID, scopeID, ok := strings.Cut(id, "_")
	if !ok || roleID == "" || scopeID == "" {
		return "", "", fmt.Errorf("%q is not a role scope id of the form <roleId>_<scopeId>", id)
	}
	return roleID, scopeID, nil
}

func roleScopesPath(packageID string) string {
	return accessPackagesPath + "/" + url.PathEscape(packageID) + "/resourceRoleScopes"
}

// CreateRoleScope adds a resource role at a scope to an access package.
func (c *Client) CreateRoleScope(ctx context.Context, packageID string, role RoleScopeRole, scope CatalogResourceScope) (*ResourceRoleScope, error) {
	body := map[string]any{
		"role":  role,
		"scope": map[string]any{"originId": scope.OriginID, "originSystem": scope.OriginSystem, "isRootScope": scope.IsRootScope},
	}
	var out ResourceRoleScope
	if err := c.do(ctx, request{method: http.MethodPost, path: roleScopesPath(packageID), body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteRoleScope removes a role scope from a package; one that is already gone counts as removed.
func (c *Client) DeleteRoleScope(ctx context.Context, packageID, roleScopeID string) error {
	err := c.do(ctx, request{method: http.MethodDelete, path: roleScopesPath(packageID) + "/" + url.PathEscape(roleScopeID)}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// GetRoleScope reads one role scope of a package, with its role and scope, through the $expand the
// reference documents, resourceRoleScopes($expand=role,scope):
// https://learn.microsoft.com/en-us/graph/api/accesspackage-list-resourcerolescopes?view=graph-rest-1.0
// That answer does not name the role's catalog resource (role.resource); FindRoleScopeResource does.
// A role scope the package does not hold answers a 404 *Error.
func (c *Client) GetRoleScope(ctx context.Context, packageID, roleScopeID string) (*ResourceRoleScope, error) {
	// The role scope id is matched in the package's list, not sent: an empty one would read as "gone".
	if err := requireIDs("GetRoleScope", roleScopeID); err != nil {
		return nil, err
	}
	find := func(pkg *AccessPackage) *ResourceRoleScope {
		for i := range pkg.ResourceRoleScopes {
			if strings.EqualFold(pkg.ResourceRoleScopes[i].ID, roleScopeID) {
				return &pkg.ResourceRoleScopes[i]
			}
		}
		return nil
	}
	if pkg, ok := c.bulkAccessPackageRead(ctx, packageID, []string{ExpandResourceRoleScopes}); ok {
		if rs := find(pkg); rs != nil {
			return rs, nil
		}
		// Not in the package as bulk refresh read it: only Graph itself may say it is gone, so that the
		// rereads that confirm a refresh's 404 (RefreshRead) see a role scope Graph lists a moment later.
	}
	pkg, err := c.getAccessPackageSingle(ctx, packageID, ExpandResourceRoleScopes)
	if err != nil {
		return nil, err
	}
	if rs := find(pkg); rs != nil {
		return rs, nil
	}
	return nil, &Error{
		Method: http.MethodGet, URL: accessPackagesPath + "/" + packageID, Status: http.StatusNotFound,
		Code: "ResourceNotFound", Message: fmt.Sprintf("access package %s has no role scope %s", packageID, roleScopeID),
	}
}

// FindRoleScopeResource sets rs.Role.Resource to the catalog resource whose role the role scope grants,
// found with documented calls only: the package's catalog ($expand=catalog), then the catalog's resources
// with $expand=roles,scopes, filtered first by the scope's originId (a root scope has its resource's origin
// id) and, when that does not find the role, unfiltered.
// https://learn.microsoft.com/en-us/graph/api/accesspackagecatalog-list-resources?view=graph-rest-1.0
// It is needed only where nothing else names the resource (import): it costs two or three requests.
func (c *Client) FindRoleScopeResource(ctx context.Context, packageID string, rs *ResourceRoleScope) error {
	if rs.Role == nil {
		return fmt.Errorf("role scope %s of access package %s has no role", rs.ID, packageID)
	}
	if rs.Role.Resource != nil && rs.Role.Resource.ID != "" {
		return nil
	}
	pkg, err := c.GetAccessPackage(ctx, packageID, ExpandCatalog)
	if err != nil {
		return err
	}
	if pkg.Catalog == nil || pkg.Catalog.ID == "" {
		return fmt.Errorf("access package %s was read without its catalog", packageID)
	}
	q := url.Values{"$expand": {"roles,scopes"}}
	if rs.Scope != nil && rs.Scope.OriginID != "" {
		filtered := url.Values{"$expand": q["$expand"], "$filter": {"originId eq " + ODataString(rs.Scope.OriginID)}}
		found, err := listAll[CatalogResource](ctx, c, catalogResourcesPath(pkg.Catalog.ID), filtered)
		if err != nil {
			return err
		}
		if res, ok := resourceGranting(found, rs); ok {
			rs.Role.Resource = &IDRef{ID: res.ID}
			return nil
		}
	}
	all, err := listAll[CatalogResource](ctx, c, catalogResourcesPath(pkg.Catalog.ID), q)
	if err != nil {
		return err
	}
	if res, ok := resourceGranting(all, rs); ok {
		rs.Role.Resource = &IDRef{ID: res.ID}
		return nil
	}
	return &Error{
		Method: http.MethodGet, URL: catalogResourcesPath(pkg.Catalog.ID), Status: http.StatusNotFound, Code: "ResourceNotFound",
		Message: fmt.Sprintf("no resource of catalog %s has the role %s of role scope %s", pkg.Catalog.ID, rs.Role.ID, rs.ID),
	}
}

// resourceGranting finds the resource holding the role scope's role (by id, or by origin id and system
// when the id is missing) and, when the role scope names one, its scope.
func resourceGranting(resources []CatalogResource, rs *ResourceRoleScope) (CatalogResource, bool) {
	for _, res := range resources {
		hasRole := false
		for _, role := range res.Roles {
			if rs.Role.ID != "" && strings.EqualFold(role.ID, rs.Role.ID) ||
				rs.Role.ID == "" && role.OriginID == rs.Role.OriginID && strings.EqualFold(role.OriginSystem, rs.Role.OriginSystem) {
				hasRole = true
				break
			}
		}
		if !hasRole {
			continue
		}
		if rs.Scope == nil || rs.Scope.ID == "" || len(res.Scopes) == 0 {
			return res, true
		}
		for _, scope := range res.Scopes {
			if strings.EqualFold(scope.ID, rs.Scope.ID) {
				return res, true
			}
		}
	}
	return CatalogResource{}, false
}
