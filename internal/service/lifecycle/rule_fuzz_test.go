package lifecycle

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// ruleFuzzSeeds are the valid and invalid rules of TestParseRule.
var ruleFuzzSeeds = []string{
	"(department eq 'Marketing')",
	"(department eq 'Marketing') and (accountEnabled in (true))",
	"(otherMails/any(p:startsWith(p, 'Av')))",
	"department eq 'Sales'",
	"DEPARTMENT EQ 'Sales'",
	"(userType eq 'Guest')",
	"jobTitle ne 'Intern'",
	"department in ('Sales', 'Marketing', 'R&D')",
	"startsWith(userPrincipalName, 'adm')",
	"not (department eq 'Sales')",
	"(department eq 'Sales') or (department eq 'Marketing') and not (userType eq 'Guest')",
	"((department eq 'Sales'))",
	"companyName eq 'O''Brien & Sons'",
	"accountEnabled eq false",
	"onPremisesSyncEnabled ne true",
	"employeeOrgData/costCenter eq '4711'",
	"employeeOrgData/Division eq 'North'",
	"onPremisesExtensionAttributes/extensionAttribute15 eq 'x'",
	"onPremisesExtensionAttributes/extensionAttribute1 eq 'x'",
	"extension_b7d8e5fa25b74b5eb2e6f2ce6a7e9b1c_costCenter eq 'CC-1'",
	"proxyAddresses/any(a:startsWith(a, 'smtp:'))",
	"assignedPlans/any(x:x/servicePlanId eq '57ff2da0-773e-42df-b2af-ffb7a2317929' and x/capabilityStatus eq 'Enabled')",
	"otherMails/any(m:m eq 'a@contoso.com')",
	"department eq ''",
	"  (department   eq 'Sales')  ",
	"",
	"   ",
	"(department eq 'Sales'",
	"department eq 'Sales')",
	"department eq \"Sales\"",
	"department eq 'Sales",
	"departmnt eq 'Sales'",
	"department == 'Sales'",
	"department eq Sales",
	"department contains 'Sales'",
	"accountEnabled eq 'true'",
	"department eq 'Sales' and",
	"department eq 'Sales' xor userType eq 'Guest'",
	"department in ('Sales' 'Marketing')",
	"department in 'Sales'",
	"otherMails eq 'a@b.c'",
	"department/any(p:startsWith(p, 'A'))",
	"otherMails/any(p:startsWith(q, 'A'))",
	"otherMails/any(p startsWith(p, 'A'))",
	"assignedPlans/any(x:x eq 'a')",
	"assignedPlans/any(x:x/foo eq 'a')",
	"startsWith(accountEnabled, 't')",
	"startsWith(department 'S')",
	"onPremisesExtensionAttributes/extensionAttribute16 eq 'x'",
	"extension_123_costCenter eq 'x'",
	"eq 'Sales'",
	"department eq",
	"department",
	"not",
	"()",
	"otherMails/any(p:otherMails/any(q:q eq 'x'))",
	"department eq 'caf\u00e9' and city eq '\u00e9'x",
	"startsWith",
	"startsWith(",
	"otherMails/",
	"otherMails/any",
}

// FuzzParseRule checks the scope rule parser on any text: it never panics; a rejection is a *RuleError
// with a message and a 1-based character position inside the rule (at most one past its last character,
// which is where "the rule ends" errors point); an accepted rule stays accepted inside extra parentheses
// and whitespace, negated, and combined with itself.
func FuzzParseRule(f *testing.F) {
	for _, s := range ruleFuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rule string) {
		err := ParseRule(rule)
		if err != nil {
			var re *RuleError
			if !errors.As(err, &re) {
				t.Fatalf("ParseRule(%q) = %T %v, want a *RuleError", rule, err, err)
			}
			if n := utf8.RuneCountInString(rule); re.Pos < 1 || re.Pos > n+1 {
				t.Fatalf("ParseRule(%q): position %d is outside the rule's %d characters: %v", rule, re.Pos, n, err)
			}
			if re.Msg == "" {
				t.Fatalf("ParseRule(%q): error without a message at position %d", rule, re.Pos)
			}
			return
		}
		for _, wrapped := range []string{
			"(" + rule + ")",
			" \t( \n" + rule + "\r\n )  ",
			"((" + rule + "))",
			"not (" + rule + ")",
			"(" + rule + ") and (" + rule + ")",
			"(" + rule + ") or not (" + rule + ")",
		} {
			if err := ParseRule(wrapped); err != nil {
				t.Fatalf("ParseRule(%q) accepts it, but ParseRule(%q) = %v", rule, wrapped, err)
			}
		}
	})
}
