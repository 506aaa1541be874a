package lifecycle

import (
	"fmt"
	"strings"
)

// Evaluation of ruleBasedSubjectSet rules against users, for scheduled runs
// (scheduled_runs.go). ParseRule (rules.go) checks a rule when a workflow is written;
// compileRule turns a rule that passed that check into a predicate over a stored user.
// Comparisons of strings ignore case, as the directory's do; a property the user lacks
// is null; a nested property is read along its path (employeeOrgData/division).

type userPredicate func(user map[string]any) bool

// compileRule checks and compiles a scope rule.
func compileRule(rule string) (userPredicate, error) {
	if err := ParseRule(rule); err != nil {
		return nil, err
	}
	toks, err := ruleLex(rule)
	if err != nil {
		return nil, err
	}
	e := &ruleEval{toks: toks}
	pred := e.or()
	if e.err != nil {
		return nil, e.err
	}
	return pred, nil
}

// ruleEval is a compiling parser over the tokens of a rule ParseRule accepted, so it
// reports nothing but the unexpected.
type ruleEval struct {
	toks      []ruleToken
	i         int
	lambdaVar string
	err       error
}

func (e *ruleEval) peek() ruleToken { return e.toks[e.i] }
func (e *ruleEval) next() ruleToken {
	t := e.toks[e.i]
	if t.kind != tokEOF {
		e.i++
	}
	return t
}
func (e *ruleEval) keyword(k string) bool {
	if t := e.peek(); t.kind == tokIdent && strings.EqualFold(t.text, k) {
		e.i++
		return true
	}
	return false
}
func (e *ruleEval) fail(t ruleToken) userPredicate {
	if e.err == nil {
		e.err = ruleErrAt(t.pos, fmt.Sprintf("unexpected %s", ruleDescribe(t)))
	}
	return func(map[string]any) bool { return false }
}

func (e *ruleEval) or() userPredicate {
	l := e.and()
	for e.keyword("or") {
		a, b := l, e.and()
		l = func(u map[string]any) bool { return a(u) || b(u) }
	}
	return l
}

func (e *ruleEval) and() userPredicate {
	l := e.unary()
	for e.keyword("and") {
		a, b := l, e.unary()
		l = func(u map[string]any) bool { return a(u) && b(u) }
	}
	return l
}

func (e *ruleEval) unary() userPredicate {
	if e.keyword("not") {
		inner := e.unary()
		return func(u map[string]any) bool { return !inner(u) }
	}
	t := e.next()
	switch t.kind {
	case tokLParen:
		inner := e.or()
		if e.next().kind != tokRParen {
			return e.fail(t)
		}
		return inner
	case tokIdent:
	default:
		return e.fail(t)
	}
	if strings.EqualFold(t.text, "startsWith") && e.peek().kind == tokLParen {
		e.next()
		prop := e.next()
		e.next() // ,
		val := e.next()
		e.next() // )
		get := e.getter(prop.text)
		prefix := strings.ToLower(val.text)
		return func(u map[string]any) bool {
			s, ok := get(u).(string)
			return ok && strings.HasPrefix(strings.ToLower(s), prefix)
		}
	}
	if base, ok := strings.CutSuffix(strings.ToLower(t.text), "/any"); ok && e.peek().kind == tokLParen {
		e.next()
		v := e.next()
		e.next() // :
		e.lambdaVar = strings.ToLower(v.text)
		body := e.or()
		e.lambdaVar = ""
		e.next() // )
		prop := canonicalProperty(base)
		return func(u map[string]any) bool {
			items, _ := lookup(u, prop).([]any)
			for _, it := range items {
				if body(map[string]any{lambdaItem: it}) {
					return true
				}
			}
			return false
		}
	}
	get := e.getter(t.text)
	op := strings.ToLower(e.next().text)
	var vals []any
	if op == "in" {
		e.next() // (
		for {
			vals = append(vals, literalValue(e.next()))
			if e.next().kind == tokRParen {
				break
			}
		}
	} else {
		vals = []any{literalValue(e.next())}
	}
	return func(u map[string]any) bool {
		v := get(u)
		for _, want := range vals {
			if sameValue(v, want) {
				return op != "ne"
			}
		}
		return op == "ne"
	}
}

// lambdaItem is the key under which a lambda body sees the current item.
const lambdaItem = "\x00item"

// getter reads a property (or the lambda variable, or a field of it) from a user.
func (e *ruleEval) getter(name string) func(map[string]any) any {
	lower := strings.ToLower(name)
	if e.lambdaVar != "" {
		if lower == e.lambdaVar {
			return func(u map[string]any) any { return u[lambdaItem] }
		}
		if field, ok := strings.CutPrefix(lower, e.lambdaVar+"/"); ok {
			return func(u map[string]any) any {
				m, _ := u[lambdaItem].(map[string]any)
				for k, v := range m {
					if strings.EqualFold(k, field) {
						return v
					}
				}
				return nil
			}
		}
	}
	prop := canonicalProperty(lower)
	return func(u map[string]any) any { return lookup(u, prop) }
}

// canonicalProperty is the stored path of a rule property (its spelling in ruleProperties,
// or the name as written for directory extensions).
func canonicalProperty(lower string) string {
	if p, ok := ruleProperties[lower]; ok {
		return p.name
	}
	return lower
}

// lookup reads a slash-separated path, matching names without regard to case.
func lookup(obj map[string]any, path string) any {
	var cur any = obj
	for _, seg := range strings.Split(path, "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		v, found := m[seg]
		if !found {
			for k, x := range m {
				if strings.EqualFold(k, seg) {
					v, found = x, true
					break
				}
			}
		}
		if !found {
			return nil
		}
		cur = v
	}
	return cur
}

func literalValue(t ruleToken) any {
	switch {
	case t.kind == tokIdent && strings.EqualFold(t.text, "true"):
		return true
	case t.kind == tokIdent && strings.EqualFold(t.text, "false"):
		return false
	case t.kind == tokIdent && strings.EqualFold(t.text, "null"):
		return nil
	}
	return t.text // strings, GUIDs and numbers compare as text
}

func sameValue(have, want any) bool {
	switch w := want.(type) {
	case nil:
		return have == nil || have == ""
	case bool:
		b, ok := have.(bool)
		return ok && b == w
	case string:
		switch h := have.(type) {
		case string:
			return strings.EqualFold(h, w)
		case float64, int, int64:
			return fmt.Sprint(h) == w
		}
	}
	return false
}
