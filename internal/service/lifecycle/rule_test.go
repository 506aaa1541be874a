package lifecycle

import (
	"errors"
	"strings"
	"testing"
)

func TestParseRule(t *testing.T) {
	t.Parallel()
	valid := []string{
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
	}
	for _, rule := range valid {
		if err := ParseRule(rule); err != nil {
			t.Errorf("ParseRule(%q) = %v, want nil", rule, err)
		}
	}

	invalid := []struct {
		rule string
		pos  int
		msg  string
	}{
		{"", 1, "empty"},
		{"   ", 1, "empty"},
		{"(department eq 'Sales'", 23, "expected ')'"},
		{"department eq 'Sales')", 22, "unexpected"},
		{"department eq \"Sales\"", 15, "single quotes"},
		{"department eq 'Sales", 15, "not closed"},
		{"departmnt eq 'Sales'", 1, "not a user property"},
		{"department == 'Sales'", 12, "unexpected character"},
		{"department eq Sales", 15, "quoted value"},
		{"department contains 'Sales'", 12, "expected eq, ne or in"},
		{"accountEnabled eq 'true'", 19, "boolean"},
		{"department eq 'Sales' and", 26, "ends where a condition"},
		{"department eq 'Sales' xor userType eq 'Guest'", 23, "unexpected"},
		{"department in ('Sales' 'Marketing')", 24, "expected ',' or ')'"},
		{"department in 'Sales'", 15, "'(' after in"},
		{"otherMails eq 'a@b.c'", 1, "collection"},
		{"department/any(p:startsWith(p, 'A'))", 1, "any() applies to"},
		{"otherMails/any(p:startsWith(q, 'A'))", 29, "not a user property"},
		{"otherMails/any(p startsWith(p, 'A'))", 18, "':'"},
		{"assignedPlans/any(x:x eq 'a')", 21, "object"},
		{"assignedPlans/any(x:x/foo eq 'a')", 21, "not a field"},
		{"startsWith(accountEnabled, 't')", 12, "boolean"},
		{"startsWith(department 'S')", 23, "','"},
		{"onPremisesExtensionAttributes/extensionAttribute16 eq 'x'", 1, "not a user property"},
		{"extension_123_costCenter eq 'x'", 1, "directory extension attribute"},
		{"eq 'Sales'", 1, "operator"},
		{"department eq", 14, "quoted value"},
		{"department", 11, "expected eq, ne or in"},
		{"not", 4, "ends where a condition"},
		{"()", 2, "expected a condition"},
		{"otherMails/any(p:otherMails/any(q:q eq 'x'))", 18, "cannot be nested"},
	}
	for _, tc := range invalid {
		err := ParseRule(tc.rule)
		var re *RuleError
		if !errors.As(err, &re) {
			t.Errorf("ParseRule(%q) = %v, want a RuleError", tc.rule, err)
			continue
		}
		if re.Pos != tc.pos || !strings.Contains(re.Msg, tc.msg) {
			t.Errorf("ParseRule(%q) = %q (position %d), want position %d and %q", tc.rule, re.Error(), re.Pos, tc.pos, tc.msg)
		}
	}
}

func TestTaskDefinitions(t *testing.T) {
	t.Parallel()
	if len(builtInTaskDefinitions) != 25 {
		t.Fatalf("%d task definitions, want the 25 of Graph v1.0", len(builtInTaskDefinitions))
	}
	seen := map[string]bool{}
	for _, d := range builtInTaskDefinitions {
		id := strings.ToLower(d.ID)
		if seen[id] {
			t.Errorf("duplicate id %s", d.ID)
		}
		seen[id] = true
	}
	if d, ok := findTaskDefinition("3c860712-2d37-42a4-928f-5c93935d26a1"); !ok || d.DisplayName != "Send onboarding reminder email" {
		t.Errorf("ids must match case-insensitively")
	}
	d, _ := findTaskDefinition("c1ec1e76-f374-4375-aaa6-0bb6bd4c60be")
	for _, name := range []string{"assignmentPolicyId", "accessPackageId"} {
		if p, ok := d.parameter(name); !ok || !p.Required {
			t.Errorf("%s must be required by %s", name, d.DisplayName)
		}
	}
}
