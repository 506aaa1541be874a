package lifecycle_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

const workflowAddress = "entragov_lifecycle_workflow.test"

// Built-in task definition ids (spec 2.5).
const (
	taskSendWelcomeEmail      = "70b29d51-b59a-4773-9280-8841dfd3f2ea"
	taskAddUserToGroups       = "22085229-5809-45e8-97fd-270d28d66910"
	taskRemoveAllAPAssignment = "42ae2956-193d-4f39-be06-691b8ac4fa1d"
	taskDeleteUserAccount     = "8d18588d-9ad3-4c0f-99d0-ec215f0e3dff"
	taskDisableUserAccount    = "1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950"
	taskNotifyManagerOfMove   = "aab41899-9972-422a-9d97-f626014578b7"
	taskRemoveFromGroups      = "1953a66c-751c-45e5-8bfe-01462c70da3c"
	taskRevokeRefreshTokens   = "509589a4-0466-4471-829e-49c5e502bdee"
	taskGenerateTAP           = "1b555e50-7f65-41d5-b514-5894a026d10d"
	taskRequestAccessPackage  = "c1ec1e76-f374-4375-aaa6-0bb6bd4c60be"
	taskOnboardingReminder    = "3C860712-2D37-42A4-928F-5C93935D26A1"
)

func workflowConfig(body string) string {
	return fmt.Sprintf(`
resource "entragov_lifecycle_workflow" "test" {
%s
}
`, body)
}

// workflowBody renders one scenario's configuration; name, taskName and argument vary between steps.
type workflowBody func(name, taskName, argument string) string

// workflowScenario is one realistic workflow: it applies, re-plans empty, imports, is renamed in place
// (version kept), gets a new version through an argument change, detects drift and disappearance, and
// leaves a soft-deleted workflow behind on destroy.
type workflowScenario struct {
	body                  workflowBody
	argument, newArgument string
	checks                []statecheck.StateCheck
	drift                 map[string]any
	driftCheck            plancheck.PlanCheck
}

func versionIs(e *acctest.Emulator, t *testing.T, id *acctest.IDCapture, want int) funcCheck {
	return func(ctx context.Context) error {
		w, err := e.Client(t).GetWorkflow(ctx, id.Value)
		if err != nil {
			return err
		}
		if w.Version != want {
			return fmt.Errorf("workflow %s is at version %d in the API, want %d", id.Value, w.Version, want)
		}
		stored, err := e.Server.GetObject("workflows", id.Value)
		if err != nil {
			return err
		}
		if v := fmt.Sprint(stored["version"]); v != fmt.Sprint(want) {
			return fmt.Errorf("the stored workflow has version %s, want %d", v, want)
		}
		return nil
	}
}

func versionsListed(e *acctest.Emulator, t *testing.T, id *acctest.IDCapture, want ...int) funcCheck {
	return func(ctx context.Context) error {
		versions, err := e.Client(t).ListWorkflowVersions(ctx, id.Value)
		if err != nil {
			return err
		}
		have := map[int]bool{}
		for _, v := range versions {
			have[v.VersionNumber] = true
		}
		for _, n := range want {
			if !have[n] {
				return fmt.Errorf("version %d of workflow %s is not listed under versions (have %v)", n, id.Value, versions)
			}
		}
		return nil
	}
}

// checkSoftDeleted is the CheckDestroy of a soft-deleting workflow: gone from workflows, present in
// deletedItems (or gone from both when permanent).
func checkSoftDeleted(e *acctest.Emulator, t *testing.T, permanent bool) func(*terraform.State) error {
	return func(s *terraform.State) error {
		ctx := context.Background()
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "entragov_lifecycle_workflow" {
				continue
			}
			id := rs.Primary.ID
			if _, err := e.Client(t).GetWorkflow(ctx, id); !graph.IsNotFound(err) {
				return fmt.Errorf("workflow %s is still active after destroy (err %v)", id, err)
			}
			deleted, err := e.Client(t).GetDeletedWorkflow(ctx, id)
			switch {
			case permanent && !graph.IsNotFound(err):
				return fmt.Errorf("workflow %s is still in deletedItems after a permanent destroy (err %v)", id, err)
			case !permanent && err != nil:
				return fmt.Errorf("workflow %s is not in deletedItems after destroy: %w", id, err)
			case !permanent && deleted.DeletedDateTime == nil:
				return fmt.Errorf("workflow %s in deletedItems has no deletedDateTime", id)
			}
		}
		return nil
	}
}

