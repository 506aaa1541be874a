package reviews_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// Access reviews over time: Terraform applies a review of the guests of Project Falcon, the local
// API opens its first instance at once (its start date is past) with one decision item per guest,
// the test moves the local API's clock past the instance's end (POST /_emulator/clock/advance,
// internal/emulator/README.md, "Access review instances and decisions") and Graph reads show what
// the review did: the default decision given, and applied or not. Nothing sleeps: the clock jumps.

// guestReviewConfig reviews Project Falcon's guests for 14 days every quarter, Deny when nobody
// answers, applied at the end when autoApply is true.
func guestReviewConfig(autoApply bool) string {
	return reviewConfig{
		name:  "Guests of Project Falcon",
		scope: groupGuestsScope(emulator.SeedGroupProjectFalconID),
		settings: fmt.Sprintf(`{
    instance_duration_in_days    = 14
    default_decision_enabled     = true
    default_decision             = "Deny"
    auto_apply_decisions_enabled = %t
    recurrence = {
      pattern = { type = "absoluteMonthly", interval = 3, day_of_month = 5 }
      range   = { type = "noEnd", start_date = "2026-01-05" }
    }
  }`, autoApply),
	}.hcl()
}

// addGuestsToFalcon makes Ben and Carla (seeded Fabrikam guests) members of Project Falcon, as an
// administrator would by hand; memberships are no governance objects, so nothing is counted as made
// outside Terraform.
func addGuestsToFalcon(t *testing.T, e *acctest.Emulator) {
	t.Helper()
	for _, g := range []string{emulator.SeedGuestBenID, emulator.SeedGuestCarlaID} {
		if err := e.Server.AddGroupMember(emulator.SeedGroupProjectFalconID, g); err != nil {
			t.Fatalf("adding %s to Project Falcon: %v", g, err)
		}
	}
}

// onlyInstance reads the review's one instance through Graph.
func onlyInstance(t *testing.T, e *acctest.Emulator, defID string) (*graph.AccessReviewInstance, error) {
	insts, err := e.Client(t).ListAccessReviewInstances(acctest.Context(t), defID)
	if err != nil {
		return nil, err
	}
	if len(insts) != 1 {
		return nil, fmt.Errorf("review %s has %d instances, want 1", defID, len(insts))
	}
	return &insts[0], nil
}

// decisionsByUser reads the instance's decisions through Graph, by principal id.
func decisionsByUser(t *testing.T, e *acctest.Emulator, defID, instID string) (map[string]graph.AccessReviewDecision, error) {
	decs, err := e.Client(t).ListAccessReviewDecisions(acctest.Context(t), defID, instID)
	if err != nil {
		return nil, err
	}
	out := map[string]graph.AccessReviewDecision{}
	for _, d := range decs {
		if d.Principal != nil {
			out[strings.ToLower(d.Principal.ID)] = d
		}
	}
	return out, nil
}

// expectInstance checks the instance's status and each guest's decision and apply result.
func expectInstance(t *testing.T, e *acctest.Emulator, id *acctest.IDCapture, status string, want map[string][2]string) error {
	inst, err := onlyInstance(t, e, id.Value)
	if err != nil {
		return err
	}
	if inst.Status != status {
		return fmt.Errorf("instance %s is %s, want %s", inst.ID, inst.Status, status)
	}
	decs, err := decisionsByUser(t, e, id.Value, inst.ID)
	if err != nil {
		return err
	}
	if len(decs) != len(want) {
		return fmt.Errorf("instance %s has %d decisions, want %d (the group's guests only): %v", inst.ID, len(decs), len(want), decs)
	}
	for user, w := range want {
		d, ok := decs[user]
		if !ok || d.Decision != w[0] || d.ApplyResult != w[1] {
			return fmt.Errorf("decision on %s: %+v, want %s/%s", user, d, w[0], w[1])
		}
	}
	return nil
}

// falconMembership checks through Graph which guests are still members of Project Falcon.
func falconMembership(t *testing.T, e *acctest.Emulator, want map[string]bool) error {
	ids, err := e.Client(t).ListGroupMemberIDs(acctest.Context(t), emulator.SeedGroupProjectFalconID)
	if err != nil {
		return err
	}
	for user, member := range want {
		if got := slices.Contains(ids, strings.ToLower(user)); got != member {
			return fmt.Errorf("%s a member of Project Falcon: %v, want %v (members %v)", user, got, member, ids)
		}
	}
	return nil
}

// removalAudited checks that the audit trail says the access review removed the user.
func removalAudited(e *acctest.Emulator, user string, want bool) error {
	trail, err := e.Server.AuditTrail()
	if err != nil {
		return err
	}
	found := false
	for _, a := range trail {
		details, _ := a["details"].(map[string]any)
		if a["activity"] == "groupMemberRemoved" && a["initiatedBy"] == "access reviews" && strings.EqualFold(fmt.Sprint(details["memberId"]), user) {
			found = true
		}
	}
	if found != want {
		return fmt.Errorf("audit trail records the access review removing %s: %v, want %v", user, found, want)
	}
	return nil
}

const (
	ben   = emulator.SeedGuestBenID
	carla = emulator.SeedGuestCarlaID
)

var notReviewedYet = map[string][2]string{ben: {"NotReviewed", "New"}, carla: {"NotReviewed", "New"}}

