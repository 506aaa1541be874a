package graph_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// The threshold of bulk.go: this many reads of a type stay single GETs.
const bulkThreshold = 3

// bulkPageSize is the local API's page size in these tests, so that the collection reads take several pages.
const bulkPageSize = 5

// bulkEnv is a local API with a setup client (bulk refresh off, used for the objects and for the changes
// made "outside" the client under test) and a factory of clients under test.
type bulkEnv struct {
	t     *testing.T
	ts    *httptest.Server
	srv   *emulator.Server
	setup *graph.Client
	// roleResource is the catalog resource whose Member role packagesWithRoleScopes adds to each package.
	roleResource *graph.CatalogResource
}

func newBulkEnv(t *testing.T) *bulkEnv {
	t.Helper()
	srv, err := emulator.New(emulator.Config{DBPath: ":memory:", PageSize: bulkPageSize})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		_ = srv.Close()
	})
	return &bulkEnv{t: t, ts: ts, srv: srv, setup: clientFor(t, ts, emulator.DefaultClientID, emulator.DefaultClientSecret, nil)}
}

// client is a client under test with bulk refresh on; tune may change its config further.
func (e *bulkEnv) client(tune func(*graph.Config)) *graph.Client {
	return clientFor(e.t, e.ts, emulator.DefaultClientID, emulator.DefaultClientSecret, func(cfg *graph.Config) {
		cfg.BulkRefresh = true
		if tune != nil {
			tune(cfg)
		}
	})
}

// catalogs creates n catalogs with the setup client and returns their ids.
func (e *bulkEnv) catalogs(n int) []string {
	e.t.Helper()
	ids := make([]string, n)
	for i := range ids {
		cat, err := e.setup.CreateCatalog(context.Background(), graph.CatalogCreate{DisplayName: fmt.Sprintf("Bulk %02d", i), Description: "d"})
		if err != nil {
			e.t.Fatal(err)
		}
		ids[i] = cat.ID
	}
	return ids
}

// count is how many requests the local API answered for method on the route template that ends with suffix.
func (e *bulkEnv) count(method, suffix string) int {
	n := 0
	for route, c := range e.srv.RequestCount().ByRoute {
		if strings.HasPrefix(route, method+" ") && strings.HasSuffix(route, suffix) {
			n += c
		}
	}
	return n
}

const (
	catalogList   = "/entitlementManagement/catalogs"
	catalogSingle = "/entitlementManagement/catalogs/{id}"
)

// pages is how many pages the local API answers for n objects: a full page carries a nextLink, so a
// collection of a multiple of the page size ends with an empty page (Graph allows that: paging.go).
func pages(n int) int { return n/bulkPageSize + 1 }

// graphRequests is how many Graph requests the local API answered (sign-in requests left out).
func (e *bulkEnv) graphRequests() int {
	return e.count("GET", "") + e.count("POST", "") - e.count("GET", "/.well-known/openid-configuration") - e.count("POST", "/oauth2/v2.0/token")
}

// readEach reads every id with read, in order, and stops the test at the first error; it returns what
// each read served.
func readEach[T any](t *testing.T, ids []string, read func(context.Context, string) (T, error)) []T {
	t.Helper()
	out := make([]T, len(ids))
	for i, id := range ids {
		v, err := read(context.Background(), id)
		if err != nil {
			t.Fatalf("reading %s: %v", id, err)
		}
		out[i] = v
	}
	return out
}

// sameAsSingleGETs fails where what bulk refresh served for ids differs from what single reads answer now.
func sameAsSingleGETs[T any](t *testing.T, what string, ids []string, served []T, single func(context.Context, string) (T, error)) {
	t.Helper()
	want := readEach(t, ids, single)
	for i, id := range ids {
		if !reflect.DeepEqual(served[i], want[i]) {
			t.Errorf("%s %s served as %+v, its single read answers %+v", what, id, served[i], want[i])
		}
	}
}

// wantReads checks the GETs since the last reset: singles on the route ending with single, pages on
// the route ending with list.
func (e *bulkEnv) wantReads(t *testing.T, single string, singles int, list string, pages int) {
	t.Helper()
	if n := e.count("GET", single); n != singles {
		t.Errorf("single GETs: %d, want %d", n, singles)
	}
	if n := e.count("GET", list); n != pages {
		t.Errorf("collection pages read: %d, want %d", n, pages)
	}
}

