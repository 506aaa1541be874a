package entitlement_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

const policyAddress = "entragov_assignment_policy.test"

// fabrikamOrgID stands for a connected organization; the local API accepts any id until connected
// organizations are managed there.
const fabrikamOrgID = "0c0e0f0a-1b2c-4d3e-8f4a-5b6c7d8e9f00"

const policyBase = `
resource "entragov_catalog" "test" {
  display_name       = "Partners"
  externally_visible = true
}

resource "entragov_access_package" "test" {
  catalog_id   = entragov_catalog.test.id
  display_name = "Design project"
}
`

func policyConfig(body string) string {
	return policyBase + fmt.Sprintf(`
resource "entragov_assignment_policy" "test" {
  access_package_id = entragov_access_package.test.id
%s
}
`, body)
}

func checkNoPoliciesLeft(e *acctest.Emulator) func(*terraform.State) error {
	return func(*terraform.State) error {
		left, err := e.Server.ListObjects("assignmentPolicies")
		if err != nil {
			return err
		}
		if len(left) > 0 {
			return fmt.Errorf("%d assignment policies left after destroy", len(left))
		}
		return nil
	}
}

// policyScenario is one realistic policy: it applies, re-plans empty, imports with verify, detects an
// out-of-band change of a nested field, and updates in place.
type policyScenario struct {
	body        string
	checks      []statecheck.StateCheck
	drift       map[string]any // merge patch applied out of band
	driftCheck  plancheck.PlanCheck
	updatedBody string
	updateCheck []statecheck.StateCheck
	// importIgnore lists attributes an import cannot restore.
	importIgnore []string
}

func runPolicyScenario(t *testing.T, sc policyScenario) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var id, sameAfterUpdate acctest.IDCapture
	var applied map[string]string
	cfg := e.Config(policyConfig(sc.body))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoPoliciesLeft(e),
		Steps: []resource.TestStep{{
			Config:            cfg,
			ConfigStateChecks: append([]statecheck.StateCheck{acctest.CaptureID(policyAddress, &id)}, sc.checks...),
			ConfigPlanChecks:  resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check:             captureAttributes(policyAddress, &applied),
		}, {
			ResourceName: policyAddress, ImportState: true, ImportStateVerify: true,
			ImportStateVerifyIgnore: importOrderIgnore(sc.importIgnore), ImportStateCheck: importedSubjectSetsMatch(&applied, sc.importIgnore),
		}, {
			PreConfig: func() {
				if err := e.Server.ChangeObject("assignmentPolicies", id.Value, sc.drift); err != nil {
					t.Fatalf("out-of-band change: %v", err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(policyAddress, plancheck.ResourceActionUpdate), sc.driftCheck},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}, {
			Config: e.Config(policyConfig(sc.updatedBody)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(policyAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: append([]statecheck.StateCheck{sameID(policyAddress, &id), acctest.CaptureID(policyAddress, &sameAfterUpdate)}, sc.updateCheck...),
		}},
	})
}

func TestAccAssignmentPolicy_twoStageApprovalWithEscalation(t *testing.T) {
	body := func(denial string) string {
		return fmt.Sprintf(`
  display_name         = "Employees with manager and sponsor approval"
  description          = "Members request; manager, then the project sponsors approve"
  allowed_target_scope = "allMemberUsers"
  expiration           = { type = "afterDuration", duration = "P365D" }
  requestor_settings = {
    enable_targets_to_self_add_access    = true
    enable_targets_to_self_update_access = true
    enable_targets_to_self_remove_access = true
  }
  request_approval_settings = {
    approval_required_for_add        = true
    requestor_justification_required = true
    stages = [
      {
        duration_before_automatic_denial = %q
        approver_justification_required  = true
        escalation_enabled               = true
        duration_before_escalation       = "P2D"
        primary_approvers                = [{ type = "requestorManager", manager_level = 1 }]
        fallback_primary_approvers       = [{ type = "singleUser", user_id = %q }]
        escalation_approvers             = [{ type = "groupMembers", group_id = %q }]
      },
      {
        duration_before_automatic_denial = "P14D"
        primary_approvers                = [{ type = "groupMembers", group_id = %q }]
        approver_information_visibility  = "notVisible"
      },
    ]
  }
`, denial, emulator.SeedUserPattiID, emulator.SeedGroupFinanceID, emulator.SeedGroupProjectFalconID)
	}
	runPolicyScenario(t, policyScenario{
		body: body("P7D"),
		checks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("request_approval_settings").AtMapKey("stages"), knownvalue.ListSizeExact(2)),
			statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("request_approval_settings").AtMapKey("stages").AtSliceIndex(0).AtMapKey("duration_before_escalation"), knownvalue.StringExact("P2D")),
			statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("request_approval_settings").AtMapKey("stages").AtSliceIndex(1).AtMapKey("duration_before_escalation"), knownvalue.Null()),
		},
		drift:      map[string]any{"expiration": map[string]any{"duration": "P30D"}},
		driftCheck: plancheck.ExpectKnownValue(policyAddress, tfjsonpath.New("expiration").AtMapKey("duration"), knownvalue.StringExact("P365D")),
		// P1W is the same as P7D: only the second stage's real change makes the update.
		updatedBody: strings.Replace(body("P1W"), `approver_information_visibility  = "notVisible"`, `approver_information_visibility  = "visible"`, 1),
		updateCheck: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("request_approval_settings").AtMapKey("stages").AtSliceIndex(1).AtMapKey("approver_information_visibility"), knownvalue.StringExact("visible")),
		},
	})
}

