package lifecycle_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/entitlement"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/lifecycle"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

func lwEC(b map[string]any) map[string]any { return b["executionConditions"].(map[string]any) }

func lwSetTrigger(b map[string]any, trigger map[string]any) { lwEC(b)["trigger"] = trigger }

func lwTrigger(typ string, kv ...any) map[string]any {
	m := map[string]any{"@odata.type": "#microsoft.graph.identityGovernance." + typ}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func lwTask(name, def string, args ...string) map[string]any {
	list := []any{}
	for i := 0; i+1 < len(args); i += 2 {
		list = append(list, map[string]any{"name": args[i], "value": args[i+1]})
	}
	return map[string]any{"displayName": name, "taskDefinitionId": def, "arguments": list}
}

func lwSetTasks(b map[string]any, tasks ...map[string]any) {
	l := make([]any, len(tasks))
	for i, t := range tasks {
		l[i] = t
	}
	b["tasks"] = l
}

const (
	lwDefRequestPkg = "c1ec1e76-f374-4375-aaa6-0bb6bd4c60be"
	lwDefRemovePkg  = "4a0b64f2-c7ec-46ba-b117-18f262946c50"
)

func TestLifecycleValidation(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	pkg, otherPkg, policy := uuid.NewString(), uuid.NewString(), uuid.NewString()
	e.Put(entitlement.AccessPackages, map[string]any{"id": pkg, "displayName": "P"})
	e.Put(entitlement.AccessPackages, map[string]any{"id": otherPkg, "displayName": "Q"})
	e.Put(entitlement.AssignmentPolicies, map[string]any{"id": policy, "displayName": "pol", entitlement.PolicyFieldPackageID: pkg})
	lwCreate(e, lwLeaver("Existing"))

	many := func(n int) []map[string]any {
		var l []map[string]any
		for i := 0; i < n; i++ {
			l = append(l, lwTask("t"+strings.Repeat("x", i), lwDefDisable))
		}
		return l
	}
	cases := []struct {
		name   string
		mutate func(b map[string]any)
		want   string
	}{
		{"category missing", func(b map[string]any) { delete(b, "category") }, "category: the property is required"},
		{"category extensibility", func(b map[string]any) { b["category"] = "extensibility" }, "'extensibility' workflows cannot be created"},
		{"category unknown", func(b map[string]any) { b["category"] = "hr" }, "Valid values: joiner, leaver, mover"},
		{"category unknownFutureValue", func(b map[string]any) { b["category"] = "unknownFutureValue" }, "category:"},
		{"displayName missing", func(b map[string]any) { delete(b, "displayName") }, "displayName: the property is required"},
		{"displayName empty", func(b map[string]any) { b["displayName"] = " " }, "displayName: the value must not be empty"},
		{"displayName taken", func(b map[string]any) { b["displayName"] = "existing" }, lifecycle.MsgLWDuplicateName},
		{"unknown property", func(b map[string]any) { b["owner"] = "me" }, "owner: The property 'owner' does not exist"},
		{"scheduling while disabled", func(b map[string]any) { b["isEnabled"] = false; b["isSchedulingEnabled"] = true }, "cannot be true while isEnabled is false"},
		{"scheduling on demand", func(b map[string]any) {
			b["executionConditions"] = map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.onDemandExecutionOnly"}
			b["isSchedulingEnabled"] = true
		}, "runs only on demand"},
		{"on demand with fields", func(b map[string]any) {
			b["executionConditions"] = map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.onDemandExecutionOnly", "scope": map[string]any{}}
		}, "executionConditions.scope: The property 'scope' does not exist"},
		{"executionConditions missing", func(b map[string]any) { delete(b, "executionConditions") }, "executionConditions: the property is required"},
		{"executionConditions untyped", func(b map[string]any) { delete(lwEC(b), "@odata.type") }, "executionConditions.@odata.type: the type"},
		{"executionConditions unknown type", func(b map[string]any) {
			lwEC(b)["@odata.type"] = "#microsoft.graph.identityGovernance.scheduleConditions"
		}, "is not a valid"},
		{"trigger missing", func(b map[string]any) { delete(lwEC(b), "trigger") }, "executionConditions.trigger: the property is required"},
		{"trigger unknown type", func(b map[string]any) { lwSetTrigger(b, lwTrigger("userCreatedTrigger")) }, "executionConditions.trigger.@odata.type"},
		{"offset too large", func(b map[string]any) {
			lwSetTrigger(b, lwTrigger("timeBasedAttributeTrigger", "timeBasedAttribute", "employeeLeaveDateTime", "offsetInDays", 181))
		}, "between -180 and 180"},
		{"offset too small", func(b map[string]any) {
			lwSetTrigger(b, lwTrigger("timeBasedAttributeTrigger", "timeBasedAttribute", "employeeLeaveDateTime", "offsetInDays", -181))
		}, "between -180 and 180"},
		{"offset missing", func(b map[string]any) {
			lwSetTrigger(b, lwTrigger("timeBasedAttributeTrigger", "timeBasedAttribute", "employeeLeaveDateTime"))
		}, "offsetInDays: the property is required"},
		{"offset not a number", func(b map[string]any) {
			lwSetTrigger(b, lwTrigger("timeBasedAttributeTrigger", "timeBasedAttribute", "employeeLeaveDateTime", "offsetInDays", "soon"))
		}, "Edm.Int32"},
		{"time attribute unknown", func(b map[string]any) {
			lwSetTrigger(b, lwTrigger("timeBasedAttributeTrigger", "timeBasedAttribute", "birthday", "offsetInDays", 0))
		}, "timeBasedAttribute: the value 'birthday' is not valid"},
		{"attribute trigger empty", func(b map[string]any) {
			lwSetTrigger(b, lwTrigger("attributeChangeTrigger", "triggerAttributes", []any{}))
		}, "at least one trigger attribute"},
		{"attribute trigger unknown attribute", func(b map[string]any) {
			lwSetTrigger(b, lwTrigger("attributeChangeTrigger", "triggerAttributes", []any{map[string]any{"name": "shoeSize"}}))
		}, "'shoeSize' is not a user attribute"},
		{"membership trigger with rule scope", func(b map[string]any) {
			lwSetTrigger(b, lwTrigger("membershipChangeTrigger", "changeType", "add"))
		}, "needs a '#microsoft.graph.identityGovernance.groupBasedSubjectSet' scope"},
		{"membership change type", func(b map[string]any) {
			lwEC(b)["scope"] = map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.groupBasedSubjectSet", "groups": []any{map[string]any{"id": lwGroup1}}}
			lwSetTrigger(b, lwTrigger("membershipChangeTrigger", "changeType", "modify"))
		}, "changeType: the value 'modify' is not valid"},
		{"inactivity zero", func(b map[string]any) {
			lwSetTrigger(b, lwTrigger("userInactivityTrigger", "inactivityPeriodInDays", 0))
		}, "at least 1"},
		{"rule unknown property", func(b map[string]any) { lwEC(b)["scope"].(map[string]any)["rule"] = "(departmen eq 'Sales')" }, "at position 2: 'departmen' is not a supported user property"},
		{"rule unbalanced", func(b map[string]any) { lwEC(b)["scope"].(map[string]any)["rule"] = "(department eq 'Sales'" }, "expected ')'"},
		{"rule double quotes", func(b map[string]any) { lwEC(b)["scope"].(map[string]any)["rule"] = `(department eq "Sales")` }, "single quotes"},
		{"rule bad operator", func(b map[string]any) { lwEC(b)["scope"].(map[string]any)["rule"] = "(department gt 'Sales')" }, "'gt' is not a supported operator"},
		{"rule empty", func(b map[string]any) { lwEC(b)["scope"].(map[string]any)["rule"] = "" }, "rule: the value must not be empty"},
		{"rule bool type", func(b map[string]any) { lwEC(b)["scope"].(map[string]any)["rule"] = "(accountEnabled eq 'yes')" }, "boolean property"},
		{"scope unknown group", func(b map[string]any) {
			lwEC(b)["scope"] = map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.groupBasedSubjectSet", "groups": []any{map[string]any{"id": uuid.NewString()}}}
		}, "executionConditions.scope.groups[0].id: group"},
		{"scope no groups", func(b map[string]any) {
			lwEC(b)["scope"] = map[string]any{"@odata.type": "#microsoft.graph.identityGovernance.groupBasedSubjectSet", "groups": []any{}}
		}, "at least one group"},
		{"tasks missing", func(b map[string]any) { delete(b, "tasks") }, "tasks: the property is required"},
		{"no tasks", func(b map[string]any) { b["tasks"] = []any{} }, "at least one task"},
		{"26 tasks", func(b map[string]any) { lwSetTasks(b, many(26)...) }, "at most 25 tasks"},
		{"task without name", func(b map[string]any) {
			lwSetTasks(b, map[string]any{"taskDefinitionId": lwDefDisable, "arguments": []any{}})
		}, "tasks[0].displayName: the property is required"},
		{"duplicate task names", func(b map[string]any) {
			lwSetTasks(b, lwTask("Same", lwDefDisable), lwTask("same", "b3a31406-2a15-4c9a-b25b-a658fa5f07fc"))
		}, "tasks[1].displayName: the task name 'same' is already used"},
		{"unknown task definition", func(b map[string]any) { lwSetTasks(b, lwTask("x", uuid.NewString())) }, "is not one of the tenant's task definitions"},
		{"wrong category", func(b map[string]any) { lwSetTasks(b, lwTask("Welcome", lwDefWelcome)) }, "The task definition 'Send welcome email' (70b29d51-b59a-4773-9280-8841dfd3f2ea) cannot be used in a leaver workflow"},
		{"mover-only task in joiner", func(b map[string]any) {
			b["category"] = "joiner"
			lwSetTrigger(b, lwTrigger("timeBasedAttributeTrigger", "timeBasedAttribute", "employeeHireDate", "offsetInDays", 0))
			lwSetTasks(b, lwTask("Notify", lwDefNotifyMove))
		}, "cannot be used in a joiner workflow"},
		{"unknown argument", func(b map[string]any) { lwSetTasks(b, lwTask("D", lwDefDisable, "deleteOnPremisesAccount", "true")) }, "'deleteOnPremisesAccount' is not an argument"},
		{"argument on task without parameters", func(b map[string]any) {
			lwSetTasks(b, lwTask("R", "b3a31406-2a15-4c9a-b25b-a658fa5f07fc", "groupID", lwGroup1))
		}, "it takes no arguments"},
		{"missing required groupID", func(b map[string]any) { lwSetTasks(b, lwTask("G", lwDefRemoveGroups)) }, "requires the argument 'groupID'"},
		{"groupID not a GUID", func(b map[string]any) { lwSetTasks(b, lwTask("G", lwDefRemoveGroups, "groupID", "sales")) }, "comma-separated ids"},
		{"groupID unknown group", func(b map[string]any) {
			lwSetTasks(b, lwTask("G", lwDefRemoveGroups, "groupID", lwGroup1+","+uuid.NewString()))
		}, "tasks[0].arguments[0].value: group"},
		{"enum argument value", func(b map[string]any) { lwSetTasks(b, lwTask("D", lwDefDisable, "disableOnPremisesAccount", "yes")) }, "Valid values: true, false"},
		{"argument value not a string", func(b map[string]any) {
			lwSetTasks(b, map[string]any{"displayName": "D", "taskDefinitionId": lwDefDisable,
				"arguments": []any{map[string]any{"name": "disableOnPremisesAccount", "value": true}}})
		}, "Edm.String"},
		{"duplicate argument", func(b map[string]any) {
			lwSetTasks(b, lwTask("D", lwDefDisable, "disableOnPremisesAccount", "true", "disableOnPremisesAccount", "false"))
		}, "given twice"},
		{"tap lifetime too short", func(b map[string]any) {
			b["category"] = "joiner"
			lwSetTasks(b, lwTask("TAP", lwDefTAP, "tapLifetimeMinutes", "5"))
		}, "between 10 and 43000"},
		{"tap lifetime not a number", func(b map[string]any) {
			b["category"] = "joiner"
			lwSetTasks(b, lwTask("TAP", lwDefTAP, "tapLifetimeMinutes", "an hour"))
		}, "whole number"},
		{"access package missing", func(b map[string]any) {
			lwSetTasks(b, lwTask("P", lwDefRemovePkg, "accessPackageId", uuid.NewString()))
		}, "access package"},
		{"policy of another package", func(b map[string]any) {
			b["category"] = "joiner"
			lwSetTrigger(b, lwTrigger("timeBasedAttributeTrigger", "timeBasedAttribute", "employeeHireDate", "offsetInDays", 0))
			lwSetTasks(b, lwTask("P", lwDefRequestPkg, "accessPackageId", otherPkg, "assignmentPolicyId", policy))
		}, "belongs to access package"},
		{"request package without policy", func(b map[string]any) {
			b["category"] = "joiner"
			lwSetTasks(b, lwTask("P", lwDefRequestPkg, "accessPackageId", pkg))
		}, "requires the argument 'assignmentPolicyId'"},
		{"custom extension id not a GUID", func(b map[string]any) {
			lwSetTasks(b, lwTask("C", "4262b724-8dba-4fad-afc3-43fcbb497a0e", "customTaskExtensionID", "logic-app"))
		}, "not a valid object id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := lwLeaver("Case " + c.name)
			c.mutate(b)
			resp, obj := e.DoWith(e.Token, "POST", lwPath+"/workflows", b, nil)
			if resp.StatusCode != http.StatusBadRequest || emulatortest.ErrCode(obj) != wire.CodeBadRequest {
				t.Fatalf("got %d %v", resp.StatusCode, obj)
			}
			if !strings.Contains(emulatortest.ErrMessage(obj), c.want) {
				t.Errorf("message %q does not contain %q", emulatortest.ErrMessage(obj), c.want)
			}
		})
	}
	if n, _ := e.Srv.ListObjects(lifecycle.CollWorkflows); len(n) != 1 {
		t.Errorf("failed creates stored workflows: %d", len(n))
	}

	valid := []struct {
		name   string
		mutate func(b map[string]any)
	}{
		{"PascalCase category and lower-case upper-case id", func(b map[string]any) {
			b["category"] = "Joiner"
			lwSetTrigger(b, lwTrigger("timeBasedAttributeTrigger", "timeBasedAttribute", "EmployeeHireDate", "offsetInDays", "-3"))
			lwSetTasks(b, lwTask("Remind", "3c860712-2d37-42a4-928f-5c93935d26a1", "to", "Manager"))
		}},
		{"lambda rule and attribute trigger", func(b map[string]any) {
			b["category"] = "mover"
			lwEC(b)["scope"].(map[string]any)["rule"] = "(otherMails/any(p:startsWith(p, 'Av'))) and not (employeeOrgData/costCenter eq 'It''s')"
			lwSetTrigger(b, lwTrigger("attributeChangeTrigger", "triggerAttributes", []any{map[string]any{"name": "Department"}, map[string]any{"name": "jobTitle"}}))
			lwSetTasks(b, lwTask("Notify", lwDefNotifyMove))
		}},
		{"inactivity trigger", func(b map[string]any) {
			lwSetTrigger(b, lwTrigger("userInactivityTrigger", "inactivityPeriodInDays", 90))
		}},
		{"access package tasks", func(b map[string]any) {
			b["category"] = "mover"
			lwSetTrigger(b, lwTrigger("attributeChangeTrigger", "triggerAttributes", []any{map[string]any{"name": "department"}}))
			lwSetTasks(b, lwTask("Request", lwDefRequestPkg, "assignmentPolicyId", policy, "accessPackageId", pkg),
				lwTask("Remove", lwDefRemovePkg, "accessPackageId", otherPkg))
		}},
		{"25 tasks", func(b map[string]any) { lwSetTasks(b, many(25)...) }},
	}
	for _, c := range valid {
		t.Run("valid "+c.name, func(t *testing.T) {
			b := lwLeaver("Valid " + c.name)
			c.mutate(b)
			resp, obj := e.DoWith(e.Token, "POST", lwPath+"/workflows", b, lwPrefer())
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("got %d %v", resp.StatusCode, obj)
			}
		})
	}
	// Canonical forms are written back.
	resp, list := e.DoWith(e.Token, "GET", lwPath+"/workflows?$filter=displayName%20eq%20'Valid%20lambda%20rule%20and%20attribute%20trigger'", nil, lwPrefer())
	if resp.StatusCode != 200 || len(list["value"].([]any)) != 1 {
		t.Fatalf("lookup: %v", list)
	}
	w := list["value"].([]any)[0].(map[string]any)
	attrs := w["executionConditions"].(map[string]any)["trigger"].(map[string]any)["triggerAttributes"].([]any)
	if attrs[0].(map[string]any)["name"] != "department" || w["category"] != "mover" {
		t.Errorf("canonical values: %v", w)
	}
}