// Reading N catalogs takes the threshold's singles and one collection read of every page, and each
// catalog served from the collection equals what its single GET answers.
func TestBulkRefresh_catalogsReadFromOneCollection(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	ids := e.catalogs(20)
	c := e.client(nil)
	e.srv.ResetRequestCount()
	got := readEach(t, ids, c.GetCatalog)
	e.wantReads(t, catalogSingle, bulkThreshold, catalogList, pages(len(ids)))
	if total := e.graphRequests(); total != bulkThreshold+pages(len(ids)) {
		t.Errorf("requests: %d, want %d for %d catalogs: %v", total, bulkThreshold+pages(len(ids)), len(ids), e.srv.RequestCount().ByRoute)
	}
	sameAsSingleGETs(t, "catalog", ids, got, e.setup.GetCatalog)
}

// Policies are listed with the single read's $expand; each equals its single GET, package included.
func TestBulkRefresh_policiesReadWithTheirExpansions(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	ctx := context.Background()
	cat, err := e.setup.CreateCatalog(ctx, graph.CatalogCreate{DisplayName: "Policies", Description: "d"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 4 {
		pkg, err := e.setup.CreateAccessPackage(ctx, cat.ID, graph.AccessPackageCreate{DisplayName: fmt.Sprintf("P%d", i)})
		if err != nil {
			t.Fatal(err)
		}
		for j := range 3 {
			pol, err := e.setup.CreateAssignmentPolicy(ctx, pkg.ID, graph.AssignmentPolicy{
				DisplayName: fmt.Sprintf("P%d-%d", i, j), Description: "d", AllowedTargetScope: "notSpecified",
				Questions: []graph.Question{}, CustomExtensionStageSettings: []graph.CustomExtensionStageSetting{},
			})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, pol.ID)
		}
	}
	c := e.client(nil)
	e.srv.ResetRequestCount()
	got := readEach(t, ids, c.GetAssignmentPolicy)
	for i, pol := range got {
		if pol.AccessPackage == nil || pol.AccessPackage.ID == "" {
			t.Errorf("policy %s served without its access package", ids[i])
		}
	}
	e.wantReads(t, "/assignmentPolicies/{id}", bulkThreshold, "/entitlementManagement/assignmentPolicies", pages(len(ids)))
	sameAsSingleGETs(t, "policy", ids, got, e.setup.GetAssignmentPolicy)
}

// Connected organizations share the mechanism; each equals its single GET.
func TestBulkRefresh_connectedOrganizations(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	ctx := context.Background()
	var ids []string
	for i := range 6 {
		org, err := e.setup.CreateConnectedOrganization(ctx, graph.ConnectedOrganization{
			DisplayName: fmt.Sprintf("Org %d", i), Description: "d", State: "proposed",
			IdentitySources: []graph.IdentitySource{{Type: graph.IdentitySourceDomain, DomainName: fmt.Sprintf("org%d.example.com", i), DisplayName: "Org"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, org.ID)
	}
	c := e.client(nil)
	e.srv.ResetRequestCount()
	got := readEach(t, ids, c.GetConnectedOrganization)
	e.wantReads(t, "/connectedOrganizations/{id}", bulkThreshold, "/entitlementManagement/connectedOrganizations", pages(len(ids)))
	sameAsSingleGETs(t, "organization", ids, got, e.setup.GetConnectedOrganization)
}

// An object deleted before the collection read is not listed, so its Read makes the single GET, which
// answers 404 as without bulk refresh.
func TestBulkRefresh_deletedObjectIsConfirmedBySingleGET(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	ids := e.catalogs(8)
	ctx := context.Background()
	// Deleted outside the client before its plan starts: the collection does not list it.
	if err := e.setup.DeleteCatalog(ctx, ids[7]); err != nil {
		t.Fatal(err)
	}
	c := e.client(nil)
	readEach(t, ids[:7], c.GetCatalog)
	e.srv.ResetRequestCount()
	_, err := c.GetCatalog(ctx, ids[7])
	if !graph.IsNotFound(err) {
		t.Fatalf("read of the deleted catalog: %v, want a 404", err)
	}
	e.wantReads(t, catalogSingle, 1, catalogList, 0)
}

// Deleted between the collection read and its Read: the Read is served as listed, the answer a single
// GET made at the time of the collection read would have given; the next run (a new client) sees the 404.
// Changed between the collection read and its Read: served as listed, likewise.
func TestBulkRefresh_changeAfterListIsServedAsListed(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	ids := e.catalogs(8)
	ctx := context.Background()
	c := e.client(nil)
	readEach(t, ids[:bulkThreshold+1], c.GetCatalog) // the last of these makes the collection read
	renamed := "Renamed outside"
	if err := e.setup.UpdateCatalog(ctx, ids[5], graph.CatalogUpdate{DisplayName: &renamed}); err != nil {
		t.Fatal(err)
	}
	if err := e.setup.DeleteCatalog(ctx, ids[6]); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetCatalog(ctx, ids[5])
	if err != nil || got.DisplayName != "Bulk 05" {
		t.Fatalf("changed catalog served as %+v, %v; want the listed name", got, err)
	}
	if _, err := c.GetCatalog(ctx, ids[6]); err != nil {
		t.Fatalf("catalog deleted after the collection read: %v; want it served as listed", err)
	}
	next := e.client(nil)
	if got, err := next.GetCatalog(ctx, ids[5]); err != nil || got.DisplayName != renamed {
		t.Fatalf("next run reads %+v, %v; want the new name", got, err)
	}
	if _, err := next.GetCatalog(ctx, ids[6]); !graph.IsNotFound(err) {
		t.Fatalf("next run reads the deleted catalog: %v, want a 404", err)
	}
}

// A write through the client turns bulk reads off and drops the cache: later reads are single GETs and
// see the write.
func TestBulkRefresh_writeTurnsItOff(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	ids := e.catalogs(10)
	ctx := context.Background()
	c := e.client(nil)
	readEach(t, ids[:bulkThreshold+1], c.GetCatalog)
	renamed := "Renamed by the client"
	if err := c.UpdateCatalog(ctx, ids[5], graph.CatalogUpdate{DisplayName: &renamed}); err != nil {
		t.Fatal(err)
	}
	e.srv.ResetRequestCount()
	got, err := c.GetCatalog(ctx, ids[5])
	if err != nil || got.DisplayName != renamed {
		t.Fatalf("read after the write: %+v, %v; want the new name", got, err)
	}
	readEach(t, ids[6:], c.GetCatalog)
	e.wantReads(t, catalogSingle, 5, catalogList, 0)
}

// A write before any read keeps every read a single GET (an apply's read-backs).
func TestBulkRefresh_writeFirstKeepsSingleReads(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	ids := e.catalogs(6)
	ctx := context.Background()
	c := e.client(nil)
	if _, err := c.CreateCatalog(ctx, graph.CatalogCreate{DisplayName: "New", Description: "d"}); err != nil {
		t.Fatal(err)
	}
	e.srv.ResetRequestCount()
	readEach(t, ids, c.GetCatalog)
	e.wantReads(t, catalogSingle, len(ids), catalogList, 0)
}

// Switched off (bulk_refresh = false), every read is a single GET.
func TestBulkRefresh_off(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	ids := e.catalogs(6)
	c := e.client(func(cfg *graph.Config) { cfg.BulkRefresh = false })
	e.srv.ResetRequestCount()
	readEach(t, ids, c.GetCatalog)
	e.wantReads(t, catalogSingle, len(ids), catalogList, 0)
}

// faultsOnCollections exempts every request but collection reads from the local API's faults, so that only
// the collection read fails.
type faultsOnCollections struct{ next http.RoundTripper }

func (f faultsOnCollections) RoundTrip(r *http.Request) (*http.Response, error) {
	if !strings.HasSuffix(r.URL.Path, "/catalogs") {
		r = r.Clone(r.Context())
		r.Header.Set(emulator.FaultsOffHeader, "off")
	}
	return f.next.RoundTrip(r)
}

// A collection read that fails (throttled past the retries, or 503) falls back to single GETs for the type,
// silently, and is not tried again.
func TestBulkRefresh_failedCollectionFallsBack(t *testing.T) {
	t.Parallel()
	for name, faults := range map[string]emulator.Faults{
		"throttled": {Seed: 1, ThrottleRate: 1, RetryAfterSeconds: 1},
		"503":       {Seed: 1, ServerErrorRate: 1},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newBulkEnv(t)
			ids := e.catalogs(8)
			c := e.client(func(cfg *graph.Config) {
				cfg.RetryMax = 1
				base := e.ts.Client()
				cfg.HTTPClient = &http.Client{Transport: faultsOnCollections{next: base.Transport}, Timeout: base.Timeout}
			})
			e.srv.SetFaults(faults)
			e.srv.ResetRequestCount()
			ctx := context.Background()
			for _, id := range ids {
				got, err := c.GetCatalog(ctx, id)
				if err != nil {
					t.Fatalf("read with a failing collection read: %v", err)
				}
				if got.ID != id {
					t.Fatalf("read %s, got %s", id, got.ID)
				}
			}
			// One collection read, with its retry: 2 attempts of the first page, then never again.
			e.wantReads(t, catalogSingle, len(ids), catalogList, 2)
		})
	}
}

// Concurrent reads make one collection read: the threshold's singles, then everyone waits for the one read.
func TestBulkRefresh_concurrentReadsShareOneCollectionRead(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	ids := e.catalogs(24)
	c := e.client(nil)
	e.srv.ResetRequestCount()
	var wg sync.WaitGroup
	errs := make(chan error, len(ids))
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := c.GetCatalog(context.Background(), id)
			if err == nil && got.ID != id {
				err = fmt.Errorf("read %s, got %s", id, got.ID)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	e.wantReads(t, catalogSingle, bulkThreshold, catalogList, pages(len(ids)))
}

// catalogResources creates catalogs catalogs with perCatalog resources each (groups, then sites) with the
// setup client and returns, per catalog, its id and the origin ids of its resources.
func (e *bulkEnv) catalogResources(catalogs, perCatalog int) (ids []string, origins [][]string) {
	e.t.Helper()
	ctx := context.Background()
	groups := []string{emulator.SeedGroupSalesID, emulator.SeedGroupMarketingID, emulator.SeedGroupEngineeringID}
	for i := range catalogs {
		cat, err := e.setup.CreateCatalog(ctx, graph.CatalogCreate{DisplayName: fmt.Sprintf("Resources %02d", i), Description: "d"})
		if err != nil {
			e.t.Fatal(err)
		}
		var these []string
		for j := range perCatalog {
			system, origin := graph.OriginSystemSharePoint, fmt.Sprintf("https://contoso.sharepoint.com/sites/bulk-%d-%d", i, j)
			if j < len(groups) {
				system, origin = graph.OriginSystemGroup, groups[j]
			}
			if _, err := e.setup.AddCatalogResource(ctx, cat.ID, system, origin); err != nil {
				e.t.Fatal(err)
			}
			these = append(these, origin)
		}
		ids = append(ids, cat.ID)
		origins = append(origins, these)
	}
	return ids, origins
}

const catalogResourcesRoute = "/catalogs/{id}/resources"

// Catalog resources are read per catalog: the threshold's filtered reads, then one collection read per
// catalog not read yet, with the roles and scopes; each served resource equals its filtered read.
func TestBulkRefresh_catalogResourcesReadPerCatalog(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	catalogs, origins := e.catalogResources(4, 3)
	ctx := context.Background()
	c := e.client(nil)
	e.srv.ResetRequestCount()
	var got []*graph.CatalogResource
	for i, cat := range catalogs {
		for _, origin := range origins[i] {
			res, err := c.FindCatalogResource(ctx, cat, origin)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, res)
		}
	}
	// Catalog 0: three filtered reads (the threshold); catalogs 1 to 3: one collection read each.
	if n := e.count("GET", catalogResourcesRoute); n != bulkThreshold+3 {
		t.Errorf("requests for 12 resources of 4 catalogs: %d, want %d", n, bulkThreshold+3)
	}
	k := 0
	for i, cat := range catalogs {
		for _, origin := range origins[i] {
			want, err := e.setup.FindCatalogResource(ctx, cat, origin)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got[k], want) {
				t.Errorf("resource %s of catalog %d served as %+v, its read answers %+v", origin, i, got[k], want)
			}
			if len(got[k].Roles) == 0 || len(got[k].Scopes) == 0 {
				t.Errorf("resource %s served without its roles or scopes", origin)
			}
			k++
		}
	}
}

// A resource the catalog's collection does not list is read with the filtered read, which answers 404 as
// without bulk refresh; so does a resource of a catalog that is gone (its collection read fails).
func TestBulkRefresh_catalogResourceNotListed(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	catalogs, origins := e.catalogResources(3, 2)
	ctx := context.Background()
	if _, err := e.setup.RemoveCatalogResource(ctx, catalogs[2], mustFindResource(t, e.setup, catalogs[2], origins[2][1]).ID); err != nil {
		t.Fatal(err)
	}
	c := e.client(nil)
	for i := range 2 {
		for _, origin := range origins[i] {
			if _, err := c.FindCatalogResource(ctx, catalogs[i], origin); err != nil {
				t.Fatal(err)
			}
		}
	}
	e.srv.ResetRequestCount()
	if _, err := c.FindCatalogResource(ctx, catalogs[2], origins[2][0]); err != nil {
		t.Fatal(err)
	}
	_, err := c.FindCatalogResource(ctx, catalogs[2], origins[2][1])
	if !graph.IsNotFound(err) {
		t.Fatalf("read of the removed resource: %v, want a 404", err)
	}
	// The collection read of catalog 2, then the filtered read of the resource it did not list.
	if n := e.count("GET", catalogResourcesRoute); n != 2 {
		t.Errorf("requests: %d, want 2", n)
	}
	e.srv.ResetRequestCount()
	if _, err := c.FindCatalogResource(ctx, "00000000-0000-0000-0000-0000000000aa", origins[0][0]); !graph.IsNotFound(err) {
		t.Fatalf("read in an unknown catalog: %v, want a 404", err)
	}
	if n := e.count("GET", catalogResourcesRoute); n != 2 {
		t.Errorf("requests for a resource of an unknown catalog: %d, want 2 (the failed collection read, the filtered read)", n)
	}
}

func mustFindResource(t *testing.T, c *graph.Client, catalogID, originID string) *graph.CatalogResource {
	t.Helper()
	res, err := c.FindCatalogResource(context.Background(), catalogID, originID)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// rewriteExpand replaces the $expand of the GET requests whose path ends with suffix and whose $expand is
// from: Graph answering without an expansion the request asked for.
type rewriteExpand struct {
	next           http.RoundTripper
	suffix, from   string
	to             string
	onlyUnfiltered bool
}

func (x rewriteExpand) RoundTrip(r *http.Request) (*http.Response, error) {
	q := r.URL.Query()
	if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, x.suffix) && q.Get("$expand") == x.from &&
		(!x.onlyUnfiltered || q.Get("$filter") == "") {
		r = r.Clone(r.Context())
		if x.to == "" {
			q.Del("$expand")
		} else {
			q.Set("$expand", x.to)
		}
		r.URL.RawQuery = q.Encode()
	}
	return x.next.RoundTrip(r)
}

// A catalog's collection listed without the roles and scopes: every resource is read again with its own
// filtered read, and is answered with them.
func TestBulkRefresh_catalogResourcesNotExpanded(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	catalogs, origins := e.catalogResources(2, 3)
	c := e.client(func(cfg *graph.Config) {
		base := e.ts.Client()
		cfg.HTTPClient = &http.Client{Timeout: base.Timeout,
			Transport: rewriteExpand{next: base.Transport, suffix: "/resources", from: "roles,scopes", onlyUnfiltered: true}}
	})
	ctx := context.Background()
	e.srv.ResetRequestCount()
	for i, cat := range catalogs {
		for _, origin := range origins[i] {
			res, err := c.FindCatalogResource(ctx, cat, origin)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Roles) == 0 || len(res.Scopes) == 0 {
				t.Errorf("resource %s served without its roles or scopes", origin)
			}
		}
	}
	// Catalog 0: the threshold's three; catalog 1: its collection read and three filtered reads.
	if n := e.count("GET", catalogResourcesRoute); n != bulkThreshold+1+3 {
		t.Errorf("requests: %d, want %d", n, bulkThreshold+1+3)
	}
}

