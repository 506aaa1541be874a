package graph_test

import (
	"context"
	"errors"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// A walk follows every page (the local API pages by 2 here), applies every clause, and requests no page
// after the caller stops.
func TestWalkCatalogs(t *testing.T) {
	t.Parallel()
	c, srv := newEmulatorClient(t, nil)
	ctx := context.Background()
	for _, name := range []string{"Walk A", "Walk B", "Walk B", "Walk C", "Walk O'Brien"} {
		if _, err := c.CreateCatalog(ctx, graph.CatalogCreate{DisplayName: name}); err != nil {
			t.Fatal(err)
		}
	}
	names := func(eqs ...graph.Eq) []string {
		var out []string
		for cat, err := range c.WalkCatalogs(ctx, eqs...) {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, cat.DisplayName)
		}
		return out
	}
	if got := names(); len(got) != 6 { // and the built-in General catalog
		t.Errorf("all catalogs: %q, want 6", got)
	}
	if got := names(graph.Eq{Property: "displayName", Value: "Walk B"}); len(got) != 2 {
		t.Errorf("displayName eq 'Walk B': %q, want 2", got)
	}
	if got := names(graph.Eq{Property: "displayName", Value: "Walk O'Brien"}, graph.Eq{Property: "state", Value: "published"}); len(got) != 1 {
		t.Errorf("two clauses, one with a quote: %q, want 1", got)
	}

	srv.ResetRequestCount()
	n := 0
	for _, err := range c.WalkCatalogs(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 3 {
			break
		}
	}
	if got := srv.RequestCount().ByRoute["GET /v1.0/identityGovernance/entitlementManagement/catalogs"]; got != 2 {
		t.Errorf("stopping after 3 of 6 catalogs in pages of 2 took %d page requests, want 2", got)
	}
}

// A walk under no parent fails before any request.
func TestWalkCatalogResourcesWithoutCatalog(t *testing.T) {
	t.Parallel()
	c, srv := newEmulatorClient(t, nil)
	srv.ResetRequestCount()
	yielded := 0
	for _, err := range c.WalkCatalogResources(context.Background(), "") {
		yielded++
		if !errors.Is(err, graph.ErrEmptyID) {
			t.Errorf("err = %v, want ErrEmptyID", err)
		}
	}
	if yielded != 1 {
		t.Errorf("the walk yielded %d times, want once (the error)", yielded)
	}
	if got := srv.RequestCount().Total; got != 0 {
		t.Errorf("%d requests, want none", got)
	}
}
