package provider_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/review"
)

// entragov-review's golden tests: real plans of the built provider under the Terraform CLI against a local
// API, reviewed, and compared with testdata/review/<plan>.{txt,md}. `go test -run TestAccCLI_review -update`
// (with TF_ACC=1) rewrites the files; read the diff before committing it.
var updateGolden = flag.Bool("update", false, "rewrite the golden files of the entragov-review tests")

// reviewBase is what is applied first: every governance object with its safeguards on.
const reviewBase = `
data "entragov_group" "falcon" {
  display_name = "Project Falcon"
}

data "entragov_user" "adele" {
  user_principal_name = "AdeleV@contoso.onmicrosoft.com"
}

resource "entragov_catalog" "internal" {
  display_name       = "Internal"
  description        = "v1"
  state              = "unpublished"
  externally_visible = false
}

resource "entragov_catalog" "retired" {
  display_name = "Retired"
}

resource "entragov_catalog" "archive" {
  display_name = "Archive"
}

resource "entragov_access_package" "member" {
  catalog_id   = entragov_catalog.internal.id
  display_name = "Member"
  description  = "v1"
}

resource "entragov_access_package" "approver" {
  catalog_id   = entragov_catalog.internal.id
  display_name = "Approver"
  hidden       = true
}

resource "entragov_access_package" "retired" {
  catalog_id   = entragov_catalog.retired.id
  display_name = "Retired package"
}

resource "entragov_access_package" "legacy" {
  catalog_id   = entragov_catalog.internal.id
  display_name = "Legacy"
}

resource "entragov_access_package_incompatibility" "member_approver" {
  access_package_id              = entragov_access_package.member.id
  incompatible_access_package_id = entragov_access_package.approver.id
}

resource "entragov_assignment_policy" "strict" {
  access_package_id    = entragov_access_package.member.id
  display_name         = "Strict"
  description          = "v1"
  allowed_target_scope = "specificDirectoryUsers"
  specific_allowed_targets = [
    { type = "groupMembers", group_id = data.entragov_group.falcon.id },
  ]
  expiration         = { type = "afterDuration", duration = "P90D" }
  requestor_settings = { enable_targets_to_self_add_access = true }
  request_approval_settings = {
    approval_required_for_add = true
    stages = [{
      duration_before_automatic_denial = "P14D"
      primary_approvers                = [{ type = "groupMembers", group_id = data.entragov_group.falcon.id }]
    }]
  }
  review_settings = {
    expiration_behavior = "removeAccess"
    primary_reviewers   = [{ type = "groupMembers", group_id = data.entragov_group.falcon.id }]
    schedule = {
      start_date_time = "2027-01-01T00:00:00Z"
      duration        = "P14D"
      recurrence      = { pattern = { type = "absoluteMonthly", interval = 3 } }
    }
  }
}

resource "entragov_assignment_policy" "staged" {
  access_package_id    = entragov_access_package.member.id
  display_name         = "Staged"
  allowed_target_scope = "specificDirectoryUsers"
  specific_allowed_targets = [
    { type = "groupMembers", group_id = data.entragov_group.falcon.id },
  ]
  expiration         = { type = "afterDuration", duration = "P90D" }
  requestor_settings = { enable_targets_to_self_add_access = true }
  request_approval_settings = {
    approval_required_for_add        = true
    requestor_justification_required = true
    stages = [
      {
        duration_before_automatic_denial = "P7D"
        approver_justification_required  = true
        escalation_enabled               = true
        duration_before_escalation       = "P2D"
        primary_approvers                = [{ type = "groupMembers", group_id = data.entragov_group.falcon.id }]
        escalation_approvers             = [{ type = "singleUser", user_id = data.entragov_user.adele.id }]
      },
      {
        duration_before_automatic_denial = "P14D"
        primary_approvers                = [{ type = "singleUser", user_id = data.entragov_user.adele.id }]
      },
    ]
  }
  review_settings = {
    expiration_behavior = "removeAccess"
    primary_reviewers   = [{ type = "singleUser", user_id = data.entragov_user.adele.id }]
    schedule = {
      start_date_time = "2027-01-01T00:00:00Z"
      duration        = "P14D"
      recurrence      = { pattern = { type = "absoluteMonthly", interval = 1 } }
    }
  }
}

resource "entragov_assignment_policy" "auto" {
  access_package_id    = entragov_access_package.member.id
  display_name         = "Sales and US"
  allowed_target_scope = "specificDirectoryUsers"
  specific_allowed_targets = [
    { type = "attributeRuleMembers", membership_rule = "(user.department -eq \"Sales\") -and (user.country -eq \"US\")" },
  ]
  automatic_request_settings = {
    request_access_for_allowed_targets               = true
    remove_access_when_target_leaves_allowed_targets = true
  }
  expiration = { type = "noExpiration" }
}

resource "entragov_connected_organization" "partner" {
  display_name = "Northwind"
  state        = "proposed"
  identity_sources = [
    { type = "domainIdentitySource", domain_name = "northwind.example", display_name = "Northwind" },
  ]
}

resource "entragov_connected_organization" "former" {
  display_name = "Former partner"
  state        = "proposed"
  identity_sources = [
    { type = "domainIdentitySource", domain_name = "former.example", display_name = "Former partner" },
  ]
}

resource "entragov_entitlement_management_settings" "tenant" {
  external_user_lifecycle_action                     = "blockSignInAndDelete"
  duration_until_external_user_deleted_after_blocked = "P30D"
}

resource "entragov_lifecycle_workflow" "leavers" {
  category           = "leaver"
  display_name       = "Offboard guests"
  description        = "v1"
  scheduling_enabled = true
  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "ruleBasedSubjectSet", rule = "(userType eq 'Guest') or (companyName eq 'Fabrikam')" }
    trigger = { type = "timeBasedAttributeTrigger", time_based_attribute = "employeeLeaveDateTime", offset_in_days = 0 }
  }
  tasks = [
    { task_definition_id = "42ae2956-193d-4f39-be06-691b8ac4fa1d", display_name = "Remove access package assignments" },
    { task_definition_id = "509589a4-0466-4471-829e-49c5e502bdee", display_name = "Revoke sessions" },
    { task_definition_id = "8d18588d-9ad3-4c0f-99d0-ec215f0e3dff", display_name = "Delete the guest account" },
  ]
  permanently_delete_on_destroy = true
}

resource "entragov_access_review" "falcon_guests" {
  display_name = "Falcon guests"
  scope = {
    type  = "accessReviewQueryScope"
    query = "/groups/${data.entragov_group.falcon.id}/transitiveMembers/microsoft.graph.user/?$filter=(userType eq 'Guest')"
  }
  reviewers = [{ query = "./sponsors", query_root = "decisions" }]
  settings = {
    instance_duration_in_days    = 14
    default_decision_enabled     = true
    default_decision             = "Deny"
    auto_apply_decisions_enabled = true
    recurrence = {
      pattern = { type = "absoluteMonthly", interval = 3 }
      range   = { type = "noEnd", start_date = "2027-01-01" }
    }
  }
}

resource "entragov_access_review" "retired" {
  display_name = "Retired review"
  scope        = { type = "accessReviewQueryScope", query = "/groups/${data.entragov_group.falcon.id}/transitiveMembers" }
  reviewers    = [{ query = "/users/${data.entragov_user.adele.id}" }]
  settings = {
    instance_duration_in_days = 7
    recurrence = {
      pattern = { type = "weekly", interval = 1 }
      range   = { type = "noEnd", start_date = "2027-01-01" }
    }
  }
}
`

