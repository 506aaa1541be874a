package schematypes_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entragov/terraform-provider-entragov/internal/framework/schematypes"
)

func testSchema() schema.Schema {
	leaf := map[string]schema.Attribute{
		"name":  schema.StringAttribute{Optional: true},
		"count": schema.Int64Attribute{Optional: true},
		"tags":  schema.SetAttribute{ElementType: types.StringType, Optional: true},
	}
	return schema.Schema{Attributes: map[string]schema.Attribute{
		"id": schema.StringAttribute{Computed: true},
		"single": schema.SingleNestedAttribute{Optional: true, Attributes: map[string]schema.Attribute{
			"list": schema.ListNestedAttribute{Optional: true, NestedObject: schema.NestedAttributeObject{Attributes: leaf}},
		}},
		"set": schema.SetNestedAttribute{Optional: true, NestedObject: schema.NestedAttributeObject{Attributes: leaf}},
		"map": schema.MapNestedAttribute{Optional: true, NestedObject: schema.NestedAttributeObject{Attributes: leaf}},
	}}
}

// The cached types are exactly those the framework derives, at every depth, so values and paths
// convert as before.
func TestCache(t *testing.T) {
	ctx := context.Background()
	plain := testSchema()
	want := plain.Type()

	cached := schematypes.Cache(plain)
	if got := cached.Type(); !got.Equal(want) {
		t.Fatalf("cached schema type\n%v\nwant\n%v", got, want)
	}
	for name, a := range cached.Attributes {
		if !a.GetType().Equal(plain.Attributes[name].GetType()) {
			t.Errorf("%s: type changed", name)
		}
	}
	single := cached.Attributes["single"].(schema.SingleNestedAttribute)
	if single.CustomType == nil {
		t.Fatal("single nested attribute has no cached type")
	}
	list := single.Attributes["list"].(schema.ListNestedAttribute)
	if list.CustomType == nil || list.NestedObject.CustomType == nil {
		t.Fatal("a nested attribute below the top level has no cached type")
	}
	for _, name := range []string{"set", "map"} {
		var objType any
		switch a := cached.Attributes[name].(type) {
		case schema.SetNestedAttribute:
			objType = a.NestedObject.CustomType
		case schema.MapNestedAttribute:
			objType = a.NestedObject.CustomType
		}
		if objType == nil {
			t.Errorf("%s: nested object has no cached type", name)
		}
	}
	// A path into the cached schema resolves to the same type.
	path := tftypes.NewAttributePath().WithAttributeName("single").WithAttributeName("list").WithElementKeyInt(0).WithAttributeName("tags")
	gotType, err := cached.TypeAtTerraformPath(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	wantType, err := plain.TypeAtTerraformPath(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if !gotType.Equal(wantType) {
		t.Errorf("type at %s: %v, want %v", path, gotType, wantType)
	}
	// Validation of the schema itself still passes.
	if diags := cached.ValidateImplementation(ctx); diags.HasError() {
		t.Errorf("cached schema fails validation: %v", diags)
	}
}

// markerType is a custom object type the schema author chose.
type markerType struct{ basetypes.ObjectType }

// A custom type the schema author chose is left alone.
func TestCacheKeepsCustomTypes(t *testing.T) {
	leaf := map[string]schema.Attribute{"name": schema.StringAttribute{Optional: true}}
	marker := markerType{basetypes.ObjectType{AttrTypes: map[string]attr.Type{"name": types.StringType}}}
	s := schema.Schema{Attributes: map[string]schema.Attribute{
		"custom": schema.SingleNestedAttribute{Optional: true, Attributes: leaf, CustomType: marker},
	}}
	got := schematypes.Cache(s).Attributes["custom"].(schema.SingleNestedAttribute).CustomType
	if _, ok := got.(markerType); !ok {
		t.Fatalf("custom type replaced by %T", got)
	}
}
