package wire

// Reading of nested request bodies. Every error is a 400 BadRequest whose message
// starts with the JSON path of the offending property, e.g.
// "requestApprovalSettings.stages[1].primaryApprovers[0]: …". Inputs are accepted in
// the variants of spec section 7 (string booleans and integers, @odata.type with or
// without '#', enum members in any case) and written back canonical.

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

const GraphNamespace = "microsoft.graph."

// ---- paths and errors ----

// Index names element i of the array at base in messages.
func Index(base string, i int) string { return fmt.Sprintf("%s[%d]", base, i) }

// PathError is a 400 whose message starts with the JSON path it is about.
func PathError(path, format string, args ...any) error {
	return BadRequest(path + ": " + fmt.Sprintf(format, args...))
}

// Literal renders a JSON value for messages (strings unquoted).
func Literal(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// PathTypeError is the conversion error Graph gives for a literal of the wrong type.
func PathTypeError(path string, v any, edm string) error {
	return PathError(path, "cannot convert the literal '%s' to the expected type '%s'.", Literal(v), edm)
}

// ---- scalar conversions ----

// Bool reads an Edm.Boolean, accepting "true"/"false" strings.
func Bool(path string, v any) (bool, error) {
	switch b := v.(type) {
	case bool:
		return b, nil
	case string: // documented requests send "true"/"false" (spec 7)
		switch strings.ToLower(strings.TrimSpace(b)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return false, PathTypeError(path, v, "Edm.Boolean")
}

// Int reads an Edm.Int32, accepting numeric strings.
func Int(path string, v any) (int, error) {
	var f float64
	switch n := v.(type) {
	case json.Number:
		i, err := strconv.ParseInt(n.String(), 10, 32)
		if err != nil {
			return 0, PathTypeError(path, v, "Edm.Int32")
		}
		return int(i), nil
	case float64:
		f = n
	case int:
		return n, nil
	case int64:
		f = float64(n)
	case string: // documented requests send "1" (spec 7)
		i, err := strconv.ParseInt(strings.TrimSpace(n), 10, 32)
		if err != nil {
			return 0, PathTypeError(path, v, "Edm.Int32")
		}
		return int(i), nil
	default:
		return 0, PathTypeError(path, v, "Edm.Int32")
	}
	if f != math.Trunc(f) || f > math.MaxInt32 || f < math.MinInt32 {
		return 0, PathTypeError(path, v, "Edm.Int32")
	}
	return int(f), nil
}

// Enum reads an enum member in any case and returns its canonical spelling.
func Enum(path string, v any, members []string) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", PathTypeError(path, v, "enum")
	}
	for _, m := range members {
		if strings.EqualFold(m, strings.TrimSpace(s)) { // PascalCase accepted, camelCase written
			return m, nil
		}
	}
	return "", PathError(path, "the value '%s' is not valid. Valid values: %s.", s, strings.Join(members, ", "))
}

// Duration is an ISO 8601 duration as sent (upper-cased) and its approximate length
// (years of 365 days, months of 30 days) for comparisons.
type Duration struct {
	Text    string // as sent, canonical ISO 8601
	Seconds float64
}

var isoDurationRE = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)

// ParseDuration reads an ISO 8601 duration (Edm.Duration).
func ParseDuration(path string, v any) (Duration, error) {
	s, ok := v.(string)
	if !ok {
		return Duration{}, PathTypeError(path, v, "Edm.Duration")
	}
	up := strings.ToUpper(strings.TrimSpace(s))
	m := isoDurationRE.FindStringSubmatch(up)
	if m == nil || up == "P" || strings.HasSuffix(up, "T") {
		return Duration{}, PathError(path, "'%s' is not a valid ISO 8601 duration (for example P14D, PT8H, P1DT12H).", s)
	}
	units := []float64{365 * 86400, 30 * 86400, 7 * 86400, 86400, 3600, 60, 1}
	var secs float64
	for i, u := range units {
		if m[i+1] != "" {
			n, err := strconv.ParseFloat(m[i+1], 64)
			if err != nil {
				return Duration{}, PathError(path, "'%s' is not a valid ISO 8601 duration.", s)
			}
			secs += n * u
		}
	}
	return Duration{Text: up, Seconds: secs}, nil
}