// reviewRisky weakens every safeguard of reviewBase at once, so that every rule fires on one plan.
const reviewRisky = `
data "entragov_group" "falcon" {
  display_name = "Project Falcon"
}

data "entragov_user" "adele" {
  user_principal_name = "AdeleV@contoso.onmicrosoft.com"
}

resource "entragov_catalog" "internal" {
  display_name       = "Internal"
  description        = "v1"
  state              = "published"
  externally_visible = true
}

resource "entragov_catalog" "archive" {
  display_name = "Archive"
}

resource "entragov_access_package" "member" {
  catalog_id   = entragov_catalog.internal.id
  display_name = "Member"
  description  = "v1"
}

resource "entragov_access_package" "approver" {
  catalog_id   = entragov_catalog.internal.id
  display_name = "Approver"
  hidden       = false
}

resource "entragov_access_package" "legacy" {
  catalog_id   = entragov_catalog.archive.id
  display_name = "Legacy"
}

resource "entragov_assignment_policy" "strict" {
  access_package_id         = entragov_access_package.member.id
  display_name              = "Strict"
  description               = "v1"
  allowed_target_scope      = "allMemberUsers"
  expiration                = { type = "noExpiration" }
  requestor_settings        = { enable_targets_to_self_add_access = true }
  request_approval_settings = { approval_required_for_add = false }
}

resource "entragov_assignment_policy" "staged" {
  access_package_id    = entragov_access_package.member.id
  display_name         = "Staged"
  allowed_target_scope = "specificDirectoryUsers"
  specific_allowed_targets = [
    { type = "groupMembers", group_id = data.entragov_group.falcon.id },
    { type = "singleUser", user_id = data.entragov_user.adele.id },
  ]
  expiration = { type = "afterDuration", duration = "P180D" }
  requestor_settings = {
    enable_targets_to_self_add_access         = true
    enable_targets_to_self_update_access      = true
    allow_custom_assignment_schedule          = true
    enable_on_behalf_requestors_to_add_access = true
    on_behalf_requestors                      = [{ type = "targetManager", manager_level = 1 }]
  }
  request_approval_settings = {
    approval_required_for_add = true
    stages = [
      {
        duration_before_automatic_denial = "P7D"
        primary_approvers                = [{ type = "requestorManager", manager_level = 1 }]
      },
    ]
  }
  review_settings = {
    expiration_behavior = "keepAccess"
    self_review         = true
    schedule = {
      start_date_time = "2027-01-01T00:00:00Z"
      duration        = "P14D"
      recurrence      = { pattern = { type = "absoluteMonthly", interval = 6 } }
    }
  }
}

resource "entragov_assignment_policy" "auto" {
  access_package_id    = entragov_access_package.member.id
  display_name         = "Sales and US"
  allowed_target_scope = "specificDirectoryUsers"
  specific_allowed_targets = [
    { type = "attributeRuleMembers", membership_rule = "(user.department -eq \"Sales\")" },
  ]
  automatic_request_settings = {
    request_access_for_allowed_targets               = true
    remove_access_when_target_leaves_allowed_targets = true
  }
  expiration = { type = "noExpiration" }
}

resource "entragov_connected_organization" "partner" {
  display_name = "Northwind"
  state        = "configured"
  identity_sources = [
    { type = "domainIdentitySource", domain_name = "northwind.example", display_name = "Northwind" },
  ]
}

resource "entragov_entitlement_management_settings" "tenant" {
  external_user_lifecycle_action = "blockSignIn"
}

resource "entragov_lifecycle_workflow" "leavers" {
  category           = "leaver"
  display_name       = "Offboard guests"
  description        = "v1"
  scheduling_enabled = false
  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "ruleBasedSubjectSet", rule = "(userType eq 'Guest') and (companyName eq 'Fabrikam')" }
    trigger = { type = "timeBasedAttributeTrigger", time_based_attribute = "employeeLeaveDateTime", offset_in_days = 0 }
  }
  tasks = [
    { task_definition_id = "42ae2956-193d-4f39-be06-691b8ac4fa1d", display_name = "Remove access package assignments" },
    { task_definition_id = "509589a4-0466-4471-829e-49c5e502bdee", display_name = "Revoke sessions" },
  ]
  permanently_delete_on_destroy = true
}

resource "entragov_access_review" "falcon_guests" {
  display_name = "Falcon guests"
  scope = {
    type  = "accessReviewQueryScope"
    query = "/groups/${data.entragov_group.falcon.id}/transitiveMembers/microsoft.graph.user/?$filter=(userType eq 'Guest')"
  }
  reviewers = []
  settings = {
    instance_duration_in_days    = 14
    default_decision_enabled     = true
    default_decision             = "Approve"
    auto_apply_decisions_enabled = false
    recurrence = {
      pattern = { type = "absoluteMonthly", interval = 6 }
      range   = { type = "noEnd", start_date = "2027-01-01" }
    }
  }
}
`

