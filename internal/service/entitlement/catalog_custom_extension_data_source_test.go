package entitlement_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
)

func TestAccCatalogCustomExtensionDataSource_byIDAndName(t *testing.T) {
	e := acctest.NewEmulator(t)
	ext := testAccCatalogCustomExtensionConfig("a", requestExtensionBody("Check partner contract", `
  authentication_configuration = {
    type = "azureAdPopTokenAuthentication"
  }
  callback_configuration = {
    timeout_duration = "PT1H"
  }`))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(ext, `
data "entragov_catalog_custom_extension" "by_name" {
  catalog_id   = entragov_catalog.a.id
  display_name = "Check partner contract"
  depends_on   = [entragov_catalog_custom_extension.test]
}

data "entragov_catalog_custom_extension" "by_id" {
  catalog_id = entragov_catalog.a.id
  id         = entragov_catalog_custom_extension.test.id
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs("data.entragov_catalog_custom_extension.by_name", tfjsonpath.New("id"), extensionAddress, tfjsonpath.New("id"), compareEqual),
				statecheck.ExpectKnownValue("data.entragov_catalog_custom_extension.by_id", tfjsonpath.New("type"), knownvalue.StringExact("accessPackageAssignmentRequestWorkflowExtension")),
				statecheck.ExpectKnownValue("data.entragov_catalog_custom_extension.by_id", tfjsonpath.New("callback_configuration").AtMapKey("timeout_duration"), knownvalue.StringExact("PT1H")),
				statecheck.ExpectKnownValue("data.entragov_catalog_custom_extension.by_id", tfjsonpath.New("endpoint_configuration").AtMapKey("logic_app_workflow_name"), knownvalue.StringExact("check-partner-contract")),
			},
		}, {
			Config: e.Config(ext, `
data "entragov_catalog_custom_extension" "missing" {
  catalog_id   = entragov_catalog.b.id
  display_name = "Check partner contract"
}
`),
			ExpectError: acctest.ExpectError(`Custom extension not found.*is named "` + regexp.QuoteMeta(e.Name("Check partner contract")) + `"`),
		}, {
			Config: e.Config(ext, `
data "entragov_catalog_custom_extension" "missing" {
  catalog_id = entragov_catalog.b.id
  id         = entragov_catalog_custom_extension.test.id
}
`),
			ExpectError: acctest.ExpectError(`Custom extension not found.*has no custom extension with the id`),
		}},
	})
}
