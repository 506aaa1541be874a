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
//   - An object the collection did not list is read with today's single GET, so a deleted object is
//     confirmed by a 404 exactly as without bulk refresh before its resource leaves state.
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

// Types that stay single GETs, and why:
//   - access packages (and the role scopes read through them): the list page
//     https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-list-accesspackages?view=graph-rest-1.0
//     documents only $select and $filter, not the catalog, incompatibility or resourceRoleScopes expansions
//     the single read needs.
//   - lifecycle workflows: the list page
//     https://learn.microsoft.com/en-us/graph/api/identitygovernance-lifecycleworkflowscontainer-list-workflows?view=graph-rest-1.0
//     documents $expand of createdBy and lastModifiedBy only, and its objects carry no tasks, which the
//     single read returns.

// bulkReads is a Client's cache of collection reads.
type bulkReads struct {
	mu      sync.Mutex
	enabled bool // Config.BulkRefresh
	off     bool // a write was sent: bulk reads stay off for the rest of the process
	kinds   map[string]*bulkCollection
}

// bulkCollection is the state of one kind: counting single reads, reading, read, or failed.
type bulkCollection struct {
	singles int
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
		case col.singles < bulkThreshold:
			col.singles++
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
	listed, err := listAll[json.RawMessage](ctx, c, kind.path, kind.query)
	objects := map[string]json.RawMessage{}
	if err == nil {
		for _, raw := range listed {
			var key IDRef // only the id of each listed object
			if json.Unmarshal(raw, &key) == nil && key.ID != "" {
				objects[strings.ToLower(key.ID)] = raw
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