// TestAccCLI_review applies reviewBase with the built provider, then saves and reviews four plans: one
// that only renames (nothing risky), reviewRisky (every rule at least once), a refresh-only plan after
// changes made through the local API's control surface (drift only), and a normal plan after the same
// changes (drift, and planned changes that undo it). Each review must equal its golden files, and every
// rule must fire in at least one of them.
func TestAccCLI_review(t *testing.T) {
	w := newCLIWorkspace(t)
	w.write(reviewBase)
	w.run(0, "apply", "-auto-approve", "-input=false", "-no-color")
	fired := map[string]bool{}

	// Descriptions only.
	w.write(strings.ReplaceAll(reviewBase, `"v1"`, `"v2"`))
	w.run(2, "plan", "-detailed-exitcode", "-input=false", "-no-color", "-out=norisk.tfplan")
	reviewGolden(t, w, "norisk.tfplan", "no-risk", fired)

	w.write(reviewRisky)
	w.run(2, "plan", "-detailed-exitcode", "-input=false", "-no-color", "-out=risky.tfplan")
	reviewGolden(t, w, "risky.tfplan", "risky", fired)

	// Someone turns approval off in the portal, removes the incompatibility, keeps blocked guests longer
	// and switches the leaver workflow off.
	w.write(reviewBase)
	policy := w.resourceValues("entragov_assignment_policy.strict")["id"].(string)
	member := w.resourceValues("entragov_access_package.member")["id"].(string)
	approver := w.resourceValues("entragov_access_package.approver")["id"].(string)
	workflow := w.resourceValues("entragov_lifecycle_workflow.leavers")["id"].(string)
	for _, change := range []struct {
		collection, id string
		patch          map[string]any
	}{
		{"assignmentPolicies", policy, map[string]any{"requestApprovalSettings": map[string]any{"isApprovalRequiredForAdd": false, "stages": []any{}}}},
		{"emSettings", "settings", map[string]any{"durationUntilExternalUserDeletedAfterBlocked": "P90D"}},
		{"workflows", workflow, map[string]any{"isEnabled": false, "isSchedulingEnabled": false}},
	} {
		if err := w.emulator.Server.ChangeObject(change.collection, change.id, change.patch); err != nil {
			t.Fatalf("changing %s %s: %v", change.collection, change.id, err)
		}
	}
	if err := w.emulator.Server.RemoveLink(emulator.LinkIncompatibleAccessPackages, member, approver); err != nil {
		t.Fatal(err)
	}
	w.run(0, "plan", "-refresh-only", "-input=false", "-no-color", "-out=drift.tfplan")
	reviewGolden(t, w, "drift.tfplan", "drift-refresh-only", fired)
	w.run(2, "plan", "-detailed-exitcode", "-input=false", "-no-color", "-out=drift-plan.tfplan")
	reviewGolden(t, w, "drift-plan.tfplan", "drift-plan", fired)

	for _, r := range review.Rules {
		if !fired[r.Name] {
			t.Errorf("rule %s fired in none of the golden plans", r.Name)
		}
	}
	w.write(reviewBase)
	w.run(0, "apply", "-auto-approve", "-input=false", "-no-color")
	w.run(0, "destroy", "-auto-approve", "-input=false", "-no-color")
}

