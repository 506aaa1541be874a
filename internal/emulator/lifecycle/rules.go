package lifecycle

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/google/uuid"
)

// Scope rules of lifecycle workflows (ruleBasedSubjectSet.rule, spec 2.1 Scopes): an
// OData-filter-like expression over user properties, for example
//
//	(department eq 'Marketing') and (accountEnabled in (true))
//	not (startsWith(jobTitle, 'Intern')) or (otherMails/any(p:startsWith(p, 'Av')))
//
// Grammar (keywords and property names case-insensitive):
//
//	expr       = and { "or" and }
//	and        = unary { "and" unary }
//	unary      = "not" unary | "(" expr ")" | comparison | startsWith | lambda
//	comparison = property ("eq" | "ne") literal | property "in" "(" literal { "," literal } ")"
//	startsWith = "startsWith" "(" property "," string ")"
//	lambda     = collection "/any(" var ":" body ")"       body: expr over var or var/<field>
//	literal    = 'string' ('' escapes a quote) | true | false | null | GUID | integer
//
// Properties: the spec's supported list, onPremisesExtensionAttributes/extensionAttribute1-15
// and directory extensions extension_<appId without dashes>_<name>. The emulator only
// checks the syntax and the property names and types; it does not evaluate rules.

type ruleKind int

const (
	ruleString ruleKind = iota
	ruleBool
	ruleAny // directory extensions: type unknown to the emulator
	ruleStringCollection
	rulePlanCollection // assignedPlans: complex items
	ruleGUID
)

// ruleProperties are the supported user properties by lower-case name.
var ruleProperties = func() map[string]struct {
	name string
	kind ruleKind
} {
	m := map[string]struct {
		name string
		kind ruleKind
	}{}
	add := func(kind ruleKind, names ...string) {
		for _, n := range names {
			m[strings.ToLower(n)] = struct {
				name string
				kind ruleKind
			}{n, kind}
		}
	}
	add(ruleString, "city", "companyName", "country", "department", "displayName", "employeeId", "employeeType",
		"employeeOrgData/costCenter", "employeeOrgData/division", "givenName", "jobTitle", "mail", "mailNickname",
		"officeLocation", "postalCode", "preferredLanguage", "state", "surname", "usageLocation", "userPrincipalName",
		"userType")
	add(ruleBool, "accountEnabled", "onPremisesSyncEnabled")
	for i := 1; i <= 15; i++ {
		add(ruleString, fmt.Sprintf("onPremisesExtensionAttributes/extensionAttribute%d", i))
	}
	add(ruleStringCollection, "otherMails", "proxyAddresses")
	add(rulePlanCollection, "assignedPlans")
	return m
}()

// rulePlanFields are the fields of an assignedPlans item usable in a lambda.
var rulePlanFields = map[string]ruleKind{"serviceplanid": ruleGUID, "capabilitystatus": ruleString, "service": ruleString}

var ruleExtensionRE = regexp.MustCompile(`^(?i)extension_[0-9a-f]{32}_[a-z0-9_]+$`)

type ruleTokKind int

const (
	tokEOF ruleTokKind = iota
	tokIdent
	tokString
	tokGUID
	tokNumber
	tokLParen
	tokRParen
	tokComma
	tokColon
)

type ruleToken struct {
	kind ruleTokKind
	text string
	pos  int // 1-based character position in the rule
}

var ruleGUIDRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)

