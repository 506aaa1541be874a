package lifecycle_test

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/lifecycle"
)

// The fuzz targets call the handler in process (httptest.NewRecorder), so a handler panic fails the
// target instead of being swallowed by net/http, and need no network. Each fuzz worker process builds
// one in-memory tenant; objects a fuzz input creates are deleted again, so every input meets the same
// state and a finding replays from its corpus file alone.

const fuzzWorkflowsPath = lwPath + "/workflows"

// FuzzCreateWorkflow posts arbitrary bodies to the lifecycle workflows collection, seeded with the
// joiner, mover, leaver and on-demand workflows of workflows_test.go (see checkCreate; created
// workflows are deleted and purged from deletedItems).
func FuzzCreateWorkflow(f *testing.F) {
	attrTrigger := lwJoiner("attribute trigger")
	lwSetTrigger(attrTrigger, lwTrigger("attributeChangeTrigger", "triggerAttributes", []any{map[string]any{"name": "department"}}))
	badRule := lwLeaver("bad rule")
	lwEC(badRule)["scope"] = map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.ruleBasedSubjectSet", "rule": "(department -eq 'Sales')"}
	manyTasks := lwOnDemandBody("many tasks")
	lwSetTasks(manyTasks, lwTask("a", lwDefDisable), lwTask("b", lwDefRemoveGroups, "groupID", lwGroup1), lwTask("c", "00000000-0000-0000-0000-000000000000"))
	emulatortest.AddJSONSeeds(f, lwLeaver("leaver"), lwJoiner("joiner"), lwMover("mover"), lwOnDemandBody("on demand"),
		attrTrigger, badRule, manyTasks,
		map[string]any{"category": "leaver", "displayName": "no tasks", "executionConditions": map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.onDemandExecutionOnly"}, "tasks": []any{}},
		map[string]any{"category": "joiner,leaver", "displayName": "x", "executionConditions": nil},
	)
	e := emulatortest.NewFuzzEnv(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		e.CheckCreate(t, fuzzWorkflowsPath, body, lwPath+"/deletedItems/workflows")
	})
}

// lifecycleRuleFuzzSeeds are the valid and invalid rules of TestParseLifecycleRule.
var lifecycleRuleFuzzSeeds = []string{
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
	"(extension_9a8b7c6d5e4f40302010a0b0c0d0e0f1_n eq -12)",
	"(companyName eq 'O''Brien Ltd')",
	"(proxyAddresses/any(x:x eq 'smtp:a@contoso.com'))",
	"(assignedPlans/any(x:x/servicePlanId eq efb87545-963c-4e0d-99df-69c6916d9eb0 and x/capabilityStatus eq 'Enabled'))",
	"((department eq 'A') or (department eq 'B')) and not (accountEnabled eq false)",
	"(mail eq null)",
	"",
	"(departmen eq 'Sales')",
	"(department eq 'Sales'",
	"(department eq 'Sales'))",
	"(department eq Sales)",
	`(department eq "Sales")`,
	"(department -eq 'Sales')",
	"(department gt 'Sales')",
	"(department eq 'Sales) and (x eq 1)",
	"(accountEnabled eq 'true')",
	"(department eq true)",
	"(department in 'Sales')",
	"(department in ('A' 'B'))",
	"(department eq 'A') and",
	"(department eq 'A') (city eq 'B')",
	"(otherMails eq 'a@b.c')",
	"(otherMails/all(p:startsWith(p, 'Av')))",
	"(department/any(p:p eq 'x'))",
	"(otherMails/any(p:startsWith(q, 'Av')))",
	"(assignedPlans/any(x:x/servicePlanId eq 'nope'))",
	"(assignedPlans/any(x:x eq 'a'))",
	"(startsWith(accountEnabled, 'a'))",
	"(startsWith(department, 1))",
	"(extension_123_name eq 'a')",
	"(onPremisesExtensionAttributes/extensionAttribute16 eq 'x')",
	"(otherMails/any(p:otherMails/any(q:q eq 'x')))",
	"(otherMails/any(department:department eq 'x'))",
	"startsWith(", "otherMails/any(", "otherMails/any(p", "otherMails/any(p:", "not", "-", "(department in (",
}

var lifecycleRuleErrorRE = regexp.MustCompile(`^at position ([0-9]+): \S`)

// FuzzParseLifecycleRule checks the emulator's scope rule parser on any text: it never panics; an error
// reads "at position N: reason" with N a 1-based byte position inside the rule (at most one past its
// end); an accepted rule stays accepted inside extra parentheses and whitespace, negated, and combined
// with itself.
func FuzzParseLifecycleRule(f *testing.F) {
	for _, s := range lifecycleRuleFuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rule string) {
		err := lifecycle.ParseRule(rule)
		if err != nil {
			m := lifecycleRuleErrorRE.FindStringSubmatch(err.Error())
			if m == nil {
				t.Fatalf("ParseLifecycleRule(%q) = %q, want \"at position N: reason\"", rule, err)
			}
			if pos, _ := strconv.Atoi(m[1]); pos < 1 || pos > len(rule)+1 {
				t.Fatalf("ParseLifecycleRule(%q): position %d is outside the rule's %d bytes: %v", rule, pos, len(rule), err)
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
			if err := lifecycle.ParseRule(wrapped); err != nil {
				t.Fatalf("ParseLifecycleRule(%q) accepts it, but ParseLifecycleRule(%q) = %v", rule, wrapped, err)
			}
		}
	})
}
