package entitlement_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// invalidPolicies are configurations Graph would reject. Each must fail at plan with a diagnostic that
// names the attribute to change, and none may reach the API.
var invalidPolicies = []struct {
	name string
	body string
	want string // a pattern matched against the error output (spaces match any white space)
}{
	// Enums.
	{"target scope enum", `allowed_target_scope = "everyone"`, `allowed_target_scope value must be one of`},
	{"expiration type enum", `expiration = { type = "afterMonths" }`, `expiration.type value must be one of`},
	{"approver visibility enum", approvalWith(`approver_information_visibility = "hidden"`), `approver_information_visibility value must be one of`},
	{"review behaviour enum", reviewWith(`expiration_behavior = "deleteAccess"`, `{ type = "absoluteMonthly", interval = 3 }`), `expiration_behavior value must be one of`},
	{"recurrence type enum", reviewWith(`expiration_behavior = "keepAccess"`, `{ type = "quarterly" }`), `pattern.type value must be one of`},
	{"day of week enum", reviewWith(`expiration_behavior = "keepAccess"`, `{ type = "weekly", days_of_week = ["funday"] }`), `days_of_week.*must be one of`},
	{"question type enum", `questions = [{ type = "accessPackageDateQuestion", text = "When?" }]`, `questions\[0\].type value must be one of`},
	{"extension stage enum", `custom_extension_stage_settings = [{ stage = "assignmentExpired", custom_extension_id = "` + emulator.SeedGroupSalesID + `" }]`, `custom_extension_stage_settings\[0\].stage value must be one of`},
	{"subject set type enum", `
  allowed_target_scope     = "specificDirectoryUsers"
  specific_allowed_targets = [{ type = "everyone" }]`, `specific_allowed_targets\[0\].type value must be one of`},
	// Durations and formats.
	{"expiration duration syntax", `expiration = { type = "afterDuration", duration = "180 days" }`, `not an ISO 8601 duration`},
	{"denial duration syntax", approvalWith(`duration_before_automatic_denial = "P2X"`), `not an ISO 8601 duration`},
	{"grace period syntax", autoWith(`grace_period_before_access_removal = "1w"`), `not an ISO 8601 duration`},
	{"review duration syntax", reviewScheduleWith(`duration = "two weeks"`), `not an ISO 8601 duration`},
	{"end date time format", `expiration = { type = "afterDateTime", end_date_time = "next year" }`, `expiration.end_date_time.*not an RFC 3339 timestamp`},
	{"review start format", reviewScheduleWith(`start_date_time = "2027-01-01"`), `start_date_time.*not an RFC 3339 timestamp`},
	{"range end date format", reviewWith(`expiration_behavior = "keepAccess"`, `{ type = "absoluteMonthly", interval = 3 }`, `range = { type = "endDate", end_date = "31/12/2027" }`), `end_date.*not a date`},
	{"regex pattern", `questions = [{ type = "accessPackageTextInputQuestion", text = "Code?", regex_pattern = "[A-Z" }]`, `regex_pattern.*not a valid regular expression`},
	{"language tag", `questions = [{ type = "accessPackageTextInputQuestion", text = "Code?", localizations = [{ language_code = "French", text = "Code?" }] }]`, `language_code.*must be a language tag`},
	{"user id is a GUID", `
  allowed_target_scope     = "specificDirectoryUsers"
  specific_allowed_targets = [{ type = "singleUser", user_id = "adele" }]`, `specific_allowed_targets\[0\].user_id.*not a GUID`},
	{"extension id is a GUID", `custom_extension_stage_settings = [{ stage = "assignmentRequestCreated", custom_extension_id = "notify-logic-app" }]`, `custom_extension_id.*not a GUID`},
	{"manager level at least 1", approvalWith(`primary_approvers = [{ type = "requestorManager", manager_level = 0 }]`), `manager_level`},
	{"interval at least 1", reviewWith(`expiration_behavior = "keepAccess"`, `{ type = "absoluteMonthly", interval = 0 }`), `pattern.interval value must be at least 1`},
	{"day of month range", reviewWith(`expiration_behavior = "keepAccess"`, `{ type = "absoluteMonthly", day_of_month = 32 }`), `day_of_month value must be between 0 and 31`},
	{"three stages at most", `
  request_approval_settings = {
    approval_required_for_add = true
    stages = [` + stage + `, ` + stage + `, ` + stage + `, ` + stage + `]
  }`, `request_approval_settings.stages list must contain at least 1 elements and at most 3`},
	// Subject sets: each type's fields.
	{"single user needs user_id", `
  allowed_target_scope     = "specificDirectoryUsers"
  specific_allowed_targets = [{ type = "singleUser" }]`, `specific_allowed_targets\[0\].*needs user_id`},
	{"group fields on a manager", approvalWith(`primary_approvers = [{ type = "requestorManager", manager_level = 1, group_id = "` + emulator.SeedGroupSalesID + `" }]`), `group_id is not used by type "requestorManager"`},
	{"approver type not allowed", approvalWith(`primary_approvers = [{ type = "attributeRuleMembers", membership_rule = "(user.department -eq \"Sales\")" }]`), `primary_approvers\[0\].type value must be one of`},
	// Targets against the scope.
	{"specific scope without targets", `allowed_target_scope = "specificDirectoryUsers"`, `Targets missing.*specificDirectoryUsers`},
	{"targets with a general scope", `
  allowed_target_scope     = "allMemberUsers"
  specific_allowed_targets = [{ type = "groupMembers", group_id = "` + emulator.SeedGroupSalesID + `" }]`, `Targets not used by this scope.*Attribute specific_allowed_targets:`},
	{"organization target with user scope", `
  allowed_target_scope     = "specificDirectoryUsers"
  specific_allowed_targets = [{ type = "connectedOrganizationMembers", connected_organization_id = "` + fabrikamOrgID + `" }]`, `specific_allowed_targets\[0\].type.*cannot be a target of allowed_target_scope`},
	{"user target with organization scope", `
  allowed_target_scope     = "specificConnectedOrganizationUsers"
  specific_allowed_targets = [{ type = "singleUser", user_id = "` + emulator.SeedUserAdeleID + `" }]`, `specific_allowed_targets\[0\].type.*cannot be a target`},
	{"attribute rule without auto-assignment", `
  allowed_target_scope     = "specificDirectoryUsers"
  specific_allowed_targets = [{ type = "attributeRuleMembers", membership_rule = "(user.department -eq \"Sales\")" }]`, `Attribute rules need automatic assignment`},
	// Expiration.
	{"after date time without end", `expiration = { type = "afterDateTime" }`, `expiration.end_date_time.*End missing`},
	{"after date time with duration", `expiration = { type = "afterDateTime", end_date_time = "2027-06-30T00:00:00Z", duration = "P1D" }`, `expiration.duration.*Duration not used`},
	{"after duration without duration", `expiration = { type = "afterDuration" }`, `expiration.duration.*Duration missing`},
	{"after duration zero", `expiration = { type = "afterDuration", duration = "PT0S" }`, `Duration must be positive`},
	{"after duration with end", `expiration = { type = "afterDuration", duration = "P1D", end_date_time = "2027-06-30T00:00:00Z" }`, `expiration.end_date_time.*End not used`},
	{"no expiration with duration", `expiration = { type = "noExpiration", duration = "P1D" }`, `expiration.type.*takes neither`},
	// Requestors.
	{"on-behalf without requestors", `
  allowed_target_scope = "allMemberUsers"
  requestor_settings   = { enable_on_behalf_requestors_to_add_access = true }`, `requestor_settings.on_behalf_requestors.*On-behalf requestors missing`},
	{"self-service with notSpecified", `requestor_settings = { enable_targets_to_self_add_access = true }`, `requestor_settings.enable_targets_to_self_add_access.*only direct assignment by an administrator`},
	// Approval.
	{"approval without stages", `
  request_approval_settings = { approval_required_for_add = true }`, `request_approval_settings.stages.*Approval stages missing`},
	{"stage without approvers", approvalWith(`primary_approvers = []`), `stages\[0\].primary_approvers.*Approvers missing`},
	{"stage without approvers or fallbacks", approvalWith(`primary_approvers = []`, `fallback_primary_approvers = []`), `stages\[0\].primary_approvers.*Approvers missing`},
	{"escalation without duration", approvalWith(`escalation_enabled = true`, `escalation_approvers = [{ type = "singleUser", user_id = "`+emulator.SeedUserPattiID+`" }]`), `duration_before_escalation.*Escalation duration missing`},
	{"escalation without approvers", approvalWith(`escalation_enabled = true`, `duration_before_escalation = "P1D"`), `escalation_approvers.*Escalation approvers missing`},
	{"escalation after denial", approvalWith(`escalation_enabled = true`, `duration_before_escalation = "P14D"`, `escalation_approvers = [{ type = "singleUser", user_id = "`+emulator.SeedUserPattiID+`" }]`), `Escalation after denial`},
	{"escalation approvers while off", approvalWith(`escalation_approvers = [{ type = "singleUser", user_id = "` + emulator.SeedUserPattiID + `" }]`), `stages\[0\].escalation_approvers.*Escalation is off`},
	{"escalation duration while off", approvalWith(`duration_before_escalation = "P1D"`), `stages\[0\].duration_before_escalation.*Escalation is off`},
	// Reviews.
	{"review without reviewers", reviewWithReviewers(``), `review_settings.primary_reviewers.*Reviewers missing`},
	{"weekly review without days", reviewWith(`expiration_behavior = "keepAccess"`, `{ type = "weekly" }`), `pattern.days_of_week.*Days missing`},
	{"days on a monthly review", reviewWith(`expiration_behavior = "keepAccess"`, `{ type = "absoluteMonthly", days_of_week = ["monday"] }`), `days_of_week.*Days not used`},
	{"relative review without index", reviewWith(`expiration_behavior = "keepAccess"`, `{ type = "relativeMonthly", days_of_week = ["monday"] }`), `pattern.index.*Week index missing`},
	{"end date range without date", reviewWith(`expiration_behavior = "keepAccess"`, `{ type = "absoluteMonthly", interval = 3 }`, `range = { type = "endDate" }`), `range.end_date.*End date missing`},
	{"numbered range without count", reviewWith(`expiration_behavior = "keepAccess"`, `{ type = "absoluteMonthly", interval = 3 }`, `range = { type = "numbered" }`), `number_of_occurrences.*Occurrences missing`},
	{"range end before start", reviewWith(`expiration_behavior = "keepAccess"`, `{ type = "absoluteMonthly", interval = 3 }`, `range = { type = "endDate", start_date = "2027-06-01", end_date = "2027-01-01" }`), `range.end_date.*End before start`},
	// Automatic assignment.
	{"auto-assignment with another scope", `
  allowed_target_scope       = "allMemberUsers"
  automatic_request_settings = {}`, `allowed_target_scope.*Automatic assignment needs specificDirectoryUsers`},
	{"auto-assignment with a group target", `
  allowed_target_scope       = "specificDirectoryUsers"
  specific_allowed_targets   = [{ type = "groupMembers", group_id = "` + emulator.SeedGroupSalesID + `" }]
  automatic_request_settings = {}`, `specific_allowed_targets\[0\].type.*Automatic assignment needs attribute rules`},
	{"auto-assignment with self-service", autoWith(``) + `
  requestor_settings = { enable_targets_to_self_add_access = true }`, `enable_targets_to_self_add_access.*Self-service not available with automatic assignment`},
	{"grace period without removal", autoWith(`remove_access_when_target_leaves_allowed_targets = false`, `grace_period_before_access_removal = "P1D"`), `grace_period_before_access_removal.*Grace period not used`},
	// Questions and extensions.
	{"multiple choice without choices", `questions = [{ type = "accessPackageMultipleChoiceQuestion", text = "Office?" }]`, `questions\[0\].choices.*Choices missing`},
	{"single line on multiple choice", `questions = [{ type = "accessPackageMultipleChoiceQuestion", text = "Office?", single_line_question = true, choices = [{ actual_value = "SEA", text = "Seattle" }] }]`, `questions\[0\].single_line_question.*Not a text question`},
	{"choices on text input", `questions = [{ type = "accessPackageTextInputQuestion", text = "Code?", choices = [{ actual_value = "A", text = "A" }] }]`, `questions\[0\].choices.*Not a multiple-choice question`},
	{"duplicate choice values", `questions = [{ type = "accessPackageMultipleChoiceQuestion", text = "Office?", choices = [{ actual_value = "SEA", text = "Seattle" }, { actual_value = "SEA", text = "Seattle again" }] }]`, `choices\[1\].actual_value.*Duplicate choice`},
	{"duplicate localization", `questions = [{ type = "accessPackageTextInputQuestion", text = "Code?", localizations = [{ language_code = "fr", text = "Code?" }, { language_code = "FR", text = "Code ?" }] }]`, `localizations\[1\].language_code.*Duplicate language`},
	{"duplicate extension stage", `custom_extension_stage_settings = [
    { stage = "assignmentRequestCreated", custom_extension_id = "` + emulator.SeedGroupSalesID + `" },
    { stage = "assignmentRequestCreated", custom_extension_id = "` + emulator.SeedGroupFinanceID + `" },
  ]`, `custom_extension_stage_settings\[1\].stage.*Duplicate stage`},
	// Top level.
	{"empty display name", `display_name = ""`, `display_name string length must be at least 1`},
}