func TestAccAssignmentPolicy_autoAssignment(t *testing.T) {
	body := func(rule string) string {
		return fmt.Sprintf(`
  display_name         = "Sales department"
  description          = "Everyone in Sales gets the package automatically"
  allowed_target_scope = "specificDirectoryUsers"
  specific_allowed_targets = [
    { type = "attributeRuleMembers", membership_rule = %q, description = "Sales department" },
  ]
  automatic_request_settings = {
    request_access_for_allowed_targets               = true
    remove_access_when_target_leaves_allowed_targets = true
    grace_period_before_access_removal               = "P7D"
  }
  expiration = { type = "noExpiration" }
`, rule)
	}
	runPolicyScenario(t, policyScenario{
		body: body(`(user.department -eq "Sales")`),
		checks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("automatic_request_settings").AtMapKey("grace_period_before_access_removal"), knownvalue.StringExact("P7D")),
			statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("requestor_settings"), knownvalue.Null()),
		},
		// Graph may fill a subject set's description itself, so an imported description is not adopted.
		importIgnore: []string{"specific_allowed_targets.0.description"},
		drift:        map[string]any{"automaticRequestSettings": map[string]any{"removeAccessWhenTargetLeavesAllowedTargets": false}},
		driftCheck:   plancheck.ExpectKnownValue(policyAddress, tfjsonpath.New("automatic_request_settings").AtMapKey("remove_access_when_target_leaves_allowed_targets"), knownvalue.Bool(true)),
		updatedBody:  body(`(user.department -eq "Sales") -or (user.department -eq "Marketing")`),
		updateCheck: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("specific_allowed_targets").AtSliceIndex(0).AtMapKey("membership_rule"),
				knownvalue.StringExact(`(user.department -eq "Sales") -or (user.department -eq "Marketing")`)),
		},
	})
}

func TestAccAssignmentPolicy_connectedOrganizationWithSponsorApproval(t *testing.T) {
	body := func(days string) string {
		return fmt.Sprintf(`
  display_name         = "Fabrikam consultants"
  description          = "Fabrikam users request; sponsor approves; access ends after %[1]s"
  allowed_target_scope = "specificConnectedOrganizationUsers"
  specific_allowed_targets = [
    { type = "connectedOrganizationMembers", connected_organization_id = %[2]q },
  ]
  expiration         = { type = "afterDuration", duration = %[1]q }
  requestor_settings = { enable_targets_to_self_add_access = true }
  request_approval_settings = {
    approval_required_for_add = true
    stages = [{
      duration_before_automatic_denial = "P14D"
      primary_approvers                = [{ type = "internalSponsors" }, { type = "externalSponsors" }]
    }]
  }
`, days, fabrikamOrgID)
	}
	runPolicyScenario(t, policyScenario{
		body: body("P180D"),
		checks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("expiration").AtMapKey("duration"), knownvalue.StringExact("P180D")),
			statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("request_approval_settings").AtMapKey("stages").AtSliceIndex(0).AtMapKey("primary_approvers"), knownvalue.ListSizeExact(2)),
		},
		drift:       map[string]any{"requestorSettings": map[string]any{"enableTargetsToSelfAddAccess": false}},
		driftCheck:  plancheck.ExpectKnownValue(policyAddress, tfjsonpath.New("requestor_settings").AtMapKey("enable_targets_to_self_add_access"), knownvalue.Bool(true)),
		updatedBody: body("P90D"),
		updateCheck: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("expiration").AtMapKey("duration"), knownvalue.StringExact("P90D")),
		},
	})
}

