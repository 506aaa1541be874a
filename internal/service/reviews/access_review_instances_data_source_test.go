package reviews_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
)

const instancesAddress = "data.entragov_access_review_instances.falcon"

const instancesDataSource = `
data "entragov_access_review_instances" "falcon" {
  access_review_id = entragov_access_review.test.id
}
`

func instanceValue(attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(instancesAddress, tfjsonpath.New("instances").AtSliceIndex(0).AtMapKey(attr), v)
}

// The review's one instance while it runs, then after the clock passed its end: both guests denied
// by default and the decisions applied.
func TestAccAccessReviewInstancesDataSource_countsDecisions(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	addGuestsToFalcon(t, e)
	config := e.Config(guestReviewConfig(true), instancesDataSource)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoReviewsLeft(e),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(instancesAddress, tfjsonpath.New("instances"), knownvalue.ListSizeExact(1)),
				instanceValue("status", knownvalue.StringExact("InProgress")),
				instanceValue("decisions_count", knownvalue.Int64Exact(2)),
				instanceValue("not_reviewed_count", knownvalue.Int64Exact(2)),
				instanceValue("denied_count", knownvalue.Int64Exact(0)),
				instanceValue("applied_count", knownvalue.Int64Exact(0)),
				instanceValue("scope_query", knownvalue.StringRegexp(regexp.MustCompile(`/transitiveMembers/microsoft\.graph\.user`))),
			},
		}, {
			PreConfig: func() { e.AdvanceClock(t, "P15D") },
			Config:    config,
			ConfigStateChecks: []statecheck.StateCheck{
				instanceValue("status", knownvalue.StringExact("Applied")),
				instanceValue("denied_count", knownvalue.Int64Exact(2)),
				instanceValue("not_reviewed_count", knownvalue.Int64Exact(0)),
				instanceValue("applied_count", knownvalue.Int64Exact(2)),
				instanceValue("denied_principal_ids", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(ben), knownvalue.StringExact(carla)})),
			},
		}, {
			// The status filter: nothing is in progress any more.
			Config: e.Config(guestReviewConfig(true), `
data "entragov_access_review_instances" "falcon" {
  access_review_id = entragov_access_review.test.id
  status           = "InProgress"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(instancesAddress, tfjsonpath.New("instances"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

func TestAccAccessReviewInstancesDataSource_notFound(t *testing.T) {
	e := acctest.NewEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(`
data "entragov_access_review_instances" "missing" {
  access_review_id = "3856fd6f-36e2-4152-97c9-76070d19f730"
}
`),
			ExpectError: acctest.ExpectError(`No access review has the id "3856fd6f-36e2-4152-97c9-76070d19f730"`),
		}},
	})
}

// Bad input is refused at plan, naming the attribute, before any Graph request.
func TestAccAccessReviewInstancesDataSource_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	noRequests := func() {
		if n := e.GraphRequests(); n != 0 {
			t.Fatalf("%d Graph requests for an invalid configuration", n)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(`
data "entragov_access_review_instances" "bad" {
  access_review_id = "not-a-guid"
}
`),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(`Invalid object id.*access_review_id`),
		}, {
			PreConfig: noRequests,
			Config: e.Config(`
data "entragov_access_review_instances" "bad" {
  access_review_id = "3856fd6f-36e2-4152-97c9-76070d19f730"
  status           = "Finished"
}
`),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(`status.*InProgress`),
		}, {
			PreConfig: noRequests,
			Config:    e.Config(`# nothing`),
			PlanOnly:  true,
		}},
	})
}
