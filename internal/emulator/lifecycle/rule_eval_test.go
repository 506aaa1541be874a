package lifecycle_test

import (
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/lifecycle"
)

func TestLifecycleRuleEvaluation(t *testing.T) {
	user := map[string]any{
		"department": "Marketing", "accountEnabled": true, "userType": "Guest", "companyName": "Fabrikam",
		"jobTitle": "Intern Designer", "otherMails": []any{"avery@example.com"},
		"employeeOrgData": map[string]any{"division": "R&D"},
		"assignedPlans":   []any{map[string]any{"servicePlanId": "8a256a2b-b617-496d-b51b-e76466e88db0", "capabilityStatus": "Enabled"}},
	}
	cases := map[string]bool{
		"(department eq 'Marketing')":                                                    true,
		"(department eq 'marketing') and (accountEnabled in (true))":                     true,
		"(department ne 'Marketing')":                                                    false,
		"(userType eq 'Guest') and (companyName eq 'Contoso')":                           false,
		"(userType eq 'Guest') and (companyName eq 'Fabrikam')":                          true,
		"not (startsWith(jobTitle, 'Intern'))":                                           false,
		"startsWith(jobTitle, 'intern')":                                                 true,
		"(otherMails/any(p:startsWith(p, 'Av')))":                                        true,
		"(otherMails/any(p:p eq 'nobody@example.com'))":                                  false,
		"(country in ('US', 'CA')) or (employeeOrgData/division eq 'R&D')":               true,
		"(country eq null)":                                                              true,
		"(assignedPlans/any(x:x/servicePlanId eq 8a256a2b-b617-496d-b51b-e76466e88db0))": true,
		"(assignedPlans/any(x:x/capabilityStatus eq 'Suspended'))":                       false,
	}
	for rule, want := range cases {
		got, err := lifecycle.MatchRule(rule, user)
		if err != nil || got != want {
			t.Errorf("%s: got %v (%v), want %v", rule, got, err, want)
		}
	}
	if _, err := lifecycle.MatchRule("(departmen eq 'x')", user); err == nil {
		t.Error("an unknown property compiled")
	}
}
