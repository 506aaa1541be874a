// Package conformance replays the request and response examples of the Microsoft Graph v1.0
// reference pages against the local governance API (internal/emulator).
//
// The local API encodes our own reading of Graph; the documented examples are the oracle. Each
// corpus file under testdata/ transcribes the examples of one reference page
// (https://learn.microsoft.com/en-us/graph/api/<name>?view=graph-rest-1.0, source text in
// https://github.com/microsoftgraph/microsoft-graph-docs-contrib/tree/main/api-reference/v1.0/api):
// the request (method, path, body), the documented status and the documented response body. The
// replay substitutes real ids for the pages' placeholder ids, sends the request and requires the
// documented status and every documented response property with its documented JSON type, and the
// values the request determines.
//
// A case the local API is known to answer differently carries a "divergence" marker; the replay
// then requires that it still fails, so a marker can never hide a passing case.
package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// File is one corpus file: the examples of one reference page.
type File struct {
	// Page is the public reference page, https://learn.microsoft.com/en-us/graph/api/<name>?view=graph-rest-1.0.
	Page string `json:"page"`
	// Source is the page's source file and the commit it was transcribed from.
	Source string `json:"source"`
	Cases  []Case `json:"cases"`

	name string // file name, for messages
}

// Step is one request of a case's setup: it creates the objects whose ids replace the page's
// placeholders. Its response body is kept under Name for ${Name.path} references.
type Step struct {
	Name   string `json:"name,omitempty"`
	Method string `json:"method"`
	Path   string `json:"path"`
	Body   any    `json:"body,omitempty"`
	Status int    `json:"status"`
}

// Case is one documented example.
type Case struct {
	// Example is the request block's name on the page (its "name" annotation).
	Example string `json:"example"`
	// Endpoint is the provider's endpoint the example exercises, as in Endpoints.
	Endpoint string `json:"endpoint"`
	Setup    []Step `json:"setup,omitempty"`
	Method   string `json:"method"`
	Path     string `json:"path"`
	Body     any    `json:"body,omitempty"`
	// Status is the documented status code.
	Status int `json:"status"`
	// Response is the documented response body (absent when the page shows none). References
	// in its values are expanded like the request's, for exact checks of ids the setup made.
	Response any `json:"response,omitempty"`
	// ValuesFrom names the setup step whose request body determines the response values (for
	// reads; for a documented collection, the values of each documented element); empty means
	// the case's own body.
	ValuesFrom string `json:"valuesFrom,omitempty"`
	// Exact lists dotted paths of the documented response whose documented value must be
	// answered as is (values the service determines, such as a default state).
	Exact []string `json:"exact,omitempty"`
	// Unchecked lists dotted paths of the documented response that are not required, each with
	// the reason: the page contradicts itself (for example a beta property name in a v1.0
	// example), or the property belongs to an object state the replay cannot reach. Each path
	// must exist in the documented response.
	Unchecked map[string]string `json:"unchecked,omitempty"`
	// Note records how the case departs from the page's literal text beyond placeholder ids
	// (for example a request the page shows only in its HTTP request section).
	Note string `json:"note,omitempty"`
	// Divergence, when set, says in one line how the local API is known to differ: the case must
	// still fail (a refused setup step counts, when the page's example needs that setup).
	Divergence string `json:"divergence,omitempty"`
}

// Name is the corpus file's name without its extension (the page's name).
func (f *File) Name() string { return strings.TrimSuffix(f.name, ".json") }

// Label names a case in messages: "<page URL> <example>".
func (f *File) Label(c *Case) string { return f.Page + " " + c.Example }

// LoadDir reads every *.json corpus file of dir, sorted by name.
func LoadDir(dir string) ([]*File, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []*File
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		f, err := Parse(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Base(n), err)
		}
		f.name = filepath.Base(n)
		out = append(out, f)
	}
	return out, nil
}

var pageURL = regexp.MustCompile(`^https://learn\.microsoft\.com/en-us/graph/api/(resources/)?[a-z0-9-]+\?view=graph-rest-1\.0$`)

