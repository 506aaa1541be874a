package graph

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strings"
)

// Collections walked page by page, for the list resources (terraform query): each object is yielded as
// soon as its page arrives, and a caller that stops (a result limit reached) stops before the next page is
// requested. A failed page yields its error once and ends the walk.

// Eq is one "property eq 'value'" clause of a $filter; several are joined with "and".
type Eq struct {
	Property, Value string
}

// filterQuery is the $filter of the clauses, or nil when there are none.
func filterQuery(eqs []Eq) url.Values {
	if len(eqs) == 0 {
		return nil
	}
	clauses := make([]string, len(eqs))
	for i, e := range eqs {
		clauses[i] = e.Property + " eq " + ODataString(e.Value)
	}
	return url.Values{"$filter": {strings.Join(clauses, " and ")}}
}

// walk yields every object of a collection, following @odata.nextLink verbatim (spec 3.4).
func walk[T any](ctx context.Context, c *Client, path string, query url.Values) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		next := request{method: http.MethodGet, path: path, query: query}
		for range maxPages {
			var p page[T]
			if err := c.do(ctx, next, &p); err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, v := range p.Value {
				if !yield(v, nil) {
					return
				}
			}
			if p.NextLink == "" {
				return
			}
			next = request{method: http.MethodGet, path: p.NextLink}
		}
	}
}

// walkUnder is walk under a parent: an empty parent id yields ErrEmptyID without a request.
func walkUnder[T any](ctx context.Context, c *Client, op, parentID, path string, query url.Values) iter.Seq2[T, error] {
	if err := requireIDs(op, parentID); err != nil {
		return func(yield func(T, error) bool) {
			var zero T
			yield(zero, err)
		}
	}
	return walk[T](ctx, c, path, query)
}

// WalkCatalogs yields the catalogs that match every clause
// (https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-list-catalogs?view=graph-rest-1.0).
func (c *Client) WalkCatalogs(ctx context.Context, eqs ...Eq) iter.Seq2[Catalog, error] {
	return walk[Catalog](ctx, c, catalogsPath, filterQuery(eqs))
}

// WalkConnectedOrganizations yields the connected organizations that match every clause
// (https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-list-connectedorganizations?view=graph-rest-1.0).
func (c *Client) WalkConnectedOrganizations(ctx context.Context, eqs ...Eq) iter.Seq2[ConnectedOrganization, error] {
	return walk[ConnectedOrganization](ctx, c, connectedOrganizationsPath, filterQuery(eqs))
}

// WalkAccessPackages yields the access packages that match every clause: those of one catalog when
// catalogID is set (https://learn.microsoft.com/en-us/graph/api/accesspackagecatalog-list-accesspackages?view=graph-rest-1.0),
// otherwise the tenant's (https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-list-accesspackages?view=graph-rest-1.0).
func (c *Client) WalkAccessPackages(ctx context.Context, catalogID string, eqs ...Eq) iter.Seq2[AccessPackage, error] {
	if catalogID == "" {
		return walk[AccessPackage](ctx, c, accessPackagesPath, filterQuery(eqs))
	}
	return walk[AccessPackage](ctx, c, catalogsPath+"/"+url.PathEscape(catalogID)+"/accessPackages", filterQuery(eqs))
}

// WalkAssignmentPolicies yields the assignment policies that match every clause, e.g.
// Eq{"accessPackage/id", id} (https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-list-assignmentpolicies?view=graph-rest-1.0).
func (c *Client) WalkAssignmentPolicies(ctx context.Context, eqs ...Eq) iter.Seq2[AssignmentPolicy, error] {
	return walk[AssignmentPolicy](ctx, c, assignmentPoliciesPath, filterQuery(eqs))
}

// WalkCatalogResources yields the resources onboarded to a catalog
// (https://learn.microsoft.com/en-us/graph/api/accesspackagecatalog-list-resources?view=graph-rest-1.0).
func (c *Client) WalkCatalogResources(ctx context.Context, catalogID string) iter.Seq2[CatalogResource, error] {
	return walkUnder[CatalogResource](ctx, c, "WalkCatalogResources", catalogID,
		catalogsPath+"/"+url.PathEscape(catalogID)+"/resources", nil)
}

// WalkWorkflows yields the lifecycle workflows that match every clause
// (https://learn.microsoft.com/en-us/graph/api/identitygovernance-lifecycleworkflowscontainer-list-workflows?view=graph-rest-1.0).
func (c *Client) WalkWorkflows(ctx context.Context, eqs ...Eq) iter.Seq2[Workflow, error] {
	return walk[Workflow](ctx, c, workflowsPath, filterQuery(eqs))
}
