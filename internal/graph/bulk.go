package graph

// Bulk refresh: serving many single reads of one object type from one collection read.
//
// A plan refreshes every object in state with its own GET. At thousands of objects that is thousands of
// requests against the tenant's throttling budget on every scheduled drift run. Bulk refresh keeps, per
// Client (that is, per provider process), a cache of collection reads:
//
//   - Per type, the first bulkThreshold reads stay single GETs: a plan that touches a few objects of a type
//     pays nothing extra. The next read of the type makes one paged collection read (every page, following
//     @odata.nextLink verbatim) with the same $expand the single read uses, and that read and every later
//     read of the type are served from its result. The collection read is single-flight: reads that arrive
//     while it runs wait for it.
//   - Only documented collection forms are used. A type is bulk-read only where the reference's list page
//     allows what the single read needs (see bulkKind values below, each with its page); elsewhere it stays
//     single GETs. No $top is sent: none of these list pages documents it, so Graph's own page size applies.
//   - Where Graph documents only a list per parent (catalog resources: one list per catalog), the
//     collection read is per parent and the threshold counts the reads of the type across parents.
//   - Where no documented collection carries what the single read needs but several single reads read the
//     same object with different expansions (an access package and its role scopes), one GET with all of
//     them serves every such read of that object (bulkKind.object).
//   - An object the collection did not list is read with today's single GET, so a deleted object is
//     confirmed by a 404 exactly as without bulk refresh before its resource leaves state. The same holds
//     for a child served from its parent's object read (a role scope from its package's, GetRoleScope): one
//     the shared read does not carry is asked of Graph with the parent's own GET.
//   - An object changed after the collection read and before its Read is served as listed: that is the same
//     answer a single GET made at the time of the collection read would have given, and the plan shows the
//     change on the next run, exactly as when the change lands just after a single GET.
//   - Any write through the client (POST, PATCH, PUT, DELETE) turns bulk reads off for the rest of the
//     process and drops what is cached: nothing read before a write is served after it, and an apply's
//     read-backs stay single GETs. A collection read still in flight when the write is sent is discarded.
//   - A collection read that fails (throttled past the retries, 5xx, a 400 for a form Graph refuses,
//     anything) turns bulk reads off for that type only: its reads fall back to single GETs, silently.
//
// The provider's bulk_refresh setting (ENTRAGOV_BULK_REFRESH) sets Config.BulkRefresh; it is on by default.

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// bulkThreshold is how many reads of one type stay single GETs before the collection is read.
const bulkThreshold = 3

// bulkKind is one collection read that can serve single reads: the collection and the query (the single
// read's $expand) that makes each listed object what the single read returns.
type bulkKind struct {
	name  string
	path  string
	query url.Values
	// group is the type whose reads count towards bulkThreshold (name when empty): the kinds of one type
	// read per parent (one collection per catalog) share one count.
	group string
	// key is the property that identifies a listed object to its single read ("id" when empty).
	key string
	// object: path is one object, not a collection. Its one GET, with more expansions than any one of the
	// single reads it serves, stands for several single reads of the same object (bulkAccessPackage).
	object bool
}

func (k bulkKind) groupName() string {
	if k.group != "" {
		return k.group
	}
	return k.name
}

var (
	// https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-list-catalogs?view=graph-rest-1.0
	// GetCatalog sends no query.
	bulkCatalogs = bulkKind{name: "catalogs", path: catalogsPath}
	// https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-list-connectedorganizations?view=graph-rest-1.0
	// GetConnectedOrganization sends no query.
	bulkConnectedOrganizations = bulkKind{name: "connectedOrganizations", path: connectedOrganizationsPath}
	// https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-list-assignmentpolicies?view=graph-rest-1.0
	// documents $expand on the list; GetAssignmentPolicy's expansions are sent as they are. A listed policy
	// without its accessPackage (an expansion Graph did not apply) is read again with the single GET.
	bulkAssignmentPolicies = bulkKind{name: "assignmentPolicies", path: assignmentPoliciesPath,
		query: url.Values{"$expand": {policyExpand}}}
)

// bulkCatalogResources is one catalog's resources, listed with the roles and scopes FindCatalogResource
// expands, keyed by origin id as FindCatalogResource looks them up.
// https://learn.microsoft.com/en-us/graph/api/accesspackagecatalog-list-resources?view=graph-rest-1.0
// documents $expand=roles and $expand=scopes on this list. Graph has no documented tenant-wide list of
// catalog resources, so there is one collection per catalog; the threshold counts the reads of all
// catalogs together. A catalog's collection replaces one filtered list per resource of that catalog in
// state: it costs the same request for a catalog with one such resource (more pages only where a catalog
// holds many resources the configuration does not manage) and saves one request per further resource.
func bulkCatalogResources(catalogID string) bulkKind {
	return bulkKind{name: "catalogResources/" + strings.ToLower(catalogID), group: "catalogResources", key: "originId",
		path: catalogResourcesPath(catalogID), query: url.Values{"$expand": {catalogResourceExpand}}}
}

// bulkAccessPackage is one access package read with every expansion that its package read
// (accessPackageExpand of the resource: catalog, incompatible packages and groups) and the reads of its
// role scopes (resourceRoleScopes($expand=role,scope), GetRoleScope) send; each is documented on
// https://learn.microsoft.com/en-us/graph/api/accesspackage-get?view=graph-rest-1.0 and
// https://learn.microsoft.com/en-us/graph/api/accesspackage-list-resourcerolescopes?view=graph-rest-1.0
// No documented collection carries them (see below), so this is still one GET per package, but one GET
// serves the package and all of its role scopes: a plan with packages and their role scopes reads each
// package once instead of once per resource.
func bulkAccessPackage(id string) bulkKind {
	return bulkKind{name: "accessPackage/" + strings.ToLower(id), group: "accessPackages", object: true,
		path: accessPackagesPath + "/" + url.PathEscape(id), query: url.Values{"$expand": {bulkAccessPackageExpand}}}
}