// Parse decodes one corpus file strictly and checks that it is well formed.
func Parse(b []byte) (*File, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	if !pageURL.MatchString(f.Page) {
		return nil, fmt.Errorf("page %q is not a v1.0 reference page URL", f.Page)
	}
	if !strings.HasPrefix(f.Source, "microsoftgraph/microsoft-graph-docs-contrib/api-reference/v1.0/") {
		return nil, fmt.Errorf("source %q is not a v1.0 page of microsoftgraph/microsoft-graph-docs-contrib", f.Source)
	}
	if len(f.Cases) == 0 {
		return nil, fmt.Errorf("no cases")
	}
	seen := map[string]bool{}
	for i := range f.Cases {
		c := &f.Cases[i]
		if c.Example == "" || c.Method == "" || c.Path == "" || c.Status == 0 || c.Endpoint == "" {
			return nil, fmt.Errorf("case %d: example, endpoint, method, path and status are required", i)
		}
		if seen[c.Example] {
			return nil, fmt.Errorf("case %q appears twice", c.Example)
		}
		seen[c.Example] = true
		if _, ok := EndpointByKey(c.Endpoint); !ok {
			return nil, fmt.Errorf("case %q: endpoint %q is not in the endpoint table", c.Example, c.Endpoint)
		}
		if m, _, _ := strings.Cut(c.Endpoint, " "); m != c.Method {
			return nil, fmt.Errorf("case %q: method %s differs from its endpoint %q", c.Example, c.Method, c.Endpoint)
		}
		names := map[string]bool{}
		for _, s := range c.Setup {
			if s.Name != "" {
				names[s.Name] = true
			}
		}
		if c.ValuesFrom != "" && !names[c.ValuesFrom] {
			return nil, fmt.Errorf("case %q: valuesFrom %q names no setup step", c.Example, c.ValuesFrom)
		}
		for _, p := range c.Exact {
			if _, ok := Lookup(c.Response, p); !ok {
				return nil, fmt.Errorf("case %q: exact path %q is not in the documented response", c.Example, p)
			}
		}
		for p, why := range c.Unchecked {
			if _, ok := Lookup(c.Response, p); !ok || why == "" {
				return nil, fmt.Errorf("case %q: unchecked path %q must be in the documented response and carry a reason", c.Example, p)
			}
		}
	}
	return &f, nil
}

var varRef = regexp.MustCompile(`\$\{([^}]+)\}`)

// Vars resolves ${name} and ${step.dotted.path} references.
type Vars struct {
	Plain map[string]string // seeded ids and fixed values
	Steps map[string]any    // setup step name -> decoded response body
}

// Resolve returns the value of one reference.
func (v *Vars) Resolve(ref string) (string, error) {
	if s, ok := v.Plain[ref]; ok {
		return s, nil
	}
	step, path, _ := strings.Cut(ref, ".")
	body, ok := v.Steps[step]
	if !ok || path == "" {
		return "", fmt.Errorf("unknown reference ${%s}", ref)
	}
	val, ok := Lookup(body, path)
	if !ok {
		return "", fmt.Errorf("${%s}: the response of step %q has no %s", ref, step, path)
	}
	switch x := val.(type) {
	case string:
		return x, nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(x), nil
	}
	return "", fmt.Errorf("${%s} is not a scalar", ref)
}

// Expand replaces every reference in s.
func (v *Vars) Expand(s string) (string, error) {
	var firstErr error
	out := varRef.ReplaceAllStringFunc(s, func(m string) string {
		r, err := v.Resolve(m[2 : len(m)-1])
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return r
	})
	return out, firstErr
}

