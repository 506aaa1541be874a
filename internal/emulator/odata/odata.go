// Package odata implements the OData query options of the emulator's Graph paths:
// $filter (the subset Graph's governance APIs accept), $expand (against navigation
// tables the Graph areas declare), $select, $top, $count and $skiptoken paging.
// It imports store (the records it pages) and wire.
package odata

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// ---- $filter ----
//
// Only the shapes the provider and the documented examples use are understood:
// comparisons `prop eq|ne literal`, `contains|startswith|endswith(prop or tolower(prop), 'x')`,
// combined with and/or and parentheses. Anything else is "Invalid filter clause".

// Filter is a parsed $filter; Eval tells whether a stored object matches.
type Filter interface {
	Eval(obj map[string]any) bool
}

type boolOp struct {
	and  bool
	l, r Filter
}

func (b boolOp) Eval(o map[string]any) bool {
	if b.and {
		return b.l.Eval(o) && b.r.Eval(o)
	}
	return b.l.Eval(o) || b.r.Eval(o)
}

type cmpExpr struct {
	path []string
	neg  bool
	val  any // string, bool, float64 or nil
}

func (c cmpExpr) Eval(o map[string]any) bool {
	v := lookupPath(o, c.path)
	var eq bool
	switch want := c.val.(type) {
	case nil:
		eq = v == nil
	case string:
		s, ok := v.(string)
		// Strings compare case-insensitively, like Graph's collation does for names and GUIDs.
		eq = ok && strings.EqualFold(s, want)
	case bool:
		b, ok := v.(bool)
		eq = ok && b == want
	case float64:
		f, ok := ToFloat(v)
		eq = ok && f == want
	}
	return eq != c.neg
}

type strFunc struct {
	fn    string // contains, startswith, endswith
	path  []string
	lower bool // tolower()/toupper() wrapped the property: compare case-insensitively
	val   string
}

func (f strFunc) Eval(o map[string]any) bool {
	s, ok := lookupPath(o, f.path).(string)
	if !ok {
		return false
	}
	val := f.val
	if f.lower {
		s, val = strings.ToLower(s), strings.ToLower(val)
	}
	switch f.fn {
	case "contains":
		return strings.Contains(s, val)
	case "startswith":
		return strings.HasPrefix(s, val)
	default:
		return strings.HasSuffix(s, val)
	}
}

func lookupPath(o map[string]any, path []string) any {
	var cur any = o
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

// ToFloat reads a JSON number however it was decoded.
func ToFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}

type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tString
	tNumber
	tLParen
	tRParen
	tComma
)

type token struct {
	kind tokKind
	text string
}

func lexFilter(s string) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '(':
			out = append(out, token{tLParen, "("})
			i++
		case c == ')':
			out = append(out, token{tRParen, ")"})
			i++
		case c == ',':
			out = append(out, token{tComma, ","})
			i++
		case c == '\'':
			var b strings.Builder
			i++
			for {
				if i >= len(s) {
					return nil, fmt.Errorf("unterminated string")
				}
				if s[i] == '\'' {
					if i+1 < len(s) && s[i+1] == '\'' { // '' escapes a quote
						b.WriteByte('\'')
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(s[i])
				i++
			}
			out = append(out, token{tString, b.String()})
		case c == '-' || (c >= '0' && c <= '9'):
			var tok token
			tok, i = lexNumber(s, i) // relational.go
			out = append(out, tok)
		case IsIdentByte(c):
			j := i
			for j < len(s) && (IsIdentByte(s[j]) || s[j] == '/' || s[j] == '.' || (s[j] >= '0' && s[j] <= '9')) {
				j++
			}
			out = append(out, token{tIdent, s[i:j]})
			i = j
		default:
			return nil, fmt.Errorf("unexpected %q", c)
		}
	}
	return append(out, token{kind: tEOF}), nil
}

