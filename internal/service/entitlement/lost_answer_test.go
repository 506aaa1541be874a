package entitlement_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
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

// A create's answer is lost while an older catalog of the same name exists (one an apply killed a
// minute ago left, with duplicate names allowed here): the adoption must take the catalog this create
// made, which Graph stamped after the create was sent, not give up because two share the name.
func TestAccCatalog_createAnswerLostBesideAnOlderNamesake(t *testing.T) {
	if acctest.FaultsEnabled() {
		t.Skip("sets its own faults")
	}
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	older, err := e.Client(t).CreateCatalog(context.Background(), graph.CatalogCreate{DisplayName: e.Name("Lost answer")})
	if err != nil {
		t.Fatal(err)
	}
	minuteAgo := e.Server.ClockNow().Add(-time.Minute).UTC().Format(time.RFC3339Nano)
	if err := e.Server.ChangeObject("catalogs", older.ID, map[string]any{"createdDateTime": minuteAgo}); err != nil {
		t.Fatal(err)
	}
	e.CreatedOutsideTerraform(1)
	provider := strings.Replace(e.ProviderConfig(), `provider "entragov" {`, "provider \"entragov\" {\n  prevent_duplicate_names = false", 1)
	var adopted acctest.IDCapture
	resource.ParallelTest(t, catalogTestCase(t, e, resource.TestStep{
		PreConfig:         func() { e.Server.SetFaults(emulator.Faults{Seed: 1, DropAfterCommitRate: 1}) },
		Config:            provider + testAccCatalogConfig_basic("Lost answer"),
		ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(catalogAddress, &adopted)},
		Check: func(*terraformState) error {
			e.Server.SetFaults(emulator.Faults{})
			if e.Server.FaultCounts().Dropped == 0 {
				return fmt.Errorf("no answer was dropped: the test proved nothing")
			}
			if adopted.Value == older.ID {
				return fmt.Errorf("the apply adopted the older catalog %s instead of the one it made", older.ID)
			}
			return nil
		},
	}, resource.TestStep{
		Config: provider + testAccCatalogConfig_basic("Lost answer"),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}))
}
