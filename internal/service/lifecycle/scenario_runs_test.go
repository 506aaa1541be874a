package lifecycle_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// Lifecycle workflows over time, end to end: Terraform applies a leaver workflow for Fabrikam's
// guests (their employeeLeaveDateTime, offset 0); Go gives a guest an access package and a leave
// date and moves the local API's clock past it; Graph and the runs data source then show what the
// scheduled run did. internal/emulator/README.md, "Lifecycle workflows over time".

const (
	runsAddress       = "data.entragov_lifecycle_workflow_runs.leavers"
	taskRemoveAllAP   = "42ae2956-193d-4f39-be06-691b8ac4fa1d"
	taskDisableUser   = "1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950"
	scenarioLeaveRule = "(userType eq 'Guest') and (companyName eq 'Fabrikam')"
)

func leaverScenarioConfig(scheduling bool) string {
	return fmt.Sprintf(`
resource "entragov_catalog" "partners" {
  display_name = "Partners"
}

resource "entragov_access_package" "partners" {
  catalog_id   = entragov_catalog.partners.id
  display_name = "Partner access"
}

resource "entragov_assignment_policy" "direct" {
  access_package_id = entragov_access_package.partners.id
  display_name      = "Direct assignment"
}

resource "entragov_lifecycle_workflow" "test" {
  category           = "leaver"
  display_name       = "Fabrikam guests leave"
  scheduling_enabled = %t
  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "ruleBasedSubjectSet", rule = %q }
    trigger = { type = "timeBasedAttributeTrigger", time_based_attribute = "employeeLeaveDateTime", offset_in_days = 0 }
  }
  tasks = [
    { task_definition_id = %q, display_name = "Remove access packages" },
    { task_definition_id = %q, display_name = "Disable the account" },
  ]
}

data "entragov_lifecycle_workflow_runs" "leavers" {
  workflow_id                     = entragov_lifecycle_workflow.test.id
  include_task_processing_results = true
}
`, scheduling, scenarioLeaveRule, taskRemoveAllAP, taskDisableUser)
}

// leaverScenario is the part Go plays: Ben (in scope) gets the package and a leave date tomorrow,
// Dan (moved out of scope) the same date; then the clock moves two days on. No sleeps: the assignment
// is delivered by a move of the clock too.
type leaverScenario struct {
	e                     *acctest.Emulator
	pkg, policy, workflow acctest.IDCapture
}

