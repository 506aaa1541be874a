// Package donothing is the do-nothing provider of the performance harness (internal/bench): it serves the
// real provider's resource schemas, identity schemas and provider schema, but its Read keeps the prior
// state and it calls nothing. A plan run against it costs what Terraform, the plugin protocol and the
// plugin framework spend on our schemas; the harness reports the real provider's cost above that as the
// provider's own (issue 18: "an honest physical-limit baseline").
//
// It is a harness tool only: it is built by make bench into a temporary directory and never shipped.
package donothing

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// New wraps the real provider: the same type name, provider schema and resource types.
func New(newProvider func() provider.Provider) func() provider.Provider {
	return func() provider.Provider { return &doNothing{real: newProvider()} }
}

type doNothing struct{ real provider.Provider }

func (p *doNothing) Metadata(ctx context.Context, req provider.MetadataRequest, resp *provider.MetadataResponse) {
	p.real.Metadata(ctx, req, resp)
}

func (p *doNothing) Schema(ctx context.Context, req provider.SchemaRequest, resp *provider.SchemaResponse) {
	p.real.Schema(ctx, req, resp)
}

// Configure signs in nowhere: what the real provider spends on settings and sign-in is its own cost.
func (p *doNothing) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *doNothing) Resources(ctx context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	for _, newReal := range p.real.Resources(ctx) {
		out = append(out, func() resource.Resource { return wrap(newReal()) })
	}
	return out
}

// DataSources is empty: the harness's configurations read none.
func (p *doNothing) DataSources(context.Context) []func() datasource.DataSource { return nil }

// wrap keeps the real resource's schemas; a resource with an identity keeps it too, so that state
// written by the real provider is read back unchanged.
func wrap(wrapped resource.Resource) resource.Resource {
	r := &keepState{real: wrapped}
	if withIdentity, ok := wrapped.(resource.ResourceWithIdentity); ok {
		return &keepStateWithIdentity{keepState: r, identity: withIdentity}
	}
	return r
}

// keepState's Read leaves the prior state as it is (the framework starts the response from it).
type keepState struct{ real resource.Resource }

func (r *keepState) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	r.real.Metadata(ctx, req, resp)
}

func (r *keepState) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	r.real.Schema(ctx, req, resp)
}

func (r *keepState) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (r *keepState) Create(_ context.Context, _ resource.CreateRequest, resp *resource.CreateResponse) {
	resp.Diagnostics.AddError("Do-nothing provider", "The performance harness's do-nothing provider makes no changes; run only plans against it.")
}

func (r *keepState) Update(_ context.Context, _ resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.AddError("Do-nothing provider", "The performance harness's do-nothing provider makes no changes; run only plans against it.")
}

func (r *keepState) Delete(_ context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	resp.Diagnostics.AddError("Do-nothing provider", "The performance harness's do-nothing provider makes no changes; run only plans against it.")
}

type keepStateWithIdentity struct {
	*keepState
	identity resource.ResourceWithIdentity
}

func (r *keepStateWithIdentity) IdentitySchema(ctx context.Context, req resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	r.identity.IdentitySchema(ctx, req, resp)
}

// Read keeps the prior state and identity. State written by Terraform before 1.12 holds no identity, and
// the framework refuses a read that answers without one: as the real resources do
// (internal/framework/identity), each identity attribute is then copied from the state attribute of the
// same name.
func (r *keepStateWithIdentity) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if resp.Identity == nil || !resp.Identity.Raw.IsFullyNull() || req.State.Raw.IsNull() {
		return
	}
	var schema resource.IdentitySchemaResponse
	r.identity.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &schema)
	for name := range schema.IdentitySchema.Attributes {
		var v types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(name), &v)...)
		resp.Diagnostics.Append(resp.Identity.SetAttribute(ctx, path.Root(name), v)...)
	}
}
