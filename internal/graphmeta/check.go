package graphmeta

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Finding is something the client sends or expects that the metadata lacks.
type Finding struct {
	Where   string // the client's side: a Go type and field path, a function, a list
	Message string
	// Name is what is missing, as an allow-list names it: "<type>/<property>", "<enum>/<member>" or a
	// type name.
	Name string
}

func (f Finding) String() string { return f.Where + ": " + f.Message }

// SampleString is the value the sample builder puts in string fields; CheckJSON does not hold it to an
// enum's members.
const SampleString = "sample"

// UnknownFutureValue is the sentinel member of Graph's evolvable enums, never sent by a client
// (https://learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations).
const UnknownFutureValue = "unknownFutureValue"

// Checker records what the client uses, against a digest: each use is checked at once (a missing
// property, type or member is a Finding) and remembered for Unhandled.
type Checker struct {
	d          *Digest
	findings   []Finding
	usedTypes  map[string]bool
	usedProps  map[string]map[string]bool // declaring type -> property
	validated  map[string]map[string]bool // enum -> members a client list allows
	typeByLeaf map[string][]string
}

// NewChecker starts a check against d.
func NewChecker(d *Digest) *Checker {
	c := &Checker{
		d: d, usedTypes: map[string]bool{}, usedProps: map[string]map[string]bool{},
		validated: map[string]map[string]bool{}, typeByLeaf: map[string][]string{},
	}
	for n := range d.Types {
		leaf := n[strings.LastIndex(n, ".")+1:]
		c.typeByLeaf[leaf] = append(c.typeByLeaf[leaf], n)
	}
	return c
}

// Digest returns the digest the checker reads.
func (c *Checker) Digest() *Digest { return c.d }

func (c *Checker) fail(where, format string, args ...any) {
	c.failNamed(where, "", format, args...)
}

func (c *Checker) failNamed(where, name, format string, args ...any) {
	c.findings = append(c.findings, Finding{Where: where, Name: name, Message: fmt.Sprintf(format, args...)})
}

// Findings returns what the client uses that the metadata lacks, sorted.
func (c *Checker) Findings() []Finding {
	out := slices.Clone(c.findings)
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return slices.CompactFunc(out, func(a, b Finding) bool { return a == b })
}

// UseType records that the client handles typ (and so its base types).
func (c *Checker) UseType(typ string) {
	for t := typ; t != "" && c.d.Types[t] != nil; t = c.d.Types[t].Base {
		c.usedTypes[t] = true
	}
}

// HasType reports whether the digest holds typ; a missing one is a finding.
func (c *Checker) HasType(where, typ string) bool {
	if c.d.Types[typ] == nil {
		c.failNamed(where, typ, "type %s is not in the metadata digest", typ)
		return false
	}
	return true
}

func (c *Checker) useProp(declaring, prop string) {
	if c.usedProps[declaring] == nil {
		c.usedProps[declaring] = map[string]bool{}
	}
	c.usedProps[declaring][prop] = true
}

// Property checks that prop is a property or navigation property of typ or of one of its base types and
// returns its type.
func (c *Checker) Property(where, typ, prop string) (string, bool) {
	if !c.HasType(where, typ) {
		return "", false
	}
	c.UseType(typ)
	decl, pt, _, ok := c.d.Lookup(typ, prop)
	if !ok {
		c.failNamed(where, typ+"/"+prop, "property %q is not on %s or its base types", prop, typ)
		return "", false
	}
	c.useProp(decl, prop)
	return pt, true
}

