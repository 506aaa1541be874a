package graph_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

const throttled = `{"error":{"code":"TooManyRequests","message":"Please retry again later.","innerError":{"request-id":"r-429"}}}`

func TestRetriesThrottlingAndHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	c, s := newScriptedClient(t, []scriptedReply{
		{status: 429, headers: map[string]string{"Retry-After": "1"}, body: throttled},
		{status: 200, body: `{"id":"c1","displayName":"A","description":""}`},
	}, nil)
	start := time.Now()
	got, err := c.GetCatalog(context.Background(), "c1")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "c1" || s.count() != 2 {
		t.Fatalf("want one retry, got %d requests", s.count())
	}
	if time.Since(start) < time.Second {
		t.Fatalf("Retry-After: 1 was not honoured (waited %s)", time.Since(start))
	}
	// A retry is the same logical call: Graph support correlates it by client-request-id.
	if a, b := s.request(0).Header.Get("client-request-id"), s.request(1).Header.Get("client-request-id"); a == "" || a != b {
		t.Fatalf("client-request-id changed across retries: %q vs %q", a, b)
	}
}

func TestPostIsRetriedOnlyWhenGraphDidNotProcessIt(t *testing.T) {
	t.Parallel()
	created := `{"id":"c1","displayName":"A","description":""}`
	cases := []struct {
		name          string
		replies       []scriptedReply
		wantRequests  int
		wantAmbiguous bool
		wantErr       bool
	}{
		{"503 is retried", []scriptedReply{{status: 503, headers: map[string]string{"Retry-After": "0"}}, {status: 201, body: created}}, 2, false, false},
		{"429 is retried", []scriptedReply{{status: 429, headers: map[string]string{"Retry-After": "0"}, body: throttled}, {status: 201, body: created}}, 2, false, false},
		{"504 is ambiguous", []scriptedReply{{status: 504}, {status: 201, body: created}}, 1, true, true},
		{"hang-up is ambiguous", []scriptedReply{{hangUp: true}, {status: 201, body: created}}, 1, true, true},
		{"400 is final", []scriptedReply{{status: 400, body: `{"error":{"code":"BadRequest","message":"no"}}`}}, 1, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, s := newScriptedClient(t, tc.replies, nil)
			_, err := c.CreateCatalog(context.Background(), graph.CatalogCreate{DisplayName: "A"})
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if graph.IsAmbiguous(err) != tc.wantAmbiguous {
				t.Fatalf("IsAmbiguous(%v) = %v, want %v", err, graph.IsAmbiguous(err), tc.wantAmbiguous)
			}
			if s.count() != tc.wantRequests {
				t.Fatalf("want %d requests, got %d", tc.wantRequests, s.count())
			}
		})
	}
}

func TestIdempotentCallsAreRetriedOnGatewayErrorsAndHangUps(t *testing.T) {
	t.Parallel()
	c, s := newScriptedClient(t, []scriptedReply{
		{status: 504}, {hangUp: true}, {status: 503}, {status: 200, body: `{"id":"c1","displayName":"A","description":""}`},
	}, nil)
	if _, err := c.GetCatalog(context.Background(), "c1"); err != nil {
		t.Fatal(err)
	}
	if s.count() != 4 {
		t.Fatalf("want 4 requests, got %d", s.count())
	}
}

func TestRetriesEndWithGraphsErrorWhenTheBudgetRunsOut(t *testing.T) {
	t.Parallel()
	replies := make([]scriptedReply, 10)
	for i := range replies {
		replies[i] = scriptedReply{status: 429, headers: map[string]string{"Retry-After": "0", "request-id": "r-429"}, body: throttled}
	}
	c, s := newScriptedClient(t, replies, func(cfg *graph.Config) { cfg.RetryMax = 2 })
	_, err := c.GetCatalog(context.Background(), "c1")
	if !graph.IsThrottled(err) {
		t.Fatalf("want the final 429 as a Graph error, got %v", err)
	}
	ge, _ := graph.AsError(err)
	if ge.Code != "TooManyRequests" || ge.RequestID != "r-429" {
		t.Fatalf("the error lost Graph's code or request id: %+v", ge)
	}
	if s.count() != 3 {
		t.Fatalf("RetryMax 2 means 3 attempts, got %d", s.count())
	}
}

