package graph_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

func TestCrossTenantAccessPartnerRoundTrip(t *testing.T) {
	t.Parallel()
	c, _ := newEmulatorClient(t, nil)
	ctx := context.Background()
	yes := true
	in := graph.CrossTenantAccessPartner{
		TenantID:     "3d0f5dec-5d3d-455c-8016-e2af1ae4d31a",
		InboundTrust: &graph.CrossTenantAccessInboundTrust{IsMfaAccepted: &yes},
		B2BDirectConnectInbound: &graph.CrossTenantAccessB2BSetting{Applications: &graph.CrossTenantAccessTargetConfiguration{
			AccessType: "allowed", Targets: []graph.CrossTenantAccessTarget{{Target: "Office365", TargetType: "application"}},
		}},
	}
	created, err := c.CreateCrossTenantAccessPartner(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if created.TenantID != in.TenantID || created.B2BDirectConnectInbound.UsersAndGroups != nil || created.IsServiceProvider == nil {
		t.Fatalf("created %+v", created)
	}
	if _, err := c.CreateCrossTenantAccessPartner(ctx, in); !graph.IsConflict(err) {
		t.Errorf("second configuration of the tenant: %v, want a conflict", err)
	}
	// An update sends every settings property: what is nil is cleared.
	if err := c.UpdateCrossTenantAccessPartner(ctx, in.TenantID, graph.CrossTenantAccessPartner{
		AutomaticUserConsentSettings: &graph.InboundOutboundPolicyConfiguration{InboundAllowed: &yes},
	}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetCrossTenantAccessPartner(ctx, in.TenantID)
	if err != nil {
		t.Fatal(err)
	}
	if got.InboundTrust != nil || got.B2BDirectConnectInbound != nil || got.AutomaticUserConsentSettings == nil ||
		got.AutomaticUserConsentSettings.InboundAllowed == nil || got.AutomaticUserConsentSettings.OutboundAllowed != nil {
		t.Fatalf("after update %+v", got)
	}
	if err := c.DeleteCrossTenantAccessPartner(ctx, in.TenantID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteCrossTenantAccessPartner(ctx, in.TenantID); err != nil {
		t.Errorf("a configuration already gone counts as deleted: %v", err)
	}
	if _, err := c.GetCrossTenantAccessPartner(ctx, in.TenantID); !graph.IsNotFound(err) {
		t.Errorf("read after delete: %v", err)
	}
}

func TestCrossTenantAccessDefaultRoundTrip(t *testing.T) {
	t.Parallel()
	c, _ := newEmulatorClient(t, nil)
	ctx := context.Background()
	d, err := c.GetCrossTenantAccessDefault(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d.IsServiceDefault == nil || !*d.IsServiceDefault || d.B2BCollaborationInbound.UsersAndGroups.AccessType != "allowed" {
		t.Fatalf("system default %+v", d)
	}
	// The read-only parts of a value read back are not sent.
	d.B2BCollaborationOutbound.UsersAndGroups.AccessType = "blocked"
	if err := c.UpdateCrossTenantAccessDefault(ctx, *d); err != nil {
		t.Fatal(err)
	}
	if d, err = c.GetCrossTenantAccessDefault(ctx); err != nil || *d.IsServiceDefault || d.B2BCollaborationOutbound.UsersAndGroups.AccessType != "blocked" {
		t.Fatalf("after update %+v %v", d, err)
	}
	if err := c.ResetCrossTenantAccessDefault(ctx); err != nil {
		t.Fatal(err)
	}
	if d, err = c.GetCrossTenantAccessDefault(ctx); err != nil || !*d.IsServiceDefault {
		t.Fatalf("after reset %+v %v", d, err)
	}
}

// A partner create whose answer is lost is settled by reading the configuration by its tenant id.
func TestCreateCrossTenantAccessPartnerAdoptsAfterLostAnswer(t *testing.T) {
	t.Parallel()
	var posts, gets atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			posts.Add(1)
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			_ = conn.Close() // committed, answer lost
		case http.MethodGet:
			gets.Add(1)
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"tenantId": "3d0f5dec-5d3d-455c-8016-e2af1ae4d31a"})
		}
	}))
	t.Cleanup(ts.Close)
	c, err := graph.New(graph.Config{Endpoint: ts.URL, Token: graph.StaticToken("t"), RetryWaitMin: time.Millisecond,
		RetryWaitMax: 5 * time.Millisecond, PollInterval: time.Millisecond, ConsistencyTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.CreateCrossTenantAccessPartner(context.Background(), graph.CrossTenantAccessPartner{TenantID: "3d0f5dec-5d3d-455c-8016-e2af1ae4d31a"})
	if err != nil || got.TenantID != "3d0f5dec-5d3d-455c-8016-e2af1ae4d31a" {
		t.Fatalf("got %+v, %v", got, err)
	}
	if posts.Load() != 1 || gets.Load() != 1 {
		t.Errorf("posts %d, gets %d; want one of each", posts.Load(), gets.Load())
	}
}

// A partner create whose answer is lost, and whose configuration Graph lists only a moment later: the read
// after the lost answer misses it, the second attempt is refused with 409 because the first was applied,
// and the configuration is taken as the one made once it is readable.
func TestCreateCrossTenantAccessPartnerAfterLostAnswerAndReplicationDelay(t *testing.T) {
	t.Parallel()
	const tenant = "3d0f5dec-5d3d-455c-8016-e2af1ae4d31a"
	var posts, gets atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.Method {
		case http.MethodPost:
			if posts.Add(1) == 1 {
				hj, _ := w.(http.Hijacker)
				conn, _, _ := hj.Hijack()
				_ = conn.Close() // committed, answer lost
				return
			}
			w.WriteHeader(http.StatusConflict)
			_, _ = w.Write([]byte(`{"error":{"code":"Request_MultipleObjectsWithSameKeyValue","message":"A partner configuration for tenant already exists."}}`))
		case http.MethodGet:
			if gets.Add(1) <= 2 { // not listed yet: the read after the lost answer, and the first confirming read
				w.WriteHeader(http.StatusNotFound)
				_, _ = w.Write([]byte(`{"error":{"code":"Request_ResourceNotFound","message":"not found"}}`))
				return
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"tenantId": tenant})
		}
	}))
	t.Cleanup(ts.Close)
	c, err := graph.New(graph.Config{Endpoint: ts.URL, Token: graph.StaticToken("t"), RetryWaitMin: time.Millisecond,
		RetryWaitMax: 5 * time.Millisecond, PollInterval: time.Millisecond, ConsistencyTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.CreateCrossTenantAccessPartner(context.Background(), graph.CrossTenantAccessPartner{TenantID: tenant})
	if err != nil || got.TenantID != tenant {
		t.Fatalf("got %+v, %v", got, err)
	}
	if posts.Load() != 2 {
		t.Errorf("posts %d, want 2 (the lost one and the refused one)", posts.Load())
	}
}