// A write turns the catalog resources' collection reads off: later reads are filtered reads.
func TestBulkRefresh_catalogResourcesWriteTurnsItOff(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	catalogs, origins := e.catalogResources(3, 2)
	ctx := context.Background()
	c := e.client(nil)
	for _, origin := range origins[0] {
		if _, err := c.FindCatalogResource(ctx, catalogs[0], origin); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.FindCatalogResource(ctx, catalogs[1], origins[1][0]); err != nil { // reads catalog 1's collection
		t.Fatal(err)
	}
	if _, err := c.RemoveCatalogResource(ctx, catalogs[1], mustFindResource(t, e.setup, catalogs[1], origins[1][1]).ID); err != nil {
		t.Fatal(err)
	}
	e.srv.ResetRequestCount()
	if _, err := c.FindCatalogResource(ctx, catalogs[1], origins[1][1]); !graph.IsNotFound(err) {
		t.Fatalf("read of the resource removed by the client: %v, want a 404", err)
	}
	for _, origin := range origins[2] {
		if _, err := c.FindCatalogResource(ctx, catalogs[2], origin); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.count("GET", catalogResourcesRoute); n != 3 {
		t.Errorf("requests after the write: %d, want 3 filtered reads", n)
	}
}

// packagesWithRoleScopes creates n access packages in one catalog, each with one role scope (the Member
// role of a group the catalog holds), with the setup client; it returns the package and role scope ids.
func (e *bulkEnv) packagesWithRoleScopes(n int) (packages, roleScopes []string) {
	e.t.Helper()
	ctx := context.Background()
	catalogs, origins := e.catalogResources(1, 1)
	res := mustFindResource(e.t, e.setup, catalogs[0], origins[0][0])
	e.roleResource = res
	for i := range n {
		pkg, err := e.setup.CreateAccessPackage(ctx, catalogs[0], graph.AccessPackageCreate{DisplayName: fmt.Sprintf("Package %d", i)})
		if err != nil {
			e.t.Fatal(err)
		}
		packages, roleScopes = append(packages, pkg.ID), append(roleScopes, e.addMemberRole(pkg.ID))
	}
	return packages, roleScopes
}

// addMemberRole adds the Member role of roleResource to a package and returns the role scope's id.
func (e *bulkEnv) addMemberRole(packageID string) string {
	e.t.Helper()
	res := e.roleResource
	rs, err := e.setup.CreateRoleScope(context.Background(), packageID,
		graph.RoleScopeRole{OriginID: "Member_" + res.OriginID, OriginSystem: graph.OriginSystemGroup, Resource: &graph.IDRef{ID: res.ID}},
		graph.CatalogResourceScope{OriginID: res.OriginID, OriginSystem: graph.OriginSystemGroup, IsRootScope: true})
	if err != nil {
		e.t.Fatal(err)
	}
	return rs.ID
}

// packageExpand is what the access package resource's read expands (access_package.go).
var packageExpand = []string{graph.ExpandCatalog, graph.ExpandIncompatibles}

// packageRead is c's read of an access package as the access package resource makes it.
func packageRead(c *graph.Client) func(context.Context, string) (*graph.AccessPackage, error) {
	return func(ctx context.Context, id string) (*graph.AccessPackage, error) {
		return c.GetAccessPackage(ctx, id, packageExpand...)
	}
}

const packageSingle = "/entitlementManagement/accessPackages/{id}"

// A package and its role scope are read with one GET of the package once the threshold is passed; each
// answer equals its own single GET.
func TestBulkRefresh_packageAndRoleScopeShareOneRead(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	packages, roleScopes := e.packagesWithRoleScopes(6)
	ctx := context.Background()
	c := e.client(nil)
	e.srv.ResetRequestCount()
	type read struct {
		pkg *graph.AccessPackage
		rs  *graph.ResourceRoleScope
	}
	got := make([]read, len(packages))
	for i, id := range packages {
		pkg, err := c.GetAccessPackage(ctx, id, packageExpand...)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := c.GetRoleScope(ctx, id, roleScopes[i])
		if err != nil {
			t.Fatal(err)
		}
		got[i] = read{pkg, rs}
	}
	// Package 0 (two reads) and package 1's own read: the threshold's single GETs; then one GET for
	// package 1's role scope and one per later package, which also serves its role scope.
	if n, want := e.count("GET", packageSingle), bulkThreshold+1+len(packages)-2; n != want {
		t.Errorf("GETs of packages: %d, want %d (without bulk refresh %d)", n, want, 2*len(packages))
	}
	for i, id := range packages {
		wantPkg, err := e.setup.GetAccessPackage(ctx, id, packageExpand...)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[i].pkg, wantPkg) {
			t.Errorf("package %d served as %+v, its single GET answers %+v", i, got[i].pkg, wantPkg)
		}
		wantRS, err := e.setup.GetRoleScope(ctx, id, roleScopes[i])
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[i].rs, wantRS) {
			t.Errorf("role scope %d served as %+v, its single GET answers %+v", i, got[i].rs, wantRS)
		}
	}
}

