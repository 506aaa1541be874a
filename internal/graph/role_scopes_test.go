package graph_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// documentedGraph answers the role scope calls as the reference documents them, and refuses with 400 an
// $expand it does not document (role($expand=resource)), as a service may:
//   - GET accessPackages/{id}?$expand=resourceRoleScopes($expand=role,scope): the package with its role
//     scopes, role and scope without the role's resource
//     https://learn.microsoft.com/en-us/graph/api/accesspackage-list-resourcerolescopes?view=graph-rest-1.0
//   - GET accessPackages/{id}?$expand=catalog: the package with its catalog
//     https://learn.microsoft.com/en-us/graph/api/accesspackage-get?view=graph-rest-1.0
//   - GET catalogs/{id}/resources?$expand=roles,scopes[&$filter=originId eq '...']: the resources
//     https://learn.microsoft.com/en-us/graph/api/accesspackagecatalog-list-resources?view=graph-rest-1.0
type documentedGraph struct {
	mu       sync.Mutex
	requests []string
}

const (
	rsPackageID  = "933a4822-aed1-445b-9623-62116cd07a39"
	rsCatalogID  = "32efb28c-9a7a-446c-986b-ca6528c6669d"
	rsResourceID = "b16e0e71-17b4-4ebd-a3cd-8a468542e418"
	rsRoleID     = "748f8431-c7c6-404d-8564-df67aa8cfc5e"
	rsScopeID    = "83b3e3e9-c8b3-481b-ad80-53e29d1eda9c"
	rsGroupID    = "0282e19d-bf41-435d-92a4-99bab93af305"
)

func (g *documentedGraph) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.requests = append(g.requests, r.URL.Path+"?"+r.URL.RawQuery)
	g.mu.Unlock()
	expand, filter := r.URL.Query().Get("$expand"), r.URL.Query().Get("$filter")
	w.Header().Set("Content-Type", "application/json")
	switch {
	case strings.Contains(expand, "role($expand=resource)"):
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":{"code":"BadRequest","message":"Parsing OData Select and Expand failed."}}`))
	case strings.HasSuffix(r.URL.Path, "/accessPackages/"+rsPackageID) && expand == "resourceRoleScopes($expand=role,scope)":
		_, _ = w.Write([]byte(`{"id":"` + rsPackageID + `","displayName":"Test Package","resourceRoleScopes":[{
			"id":"` + rsRoleID + `_` + rsScopeID + `","createdDateTime":"2019-09-09T19:54:14.853Z",
			"role":{"id":"` + rsRoleID + `","displayName":"Member","originSystem":"AadGroup","originId":"Member_` + rsGroupID + `"},
			"scope":{"id":"` + rsScopeID + `","displayName":"Root","originId":"` + rsGroupID + `","originSystem":"AadGroup","isRootScope":true}}]}`))
	case strings.HasSuffix(r.URL.Path, "/accessPackages/"+rsPackageID) && expand == "catalog":
		_, _ = w.Write([]byte(`{"id":"` + rsPackageID + `","displayName":"Test Package","catalog":{"id":"` + rsCatalogID + `","displayName":"General"}}`))
	case strings.HasSuffix(r.URL.Path, "/catalogs/"+rsCatalogID+"/resources") && expand == "roles,scopes":
		resource := `{"id":"` + rsResourceID + `","displayName":"example group","originId":"` + rsGroupID + `","originSystem":"AadGroup",
			"roles":[{"id":"` + rsRoleID + `","displayName":"Member","originSystem":"AadGroup","originId":"Member_` + rsGroupID + `"}],
			"scopes":[{"id":"` + rsScopeID + `","displayName":"Root","originId":"` + rsGroupID + `","originSystem":"AadGroup","isRootScope":true}]}`
		if filter != "" && filter != "originId eq '"+rsGroupID+"'" {
			resource = ""
		}
		_, _ = w.Write([]byte(`{"value":[` + resource + `]}`))
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error":{"code":"ResourceNotFound","message":"not scripted: ` + r.URL.String() + `"}}`))
	}
}

func documentedClient(t *testing.T) (*graph.Client, *documentedGraph) {
	t.Helper()
	g := &documentedGraph{}
	ts := httptest.NewServer(g)
	t.Cleanup(ts.Close)
	c, err := graph.New(graph.Config{
		Endpoint: ts.URL, Token: graph.StaticToken("test-token"),
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
		PollInterval: time.Millisecond, ConsistencyTimeout: 2 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, g
}

// A role scope reads through the documented $expand, and its catalog resource (which that answer does not
// name) is found through documented calls, without any undocumented nested $expand.
func TestRoleScopeReadUsesDocumentedCalls(t *testing.T) {
	c, g := documentedClient(t)
	ctx := context.Background()
	rs, err := c.GetRoleScope(ctx, rsPackageID, rsRoleID+"_"+rsScopeID)
	if err != nil {
		t.Fatalf("GetRoleScope: %v", err)
	}
	if rs.Role == nil || rs.Role.ID != rsRoleID || rs.Scope == nil || rs.Scope.ID != rsScopeID {
		t.Fatalf("role scope %+v", rs)
	}
	if err := c.FindRoleScopeResource(ctx, rsPackageID, rs); err != nil {
		t.Fatalf("FindRoleScopeResource: %v", err)
	}
	if rs.Role.Resource == nil || rs.Role.Resource.ID != rsResourceID {
		t.Fatalf("resource %+v, want %s", rs.Role.Resource, rsResourceID)
	}
	for _, req := range g.requests {
		if strings.Contains(req, "role($expand=resource)") {
			t.Errorf("undocumented expand sent: %s", req)
		}
	}
	if len(g.requests) != 3 { // role scopes, catalog, resources filtered by the root scope's origin id
		t.Errorf("requests %v, want 3", g.requests)
	}
}

// A role scope the package does not hold is a 404, and a role no resource of the catalog has is a 404 too.
func TestRoleScopeReadNotFound(t *testing.T) {
	c, _ := documentedClient(t)
	ctx := context.Background()
	if _, err := c.GetRoleScope(ctx, rsPackageID, "nope_nope"); !graph.IsNotFound(err) {
		t.Errorf("missing role scope: %v, want a 404", err)
	}
	rs := &graph.ResourceRoleScope{ID: "x_y", Role: &graph.RoleScopeRole{ID: "x"}, Scope: &graph.CatalogResourceScope{ID: "y", OriginID: "elsewhere"}}
	if err := c.FindRoleScopeResource(ctx, rsPackageID, rs); !graph.IsNotFound(err) {
		t.Errorf("role of no resource: %v, want a 404", err)
	}
}
