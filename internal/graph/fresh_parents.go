package graph

import (
	"strings"
	"sync"
)

// What this client created in this run and may answer without Graph: the parents of named objects whose
// duplicate-name look-ups (prevent_duplicate_names, see internal/framework/duplicates.go) need no request,
// the catalog of each access package it created, and the catalog resources it onboarded.
const (
	ParentCatalog       = "catalog"       // access packages are named within their catalog
	ParentAccessPackage = "accessPackage" // assignment policies are named within their package
)

// freshParents remembers the catalogs and access packages this client created itself, from a create
// whose answer it received, and the names claimed for objects created in them since.
//
// Why that makes the look-ups unnecessary: the look-ups exist because an apply killed after Graph made
// an object leaves it behind without state, and the next apply would make it again. A parent this
// client created in this run (one provider process serves one Terraform command) was unknown to every
// earlier apply, so none of them can have left an object in it; its id came back in this client's create
// answer and is in no state yet that another run could act on. Any object in it with a given name was
// therefore made by this client, and the first claim of a name proves there is none. A parent adopted
// after a lost answer (AdoptAfterAmbiguousCreate) is not fresh: a killed apply may have used it.
type freshParents struct {
	mu      sync.Mutex
	parents map[string]map[string]bool // parent key -> lower-cased names claimed in it
	// catalogOf is the catalog of each access package this client created: Graph binds a package to its
	// catalog for good (the update accepts only displayName, description and isHidden:
	// https://learn.microsoft.com/en-us/graph/api/accesspackage-update?view=graph-rest-1.0).
	catalogOf map[string]string
	// confirmed holds the catalog resources this client onboarded, as the create's confirming reads last
	// read them (roles and scopes expanded), by catalog and resource id.
	confirmed map[string]CatalogResource
}

func freshKey(kind, id string) string { return kind + "/" + strings.ToLower(id) }

// markFresh records a parent this client has just created.
func (f *freshParents) markFresh(kind, id string) {
	if id == "" {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.parents == nil {
		f.parents = map[string]map[string]bool{}
	}
	f.parents[freshKey(kind, id)] = map[string]bool{}
}

// ClaimNameInFreshParent reports whether an object named name about to be created in the parent (kind
// is ParentCatalog or ParentAccessPackage) certainly has no namesake there, so that the duplicate-name
// look-ups can be skipped: true only when this client created the parent (see freshParents) and no
// earlier call claimed the name in it. A name claimed twice, in any case, answers false, so that a
// configuration giving two objects one name is looked up in Graph as before.
func (c *Client) ClaimNameInFreshParent(kind, parentID, name string) bool {
	f := &c.fresh
	f.mu.Lock()
	defer f.mu.Unlock()
	names, ok := f.parents[freshKey(kind, parentID)]
	if !ok {
		return false
	}
	key := strings.ToLower(name)
	if names[key] {
		return false
	}
	names[key] = true
	return true
}

// rememberCatalog records the catalog of an access package this client has just created.
func (f *freshParents) rememberCatalog(packageID, catalogID string) {
	if packageID == "" || catalogID == "" {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.catalogOf == nil {
		f.catalogOf = map[string]string{}
	}
	f.catalogOf[strings.ToLower(packageID)] = catalogID
}

// CatalogOfCreatedPackage is the catalog of an access package this client created itself, which its
// create named (ok false for any other package: read it from Graph).
func (c *Client) CatalogOfCreatedPackage(packageID string) (catalogID string, ok bool) {
	f := &c.fresh
	f.mu.Lock()
	defer f.mu.Unlock()
	catalogID, ok = f.catalogOf[strings.ToLower(packageID)]
	return catalogID, ok
}

// RememberOnboardedResource records a catalog resource this client onboarded in this run, as the
// onboarding's confirming reads returned it (with its roles and scopes).
func (c *Client) RememberOnboardedResource(catalogID string, res *CatalogResource) {
	if catalogID == "" || res == nil || res.ID == "" {
		return
	}
	f := &c.fresh
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.confirmed == nil {
		f.confirmed = map[string]CatalogResource{}
	}
	f.confirmed[onboardedKey(catalogID, res.ID)] = *res
}

// onboardedKey keys a catalog resource by its catalog and id, both compared as Graph compares ids: a
// configuration may spell the catalog's id in capitals.
func onboardedKey(catalogID, resourceID string) string {
	return strings.ToLower(catalogID) + "/" + strings.ToLower(resourceID)
}

// OnboardedResource is a catalog resource this client onboarded in this run, as its confirming reads
// returned it (ok false for any other: read it from Graph). A role scope created in the same apply needs
// its roles and scopes: the onboarding read them moments before, and entitlement management never changes
// them (they are the origin's: a group's Owner and Member, an application's app roles, a site's groups).
func (c *Client) OnboardedResource(catalogID, resourceID string) (*CatalogResource, bool) {
	f := &c.fresh
	f.mu.Lock()
	defer f.mu.Unlock()
	res, ok := f.confirmed[onboardedKey(catalogID, resourceID)]
	if !ok {
		return nil, false
	}
	return &res, true
}