const stage = `{ duration_before_automatic_denial = "P14D", primary_approvers = [{ type = "requestorManager", manager_level = 1 }] }`

// approvalWith is a one-stage approval whose stage carries the given attributes (later ones override
// the defaults of the stage).
func approvalWith(attrs ...string) string {
	fields := map[string]string{
		"duration_before_automatic_denial": `"P7D"`,
		"primary_approvers":                `[{ type = "requestorManager", manager_level = 1 }]`,
	}
	order := []string{"duration_before_automatic_denial", "primary_approvers"}
	for _, a := range attrs {
		var name, value string
		if _, err := fmt.Sscanf(a, "%s =", &name); err == nil {
			value = a[len(name)+3:]
			if _, seen := fields[name]; !seen {
				order = append(order, name)
			}
			fields[name] = value
		}
	}
	out := "\n  allowed_target_scope = \"allMemberUsers\"\n  request_approval_settings = {\n    approval_required_for_add = true\n    stages = [{\n"
	for _, name := range order {
		out += fmt.Sprintf("      %s = %s\n", name, fields[name])
	}
	return out + "    }]\n  }"
}

func reviewWith(behavior, pattern string, rangeAttr ...string) string {
	rng := ""
	if len(rangeAttr) > 0 {
		rng = ", " + rangeAttr[0]
	}
	return fmt.Sprintf(`
  allowed_target_scope = "allMemberUsers"
  review_settings = {
    %s
    primary_reviewers = [{ type = "requestorManager", manager_level = 1 }]
    schedule = {
      start_date_time = "2027-01-01T00:00:00Z"
      duration        = "P14D"
      recurrence      = { pattern = %s%s }
    }
  }`, behavior, pattern, rng)
}

