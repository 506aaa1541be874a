package lifecycle_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

func TestAccLifecycleWorkflowDataSource_byIDAndName(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSeededDirectory)
	cfg := e.Config(workflowConfig(fmt.Sprintf(`
  category     = "joiner"
  display_name = "Data source joiners"
  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "ruleBasedSubjectSet", rule = "(department eq 'Sales')" }
    trigger = { type = "timeBasedAttributeTrigger", time_based_attribute = "employeeHireDate", offset_in_days = 0 }
  }
  tasks = [{ task_definition_id = %q, display_name = "Groups", arguments = { groupID = %q } }]
`, taskAddUserToGroups, emulator.SeedGroupSalesID)), `
data "entragov_lifecycle_workflow" "by_id" {
  id = entragov_lifecycle_workflow.test.id
}

data "entragov_lifecycle_workflow" "by_name" {
  display_name = entragov_lifecycle_workflow.test.display_name
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs("data.entragov_lifecycle_workflow.by_name", tfjsonpath.New("id"), workflowAddress, tfjsonpath.New("id"), compareSame),
				statecheck.ExpectKnownValue("data.entragov_lifecycle_workflow.by_id", tfjsonpath.New("tasks").AtSliceIndex(0).AtMapKey("arguments").AtMapKey("groupID"),
					knownvalue.StringExact(emulator.SeedGroupSalesID)),
				statecheck.ExpectKnownValue("data.entragov_lifecycle_workflow.by_id", tfjsonpath.New("execution_conditions").AtMapKey("trigger").AtMapKey("time_based_attribute"),
					knownvalue.StringExact("employeeHireDate")),
				statecheck.ExpectKnownValue("data.entragov_lifecycle_workflow.by_name", tfjsonpath.New("version"), knownvalue.Int64Exact(1)),
			},
		}, {
			Config:      e.Config(`data "entragov_lifecycle_workflow" "missing" { display_name = "No such workflow" }`),
			ExpectError: acctest.ExpectError(`No lifecycle workflow is named "No such workflow"`),
		}},
	})
}

func TestAccTaskDefinitionsDataSource_basic(t *testing.T) {
	e := acctest.NewEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      e.Config(`data "entragov_task_definitions" "bad" { category = "onboarding" }`),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(`Attribute category value must be one of`),
		}, {
			Config: e.Config(`
data "entragov_task_definitions" "all" {}

data "entragov_task_definitions" "mover" {
  category = "mover"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.entragov_task_definitions.all", tfjsonpath.New("task_definitions"), knownvalue.ListSizeExact(25)),
				// Mover is an evolvable enum member: it is returned only because the provider sends the Prefer header.
				statecheck.ExpectKnownValue("data.entragov_task_definitions.mover", tfjsonpath.New("task_definitions"), knownvalue.ListPartial(map[int]knownvalue.Check{
					0: knownvalue.ObjectPartial(map[string]knownvalue.Check{"category": knownvalue.StringRegexp(moverPattern)}),
				})),
				statecheck.ExpectKnownValue("data.entragov_task_definitions.mover", tfjsonpath.New("id"), knownvalue.StringExact("task-definitions/mover")),
			},
		}},
	})
}
