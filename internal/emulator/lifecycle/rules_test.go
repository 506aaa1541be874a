package lifecycle_test

import (
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/lifecycle"
)

func TestParseLifecycleRule(t *testing.T) {
	valid := []string{
		"(department eq 'Marketing')",
		"department eq 'Marketing'",
		"(department eq 'Marketing') and (accountEnabled in (true))",
		"(otherMails/any(p:startsWith(p, 'Av')))",
		"(Department EQ 'Sales') OR (jobTitle ne 'Intern')",
		"not (startsWith(displayName, 'Test'))",
		"(country in ('US', 'CA', 'MX')) and (userType eq 'Member')",
		"(employeeOrgData/division eq 'R&D') and (employeeOrgData/costCenter eq '1001')",
		"(onPremisesExtensionAttributes/extensionAttribute15 eq 'x')",
		"(extension_9a8b7c6d5e4f40302010a0b0c0d0e0f1_costCode eq 'A1')",
		"(companyName eq 'O''Brien Ltd')",
		"(proxyAddresses/any(x:x eq 'smtp:a@contoso.com'))",
		"(assignedPlans/any(x:x/servicePlanId eq efb87545-963c-4e0d-99df-69c6916d9eb0 and x/capabilityStatus eq 'Enabled'))",
		"((department eq 'A') or (department eq 'B')) and not (accountEnabled eq false)",
		"(mail eq null)",
	}
	for _, r := range valid {
		if err := lifecycle.ParseRule(r); err != nil {
			t.Errorf("%s: %v", r, err)
		}
	}
	invalid := []struct{ rule, want string }{
		{"", "at position 1: the rule is empty"},
		{"(departmen eq 'Sales')", "at position 2: 'departmen' is not a supported user property"},
		{"(department eq 'Sales'", "at position 23: expected ')'"},
		{"(department eq 'Sales'))", "at position 24: unexpected ')'"},
		{"(department eq Sales)", "expected a value for 'department'"},
		{`(department eq "Sales")`, "at position 16: string literals use single quotes"},
		{"(department -eq 'Sales')", "at position 13: unexpected '-': lifecycle rules write operators without a dash"},
		{"(department gt 'Sales')", "'gt' is not a supported operator"},
		{"(department eq 'Sales) and (x eq 1)", "at position 16: unterminated string literal"},
		{"(department eq 'Sales'", "found the end of the rule"},
		{"(accountEnabled eq 'true')", "boolean property"},
		{"(department eq true)", "string property"},
		{"(department in 'Sales')", "expected '(' starting the value list"},
		{"(department in ('A' 'B'))", "expected ',' or ')'"},
		{"(department eq 'A') and", "expected a condition, found the end of the rule"},
		{"(department eq 'A') (city eq 'B')", "unexpected '('"},
		{"(otherMails eq 'a@b.c')", "is a collection; use otherMails/any"},
		{"(otherMails/all(p:startsWith(p, 'Av')))", "only the any() lambda"},
		{"(department/any(p:p eq 'x'))", "not a supported collection property"},
		{"(otherMails/any(p:startsWith(q, 'Av')))", "'q' is not a supported user property"},
		{"(assignedPlans/any(x:x/servicePlanId eq 'nope'))", "takes a GUID"},
		{"(assignedPlans/any(x:x eq 'a'))", "assignedPlans item"},
		{"(startsWith(accountEnabled, 'a'))", "needs a string property"},
		{"(startsWith(department, 1))", "startsWith takes a quoted string"},
		{"(extension_123_name eq 'a')", "not a valid directory extension name"},
		{"(onPremisesExtensionAttributes/extensionAttribute16 eq 'x')", "not a supported user property"},
	}
	for _, c := range invalid {
		err := lifecycle.ParseRule(c.rule)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.rule, err, c.want)
		}
	}
}