func runWorkflowScenario(t *testing.T, sc workflowScenario) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var id acctest.IDCapture
	cfg := e.Config(workflowConfig(sc.body("Scenario workflow", "First task", sc.argument)))
	renamed := e.Config(workflowConfig(sc.body("Scenario workflow (renamed)", "First task, renamed", sc.argument)))
	newVersion := e.Config(workflowConfig(sc.body("Scenario workflow (renamed)", "First task, renamed", sc.newArgument)))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkSoftDeleted(e, t, false),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: append([]statecheck.StateCheck{
				acctest.CaptureID(workflowAddress, &id),
				acctest.ExistsInAPI(workflowAddress, func(ctx context.Context, id string) error {
					_, err := e.Client(t).GetWorkflow(ctx, id)
					return err
				}),
				statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("id"), knownvalue.StringRegexp(guidPattern)),
				statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("version"), knownvalue.Int64Exact(1)),
				statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("created_date_time"), knownvalue.StringRegexp(timestampPattern)),
				statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("tasks").AtSliceIndex(0).AtMapKey("display_name"), knownvalue.StringExact("First task")),
			}, sc.checks...),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			ResourceName: workflowAddress, ImportState: true, ImportStateVerify: true,
		}, {
			// Names and descriptions change in place: PATCH, same version.
			Config: renamed,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(workflowAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("version"), knownvalue.Int64Exact(1)),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				sameID(workflowAddress, &id),
				statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("version"), knownvalue.Int64Exact(1)),
				statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("display_name"), knownvalue.StringExact(e.Name("Scenario workflow (renamed)"))),
				statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("tasks").AtSliceIndex(0).AtMapKey("display_name"), knownvalue.StringExact("First task, renamed")),
				versionIs(e, t, &id, 1),
			},
		}, {
			// A task argument changes only through createNewVersion: same id, version 2, version 1 kept.
			Config: newVersion,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(workflowAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(workflowAddress, tfjsonpath.New("version")),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				sameID(workflowAddress, &id),
				statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("version"), knownvalue.Int64Exact(2)),
				versionIs(e, t, &id, 2),
				versionsListed(e, t, &id, 1),
			},
		}, {
			PreConfig: func() {
				if err := e.Server.ChangeObject("workflows", id.Value, sc.drift); err != nil {
					t.Fatalf("out-of-band change: %v", err)
				}
			},
			Config: newVersion,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(workflowAddress, plancheck.ResourceActionUpdate), sc.driftCheck},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{sameID(workflowAddress, &id)},
		}, {
			PreConfig: func() {
				if err := e.Server.DeleteObject("workflows", id.Value); err != nil {
					t.Fatalf("out-of-band delete: %v", err)
				}
			},
			Config: newVersion,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(workflowAddress, plancheck.ResourceActionCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("version"), knownvalue.Int64Exact(1)),
			},
		}},
	})
}

func TestAccLifecycleWorkflow_joinerOnHireDate(t *testing.T) {
	runWorkflowScenario(t, workflowScenario{
		body: func(name, taskName, groups string) string {
			return fmt.Sprintf(`
  category     = "joiner"
  display_name = %q
  description  = "Welcome new Sales employees a week before they start"
  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "ruleBasedSubjectSet", rule = "(department eq 'Sales')" }
    trigger = { type = "timeBasedAttributeTrigger", time_based_attribute = "employeeHireDate", offset_in_days = -7 }
  }
  tasks = [
    {
      task_definition_id = %q
      display_name       = %q
      arguments          = { locale = "en-US" }
    },
    {
      task_definition_id = %q
      display_name       = "Add to the Sales groups"
      continue_on_error  = true
      arguments          = { groupID = %q }
    },
  ]
`, name, taskSendWelcomeEmail, taskName, taskAddUserToGroups, groups)
		},
		argument:    emulator.SeedGroupSalesID,
		newArgument: emulator.SeedGroupSalesID + "," + emulator.SeedGroupMarketingID,
		checks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("execution_conditions").AtMapKey("trigger").AtMapKey("offset_in_days"), knownvalue.Int64Exact(-7)),
			statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("tasks").AtSliceIndex(1).AtMapKey("arguments").AtMapKey("groupID"), knownvalue.StringExact(emulator.SeedGroupSalesID)),
			statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("scheduling_enabled"), knownvalue.Bool(false)),
		},
		drift: map[string]any{"executionConditions": map[string]any{"trigger": map[string]any{"offsetInDays": 3}}},
		driftCheck: plancheck.ExpectKnownValue(workflowAddress,
			tfjsonpath.New("execution_conditions").AtMapKey("trigger").AtMapKey("offset_in_days"), knownvalue.Int64Exact(-7)),
	})
}

