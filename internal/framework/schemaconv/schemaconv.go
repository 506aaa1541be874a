// Package schemaconv derives a data source schema from a resource schema, so that a data source shows
// exactly the attributes its resource manages and the two can share one model and one flatten.
package schemaconv

import (
	"fmt"
	"strings"

	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// DataSource turns every attribute of r into a computed one, except the top-level attributes named in
// lookups, which become Optional+Computed and keep their validators (they select the object).
func DataSource(r rschema.Schema, description string, lookups map[string][]validator.String) dschema.Schema {
	attrs := make(map[string]dschema.Attribute, len(r.Attributes))
	for name, a := range r.Attributes {
		converted := attribute(a)
		if v, isLookup := lookups[name]; isLookup {
			s, ok := converted.(dschema.StringAttribute)
			if !ok {
				panic(fmt.Sprintf("schemaconv: lookup attribute %q is not a string", name))
			}
			s.Optional, s.Validators = true, v
			converted = s
		}
		attrs[name] = converted
	}
	return dschema.Schema{MarkdownDescription: description, Attributes: attrs}
}

func attribute(a rschema.Attribute) dschema.Attribute {
	desc := readOnlyDescription(a.GetMarkdownDescription())
	switch t := a.(type) {
	case rschema.StringAttribute:
		return dschema.StringAttribute{Computed: true, CustomType: t.CustomType, MarkdownDescription: desc}
	case rschema.BoolAttribute:
		return dschema.BoolAttribute{Computed: true, CustomType: t.CustomType, MarkdownDescription: desc}
	case rschema.Int64Attribute:
		return dschema.Int64Attribute{Computed: true, CustomType: t.CustomType, MarkdownDescription: desc}
	case rschema.ListAttribute:
		return dschema.ListAttribute{Computed: true, ElementType: t.ElementType, CustomType: t.CustomType, MarkdownDescription: desc}
	case rschema.SetAttribute:
		return dschema.SetAttribute{Computed: true, ElementType: t.ElementType, CustomType: t.CustomType, MarkdownDescription: desc}
	case rschema.MapAttribute:
		return dschema.MapAttribute{Computed: true, ElementType: t.ElementType, CustomType: t.CustomType, MarkdownDescription: desc}
	case rschema.SingleNestedAttribute:
		return dschema.SingleNestedAttribute{Computed: true, Attributes: attributes(t.Attributes), MarkdownDescription: desc}
	case rschema.ListNestedAttribute:
		return dschema.ListNestedAttribute{Computed: true, NestedObject: dschema.NestedAttributeObject{Attributes: attributes(t.NestedObject.Attributes)}, MarkdownDescription: desc}
	case rschema.SetNestedAttribute:
		return dschema.SetNestedAttribute{Computed: true, NestedObject: dschema.NestedAttributeObject{Attributes: attributes(t.NestedObject.Attributes)}, MarkdownDescription: desc}
	case rschema.MapNestedAttribute:
		return dschema.MapNestedAttribute{Computed: true, NestedObject: dschema.NestedAttributeObject{Attributes: attributes(t.NestedObject.Attributes)}, MarkdownDescription: desc}
	}
	panic(fmt.Sprintf("schemaconv: unsupported attribute type %T", a))
}

func attributes(in map[string]rschema.Attribute) map[string]dschema.Attribute {
	out := make(map[string]dschema.Attribute, len(in))
	for name, a := range in {
		out[name] = attribute(a)
	}
	return out
}

// resourceOnlySentences start the sentences of a resource attribute's description that are about
// managing it (defaults, in-place changes, replacement), which a data source's reader has no use for.
var resourceOnlySentences = []string{
	"Changes in place", "Changing ", "Graph binds it at creation", "Defaults to ", "Planned as unknown",
}

// readOnlyDescription is a resource attribute's description without its resource-only sentences.
func readOnlyDescription(desc string) string {
	desc = strings.ReplaceAll(desc, ", also the import id", "")
	sentences := strings.SplitAfter(desc, ". ")
	kept := sentences[:0]
	for _, sentence := range sentences {
		drop := false
		for _, prefix := range resourceOnlySentences {
			if strings.HasPrefix(sentence, prefix) {
				drop = true
				break
			}
		}
		if !drop {
			kept = append(kept, sentence)
		}
	}
	return strings.TrimSpace(strings.Join(kept, ""))
}
