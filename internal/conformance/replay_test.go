package conformance_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/conformance"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// authority is shared by every local API of the package: generating its keys is the costly
// part of starting one (internal/acctest/acctest.go shares one the same way).
var authority = sync.OnceValues(emulator.NewAuthority)

// newTarget serves a fresh local API in process over TLS and signs in with the admin app.
func newTarget(t *testing.T) conformance.Target {
	t.Helper()
	auth, err := authority()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.New(emulator.Config{DBPath: ":memory:", DeliveryDelay: -1, Authority: auth})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		_ = srv.Close()
	})
	tokens, err := graph.NewClientSecretSource(graph.CredentialOptions{
		TenantID: emulator.DefaultTenantID, ClientID: emulator.DefaultClientID,
		LoginEndpoint: ts.URL, GraphEndpoint: ts.URL, HTTPClient: ts.Client(),
	}, emulator.DefaultClientSecret)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := tokens.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return conformance.Target{Base: ts.URL, Client: ts.Client(), Token: tok, Vars: conformance.SeedVars()}
}

func loadCorpus(t *testing.T) []*conformance.File {
	t.Helper()
	files, err := conformance.LoadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no corpus files in testdata")
	}
	return files
}

// TestDocumentedExamples replays every documented example against a fresh local API each.
// A case without a divergence marker must match its page; a case with one must still differ
// (remove the marker once the local API follows the page).
func TestDocumentedExamples(t *testing.T) {
	files := loadCorpus(t)
	var divergences []string
	for _, f := range files {
		t.Run(f.Name(), func(t *testing.T) {
			for i := range f.Cases {
				c := &f.Cases[i]
				label := f.Label(c)
				t.Run(c.Example, func(t *testing.T) {
					diffs, err := conformance.Replay(context.Background(), newTarget(t), c)
					switch conformance.Judge(c, diffs, err) {
					case conformance.Fail:
						if err != nil {
							t.Fatalf("%s: %v", label, err)
						}
						for _, d := range diffs {
							t.Errorf("%s: %s", label, d)
						}
					case conformance.StaleMarker:
						t.Errorf("%s: marked as a divergence (%s) but the local API now answers as documented: remove the marker", label, c.Divergence)
					case conformance.KnownDivergence:
						observed := strings.Join(diffs, "; ")
						if err != nil {
							observed = err.Error()
						}
						divergences = append(divergences, label+": "+c.Divergence+"\n    observed: "+observed)
					}
				})
			}
		})
	}
	sort.Strings(divergences)
	t.Logf("%d known divergences from the documented examples:\n%s", len(divergences), strings.Join(divergences, "\n"))
}

// TestEveryEndpointHasACase requires at least one documented case per endpoint the provider calls.
func TestEveryEndpointHasACase(t *testing.T) {
	counts := map[string]int{}
	for _, f := range loadCorpus(t) {
		for _, c := range f.Cases {
			counts[c.Endpoint]++
		}
	}
	var lines []string
	for _, e := range conformance.Endpoints {
		n := counts[e.Key()]
		if n == 0 {
			t.Errorf("no documented case for %s (%s)", e.Key(), e.Caller)
		}
		lines = append(lines, fmt.Sprintf("%3d  %s", n, e.Key()))
	}
	t.Logf("cases per endpoint:\n%s", strings.Join(lines, "\n"))
}
