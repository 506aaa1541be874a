package entitlement_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// Automatic assignment over time: Terraform applies an auto-assignment policy for Marketing; entitlement
// management assigns everyone who matches, assigns a user who moves into Marketing, and removes the
// assignment of a user who moves out once the grace period has passed on the local API's clock (or never,
// when the policy keeps access). The users change through the control API, as HR would change them.

const (
	megan = "5eed0001-0000-4000-8000-000000000004" // Marketing in the seeded tenant
	alex  = "5eed0001-0000-4000-8000-000000000005" // Marketing
	lynne = "5eed0001-0000-4000-8000-000000000009" // Finance
)

// autoAssignmentConfig grants membership of the Sales group (none of the three users is a member of it in
// the seeded tenant, so membership shows what the assignments grant).
func autoAssignmentConfig(removeAccess bool) string {
	grace := "" // the provider refuses a grace period that no removal uses
	if removeAccess {
		grace = "\n    grace_period_before_access_removal               = \"P7D\""
	}
	return fmt.Sprintf(`
resource "entragov_catalog" "marketing" {
  display_name = "Marketing"
}

resource "entragov_catalog_resource" "team" {
  catalog_id    = entragov_catalog.marketing.id
  origin_system = "AadGroup"
  origin_id     = %[1]q
}

resource "entragov_access_package" "marketing" {
  catalog_id   = entragov_catalog.marketing.id
  display_name = "Marketing launch team"
}

resource "entragov_access_package_resource_role_scope" "team" {
  access_package_id   = entragov_access_package.marketing.id
  catalog_resource_id = entragov_catalog_resource.team.id
  role_origin_id      = "Member_%[1]s"
}

resource "entragov_assignment_policy" "auto" {
  access_package_id    = entragov_access_package.marketing.id
  display_name         = "Everyone in Marketing"
  allowed_target_scope = "specificDirectoryUsers"
  specific_allowed_targets = [
    { type = "attributeRuleMembers", membership_rule = "(user.department -eq \"Marketing\")" },
  ]
  automatic_request_settings = {
    request_access_for_allowed_targets               = true
    remove_access_when_target_leaves_allowed_targets = %[2]t%[3]s
  }
  expiration = { type = "noExpiration" }
  depends_on = [entragov_access_package_resource_role_scope.team]
}
`, emulator.SeedGroupSalesID, removeAccess, grace)
}

// autoAssigned lists the users with a live assignment under the policy, read through Graph.
func autoAssigned(t *testing.T, e *acctest.Emulator, policyID string) []string {
	t.Helper()
	found, err := e.Client(t).ListAssignments(acctest.Context(t), graph.AssignmentFilter{AssignmentPolicyID: policyID})
	if err != nil {
		t.Fatal(err)
	}
	var users []string
	for _, a := range found {
		if a.State != "expired" && a.Target != nil {
			users = append(users, strings.ToLower(a.Target.ObjectID))
		}
	}
	slices.Sort(users)
	return users
}

func expectAutoAssigned(t *testing.T, e *acctest.Emulator, policy *acctest.IDCapture, want ...string) funcCheck {
	return func(context.Context) error {
		slices.Sort(want)
		if got := autoAssigned(t, e, policy.Value); !slices.Equal(got, want) {
			return fmt.Errorf("assigned under the policy: %v, want %v", got, want)
		}
		for _, u := range []string{megan, alex, lynne} {
			if err := inGroup(e, emulator.SeedGroupSalesID, u, slices.Contains(want, u))(); err != nil {
				return err
			}
		}
		return nil
	}
}

func moveDepartment(t *testing.T, e *acctest.Emulator, user, department string) {
	t.Helper()
	if err := e.Server.ChangeObject("users", user, map[string]any{"department": department}); err != nil {
		t.Fatal(err)
	}
}

func TestAccScenarioTime_autoAssignment(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var policy acctest.IDCapture
	config := e.Config(autoAssignmentConfig(true))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			// Everyone in Marketing is assigned as soon as the policy exists.
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID("entragov_assignment_policy.auto", &policy),
				expectAutoAssigned(t, e, &policy, megan, alex),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			// Megan moves to Sales: she keeps access for the 7-day grace period, then loses it. Lynne moves
			// to Marketing and is assigned at once. None of it is a change to the configuration.
			PreConfig: func() {
				moveDepartment(t, e, megan, "Sales")
				moveDepartment(t, e, lynne, "Marketing")
				e.AdvanceClock(t, "P6D")
				if got := autoAssigned(t, e, policy.Value); !slices.Contains(got, megan) {
					t.Fatalf("Megan lost access within the grace period: %v", got)
				}
				e.AdvanceClock(t, "P2D")
			},
			Config:            config,
			ConfigStateChecks: []statecheck.StateCheck{expectAutoAssigned(t, e, &policy, alex, lynne)},
			ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			// Back in Marketing during a grace period: the removal is called off.
			PreConfig: func() {
				moveDepartment(t, e, alex, "Sales")
				e.AdvanceClock(t, "P3D")
				moveDepartment(t, e, alex, "Marketing")
				e.AdvanceClock(t, "P8D")
			},
			Config:            config,
			ConfigStateChecks: []statecheck.StateCheck{expectAutoAssigned(t, e, &policy, alex, lynne)},
		}},
	})
}

// The opposite design: the policy keeps access when a user stops matching, so nothing is removed however
// long the clock runs.
func TestAccScenarioTime_autoAssignmentKeepsAccess(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var policy acctest.IDCapture
	config := e.Config(autoAssignmentConfig(false))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID("entragov_assignment_policy.auto", &policy),
				expectAutoAssigned(t, e, &policy, megan, alex),
			},
		}, {
			PreConfig: func() {
				moveDepartment(t, e, megan, "Sales")
				e.AdvanceClock(t, "P30D")
			},
			Config:            config,
			ConfigStateChecks: []statecheck.StateCheck{expectAutoAssigned(t, e, &policy, megan, alex)},
		}},
	})
}
