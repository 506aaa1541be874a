package emulator

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

type lrKind int

const (
	lrString lrKind = iota
	lrBool
	lrAny // directory extensions: type unknown to the emulator
	lrStringCollection
	lrPlanCollection // assignedPlans: complex items
	lrGUID
)

// lrProperties are the supported user properties by lower-case name.
var lrProperties = func() map[string]struct {
	name string
	kind lrKind
} {
	m := map[string]struct {
		name string
		kind lrKind
	}{}
	add := func(kind lrKind, names ...string) {
		for _, n := range names {
			m[strings.ToLower(n)] = struct {
				name string
				kind lrKind
			}{n, kind}
		}
	}
	add(lrString, "city", "companyName", "country", "department", "displayName", "employeeId", "employeeType",
		"employeeOrgData/costCenter", "employeeOrgData/division", "givenName", "jobTitle", "mail", "mailNickname",
		"officeLocation", "postalCode", "preferredLanguage", "state", "surname", "usageLocation", "userPrincipalName",
		"userType")
	add(lrBool, "accountEnabled", "onPremisesSyncEnabled")
	for i := 1; i <= 15; i++ {
		add(lrString, fmt.Sprintf("onPremisesExtensionAttributes/extensionAttribute%d", i))
	}
	add(lrStringCollection, "otherMails", "proxyAddresses")
	add(lrPlanCollection, "assignedPlans")
	return m
}()

// lrPlanFields are the fields of an assignedPlans item usable in a lambda.
var lrPlanFields = map[string]lrKind{"serviceplanid": lrGUID, "capabilitystatus": lrString, "service": lrString}

var lrExtensionRE = regexp.MustCompile(`^(?i)extension_[0-9a-f]{32}_[a-z0-9_]+$`)

type lrTokKind int

const (
	lrtEOF lrTokKind = iota
	lrtIdent
	lrtString
	lrtGUID
	lrtNumber
	lrtLParen
	lrtRParen
	lrtComma
	lrtColon
)

type lrToken struct {
	kind lrTokKind
	text string
	pos  int // 1-based character position in the rule
}

var lrGUIDRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)

