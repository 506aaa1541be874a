package lifecycle_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
)

// Three workflows in pages of two: all, by category, by name with the resource, and none.
func TestAccLifecycleWorkflowList_basic(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSmallPages)
	var urgent, welcome acctest.IDCapture
	workflow := func(address, category, name, task string) string {
		return fmt.Sprintf(`
resource "entragov_lifecycle_workflow" %q {
  category             = %q
  display_name         = %q
  execution_conditions = { type = "onDemandExecutionOnly" }
  tasks                = [{ task_definition_id = %q, display_name = "First task" }]
}
`, address, category, name, task)
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   acctest.QueryVersionChecks,
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(
				workflow("urgent", "leaver", "Urgent leaver", taskRevokeRefreshTokens),
				workflow("retiring", "leaver", "Retiring", taskRevokeRefreshTokens),
				workflow("welcome", "joiner", "Welcome", taskSendWelcomeEmail),
			),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID("entragov_lifecycle_workflow.urgent", &urgent),
				acctest.CaptureID("entragov_lifecycle_workflow.welcome", &welcome),
			},
		}, {
			Query: true,
			Config: e.QueryConfig(`
list "entragov_lifecycle_workflow" "all" {
  provider = entragov
}

list "entragov_lifecycle_workflow" "leavers" {
  provider = entragov
  config {
    category = "leaver"
  }
}

list "entragov_lifecycle_workflow" "urgent" {
  provider         = entragov
  include_resource = true
  config {
    display_name = "Urgent leaver"
  }
}

list "entragov_lifecycle_workflow" "none" {
  provider = entragov
  config {
    display_name = "Welcome"
    category     = "mover"
  }
}
`),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("entragov_lifecycle_workflow.all", 3),
				querycheck.ExpectIdentity("entragov_lifecycle_workflow.all", map[string]knownvalue.Check{"id": acctest.Captured(&welcome)}),
				querycheck.ExpectLength("entragov_lifecycle_workflow.leavers", 2),
				querycheck.ExpectResourceDisplayName("entragov_lifecycle_workflow.leavers",
					queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": acctest.Captured(&urgent)}),
					knownvalue.StringExact(e.Name("Urgent leaver"))),
				querycheck.ExpectLength("entragov_lifecycle_workflow.urgent", 1),
				querycheck.ExpectResourceKnownValues("entragov_lifecycle_workflow.urgent",
					queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": acctest.Captured(&urgent)}),
					[]querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("category"), KnownValue: knownvalue.StringExact("leaver")},
						{Path: tfjsonpath.New("tasks").AtSliceIndex(0).AtMapKey("task_definition_id"), KnownValue: knownvalue.StringExact(taskRevokeRefreshTokens)},
						{Path: tfjsonpath.New("execution_conditions").AtMapKey("type"), KnownValue: knownvalue.StringExact("onDemandExecutionOnly")},
					}),
				querycheck.ExpectLength("entragov_lifecycle_workflow.none", 0),
			},
		}},
	})
}

// A category Graph does not have is refused with the attribute's path before any request.
func TestAccLifecycleWorkflowList_invalidCategory(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   acctest.QueryVersionChecks,
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Query: true,
			Config: e.Config(`
list "entragov_lifecycle_workflow" "bad" {
  provider = entragov
  config {
    category = "retiree"
  }
}
`),
			ExpectError: acctest.ExpectError(`Attribute category value must be one of`),
		}},
	})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("an invalid list block reached the API: %d Graph requests", n)
	}
}
