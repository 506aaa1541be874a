package donothing_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/entragov/terraform-provider-entragov/internal/bench/donothing"
	entragov "github.com/entragov/terraform-provider-entragov/internal/provider"
)

// The baseline is only honest if it serves exactly our resource types with our schemas and identities:
// otherwise the harness would subtract the cost of other schemas from the provider's.
func TestServesTheRealSchemas(t *testing.T) {
	ctx := context.Background()
	ours, fake := entragov.New("test")(), donothing.New(entragov.New("test"))()
	var realMeta, fakeMeta provider.MetadataResponse
	ours.Metadata(ctx, provider.MetadataRequest{}, &realMeta)
	fake.Metadata(ctx, provider.MetadataRequest{}, &fakeMeta)
	if realMeta.TypeName != fakeMeta.TypeName {
		t.Fatalf("type name %q, want %q", fakeMeta.TypeName, realMeta.TypeName)
	}
	realResources, fakeResources := ours.Resources(ctx), fake.Resources(ctx)
	if len(realResources) != len(fakeResources) || len(realResources) == 0 {
		t.Fatalf("%d resources, want %d", len(fakeResources), len(realResources))
	}
	for i := range realResources {
		r, f := realResources[i](), fakeResources[i]()
		var rm, fm resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "entragov"}, &rm)
		f.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "entragov"}, &fm)
		if rm.TypeName != fm.TypeName {
			t.Fatalf("resource %d is %q, want %q", i, fm.TypeName, rm.TypeName)
		}
		var rs, fs resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &rs)
		f.Schema(ctx, resource.SchemaRequest{}, &fs)
		if !rs.Schema.Type().TerraformType(ctx).Equal(fs.Schema.Type().TerraformType(ctx)) || rs.Schema.Version != fs.Schema.Version {
			t.Errorf("%s: the do-nothing schema differs from the real one", rm.TypeName)
		}
		_, realHasIdentity := r.(resource.ResourceWithIdentity)
		fi, fakeHasIdentity := f.(resource.ResourceWithIdentity)
		if realHasIdentity != fakeHasIdentity {
			t.Errorf("%s: identity %v, want %v", rm.TypeName, fakeHasIdentity, realHasIdentity)
		}
		if realHasIdentity {
			var ri, fis resource.IdentitySchemaResponse
			r.(resource.ResourceWithIdentity).IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &ri)
			fi.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &fis)
			if !ri.IdentitySchema.Type().TerraformType(ctx).Equal(fis.IdentitySchema.Type().TerraformType(ctx)) {
				t.Errorf("%s: the identity schema differs", rm.TypeName)
			}
		}
	}
}