func TestAccLifecycleWorkflow_leaverOnLeaveDate(t *testing.T) {
	runWorkflowScenario(t, workflowScenario{
		body: func(name, taskName, deleteOnPrem string) string {
			return fmt.Sprintf(`
  category           = "leaver"
  display_name       = %q
  enabled            = true
  scheduling_enabled = true
  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "ruleBasedSubjectSet", rule = "(userType eq 'Member') and not (department eq 'Executive')" }
    trigger = { type = "timeBasedAttributeTrigger", time_based_attribute = "employeeLeaveDateTime", offset_in_days = 0 }
  }
  tasks = [
    {
      task_definition_id = %q
      display_name       = %q
      description        = "Ends every access package assignment"
    },
    {
      task_definition_id = %q
      display_name       = "Delete the account"
      arguments          = { deleteOnPremisesAccount = %q }
    },
  ]
`, name, taskRemoveAllAPAssignment, taskName, taskDeleteUserAccount, deleteOnPrem)
		},
		argument:    "false",
		newArgument: "true",
		checks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("scheduling_enabled"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("execution_conditions").AtMapKey("trigger").AtMapKey("time_based_attribute"), knownvalue.StringExact("employeeLeaveDateTime")),
			statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("tasks").AtSliceIndex(0).AtMapKey("arguments"), knownvalue.MapSizeExact(0)),
		},
		drift: map[string]any{"executionConditions": map[string]any{"trigger": map[string]any{"timeBasedAttribute": "employeeHireDate"}}},
		driftCheck: plancheck.ExpectKnownValue(workflowAddress,
			tfjsonpath.New("execution_conditions").AtMapKey("trigger").AtMapKey("time_based_attribute"), knownvalue.StringExact("employeeLeaveDateTime")),
	})
}

func TestAccLifecycleWorkflow_moverOnDepartmentChange(t *testing.T) {
	runWorkflowScenario(t, workflowScenario{
		body: func(name, taskName, groups string) string {
			return fmt.Sprintf(`
  category     = "mover"
  display_name = %q
  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "ruleBasedSubjectSet", rule = "(userType eq 'Member')" }
    trigger = { type = "attributeChangeTrigger", trigger_attributes = ["department"] }
  }
  tasks = [
    {
      task_definition_id = %q
      display_name       = %q
      arguments          = { customSubject = "{{userDisplayName}} moved", to = "Manager" }
    },
    {
      task_definition_id = %q
      display_name       = "Leave the old department's groups"
      arguments          = { groupID = %q }
    },
  ]
`, name, taskNotifyManagerOfMove, taskName, taskRemoveFromGroups, groups)
		},
		argument:    emulator.SeedGroupFinanceID,
		newArgument: emulator.SeedGroupEngineeringID,
		checks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("category"), knownvalue.StringExact("mover")),
			statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("execution_conditions").AtMapKey("trigger").AtMapKey("trigger_attributes"),
				knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("department")})),
		},
		drift: map[string]any{"executionConditions": map[string]any{"trigger": map[string]any{"triggerAttributes": []any{map[string]any{"name": "jobTitle"}}}}},
		driftCheck: plancheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("execution_conditions").AtMapKey("trigger").AtMapKey("trigger_attributes"),
			knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("department")})),
	})
}

