package directory

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Input validation of directory objects. The flat entity validator
// (internal/emulator/wire/validate.go) knows strings, booleans and enums only;
// directory objects also carry string lists, timestamps and nested objects, so they
// use this small converter-based variant.

// property is one property of a directory type.
type property struct {
	name     string
	conv     func(name string, v any) (any, error) // called for non-null values
	required bool                                  // must be present on create
	readOnly bool                                  // ignored on API input, accepted from seed files
	nullable bool                                  // null allowed (stored as null, or [] for lists)
	list     bool
}

type objectType struct {
	name  string // "microsoft.graph.user"
	props []property
}

func (dt *objectType) prop(name string) *property {
	for i := range dt.props {
		if dt.props[i].name == name {
			return &dt.props[i]
		}
	}
	return nil
}

// validate checks a body and returns the converted values. Instance annotations are
// skipped (the caller reads the ones it understands); extra lists keys the caller
// handles itself (seed-file "members", "manager"). seed accepts read-only properties.
func (dt *objectType) validate(body map[string]any, create, seed bool, extra ...string) (map[string]any, error) {
	out := map[string]any{}
	for k, v := range body {
		if strings.Contains(k, "@") || slices.Contains(extra, k) {
			continue
		}
		ps := dt.prop(k)
		if ps == nil {
			return nil, BadRequest(fmt.Sprintf("Property '%s' does not exist as a declared property or extension property of type '%s'.", k, dt.name))
		}
		if ps.readOnly && !seed {
			continue
		}
		if v == nil {
			if !ps.nullable {
				return nil, BadRequest(fmt.Sprintf("Invalid value specified for property '%s' of resource '%s': a null value is not allowed.", k, shortType(dt.name)))
			}
			if ps.list {
				out[k] = []any{}
			} else {
				out[k] = nil
			}
			continue
		}
		nv, err := ps.conv(k, v)
		if err != nil {
			return nil, err
		}
		out[k] = nv
	}
	if create {
		for _, ps := range dt.props {
			if _, ok := out[ps.name]; ps.required && !ok {
				return nil, BadRequest(fmt.Sprintf("Property '%s' is required when creating the object of type '%s'.", ps.name, dt.name))
			}
		}
	}
	return out, nil
}

func shortType(name string) string { return strings.TrimPrefix(name, "microsoft.graph.") }

func typeError(name string, v any, edm string) error {
	b, _ := json.Marshal(v)
	return BadRequest(fmt.Sprintf("Invalid value specified for property '%s': cannot convert the literal '%s' to the expected type '%s'.", name, strings.Trim(string(b), `"`), edm))
}

// ---- converters ----

func convString(name string, v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, typeError(name, v, "Edm.String")
	}
	return s, nil
}

func convNonEmpty(name string, v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, typeError(name, v, "Edm.String")
	}
	if strings.TrimSpace(s) == "" {
		return nil, BadRequest(fmt.Sprintf("Invalid value specified for property '%s': the value must not be empty.", name))
	}
	return s, nil
}

func convBool(name string, v any) (any, error) {
	switch b := v.(type) {
	case bool:
		return b, nil
	case string:
		switch strings.ToLower(b) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return nil, typeError(name, v, "Edm.Boolean")
}

func convGUID(name string, v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, typeError(name, v, "Edm.Guid")
	}
	if _, err := uuid.Parse(s); err != nil || len(s) != 36 {
		return nil, typeError(name, v, "Edm.Guid")
	}
	return strings.ToLower(s), nil
}

// convTime accepts RFC 3339 timestamps and stores them in UTC with Z.
func convTime(name string, v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, typeError(name, v, "Edm.DateTimeOffset")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil, typeError(name, v, "Edm.DateTimeOffset")
	}
	return t.UTC().Format(time.RFC3339Nano), nil
}

func convStringList(name string, v any) (any, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, typeError(name, v, "Collection(Edm.String)")
	}
	out := make([]any, 0, len(arr))
	for _, x := range arr {
		s, ok := x.(string)
		if !ok {
			return nil, typeError(name, x, "Edm.String")
		}
		out = append(out, s)
	}
	return out, nil
}

// convEnumString matches case-insensitively and stores the canonical spelling.
func convEnumString(values ...string) func(string, any) (any, error) {
	return func(name string, v any) (any, error) {
		s, ok := v.(string)
		if !ok {
			return nil, typeError(name, v, "Edm.String")
		}
		for _, m := range values {
			if strings.EqualFold(m, s) {
				return m, nil
			}
		}
		return nil, BadRequest(fmt.Sprintf("Invalid value specified for property '%s': '%s'. Valid values: %s.", name, s, strings.Join(values, ", ")))
	}
}

// convObject validates a nested object against its own properties.
func convObject(typeName string, props []property) func(string, any) (any, error) {
	dt := &objectType{name: typeName, props: props}
	return func(name string, v any) (any, error) {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, typeError(name, v, typeName)
		}
		return dt.validate(m, true, false)
	}
}

func convObjectList(typeName string, props []property) func(string, any) (any, error) {
	one := convObject(typeName, props)
	return func(name string, v any) (any, error) {
		arr, ok := v.([]any)
		if !ok {
			return nil, typeError(name, v, "Collection("+typeName+")")
		}
		out := make([]any, 0, len(arr))
		for _, x := range arr {
			o, err := one(name, x)
			if err != nil {
				return nil, err
			}
			out = append(out, o)
		}
		return out, nil
	}
}

// Shorthands for the property tables.
func strProp(name string) property { return property{name: name, conv: convString, nullable: true} }
func requiredProp(name string) property {
	return property{name: name, conv: convNonEmpty, required: true}
}
func readOnlyProp(name string, conv func(string, any) (any, error)) property {
	return property{name: name, conv: conv, readOnly: true, nullable: true}
}
func listProp(name string) property {
	return property{name: name, conv: convStringList, nullable: true, list: true}
}
