package lifecycle_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
)

func TestAccCustomTaskExtensionDataSource_byIDAndName(t *testing.T) {
	e := acctest.NewEmulator(t)
	ext := taskExtensionConfig("Grant manager access", popAuthentication+`
  callback_configuration = {
    timeout_duration   = "PT30M"
    authorized_app_ids = ["4f3c1b5e-2d6a-4e8b-9c7d-1a2b3c4d5e6f"]
  }`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(ext, `
data "entragov_custom_task_extension" "by_name" {
  display_name = "Grant manager access"
  depends_on   = [entragov_custom_task_extension.test]
}

data "entragov_custom_task_extension" "by_id" {
  id = entragov_custom_task_extension.test.id
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs("data.entragov_custom_task_extension.by_name", tfjsonpath.New("id"), taskExtensionAddress, tfjsonpath.New("id"), compareSame),
				statecheck.ExpectKnownValue("data.entragov_custom_task_extension.by_id", tfjsonpath.New("callback_configuration").AtMapKey("authorized_app_ids"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("4f3c1b5e-2d6a-4e8b-9c7d-1a2b3c4d5e6f")})),
			},
		}, {
			Config: e.Config(`
data "entragov_custom_task_extension" "missing" {
  display_name = "Nobody made this"
}
`),
			ExpectError: acctest.ExpectError(`Custom task extension not found.*is named "` + regexp.QuoteMeta(e.Name("Nobody made this")) + `"`),
		}, {
			Config: e.Config(`
data "entragov_custom_task_extension" "missing" {
  id = "0b1f6a44-9ab8-4c3e-8f3d-1f2e3d4c5b6a"
}
`),
			ExpectError: acctest.ExpectError(`Custom task extension not found.*has the id "0b1f6a44-9ab8-4c3e-8f3d-1f2e3d4c5b6a"`),
		}},
	})
}
