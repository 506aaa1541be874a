package graph_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// The listing follows @odata.nextLink, and twenty resources validating at once share one listing.
func TestTaskDefinitionCacheReadsAllPagesOnce(t *testing.T) {
	t.Parallel()
	c, srv := newScriptedClient(t, []scriptedReply{
		{status: http.StatusOK, body: `{"value":[{"id":"70b29d51-b59a-4773-9280-8841dfd3f2ea","category":"joiner","parameters":[{"name":"to","values":[],"valueType":"string"}]}],` +
			`"@odata.nextLink":"NEXT"}`},
		{status: http.StatusOK, body: `{"value":[{"id":"11111111-2222-3333-4444-555555555555","category":"joiner,leaver","parameters":[]}]}`},
	}, nil)
	// A next link is absolute, on the client's own host.
	srv.mu.Lock()
	srv.replies[0].body = strings.Replace(srv.replies[0].body, "NEXT", strings.TrimRight(c.Endpoint(), "/")+"/v1.0/identityGovernance/lifecycleWorkflows/taskDefinitions?$skiptoken=2", 1)
	srv.mu.Unlock()
	cache := graph.NewTaskDefinitionCache(c)
	var wg sync.WaitGroup
	results := make([][]graph.TaskDefinition, 20)
	errs := make([]error, 20)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = cache.TaskDefinitions(context.Background())
		}()
	}
	wg.Wait()
	for i := range results {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if len(results[i]) != 2 || results[i][1].Category != "joiner,leaver" || results[i][0].Parameters[0].Name != "to" {
			t.Fatalf("caller %d got %+v", i, results[i])
		}
	}
	if n := srv.count(); n != 2 {
		t.Errorf("%d requests for 20 callers, want 2 (one listing of two pages)", n)
	}
	if got := srv.request(0).URL.Path; !strings.HasSuffix(got, "/identityGovernance/lifecycleWorkflows/taskDefinitions") {
		t.Errorf("first request to %s", got)
	}
}

// A failed read is kept: later callers get the same error without another request.
func TestTaskDefinitionCacheKeepsFailure(t *testing.T) {
	t.Parallel()
	c, srv := newScriptedClient(t, []scriptedReply{
		{status: http.StatusForbidden, body: `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges"}}`},
	}, nil)
	cache := graph.NewTaskDefinitionCache(c)
	for i := range 3 {
		_, err := cache.TaskDefinitions(context.Background())
		ge, ok := graph.AsError(err)
		if !ok || ge.Status != http.StatusForbidden {
			t.Fatalf("call %d: err = %v, want the 403", i, err)
		}
	}
	if n := srv.count(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// A caller whose context ends stops waiting; the read goes on for the others.
func TestTaskDefinitionCacheCallerCancel(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var calls atomic.Int32
	cache := graph.NewTaskDefinitionCacheFunc(func(ctx context.Context) ([]graph.TaskDefinition, error) {
		calls.Add(1)
		select {
		case <-release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return []graph.TaskDefinition{{ID: "x"}}, nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := cache.TaskDefinitions(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("first caller: %v, want its deadline", err)
	}
	close(release)
	defs, err := cache.TaskDefinitions(context.Background())
	if err != nil || len(defs) != 1 {
		t.Fatalf("second caller: %v, %v", defs, err)
	}
	if calls.Load() != 1 {
		t.Errorf("%d reads, want 1", calls.Load())
	}
}
