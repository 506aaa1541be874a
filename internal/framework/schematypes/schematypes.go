// Package schematypes precomputes the value types of a resource schema's nested attributes.
//
// The framework derives a nested attribute's type from its child attributes each time it needs it,
// and it needs it for every value of every request: converting Terraform's data, walking paths,
// running plan modifiers. For a schema as deep as the assignment policy's that derivation was a
// fifth of the provider's CPU in a no-op plan. A nested attribute whose CustomType is set is taken
// as it is, so Cache sets CustomType to the very type the framework would have derived.
package schematypes

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Cache returns s with the type of every nested attribute, at every depth, computed once. Attributes
// that already carry a custom type keep it.
func Cache(s schema.Schema) schema.Schema {
	s.Attributes = cacheAttributes(s.Attributes)
	return s
}

func cacheAttributes(in map[string]schema.Attribute) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(in))
	for name, a := range in {
		out[name] = cacheAttribute(a)
	}
	return out
}

func cacheAttribute(a schema.Attribute) schema.Attribute {
	switch a := a.(type) {
	case schema.SingleNestedAttribute:
		a.Attributes = cacheAttributes(a.Attributes)
		if a.CustomType == nil {
			a.CustomType = objectType(a.Attributes)
		}
		return a
	case schema.ListNestedAttribute:
		a.NestedObject = cacheObject(a.NestedObject)
		if a.CustomType == nil {
			a.CustomType = types.ListType{ElemType: a.NestedObject.Type()}
		}
		return a
	case schema.SetNestedAttribute:
		a.NestedObject = cacheObject(a.NestedObject)
		if a.CustomType == nil {
			a.CustomType = types.SetType{ElemType: a.NestedObject.Type()}
		}
		return a
	case schema.MapNestedAttribute:
		a.NestedObject = cacheObject(a.NestedObject)
		if a.CustomType == nil {
			a.CustomType = types.MapType{ElemType: a.NestedObject.Type()}
		}
		return a
	default:
		return a
	}
}

func cacheObject(o schema.NestedAttributeObject) schema.NestedAttributeObject {
	o.Attributes = cacheAttributes(o.Attributes)
	if o.CustomType == nil {
		o.CustomType = objectType(o.Attributes)
	}
	return o
}

func objectType(attrs map[string]schema.Attribute) types.ObjectType {
	attrTypes := make(map[string]attr.Type, len(attrs))
	for name, a := range attrs {
		attrTypes[name] = a.GetType()
	}
	return types.ObjectType{AttrTypes: attrTypes}
}
