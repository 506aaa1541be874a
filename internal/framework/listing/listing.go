// Package listing streams the results of the list resources (terraform query, Terraform 1.14 and later):
// one result per Graph object, with its display name and its resource identity and, when the query asks
// for the resource (include_resource), the state the resource's import and Read give, so that the
// configuration Terraform generates from it imports with an empty plan.
package listing

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/identity"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// Spec says how the objects of one resource type become list results.
type Spec[T any] struct {
	// What names the objects in error summaries, e.g. "catalogs".
	What string
	// NewResource is the resource's constructor: its ImportState and Read give the resource state.
	NewResource func() resource.Resource
	// Identity is the resource's identity; Key gives each of its attributes for an object.
	Identity identity.Spec
	Key      func(T) map[string]string
	// DisplayName is what terraform query shows for the object.
	DisplayName func(T) string
	// Keep, when set, drops the objects it refuses: the filters Graph cannot apply itself.
	Keep func(T) bool
}

// Base is what every list resource keeps from Configure: the provider data its resources need.
type Base struct {
	ProviderData any
}

// Configure keeps the provider data and checks that it is the provider's.
func (b *Base) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	b.ProviderData = req.ProviderData
	framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

// Ready reports whether the provider is configured; a list resource answers an error result otherwise.
func (b *Base) Ready(stream *list.ListResultsStream) bool {
	var diags diag.Diagnostics
	if framework.ClientFrom(b.ProviderData, &diags) != nil {
		return true
	}
	diags.AddError("Provider not configured", "The list resource was called before the provider was configured. This is a bug in the provider; please report it.")
	stream.Results = list.ListResultsStreamDiagnostics(diags)
	return false
}

// Stream turns objects into list results: at most req.Limit of them (no limit when 0), stopping the
// walk (and so the paging) once the limit is reached. A Graph error ends the stream with a diagnostic
// that carries Graph's code, message and request ids.
func Stream[T any](ctx context.Context, req list.ListRequest, providerData any, objects iter.Seq2[T, error], s Spec[T]) iter.Seq[list.ListResult] {
	return func(push func(list.ListResult) bool) {
		var sent int64
		for obj, err := range objects {
			if err != nil {
				var diags diag.Diagnostics
				diagnostics.AddAPIError(&diags, "Unable to list "+s.What, err)
				push(list.ListResult{Diagnostics: diags})
				return
			}
			if s.Keep != nil && !s.Keep(obj) {
				continue
			}
			result, ok := s.result(ctx, req, providerData, obj)
			if !ok {
				continue // gone between the list and the read
			}
			sent++
			if !push(result) || (req.Limit > 0 && sent >= req.Limit) {
				return
			}
		}
	}
}

// result is one object's list result; false when the resource's Read found the object gone.
func (s Spec[T]) result(ctx context.Context, req list.ListRequest, providerData any, obj T) (list.ListResult, bool) {
	result := req.NewListResult(ctx)
	result.DisplayName = s.DisplayName(obj)
	key := s.Key(obj)
	for _, a := range s.Identity {
		result.Diagnostics.Append(result.Identity.SetAttribute(ctx, path.Root(a.Name), key[a.Name])...)
	}
	if !req.IncludeResource || result.Diagnostics.HasError() {
		return result, true
	}
	state, id, diags := ReadAsImported(ctx, s.NewResource(), providerData, req, result.Identity)
	result.Diagnostics.Append(diags...)
	if diags.HasError() {
		return result, true
	}
	if state.Raw.IsNull() {
		return result, false
	}
	result.Resource = &tfsdk.Resource{Raw: state.Raw, Schema: state.Schema}
	result.Identity = id
	return result, true
}

// ReadAsImported gives the state and identity an import of the object with this identity gives: the
// resource's ImportState from the identity (as an import block with identity runs it), then its Read. A
// null state means Read found the object gone.
func ReadAsImported(ctx context.Context, r resource.Resource, providerData any, req list.ListRequest, id *tfsdk.ResourceIdentity) (tfsdk.State, *tfsdk.ResourceIdentity, diag.Diagnostics) {
	var diags diag.Diagnostics
	empty := tfsdk.State{Raw: tftypes.NewValue(req.ResourceSchema.Type().TerraformType(ctx), nil), Schema: req.ResourceSchema}
	if c, ok := r.(resource.ResourceWithConfigure); ok {
		var resp resource.ConfigureResponse
		c.Configure(ctx, resource.ConfigureRequest{ProviderData: providerData}, &resp)
		diags.Append(resp.Diagnostics...)
	}
	importer, ok := r.(resource.ResourceWithImportState)
	if !ok {
		diags.AddError("Resource cannot be imported", "The resource has no import. This is a bug in the provider; please report it.")
	}
	if diags.HasError() {
		return empty, id, diags
	}
	imported := resource.ImportStateResponse{State: empty, Identity: copyIdentity(id)}
	importer.ImportState(ctx, resource.ImportStateRequest{Identity: copyIdentity(id)}, &imported)
	diags.Append(imported.Diagnostics...)
	if diags.HasError() {
		return empty, id, diags
	}
	read := resource.ReadResponse{State: imported.State, Identity: copyIdentity(imported.Identity)}
	r.Read(ctx, resource.ReadRequest{State: imported.State, Identity: copyIdentity(imported.Identity)}, &read)
	diags.Append(read.Diagnostics...)
	return read.State, read.Identity, diags
}

func copyIdentity(id *tfsdk.ResourceIdentity) *tfsdk.ResourceIdentity {
	return &tfsdk.ResourceIdentity{Raw: id.Raw.Copy(), Schema: id.Schema}
}

// Config reads the list block's config into a model; on failure the stream answers the diagnostics.
func Config[M any](ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) (M, bool) {
	var m M
	diags := req.Config.Get(ctx, &m)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return m, false
	}
	return m, true
}

// Client is the Graph client of the provider data (Ready has checked it).
func (b *Base) Client() *graph.Client {
	var diags diag.Diagnostics
	return framework.ClientFrom(b.ProviderData, &diags)
}