// ExpandJSON returns a copy of a decoded JSON value with the references of every string
// (values, not keys) replaced.
func (v *Vars) ExpandJSON(x any) (any, error) {
	switch t := x.(type) {
	case string:
		return v.Expand(t)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			r, err := v.ExpandJSON(e)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			r, err := v.ExpandJSON(e)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	return x, nil
}

// Lookup follows a dotted path (object keys, array indexes) through a decoded JSON value.
// Keys containing dots, such as "@odata.type", are matched whole before splitting.
func Lookup(x any, path string) (any, bool) {
	if path == "" {
		return x, true
	}
	switch t := x.(type) {
	case map[string]any:
		// Try the longest key prefix first so "@odata.type" resolves as one key.
		for i := len(path); i > 0; i-- {
			if i < len(path) && path[i] != '.' {
				continue
			}
			if e, ok := t[path[:i]]; ok {
				rest := ""
				if i < len(path) {
					rest = path[i+1:]
				}
				return Lookup(e, rest)
			}
		}
	case []any:
		head, rest, _ := strings.Cut(path, ".")
		n, err := strconv.Atoi(head)
		if err != nil || n < 0 || n >= len(t) {
			return nil, false
		}
		return Lookup(t[n], rest)
	}
	return nil, false
}

// jsonType names the JSON type of a decoded value.
func jsonType(x any) string {
	switch x.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64, json.Number:
		return "number"
	case bool:
		return "boolean"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return fmt.Sprintf("%T", x)
}

// valueFree reports whether a property's value is not determined by the request: ids,
// references and timestamps.
func valueFree(key string) bool {
	return key == "id" || strings.HasSuffix(key, "Id") || strings.HasSuffix(key, "DateTime") ||
		key == "@odata.id" || key == "@odata.context" || key == "@odata.etag" || key == "@odata.nextLink"
}

// Compare checks an actual response body against a documented one. Every property the documented
// body shows must be present in actual with the same JSON type (a documented null accepts any
// type). The paths in exact must hold the documented value. Elsewhere, where determined (the
// request body, or the body that created the object) holds a scalar at the same place, the
// actual value must equal it unless the property is an id, reference or timestamp. The paths
// in skip are not checked. Each documented array element must match some answered element (not
// necessarily a distinct one; order is free). It returns one message per difference.
func Compare(doc, actual, determined any, exact, skip []string) []string {
	c := comparer{exact: set(exact), skip: set(skip)}
	return c.compare("", "", doc, actual, determined)
}

type comparer struct{ exact, skip map[string]bool }

func set(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (c comparer) compare(path, key string, doc, actual, det any) []string {
	if c.skip[path] {
		return nil
	}
	shown := path
	if shown == "" {
		shown = "(body)"
	}
	if doc == nil {
		return nil
	}
	if dt, at := jsonType(doc), jsonType(actual); dt != at {
		return []string{fmt.Sprintf("%s: documented %s, answered %s (%s)", shown, dt, at, brief(actual))}
	}
	switch d := doc.(type) {
	case map[string]any:
		a, _ := actual.(map[string]any) // same JSON type as doc, checked above
		dm, _ := det.(map[string]any)
		keys := make([]string, 0, len(d))
		for k := range d {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var out []string
		for _, k := range keys {
			p := join(path, k)
			if c.skip[p] {
				continue
			}
			av, ok := a[k]
			if !ok {
				out = append(out, fmt.Sprintf("%s: documented, missing from the answer", p))
				continue
			}
			out = append(out, c.compare(p, k, d[k], av, dm[k])...)
		}
		return out
	case []any:
		a, _ := actual.([]any) // same JSON type as doc, checked above
		da, _ := det.([]any)
		var out []string
		for i, de := range d {
			p := join(path, strconv.Itoa(i))
			if c.skip[p] { // an unchecked element is not required, not even in an empty answer
				continue
			}
			var di any
			if i < len(da) {
				di = da[i]
			}
			var firstDiff []string
			matched := false
			for j, ae := range a {
				diff := c.compare(p, key, de, ae, di)
				if len(diff) == 0 {
					matched = true
					break
				}
				if j == i || firstDiff == nil {
					firstDiff = diff
				}
			}
			switch {
			case matched:
			case len(a) == 0:
				out = append(out, fmt.Sprintf("%s: documented element, the answered array is empty", p))
			default:
				out = append(out, fmt.Sprintf("%s: no answered element matches the documented one; nearest: %s", p, strings.Join(firstDiff, "; ")))
			}
		}
		return out
	}
	// A scalar of the documented type.
	if c.exact[path] {
		if key == "@odata.type" {
			doc, actual = trimHash(doc), trimHash(actual)
		}
		if !sameScalar(doc, actual) {
			return []string{fmt.Sprintf("%s: documented %s, answered %s", shown, brief(doc), brief(actual))}
		}
		return nil
	}
	if key == "@odata.type" {
		// The leading '#' of a type annotation is syntax: the pages write it either way.
		actual = trimHash(actual)
		if det != nil {
			det = trimHash(det)
		}
	}
	if det != nil && !valueFree(key) && isScalar(det) && !sameScalar(det, actual) {
		return []string{fmt.Sprintf("%s: the request set %s, answered %s", shown, brief(det), brief(actual))}
	}
	return nil
}

func isScalar(x any) bool {
	switch x.(type) {
	case string, float64, bool:
		return true
	}
	return false
}

// sameScalar compares two scalars; a string "true"/"false"/number sent where the schema has a
// boolean or number (the pages do this, and Graph accepts it) equals the typed value.
func sameScalar(want, got any) bool {
	if want == got {
		return true
	}
	ws, ok := want.(string)
	if !ok {
		return false
	}
	switch g := got.(type) {
	case bool:
		return strings.EqualFold(ws, strconv.FormatBool(g))
	case float64:
		f, err := strconv.ParseFloat(ws, 64)
		return err == nil && f == g
	}
	return false
}

func brief(x any) string {
	b, err := json.Marshal(x)
	if err != nil {
		return fmt.Sprint(x)
	}
	if len(b) > 120 {
		return string(b[:117]) + "..."
	}
	return string(b)
}

func trimHash(x any) any {
	if s, ok := x.(string); ok {
		return strings.TrimPrefix(s, "#")
	}
	return x
}