// Sub-day expiry: the incumbent provider can express only whole days.
func TestAccAssignmentPolicy_subDayExpiry(t *testing.T) {
	body := func(d string) string {
		return fmt.Sprintf(`
  display_name         = "Break-glass access"
  allowed_target_scope = "specificDirectoryUsers"
  specific_allowed_targets = [{ type = "groupMembers", group_id = %q }]
  requestor_settings   = { enable_targets_to_self_add_access = true }
  expiration           = { type = "afterDuration", duration = %q }
`, emulator.SeedGroupEngineeringID, d)
	}
	runPolicyScenario(t, policyScenario{
		body: body("PT8H"),
		checks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("expiration").AtMapKey("duration"), knownvalue.StringExact("PT8H")),
		},
		drift:       map[string]any{"expiration": map[string]any{"duration": "PT12H"}},
		driftCheck:  plancheck.ExpectKnownValue(policyAddress, tfjsonpath.New("expiration").AtMapKey("duration"), knownvalue.StringExact("PT8H")),
		updatedBody: body("PT4H30M"),
		updateCheck: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("expiration").AtMapKey("duration"), knownvalue.StringExact("PT4H30M")),
		},
	})
}

func TestAccAssignmentPolicy_quarterlyReview(t *testing.T) {
	body := func(behavior string) string {
		return fmt.Sprintf(`
  display_name         = "Reviewed quarterly"
  allowed_target_scope = "allMemberUsers"
  requestor_settings   = { enable_targets_to_self_add_access = true }
  review_settings = {
    expiration_behavior = %q
    primary_reviewers   = [{ type = "requestorManager", manager_level = 1 }]
    fallback_reviewers  = [{ type = "singleUser", user_id = %q }]
    schedule = {
      start_date_time = "2027-01-01T00:00:00Z"
      duration        = "P14D"
      recurrence      = { pattern = { type = "absoluteMonthly", interval = 3 } }
    }
  }
`, behavior, emulator.SeedUserPattiID)
	}
	runPolicyScenario(t, policyScenario{
		body: body("removeAccess"),
		checks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("review_settings").AtMapKey("schedule").AtMapKey("recurrence").AtMapKey("pattern").AtMapKey("interval"), knownvalue.Int64Exact(3)),
			statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("review_settings").AtMapKey("recommendation_enabled"), knownvalue.Bool(true)),
		},
		drift:       map[string]any{"reviewSettings": map[string]any{"schedule": map[string]any{"expiration": map[string]any{"duration": "P7D"}}}},
		driftCheck:  plancheck.ExpectKnownValue(policyAddress, tfjsonpath.New("review_settings").AtMapKey("schedule").AtMapKey("duration"), knownvalue.StringExact("P14D")),
		updatedBody: body("acceptAccessRecommendation"),
		updateCheck: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("review_settings").AtMapKey("expiration_behavior"), knownvalue.StringExact("acceptAccessRecommendation")),
		},
	})
}

func TestAccAssignmentPolicy_questions(t *testing.T) {
	body := func(firstText string) string {
		return fmt.Sprintf(`
  display_name         = "With questions"
  allowed_target_scope = "allMemberUsers"
  requestor_settings   = { enable_targets_to_self_add_access = true }
  questions = [
    {
      type                 = "accessPackageTextInputQuestion"
      text                 = %q
      required             = true
      single_line_question = true
      regex_pattern        = "^[A-Z]{2}-[0-9]{4}$"
      localizations        = [{ language_code = "fr-CA", text = "Numéro de projet?" }]
    },
    {
      type                       = "accessPackageMultipleChoiceQuestion"
      text                       = "Which office?"
      answer_editable            = true
      multiple_selection_allowed = true
      choices = [
        { actual_value = "SEA", text = "Seattle" },
        { actual_value = "LON", text = "London", localizations = [{ language_code = "fr", text = "Londres" }] },
      ]
    },
  ]
`, firstText)
	}
	// Question ids stay the same when the questions are edited, so answers keep pointing at them.
	sameQuestionID := statecheck.CompareValue(compare.ValuesSame())
	runPolicyScenario(t, policyScenario{
		body: body("Project code?"),
		checks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("questions"), knownvalue.ListSizeExact(2)),
			statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("questions").AtSliceIndex(0).AtMapKey("id"), knownvalue.StringRegexp(guidPattern)),
			statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("questions").AtSliceIndex(1).AtMapKey("choices"), knownvalue.ListSizeExact(2)),
			sameQuestionID.AddStateValue(policyAddress, tfjsonpath.New("questions").AtSliceIndex(0).AtMapKey("id")),
		},
		drift:       map[string]any{"requestorSettings": map[string]any{"enableTargetsToSelfAddAccess": false}},
		driftCheck:  plancheck.ExpectKnownValue(policyAddress, tfjsonpath.New("requestor_settings").AtMapKey("enable_targets_to_self_add_access"), knownvalue.Bool(true)),
		updatedBody: body("Project code (e.g. FA-0042)?"),
		updateCheck: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("questions").AtSliceIndex(0).AtMapKey("text"), knownvalue.StringExact("Project code (e.g. FA-0042)?")),
			sameQuestionID.AddStateValue(policyAddress, tfjsonpath.New("questions").AtSliceIndex(0).AtMapKey("id")),
		},
	})
}

