package graph_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

func boolPtr(b bool) *bool { return &b }

func TestCatalogLifecycleAgainstEmulator(t *testing.T) {
	t.Parallel()
	c, _ := newEmulatorClient(t, nil)
	ctx := context.Background()

	created, err := c.CreateCatalog(ctx, graph.CatalogCreate{DisplayName: "Partners", Description: "B2B", IsExternallyVisible: boolPtr(true)})
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == "" || created.CatalogType != "userManaged" || created.State != "published" || created.CreatedDateTime == "" {
		t.Fatalf("create reply lacks server-filled fields: %+v", created)
	}
	name := "Partners and vendors"
	if err := c.UpdateCatalog(ctx, created.ID, graph.CatalogUpdate{DisplayName: &name}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetCatalog(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.DisplayName != name || got.Description != "B2B" || got.IsExternallyVisible == nil || !*got.IsExternallyVisible {
		t.Fatalf("PATCH changed more or less than the display name: %+v", got)
	}
	if err := c.DeleteCatalog(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetCatalog(ctx, created.ID)
	if !graph.IsNotFound(err) {
		t.Fatalf("GET after delete: want 404, got %v", err)
	}
	// Deleting what is already gone is success (design: delete of a missing object succeeds).
	if err := c.DeleteCatalog(ctx, created.ID); err != nil {
		t.Fatalf("second delete: %v", err)
	}
}

func TestGraphErrorCarriesCodeMessageAndRequestID(t *testing.T) {
	t.Parallel()
	c, _ := newEmulatorClient(t, nil)
	_, err := c.CreateCatalog(context.Background(), graph.CatalogCreate{DisplayName: "", Description: "x"})
	ge, ok := graph.AsError(err)
	if !ok {
		t.Fatalf("want a *graph.Error, got %T %v", err, err)
	}
	if ge.Status != http.StatusBadRequest || ge.Code == "" || ge.Message == "" || ge.RequestID == "" || ge.ClientRequestID == "" {
		t.Fatalf("error lacks fields: %+v", ge)
	}
	if !strings.Contains(err.Error(), ge.RequestID) || !strings.Contains(err.Error(), ge.Code) {
		t.Fatalf("error text lacks the code or request id: %s", err)
	}
}

func TestListFollowsNextLink(t *testing.T) {
	t.Parallel()
	// The emulator pages at 2, so seven catalogs (with General) take four pages.
	c, srv := newEmulatorClient(t, nil)
	ctx := context.Background()
	for i := range 6 {
		if _, err := c.CreateCatalog(ctx, graph.CatalogCreate{DisplayName: fmt.Sprintf("Catalog %d", i), Description: ""}); err != nil {
			t.Fatal(err)
		}
	}
	srv.ResetRequestCount()
	all, err := c.ListCatalogs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 7 {
		t.Fatalf("want 7 catalogs, got %d", len(all))
	}
	seen := map[string]bool{}
	for _, cat := range all {
		if seen[cat.ID] {
			t.Fatalf("catalog %s listed twice", cat.ID)
		}
		seen[cat.ID] = true
	}
	if got := srv.RequestCount().Total; got != 4 {
		t.Fatalf("want 4 page requests, got %d", got)
	}
}

func TestListCatalogsByNameQuotesAndMatchesExactly(t *testing.T) {
	t.Parallel()
	c, _ := newEmulatorClient(t, nil)
	ctx := context.Background()
	for _, n := range []string{"O'Brien's team", "o'brien's TEAM", "Other"} {
		if _, err := c.CreateCatalog(ctx, graph.CatalogCreate{DisplayName: n, Description: ""}); err != nil {
			t.Fatal(err)
		}
	}
	found, err := c.ListCatalogsByName(ctx, "O'Brien's team")
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found[0].DisplayName != "O'Brien's team" {
		t.Fatalf("want exactly the one catalog, got %+v", found)
	}
}

func TestWaitForExistenceRidesOutReplicationDelay(t *testing.T) {
	t.Parallel()
	c, srv := newEmulatorClient(t, nil)
	srv.SetFaults(emulator.Faults{ReadAfterCreateDelay: 300 * time.Millisecond})
	ctx := context.Background()
	created, err := c.CreateCatalog(ctx, graph.CatalogCreate{DisplayName: "Eventually", Description: ""})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetCatalog(ctx, created.ID); !graph.IsNotFound(err) {
		t.Fatalf("the fault should hide the new catalog at first, got %v", err)
	}
	start := time.Now()
	err = c.WaitForExistence(ctx, func(ctx context.Context) error {
		_, err := c.GetCatalog(ctx, created.ID)
		return err
	})
	if err != nil {
		t.Fatalf("wait: %v", err)
	}
	if time.Since(start) < 200*time.Millisecond {
		t.Fatalf("the wait returned before the delay ended")
	}
}

func TestWaitForExistenceStopsOnOtherErrors(t *testing.T) {
	t.Parallel()
	c, _ := newScriptedClient(t, nil, nil)
	boom := errors.New("boom")
	calls := 0
	err := c.WaitForExistence(context.Background(), func(context.Context) error { calls++; return boom })
	if !errors.Is(err, boom) || calls != 1 {
		t.Fatalf("want the first non-404 error at once, got %v after %d calls", err, calls)
	}
}

func TestWaitForExistenceTimesOut(t *testing.T) {
	t.Parallel()
	c, _ := newScriptedClient(t, nil, func(cfg *graph.Config) { cfg.ConsistencyTimeout = 50 * time.Millisecond })
	err := c.WaitForExistence(context.Background(), func(context.Context) error {
		return &graph.Error{Status: http.StatusNotFound}
	})
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("want a timeout, got %v", err)
	}
}

func TestWaitForDeletion(t *testing.T) {
	t.Parallel()
	c, _ := newScriptedClient(t, nil, nil)
	reads := 0
	err := c.WaitForDeletion(context.Background(), func(context.Context) error {
		reads++
		if reads < 3 {
			return nil // still visible on some replica
		}
		return &graph.Error{Status: http.StatusNotFound}
	})
	if err != nil {
		t.Fatal(err)
	}
	// Two consecutive 404s are needed after the object first disappears.
	if reads != 4 {
		t.Fatalf("want 4 reads, got %d", reads)
	}
}

func TestWrongSecretIsReportedWithoutTheSecret(t *testing.T) {
	t.Parallel()
	ts, _ := newEmulator(t)
	c := clientFor(t, ts, emulator.DefaultClientID, "not-the-secret-42", nil)
	_, err := c.ListCatalogs(context.Background())
	if err == nil {
		t.Fatal("a wrong secret must fail")
	}
	if !strings.Contains(err.Error(), "invalid_client") {
		t.Fatalf("want the OAuth error code in the message, got %v", err)
	}
	if strings.Contains(err.Error(), "not-the-secret-42") {
		t.Fatalf("the error leaks the secret: %v", err)
	}
}

func TestReaderAppIsForbiddenToWrite(t *testing.T) {
	t.Parallel()
	ts, _ := newEmulator(t)
	c := clientFor(t, ts, emulator.ReaderClientID, emulator.ReaderClientSecret, nil)
	_, err := c.CreateCatalog(context.Background(), graph.CatalogCreate{DisplayName: "Nope", Description: ""})
	if !graph.IsForbidden(err) {
		t.Fatalf("want 403, got %v", err)
	}
	if _, err := c.ListCatalogs(context.Background()); err != nil {
		t.Fatalf("the reader may list: %v", err)
	}
}