// A package deleted before its read: the shared read answers 404, and the package's own single GET
// confirms it as without bulk refresh; a role scope the package does not hold answers 404 without
// another request.
func TestBulkRefresh_packageDeletedOrRoleScopeMissing(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	packages, roleScopes := e.packagesWithRoleScopes(5)
	ctx := context.Background()
	if err := e.setup.DeleteRoleScope(ctx, packages[4], roleScopes[4]); err != nil {
		t.Fatal(err)
	}
	if err := e.setup.DeleteAccessPackage(ctx, packages[4]); err != nil {
		t.Fatal(err)
	}
	c := e.client(nil)
	readEach(t, packages[:2], packageRead(c))
	e.srv.ResetRequestCount()
	if _, err := c.GetAccessPackage(ctx, packages[4], packageExpand...); !graph.IsNotFound(err) {
		t.Fatalf("read of the deleted package: %v, want a 404", err)
	}
	if n := e.count("GET", packageSingle); n != 1 {
		t.Errorf("GETs for a deleted package within the threshold: %d, want 1", n)
	}
	e.srv.ResetRequestCount()
	if _, err := c.GetRoleScope(ctx, packages[4], roleScopes[4]); !graph.IsNotFound(err) {
		t.Fatalf("read of the deleted package's role scope: %v, want a 404", err)
	}
	if n := e.count("GET", packageSingle); n != 2 {
		t.Errorf("GETs for a deleted package past the threshold: %d, want 2 (the shared read, the single GET)", n)
	}
	if _, err := c.GetAccessPackage(ctx, packages[3], packageExpand...); err != nil {
		t.Fatal(err)
	}
	e.srv.ResetRequestCount()
	missing := "00000000-0000-0000-0000-0000000000aa_00000000-0000-0000-0000-0000000000bb"
	if _, err := c.GetRoleScope(ctx, packages[3], missing); !graph.IsNotFound(err) {
		t.Fatalf("read of a role scope the package does not hold: %v, want a 404", err)
	}
	// Only Graph may say a role scope is gone: the shared read is not trusted for an absence.
	if n := e.count("GET", packageSingle); n != 1 {
		t.Errorf("GETs for a role scope missing from the shared read: %d, want 1 (the package's own GET)", n)
	}
}

