package lifecycle

import (
	"fmt"
	"regexp"
	"strings"
)

// RuleError is a syntax or vocabulary error in a ruleBasedSubjectSet rule. Pos is the 1-based character
// position where the problem starts.
type RuleError struct {
	Pos int
	Msg string
}

func (e *RuleError) Error() string { return fmt.Sprintf("at position %d: %s", e.Pos, e.Msg) }

// propertyType is what a rule may compare a user property with.
type propertyType int

const (
	propString propertyType = iota
	propBool
)

// ruleProperties are the user properties a rule may test (spec 2.1), by lower-case name.
var ruleProperties = func() map[string]propertyType {
	m := map[string]propertyType{}
	for _, p := range []string{
		"city", "companyName", "country", "department", "displayName", "employeeId", "employeeType",
		"employeeOrgData/costCenter", "employeeOrgData/division", "givenName", "jobTitle", "mail", "mailNickname",
		"officeLocation", "postalCode", "preferredLanguage", "state", "surname", "usageLocation",
		"userPrincipalName", "userType",
	} {
		m[strings.ToLower(p)] = propString
	}
	for i := 1; i <= 15; i++ {
		m[strings.ToLower(fmt.Sprintf("onPremisesExtensionAttributes/extensionAttribute%d", i))] = propString
	}
	m["accountenabled"] = propBool
	m["onpremisessyncenabled"] = propBool
	return m
}()

// collectionProperties may be tested only with any(); assignedPlans holds objects with these fields.
var (
	collectionProperties = map[string]bool{"othermails": true, "proxyaddresses": true, "assignedplans": true}
	assignedPlanFields   = map[string]bool{"serviceplanid": true, "capabilitystatus": true, "service": true}
	extensionAttributeRE = regexp.MustCompile(`^extension_[0-9a-fA-F]{32}_[A-Za-z0-9_]+$`)
)

// isRuleProperty reports whether name is a scalar user property a rule or an attribute trigger may use.
func isRuleProperty(name string) bool {
	_, ok := ruleProperties[strings.ToLower(name)]
	return ok || extensionAttributeRE.MatchString(name)
}

// ParseRule checks a ruleBasedSubjectSet rule: comparisons with eq, ne and in, startsWith, any() over
// otherMails, proxyAddresses and assignedPlans, combined with and, or, not and parentheses.
func ParseRule(rule string) error {
	toks, err := tokenize(rule)
	if err != nil {
		return err
	}
	p := &ruleParser{toks: toks, src: rule}
	if p.peek().kind == tokEOF {
		return &RuleError{Pos: 1, Msg: "the rule is empty"}
	}
	if err := p.expr(); err != nil {
		return err
	}
	if t := p.peek(); t.kind != tokEOF {
		return p.errAt(t, "unexpected %s after a complete expression", t.describe())
	}
	return nil
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokIdent
	tokString
	tokLParen
	tokRParen
	tokComma
	tokColon
	tokSlash
)

type token struct {
	kind tokKind
	text string // identifier text, or the unquoted string value
	pos  int    // 1-based
}

func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of rule"
	case tokString:
		return fmt.Sprintf("string '%s'", t.text)
	case tokIdent:
		return fmt.Sprintf("%q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

func (t token) is(word string) bool { return t.kind == tokIdent && strings.EqualFold(t.text, word) }

func tokenize(s string) ([]token, error) {
	var toks []token
	rs := []rune(s)
	for i := 0; i < len(rs); {
		c := rs[i]
		pos := i + 1
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			toks = append(toks, token{tokLParen, "(", pos})
			i++
		case c == ')':
			toks = append(toks, token{tokRParen, ")", pos})
			i++
		case c == ',':
			toks = append(toks, token{tokComma, ",", pos})
			i++
		case c == ':':
			toks = append(toks, token{tokColon, ":", pos})
			i++
		case c == '/':
			toks = append(toks, token{tokSlash, "/", pos})
			i++
		case c == '\'':
			var b strings.Builder
			i++
			closed := false
			for i < len(rs) {
				if rs[i] == '\'' {
					if i+1 < len(rs) && rs[i+1] == '\'' {
						b.WriteRune('\'')
						i += 2
						continue
					}
					i++
					closed = true
					break
				}
				b.WriteRune(rs[i])
				i++
			}
			if !closed {
				return nil, &RuleError{Pos: pos, Msg: "the string is not closed with a single quote (write a quote inside a string as '')"}
			}
			toks = append(toks, token{tokString, b.String(), pos})
		case c == '"':
			return nil, &RuleError{Pos: pos, Msg: "strings are quoted with single quotes ('Sales'), not double quotes"}
		case isIdentStart(c):
			j := i
			for j < len(rs) && isIdentPart(rs[j]) {
				j++
			}
			toks = append(toks, token{tokIdent, string(rs[i:j]), pos})
			i = j
		default:
			return nil, &RuleError{Pos: pos, Msg: fmt.Sprintf("unexpected character %q", c)}
		}
	}
	return append(toks, token{kind: tokEOF, pos: len(rs) + 1}), nil
}

