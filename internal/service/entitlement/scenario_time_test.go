package entitlement_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// Scenarios over time: Terraform applies a configuration, the test moves the local API's clock
// forward through its control API (POST /_emulator/clock/advance, internal/emulator/README.md,
// "The clock"), and Graph reads show what the design does to a guest of a connected organization:
// the assignment expires and the guest leaves the group, then the guest is blocked and deleted
// as the entitlement management settings say. Nothing sleeps: the clock jumps.

// timeScenarioConfig is a package granting Project Falcon membership to Fabrikam's users under a
// policy with the given expiration, Ben of Fabrikam assigned, and the tenant's external user
// lifecycle settings. Ben is named by id (not a data source): he may be deleted by the end.
func timeScenarioConfig(expiration, lifecycleAction string) string {
	deletionDelay := "" // the provider refuses a deletion delay that no deletion uses
	if lifecycleAction == "blockSignInAndDelete" {
		deletionDelay = "\n  duration_until_external_user_deleted_after_blocked = \"P30D\""
	}
	return fmt.Sprintf(`
resource "entragov_connected_organization" "fabrikam" {
  display_name = "Fabrikam"
  description  = "Design partner"
  identity_sources = [
    { type = "domainIdentitySource", domain_name = "fabrikam.com", display_name = "Fabrikam" },
  ]
}

resource "entragov_entitlement_management_settings" "tenant" {
  external_user_lifecycle_action = %[3]q%[5]s
}

resource "entragov_catalog" "partners" {
  display_name = "Partner access"
}

resource "entragov_catalog_resource" "falcon" {
  catalog_id    = entragov_catalog.partners.id
  origin_system = "AadGroup"
  origin_id     = %[1]q
}

resource "entragov_access_package" "consultants" {
  catalog_id   = entragov_catalog.partners.id
  display_name = "Fabrikam consultants"
}

resource "entragov_access_package_resource_role_scope" "falcon" {
  access_package_id   = entragov_access_package.consultants.id
  catalog_resource_id = entragov_catalog_resource.falcon.id
  role_origin_id      = "Member_%[1]s"
}

resource "entragov_assignment_policy" "fabrikam" {
  access_package_id    = entragov_access_package.consultants.id
  display_name         = "Fabrikam consultants"
  description          = "Fabrikam users, assigned by an administrator"
  allowed_target_scope = "specificConnectedOrganizationUsers"
  specific_allowed_targets = [
    { type = "connectedOrganizationMembers", connected_organization_id = entragov_connected_organization.fabrikam.id },
  ]
  expiration = %[4]s
}

resource "entragov_access_package_assignment" "ben" {
  target_id            = %[2]q
  access_package_id    = entragov_access_package.consultants.id
  assignment_policy_id = entragov_assignment_policy.fabrikam.id
  justification        = "Falcon design work"
  depends_on           = [entragov_access_package_resource_role_scope.falcon, entragov_entitlement_management_settings.tenant]
}
`, emulator.SeedGroupProjectFalconID, emulator.SeedGuestBenID, lifecycleAction, expiration, deletionDelay)
}

const (
	expiresIn30Days = `{ type = "afterDuration", duration = "P30D" }`
	neverExpires    = `{ type = "noExpiration" }`
	benAssignment   = "entragov_access_package_assignment.ben"
)

// benAssignmentState reads the assignment through Graph.
func benAssignmentState(t *testing.T, e *acctest.Emulator, id *acctest.IDCapture, want string) error {
	a, err := e.Client(t).GetAssignment(acctest.Context(t), id.Value)
	if err != nil {
		return err
	}
	if a.State != want {
		return fmt.Errorf("assignment %s is %q, want %q", id.Value, a.State, want)
	}
	if want == "expired" && a.ExpiredDateTime == "" {
		return fmt.Errorf("expired assignment %s has no expiredDateTime", id.Value)
	}
	return nil
}

// benAccount reads Ben through Graph: enabled, disabled, or gone.
func benAccount(t *testing.T, e *acctest.Emulator) string {
	u, err := e.Client(t).GetUser(acctest.Context(t), emulator.SeedGuestBenID)
	switch {
	case graph.IsNotFound(err):
		return "deleted"
	case err != nil:
		t.Fatalf("reading Ben: %v", err)
	case u.AccountEnabled != nil && !*u.AccountEnabled:
		return "disabled"
	}
	return "enabled"
}

func expectBen(t *testing.T, e *acctest.Emulator, want string) error {
	if got := benAccount(t, e); got != want {
		return fmt.Errorf("Ben's account is %s, want %s", got, want)
	}
	return nil
}

