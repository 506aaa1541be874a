package graph

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

const accessPackagesPath = emPath + "/accessPackages"

// AccessPackage is an accessPackage (spec 1.3). The catalog is bound at creation and read only through
// $expand=catalog; Graph has no catalogId property.
type AccessPackage struct {
	ID                         string              `json:"id,omitempty"`
	DisplayName                string              `json:"displayName"`
	Description                string              `json:"description"`
	IsHidden                   *bool               `json:"isHidden,omitempty"`
	CreatedDateTime            string              `json:"createdDateTime,omitempty"`
	ModifiedDateTime           string              `json:"modifiedDateTime,omitempty"`
	Catalog                    *Catalog            `json:"catalog,omitempty"`
	IncompatibleAccessPackages []AccessPackage     `json:"incompatibleAccessPackages,omitempty"`
	IncompatibleGroups         []Group             `json:"incompatibleGroups,omitempty"`
	ResourceRoleScopes         []ResourceRoleScope `json:"resourceRoleScopes,omitempty"`
}

// AccessPackageCreate is the body of a package create.
type AccessPackageCreate struct {
	DisplayName string `json:"displayName"`
	Description string `json:"description"`
	IsHidden    *bool  `json:"isHidden,omitempty"`
	Catalog     IDRef  `json:"catalog"`
}

// AccessPackageUpdate is a PATCH body; Graph accepts only these three fields.
type AccessPackageUpdate struct {
	DisplayName *string `json:"displayName,omitempty"`
	Description *string `json:"description,omitempty"`
	IsHidden    *bool   `json:"isHidden,omitempty"`
}

// Expansions of an access package read; one read per refresh carries everything a resource needs.
const (
	ExpandCatalog            = "catalog"
	ExpandIncompatibles      = "incompatibleAccessPackages,incompatibleGroups"
	ExpandResourceRoleScopes = "resourceRoleScopes($expand=role,scope)"
)

// CreateAccessPackage creates a package in a catalog.
func (c *Client) CreateAccessPackage(ctx context.Context, catalogID string, in AccessPackageCreate) (*AccessPackage, error) {
	in.Catalog = IDRef{ID: catalogID}
	var out AccessPackage
	if err := c.do(ctx, request{method: http.MethodPost, path: accessPackagesPath, body: in}, &out); err != nil {
		return nil, err
	}
	c.fresh.markFresh(ParentAccessPackage, out.ID)
	c.fresh.rememberCatalog(out.ID, catalogID)
	return &out, nil
}

// GetAccessPackage reads a package with the given $expand values. With bulk refresh a read whose
// expansions are among ExpandCatalog, ExpandIncompatibles and ExpandResourceRoleScopes is served from one
// read of the package with all three (bulkAccessPackage), trimmed to what was asked for; a package read
// without one of them (an expansion Graph did not apply) is read again with the single GET.
func (c *Client) GetAccessPackage(ctx context.Context, id string, expand ...string) (*AccessPackage, error) {
	if pkg, ok := c.bulkAccessPackageRead(ctx, id, expand); ok {
		return pkg, nil
	}
	return c.getAccessPackageSingle(ctx, id, expand...)
}