// IsIdentByte reports whether c may appear in an OData identifier.
func IsIdentByte(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

type filterParser struct {
	toks  []token
	pos   int
	props map[string]string // lower-case property path -> stored path
}

// ParseFilter parses a $filter against the filterable properties of a collection
// (given as their canonical paths, e.g. "displayName", "catalog/id").
func ParseFilter(s string, filterable []string) (Filter, error) {
	toks, err := lexFilter(s)
	if err != nil {
		return nil, err
	}
	p := &filterParser{toks: toks, props: map[string]string{}}
	for _, f := range filterable {
		p.props[strings.ToLower(f)] = f
	}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tEOF {
		return nil, fmt.Errorf("unexpected %q", p.peek().text)
	}
	return e, nil
}

func (p *filterParser) peek() token { return p.toks[p.pos] }
func (p *filterParser) next() token { t := p.toks[p.pos]; p.pos++; return t }

func (p *filterParser) keyword(k string) bool {
	if t := p.peek(); t.kind == tIdent && strings.EqualFold(t.text, k) {
		p.pos++
		return true
	}
	return false
}

func (p *filterParser) expect(k tokKind, what string) error {
	if p.next().kind != k {
		return fmt.Errorf("expected %s", what)
	}
	return nil
}

func (p *filterParser) or() (Filter, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.keyword("or") {
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = boolOp{and: false, l: l, r: r}
	}
	return l, nil
}

func (p *filterParser) and() (Filter, error) {
	l, err := p.primary()
	if err != nil {
		return nil, err
	}
	for p.keyword("and") {
		r, err := p.primary()
		if err != nil {
			return nil, err
		}
		l = boolOp{and: true, l: l, r: r}
	}
	return l, nil
}

func (p *filterParser) property(name string) ([]string, error) {
	canon, ok := p.props[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("property %q cannot be filtered", name)
	}
	return strings.Split(canon, "/"), nil
}

func (p *filterParser) primary() (Filter, error) {
	t := p.next()
	switch t.kind {
	case tLParen:
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		return e, p.expect(tRParen, ")")
	case tIdent:
	default:
		return nil, fmt.Errorf("unexpected %q", t.text)
	}
	if fn := strings.ToLower(t.text); fn == "contains" || fn == "startswith" || fn == "endswith" {
		if err := p.expect(tLParen, "("); err != nil {
			return nil, err
		}
		f := strFunc{fn: fn}
		arg := p.next()
		if arg.kind != tIdent {
			return nil, fmt.Errorf("expected a property")
		}
		if l := strings.ToLower(arg.text); l == "tolower" || l == "toupper" {
			f.lower = true
			if err := p.expect(tLParen, "("); err != nil {
				return nil, err
			}
			if arg = p.next(); arg.kind != tIdent {
				return nil, fmt.Errorf("expected a property")
			}
			if err := p.expect(tRParen, ")"); err != nil {
				return nil, err
			}
		}
		path, err := p.property(arg.text)
		if err != nil {
			return nil, err
		}
		f.path = path
		if err := p.expect(tComma, ","); err != nil {
			return nil, err
		}
		lit := p.next()
		if lit.kind != tString {
			return nil, fmt.Errorf("expected a string literal")
		}
		f.val = lit.text
		return f, p.expect(tRParen, ")")
	}
	path, err := p.property(t.text)
	if err != nil {
		return nil, err
	}
	c := cmpExpr{path: path}
	switch {
	case p.keyword("eq"):
	case p.keyword("ne"):
		c.neg = true
	case p.keyword("has"): // flags enums such as lifecycle task categories
		return p.hasFlag(path)
	default:
		if op, ok := p.orderingOp(); ok { // relational.go
			return relational(path, op, p.next())
		}
		return nil, fmt.Errorf("expected eq, ne, lt, le, gt, ge or has")
	}
	lit := p.next()
	switch {
	case lit.kind == tString:
		c.val = lit.text
	case lit.kind == tNumber:
		f, err := strconv.ParseFloat(lit.text, 64)
		if err != nil {
			return nil, err
		}
		c.val = f
	case lit.kind == tIdent && strings.EqualFold(lit.text, "true"):
		c.val = true
	case lit.kind == tIdent && strings.EqualFold(lit.text, "false"):
		c.val = false
	case lit.kind == tIdent && strings.EqualFold(lit.text, "null"):
		c.val = nil
	case lit.kind == tDateTime:
		op := "eq"
		if c.neg {
			op = "ne"
		}
		return relational(path, op, lit)
	default:
		return nil, fmt.Errorf("expected a literal")
	}
	return c, nil
}

// ---- query options, paging ----

// QueryOption reads a system query option; names are matched case-insensitively.
func QueryOption(q url.Values, name string) (string, bool) {
	for k, v := range q {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0], true
		}
	}
	return "", false
}

// EncodeSkipToken makes a $skiptoken, opaque to clients; inside it carries the last seq served, so paging
// stays correct when objects are added or removed between pages.
func EncodeSkipToken(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("s1:" + strconv.FormatInt(seq, 10)))
}

// DecodeSkipToken reverses EncodeSkipToken; false for a token it did not make.
func DecodeSkipToken(tok string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	n, ok := strings.CutPrefix(string(b), "s1:")
	if !ok {
		return 0, false
	}
	seq, err := strconv.ParseInt(n, 10, 64)
	return seq, err == nil
}

// listOptions is what a collection handler needs to know from the query.
// Query holds the collection options of a request: $filter, $top (the page size),
// $skiptoken, $count and $select.
type Query struct {
	Filter  Filter
	Top     int
	After   int64 // seq of the last item already served
	Count   bool
	Selects []string
}