// The first step of every scenario: apply, Ben is assigned and in the group, the plan is empty.
func timeScenarioApply(e *acctest.Emulator, config string, id *acctest.IDCapture) resource.TestStep {
	return resource.TestStep{
		Config: e.Config(config),
		ConfigStateChecks: []statecheck.StateCheck{
			acctest.CaptureID(benAssignment, id),
			funcCheck(func(context.Context) error {
				return inGroup(e, emulator.SeedGroupProjectFalconID, emulator.SeedGuestBenID, true)()
			}),
		},
		ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
	}
}

// (a) Expiry: 31 days after the apply the assignment is expired and Ben is out of the group.
// Terraform's next plan creates the assignment again (an expired assignment is gone for it).
func TestAccScenarioTime_assignmentExpires(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var id acctest.IDCapture
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			timeScenarioApply(e, timeScenarioConfig(expiresIn30Days, "none"), &id),
			{
				PreConfig: func() {
					e.AdvanceClock(t, "P29D")
					if err := benAssignmentState(t, e, &id, "delivered"); err != nil {
						t.Fatalf("day 29: %v", err)
					}
					e.AdvanceClock(t, "P2D")
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: func(*terraform.State) error {
					if err := benAssignmentState(t, e, &id, "expired"); err != nil {
						return err
					}
					if err := inGroup(e, emulator.SeedGroupProjectFalconID, emulator.SeedGuestBenID, false)(); err != nil {
						return err
					}
					return expectBen(t, e, "enabled") // externalUserLifecycleAction none
				},
			},
			{
				// The next apply assigns Ben again, and he is back in the group.
				Config: e.Config(timeScenarioConfig(expiresIn30Days, "none")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(benAssignment, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					return inGroup(e, emulator.SeedGroupProjectFalconID, emulator.SeedGuestBenID, true)()
				},
			},
		},
	})
	checkAudit(t, e, "assignmentExpired")
}

// (a) opposite: with noExpiration nothing happens, a year and a half later.
func TestAccScenarioTime_noExpiration(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var id acctest.IDCapture
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			timeScenarioApply(e, timeScenarioConfig(neverExpires, "blockSignInAndDelete"), &id),
			{
				PreConfig: func() { e.AdvanceClock(t, "P540D") },
				Config:    e.Config(timeScenarioConfig(neverExpires, "blockSignInAndDelete")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					if err := benAssignmentState(t, e, &id, "delivered"); err != nil {
						return err
					}
					if err := inGroup(e, emulator.SeedGroupProjectFalconID, emulator.SeedGuestBenID, true)(); err != nil {
						return err
					}
					return expectBen(t, e, "enabled")
				},
			},
		},
	})
	// The only change: the destroy removed Ben's last assignment, and the settings still said
	// blockSignInAndDelete.
	checkAudit(t, e, "externalUserBlocked")
}

// (b) Last assignment, blockSignInAndDelete with P30D: when the assignment expires Ben is
// blocked, and deleted 30 days later.
func TestAccScenarioTime_externalUserBlockedThenDeleted(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var id acctest.IDCapture
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			timeScenarioApply(e, timeScenarioConfig(expiresIn30Days, "blockSignInAndDelete"), &id),
			{
				PreConfig:          func() { e.AdvanceClock(t, "P31D") },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: func(*terraform.State) error {
					if err := benAssignmentState(t, e, &id, "expired"); err != nil {
						return err
					}
					return expectBen(t, e, "disabled")
				},
			},
			{
				PreConfig:          func() { e.AdvanceClock(t, "P30D") },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: func(*terraform.State) error {
					return expectBen(t, e, "deleted")
				},
			},
		},
	})
	checkAudit(t, e, "assignmentExpired", "externalUserBlocked", "externalUserDeleted")
}

// (b) opposite: with none, Ben stays enabled after his last assignment expires.
func TestAccScenarioTime_externalUserKept(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var id acctest.IDCapture
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			timeScenarioApply(e, timeScenarioConfig(expiresIn30Days, "none"), &id),
			{
				PreConfig:          func() { e.AdvanceClock(t, "P61D") },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: func(*terraform.State) error {
					if err := benAssignmentState(t, e, &id, "expired"); err != nil {
						return err
					}
					return expectBen(t, e, "enabled")
				},
			},
		},
	})
	checkAudit(t, e, "assignmentExpired")
}

// checkAudit compares the audit trail's activities (in order) with want: every time-driven
// change is recorded, and nothing else.
func checkAudit(t *testing.T, e *acctest.Emulator, want ...string) {
	t.Helper()
	trail, err := e.Server.AuditTrail()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range trail {
		got = append(got, a["activity"].(string))
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("audit trail %v, want %v", got, want)
	}
}
