package provider

import (
	"context"
	"runtime"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// TestFrameworkKeepsEveryRequestContext is the minimal reproduction of the upstream leak that
// providerMemoryLimit (gc.go) bounds: terraform-plugin-framework's protocol server wraps every RPC's
// context in context.WithCancel and appends the cancel function to a slice it empties only in
// StopProvider (internal/proto6server/serve.go, registerContext), so a provider process's live heap
// grows with every request Terraform sends, whatever the provider does. The test sends many cheap RPCs
// (GetMetadata, no provider code runs) to a framework server and requires the live heap to grow by at
// least 50 bytes per request; StopProvider must give it back. When an upgrade of the framework fixes
// the leak this test fails: then drop releasingServer (server.go) and the leak from gc.go's comment and
// CONTRIBUTING.md ("Performance"), and measure again whether the memory limit is still worth having.
func TestFrameworkKeepsEveryRequestContext(t *testing.T) {
	server := providerserver.NewProtocol6(New("test")())()
	ctx := context.Background()
	const requests = 50000
	before := liveHeap()
	for range requests {
		if _, err := server.GetMetadata(ctx, &tfprotov6.GetMetadataRequest{}); err != nil {
			t.Fatal(err)
		}
	}
	grown := liveHeap() - before
	perRequest := float64(grown) / requests
	t.Logf("live heap grew %.0f bytes per request over %d requests", perRequest, requests)
	if perRequest < 50 {
		t.Fatalf("the framework no longer keeps each request's context (%.0f bytes per request): update gc.go and CONTRIBUTING.md as this test's comment says", perRequest)
	}
	if _, err := server.StopProvider(ctx, &tfprotov6.StopProviderRequest{}); err != nil {
		t.Fatal(err)
	}
	if released := grown - (liveHeap() - before); float64(released) < float64(grown)/2 {
		t.Fatalf("StopProvider released %d of the %d bytes: the growth is not the kept contexts", released, grown)
	}
}

// liveHeap is the heap in use after a full collection.
func liveHeap() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
