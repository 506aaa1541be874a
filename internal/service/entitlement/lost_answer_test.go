package entitlement_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// Every write's answer is lost after the local API committed it: over HTTP/2 the stream is reset
// rather than the connection closed. The create must be recognised as ambiguous and the committed
// catalog adopted, never created twice.
func TestAccCatalog_createAnswerLost(t *testing.T) {
	if acctest.FaultsEnabled() {
		t.Skip("sets its own faults")
	}
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, catalogTestCase(t, e, resource.TestStep{
		PreConfig: func() { e.Server.SetFaults(emulator.Faults{Seed: 1, DropAfterCommitRate: 1}) },
		Config:    e.Config(testAccCatalogConfig_basic("Lost answer")),
		Check: func(*terraformState) error {
			e.Server.SetFaults(emulator.Faults{})
			dropped := e.Server.FaultCounts().Dropped
			catalogs, err := e.Server.ListObjects("catalogs")
			if err != nil {
				return err
			}
			n := 0
			for _, c := range catalogs {
				if c["displayName"] == "Lost answer" {
					n++
				}
			}
			if dropped == 0 || n != 1 {
				return fmt.Errorf("%d answers dropped, %d catalogs named %q; want at least one drop and exactly one catalog", dropped, n, "Lost answer")
			}
			return nil
		},
	}, resource.TestStep{
		Config: e.Config(testAccCatalogConfig_basic("Lost answer")),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}))
}