// DateTime reads an Edm.DateTimeOffset.
func DateTime(path string, v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, PathTypeError(path, v, "Edm.DateTimeOffset")
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, PathError(path, "'%s' is not a valid timestamp; use ISO 8601 with a time zone, e.g. 2025-01-01T00:00:00Z.", s)
	}
	return t, nil
}

// Date reads an Edm.Date (YYYY-MM-DD).
func Date(path string, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", PathTypeError(path, v, "Edm.Date")
	}
	if _, err := time.Parse("2006-01-02", strings.TrimSpace(s)); err != nil {
		return "", PathError(path, "'%s' is not a valid date; use YYYY-MM-DD.", s)
	}
	return strings.TrimSpace(s), nil
}

// FormatTimestamp formats t as RFC 3339 in UTC.
func FormatTimestamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// ODataLeaf reads an @odata.type value: "#microsoft.graph.x" or "microsoft.graph.x"
// (any case) gives "x"; false when the namespace is missing.
func ODataLeaf(v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		return "", false
	}
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(s) <= len(GraphNamespace) || !strings.EqualFold(s[:len(GraphNamespace)], GraphNamespace) {
		return "", false
	}
	return s[len(GraphNamespace):], true
}

// ---- object reader ----

// Object reads one JSON object of a body, remembering which properties were read so
// done can refuse the rest. Instance annotations (keys with '@') are never refused.
type Object struct {
	Path   string
	Type   string // leaf type name, for messages
	Values map[string]any
	used   map[string]bool
}

// NewObject starts reading v, which must be a JSON object of type typ, at path.
func NewObject(path, typ string, v any) (*Object, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, PathError(path, "expected a JSON object of type 'microsoft.graph.%s', got '%s'.", typ, Literal(v))
	}
	return &Object{Path: path, Type: typ, Values: m, used: map[string]bool{}}, nil
}

// at names a property of the object in messages.
func (o *Object) At(k string) string {
	if o.Path == "" {
		return k
	}
	return o.Path + "." + k
}

// get returns a property; absent and null are both "not set".
func (o *Object) Get(k string) (any, bool) {
	o.used[k] = true
	v, ok := o.Values[k]
	return v, ok && v != nil
}

// ignore accepts read-only properties without looking at them.
func (o *Object) Ignore(keys ...string) {
	for _, k := range keys {
		o.used[k] = true
	}
}

// fixedType checks an optional @odata.type of a non-polymorphic object; alternatives
// are further accepted leaf names (derived types without extra fields).
func (o *Object) FixedType(alternatives ...string) (string, error) {
	raw, ok := o.Values["@odata.type"]
	if !ok || raw == nil {
		return o.Type, nil
	}
	leaf, ok := ODataLeaf(raw)
	if ok {
		for _, t := range append([]string{o.Type}, alternatives...) {
			if strings.EqualFold(leaf, t) {
				return t, nil
			}
		}
	}
	return "", PathError(o.At("@odata.type"), "'%s' is not valid here; expected '#microsoft.graph.%s'.", Literal(raw), o.Type)
}

// polyType reads the required @odata.type of a polymorphic object against the leaf
// names allowed; it returns the canonical leaf.
func (o *Object) PolyType(base string, members []string) (string, error) {
	raw, ok := o.Values["@odata.type"]
	if !ok || raw == nil {
		return "", PathError(o.At("@odata.type"), "the type of this '%s' is required: set @odata.type to one of %s.", base, TypeList(members))
	}
	if leaf, ok := ODataLeaf(raw); ok {
		for _, m := range members {
			if strings.EqualFold(leaf, m) {
				return m, nil
			}
		}
	}
	return "", PathError(o.At("@odata.type"), "'%s' is not a valid '%s' type; valid types: %s.", Literal(raw), base, TypeList(members))
}

