package reviews_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

func TestAccAccessReviewDataSource_byID(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSeededDirectory)
	cfg := reviewConfig{scope: groupGuestsScope(emulator.SeedGroupProjectFalconID),
		reviewers: `[{ query = "./sponsors", query_type = "MicrosoftGraph", query_root = "decisions" }]`}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(cfg.hcl(), `
data "entragov_access_review" "test" {
  id = entragov_access_review.test.id
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs("data.entragov_access_review.test", tfjsonpath.New("scope"), reviewAddress, tfjsonpath.New("scope"), compare.ValuesSame()),
				statecheck.ExpectKnownValue("data.entragov_access_review.test", tfjsonpath.New("display_name"), knownvalue.StringExact(e.Name("Guests of Project Falcon"))),
				statecheck.ExpectKnownValue("data.entragov_access_review.test", tfjsonpath.New("reviewers").AtSliceIndex(0).AtMapKey("query"), knownvalue.StringExact("./sponsors")),
				statecheck.ExpectKnownValue("data.entragov_access_review.test",
					tfjsonpath.New("settings").AtMapKey("recurrence").AtMapKey("pattern").AtMapKey("interval"), knownvalue.Int64Exact(3)),
			},
		}},
	})
}

func TestAccAccessReviewDataSource_notFound(t *testing.T) {
	e := acctest.NewEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(`
data "entragov_access_review" "missing" {
  id = "3856fd6f-36e2-4152-97c9-76070d19f730"
}
`),
			ExpectError: acctest.ExpectError(`No access review has the id "3856fd6f-36e2-4152-97c9-76070d19f730"`),
		}, {
			Config: e.Config(`
data "entragov_access_review" "bad" {
  id = "not-a-guid"
}
`),
			ExpectError: acctest.ExpectError(`Invalid object id`),
		}},
	})
}