// A role scope that Graph lists only after the package's shared read (replication, or made a moment ago by
// an apply that was stopped) is found by the reread that confirms a refresh's 404: a shared read that
// answered the confirmation too would drop the role scope from state, and the next apply would add it again
// and fail with "already in the access package" (make testfaults, TestAccCLI_interruptedApplies).
func TestBulkRefresh_roleScopeListedAfterTheSharedRead(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	packages, roleScopes := e.packagesWithRoleScopes(5)
	ctx := context.Background()
	pkg := packages[4]
	if err := e.setup.DeleteRoleScope(ctx, pkg, roleScopes[4]); err != nil {
		t.Fatal(err)
	}
	c := e.client(nil)
	readEach(t, packages, packageRead(c))
	if _, err := c.GetRoleScope(ctx, pkg, roleScopes[4]); !graph.IsNotFound(err) {
		t.Fatalf("the role scope before it is made again: %v, want a 404", err)
	}
	rs := e.addMemberRole(pkg)
	got, err := c.GetRoleScope(ctx, pkg, rs)
	if err != nil {
		t.Fatalf("the role scope Graph lists after the shared read: %v", err)
	}
	if got.ID != rs {
		t.Errorf("read role scope %s, want %s", got.ID, rs)
	}
}

// The shared read answered without the role scopes (an expansion Graph did not apply): the role scope is
// read with its own single GET, and the package read still served from the shared read.
func TestBulkRefresh_packageReadNotExpanded(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	packages, roleScopes := e.packagesWithRoleScopes(5)
	c := e.client(func(cfg *graph.Config) {
		base := e.ts.Client()
		cfg.HTTPClient = &http.Client{Timeout: base.Timeout, Transport: rewriteExpand{next: base.Transport, suffix: "",
			from: "catalog,incompatibleAccessPackages,incompatibleGroups,resourceRoleScopes($expand=role,scope)",
			to:   "catalog,incompatibleAccessPackages,incompatibleGroups"}}
	})
	ctx := context.Background()
	readEach(t, packages[:3], packageRead(c))
	e.srv.ResetRequestCount()
	for i, id := range packages[3:] {
		rs, err := c.GetRoleScope(ctx, id, roleScopes[3+i])
		if err != nil || rs.Role == nil || rs.Scope == nil {
			t.Fatalf("role scope read: %+v, %v", rs, err)
		}
		if _, err := c.GetAccessPackage(ctx, id, packageExpand...); err != nil {
			t.Fatal(err)
		}
	}
	// Per package: the shared read (without role scopes), then the role scope's single GET; the package
	// read is answered by neither and makes its own GET.
	if n := e.count("GET", packageSingle); n != 3*2 {
		t.Errorf("GETs of packages: %d, want %d", n, 3*2)
	}
}

