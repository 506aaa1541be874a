package graph_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

func TestAdoptAfterAmbiguousCreate(t *testing.T) {
	t.Parallel()
	c, _ := newScriptedClient(t, nil, func(cfg *graph.Config) { cfg.ConsistencyTimeout = 200 * time.Millisecond })
	cause := errors.New("connection dropped")
	ctx := context.Background()

	calls := 0
	id, err := c.AdoptAfterAmbiguousCreate(ctx, "catalog", cause, func(context.Context) ([]string, error) {
		calls++
		if calls < 3 {
			return nil, nil // not replicated yet
		}
		return []string{"c1"}, nil
	})
	if err != nil || id != "c1" {
		t.Fatalf("want c1 after replication, got %q, %v", id, err)
	}

	_, err = c.AdoptAfterAmbiguousCreate(ctx, "catalog", cause, func(context.Context) ([]string, error) { return []string{"a", "b"}, nil })
	if err == nil || !strings.Contains(err.Error(), "import the right one") || !strings.Contains(err.Error(), "a, b") {
		t.Fatalf("several matches must be an error naming them, got %v", err)
	}

	start := time.Now()
	_, err = c.AdoptAfterAmbiguousCreate(ctx, "catalog", cause, func(context.Context) ([]string, error) { return nil, nil })
	if err == nil || !strings.Contains(err.Error(), "most likely not applied") {
		t.Fatalf("no match must say the create was most likely not applied, got %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatalf("the lookup must stop at its window, took %s", time.Since(start))
	}
}

func TestCreatedSince(t *testing.T) {
	t.Parallel()
	now := time.Now()
	if !graph.CreatedSince(now.Add(-time.Minute).UTC().Format(time.RFC3339Nano), now) {
		t.Error("an object a minute older than the call may be ours (clock skew)")
	}
	if graph.CreatedSince(now.Add(-time.Hour).UTC().Format(time.RFC3339Nano), now) {
		t.Error("an hour-old object is not the one just created")
	}
}

func TestRefreshReadConfirmsA404(t *testing.T) {
	t.Parallel()
	c, _ := newScriptedClient(t, nil, func(cfg *graph.Config) { cfg.PollInterval = 10 * time.Millisecond })
	ctx := context.Background()
	notFound := &graph.Error{Status: 404}

	// A young object that a replica does not know yet is not dropped.
	reads := 0
	gone, err := c.RefreshRead(ctx, time.Now().UTC().Format(time.RFC3339Nano), func(context.Context) error {
		reads++
		if reads < 3 {
			return notFound
		}
		return nil
	})
	if gone || err != nil || reads != 3 {
		t.Fatalf("want the object kept after replication, got gone=%v err=%v reads=%d", gone, err, reads)
	}

	// An old object's 404 is final at once.
	reads = 0
	gone, err = c.RefreshRead(ctx, time.Now().Add(-time.Hour).UTC().Format(time.RFC3339Nano), func(context.Context) error { reads++; return notFound })
	if !gone || err != nil || reads != 1 {
		t.Fatalf("want an old object gone after one read, got gone=%v err=%v reads=%d", gone, err, reads)
	}
}