func ruleLex(s string) ([]ruleToken, error) {
	var out []ruleToken
	for i := 0; i < len(s); {
		c := s[i]
		pos := i + 1
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			out = append(out, ruleToken{tokLParen, "(", pos})
			i++
		case c == ')':
			out = append(out, ruleToken{tokRParen, ")", pos})
			i++
		case c == ',':
			out = append(out, ruleToken{tokComma, ",", pos})
			i++
		case c == ':':
			out = append(out, ruleToken{tokColon, ":", pos})
			i++
		case c == '\'':
			var b strings.Builder
			i++
			for {
				if i >= len(s) {
					return nil, ruleErrAt(pos, "unterminated string literal")
				}
				if s[i] == '\'' {
					if i+1 < len(s) && s[i+1] == '\'' {
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
			out = append(out, ruleToken{tokString, b.String(), pos})
		case ruleGUIDRE.MatchString(s[i:]):
			out = append(out, ruleToken{tokGUID, s[i : i+36], pos})
			i += 36
		case c == '-' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if s[i:j] == "-" {
				if j < len(s) && odata.IsIdentByte(s[j]) {
					return nil, ruleErrAt(pos, "unexpected '-': lifecycle rules write operators without a dash (eq, ne, in, and, or, not), unlike dynamic group rules")
				}
				return nil, ruleErrAt(pos, "unexpected '-'")
			}
			out = append(out, ruleToken{tokNumber, s[i:j], pos})
			i = j
		case odata.IsIdentByte(c):
			j := i
			for j < len(s) && (odata.IsIdentByte(s[j]) || s[j] == '/' || (s[j] >= '0' && s[j] <= '9')) {
				j++
			}
			out = append(out, ruleToken{tokIdent, s[i:j], pos})
			i = j
		case c == '"':
			return nil, ruleErrAt(pos, "string literals use single quotes ('Sales'), not double quotes")
		default:
			return nil, ruleErrAt(pos, fmt.Sprintf("unexpected character '%c'", c))
		}
	}
	return append(out, ruleToken{kind: tokEOF, pos: len(s) + 1}), nil
}

func ruleErrAt(pos int, reason string) error {
	return fmt.Errorf("at position %d: %s", pos, reason)
}

type ruleParser struct {
	toks []ruleToken
	i    int
	// lambda variable in scope ("" outside a lambda) and the kind of its items
	lambdaVar  string
	lambdaKind ruleKind
}

// ParseRule checks the syntax, property names and literal types of a
// ruleBasedSubjectSet rule (spec 2.1 Scopes). The error names the 1-based character
// position and the reason, e.g. "at position 2: 'departmen' is not a supported user
// property". Exported for the provider's plan-time validation.
func ParseRule(rule string) error {
	if strings.TrimSpace(rule) == "" {
		return ruleErrAt(1, "the rule is empty")
	}
	toks, err := ruleLex(rule)
	if err != nil {
		return err
	}
	p := &ruleParser{toks: toks}
	if err := p.or(); err != nil {
		return err
	}
	if t := p.peek(); t.kind != tokEOF {
		return ruleErrAt(t.pos, fmt.Sprintf("unexpected '%s' (missing 'and'/'or', or an unbalanced ')')", t.text))
	}
	return nil
}

func (p *ruleParser) peek() ruleToken { return p.toks[p.i] }
func (p *ruleParser) next() ruleToken { t := p.toks[p.i]; p.i++; return t }

func (p *ruleParser) keyword(k string) bool {
	if t := p.peek(); t.kind == tokIdent && strings.EqualFold(t.text, k) {
		p.i++
		return true
	}
	return false
}

func (p *ruleParser) expect(k ruleTokKind, what string) error {
	t := p.next()
	if t.kind != k {
		return ruleErrAt(t.pos, fmt.Sprintf("expected %s, found %s", what, ruleDescribe(t)))
	}
	return nil
}

func ruleDescribe(t ruleToken) string {
	switch t.kind {
	case tokEOF:
		return "the end of the rule"
	case tokString:
		return "'" + strings.ReplaceAll(t.text, "'", "''") + "'"
	}
	return "'" + t.text + "'"
}

func (p *ruleParser) or() error {
	if err := p.and(); err != nil {
		return err
	}
	for p.keyword("or") {
		if err := p.and(); err != nil {
			return err
		}
	}
	return nil
}

func (p *ruleParser) and() error {
	if err := p.unary(); err != nil {
		return err
	}
	for p.keyword("and") {
		if err := p.unary(); err != nil {
			return err
		}
	}
	return nil
}

func (p *ruleParser) unary() error {
	if p.keyword("not") {
		return p.unary()
	}
	t := p.next()
	switch t.kind {
	case tokLParen:
		if err := p.or(); err != nil {
			return err
		}
		return p.expect(tokRParen, "')'")
	case tokIdent:
	default:
		return ruleErrAt(t.pos, fmt.Sprintf("expected a condition, found %s", ruleDescribe(t)))
	}
	if strings.EqualFold(t.text, "startsWith") && p.peek().kind == tokLParen {
		return p.startsWith()
	}
	lower := strings.ToLower(t.text)
	for _, q := range []string{"/any", "/all"} {
		if base, ok := strings.CutSuffix(lower, q); ok && p.peek().kind == tokLParen {
			if q == "/all" {
				return ruleErrAt(t.pos, "only the any() lambda is supported")
			}
			return p.lambda(t, base)
		}
	}
	kind, err := p.property(t)
	if err != nil {
		return err
	}
	return p.comparison(t, kind)
}

// property resolves a property token (or the lambda variable) to its kind.
func (p *ruleParser) property(t ruleToken) (ruleKind, error) {
	name := strings.ToLower(t.text)
	if p.lambdaVar != "" {
		if name == p.lambdaVar {
			if p.lambdaKind == rulePlanCollection {
				return 0, ruleErrAt(t.pos, fmt.Sprintf("'%s' is an assignedPlans item; compare one of its fields, e.g. %s/servicePlanId", t.text, t.text))
			}
			return ruleString, nil
		}
		if field, ok := strings.CutPrefix(name, p.lambdaVar+"/"); ok {
			if p.lambdaKind != rulePlanCollection {
				return 0, ruleErrAt(t.pos, fmt.Sprintf("'%s' has no fields; compare the variable itself", p.lambdaVar))
			}
			if k, ok := rulePlanFields[field]; ok {
				return k, nil
			}
			return 0, ruleErrAt(t.pos, fmt.Sprintf("'%s' is not a field of assignedPlans (servicePlanId, capabilityStatus, service)", field))
		}
	}
	if prop, ok := ruleProperties[name]; ok {
		switch prop.kind {
		case ruleStringCollection, rulePlanCollection:
			return 0, ruleErrAt(t.pos, fmt.Sprintf("'%s' is a collection; use %s/any(x:...)", prop.name, prop.name))
		}
		return prop.kind, nil
	}
	if ruleExtensionRE.MatchString(t.text) {
		return ruleAny, nil
	}
	if strings.HasPrefix(name, "extension_") {
		return 0, ruleErrAt(t.pos, fmt.Sprintf("'%s' is not a valid directory extension name (extension_<appId without dashes>_<name>)", t.text))
	}
	return 0, ruleErrAt(t.pos, fmt.Sprintf("'%s' is not a supported user property", t.text))
}

func (p *ruleParser) comparison(prop ruleToken, kind ruleKind) error {
	op := p.next()
	if op.kind != tokIdent {
		return ruleErrAt(op.pos, fmt.Sprintf("expected an operator (eq, ne, in) after '%s', found %s", prop.text, ruleDescribe(op)))
	}
	switch strings.ToLower(op.text) {
	case "eq", "ne":
		return p.literal(prop, kind)
	case "in":
		if err := p.expect(tokLParen, "'(' starting the value list of 'in'"); err != nil {
			return err
		}
		for {
			if err := p.literal(prop, kind); err != nil {
				return err
			}
			t := p.next()
			if t.kind == tokRParen {
				return nil
			}
			if t.kind != tokComma {
				return ruleErrAt(t.pos, fmt.Sprintf("expected ',' or ')' in the value list, found %s", ruleDescribe(t)))
			}
		}
	}
	return ruleErrAt(op.pos, fmt.Sprintf("'%s' is not a supported operator (eq, ne, in, startsWith)", op.text))
}

// literal reads one value and checks it against the property's type.
func (p *ruleParser) literal(prop ruleToken, kind ruleKind) error {
	t := p.next()
	var got ruleKind
	switch {
	case t.kind == tokString:
		got = ruleString
	case t.kind == tokGUID:
		got = ruleGUID
	case t.kind == tokIdent && (strings.EqualFold(t.text, "true") || strings.EqualFold(t.text, "false")):
		got = ruleBool
	case t.kind == tokIdent && strings.EqualFold(t.text, "null"):
		return nil
	case t.kind == tokNumber:
		got = ruleAny
	default:
		return ruleErrAt(t.pos, fmt.Sprintf("expected a value for '%s', found %s", prop.text, ruleDescribe(t)))
	}
	switch {
	case kind == ruleAny:
		return nil
	case kind == ruleBool && got != ruleBool:
		return ruleErrAt(t.pos, fmt.Sprintf("'%s' is a boolean property; compare it with true or false", prop.text))
	case kind == ruleString && got != ruleString:
		return ruleErrAt(t.pos, fmt.Sprintf("'%s' is a string property; quote the value ('...')", prop.text))
	case kind == ruleGUID && got != ruleGUID && got != ruleString:
		return ruleErrAt(t.pos, fmt.Sprintf("'%s' takes a GUID", prop.text))
	case kind == ruleGUID && got == ruleString:
		if _, err := uuid.Parse(t.text); err != nil {
			return ruleErrAt(t.pos, fmt.Sprintf("'%s' takes a GUID, not '%s'", prop.text, t.text))
		}
	}
	return nil
}

func (p *ruleParser) startsWith() error {
	p.next() // (
	t := p.next()
	if t.kind != tokIdent {
		return ruleErrAt(t.pos, fmt.Sprintf("expected a property in startsWith, found %s", ruleDescribe(t)))
	}
	kind, err := p.property(t)
	if err != nil {
		return err
	}
	if kind != ruleString && kind != ruleAny {
		return ruleErrAt(t.pos, fmt.Sprintf("startsWith needs a string property; '%s' is not one", t.text))
	}
	if err := p.expect(tokComma, "','"); err != nil {
		return err
	}
	v := p.next()
	if v.kind != tokString {
		return ruleErrAt(v.pos, fmt.Sprintf("startsWith takes a quoted string, found %s", ruleDescribe(v)))
	}
	return p.expect(tokRParen, "')' closing startsWith")
}

// lambda parses collection/any(x: body).
func (p *ruleParser) lambda(t ruleToken, base string) error {
	if p.lambdaVar != "" {
		return ruleErrAt(t.pos, "lambdas cannot be nested")
	}
	prop, ok := ruleProperties[base]
	if !ok || (prop.kind != ruleStringCollection && prop.kind != rulePlanCollection) {
		return ruleErrAt(t.pos, fmt.Sprintf("'%s' is not a supported collection property (otherMails, proxyAddresses, assignedPlans)", t.text[:len(base)]))
	}
	p.next() // (
	v := p.next()
	if v.kind != tokIdent || strings.Contains(v.text, "/") {
		return ruleErrAt(v.pos, fmt.Sprintf("expected a lambda variable name, found %s", ruleDescribe(v)))
	}
	if _, clash := ruleProperties[strings.ToLower(v.text)]; clash {
		return ruleErrAt(v.pos, fmt.Sprintf("'%s' cannot be a lambda variable: it is a property name", v.text))
	}
	if err := p.expect(tokColon, "':' after the lambda variable"); err != nil {
		return err
	}
	p.lambdaVar, p.lambdaKind = strings.ToLower(v.text), prop.kind
	err := p.or()
	p.lambdaVar = ""
	if err != nil {
		return err
	}
	return p.expect(tokRParen, "')' closing the lambda")
}