// The first step of every scenario: apply; the instance is open with both guests to review.
func reviewScenarioApply(t *testing.T, e *acctest.Emulator, config string, id *acctest.IDCapture) resource.TestStep {
	return resource.TestStep{
		Config:            e.Config(config),
		ConfigPlanChecks:  emptyAfterApply,
		ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(reviewAddress, id), existsInAPI(t, e)},
		// Check runs before the state checks: the id is read from the state here.
		Check: func(st *terraform.State) error {
			rs, ok := st.RootModule().Resources[reviewAddress]
			if !ok {
				return fmt.Errorf("%s not in state", reviewAddress)
			}
			id.Value = rs.Primary.ID
			return expectInstance(t, e, id, "InProgress", notReviewedYet)
		},
	}
}

// Nobody reviews; at the end both guests are denied by default and removed from the group.
func TestAccScenarioReviewTime_defaultDenyAutoApplied(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	addGuestsToFalcon(t, e)
	var id acctest.IDCapture
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoReviewsLeft(e),
		Steps: []resource.TestStep{
			reviewScenarioApply(t, e, guestReviewConfig(true), &id),
			{
				PreConfig: func() {
					e.AdvanceClock(t, "P13D")
					if err := expectInstance(t, e, &id, "InProgress", notReviewedYet); err != nil {
						t.Fatalf("day 13: %v", err)
					}
					if err := falconMembership(t, e, map[string]bool{ben: true, carla: true}); err != nil {
						t.Fatalf("day 13: %v", err)
					}
					e.AdvanceClock(t, "P2D")
				},
				RefreshState: true,
				Check: func(*terraform.State) error {
					if err := expectInstance(t, e, &id, "Applied", map[string][2]string{
						ben: {"Deny", "AppliedSuccessfully"}, carla: {"Deny", "AppliedSuccessfully"},
					}); err != nil {
						return err
					}
					if err := falconMembership(t, e, map[string]bool{ben: false, carla: false, emulator.SeedUserJohannaID: true}); err != nil {
						return err
					}
					return removalAudited(e, ben, true)
				},
			},
			{
				// The definition itself is unchanged: the next plan is empty.
				Config:           e.Config(guestReviewConfig(true)),
				ConfigPlanChecks: emptyAfterApply,
			},
		},
	})
}

// Without auto-apply the default decisions are recorded but nothing is removed until an
// administrator applies them.
func TestAccScenarioReviewTime_noAutoApplyKeepsGuests(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	addGuestsToFalcon(t, e)
	var id acctest.IDCapture
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoReviewsLeft(e),
		Steps: []resource.TestStep{
			reviewScenarioApply(t, e, guestReviewConfig(false), &id),
			{
				PreConfig:    func() { e.AdvanceClock(t, "P15D") },
				RefreshState: true,
				Check: func(*terraform.State) error {
					if err := expectInstance(t, e, &id, "Completed", map[string][2]string{
						ben: {"Deny", "New"}, carla: {"Deny", "New"},
					}); err != nil {
						return err
					}
					if err := falconMembership(t, e, map[string]bool{ben: true, carla: true}); err != nil {
						return err
					}
					return removalAudited(e, ben, false)
				},
			},
			{
				// An administrator applies the decisions through Graph: now the guests go.
				PreConfig: func() {
					inst, err := onlyInstance(t, e, id.Value)
					if err != nil {
						t.Fatal(err)
					}
					if err := e.Client(t).ApplyAccessReviewDecisions(acctest.Context(t), id.Value, inst.ID); err != nil {
						t.Fatalf("applying the decisions: %v", err)
					}
				},
				RefreshState: true,
				Check: func(*terraform.State) error {
					if err := expectInstance(t, e, &id, "Applied", map[string][2]string{
						ben: {"Deny", "AppliedSuccessfully"}, carla: {"Deny", "AppliedSuccessfully"},
					}); err != nil {
						return err
					}
					return falconMembership(t, e, map[string]bool{ben: false, carla: false})
				},
			},
		},
	})
}

// A reviewer approves Carla through Graph; Ben, not reviewed, is denied by default. At the end
// Carla stays and Ben goes.
func TestAccScenarioReviewTime_approvedGuestStays(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	addGuestsToFalcon(t, e)
	var id acctest.IDCapture
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoReviewsLeft(e),
		Steps: []resource.TestStep{
			reviewScenarioApply(t, e, guestReviewConfig(true), &id),
			{
				PreConfig: func() {
					e.AdvanceClock(t, "P3D")
					inst, err := onlyInstance(t, e, id.Value)
					if err != nil {
						t.Fatal(err)
					}
					decs, err := decisionsByUser(t, e, id.Value, inst.ID)
					if err != nil {
						t.Fatal(err)
					}
					ctx := acctest.Context(t)
					if err := e.Client(t).RecordAccessReviewDecision(ctx, id.Value, inst.ID, decs[carla].ID, "Approve", "Still designs Falcon's partner portal"); err != nil {
						t.Fatalf("approving Carla: %v", err)
					}
					d, err := e.Client(t).GetAccessReviewDecision(ctx, id.Value, inst.ID, decs[carla].ID)
					if err != nil || d.Decision != "Approve" || d.Justification != "Still designs Falcon's partner portal" || d.ReviewedDateTime == "" {
						t.Fatalf("Carla's decision after the PATCH: %+v (%v)", d, err)
					}
					e.AdvanceClock(t, "P12D")
				},
				RefreshState: true,
				Check: func(*terraform.State) error {
					if err := expectInstance(t, e, &id, "Applied", map[string][2]string{
						ben: {"Deny", "AppliedSuccessfully"}, carla: {"Approve", "AppliedSuccessfully"},
					}); err != nil {
						return err
					}
					if err := falconMembership(t, e, map[string]bool{ben: false, carla: true}); err != nil {
						return err
					}
					if err := removalAudited(e, carla, false); err != nil {
						return err
					}
					return removalAudited(e, ben, true)
				},
			},
		},
	})
}
