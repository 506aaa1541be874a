package graphmeta

import (
	"encoding/json"
	"reflect"
	"strings"
)

// Walker checks Go structs of the client against the digest, through a Checker.
//
// A plain struct is checked field by field: each JSON tag must be a property of the Graph type (or its
// base types), nested structs are checked against the property's type, and Go kinds must fit the
// property's kind. A struct listed in Variants stands for several types of a hierarchy (the @odata.type
// leaves it writes): each variant must derive from the Graph type, and its tagged fields may be
// properties of any type of the hierarchy. A struct with its own MarshalJSON is also marshalled, once per
// variant, from a sample with every field set (fields tagged omitempty left empty), and the JSON it
// produces is checked strictly with CheckJSON: this is what the client puts on the wire.
type Walker struct {
	C        *Checker
	Variants map[reflect.Type][]string
	// Visited holds the names of the Go struct types walked.
	Visited map[string]bool
	seen    map[string]bool
}

var marshalerType = reflect.TypeFor[json.Marshaler]()

// Walk checks the Go type t as the Graph type typ; where names it in findings.
func (w *Walker) Walk(where string, t reflect.Type, typ string) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return
	}
	if w.seen == nil {
		w.seen, w.Visited = map[string]bool{}, map[string]bool{}
	}
	w.Visited[t.Name()] = true
	key := t.String() + " as " + typ
	if w.seen[key] {
		return
	}
	w.seen[key] = true
	if !w.C.HasType(where, typ) {
		return
	}
	w.C.UseType(typ)
	variants, poly := w.Variants[t]
	for _, v := range variants {
		w.C.ResolveType(where+"[@odata.type "+v+"]", v, typ)
	}
	custom := t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType)
	if custom {
		for i := range w.sampleCount() {
			sample := reflect.New(t).Elem()
			w.fill(sample, i, 0)
			b, err := json.Marshal(sample.Interface())
			if err != nil {
				w.C.fail(where, "marshal a sample: %v", err)
				continue
			}
			var v any
			if err := json.Unmarshal(b, &v); err != nil {
				w.C.fail(where, "decode a sample: %v", err)
				continue
			}
			w.C.CheckJSON(where, v, typ)
		}
	}
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous {
			continue
		}
		tag, hasTag := f.Tag.Lookup("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" || (custom && !hasTag) {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if name == "@odata.type" {
			poly = true
			continue
		}
		fieldWhere := where + "." + f.Name
		var pt string
		var ok bool
		if poly || w.hasTypeField(t) {
			pt, ok = w.C.PropertyInHierarchy(fieldWhere, typ, name)
		} else {
			pt, ok = w.C.Property(fieldWhere, typ, name)
		}
		if !ok {
			continue
		}
		w.checkKind(fieldWhere, f.Type, pt)
		el, _ := ElementType(pt)
		if w.C.d.Types[el] != nil {
			w.Walk(fieldWhere, f.Type, el)
		}
	}
}

func (w *Walker) hasTypeField(t reflect.Type) bool {
	for _, f := range reflect.VisibleFields(t) {
		if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag == "@odata.type" {
			return true
		}
	}
	return false
}

// checkKind compares a Go field's kind with a property's type.
func (w *Walker) checkKind(where string, t reflect.Type, propType string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	el, coll := ElementType(propType)
	if t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8 {
		if !coll {
			w.C.fail(where, "a Go %s where a single %s belongs", t, propType)
			return
		}
		w.checkKind(where, t.Elem(), el)
		return
	}
	if coll {
		w.C.fail(where, "a Go %s where %s belongs", t, propType)
		return
	}
	want := jsonKind(el)
	if w.C.d.Enums[el] != nil {
		want = "string"
	}
	if w.C.d.Types[el] != nil {
		want = "object"
	}
	got := ""
	switch t.Kind() {
	case reflect.String:
		got = "string"
	case reflect.Bool:
		got = "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint16,
		reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		got = "number"
	case reflect.Struct, reflect.Map:
		got = "object"
	}
	if want != "" && got != "" && want != got {
		w.C.fail(where, "a Go %s (JSON %s) where %s belongs", t, got, propType)
	}
}

func (w *Walker) sampleCount() int {
	n := 1
	for _, v := range w.Variants {
		n = max(n, len(v))
	}
	return n
}

// fill sets every field of v: strings to SampleString, numbers to 1, booleans to true, one element in
// slices, pointers to filled values, a variant's Type field to variant i. In a struct with its own
// MarshalJSON, fields tagged omitempty stay empty (the caller sets only those of one variant).
func (w *Walker) fill(v reflect.Value, i, depth int) {
	if depth > 6 {
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(SampleString)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		w.fill(p.Elem(), i, depth+1)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		w.fill(s.Index(0), i, depth+1)
		v.Set(s)
	case reflect.Struct:
		t := v.Type()
		custom := t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType)
		for _, f := range reflect.VisibleFields(t) {
			if !f.IsExported() || f.Anonymous {
				continue
			}
			if tag := f.Tag.Get("json"); custom && strings.Contains(tag, "omitempty") {
				continue
			}
			fv := v.FieldByIndex(f.Index)
			w.fill(fv, i, depth+1)
		}
		if variants := w.Variants[t]; len(variants) > 0 {
			if f := v.FieldByName("Type"); f.IsValid() && f.Kind() == reflect.String {
				f.SetString(variants[i%len(variants)])
			}
		}
	}
}