func reviewScheduleWith(attr string) string {
	schedule := map[string]string{"start_date_time": `"2027-01-01T00:00:00Z"`, "duration": `"P14D"`}
	var name string
	if _, err := fmt.Sscanf(attr, "%s =", &name); err == nil {
		schedule[name] = attr[len(name)+3:]
	}
	return fmt.Sprintf(`
  allowed_target_scope = "allMemberUsers"
  review_settings = {
    expiration_behavior = "keepAccess"
    self_review         = true
    schedule = {
      start_date_time = %s
      duration        = %s
      recurrence      = { pattern = { type = "absoluteMonthly", interval = 3 } }
    }
  }`, schedule["start_date_time"], schedule["duration"])
}

func reviewWithReviewers(reviewers string) string {
	return fmt.Sprintf(`
  allowed_target_scope = "allMemberUsers"
  review_settings = {
    expiration_behavior = "keepAccess"
    %s
    schedule = {
      start_date_time = "2027-01-01T00:00:00Z"
      duration        = "P14D"
      recurrence      = { pattern = { type = "absoluteMonthly", interval = 3 } }
    }
  }`, reviewers)
}

func autoWith(attrs ...string) string {
	body := ""
	for _, a := range attrs {
		body += "\n    " + a
	}
	return `
  allowed_target_scope     = "specificDirectoryUsers"
  specific_allowed_targets = [{ type = "attributeRuleMembers", membership_rule = "(user.department -eq \"Sales\")" }]
  automatic_request_settings = {` + body + `
  }`
}

