package provider

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

type requestValueKey struct{}

// requestPayload stands for what a request's context carries (its loggers, its gRPC stream).
type requestPayload struct{ _ [4096]byte }

// The per-object RPCs let go of their request's context once they answer, although the framework
// keeps what it derived from it until StopProvider (framework_leak_test.go): a plan of thousands of
// objects must not hold thousands of requests' loggers and streams.
func TestProtocolServerReleasesRequestContexts(t *testing.T) {
	server, err := NewProtocolServer(New("test"))()
	if err != nil {
		t.Fatal(err)
	}
	const resource, dataSource = "entragov_catalog", "entragov_catalog"
	rpcs := map[string]func(context.Context){
		"ValidateResourceConfig": func(ctx context.Context) {
			_, _ = server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: resource})
		},
		"UpgradeResourceState": func(ctx context.Context) {
			_, _ = server.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{TypeName: resource})
		},
		"UpgradeResourceIdentity": func(ctx context.Context) {
			_, _ = server.UpgradeResourceIdentity(ctx, &tfprotov6.UpgradeResourceIdentityRequest{TypeName: resource})
		},
		"ReadResource": func(ctx context.Context) {
			_, _ = server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: resource})
		},
		"PlanResourceChange": func(ctx context.Context) {
			_, _ = server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: resource})
		},
		"ApplyResourceChange": func(ctx context.Context) {
			_, _ = server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{TypeName: resource})
		},
		"ImportResourceState": func(ctx context.Context) {
			_, _ = server.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: resource})
		},
		"MoveResourceState": func(ctx context.Context) {
			_, _ = server.MoveResourceState(ctx, &tfprotov6.MoveResourceStateRequest{TargetTypeName: resource})
		},
		"ValidateDataResourceConfig": func(ctx context.Context) {
			_, _ = server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: dataSource})
		},
		"ReadDataSource": func(ctx context.Context) {
			_, _ = server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: dataSource})
		},
	}
	for name, rpc := range rpcs {
		t.Run(name, func(t *testing.T) {
			kept := callAndWatchPayload(rpc)
			for range 10 {
				if kept.Value() == nil {
					return
				}
				runtime.GC()
			}
			t.Fatalf("%s: the request's context is still reachable after the RPC answered", name)
		})
	}
}

// callAndWatchPayload sends rpc a request context carrying a payload, ends the request as gRPC does,
// and returns a weak pointer to the payload: nil once nothing holds the request's context.
func callAndWatchPayload(rpc func(context.Context)) weak.Pointer[requestPayload] {
	payload := &requestPayload{}
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), requestValueKey{}, payload))
	rpc(ctx)
	cancel()
	return weak.Make(payload)
}

// While the RPC runs, the framework's context derived from a requestContext sees the request's values,
// deadline and cancellation (Terraform cancels an RPC on interrupt); afterwards it sees no values.
func TestRequestContextStandsForTheRequest(t *testing.T) {
	deadline := time.Now().Add(time.Hour) // far enough that only cancel ends the request
	parent, cancel := context.WithDeadline(context.WithValue(context.Background(), requestValueKey{}, "logger"), deadline)
	rc := newRequestContext(parent)
	derived, stop := context.WithCancel(rc) // what the framework does with it
	defer stop()

	if got := derived.Value(requestValueKey{}); got != "logger" {
		t.Fatalf("value while the RPC runs: %v", got)
	}
	if got, ok := derived.Deadline(); !ok || !got.Equal(deadline) {
		t.Fatalf("deadline: %v %v", got, ok)
	}
	cancel()
	select {
	case <-derived.Done():
	default:
		t.Fatal("cancelling the request did not cancel the framework's context")
	}
	if !errors.Is(derived.Err(), context.Canceled) || !errors.Is(rc.Err(), context.Canceled) {
		t.Fatalf("errors after cancel: %v, %v", derived.Err(), rc.Err())
	}

	rc.release()
	if got := derived.Value(requestValueKey{}); got != nil {
		t.Fatalf("value after release: %v", got)
	}
	if !errors.Is(rc.Err(), context.Canceled) {
		t.Fatalf("a released context of an ended request reports %v", rc.Err())
	}
}

// tf6server serves list resources (terraform query), actions and state stores only to a server that
// has them: wrapping the framework's server must not hide them.
func TestProtocolServerKeepsOptionalRPCs(t *testing.T) {
	server, err := NewProtocolServer(New("test"))()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := server.(tfprotov6.ProviderServerWithListResource); !ok { //nolint:staticcheck // tf6server asserts this interface
		t.Error("list resources are hidden")
	}
	if _, ok := server.(tfprotov6.ProviderServerWithActions); !ok { //nolint:staticcheck // tf6server asserts this interface
		t.Error("actions are hidden")
	}
	if _, ok := server.(tfprotov6.ProviderServerWithStateStores); !ok { //nolint:staticcheck // tf6server asserts this interface
		t.Error("state stores are hidden")
	}
}