// PropertyInHierarchy is Property for a client struct that stands for several types of a hierarchy (a
// union of the fields of every @odata.type it reads): prop may also be on a type derived from typ.
func (c *Checker) PropertyInHierarchy(where, typ, prop string) (string, bool) {
	if !c.HasType(where, typ) {
		return "", false
	}
	c.UseType(typ)
	if decl, pt, _, ok := c.d.Lookup(typ, prop); ok {
		c.useProp(decl, prop)
		return pt, true
	}
	var names []string
	for n := range c.d.Types {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if n == typ || !c.d.IsA(n, typ) {
			continue
		}
		t := c.d.Types[n]
		if pt, ok := t.Properties[prop]; ok {
			c.useProp(n, prop)
			return pt, true
		}
		if pt, ok := t.Navigation[prop]; ok {
			c.useProp(n, prop)
			return pt, true
		}
	}
	c.failNamed(where, typ+"/"+prop, "property %q is not on %s, its base types or any type derived from it", prop, typ)
	return "", false
}

// ResolveType checks an @odata.type the client writes or a type leaf of one of its lists: name is
// "#microsoft.graph.x", "microsoft.graph.x" or a leaf "x" that names exactly one type of the digest.
// The type must be expected or derive from it. It returns the qualified name.
func (c *Checker) ResolveType(where, name, expected string) (string, bool) {
	q := strings.TrimPrefix(name, "#")
	if !strings.Contains(q, ".") {
		var matches []string
		for _, n := range c.typeByLeaf[q] {
			if expected == "" || c.d.IsA(n, expected) {
				matches = append(matches, n)
			}
		}
		sort.Strings(matches)
		switch len(matches) {
		case 0:
			c.failNamed(where, name, "type %q is not %s or a type derived from it", name, orAny(expected))
			return "", false
		case 1:
			q = matches[0]
		default:
			c.fail(where, "type %q is ambiguous: %s", name, strings.Join(matches, ", "))
			return "", false
		}
	}
	if c.d.Types[q] == nil {
		c.failNamed(where, q, "type %q is not in the metadata", name)
		return "", false
	}
	if expected != "" && !c.d.IsA(q, expected) {
		c.failNamed(where, q, "type %q does not derive from %s", name, expected)
		return "", false
	}
	c.UseType(q)
	return q, true
}

func orAny(t string) string {
	if t == "" {
		return "any type"
	}
	return t
}

// TypeList checks a client list of the types it writes for a polymorphic base (leaves or qualified
// names) and records them as handled.
func (c *Checker) TypeList(where, base string, names []string) {
	if !c.HasType(where, base) {
		return
	}
	c.UseType(base)
	for _, n := range names {
		c.ResolveType(where, n, base)
	}
}

// EnumValue checks one member the client sends or compares with. Flags enums take comma-separated
// members.
func (c *Checker) EnumValue(where, enum, member string) bool {
	e := c.d.Enums[enum]
	if e == nil {
		c.fail(where, "enum %s is not in the metadata digest", enum)
		return false
	}
	parts := []string{member}
	if e.Flags {
		parts = strings.Split(member, ",")
	}
	ok := true
	for _, p := range parts {
		if !slices.Contains(e.Members, strings.TrimSpace(p)) {
			c.failNamed(where, enum+"/"+p, "%q is not a member of enum %s", p, enum)
			ok = false
		}
	}
	return ok
}

// EnumList checks a list of values the client or the provider allows for an enum and records them as
// handled: members of the enum missing from every such list are reported by Unhandled.
func (c *Checker) EnumList(where, enum string, members []string) {
	if c.d.Enums[enum] == nil {
		c.fail(where, "enum %s is not in the metadata digest", enum)
		return
	}
	if c.validated[enum] == nil {
		c.validated[enum] = map[string]bool{}
	}
	for _, m := range members {
		if c.EnumValue(where, enum, m) {
			c.validated[enum][m] = true
		}
	}
}