// ParseQuery reads the collection options of r; pageSize applies when $top is absent.
func ParseQuery(r *http.Request, filterable []string, pageSize int) (*Query, error) {
	q := r.URL.Query()
	cq := &Query{Top: pageSize}
	if f, ok := QueryOption(q, "$filter"); ok && strings.TrimSpace(f) != "" {
		e, err := ParseFilter(f, filterable)
		if err != nil {
			return nil, wire.BadRequest("Invalid filter clause: " + err.Error())
		}
		cq.Filter = e
	}
	if t, ok := QueryOption(q, "$top"); ok {
		n, err := strconv.Atoi(t)
		if err != nil || n < 1 || n > 999 {
			return nil, wire.BadRequest("Invalid page size specified: '" + t + "'. Must be between 1 and 999 inclusive.")
		}
		// $top sets the page size; more items are reachable through nextLink, as in
		// Graph's directory APIs.
		cq.Top = n
	}
	if t, ok := QueryOption(q, "$skiptoken"); ok {
		seq, ok := DecodeSkipToken(t)
		if !ok {
			return nil, wire.BadRequest("The specified page token value has expired or is invalid.")
		}
		cq.After = seq
	}
	if c, ok := QueryOption(q, "$count"); ok && strings.EqualFold(c, "true") {
		cq.Count = true
	}
	cq.Selects = SelectList(r)
	return cq, nil
}

// SelectList returns the $select property names ($select is honoured, not validated).
func SelectList(r *http.Request) []string {
	sel, _ := QueryOption(r.URL.Query(), "$select")
	var out []string
	for _, p := range strings.Split(sel, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ApplySelect keeps id, annotations and the selected properties (case-insensitive).
func ApplySelect(obj map[string]any, selects []string) map[string]any {
	if len(selects) == 0 {
		return obj
	}
	out := map[string]any{}
	for k, v := range obj {
		if k == "id" || strings.Contains(k, "@") {
			out[k] = v
			continue
		}
		for _, s := range selects {
			if strings.EqualFold(s, k) {
				out[k] = v
			}
		}
	}
	return out
}

// WriteCollection filters, pages and writes {"@odata.context", "value", "@odata.nextLink"}.
func WriteCollection(w http.ResponseWriter, r *http.Request, cq *Query, recs []*store.Record, contextPath string, decorate func(map[string]any) map[string]any) {
	var matched []*store.Record
	for _, rec := range recs {
		if cq.Filter == nil || cq.Filter.Eval(rec.Body) {
			matched = append(matched, rec)
		}
	}
	total := len(matched)
	var page []*store.Record
	for _, rec := range matched {
		if rec.Seq > cq.After {
			page = append(page, rec)
		}
	}
	more := len(page) > cq.Top
	if more {
		page = page[:cq.Top]
	}
	values := make([]map[string]any, 0, len(page))
	for _, rec := range page {
		obj := rec.Body
		if decorate != nil {
			obj = decorate(obj)
		}
		values = append(values, ApplySelect(obj, cq.Selects))
	}
	base := wire.BaseURL(r)
	out := map[string]any{"@odata.context": base + "/v1.0/$metadata#" + contextPath}
	if cq.Count && cq.After == 0 {
		out["@odata.count"] = total
	}
	out["value"] = values
	if more {
		q := r.URL.Query()
		for k := range q {
			if strings.EqualFold(k, "$skiptoken") {
				delete(q, k)
			}
		}
		q.Set("$skiptoken", EncodeSkipToken(page[len(page)-1].Seq))
		// Keep '$' literal as Graph does; %24 and $ decode the same.
		out["@odata.nextLink"] = base + r.URL.Path + "?" + strings.ReplaceAll(q.Encode(), "%24", "$")
	}
	wire.WriteJSON(w, http.StatusOK, out)
}

// flagsHas is `prop has 'member'` on a flags enum stored as "a,b,c".
type flagsHas struct {
	path   []string
	member string
}

func (f flagsHas) Eval(o map[string]any) bool {
	s, _ := lookupPath(o, f.path).(string)
	for _, m := range strings.Split(s, ",") {
		if strings.EqualFold(strings.TrimSpace(m), f.member) {
			return true
		}
	}
	return false
}

// hasFlag parses the literal after `has`: 'joiner' or an enum literal
// microsoft.graph.identityGovernance.lifecycleTaskCategory'joiner'.
func (p *filterParser) hasFlag(path []string) (Filter, error) {
	lit := p.next()
	if lit.kind == tIdent && p.peek().kind == tString {
		lit = p.next()
	}
	if lit.kind != tString {
		return nil, fmt.Errorf("expected a string literal after has")
	}
	return flagsHas{path: path, member: lit.text}, nil
}

// CaseInsensitive makes startswith/endswith/contains compare without case, as
// directory queries do (eq already does).
func CaseInsensitive(e Filter) Filter {
	switch x := e.(type) {
	case boolOp:
		return boolOp{and: x.and, l: CaseInsensitive(x.l), r: CaseInsensitive(x.r)}
	case strFunc:
		x.lower = true
		return x
	}
	return e
}

// HasEqConjunct reports whether a `prop eq literal` comparison is a conjunct of
// the filter (so it constrains every result).
func HasEqConjunct(f Filter, prop string) bool {
	switch e := f.(type) {
	case cmpExpr:
		return !e.neg && len(e.path) == 1 && e.path[0] == prop
	case boolOp:
		if e.and {
			return HasEqConjunct(e.l, prop) || HasEqConjunct(e.r, prop)
		}
		return HasEqConjunct(e.l, prop) && HasEqConjunct(e.r, prop)
	}
	return false
}

// Selects reports whether $select (sel) names the property name.
func Selects(sel []string, name string) bool {
	for _, s := range sel {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	return false
}
