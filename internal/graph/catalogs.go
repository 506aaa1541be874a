package graph

import (
	"context"
	"net/http"
	"net/url"
)

const catalogsPath = "/identityGovernance/entitlementManagement/catalogs"

// Catalog is an accessPackageCatalog (spec 1.1).
type Catalog struct {
	ID                  string `json:"id,omitempty"`
	DisplayName         string `json:"displayName"`
	Description         string `json:"description"`
	CatalogType         string `json:"catalogType,omitempty"`
	State               string `json:"state,omitempty"`
	IsExternallyVisible *bool  `json:"isExternallyVisible,omitempty"`
	CreatedDateTime     string `json:"createdDateTime,omitempty"`
	ModifiedDateTime    string `json:"modifiedDateTime,omitempty"`
}

// CatalogCreate is the body of a catalog create. Graph treats description as required, so it is always
// sent (an empty string is accepted).
type CatalogCreate struct {
	DisplayName         string `json:"displayName"`
	Description         string `json:"description"`
	State               string `json:"state,omitempty"`
	IsExternallyVisible *bool  `json:"isExternallyVisible,omitempty"`
}

// CatalogUpdate is a PATCH body: only the fields that are set are sent.
type CatalogUpdate struct {
	DisplayName         *string `json:"displayName,omitempty"`
	Description         *string `json:"description,omitempty"`
	State               *string `json:"state,omitempty"`
	IsExternallyVisible *bool   `json:"isExternallyVisible,omitempty"`
}

// Catalog states.
const (
	CatalogStatePublished   = "published"
	CatalogStateUnpublished = "unpublished"
)

// CatalogStates lists the states a user may set.
var CatalogStates = []string{CatalogStatePublished, CatalogStateUnpublished}

// CreateCatalog creates a catalog; Graph answers 201 with the whole object.
func (c *Client) CreateCatalog(ctx context.Context, in CatalogCreate) (*Catalog, error) {
	var out Catalog
	if err := c.do(ctx, request{method: http.MethodPost, path: catalogsPath, body: in}, &out); err != nil {
		return nil, err
	}
	c.fresh.markFresh(ParentCatalog, out.ID)
	return &out, nil
}

// GetCatalog reads one catalog.
func (c *Client) GetCatalog(ctx context.Context, id string) (*Catalog, error) {
	var out Catalog
	if bulkRead(ctx, c, bulkCatalogs, id, &out) {
		return &out, nil
	}
	if err := c.do(ctx, request{method: http.MethodGet, path: catalogsPath + "/" + url.PathEscape(id)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateCatalog patches a catalog; Graph answers 204.
func (c *Client) UpdateCatalog(ctx context.Context, id string, in CatalogUpdate) error {
	return c.do(ctx, request{method: http.MethodPatch, path: catalogsPath + "/" + url.PathEscape(id), body: in}, nil)
}

// DeleteCatalog deletes a catalog. A catalog that is already gone counts as deleted.
func (c *Client) DeleteCatalog(ctx context.Context, id string) error {
	err := c.do(ctx, request{method: http.MethodDelete, path: catalogsPath + "/" + url.PathEscape(id)}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// ListCatalogsByName returns the catalogs whose display name equals name exactly.
func (c *Client) ListCatalogsByName(ctx context.Context, name string) ([]Catalog, error) {
	q := url.Values{"$filter": {"displayName eq " + ODataString(name)}}
	found, err := listAll[Catalog](ctx, c, catalogsPath, q)
	if err != nil {
		return nil, err
	}
	// Graph may match eq case-insensitively; users expect the exact name.
	exact := found[:0]
	for _, cat := range found {
		if cat.DisplayName == name {
			exact = append(exact, cat)
		}
	}
	return exact, nil
}

// ListCatalogs returns every catalog, following paging.
func (c *Client) ListCatalogs(ctx context.Context) ([]Catalog, error) {
	return listAll[Catalog](ctx, c, catalogsPath, nil)
}
