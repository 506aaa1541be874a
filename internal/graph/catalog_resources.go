package graph

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

const (
	emPath               = "/identityGovernance/entitlementManagement"
	resourceRequestsPath = emPath + "/resourceRequests"
)

// Origin systems of catalog resources (spec 1.2).
const (
	OriginSystemGroup       = "AadGroup"
	OriginSystemApplication = "AadApplication"
	OriginSystemSharePoint  = "SharePointOnline"
)

// OriginSystems lists the origin systems a catalog resource may come from.
var OriginSystems = []string{OriginSystemGroup, OriginSystemApplication, OriginSystemSharePoint}

// CatalogResource is an accessPackageResource: a group, application or SharePoint site onboarded into
// a catalog. Its id is specific to the catalog and differs from OriginID.
type CatalogResource struct {
	ID               string                 `json:"id"`
	DisplayName      string                 `json:"displayName"`
	Description      string                 `json:"description"`
	OriginID         string                 `json:"originId"`
	OriginSystem     string                 `json:"originSystem"`
	CreatedDateTime  string                 `json:"createdDateTime,omitempty"`
	ModifiedDateTime string                 `json:"modifiedDateTime,omitempty"`
	Roles            []CatalogResourceRole  `json:"roles,omitempty"`
	Scopes           []CatalogResourceScope `json:"scopes,omitempty"`
}

// CatalogResourceRole is an accessPackageResourceRole: Member_/Owner_ for groups, an app role, or a
// SharePoint site group.
type CatalogResourceRole struct {
	ID           string `json:"id,omitempty"`
	DisplayName  string `json:"displayName,omitempty"`
	Description  string `json:"description,omitempty"`
	OriginID     string `json:"originId"`
	OriginSystem string `json:"originSystem"`
}

// CatalogResourceScope is an accessPackageResourceScope; every resource has a root scope.
type CatalogResourceScope struct {
	ID           string `json:"id,omitempty"`
	DisplayName  string `json:"displayName,omitempty"`
	Description  string `json:"description,omitempty"`
	OriginID     string `json:"originId"`
	OriginSystem string `json:"originSystem"`
	IsRootScope  bool   `json:"isRootScope"`
}

// RootScope returns the resource's root scope, if Graph returned one.
func (r *CatalogResource) RootScope() (CatalogResourceScope, bool) {
	for _, s := range r.Scopes {
		if s.IsRootScope {
			return s, true
		}
	}
	return CatalogResourceScope{}, false
}

// ResourceRequest is an accessPackageResourceRequest, the only way a resource enters or leaves a catalog.
type ResourceRequest struct {
	ID              string `json:"id,omitempty"`
	RequestType     string `json:"requestType"`
	State           string `json:"state,omitempty"`
	CreatedDateTime string `json:"createdDateTime,omitempty"`
}

type resourceRequestBody struct {
	RequestType string         `json:"requestType"`
	Resource    map[string]any `json:"resource"`
	Catalog     IDRef          `json:"catalog"`
}

// IDRef binds a parent by a nested stub, as entitlement management does ("catalog": {"id": ...}).
type IDRef struct {
	ID string `json:"id"`
}

// AddCatalogResource onboards a resource into a catalog with an adminAdd request. For applications the
// origin id is the service principal's object id; for SharePoint it is the site URL.
func (c *Client) AddCatalogResource(ctx context.Context, catalogID, originSystem, originID string) (*ResourceRequest, error) {
	body := resourceRequestBody{
		RequestType: "adminAdd",
		Resource:    map[string]any{"originId": originID, "originSystem": originSystem},
		Catalog:     IDRef{ID: catalogID},
	}
	var out ResourceRequest
	if err := c.do(ctx, request{method: http.MethodPost, path: resourceRequestsPath, body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// RemoveCatalogResource offboards a resource with an adminRemove request.
func (c *Client) RemoveCatalogResource(ctx context.Context, catalogID, resourceID string) (*ResourceRequest, error) {
	body := resourceRequestBody{
		RequestType: "adminRemove",
		Resource:    map[string]any{"id": resourceID},
		Catalog:     IDRef{ID: catalogID},
	}
	var out ResourceRequest
	if err := c.do(ctx, request{method: http.MethodPost, path: resourceRequestsPath, body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// catalogResourceExpand is what a catalog resource read expands: its roles and scopes.
const catalogResourceExpand = "roles,scopes"

func catalogResourcesPath(catalogID string) string {
	return catalogsPath + "/" + url.PathEscape(catalogID) + "/resources"
}

// FindCatalogResource looks a resource up in a catalog by its origin id, with its roles and scopes, in
// one request. It answers a *Error with status 404 when the catalog holds no such resource, so that
// callers can treat "not onboarded" like any missing object.
// With bulk refresh a resource the catalog's collection read listed with its roles and scopes is served
// from it (bulk.go).
func (c *Client) FindCatalogResource(ctx context.Context, catalogID, originID string) (*CatalogResource, error) {
	var out CatalogResource
	if catalogID != "" && bulkRead(ctx, c, bulkCatalogResources(catalogID), originID, &out) && out.Roles != nil && out.Scopes != nil {
		return &out, nil
	}
	return c.findCatalogResource(ctx, catalogID, "originId eq "+ODataString(originID), originID)
}

// GetCatalogResource reads a resource of a catalog by its catalog-resource id, with roles and scopes.
func (c *Client) GetCatalogResource(ctx context.Context, catalogID, resourceID string) (*CatalogResource, error) {
	if err := requireIDs("GetCatalogResource", catalogID, resourceID); err != nil {
		return nil, err
	}
	return c.findCatalogResource(ctx, catalogID, "id eq "+ODataString(resourceID), resourceID)
}

func (c *Client) findCatalogResource(ctx context.Context, catalogID, filter, key string) (*CatalogResource, error) {
	q := url.Values{"$filter": {filter}, "$expand": {catalogResourceExpand}}
	found, err := listAll[CatalogResource](ctx, c, catalogResourcesPath(catalogID), q)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, &Error{
			Method: http.MethodGet, URL: catalogResourcesPath(catalogID), Status: http.StatusNotFound,
			Code: "ResourceNotFound", Message: fmt.Sprintf("catalog %s holds no resource %s", catalogID, key),
		}
	}
	return &found[0], nil
}

// ListCatalogResourceRoles lists the roles of one catalog resource. Graph requires the originSystem
// clause in this filter (spec 1: it answers 400 without it).
func (c *Client) ListCatalogResourceRoles(ctx context.Context, catalogID, originSystem, resourceID string) ([]CatalogResourceRole, error) {
	if err := requireIDs("ListCatalogResourceRoles", catalogID, resourceID); err != nil {
		return nil, err
	}
	q := url.Values{"$filter": {fmt.Sprintf("(originSystem eq %s and resource/id eq %s)", ODataString(originSystem), ODataString(resourceID))}}
	return listAll[CatalogResourceRole](ctx, c, catalogsPath+"/"+url.PathEscape(catalogID)+"/resourceRoles", q)
}