func TestAccLifecycleWorkflow_onDemandOnly(t *testing.T) {
	runWorkflowScenario(t, workflowScenario{
		body: func(name, taskName, disableOnPrem string) string {
			return fmt.Sprintf(`
  category     = "leaver"
  display_name = %q
  description  = "Run by the help desk for urgent departures"
  execution_conditions = { type = "onDemandExecutionOnly" }
  tasks = [
    { task_definition_id = %q, display_name = %q },
    { task_definition_id = %q, display_name = "Disable the account", arguments = { disableOnPremisesAccount = %q } },
  ]
`, name, taskRevokeRefreshTokens, taskName, taskDisableUserAccount, disableOnPrem)
		},
		argument:    "false",
		newArgument: "true",
		checks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("execution_conditions").AtMapKey("scope"), knownvalue.Null()),
			statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("execution_conditions").AtMapKey("trigger"), knownvalue.Null()),
		},
		drift:      map[string]any{"description": "Edited in the portal"},
		driftCheck: plancheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("description"), knownvalue.StringExact("Run by the help desk for urgent departures")),
	})
}

// Group scope with a membership trigger, a TAP task and case-insensitive task definition ids.
func TestAccLifecycleWorkflow_groupScopeMembershipTrigger(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSeededDirectory)
	cfg := e.Config(workflowConfig(fmt.Sprintf(`
  category     = "joiner"
  display_name = "Falcon project joiners"
  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "groupBasedSubjectSet", group_ids = [%q] }
    trigger = { type = "membershipChangeTrigger", change_type = "add" }
  }
  tasks = [
    { task_definition_id = %q, display_name = "TAP", arguments = { tapLifetimeMinutes = "480", tapIsUsableOnce = "true" } },
    { task_definition_id = "3c860712-2d37-42a4-928f-5c93935d26a1", display_name = "Reminder" },
  ]
  permanently_delete_on_destroy = true
`, emulator.SeedGroupProjectFalconID, taskGenerateTAP)))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkSoftDeleted(e, t, true),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("execution_conditions").AtMapKey("scope").AtMapKey("group_ids"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(emulator.SeedGroupProjectFalconID)})),
				statecheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("tasks").AtSliceIndex(1).AtMapKey("task_definition_id"),
					knownvalue.StringExact("3c860712-2d37-42a4-928f-5c93935d26a1")),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			ResourceName: workflowAddress, ImportState: true, ImportStateVerify: true,
			// The import takes the id's spelling from Graph, and the destroy setting is not in Graph.
			ImportStateVerifyIgnore: []string{"tasks.1.task_definition_id", "permanently_delete_on_destroy"},
		}},
	})
}

// Toggling only the destroy behaviour changes nothing in Graph: version and timestamps are kept.
func TestAccLifecycleWorkflow_destroySettingOnly(t *testing.T) {
	e := acctest.NewEmulator(t)
	body := func(permanent bool) string {
		return e.Config(workflowConfig(fmt.Sprintf(`
  category     = "leaver"
  display_name = "Guests leaving"
  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "ruleBasedSubjectSet", rule = "(userType eq 'Guest')" }
    trigger = { type = "timeBasedAttributeTrigger", time_based_attribute = "employeeLeaveDateTime", offset_in_days = 1 }
  }
  tasks = [{ task_definition_id = %q, display_name = "Remove assignments" }]
  permanently_delete_on_destroy = %t
`, taskRemoveAllAPAssignment, permanent)))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkSoftDeleted(e, t, true),
		Steps: []resource.TestStep{{
			Config: body(false),
		}, {
			Config: body(true),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(workflowAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("version"), knownvalue.Int64Exact(1)),
					plancheck.ExpectKnownValue(workflowAddress, tfjsonpath.New("last_modified_date_time"), knownvalue.StringRegexp(timestampPattern)),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	})
}

// Terraform 1.12 and later: a workflow's identity is its id, and an import block can name it by identity.
func TestAccLifecycleWorkflow_identity(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   acctest.IdentityVersionChecks,
		CheckDestroy:             checkSoftDeleted(e, t, false),
		Steps: []resource.TestStep{{
			Config: e.Config(workflowConfig(fmt.Sprintf(`
  category     = "leaver"
  display_name = "Urgent departure"
  execution_conditions = { type = "onDemandExecutionOnly" }
  tasks = [{ task_definition_id = %q, display_name = "Revoke sessions" }]
`, taskRevokeRefreshTokens))),
			ConfigStateChecks: acctest.IdentityChecks(workflowAddress, map[string]knownvalue.Check{"id": knownvalue.StringRegexp(guidPattern)}, "id"),
		}, acctest.ImportByIdentityStep(workflowAddress)},
	})
}
