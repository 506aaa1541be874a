package directory

import (
	"fmt"
	"strings"
)

// Dynamic membership rules, the subset the seed and tests use:
//
//	(user.department -eq "Sales") -and (user.accountEnabled -eq true)
//
// Operators -eq -ne -startsWith -notStartsWith -contains -notContains -in -notIn,
// combined with -and, -or, -not and parentheses. Only user.<property> is supported;
// string comparisons ignore case, as Entra's do.

type Rule interface {
	Match(user map[string]any) bool
}

type ruleBool struct {
	and  bool
	l, r Rule
}

func (b ruleBool) Match(u map[string]any) bool {
	if b.and {
		return b.l.Match(u) && b.r.Match(u)
	}
	return b.l.Match(u) || b.r.Match(u)
}

type ruleNot struct{ e Rule }

func (n ruleNot) Match(u map[string]any) bool { return !n.e.Match(u) }

type ruleCmp struct {
	prop string
	op   string // lower-case operator without '-'
	vals []any  // one value, or the list of -in
}

func (c ruleCmp) Match(u map[string]any) bool {
	v := u[c.prop]
	eq := func(want any) bool {
		switch w := want.(type) {
		case nil:
			return v == nil
		case bool:
			b, ok := v.(bool)
			return ok && b == w
		case string:
			s, ok := v.(string)
			return ok && strings.EqualFold(s, w)
		}
		return false
	}
	s, _ := v.(string)
	w, _ := c.vals[0].(string)
	s, w = strings.ToLower(s), strings.ToLower(w)
	switch c.op {
	case "eq":
		return eq(c.vals[0])
	case "ne":
		return !eq(c.vals[0])
	case "startswith":
		return strings.HasPrefix(s, w)
	case "notstartswith":
		return !strings.HasPrefix(s, w)
	case "contains":
		return strings.Contains(s, w)
	case "notcontains":
		return !strings.Contains(s, w)
	case "in", "notin":
		in := false
		for _, x := range c.vals {
			in = in || eq(x)
		}
		return in == (c.op == "in")
	}
	return false
}

type ruleParser struct {
	toks []string
	pos  int
}

// ParseRule parses a membershipRule.
func ParseRule(rule string) (Rule, error) {
	toks, err := lexRule(rule)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, fmt.Errorf("the rule is empty")
	}
	p := &ruleParser{toks: toks}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, fmt.Errorf("unexpected '%s'", p.toks[p.pos])
	}
	return e, nil
}

func lexRule(s string) ([]string, error) {
	var out []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.ContainsRune("()[],", rune(c)):
			out = append(out, string(c))
			i++
		case c == '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				j++
			}
			if j >= len(s) {
				return nil, fmt.Errorf("unterminated string")
			}
			out = append(out, s[i:j+1])
			i = j + 1
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\r()[],\"", rune(s[j])) {
				j++
			}
			out = append(out, s[i:j])
			i = j
		}
	}
	return out, nil
}

func (p *ruleParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *ruleParser) next() string { t := p.peek(); p.pos++; return t }

func (p *ruleParser) or() (Rule, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for strings.EqualFold(p.peek(), "-or") {
		p.pos++
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = ruleBool{l: l, r: r}
	}
	return l, nil
}

func (p *ruleParser) and() (Rule, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for strings.EqualFold(p.peek(), "-and") {
		p.pos++
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = ruleBool{and: true, l: l, r: r}
	}
	return l, nil
}

func (p *ruleParser) unary() (Rule, error) {
	t := p.next()
	switch {
	case strings.EqualFold(t, "-not"):
		e, err := p.unary()
		return ruleNot{e}, err
	case t == "(":
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.next() != ")" {
			return nil, fmt.Errorf("missing ')'")
		}
		return e, nil
	case t == "":
		return nil, fmt.Errorf("unexpected end of rule")
	}
	name, ok := strings.CutPrefix(strings.ToLower(t), "user.")
	if !ok {
		return nil, fmt.Errorf("'%s' is not a supported property (use user.<property>)", t)
	}
	var prop string
	for _, ps := range userType.props {
		if strings.EqualFold(ps.name, name) && ps.name != "passwordProfile" {
			prop = ps.name
		}
	}
	if prop == "" {
		return nil, fmt.Errorf("'%s' is not a supported property", t)
	}
	op := strings.ToLower(p.next())
	c := ruleCmp{prop: prop, op: strings.TrimPrefix(op, "-")}
	switch c.op {
	case "eq", "ne", "startswith", "notstartswith", "contains", "notcontains":
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		c.vals = []any{v}
	case "in", "notin":
		if p.next() != "[" {
			return nil, fmt.Errorf("-in needs a list [\"a\", \"b\"]")
		}
		for {
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			c.vals = append(c.vals, v)
			if t := p.next(); t == "]" {
				break
			} else if t != "," {
				return nil, fmt.Errorf("expected ',' or ']'")
			}
		}
	default:
		return nil, fmt.Errorf("'%s' is not a supported operator", op)
	}
	if !strings.HasPrefix(op, "-") {
		return nil, fmt.Errorf("'%s' is not a supported operator", op)
	}
	return c, nil
}

func (p *ruleParser) value() (any, error) {
	t := p.next()
	switch {
	case len(t) >= 2 && strings.HasPrefix(t, `"`) && strings.HasSuffix(t, `"`):
		return t[1 : len(t)-1], nil
	case strings.EqualFold(t, "true"):
		return true, nil
	case strings.EqualFold(t, "false"):
		return false, nil
	case strings.EqualFold(t, "null"):
		return nil, nil
	}
	return nil, fmt.Errorf("expected a value, got '%s'", t)
}
