package reviews_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// Three series in pages of two: all, by name (applied by the provider), by status (Graph's filter), by
// name with the resource, and none.
func TestAccAccessReviewList_basic(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSmallPages, acctest.NeedsSeededDirectory)
	var falcon acctest.IDCapture
	review := func(label, name string) string {
		return `
resource "entragov_access_review" "` + label + `" {
  display_name = "` + name + `"
  scope        = { type = "accessReviewQueryScope", query = "/groups/` + emulator.SeedGroupProjectFalconID + `/transitiveMembers" }
  settings = {
    instance_duration_in_days = 7
    recurrence = {
      pattern = { type = "weekly", interval = 1 }
      range   = { type = "noEnd", start_date = "2027-01-01" }
    }
  }
}
`
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   acctest.QueryVersionChecks,
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:            e.Config(review("falcon", "Falcon guests"), review("sales", "Sales members"), review("finance", "Finance members")),
			ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID("entragov_access_review.falcon", &falcon)},
		}, {
			Query: true,
			Config: e.QueryConfig(`
list "entragov_access_review" "all" {
  provider = entragov
}

list "entragov_access_review" "falcon" {
  provider         = entragov
  include_resource = true
  config {
    display_name = "` + e.Name("Falcon guests") + `"
  }
}

list "entragov_access_review" "not_started" {
  provider = entragov
  config {
    status = "NotStarted"
  }
}

list "entragov_access_review" "in_progress" {
  provider = entragov
  config {
    status = "InProgress"
  }
}
`),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLengthAtLeast("entragov_access_review.all", 3),
				querycheck.ExpectLength("entragov_access_review.falcon", 1),
				querycheck.ExpectResourceDisplayName("entragov_access_review.falcon",
					queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": acctest.Captured(&falcon)}), knownvalue.StringExact(e.Name("Falcon guests"))),
				querycheck.ExpectIdentity("entragov_access_review.falcon", map[string]knownvalue.Check{"id": acctest.Captured(&falcon)}),
				querycheck.ExpectResourceKnownValues("entragov_access_review.falcon", queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": acctest.Captured(&falcon)}),
					[]querycheck.KnownValueCheck{{Path: tfjsonpath.New("settings").AtMapKey("recurrence").AtMapKey("pattern").AtMapKey("type"), KnownValue: knownvalue.StringExact("weekly")}}),
				querycheck.ExpectLengthAtLeast("entragov_access_review.not_started", 3),
				querycheck.ExpectLength("entragov_access_review.in_progress", 0),
			},
		}},
	})
}