func TestAccAssignmentPolicy_disappears(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var id acctest.IDCapture
	cfg := e.Config(policyConfig(`
  display_name = "Direct assignment"
  expiration   = { type = "afterDuration", duration = "P30D" }
`))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoPoliciesLeft(e),
		Steps: []resource.TestStep{{
			Config:            cfg,
			ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(policyAddress, &id)},
		}, {
			PreConfig: func() {
				if err := e.Server.DeleteObject("assignmentPolicies", id.Value); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(policyAddress, plancheck.ResourceActionCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}, {
			// A different package binds the policy to it: the policy is replaced, not updated.
			Config: e.Config(policyBase + `
resource "entragov_access_package" "other" {
  catalog_id   = entragov_catalog.test.id
  display_name = "Other project"
}

resource "entragov_assignment_policy" "test" {
  access_package_id = entragov_access_package.other.id
  display_name      = "Direct assignment"
  expiration        = { type = "afterDuration", duration = "P30D" }
}
`),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(policyAddress, plancheck.ResourceActionDestroyBeforeCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	})
}

// Switching escalation off elsewhere (the portal) leaves the escalation delay and approvers in Graph,
// where they do nothing; likewise a grace period once removal is off. They do not show as a change, an
// import (and the configuration Terraform generates from it) leaves them out, and turning escalation
// back on shows and sets them.
func TestAccAssignmentPolicy_inertEscalationSettings(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var id acctest.IDCapture
	body := func(escalation string) string {
		return fmt.Sprintf(`
  display_name         = "Escalation off"
  allowed_target_scope = "allMemberUsers"
  requestor_settings   = { enable_targets_to_self_add_access = true }
  request_approval_settings = {
    approval_required_for_add = true
    stages = [{
      duration_before_automatic_denial = "P7D"
      primary_approvers                = [{ type = "requestorManager", manager_level = 1 }]
      %s
    }]
  }
`, escalation)
	}
	leftover := []any{map[string]any{"@odata.type": "#microsoft.graph.singleUser", "userId": emulator.SeedUserPattiID}}
	stage := func(name string) tfjsonpath.Path {
		return tfjsonpath.New("request_approval_settings").AtMapKey("stages").AtSliceIndex(0).AtMapKey(name)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoPoliciesLeft(e),
		Steps: []resource.TestStep{{
			Config:            e.Config(policyConfig(body(""))),
			ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(policyAddress, &id)},
		}, {
			PreConfig: func() {
				policy, err := e.Server.GetObject("assignmentPolicies", id.Value)
				if err != nil {
					t.Fatal(err)
				}
				settings := policy["requestApprovalSettings"].(map[string]any)
				s := settings["stages"].([]any)[0].(map[string]any)
				s["durationBeforeEscalation"], s["escalationApprovers"], s["fallbackEscalationApprovers"] = "P2D", leftover, leftover
				if err := e.Server.ChangeObject("assignmentPolicies", id.Value, map[string]any{"requestApprovalSettings": settings}); err != nil {
					t.Fatal(err)
				}
			},
			Config:           e.Config(policyConfig(body(""))),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(policyAddress, stage("duration_before_escalation"), knownvalue.Null()),
				statecheck.ExpectKnownValue(policyAddress, stage("escalation_approvers"), knownvalue.Null()),
			},
		}, {
			ResourceName: policyAddress, ImportState: true, ImportStateVerify: true,
		}, {
			Config: e.Config(policyConfig(body(`escalation_enabled = true
      duration_before_escalation = "P3D"
      escalation_approvers = [{ type = "groupMembers", group_id = "` + emulator.SeedGroupFinanceID + `" }]`))),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(policyAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(policyAddress, stage("duration_before_escalation"), knownvalue.StringExact("P3D")),
				statecheck.ExpectKnownValue(policyAddress, stage("escalation_approvers"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue(policyAddress, stage("fallback_escalation_approvers"), knownvalue.Null()),
			},
		}},
	})
}

// Terraform 1.12 and later: a policy's identity is its id, and an import block can name it by identity.
func TestAccAssignmentPolicy_identity(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   acctest.IdentityVersionChecks,
		CheckDestroy:             checkNoPoliciesLeft(e),
		Steps: []resource.TestStep{{
			Config: e.Config(policyConfig(`
  display_name = "Direct assignment"
  expiration   = { type = "afterDuration", duration = "P30D" }
`)),
			ConfigStateChecks: acctest.IdentityChecks(policyAddress, map[string]knownvalue.Check{"id": knownvalue.StringRegexp(guidPattern)}, "id"),
		}, acctest.ImportByIdentityStep(policyAddress)},
	})
}
