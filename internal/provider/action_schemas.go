package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// ActionSchemasJSON returns the provider's action schemas in the form of the "action_schemas" of
// `terraform providers schema -json` (Terraform 1.14 and later). The documentation is generated from
// that command's output; a Terraform CLI older than 1.14 leaves the action schemas out, and
// scripts/docs.sh adds these instead, so that the documentation does not depend on the CLI's version.
func ActionSchemasJSON(ctx context.Context, version string) (map[string]any, error) {
	server, err := providerserver.NewProtocol6WithError(New(version)())()
	if err != nil {
		return nil, err
	}
	resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, err
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return nil, fmt.Errorf("provider schema: %s: %s", d.Summary, d.Detail)
		}
	}
	out := make(map[string]any, len(resp.ActionSchemas))
	for name, s := range resp.ActionSchemas {
		if s == nil || s.Schema == nil {
			continue
		}
		block, err := schemaBlockJSON(s.Schema.Block)
		if err != nil {
			return nil, fmt.Errorf("action %s: %w", name, err)
		}
		out[name] = map[string]any{"block": block}
	}
	return out, nil
}

func descriptionKind(k tfprotov6.StringKind) string {
	if k == tfprotov6.StringKindMarkdown {
		return "markdown"
	}
	return "plain"
}

// putFlags sets the boolean and text fields the JSON form leaves out when empty.
func putFlags(m map[string]any, fields map[string]any) {
	for k, v := range fields {
		switch x := v.(type) {
		case bool:
			if x {
				m[k] = true
			}
		case string:
			if x != "" {
				m[k] = x
			}
		}
	}
}

func schemaBlockJSON(b *tfprotov6.SchemaBlock) (map[string]any, error) {
	out := map[string]any{"description_kind": descriptionKind(b.DescriptionKind)}
	putFlags(out, map[string]any{"description": b.Description, "deprecated": b.Deprecated})
	if len(b.Attributes) > 0 {
		attrs, err := attributesJSON(b.Attributes)
		if err != nil {
			return nil, err
		}
		out["attributes"] = attrs
	}
	if len(b.BlockTypes) > 0 {
		types := make(map[string]any, len(b.BlockTypes))
		for _, nb := range b.BlockTypes {
			block, err := schemaBlockJSON(nb.Block)
			if err != nil {
				return nil, err
			}
			t := map[string]any{"nesting_mode": blockNesting[nb.Nesting], "block": block}
			if nb.MinItems > 0 {
				t["min_items"] = nb.MinItems
			}
			if nb.MaxItems > 0 {
				t["max_items"] = nb.MaxItems
			}
			types[nb.TypeName] = t
		}
		out["block_types"] = types
	}
	return out, nil
}

var (
	blockNesting = map[tfprotov6.SchemaNestedBlockNestingMode]string{
		tfprotov6.SchemaNestedBlockNestingModeSingle: "single", tfprotov6.SchemaNestedBlockNestingModeList: "list",
		tfprotov6.SchemaNestedBlockNestingModeSet: "set", tfprotov6.SchemaNestedBlockNestingModeMap: "map",
		tfprotov6.SchemaNestedBlockNestingModeGroup: "group",
	}
	objectNesting = map[tfprotov6.SchemaObjectNestingMode]string{
		tfprotov6.SchemaObjectNestingModeSingle: "single", tfprotov6.SchemaObjectNestingModeList: "list",
		tfprotov6.SchemaObjectNestingModeSet: "set", tfprotov6.SchemaObjectNestingModeMap: "map",
	}
)

func attributesJSON(attrs []*tfprotov6.SchemaAttribute) (map[string]any, error) {
	out := make(map[string]any, len(attrs))
	for _, a := range attrs {
		m := map[string]any{"description_kind": descriptionKind(a.DescriptionKind)}
		putFlags(m, map[string]any{
			"description": a.Description, "deprecated": a.Deprecated, "required": a.Required, "optional": a.Optional,
			"computed": a.Computed, "sensitive": a.Sensitive, "write_only": a.WriteOnly,
		})
		if a.Type != nil {
			typ, err := typeJSON(a.Type)
			if err != nil {
				return nil, fmt.Errorf("attribute %s: %w", a.Name, err)
			}
			m["type"] = typ
		}
		if a.NestedType != nil {
			nested, err := attributesJSON(a.NestedType.Attributes)
			if err != nil {
				return nil, err
			}
			m["nested_type"] = map[string]any{"attributes": nested, "nesting_mode": objectNesting[a.NestedType.Nesting]}
		}
		out[a.Name] = m
	}
	return out, nil
}

// typeJSON is a type in Terraform's JSON type notation: "string", ["list", "string"],
// ["object", {"name": "string"}], ...
func typeJSON(t tftypes.Type) (any, error) {
	switch {
	case t.Is(tftypes.String):
		return "string", nil
	case t.Is(tftypes.Number):
		return "number", nil
	case t.Is(tftypes.Bool):
		return "bool", nil
	case t.Is(tftypes.DynamicPseudoType):
		return "dynamic", nil
	}
	switch c := t.(type) {
	case tftypes.List:
		return collectionJSON("list", c.ElementType)
	case tftypes.Set:
		return collectionJSON("set", c.ElementType)
	case tftypes.Map:
		return collectionJSON("map", c.ElementType)
	case tftypes.Object:
		attrs := make(map[string]any, len(c.AttributeTypes))
		for name, at := range c.AttributeTypes {
			j, err := typeJSON(at)
			if err != nil {
				return nil, err
			}
			attrs[name] = j
		}
		if len(c.OptionalAttributes) == 0 {
			return []any{"object", attrs}, nil
		}
		optional := make([]string, 0, len(c.OptionalAttributes))
		for name := range c.OptionalAttributes {
			optional = append(optional, name)
		}
		slices.Sort(optional)
		return []any{"object", attrs, optional}, nil
	case tftypes.Tuple:
		elems := make([]any, len(c.ElementTypes))
		for i, et := range c.ElementTypes {
			j, err := typeJSON(et)
			if err != nil {
				return nil, err
			}
			elems[i] = j
		}
		return []any{"tuple", elems}, nil
	}
	return nil, fmt.Errorf("unsupported type %s", t)
}

func collectionJSON(kind string, elem tftypes.Type) (any, error) {
	j, err := typeJSON(elem)
	if err != nil {
		return nil, err
	}
	return []any{kind, j}, nil
}
