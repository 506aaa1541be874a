package entitlement_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
)

// bulkObjects is how many access packages, each with one assignment policy, the bulk refresh tests manage.
const bulkObjects = 20

// bulkRefreshConfig is a catalog with bulkObjects access packages, each with an assignment policy; extra
// goes into the provider block (bulk_refresh = false for the baseline).
func bulkRefreshConfig(e *acctest.Emulator, extra string) string {
	provider := e.ProviderConfig()
	if extra != "" {
		provider = strings.Replace(provider, "provider \"entragov\" {\n", "provider \"entragov\" {\n  "+extra+"\n", 1)
	}
	return provider + fmt.Sprintf(`
resource "entragov_catalog" "bulk" {
  display_name = "Bulk refresh"
  description  = "Many packages"
}

resource "entragov_access_package" "bulk" {
  count        = %[1]d
  catalog_id   = entragov_catalog.bulk.id
  display_name = "Bulk package ${count.index}"
}

resource "entragov_assignment_policy" "bulk" {
  count             = %[1]d
  access_package_id = entragov_access_package.bulk[count.index].id
  display_name      = "Bulk policy ${count.index}"
  expiration        = { type = "afterDuration", duration = "P30D" }
}
`, bulkObjects)
}

// policyReads counts the requests that read assignment policies: single GETs and collection pages.
type policyReads struct{ single, list int }

func countPolicyReads(e *acctest.Emulator) policyReads {
	var r policyReads
	for route, n := range e.Server.RequestCount().ByRoute {
		switch {
		case strings.HasSuffix(route, "GET /v1.0/identityGovernance/entitlementManagement/assignmentPolicies/{id}"):
			r.single += n
		case strings.HasSuffix(route, "GET /v1.0/identityGovernance/entitlementManagement/assignmentPolicies"):
			r.list += n
		}
	}
	return r
}

// TestAccBulkRefresh_manyPolicies: with bulk refresh (the default) a no-op plan and a refresh-only plan of 20
// packages and policies are empty and read the policies with a few requests instead of one per policy; an
// out-of-band delete of one policy and change of another are planned exactly as without bulk refresh.
// Under ENTRAGOV_ACC_FAULTS (make testfaults) the counts include the retried attempts, so they are compared
// with the same runs made with bulk_refresh = false.
func TestAccBulkRefresh_manyPolicies(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	cfg := bulkRefreshConfig(e, "")
	var deleted, changed acctest.IDCapture
	var noop, refresh, noopBaseline, refreshBaseline policyReads
	record := func(into *policyReads) func() {
		return func() {
			*into = countPolicyReads(e)
			e.Server.ResetRequestCount()
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoPoliciesLeft(e),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID("entragov_assignment_policy.bulk[3]", &deleted),
				acctest.CaptureID("entragov_assignment_policy.bulk[5]", &changed),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			// A no-op plan with bulk refresh.
			PreConfig: func() { e.Server.ResetRequestCount() },
			Config:    cfg,
			PlanOnly:  true,
		}, {
			// A refresh-only run with bulk refresh.
			PreConfig:    record(&noop),
			RefreshState: true,
		}, {
			// The same no-op plan and refresh-only run without bulk refresh, as the baselines.
			PreConfig: record(&refresh),
			Config:    bulkRefreshConfig(e, "bulk_refresh = false"),
			PlanOnly:  true,
		}, {
			PreConfig:    record(&noopBaseline),
			RefreshState: true,
		}, {
			PreConfig: func() {
				record(&refreshBaseline)()
				t.Logf("policy reads: no-op plan %+v (without bulk refresh %+v), refresh-only %+v (without %+v)",
					noop, noopBaseline, refresh, refreshBaseline)
				checkBulkPolicyReads(t, "no-op plan", noop, noopBaseline)
				checkBulkPolicyReads(t, "refresh-only run", refresh, refreshBaseline)
				if err := e.Server.DeleteObject("assignmentPolicies", deleted.Value); err != nil {
					t.Fatalf("out-of-band delete: %v", err)
				}
				if err := e.Server.ChangeObject("assignmentPolicies", changed.Value, map[string]any{"displayName": "Renamed outside"}); err != nil {
					t.Fatalf("out-of-band change: %v", err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("entragov_assignment_policy.bulk[3]", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("entragov_assignment_policy.bulk[5]", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("entragov_assignment_policy.bulk[4]", plancheck.ResourceActionNoop),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: func(*terraform.State) error {
				if p, err := e.Client(t).GetAssignmentPolicy(acctest.Context(t), changed.Value); err != nil || p.DisplayName != "Bulk policy 5" {
					return fmt.Errorf("changed policy after apply: %+v, %v", p, err)
				}
				return nil
			},
		}},
	})
}

// checkBulkPolicyReads: with bulk refresh the policies are read with far fewer requests than there are
// policies, and than without bulk refresh; without faults, exactly the threshold's 3 single GETs and one
// one-page collection read per provider process that refreshed them.
func checkBulkPolicyReads(t *testing.T, what string, bulk, baseline policyReads) {
	t.Helper()
	total := bulk.single + bulk.list
	if bulk.list == 0 {
		t.Errorf("%s: no collection read of the policies (%+v)", what, bulk)
	}
	if baseline.list != 0 || baseline.single < bulkObjects {
		t.Errorf("%s without bulk refresh read the policies with %+v; want %d single GETs or more and no collection read", what, baseline, bulkObjects)
	}
	if 2*total > baseline.single+baseline.list {
		t.Errorf("%s: %d requests read the policies with bulk refresh, %d without; want at most half", what, total, baseline.single+baseline.list)
	}
	if !acctest.FaultsEnabled() && bulk.single != 3*bulk.list {
		t.Errorf("%s: %d single GETs and %d collection reads; want 3 single GETs per collection read", what, bulk.single, bulk.list)
	}
}