// CheckJSON checks a JSON value (as decoded into any) that the client sends or reads as a typ: every
// key a property of the type (or of the type its @odata.type names), nested objects recursively, enum
// strings members of their enum, primitives of the property's kind. Keys starting with '@' other than
// @odata.type are annotations and are skipped.
func (c *Checker) CheckJSON(where string, v any, typ string) {
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			c.CheckJSON(where+"[]", e, typ)
		}
	case map[string]any:
		if !c.HasType(where, typ) {
			return
		}
		c.UseType(typ)
		if ot, ok := v["@odata.type"]; ok {
			s, _ := ot.(string)
			resolved, ok := c.ResolveType(where+".@odata.type", s, typ)
			if !ok {
				return
			}
			typ = resolved
			where += "<" + typ[strings.LastIndex(typ, ".")+1:] + ">"
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if strings.HasPrefix(k, "@") {
				continue
			}
			pt, ok := c.Property(where+"."+k, typ, k)
			if ok {
				c.checkValue(where+"."+k, v[k], pt)
			}
		}
	default:
		c.fail(where, "a JSON %T where an object of %s belongs", v, typ)
	}
}

func (c *Checker) checkValue(where string, v any, propType string) {
	if v == nil {
		return
	}
	el, coll := ElementType(propType)
	if coll {
		arr, ok := v.([]any)
		if !ok {
			c.fail(where, "a single value where %s belongs", propType)
			return
		}
		for _, e := range arr {
			c.checkValue(where+"[]", e, el)
		}
		return
	}
	if _, ok := v.([]any); ok {
		c.fail(where, "an array where %s belongs", propType)
		return
	}
	if c.d.Types[el] != nil {
		c.CheckJSON(where, v, el)
		return
	}
	if e := c.d.Enums[el]; e != nil {
		s, ok := v.(string)
		if !ok {
			c.fail(where, "a JSON %T where enum %s belongs", v, el)
		} else if s != SampleString && s != "" {
			c.EnumValue(where, el, s)
		}
		return
	}
	if want := jsonKind(el); want != "" && want != jsonKindOf(v) {
		c.fail(where, "a JSON %s where %s belongs", jsonKindOf(v), el)
	}
}

// jsonKind is the JSON kind of an Edm primitive type; "" when not checked (unknown types, types outside
// the digest such as navigation targets).
func jsonKind(edm string) string {
	switch edm {
	case "Edm.String", "Edm.DateTimeOffset", "Edm.Date", "Edm.TimeOfDay", "Edm.Duration", "Edm.Guid", "Edm.Binary":
		return "string"
	case "Edm.Boolean":
		return "boolean"
	case "Edm.Int16", "Edm.Int32", "Edm.Int64", "Edm.Byte", "Edm.SByte", "Edm.Double", "Edm.Single", "Edm.Decimal":
		return "number"
	}
	return ""
}

func jsonKindOf(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64, int, int64:
		return "number"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return fmt.Sprintf("%T", v)
}

// Unhandled lists what the client does not handle of the types it uses, as allow-list names:
//   - "<type>/<property>": a property or navigation property of a type the client uses that it neither
//     sends nor reads;
//   - "<type>": a type derived from a type the client uses (other than microsoft.graph.entity) that it
//     never writes or reads (its own properties are then not listed);
//   - "<enum>/<member>": a member of an enum the client validates against a list that no list allows
//     (unknownFutureValue excepted).
func (c *Checker) Unhandled() []string {
	var out []string
	for name, t := range c.d.Types {
		if c.usedTypes[name] {
			for p := range t.Properties {
				if !c.usedProps[name][p] {
					out = append(out, name+"/"+p)
				}
			}
			for p := range t.Navigation {
				if !c.usedProps[name][p] {
					out = append(out, name+"/"+p)
				}
			}
			continue
		}
		if t.Base != "" && t.Base != "microsoft.graph.entity" && c.usedTypes[t.Base] {
			out = append(out, name)
		}
	}
	for enum, allowed := range c.validated {
		for _, m := range c.d.Enums[enum].Members {
			if m != UnknownFutureValue && !allowed[m] {
				out = append(out, enum+"/"+m)
			}
		}
	}
	sort.Strings(out)
	return out
}
