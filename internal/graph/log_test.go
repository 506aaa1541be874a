package graph_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

type captureLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *captureLogger) Log(_ context.Context, _ graph.Level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf("%s %v", msg, fields))
}

func (l *captureLogger) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func TestLogsShowRequestsButNoSecrets(t *testing.T) {
	t.Parallel()
	logger := &captureLogger{}
	c, _ := newScriptedClient(t, []scriptedReply{
		{status: 429, headers: map[string]string{"Retry-After": "0"}, body: throttled},
		{status: 200, body: `{"id":"c1","displayName":"A","description":"","clientSecret":"s3cr3t-in-reply"}`},
	}, func(cfg *graph.Config) {
		cfg.Logger = logger
		cfg.Token = graph.StaticToken("tok-must-not-appear")
	})
	if _, err := c.GetCatalog(context.Background(), "c1"); err != nil {
		t.Fatal(err)
	}
	out := logger.all()
	for _, want := range []string{"Graph request", "Graph response", "retrying Graph request", "client_request_id", "status:200"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	for _, secret := range []string{"tok-must-not-appear", "s3cr3t-in-reply"} {
		if strings.Contains(out, secret) {
			t.Errorf("log leaks %q:\n%s", secret, out)
		}
	}
}
