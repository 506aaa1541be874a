package provider

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// Address is the provider's registry address.
const Address = "registry.terraform.io/entragov/entragov"

// Serve runs the provider's plugin server (NewProtocolServer) until Terraform stops it; debug serves it
// for a debugger (TF_REATTACH_PROVIDERS), as the -debug flag asks.
func Serve(p func() fwprovider.Provider, debug bool) error {
	server, err := NewProtocolServer(p)()
	if err != nil {
		return err
	}
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	return tf6server.Serve(Address, func() tfprotov6.ProviderServer { return server }, opts...)
}

// NewProtocolServer is the framework's protocol 6 server for p, with the per-object RPCs releasing
// their request's context when they answer (releasingServer). The binary and the acceptance tests serve
// the provider through it.
func NewProtocolServer(p func() fwprovider.Provider) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		server, err := providerserver.NewProtocol6WithError(p())()
		if err != nil {
			return nil, err
		}
		fw, ok := server.(frameworkServer)
		if !ok {
			return nil, errors.New("the framework's protocol server no longer serves list resources, actions and state stores")
		}
		return releasingServer{fw}, nil
	}
}

// frameworkServer is what the framework's protocol server implements. tf6server finds the list
// resource, action and state store RPCs by asserting that the server has them, so the wrapper keeps all
// three.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// releasingServer works around terraform-plugin-framework v1.19 keeping every RPC's cancel function
// until StopProvider (internal/proto6server/serve.go in the framework, registerContext; reproduced by
// framework_leak_test.go). Each cancel function holds its context, and through it the request's
// loggers and gRPC stream: tens of KiB per request, so a plan of thousands of objects pushed the live
// heap to the memory limit (gc.go), where the collector then took ever more CPU per object.
//
// The RPCs Terraform sends per object hand the framework a requestContext instead, which lets go of
// the request's own context once the RPC has answered: what the framework keeps shrinks to a few
// hundred bytes. The other RPCs are sent a few times per run, and the streaming ones (list resources,
// actions, state bytes) use their context after they return, so they pass through unchanged.
type releasingServer struct {
	frameworkServer
}

func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return released(ctx, req, s.frameworkServer.ValidateResourceConfig)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return released(ctx, req, s.frameworkServer.UpgradeResourceState)
}

func (s releasingServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return released(ctx, req, s.frameworkServer.UpgradeResourceIdentity)
}

func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return released(ctx, req, s.frameworkServer.ReadResource)
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return released(ctx, req, s.frameworkServer.PlanResourceChange)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return released(ctx, req, s.frameworkServer.ApplyResourceChange)
}

func (s releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return released(ctx, req, s.frameworkServer.ImportResourceState)
}

func (s releasingServer) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return released(ctx, req, s.frameworkServer.MoveResourceState)
}

func (s releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return released(ctx, req, s.frameworkServer.ValidateDataResourceConfig)
}

func (s releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return released(ctx, req, s.frameworkServer.ReadDataSource)
}

// released calls rpc with a requestContext of ctx and releases it when rpc returns.
func released[Req, Resp any](ctx context.Context, req Req, rpc func(context.Context, Req) (Resp, error)) (Resp, error) {
	rc := newRequestContext(ctx)
	defer rc.release()
	return rpc(rc, req)
}

// requestContext stands for an RPC's context while the RPC runs: values, deadline and cancellation
// are the request's. After release it answers no values and holds only the request's done channel,
// so the request's context can be collected even though the framework still holds this one.
type requestContext struct {
	parent   atomic.Pointer[context.Context] // nil once released
	done     <-chan struct{}
	deadline time.Time
	bounded  bool // deadline is set
}

func newRequestContext(ctx context.Context) *requestContext {
	rc := &requestContext{done: ctx.Done()}
	rc.deadline, rc.bounded = ctx.Deadline()
	rc.parent.Store(&ctx)
	return rc
}

// release lets go of the request's context.
func (rc *requestContext) release() { rc.parent.Store(nil) }

func (rc *requestContext) Deadline() (time.Time, bool) { return rc.deadline, rc.bounded }

func (rc *requestContext) Done() <-chan struct{} { return rc.done }

func (rc *requestContext) Err() error {
	if parent := rc.parent.Load(); parent != nil {
		return (*parent).Err()
	}
	// Released: the RPC has answered, and gRPC ends its context then.
	select {
	case <-rc.done:
		return context.Canceled
	default:
		return nil
	}
}

func (rc *requestContext) Value(key any) any {
	if parent := rc.parent.Load(); parent != nil {
		return (*parent).Value(key)
	}
	return nil
}
