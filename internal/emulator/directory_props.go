package emulator

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Input validation of directory objects. The catalog validator (validate.go) knows
// strings, booleans and enums only; directory objects also carry string lists,
// timestamps and nested objects, so they use this small converter-based variant.

// dirProp is one property of a directory type.
type dirProp struct {
	name     string
	conv     func(name string, v any) (any, error) // called for non-null values
	required bool                                  // must be present on create
	readOnly bool                                  // ignored on API input, accepted from seed files
	nullable bool                                  // null allowed (stored as null, or [] for lists)
	list     bool
}

type dirType struct {
	name  string // "microsoft.graph.user"
	props []dirProp
}

func (dt *dirType) prop(name string) *dirProp {
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
func (dt *dirType) validate(body map[string]any, create, seed bool, extra ...string) (map[string]any, error) {
	out := map[string]any{}
	for k, v := range body {
		if strings.Contains(k, "@") || dirContains(extra, k) {
			continue
		}
		ps := dt.prop(k)
		if ps == nil {
			return nil, dirBadRequest(fmt.Sprintf("Property '%s' does not exist as a declared property or extension property of type '%s'.", k, dt.name))
		}
		if ps.readOnly && !seed {
			continue
		}
		if v == nil {
			if !ps.nullable {
				return nil, dirBadRequest(fmt.Sprintf("Invalid value specified for property '%s' of resource '%s': a null value is not allowed.", k, dirShortType(dt.name)))
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
				return nil, dirBadRequest(fmt.Sprintf("Property '%s' is required when creating the object of type '%s'.", ps.name, dt.name))
			}
		}
	}
	return out, nil
}

func dirShortType(name string) string { return strings.TrimPrefix(name, "microsoft.graph.") }

func dirContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func dirTypeError(name string, v any, edm string) error {
	b, _ := json.Marshal(v)
	return dirBadRequest(fmt.Sprintf("Invalid value specified for property '%s': cannot convert the literal '%s' to the expected type '%s'.", name, strings.Trim(string(b), `"`), edm))
}

// ---- converters ----

func dconvString(name string, v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, dirTypeError(name, v, "Edm.String")
	}
	return s, nil
}

func dconvNonEmpty(name string, v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, dirTypeError(name, v, "Edm.String")
	}
	if strings.TrimSpace(s) == "" {
		return nil, dirBadRequest(fmt.Sprintf("Invalid value specified for property '%s': the value must not be empty.", name))
	}
	return s, nil
}

func dconvBool(name string, v any) (any, error) {
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
	return nil, dirTypeError(name, v, "Edm.Boolean")
}

func dconvGUID(name string, v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, dirTypeError(name, v, "Edm.Guid")
	}
	if _, err := uuid.Parse(s); err != nil || len(s) != 36 {
		return nil, dirTypeError(name, v, "Edm.Guid")
	}
	return strings.ToLower(s), nil
}

// dconvTime accepts RFC 3339 timestamps and stores them in UTC with Z.
func dconvTime(name string, v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, dirTypeError(name, v, "Edm.DateTimeOffset")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil, dirTypeError(name, v, "Edm.DateTimeOffset")
	}
	return t.UTC().Format(time.RFC3339Nano), nil
}

func dconvStringList(name string, v any) (any, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, dirTypeError(name, v, "Collection(Edm.String)")
	}
	out := make([]any, 0, len(arr))
	for _, x := range arr {
		s, ok := x.(string)
		if !ok {
			return nil, dirTypeError(name, x, "Edm.String")
		}
		out = append(out, s)
	}
	return out, nil
}

// dconvEnumString matches case-insensitively and stores the canonical spelling.
func dconvEnumString(values ...string) func(string, any) (any, error) {
	return func(name string, v any) (any, error) {
		s, ok := v.(string)
		if !ok {
			return nil, dirTypeError(name, v, "Edm.String")
		}
		for _, m := range values {
			if strings.EqualFold(m, s) {
				return m, nil
			}
		}
		return nil, dirBadRequest(fmt.Sprintf("Invalid value specified for property '%s': '%s'. Valid values: %s.", name, s, strings.Join(values, ", ")))
	}
}

// dconvObject validates a nested object against its own properties.
func dconvObject(typeName string, props []dirProp) func(string, any) (any, error) {
	dt := &dirType{name: typeName, props: props}
	return func(name string, v any) (any, error) {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, dirTypeError(name, v, typeName)
		}
		return dt.validate(m, true, false)
	}
}

func dconvObjectList(typeName string, props []dirProp) func(string, any) (any, error) {
	one := dconvObject(typeName, props)
	return func(name string, v any) (any, error) {
		arr, ok := v.([]any)
		if !ok {
			return nil, dirTypeError(name, v, "Collection("+typeName+")")
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
func dpStr(name string) dirProp { return dirProp{name: name, conv: dconvString, nullable: true} }
func dpReq(name string) dirProp { return dirProp{name: name, conv: dconvNonEmpty, required: true} }
func dpRO(name string, conv func(string, any) (any, error)) dirProp {
	return dirProp{name: name, conv: conv, readOnly: true, nullable: true}
}
func dpList(name string) dirProp {
	return dirProp{name: name, conv: dconvStringList, nullable: true, list: true}
}