var bulkAccessPackageExpand = strings.Join([]string{ExpandCatalog, ExpandIncompatibles, ExpandResourceRoleScopes}, ",")

// Types read without a collection read, and why:
//   - access packages (and the role scopes read through them): the list page
//     https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-list-accesspackages?view=graph-rest-1.0
//     documents only $select and $filter, not the catalog, incompatibility or resourceRoleScopes expansions
//     the single read needs. The catalogs' list documents $expand=accessPackages
//     (https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-list-catalogs?view=graph-rest-1.0),
//     but only the packages' own properties: the incompatibilities and role scopes would need a nested
//     $expand inside it, which no page documents. Each package is read once instead (bulkAccessPackage).
//   - lifecycle workflows: the list page
//     https://learn.microsoft.com/en-us/graph/api/identitygovernance-lifecycleworkflowscontainer-list-workflows?view=graph-rest-1.0
//     documents $expand of createdBy and lastModifiedBy only, and its objects carry no tasks, which the
//     single read returns.
//   - catalog resources across catalogs: the catalogs' list documents $expand (with accessPackages as its
//     example), but the roles and scopes of resources would need a nested $expand inside
//     $expand=resources, which no page documents; hence one list per catalog (bulkCatalogResources).
//   - the sponsors of connected organizations (GetConnectedOrganizationWithSponsors): no page documents
//     an $expand of internalSponsors or externalSponsors; they are listed per organization.

// bulkReads is a Client's cache of collection reads.
type bulkReads struct {
	mu      sync.Mutex
	enabled bool // Config.BulkRefresh
	off     bool // a write was sent: bulk reads stay off for the rest of the process
	kinds   map[string]*bulkCollection
	singles map[string]int // per group: single reads made before the threshold
}

// bulkCollection is the state of one kind: not read yet, reading, read, or failed.
type bulkCollection struct {
	loading chan struct{} // non-nil while the collection read runs; closed when it ends
	objects map[string]json.RawMessage
	failed  bool
}

// writeSent turns bulk reads off for good and drops the cache.
func (b *bulkReads) writeSent() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.off = true
	b.kinds = nil
	b.singles = nil
}

// bulkRead fills out with the object id from kind's collection read and reports true, or reports false when
// the caller must make its single GET: bulk reads are off, the threshold is not reached yet, the collection
// read failed, or the collection did not list id.
func bulkRead[T any](ctx context.Context, c *Client, kind bulkKind, id string, out *T) bool {
	raw, ok := c.bulk.lookup(ctx, c, kind, id)
	if !ok {
		return false
	}
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return false
	}
	*out = v
	return true
}

// lookup returns the listed JSON of id, reading the collection once the threshold is passed.
func (b *bulkReads) lookup(ctx context.Context, c *Client, kind bulkKind, id string) (json.RawMessage, bool) {
	if id == "" {
		return nil, false
	}
	for {
		b.mu.Lock()
		if !b.enabled || b.off {
			b.mu.Unlock()
			return nil, false
		}
		if b.kinds == nil {
			b.kinds = map[string]*bulkCollection{}
			b.singles = map[string]int{}
		}
		col := b.kinds[kind.name]
		if col == nil {
			col = &bulkCollection{}
			b.kinds[kind.name] = col
		}
		switch {
		case col.failed:
			b.mu.Unlock()
			return nil, false
		case col.objects != nil:
			raw, ok := col.objects[strings.ToLower(id)]
			b.mu.Unlock()
			return raw, ok
		case col.loading != nil:
			wait := col.loading
			b.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, false
			}
		case b.singles[kind.groupName()] < bulkThreshold:
			b.singles[kind.groupName()]++
			b.mu.Unlock()
			return nil, false
		}
		col.loading = make(chan struct{})
		b.mu.Unlock()
		b.load(ctx, c, kind, col)
	}
}

// load makes kind's collection read and records its result in col, unless a write was sent meanwhile.
func (b *bulkReads) load(ctx context.Context, c *Client, kind bulkKind, col *bulkCollection) {
	var listed []json.RawMessage
	var err error
	if kind.object {
		var one json.RawMessage
		if err = c.do(ctx, request{method: http.MethodGet, path: kind.path, query: kind.query}, &one); err == nil {
			listed = []json.RawMessage{one}
		}
	} else {
		listed, err = listAll[json.RawMessage](ctx, c, kind.path, kind.query)
	}
	objects := map[string]json.RawMessage{}
	if err == nil {
		field := kind.key
		if field == "" {
			field = "id"
		}
		for _, raw := range listed {
			var keys map[string]json.RawMessage // the properties, left encoded
			var key string
			if json.Unmarshal(raw, &keys) == nil && json.Unmarshal(keys[field], &key) == nil && key != "" {
				objects[strings.ToLower(key)] = raw
			}
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if err != nil {
		col.failed = true
		c.log(ctx, LevelDebug, "Bulk refresh: collection read failed; single reads are used for this type",
			map[string]any{"type": kind.name, "error": err.Error()})
	} else {
		col.objects = objects
		c.log(ctx, LevelDebug, "Bulk refresh: collection read", map[string]any{"type": kind.name, "objects": len(objects)})
	}
	close(col.loading)
	col.loading = nil
}