func isIdentStart(c rune) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isIdentPart(c rune) bool { return isIdentStart(c) || (c >= '0' && c <= '9') }

type ruleParser struct {
	toks []token
	i    int
	src  string
	// lambdaVar is the variable of the any() being parsed, and lambdaOf its collection.
	lambdaVar, lambdaOf string
}

func (p *ruleParser) peek() token { return p.toks[p.i] }

func (p *ruleParser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *ruleParser) errAt(t token, format string, args ...any) error {
	return &RuleError{Pos: t.pos, Msg: fmt.Sprintf(format, args...)}
}

func (p *ruleParser) expect(kind tokKind, what string) (token, error) {
	t := p.next()
	if t.kind != kind {
		return t, p.errAt(t, "expected %s, found %s", what, t.describe())
	}
	return t, nil
}

// expr := and ("or" and)*
func (p *ruleParser) expr() error {
	if err := p.and(); err != nil {
		return err
	}
	for p.peek().is("or") {
		p.next()
		if err := p.and(); err != nil {
			return err
		}
	}
	return nil
}

// and := unary ("and" unary)*
func (p *ruleParser) and() error {
	if err := p.unary(); err != nil {
		return err
	}
	for p.peek().is("and") {
		p.next()
		if err := p.unary(); err != nil {
			return err
		}
	}
	return nil
}

// unary := "not" unary | primary
func (p *ruleParser) unary() error {
	if p.peek().is("not") {
		p.next()
		return p.unary()
	}
	return p.primary()
}

// primary := "(" expr ")" | startsWith(prop, 'x') | collection/any(v: expr) | prop eq|ne literal | prop in (literals)
func (p *ruleParser) primary() error {
	t := p.peek()
	switch {
	case t.kind == tokLParen:
		p.next()
		if err := p.expr(); err != nil {
			return err
		}
		_, err := p.expect(tokRParen, "')'")
		return err
	case t.is("startsWith") && p.toks[p.i+1].kind == tokLParen:
		return p.startsWith()
	case t.kind == tokIdent:
		if t.is("and") || t.is("or") || t.is("eq") || t.is("ne") || t.is("in") {
			return p.errAt(t, "expected a condition, found the operator %q", t.text)
		}
		return p.comparison()
	case t.kind == tokEOF:
		return p.errAt(t, "the rule ends where a condition was expected")
	}
	return p.errAt(t, "expected a condition, found %s", t.describe())
}

// property reads a property path (segments joined by '/'), stopping before "/any".
func (p *ruleParser) property() (string, token, error) {
	first, err := p.expect(tokIdent, "a user property")
	if err != nil {
		return "", first, err
	}
	name := first.text
	for p.peek().kind == tokSlash && p.toks[p.i+1].kind == tokIdent && !p.toks[p.i+1].is("any") {
		p.next()
		name += "/" + p.next().text
	}
	return name, first, nil
}