// getAccessPackageSingle reads a package with its own GET, never from bulk refresh.
func (c *Client) getAccessPackageSingle(ctx context.Context, id string, expand ...string) (*AccessPackage, error) {
	var q url.Values
	if len(expand) > 0 {
		q = url.Values{"$expand": {strings.Join(expand, ",")}}
	}
	var out AccessPackage
	if err := c.do(ctx, request{method: http.MethodGet, path: accessPackagesPath + "/" + url.PathEscape(id), query: q}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// bulkAccessPackageRead serves GetAccessPackage from bulkAccessPackage where it can (see GetAccessPackage).
func (c *Client) bulkAccessPackageRead(ctx context.Context, id string, expand []string) (*AccessPackage, bool) {
	if len(expand) == 0 {
		return nil, false
	}
	var catalog, incompatibles, roleScopes bool
	for _, e := range expand {
		switch e {
		case ExpandCatalog:
			catalog = true
		case ExpandIncompatibles:
			incompatibles = true
		case ExpandResourceRoleScopes:
			roleScopes = true
		default:
			return nil, false
		}
	}
	var pkg AccessPackage
	if !bulkRead(ctx, c, bulkAccessPackage(id), id, &pkg) ||
		pkg.Catalog == nil || pkg.IncompatibleAccessPackages == nil || pkg.IncompatibleGroups == nil || pkg.ResourceRoleScopes == nil {
		return nil, false
	}
	// What the single GET with these expansions answers: the others are left out.
	if !catalog {
		pkg.Catalog = nil
	}
	if !incompatibles {
		pkg.IncompatibleAccessPackages, pkg.IncompatibleGroups = nil, nil
	}
	if !roleScopes {
		pkg.ResourceRoleScopes = nil
	}
	return &pkg, true
}

// UpdateAccessPackage patches a package; Graph answers 204.
func (c *Client) UpdateAccessPackage(ctx context.Context, id string, in AccessPackageUpdate) error {
	return c.do(ctx, request{method: http.MethodPatch, path: accessPackagesPath + "/" + url.PathEscape(id), body: in}, nil)
}

// DeleteAccessPackage deletes a package; one that is already gone counts as deleted.
func (c *Client) DeleteAccessPackage(ctx context.Context, id string) error {
	err := c.do(ctx, request{method: http.MethodDelete, path: accessPackagesPath + "/" + url.PathEscape(id)}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// ListAccessPackagesByName returns the packages named exactly name, within one catalog when catalogID
// is set. The catalog is expanded so callers can tell packages of different catalogs apart.
func (c *Client) ListAccessPackagesByName(ctx context.Context, catalogID, name string) ([]AccessPackage, error) {
	filter := "displayName eq " + ODataString(name)
	path := accessPackagesPath
	if catalogID != "" {
		path = catalogsPath + "/" + url.PathEscape(catalogID) + "/accessPackages"
	}
	found, err := listAll[AccessPackage](ctx, c, path, url.Values{"$filter": {filter}, "$expand": {ExpandCatalog}})
	if err != nil {
		return nil, err
	}
	exact := found[:0]
	for _, p := range found {
		if p.DisplayName == name {
			exact = append(exact, p)
		}
	}
	return exact, nil
}

func (c *Client) refPath(packageID, link, targetID string) string {
	p := accessPackagesPath + "/" + url.PathEscape(packageID) + "/" + link
	if targetID != "" {
		p += "/" + url.PathEscape(targetID)
	}
	return p + "/$ref"
}

// odataRef is a directory-style reference body: {"@odata.id": "<absolute URL>"}.
type odataRef struct {
	ID string `json:"@odata.id"`
}

func (c *Client) absoluteURL(path string) string {
	return strings.TrimRight(c.base.String(), "/") + "/" + APIVersion + path
}

// AddIncompatibleAccessPackage makes otherID incompatible with packageID (a $ref link; 204).
func (c *Client) AddIncompatibleAccessPackage(ctx context.Context, packageID, otherID string) error {
	if err := requireIDs("AddIncompatibleAccessPackage", packageID, otherID); err != nil {
		return err
	}
	body := odataRef{ID: c.absoluteURL(accessPackagesPath + "/" + url.PathEscape(otherID))}
	err := c.do(ctx, request{method: http.MethodPost, path: c.refPath(packageID, "incompatibleAccessPackages", ""), body: body}, nil)
	if IsAmbiguous(err) && c.hasLink(ctx, packageID, otherID, func(p *AccessPackage) []string { return packageIDs(p.IncompatibleAccessPackages) }) {
		return nil
	}
	return err
}

// RemoveIncompatibleAccessPackage removes the link; a link that is already gone counts as removed.
func (c *Client) RemoveIncompatibleAccessPackage(ctx context.Context, packageID, otherID string) error {
	if err := requireIDs("RemoveIncompatibleAccessPackage", packageID, otherID); err != nil {
		return err
	}
	err := c.do(ctx, request{method: http.MethodDelete, path: c.refPath(packageID, "incompatibleAccessPackages", otherID)}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// AddIncompatibleGroup makes members of groupID unable to request packageID.
func (c *Client) AddIncompatibleGroup(ctx context.Context, packageID, groupID string) error {
	if err := requireIDs("AddIncompatibleGroup", packageID, groupID); err != nil {
		return err
	}
	body := odataRef{ID: c.absoluteURL("/groups/" + url.PathEscape(groupID))}
	err := c.do(ctx, request{method: http.MethodPost, path: c.refPath(packageID, "incompatibleGroups", ""), body: body}, nil)
	if IsAmbiguous(err) && c.hasLink(ctx, packageID, groupID, func(p *AccessPackage) []string { return groupIDs(p.IncompatibleGroups) }) {
		return nil
	}
	return err
}

// hasLink checks after a lost answer whether a $ref link exists anyway.
func (c *Client) hasLink(ctx context.Context, packageID, targetID string, linked func(*AccessPackage) []string) bool {
	pkg, err := c.GetAccessPackage(ctx, packageID, ExpandIncompatibles)
	if err != nil {
		return false
	}
	for _, id := range linked(pkg) {
		if strings.EqualFold(id, targetID) {
			return true
		}
	}
	return false
}

func packageIDs(ps []AccessPackage) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

func groupIDs(gs []Group) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.ID
	}
	return out
}

// RemoveIncompatibleGroup removes the link; a link that is already gone counts as removed.
func (c *Client) RemoveIncompatibleGroup(ctx context.Context, packageID, groupID string) error {
	if err := requireIDs("RemoveIncompatibleGroup", packageID, groupID); err != nil {
		return err
	}
	err := c.do(ctx, request{method: http.MethodDelete, path: c.refPath(packageID, "incompatibleGroups", groupID)}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}