func TestRetryAfterBeyondTheTotalBoundIsNotAwaited(t *testing.T) {
	t.Parallel()
	c, s := newScriptedClient(t, []scriptedReply{
		{status: 429, headers: map[string]string{"Retry-After": "3600"}, body: throttled},
	}, func(cfg *graph.Config) { cfg.MaxRetryElapsed = time.Second })
	start := time.Now()
	_, err := c.GetCatalog(context.Background(), "c1")
	if !graph.IsThrottled(err) || s.count() != 1 {
		t.Fatalf("want an immediate 429 error, got %v after %d requests", err, s.count())
	}
	if time.Since(start) > 500*time.Millisecond {
		t.Fatalf("waited %s although the bound was already exceeded", time.Since(start))
	}
}

func TestEveryRequestCarriesGraphHeaders(t *testing.T) {
	t.Parallel()
	c, s := newScriptedClient(t, []scriptedReply{{status: 201, body: `{"id":"c1","displayName":"A","description":""}`}},
		func(cfg *graph.Config) { cfg.UserAgent = "entragov-test/1" })
	if _, err := c.CreateCatalog(context.Background(), graph.CatalogCreate{DisplayName: "A"}); err != nil {
		t.Fatal(err)
	}
	h := s.request(0).Header
	for k, want := range map[string]string{
		"Authorization": "Bearer test-token",
		"Prefer":        "include-unknown-enum-members",
		"Content-Type":  "application/json",
		"User-Agent":    "entragov-test/1",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if h.Get("client-request-id") == "" {
		t.Error("no client-request-id")
	}
	if p := s.request(0).URL.Path; p != "/v1.0/identityGovernance/entitlementManagement/catalogs" {
		t.Errorf("path = %s", p)
	}
	if body := s.bodies[0]; !strings.Contains(body, `"description":""`) {
		t.Errorf("description must always be sent (Graph requires it), body %s", body)
	}
}

func TestNonJSONErrorBodyStillMakesAnError(t *testing.T) {
	t.Parallel()
	c, _ := newScriptedClient(t, []scriptedReply{{status: 403, body: "<html>denied by proxy</html>"}}, nil)
	_, err := c.GetCatalog(context.Background(), "c1")
	ge, ok := graph.AsError(err)
	if !ok || ge.Status != http.StatusForbidden || !strings.Contains(ge.Message, "denied by proxy") {
		t.Fatalf("got %v", err)
	}
}

func TestNextLinkToAnotherHostIsRefused(t *testing.T) {
	t.Parallel()
	c, s := newScriptedClient(t, []scriptedReply{
		{status: 200, body: `{"value":[{"id":"a","displayName":"A","description":""}],"@odata.nextLink":"https://attacker.example/v1.0/next"}`},
	}, nil)
	_, err := c.ListCatalogs(context.Background())
	if err == nil || !strings.Contains(err.Error(), "another host") {
		t.Fatalf("want a refusal, got %v", err)
	}
	if s.count() != 1 {
		t.Fatalf("the token must not be sent anywhere else; requests: %d", s.count())
	}
}

func TestCheckEndpoint(t *testing.T) {
	t.Parallel()
	for raw, ok := range map[string]bool{
		"https://graph.microsoft.com":         true,
		"https://graph.microsoft.us/":         true,
		"http://127.0.0.1:9443":               true,
		"http://localhost:8080":               true,
		"http://[::1]:8080":                   true,
		"http://graph.microsoft.com":          false,
		"http://10.0.0.5:9443":                false,
		"ftp://graph.microsoft.com":           false,
		"graph.microsoft.com":                 false,
		"https://graph.microsoft.com/?x=1":    false,
		"http://localhost.attacker.example:1": false,
	} {
		_, err := graph.CheckEndpoint(raw)
		if (err == nil) != ok {
			t.Errorf("CheckEndpoint(%q) error = %v, want ok %v", raw, err, ok)
		}
	}
}

// A 409 from another process's parallel policy create is retried; the policy is created once.
func TestPolicyCreateRetriesDuplicateKeyConflicts(t *testing.T) {
	t.Parallel()
	conflict := `{"error":{"code":"DuplicateKey","message":"There is already a duplicated entity."}}`
	c, s := newScriptedClient(t, []scriptedReply{
		{status: 409, body: conflict}, {status: 409, body: conflict},
		{status: 201, body: `{"id":"p1","displayName":"A","description":""}`},
	}, nil)
	got, err := c.CreateAssignmentPolicy(context.Background(), "pkg", graph.AssignmentPolicy{DisplayName: "A"})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "p1" || s.count() != 3 {
		t.Fatalf("want the policy after two conflicts, got %+v after %d requests", got, s.count())
	}
	if !strings.Contains(s.bodies[0], `"accessPackage":{"id":"pkg"}`) {
		t.Fatalf("the package must be bound in the body: %s", s.bodies[0])
	}
}