// operand resolves a property (or the lambda variable) to its type.
func (p *ruleParser) operand(name string, at token) (propertyType, error) {
	lower := strings.ToLower(name)
	if p.lambdaVar != "" {
		v := strings.ToLower(p.lambdaVar)
		if lower == v {
			if p.lambdaOf == "assignedplans" {
				return 0, p.errAt(at, "an assignedPlans item is an object; test one of its fields, e.g. %s/servicePlanId", p.lambdaVar)
			}
			return propString, nil
		}
		if field, ok := strings.CutPrefix(lower, v+"/"); ok {
			if p.lambdaOf == "assignedplans" && assignedPlanFields[field] {
				return propString, nil
			}
			return 0, p.errAt(at, "%q is not a field of an item of %s", name, p.lambdaOf)
		}
	}
	if collectionProperties[lower] {
		return 0, p.errAt(at, "%s is a collection: test it with %s/any(x:startsWith(x, '...'))", name, name)
	}
	if t, ok := ruleProperties[lower]; ok {
		return t, nil
	}
	if extensionAttributeRE.MatchString(name) {
		return propString, nil
	}
	if strings.HasPrefix(lower, "extension_") {
		return 0, p.errAt(at, "%q is not a directory extension attribute: those are named extension_<application id without dashes, 32 hex digits>_<name>", name)
	}
	return 0, p.errAt(at, "%q is not a user property a lifecycle workflow rule can use (for example department, jobTitle, userType, "+
		"accountEnabled, employeeOrgData/costCenter, onPremisesExtensionAttributes/extensionAttribute1)", name)
}

func (p *ruleParser) comparison() error {
	name, at, err := p.property()
	if err != nil {
		return err
	}
	// collection/any(v: body)
	if p.peek().kind == tokSlash && p.toks[p.i+1].is("any") {
		return p.lambda(name, at)
	}
	typ, err := p.operand(name, at)
	if err != nil {
		return err
	}
	op := p.next()
	switch {
	case op.is("eq"), op.is("ne"):
		return p.literal(typ, name)
	case op.is("in"):
		if _, err := p.expect(tokLParen, "'(' after in"); err != nil {
			return err
		}
		for {
			if err := p.literal(typ, name); err != nil {
				return err
			}
			sep := p.next()
			if sep.kind == tokRParen {
				return nil
			}
			if sep.kind != tokComma {
				return p.errAt(sep, "expected ',' or ')' in the in list, found %s", sep.describe())
			}
		}
	case op.kind == tokEOF:
		return p.errAt(op, "the rule ends after %s; expected eq, ne or in", name)
	}
	return p.errAt(op, "expected eq, ne or in after %s, found %s", name, op.describe())
}

// literal reads a value of the property's type: a quoted string, or true/false.
func (p *ruleParser) literal(typ propertyType, name string) error {
	t := p.next()
	switch typ {
	case propBool:
		if t.is("true") || t.is("false") {
			return nil
		}
		return p.errAt(t, "%s is a boolean: compare it with true or false, not %s", name, t.describe())
	default:
		if t.kind == tokString {
			return nil
		}
		return p.errAt(t, "%s is a string: compare it with a quoted value such as 'Sales', not %s", name, t.describe())
	}
}

func (p *ruleParser) startsWith() error {
	fn := p.next()
	p.next() // '('
	name, at, err := p.property()
	if err != nil {
		return err
	}
	typ, err := p.operand(name, at)
	if err != nil {
		return err
	}
	if typ != propString {
		return p.errAt(at, "startsWith needs a string property; %s is a boolean", name)
	}
	if _, err := p.expect(tokComma, "',' in startsWith"); err != nil {
		return err
	}
	if t := p.next(); t.kind != tokString {
		return p.errAt(t, "startsWith takes a quoted prefix such as 'Av', found %s", t.describe())
	}
	if _, err := p.expect(tokRParen, "')' closing "+fn.text); err != nil {
		return err
	}
	return nil
}

// lambda := collection "/" "any" "(" var ":" expr ")"
func (p *ruleParser) lambda(name string, at token) error {
	lower := strings.ToLower(name)
	if !collectionProperties[lower] {
		return p.errAt(at, "any() applies to otherMails, proxyAddresses or assignedPlans, not to %s", name)
	}
	if p.lambdaVar != "" {
		return p.errAt(at, "any() cannot be nested")
	}
	p.next() // '/'
	p.next() // any
	if _, err := p.expect(tokLParen, "'(' after any"); err != nil {
		return err
	}
	v, err := p.expect(tokIdent, "a variable name, as in any(p:startsWith(p, 'Av'))")
	if err != nil {
		return err
	}
	if _, err := p.expect(tokColon, "':' after the variable "+v.text); err != nil {
		return err
	}
	p.lambdaVar, p.lambdaOf = v.text, lower
	defer func() { p.lambdaVar, p.lambdaOf = "", "" }()
	if err := p.expr(); err != nil {
		return err
	}
	_, err = p.expect(tokRParen, "')' closing any(")
	return err
}
