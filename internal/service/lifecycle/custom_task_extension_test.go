package lifecycle_test

import (
	"fmt"
	"regexp"
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

const taskExtensionAddress = "entragov_custom_task_extension.test"

func checkNoTaskExtensionsLeft(e *acctest.Emulator) func(*terraform.State) error {
	return func(*terraform.State) error {
		left, err := e.Server.ListObjects("customTaskExtensions")
		if err != nil {
			return err
		}
		if len(left) > 0 {
			return fmt.Errorf("%d custom task extensions left after destroy", len(left))
		}
		return nil
	}
}

func taskExtensionConfig(name, extra string) string {
	return fmt.Sprintf(`
resource "entragov_custom_task_extension" "test" {
  display_name = %q
  endpoint_configuration = {
    subscription_id         = "c500b67c-e9b7-4ad2-a90d-77d41385ae55"
    resource_group_name     = "RG-LCM"
    logic_app_workflow_name = "ManagerAccess"
  }
%s
}
`, name, extra)
}

const popAuthentication = `
  authentication_configuration = {
    type = "azureAdPopTokenAuthentication"
  }`

func TestAccCustomTaskExtension_basicAndUpdate(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var id acctest.IDCapture
	const app1, app2 = "4f3c1b5e-2d6a-4e8b-9c7d-1a2b3c4d5e6f", "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoTaskExtensionsLeft(e),
		Steps: []resource.TestStep{{
			Config: e.Config(taskExtensionConfig("Grant manager access", `
  description = "Grant manager access to mailbox and OneDrive"
  authentication_configuration = {
    type        = "azureAdTokenAuthentication"
    resource_id = "542dc01a-0b5d-4edc-b3f9-5cfe6393f557"
  }
  client_configuration = {
    maximum_retries         = 1
    timeout_in_milliseconds = 1000
  }
  callback_configuration = {
    timeout_duration   = "PT5M"
    authorized_app_ids = ["`+app1+`"]
  }`)),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID(taskExtensionAddress, &id),
				statecheck.ExpectKnownValue(taskExtensionAddress, tfjsonpath.New("callback_configuration").AtMapKey("authorized_app_ids"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(app1)})),
				statecheck.ExpectKnownValue(taskExtensionAddress, tfjsonpath.New("client_configuration").AtMapKey("timeout_in_milliseconds"), knownvalue.Int64Exact(1000)),
				statecheck.ExpectKnownValue(taskExtensionAddress, tfjsonpath.New("created_by_id"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue(taskExtensionAddress, tfjsonpath.New("created_date_time"), knownvalue.StringRegexp(timestampPattern)),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			ResourceName: taskExtensionAddress, ImportState: true, ImportStateVerify: true,
		}, {
			// Everything changes in place (PATCH); configurations removed are cleared.
			Config: e.Config(taskExtensionConfig("Grant manager access (v2)", popAuthentication+`
  callback_configuration = {
    timeout_duration   = "PT1H"
    authorized_app_ids = ["`+app1+`", "`+app2+`"]
  }`)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(taskExtensionAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				sameID(taskExtensionAddress, &id),
				statecheck.ExpectKnownValue(taskExtensionAddress, tfjsonpath.New("description"), knownvalue.StringExact("")),
				statecheck.ExpectKnownValue(taskExtensionAddress, tfjsonpath.New("client_configuration"), knownvalue.Null()),
				statecheck.ExpectKnownValue(taskExtensionAddress, tfjsonpath.New("callback_configuration").AtMapKey("authorized_app_ids"), knownvalue.SetSizeExact(2)),
			},
		}, {
			Config: e.Config(taskExtensionConfig("Grant manager access (v2)", popAuthentication)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(taskExtensionAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				sameID(taskExtensionAddress, &id),
				statecheck.ExpectKnownValue(taskExtensionAddress, tfjsonpath.New("callback_configuration"), knownvalue.Null()),
			},
		}},
	})
}

func TestAccCustomTaskExtension_driftAndDisappears(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var id acctest.IDCapture
	cfg := e.Config(taskExtensionConfig("Grant manager access", popAuthentication+`
  callback_configuration = {
    timeout_duration = "PT10M"
  }`))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoTaskExtensionsLeft(e),
		Steps: []resource.TestStep{{
			Config:            cfg,
			ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(taskExtensionAddress, &id)},
		}, {
			PreConfig: func() {
				if err := e.Server.ChangeObject("customTaskExtensions", id.Value, map[string]any{
					"displayName":           "Renamed in the portal",
					"callbackConfiguration": map[string]any{"@odata.type": graph.TaskCallbackType, "timeoutDuration": "PT2H"},
				}); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(taskExtensionAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(taskExtensionAddress, tfjsonpath.New("display_name"), knownvalue.StringExact("Grant manager access")),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{sameID(taskExtensionAddress, &id)},
		}, {
			PreConfig: func() {
				if err := e.Server.DeleteObject("customTaskExtensions", id.Value); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(taskExtensionAddress, plancheck.ResourceActionCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	})
}

func TestAccCustomTaskExtension_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var steps []resource.TestStep
	for _, tc := range []struct{ extra, want string }{
		{popAuthentication + `
  callback_configuration = {
    timeout_duration = "PT4M"
  }`, `callback_configuration.timeout_duration`},
		{popAuthentication + `
  callback_configuration = {
    timeout_duration = "PT3H1M"
  }`, `callback_configuration.timeout_duration`},
		{popAuthentication + `
  callback_configuration = {
    timeout_duration   = "PT5M"
    authorized_app_ids = ["my-logic-app"]
  }`, `callback_configuration.authorized_app_ids`},
		{`
  authentication_configuration = {
    type = "azureAdTokenAuthentication"
  }`, `authentication_configuration.resource_id: type "azureAdTokenAuthentication" needs`},
		{popAuthentication + `
  client_configuration = {
    timeout_in_milliseconds = 100
  }`, `client_configuration.timeout_in_milliseconds`},
		{``, `authentication_configuration`},
	} {
		steps = append(steps, resource.TestStep{Config: e.Config(taskExtensionConfig("X", tc.extra)), PlanOnly: true, ExpectError: acctest.ExpectError(tc.want)})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}

// taskExtensionWorkflow is a leaver workflow whose task runs the extension named by extensionID (an
// expression).
func taskExtensionWorkflow(extensionID string) string {
	return fmt.Sprintf(`
resource "entragov_lifecycle_workflow" "test" {
  category     = "leaver"
  display_name = "Hand the mailbox to the manager"
  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "ruleBasedSubjectSet", rule = "(department eq 'Sales')" }
    trigger = { type = "timeBasedAttributeTrigger", time_based_attribute = "employeeLeaveDateTime", offset_in_days = 0 }
  }
  tasks = [
    {
      task_definition_id = %q
      display_name       = "Grant manager access"
      arguments          = { customTaskExtensionID = %s }
    },
  ]
}
`, graph.CustomTaskExtensionDefinitionID, extensionID)
}

// A workflow task runs the extension by id: Terraform creates the extension first and, on destroy, removes
// the workflow first. A task naming an extension that does not exist is refused by Graph.
func TestAccCustomTaskExtension_workflowTask(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	ext := taskExtensionConfig("Grant manager access", popAuthentication+`
  callback_configuration = {
    timeout_duration = "PT30M"
  }`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoTaskExtensionsLeft(e),
		Steps: []resource.TestStep{{
			Config:      e.Config(taskExtensionWorkflow(`"0b1f6a44-9ab8-4c3e-8f3d-1f2e3d4c5b6a"`)),
			ExpectError: acctest.ExpectError(`custom task extension '0b1f6a44-9ab8-4c3e-8f3d-1f2e3d4c5b6a' does not exist`),
		}, {
			Config: e.Config(ext, taskExtensionWorkflow(`entragov_custom_task_extension.test.id`)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs(workflowAddress, tfjsonpath.New("tasks").AtSliceIndex(0).AtMapKey("arguments").AtMapKey("customTaskExtensionID"),
					taskExtensionAddress, tfjsonpath.New("id"), compareSame),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}

// An extension that a workflow outside the configuration runs cannot be deleted: the error names the
// workflow and says what to do.
func TestAccCustomTaskExtension_deleteRefusedWhileUsed(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	ctx := acctest.Context(t)
	graphClient := e.Client(t)
	cfg := e.Config(taskExtensionConfig("Grant manager access", popAuthentication))
	var id acctest.IDCapture
	var workflowID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoTaskExtensionsLeft(e),
		Steps: []resource.TestStep{{
			Config:            cfg,
			ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(taskExtensionAddress, &id)},
		}, {
			PreConfig: func() {
				w, err := graphClient.CreateWorkflow(ctx, graph.WorkflowDefinition{
					Category: "leaver", DisplayName: e.Name("Made in the portal"),
					ExecutionConditions: &graph.ExecutionConditions{Type: "onDemandExecutionOnly"},
					Tasks: []graph.WorkflowTask{{
						DisplayName: "Run", TaskDefinitionID: graph.CustomTaskExtensionDefinitionID,
						Arguments: []graph.KeyValuePair{{Name: graph.CustomTaskExtensionArgument, Value: id.Value}},
					}},
				})
				if err != nil {
					t.Fatal(err)
				}
				workflowID = w.ID
				// The refusal names what uses the extension only once it is listed: no replication delay here.
				e.Server.SetFaults(emulator.Faults{})
			},
			Config:      e.Config(),
			ExpectError: regexp.MustCompile(`(?s)is used by lifecycle workflows.*Made in the portal.*Remove those tasks`),
		}, {
			PreConfig: func() {
				if err := graphClient.DeleteWorkflow(ctx, workflowID); err != nil {
					t.Fatal(err)
				}
			},
			Config: e.Config(),
		}},
	})
}

// Terraform 1.12 and later: a custom task extension's identity is its id, and an import block can name it
// by identity.
func TestAccCustomTaskExtension_identity(t *testing.T) {
	e := acctest.NewEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   acctest.IdentityVersionChecks,
		Steps: []resource.TestStep{{
			Config: e.Config(taskExtensionConfig("Identity", popAuthentication)),
			ConfigStateChecks: acctest.IdentityChecks(taskExtensionAddress, map[string]knownvalue.Check{
				"id": knownvalue.StringRegexp(guidPattern),
			}, "id"),
		}, acctest.ImportByIdentityStep(taskExtensionAddress)},
	})
}
