package graph_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// newEmulatorClient serves a fresh local governance API in process over TLS and returns a client
// signed in to it with the admin app's client secret, the same path the provider takes.
func newEmulatorClient(t *testing.T, tune func(*graph.Config)) (*graph.Client, *emulator.Server) {
	t.Helper()
	ts, srv := newEmulator(t)
	return clientFor(t, ts, emulator.DefaultClientID, emulator.DefaultClientSecret, tune), srv
}

func newEmulator(t *testing.T) (*httptest.Server, *emulator.Server) {
	t.Helper()
	srv, err := emulator.New(emulator.Config{DBPath: ":memory:", PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		_ = srv.Close()
	})
	return ts, srv
}

func clientFor(t *testing.T, ts *httptest.Server, clientID, secret string, tune func(*graph.Config)) *graph.Client {
	t.Helper()
	tokens, err := graph.NewClientSecretSource(graph.CredentialOptions{
		TenantID: emulator.DefaultTenantID, ClientID: clientID,
		LoginEndpoint: ts.URL, GraphEndpoint: ts.URL, HTTPClient: ts.Client(),
	}, secret)
	if err != nil {
		t.Fatal(err)
	}
	cfg := graph.Config{
		Endpoint: ts.URL, Token: tokens, HTTPClient: ts.Client(),
		RetryWaitMin: time.Millisecond, RetryWaitMax: 10 * time.Millisecond,
		PollInterval: 10 * time.Millisecond, ConsistencyTimeout: 10 * time.Second,
	}
	if tune != nil {
		tune(&cfg)
	}
	c, err := graph.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// scriptedServer answers each request with the next reply of a script and records what it received.
type scriptedServer struct {
	mu       sync.Mutex
	replies  []scriptedReply
	received []*http.Request
	bodies   []string
}

type scriptedReply struct {
	status  int
	headers map[string]string
	body    string
	// hangUp closes the connection without answering, after reading the request.
	hangUp bool
}

func newScriptedClient(t *testing.T, replies []scriptedReply, tune func(*graph.Config)) (*graph.Client, *scriptedServer) {
	t.Helper()
	s := &scriptedServer{replies: replies}
	ts := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(ts.Close)
	cfg := graph.Config{
		Endpoint: ts.URL, Token: graph.StaticToken("test-token"),
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
		PollInterval: time.Millisecond, ConsistencyTimeout: 2 * time.Second,
	}
	if tune != nil {
		tune(&cfg)
	}
	c, err := graph.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, s
}

func (s *scriptedServer) serve(w http.ResponseWriter, r *http.Request) {
	body := make([]byte, r.ContentLength)
	if r.ContentLength > 0 {
		_, _ = r.Body.Read(body)
	}
	s.mu.Lock()
	s.received = append(s.received, r.Clone(context.Background()))
	s.bodies = append(s.bodies, string(body))
	var reply scriptedReply
	if len(s.replies) > 0 {
		reply, s.replies = s.replies[0], s.replies[1:]
	} else {
		reply = scriptedReply{status: http.StatusTeapot, body: `{"error":{"code":"ScriptExhausted","message":"no more replies"}}`}
	}
	s.mu.Unlock()
	if reply.hangUp {
		hj, ok := w.(http.Hijacker)
		if ok {
			conn, _, err := hj.Hijack()
			if err == nil {
				_ = conn.Close()
				return
			}
		}
	}
	for k, v := range reply.headers {
		w.Header().Set(k, v)
	}
	if reply.body != "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(reply.status)
	_, _ = w.Write([]byte(reply.body))
}

func (s *scriptedServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.received)
}

func (s *scriptedServer) request(i int) *http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.received[i]
}
