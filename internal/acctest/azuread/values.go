package azuread

import (
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The resources of this stand-in work on plain Go values, as the SDKv2 resources of the real
// provider work on d.Get: an object is a map[string]any, a list (of blocks or values) an
// []any, strings, bools and numbers (int) their Go types, null nil.

func toGo(v tftypes.Value) (any, error) {
	// Unknown values (Optional+Computed arguments left out of the plan) read as absent.
	if !v.IsKnown() || v.IsNull() {
		return nil, nil
	}
	switch {
	case v.Type().Is(tftypes.String):
		var s string
		err := v.As(&s)
		return s, err
	case v.Type().Is(tftypes.Bool):
		var b bool
		err := v.As(&b)
		return b, err
	case v.Type().Is(tftypes.Number):
		var f big.Float
		if err := v.As(&f); err != nil {
			return nil, err
		}
		i, _ := f.Int64()
		return int(i), nil
	case v.Type().Is(tftypes.List{}), v.Type().Is(tftypes.Set{}):
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return nil, err
		}
		out := make([]any, 0, len(elems))
		for _, e := range elems {
			g, err := toGo(e)
			if err != nil {
				return nil, err
			}
			out = append(out, g)
		}
		return out, nil
	case v.Type().Is(tftypes.Object{}):
		var attrs map[string]tftypes.Value
		if err := v.As(&attrs); err != nil {
			return nil, err
		}
		out := make(map[string]any, len(attrs))
		for k, a := range attrs {
			g, err := toGo(a)
			if err != nil {
				return nil, err
			}
			out[k] = g
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported type %s", v.Type())
}

// fromGo builds a value of type t. Absent primitives become their zero value and absent
// lists empty lists, as the SDKv2 provider writes them to state; absent objects are null.
func fromGo(g any, t tftypes.Type) (tftypes.Value, error) {
	switch {
	case t.Is(tftypes.String):
		s, _ := g.(string)
		return tftypes.NewValue(t, s), nil
	case t.Is(tftypes.Bool):
		b, _ := g.(bool)
		return tftypes.NewValue(t, b), nil
	case t.Is(tftypes.Number):
		switch n := g.(type) {
		case int:
			return tftypes.NewValue(t, big.NewFloat(float64(n))), nil
		case float64:
			return tftypes.NewValue(t, big.NewFloat(n)), nil
		}
		return tftypes.NewValue(t, big.NewFloat(0)), nil
	case t.Is(tftypes.List{}):
		lt, ok := t.(tftypes.List)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("unsupported type %s", t)
		}
		et := lt.ElementType
		l, _ := g.([]any)
		elems := make([]tftypes.Value, 0, len(l))
		for _, e := range l {
			v, err := fromGo(e, et)
			if err != nil {
				return tftypes.Value{}, err
			}
			elems = append(elems, v)
		}
		return tftypes.NewValue(t, elems), nil
	case t.Is(tftypes.Object{}):
		m, ok := g.(map[string]any)
		if !ok || m == nil {
			return tftypes.NewValue(t, nil), nil
		}
		ot, ok := t.(tftypes.Object)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("unsupported type %s", t)
		}
		attrs := make(map[string]tftypes.Value, len(ot.AttributeTypes))
		for k, at := range ot.AttributeTypes {
			v, err := fromGo(m[k], at)
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("%s: %w", k, err)
			}
			attrs[k] = v
		}
		return tftypes.NewValue(t, attrs), nil
	}
	return tftypes.Value{}, fmt.Errorf("unsupported type %s", t)
}

// Accessors in the style of d.Get on a map.

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func boolean(m map[string]any, k string) bool {
	b, _ := m[k].(bool)
	return b
}

func integer(m map[string]any, k string) int {
	n, _ := m[k].(int)
	return n
}

func list(m map[string]any, k string) []any {
	l, _ := m[k].([]any)
	return l
}

// first is the one element of a MaxItems 1 block, or nil.
func first(m map[string]any, k string) map[string]any {
	l := list(m, k)
	if len(l) == 0 {
		return nil
	}
	o, _ := l[0].(map[string]any)
	return o
}