// TypeList lists type leaves as #microsoft.graph.<leaf> for messages.
func TypeList(members []string) string {
	out := make([]string, len(members))
	for i, m := range members {
		out[i] = "#" + GraphNamespace + m
	}
	return strings.Join(out, ", ")
}

// Str reads a string property; required and nonEmpty refuse absent and "" values.
func (o *Object) Str(k string, required, nonEmpty bool) (string, bool, error) {
	v, ok := o.Get(k)
	if !ok {
		if required {
			return "", false, PathError(o.At(k), "the property is required on type 'microsoft.graph.%s'.", o.Type)
		}
		return "", false, nil
	}
	s, isStr := v.(string)
	if !isStr {
		return "", true, PathTypeError(o.At(k), v, "Edm.String")
	}
	if nonEmpty && strings.TrimSpace(s) == "" {
		return "", true, PathError(o.At(k), "the value must not be empty.")
	}
	return s, true, nil
}

// nullableStr returns the string or nil.
func (o *Object) NullableStr(k string) (any, error) {
	s, ok, err := o.Str(k, false, false)
	if err != nil || !ok {
		return nil, err
	}
	return s, nil
}

// Boolean reads a boolean property, def when absent.
func (o *Object) Boolean(k string, def bool) (bool, error) {
	o.used[k] = true
	v, present := o.Values[k]
	if !present {
		return def, nil
	}
	if v == nil {
		return false, PathError(o.At(k), "a null value is not allowed for a non-nullable Edm.Boolean.")
	}
	return Bool(o.At(k), v)
}

// Integer reads an integer property, def when absent.
func (o *Object) Integer(k string, def int) (int, error) {
	o.used[k] = true
	v, present := o.Values[k]
	if !present {
		return def, nil
	}
	if v == nil {
		return 0, PathError(o.At(k), "a null value is not allowed for a non-nullable Edm.Int32.")
	}
	return Int(o.At(k), v)
}

// Enum reads an enum property, def when absent.
func (o *Object) Enum(k string, members []string, def string) (string, error) {
	v, ok := o.Get(k)
	if !ok {
		return def, nil
	}
	return Enum(o.At(k), v, members)
}

// duration returns nil when the property is absent or null.
func (o *Object) Duration(k string) (*Duration, error) {
	v, ok := o.Get(k)
	if !ok {
		return nil, nil
	}
	d, err := ParseDuration(o.At(k), v)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// DateTime reads an optional Edm.DateTimeOffset property.
func (o *Object) DateTime(k string) (*time.Time, error) {
	v, ok := o.Get(k)
	if !ok {
		return nil, nil
	}
	t, err := DateTime(o.At(k), v)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// object returns the nested object reader, or nil when absent or null.
func (o *Object) Object(k, typ string) (*Object, error) {
	v, ok := o.Get(k)
	if !ok {
		return nil, nil
	}
	return NewObject(o.At(k), typ, v)
}

// array returns the elements of an array property (nil when absent or null).
func (o *Object) Array(k string) ([]any, error) {
	v, ok := o.Get(k)
	if !ok {
		return nil, nil
	}
	l, isList := v.([]any)
	if !isList {
		return nil, PathError(o.At(k), "expected a JSON array, got '%s'.", Literal(v))
	}
	return l, nil
}

// done refuses the properties that were not read.
func (o *Object) Done() error {
	keys := make([]string, 0, len(o.Values))
	for k := range o.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !o.used[k] && !strings.Contains(k, "@") {
			return PathError(o.At(k), "The property '%s' does not exist on type 'microsoft.graph.%s'. Make sure to only use property names that are defined by the type.", k, o.Type)
		}
	}
	return nil
}