// A write turns the shared package reads off.
func TestBulkRefresh_packageWriteTurnsItOff(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	packages, roleScopes := e.packagesWithRoleScopes(6)
	ctx := context.Background()
	c := e.client(nil)
	readEach(t, packages[:4], packageRead(c))
	renamed := "Renamed by the client"
	if err := c.UpdateAccessPackage(ctx, packages[3], graph.AccessPackageUpdate{DisplayName: &renamed}); err != nil {
		t.Fatal(err)
	}
	e.srv.ResetRequestCount()
	if pkg, err := c.GetAccessPackage(ctx, packages[3], packageExpand...); err != nil || pkg.DisplayName != renamed {
		t.Fatalf("read after the write: %+v, %v; want the new name", pkg, err)
	}
	for i, id := range packages[3:] {
		if _, err := c.GetRoleScope(ctx, id, roleScopes[3+i]); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.count("GET", packageSingle); n != 1+3 {
		t.Errorf("GETs after the write: %d, want 4 single GETs", n)
	}
}

// A package changed between its shared read and a later read of it is served as read; the next run sees
// the change. Concurrent reads of packages and their role scopes make at most one GET per package.
func TestBulkRefresh_packageChangedInBetweenAndConcurrentReads(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	packages, roleScopes := e.packagesWithRoleScopes(10)
	ctx := context.Background()
	c := e.client(nil)
	readEach(t, packages[:4], packageRead(c)) // the last of these is the shared read of package 3
	renamed := "Renamed outside"
	if err := e.setup.UpdateAccessPackage(ctx, packages[3], graph.AccessPackageUpdate{DisplayName: &renamed}); err != nil {
		t.Fatal(err)
	}
	if pkg, err := c.GetAccessPackage(ctx, packages[3], graph.ExpandCatalog); err != nil || pkg.DisplayName != "Package 3" {
		t.Fatalf("package changed after its shared read served as %+v, %v; want the name read", pkg, err)
	}
	if pkg, err := e.client(nil).GetAccessPackage(ctx, packages[3], packageExpand...); err != nil || pkg.DisplayName != renamed {
		t.Fatalf("next run reads %+v, %v; want the new name", pkg, err)
	}

	c = e.client(nil)
	e.srv.ResetRequestCount()
	var wg sync.WaitGroup
	errs := make(chan error, 2*len(packages))
	for i, id := range packages {
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, err := c.GetAccessPackage(ctx, id, packageExpand...)
			errs <- err
		}()
		go func() {
			defer wg.Done()
			_, err := c.GetRoleScope(ctx, id, roleScopes[i])
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := e.count("GET", packageSingle); n > bulkThreshold+len(packages) {
		t.Errorf("GETs for %d packages and their role scopes read concurrently: %d, want at most %d", len(packages), n, bulkThreshold+len(packages))
	}
}

// Switched off, catalog resources and packages are read with their own requests.
func TestBulkRefresh_offForResourcesAndPackages(t *testing.T) {
	t.Parallel()
	e := newBulkEnv(t)
	packages, roleScopes := e.packagesWithRoleScopes(5)
	catalogs, origins := e.catalogResources(2, 3)
	c := e.client(func(cfg *graph.Config) { cfg.BulkRefresh = false })
	ctx := context.Background()
	e.srv.ResetRequestCount()
	for i, id := range packages {
		if _, err := c.GetAccessPackage(ctx, id, packageExpand...); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetRoleScope(ctx, id, roleScopes[i]); err != nil {
			t.Fatal(err)
		}
	}
	for i, cat := range catalogs {
		for _, origin := range origins[i] {
			if _, err := c.FindCatalogResource(ctx, cat, origin); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := e.count("GET", packageSingle); n != 2*len(packages) {
		t.Errorf("package GETs: %d, want %d", n, 2*len(packages))
	}
	if n := e.count("GET", catalogResourcesRoute); n != 6 {
		t.Errorf("resource reads: %d, want 6", n)
	}
}