var (
	uuidPattern = regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)
	// The seeded directory's and the task definitions' ids are fixed; objects made by the test get new ones.
	stableIDs = map[string]bool{
		emulator.SeedGroupProjectFalconID: true, emulator.SeedUserAdeleID: true,
		"42ae2956-193d-4f39-be06-691b8ac4fa1d": true, "509589a4-0466-4471-829e-49c5e502bdee": true, "8d18588d-9ad3-4c0f-99d0-ec215f0e3dff": true,
	}
)

// reviewGolden reviews a saved plan in every format, checks the JSON's rule names against the table, and
// compares the text and Markdown with testdata/review/<name>.txt and .md.
func reviewGolden(t *testing.T, w *cliWorkspace, planFile, name string, fired map[string]bool) {
	t.Helper()
	raw := w.run(0, "show", "-json", planFile)
	plan, err := review.ParsePlan([]byte(raw))
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, raw)
	}
	report := review.Review(plan)
	var js bytes.Buffer
	if err := report.Write(&js, review.FormatJSON); err != nil {
		t.Fatal(err)
	}
	var decoded struct {
		Findings []struct {
			Rule string `json:"rule"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(js.Bytes(), &decoded); err != nil {
		t.Fatalf("%s: the JSON report does not decode: %v\n%s", name, err, js.String())
	}
	for _, f := range decoded.Findings {
		if !slices.ContainsFunc(review.Rules, func(r review.Rule) bool { return r.Name == f.Rule }) {
			t.Errorf("%s: the JSON names an unknown rule %q", name, f.Rule)
		}
		fired[f.Rule] = true
	}
	for _, format := range []struct{ name, ext string }{{review.FormatText, "txt"}, {review.FormatMarkdown, "md"}} {
		var out bytes.Buffer
		if err := report.Write(&out, format.name); err != nil {
			t.Fatal(err)
		}
		got := normaliseReview(out.String())
		path := filepath.Join("testdata", "review", fmt.Sprintf("%s.%s", name, format.ext))
		if *updateGolden {
			writeFile(t, path, got)
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to write it)", err)
		}
		if got != string(want) {
			t.Errorf("%s: the review differs from %s (run with -update to rewrite it):\n--- got\n%s\n--- want\n%s", name, path, got, want)
		}
	}
}

// normaliseReview replaces the ids of objects the test made, which change with every run, by numbered
// placeholders in order of appearance (the seeded directory's ids and the task definitions' stay).
func normaliseReview(s string) string {
	seen := map[string]string{}
	return uuidPattern.ReplaceAllStringFunc(s, func(id string) string {
		if stableIDs[id] {
			return id
		}
		if _, ok := seen[id]; !ok {
			seen[id] = fmt.Sprintf("<id-%d>", len(seen)+1)
		}
		return seen[id]
	})
}