func lrLex(s string) ([]lrToken, error) {
	var out []lrToken
	for i := 0; i < len(s); {
		c := s[i]
		pos := i + 1
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			out = append(out, lrToken{lrtLParen, "(", pos})
			i++
		case c == ')':
			out = append(out, lrToken{lrtRParen, ")", pos})
			i++
		case c == ',':
			out = append(out, lrToken{lrtComma, ",", pos})
			i++
		case c == ':':
			out = append(out, lrToken{lrtColon, ":", pos})
			i++
		case c == '\'':
			var b strings.Builder
			i++
			for {
				if i >= len(s) {
					return nil, lrErrAt(pos, "unterminated string literal")
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
			out = append(out, lrToken{lrtString, b.String(), pos})
		case lrGUIDRE.MatchString(s[i:]):
			out = append(out, lrToken{lrtGUID, s[i : i+36], pos})
			i += 36
		case c == '-' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if s[i:j] == "-" {
				if j < len(s) && odata.IsIdentByte(s[j]) {
					return nil, lrErrAt(pos, "unexpected '-': lifecycle rules write operators without a dash (eq, ne, in, and, or, not), unlike dynamic group rules")
				}
				return nil, lrErrAt(pos, "unexpected '-'")
			}
			out = append(out, lrToken{lrtNumber, s[i:j], pos})
			i = j
		case odata.IsIdentByte(c):
			j := i
			for j < len(s) && (odata.IsIdentByte(s[j]) || s[j] == '/' || (s[j] >= '0' && s[j] <= '9')) {
				j++
			}
			out = append(out, lrToken{lrtIdent, s[i:j], pos})
			i = j
		case c == '"':
			return nil, lrErrAt(pos, "string literals use single quotes ('Sales'), not double quotes")
		default:
			return nil, lrErrAt(pos, fmt.Sprintf("unexpected character '%c'", c))
		}
	}
	return append(out, lrToken{kind: lrtEOF, pos: len(s) + 1}), nil
}

func lrErrAt(pos int, reason string) error {
	return fmt.Errorf("at position %d: %s", pos, reason)
}

type lrParser struct {
	toks []lrToken
	i    int
	// lambda variable in scope ("" outside a lambda) and the kind of its items
	lambdaVar  string
	lambdaKind lrKind
}

// ParseLifecycleRule checks the syntax, property names and literal types of a
// ruleBasedSubjectSet rule (spec 2.1 Scopes). The error names the 1-based character
// position and the reason, e.g. "at position 2: 'departmen' is not a supported user
// property". Exported for the provider's plan-time validation.
func ParseLifecycleRule(rule string) error {
	if strings.TrimSpace(rule) == "" {
		return lrErrAt(1, "the rule is empty")
	}
	toks, err := lrLex(rule)
	if err != nil {
		return err
	}
	p := &lrParser{toks: toks}
	if err := p.or(); err != nil {
		return err
	}
	if t := p.peek(); t.kind != lrtEOF {
		return lrErrAt(t.pos, fmt.Sprintf("unexpected '%s' (missing 'and'/'or', or an unbalanced ')')", t.text))
	}
	return nil
}

func (p *lrParser) peek() lrToken { return p.toks[p.i] }
func (p *lrParser) next() lrToken { t := p.toks[p.i]; p.i++; return t }

func (p *lrParser) keyword(k string) bool {
	if t := p.peek(); t.kind == lrtIdent && strings.EqualFold(t.text, k) {
		p.i++
		return true
	}
	return false
}

func (p *lrParser) expect(k lrTokKind, what string) error {
	t := p.next()
	if t.kind != k {
		return lrErrAt(t.pos, fmt.Sprintf("expected %s, found %s", what, lrDescribe(t)))
	}
	return nil
}

func lrDescribe(t lrToken) string {
	switch t.kind {
	case lrtEOF:
		return "the end of the rule"
	case lrtString:
		return "'" + strings.ReplaceAll(t.text, "'", "''") + "'"
	}
	return "'" + t.text + "'"
}

func (p *lrParser) or() error {
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

func (p *lrParser) and() error {
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

func (p *lrParser) unary() error {
	if p.keyword("not") {
		return p.unary()
	}
	t := p.next()
	switch t.kind {
	case lrtLParen:
		if err := p.or(); err != nil {
			return err
		}
		return p.expect(lrtRParen, "')'")
	case lrtIdent:
	default:
		return lrErrAt(t.pos, fmt.Sprintf("expected a condition, found %s", lrDescribe(t)))
	}
	if strings.EqualFold(t.text, "startsWith") && p.peek().kind == lrtLParen {
		return p.startsWith()
	}
	lower := strings.ToLower(t.text)
	for _, q := range []string{"/any", "/all"} {
		if base, ok := strings.CutSuffix(lower, q); ok && p.peek().kind == lrtLParen {
			if q == "/all" {
				return lrErrAt(t.pos, "only the any() lambda is supported")
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
func (p *lrParser) property(t lrToken) (lrKind, error) {
	name := strings.ToLower(t.text)
	if p.lambdaVar != "" {
		if name == p.lambdaVar {
			if p.lambdaKind == lrPlanCollection {
				return 0, lrErrAt(t.pos, fmt.Sprintf("'%s' is an assignedPlans item; compare one of its fields, e.g. %s/servicePlanId", t.text, t.text))
			}
			return lrString, nil
		}
		if field, ok := strings.CutPrefix(name, p.lambdaVar+"/"); ok {
			if p.lambdaKind != lrPlanCollection {
				return 0, lrErrAt(t.pos, fmt.Sprintf("'%s' has no fields; compare the variable itself", p.lambdaVar))
			}
			if k, ok := lrPlanFields[field]; ok {
				return k, nil
			}
			return 0, lrErrAt(t.pos, fmt.Sprintf("'%s' is not a field of assignedPlans (servicePlanId, capabilityStatus, service)", field))
		}
	}
	if prop, ok := lrProperties[name]; ok {
		switch prop.kind {
		case lrStringCollection, lrPlanCollection:
			return 0, lrErrAt(t.pos, fmt.Sprintf("'%s' is a collection; use %s/any(x:...)", prop.name, prop.name))
		}
		return prop.kind, nil
	}
	if lrExtensionRE.MatchString(t.text) {
		return lrAny, nil
	}
	if strings.HasPrefix(name, "extension_") {
		return 0, lrErrAt(t.pos, fmt.Sprintf("'%s' is not a valid directory extension name (extension_<appId without dashes>_<name>)", t.text))
	}
	return 0, lrErrAt(t.pos, fmt.Sprintf("'%s' is not a supported user property", t.text))
}

func (p *lrParser) comparison(prop lrToken, kind lrKind) error {
	op := p.next()
	if op.kind != lrtIdent {
		return lrErrAt(op.pos, fmt.Sprintf("expected an operator (eq, ne, in) after '%s', found %s", prop.text, lrDescribe(op)))
	}
	switch strings.ToLower(op.text) {
	case "eq", "ne":
		return p.literal(prop, kind)
	case "in":
		if err := p.expect(lrtLParen, "'(' starting the value list of 'in'"); err != nil {
			return err
		}
		for {
			if err := p.literal(prop, kind); err != nil {
				return err
			}
			t := p.next()
			if t.kind == lrtRParen {
				return nil
			}
			if t.kind != lrtComma {
				return lrErrAt(t.pos, fmt.Sprintf("expected ',' or ')' in the value list, found %s", lrDescribe(t)))
			}
		}
	}
	return lrErrAt(op.pos, fmt.Sprintf("'%s' is not a supported operator (eq, ne, in, startsWith)", op.text))
}

// literal reads one value and checks it against the property's type.
func (p *lrParser) literal(prop lrToken, kind lrKind) error {
	t := p.next()
	var got lrKind
	switch {
	case t.kind == lrtString:
		got = lrString
	case t.kind == lrtGUID:
		got = lrGUID
	case t.kind == lrtIdent && (strings.EqualFold(t.text, "true") || strings.EqualFold(t.text, "false")):
		got = lrBool
	case t.kind == lrtIdent && strings.EqualFold(t.text, "null"):
		return nil
	case t.kind == lrtNumber:
		got = lrAny
	default:
		return lrErrAt(t.pos, fmt.Sprintf("expected a value for '%s', found %s", prop.text, lrDescribe(t)))
	}
	switch {
	case kind == lrAny:
		return nil
	case kind == lrBool && got != lrBool:
		return lrErrAt(t.pos, fmt.Sprintf("'%s' is a boolean property; compare it with true or false", prop.text))
	case kind == lrString && got != lrString:
		return lrErrAt(t.pos, fmt.Sprintf("'%s' is a string property; quote the value ('...')", prop.text))
	case kind == lrGUID && got != lrGUID && got != lrString:
		return lrErrAt(t.pos, fmt.Sprintf("'%s' takes a GUID", prop.text))
	case kind == lrGUID && got == lrString:
		if _, err := uuid.Parse(t.text); err != nil {
			return lrErrAt(t.pos, fmt.Sprintf("'%s' takes a GUID, not '%s'", prop.text, t.text))
		}
	}
	return nil
}

func (p *lrParser) startsWith() error {
	p.next() // (
	t := p.next()
	if t.kind != lrtIdent {
		return lrErrAt(t.pos, fmt.Sprintf("expected a property in startsWith, found %s", lrDescribe(t)))
	}
	kind, err := p.property(t)
	if err != nil {
		return err
	}
	if kind != lrString && kind != lrAny {
		return lrErrAt(t.pos, fmt.Sprintf("startsWith needs a string property; '%s' is not one", t.text))
	}
	if err := p.expect(lrtComma, "','"); err != nil {
		return err
	}
	v := p.next()
	if v.kind != lrtString {
		return lrErrAt(v.pos, fmt.Sprintf("startsWith takes a quoted string, found %s", lrDescribe(v)))
	}
	return p.expect(lrtRParen, "')' closing startsWith")
}

// lambda parses collection/any(x: body).
func (p *lrParser) lambda(t lrToken, base string) error {
	if p.lambdaVar != "" {
		return lrErrAt(t.pos, "lambdas cannot be nested")
	}
	prop, ok := lrProperties[base]
	if !ok || (prop.kind != lrStringCollection && prop.kind != lrPlanCollection) {
		return lrErrAt(t.pos, fmt.Sprintf("'%s' is not a supported collection property (otherMails, proxyAddresses, assignedPlans)", t.text[:len(base)]))
	}
	p.next() // (
	v := p.next()
	if v.kind != lrtIdent || strings.Contains(v.text, "/") {
		return lrErrAt(v.pos, fmt.Sprintf("expected a lambda variable name, found %s", lrDescribe(v)))
	}
	if _, clash := lrProperties[strings.ToLower(v.text)]; clash {
		return lrErrAt(v.pos, fmt.Sprintf("'%s' cannot be a lambda variable: it is a property name", v.text))
	}
	if err := p.expect(lrtColon, "':' after the lambda variable"); err != nil {
		return err
	}
	p.lambdaVar, p.lambdaKind = strings.ToLower(v.text), prop.kind
	err := p.or()
	p.lambdaVar = ""
	if err != nil {
		return err
	}
	return p.expect(lrtRParen, "')' closing the lambda")
}