func (s *leaverScenario) play(t *testing.T) {
	ctx := acctest.Context(t)
	c := s.e.Client(t)
	_, err := c.AssignAccessPackage(ctx, emulator.SeedGuestBenID, s.pkg.Value, s.policy.Value, "partner project", nil)
	if err != nil {
		t.Fatalf("assigning the package to Ben: %v", err)
	}
	// Not recorded as made outside Terraform: the leaver workflow removes it, or the last step does.
	if _, err := s.e.Server.AdvanceClock(time.Minute); err != nil { // delivers the request
		t.Fatal(err)
	}
	if live := liveAssignmentsOf(ctx, t, c, emulator.SeedGuestBenID); live != 1 {
		t.Fatalf("Ben has %d delivered assignments before leaving, want 1", live)
	}
	leave := s.e.Server.ClockNow().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	if err := s.e.Server.ChangeObject("users", emulator.SeedGuestBenID, map[string]any{"employeeLeaveDateTime": leave}); err != nil {
		t.Fatal(err)
	}
	if err := s.e.Server.ChangeObject("users", emulator.SeedGuestDanID, map[string]any{"employeeLeaveDateTime": leave, "companyName": "Contoso"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.e.Server.AdvanceClock(48 * time.Hour); err != nil {
		t.Fatal(err)
	}
}

func liveAssignmentsOf(ctx context.Context, t *testing.T, c *graph.Client, user string) int {
	t.Helper()
	asgs, err := c.ListAssignments(ctx, graph.AssignmentFilter{TargetObjectID: user, State: "delivered"})
	if err != nil {
		t.Fatal(err)
	}
	return len(asgs)
}

// userEnabled checks a user's accountEnabled through Graph.
func userEnabled(e *acctest.Emulator, t *testing.T, user string, want bool) funcCheck {
	return func(ctx context.Context) error {
		u, err := e.Client(t).GetUser(ctx, user)
		if err != nil {
			return err
		}
		if u.AccountEnabled == nil || *u.AccountEnabled != want {
			return fmt.Errorf("user %s: accountEnabled %v, want %t", user, u.AccountEnabled, want)
		}
		return nil
	}
}

func deliveredAssignments(e *acctest.Emulator, t *testing.T, user string, want int) funcCheck {
	return func(ctx context.Context) error {
		if got := liveAssignmentsOf(ctx, t, e.Client(t), user); got != want {
			return fmt.Errorf("user %s has %d delivered assignments, want %d", user, got, want)
		}
		return nil
	}
}

func TestAccLifecycleScenario_leaverRunsOnTheClock(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	s := &leaverScenario{e: e}
	cfg := e.Config(leaverScenarioConfig(true))
	var requestsBefore int
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID("entragov_access_package.partners", &s.pkg),
				acctest.CaptureID("entragov_assignment_policy.direct", &s.policy),
				acctest.CaptureID(workflowAddress, &s.workflow),
				statecheck.ExpectKnownValue(runsAddress, tfjsonpath.New("runs"), knownvalue.ListSizeExact(0)),
			},
		}, {
			PreConfig: func() { s.play(t) },
			Config:    cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				userEnabled(e, t, emulator.SeedGuestBenID, false),
				deliveredAssignments(e, t, emulator.SeedGuestBenID, 0),
				userEnabled(e, t, emulator.SeedGuestDanID, true),   // out of scope
				userEnabled(e, t, emulator.SeedGuestCarlaID, true), // no leave date
				statecheck.ExpectKnownValue(runsAddress, tfjsonpath.New("runs"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"workflow_execution_type": knownvalue.StringExact("scheduled"),
						"processing_status":       knownvalue.StringExact("completed"),
						"total_users_count":       knownvalue.Int64Exact(1),
						"total_tasks_count":       knownvalue.Int64Exact(2),
						"failed_tasks_count":      knownvalue.Int64Exact(0),
						"completed_date_time":     knownvalue.StringRegexp(timestampPattern),
						"user_processing_results": knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"subject_id":         knownvalue.StringExact(emulator.SeedGuestBenID),
							"processing_status":  knownvalue.StringExact("completed"),
							"failed_tasks_count": knownvalue.Int64Exact(0),
							"task_processing_results": knownvalue.ListExact([]knownvalue.Check{
								knownvalue.ObjectPartial(map[string]knownvalue.Check{
									"task_definition_id": knownvalue.StringExact(taskRemoveAllAP), "processing_status": knownvalue.StringExact("completed"),
									"task_display_name": knownvalue.StringExact("Remove access packages"), "failure_reason": knownvalue.Null(),
								}),
								knownvalue.ObjectPartial(map[string]knownvalue.Check{
									"task_definition_id": knownvalue.StringExact(taskDisableUser), "processing_status": knownvalue.StringExact("completed"),
								}),
							}),
						})}),
					}),
				})),
			},
		}, {
			// Later evaluations do not process Ben again.
			PreConfig: func() {
				if _, err := e.Server.AdvanceClock(72 * time.Hour); err != nil {
					t.Fatal(err)
				}
			},
			Config:            cfg,
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(runsAddress, tfjsonpath.New("runs"), knownvalue.ListSizeExact(1))},
		}, {
			// Refused at plan, before any request.
			PreConfig:   func() { requestsBefore = e.GraphRequests() },
			Config:      e.Config(`data "entragov_lifecycle_workflow_runs" "bad" { workflow_id = "not-a-guid" }`),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(`(?s)workflow_id.*not a GUID`),
		}, {
			PreConfig: func() {
				if n := e.GraphRequests() - requestsBefore; n != 0 {
					t.Errorf("a plan-time error sent %d Graph requests", n)
				}
			},
			Config:      e.Config(`data "entragov_lifecycle_workflow_runs" "missing" { workflow_id = "00000000-0000-4000-8000-0000000000ff" }`),
			ExpectError: acctest.ExpectError(`No lifecycle workflow has the id`),
		}},
	})
}

// The opposite: the same workflow without scheduling leaves Ben, his access and the runs alone.
func TestAccLifecycleScenario_schedulingOffDoesNothing(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	s := &leaverScenario{e: e}
	cfg := e.Config(leaverScenarioConfig(false))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID("entragov_access_package.partners", &s.pkg),
				acctest.CaptureID("entragov_assignment_policy.direct", &s.policy),
				acctest.CaptureID(workflowAddress, &s.workflow),
			},
		}, {
			PreConfig: func() { s.play(t) },
			Config:    cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				userEnabled(e, t, emulator.SeedGuestBenID, true),
				deliveredAssignments(e, t, emulator.SeedGuestBenID, 1),
				statecheck.ExpectKnownValue(runsAddress, tfjsonpath.New("runs"), knownvalue.ListSizeExact(0)),
			},
		}, {
			// Ben's assignment goes, so that the policy can be destroyed.
			PreConfig: func() {
				ctx := acctest.Context(t)
				c := e.Client(t)
				asgs, err := c.ListAssignments(ctx, graph.AssignmentFilter{TargetObjectID: emulator.SeedGuestBenID, State: "delivered"})
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range asgs {
					if _, err := c.RemoveAssignment(ctx, a.ID); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := e.Server.AdvanceClock(time.Minute); err != nil { // delivers the removal
					t.Fatal(err)
				}
			},
			Config: cfg,
		}},
	})
}
