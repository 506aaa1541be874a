package graph_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// Over HTTP/2, as Graph and the local API (emulator.Listen) speak it, a write whose answer is lost after
// Graph committed it reaches the client as a reset stream (RST_STREAM INTERNAL_ERROR), not as a closed
// connection. Neither Go's HTTP/2 transport nor the retry policy may repeat the POST: the create must come
// back as an AmbiguousError after exactly one POST, leaving one object for the caller to adopt.
func TestCreateWithStreamResetAfterCommitIsAmbiguousAndSentOnce(t *testing.T) {
	t.Parallel()
	srv, err := emulator.New(emulator.Config{DBPath: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(srv.Handler())
	ts.EnableHTTP2 = true
	ts.StartTLS()
	t.Cleanup(func() {
		ts.Close()
		_ = srv.Close()
	})
	c := clientFor(t, ts, emulator.DefaultClientID, emulator.DefaultClientSecret, nil)
	// The token is fetched before the fault is on; the fault touches Graph paths only anyway.
	if _, err := c.ListCatalogs(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv.SetFaults(emulator.Faults{DropAfterCommitRate: 1})
	srv.ResetRequestCount()

	_, err = c.CreateCatalog(context.Background(), graph.CatalogCreate{DisplayName: "Dropped"})
	if !graph.IsAmbiguous(err) {
		t.Fatalf("want an AmbiguousError, got %v", err)
	}
	if !strings.Contains(err.Error(), "stream error") {
		t.Fatalf("the answer was not lost as an HTTP/2 stream reset (is the test server speaking HTTP/2?): %v", err)
	}
	posts := 0
	for route, n := range srv.RequestCount().ByRoute {
		if strings.HasPrefix(route, http.MethodPost+" ") {
			posts += n
		}
	}
	if posts != 1 {
		t.Fatalf("the create was sent %d times, want once", posts)
	}
	srv.SetFaults(emulator.Faults{})
	found, err := c.ListCatalogsByName(context.Background(), "Dropped")
	if err != nil || len(found) != 1 {
		t.Fatalf("want the one committed catalog, got %d (%v)", len(found), err)
	}
}