func TestAccAssignmentPolicy_invalidConfigurations(t *testing.T) {
	if len(invalidPolicies) < 40 {
		t.Fatalf("only %d invalid configurations", len(invalidPolicies))
	}
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var steps []resource.TestStep
	for _, tc := range invalidPolicies {
		body := tc.body
		if !strings.Contains(body, "display_name") {
			body = "  display_name = \"" + tc.name + "\"\n" + body
		}
		steps = append(steps, resource.TestStep{
			Config:      e.Config(policyConfig(body)),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(eitherOrder(tc.want)),
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}

// eitherOrder lets "A.*B" match B before A too: Terraform prints the summary before the detail that
// names the attribute, while the table reads more naturally attribute first.
func eitherOrder(pattern string) string {
	a, b, ok := strings.Cut(pattern, ".*")
	if !ok {
		return pattern
	}
	return "(?:" + a + ".*" + b + "|" + b + ".*" + a + ")"
}

// Ten policies for one package at Terraform's default parallelism, while the service refuses parallel
// creates for one package (409 DuplicateKey): every policy is created, once. The test harness cannot
// read for_each instances back (its legacy state view rejects string keys), so this uses count, which
// Terraform plans and applies in parallel the same way; make demo applies a for_each set with the
// fault on.
func TestAccAssignmentPolicy_parallelCreatesForOnePackage(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	faults := e.Server.Faults()
	faults.PolicyCreateConflict = true
	e.Server.SetFaults(faults)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoPoliciesLeft(e),
		Steps: []resource.TestStep{{
			Config: e.Config(policyBase + `
resource "entragov_assignment_policy" "team" {
  count             = 10
  access_package_id = entragov_access_package.test.id
  display_name      = format("Team %02d", count.index)
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				countPolicies(e, 10),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}

// countPolicies checks that the API holds exactly want policies: no duplicates from retried creates.
func countPolicies(e *acctest.Emulator, want int) statecheck.StateCheck {
	return funcCheck(func(context.Context) error {
		got, err := e.Server.ListObjects("assignmentPolicies")
		if err != nil {
			return err
		}
		if len(got) != want {
			return fmt.Errorf("the API holds %d assignment policies, want %d", len(got), want)
		}
		return nil
	})
}
