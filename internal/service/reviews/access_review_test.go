package reviews_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/reviews"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

const reviewAddress = "entragov_access_review.test"

// reviewConfig is an access review with the given scope, reviewers and settings bodies (HCL).
type reviewConfig struct {
	name, scope, ies, reviewers, fallback, extra, settings string
}

func (c reviewConfig) hcl() string {
	name := c.name
	if name == "" {
		name = "Guests of Project Falcon"
	}
	ies := ""
	if c.ies != "" {
		ies = "instance_enumeration_scope = " + c.ies
	}
	reviewers := ""
	if c.reviewers != "" {
		reviewers = "reviewers = " + c.reviewers
	}
	fallback := ""
	if c.fallback != "" {
		fallback = "fallback_reviewers = " + c.fallback
	}
	settings := c.settings
	if settings == "" {
		settings = quarterly
	}
	return fmt.Sprintf(`
resource "entragov_access_review" "test" {
  display_name              = %q
  description_for_admins    = "Quarterly guest review"
  description_for_reviewers = "Do these guests still need access?"
  scope                     = %s
  %s
  %s
  %s
  %s
  settings = %s
}
`, name, c.scope, ies, reviewers, fallback, c.extra, settings)
}

// quarterly starts on the 5th of every third month; nobody's answer means the guest loses access.
const quarterly = `{
    instance_duration_in_days    = 14
    mail_notifications_enabled   = true
    default_decision_enabled     = true
    default_decision             = "Deny"
    auto_apply_decisions_enabled = true
    recurrence = {
      pattern = { type = "absoluteMonthly", interval = 3, day_of_month = 5 }
      range   = { type = "noEnd", start_date = "2026-01-05" }
    }
  }`

func groupGuestsScope(groupID string) string {
	return fmt.Sprintf(`{ type = "accessReviewQueryScope", query = "/groups/%s/transitiveMembers/microsoft.graph.user/?$filter=(userType eq 'Guest')", query_type = "MicrosoftGraph" }`, groupID)
}

func userReviewer(id string) string {
	return fmt.Sprintf(`{ query = "/users/%s", query_type = "MicrosoftGraph" }`, id)
}

const allGroupsIES = `{ type = "accessReviewQueryScope", query = "/groups?$filter=(groupTypes/any(c:c eq 'Unified'))", query_type = "MicrosoftGraph" }`

const allGroupsGuestsScope = `{ type = "accessReviewQueryScope", query = "./members/microsoft.graph.user/?$filter=(userType eq 'Guest')", query_type = "MicrosoftGraph" }`

func existsInAPI(t *testing.T, e *acctest.Emulator) statecheck.StateCheck {
	c := e.Client(t)
	return acctest.ExistsInAPI(reviewAddress, func(ctx context.Context, id string) error {
		_, err := c.GetAccessReviewDefinition(ctx, id)
		return err
	})
}

func checkNoReviewsLeft(e *acctest.Emulator) func(*terraform.State) error {
	return func(*terraform.State) error {
		left, err := e.Server.ListObjects(reviews.Definitions)
		if err != nil {
			return err
		}
		if len(left) > 0 {
			return fmt.Errorf("%d access reviews left after destroy", len(left))
		}
		return nil
	}
}

func sameID(c *acctest.IDCapture) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("id"), acctest.Captured(c))
}

var emptyAfterApply = resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}

// Guests of one group reviewed by a named user, then renamed, re-scheduled and given another user as
// reviewer, in place.
func TestAccAccessReview_guestsInGroup(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var id acctest.IDCapture
	base := reviewConfig{scope: groupGuestsScope(emulator.SeedGroupProjectFalconID), reviewers: "[" + userReviewer(emulator.SeedUserAdeleID) + "]"}
	updated := base
	updated.name = "Guests of Project Falcon (monthly)"
	updated.reviewers = "[" + userReviewer(emulator.SeedUserPattiID) + ", " + userReviewer(emulator.SeedUserLynneID) + "]"
	updated.settings = `{
    instance_duration_in_days          = 7
    justification_required_on_approval = true
    recommendations_enabled            = true
    recurrence = {
      pattern = { type = "weekly", interval = 4 }
      range   = { type = "endDate", start_date = "2026-01-05", end_date = "2027-01-05" }
    }
  }`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoReviewsLeft(e),
		Steps: []resource.TestStep{{
			Config:           e.Config(base.hcl()),
			ConfigPlanChecks: emptyAfterApply,
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID(reviewAddress, &id), existsInAPI(t, e),
				statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("status"), knownvalue.StringExact("NotStarted")),
				statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("settings").AtMapKey("apply_actions"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("created_by").AtMapKey("id"), knownvalue.NotNull()),
			},
		}, {
			ResourceName: reviewAddress, ImportState: true, ImportStateVerify: true,
		}, {
			Config: e.Config(updated.hcl()),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(reviewAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				sameID(&id),
				statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("reviewers"), knownvalue.ListSizeExact(2)),
				statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("settings").AtMapKey("default_decision"), knownvalue.StringExact("None")),
				statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("settings").AtMapKey("recurrence").AtMapKey("range").AtMapKey("end_date"), knownvalue.StringExact("2027-01-05")),
			},
		}},
	})
}

// Guests of every Microsoft 365 group, reviewed by each group's owners with a fallback user; denied
// guests are disabled and deleted.
func TestAccAccessReview_allMicrosoft365Groups(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	cfg := reviewConfig{name: "Guests in Microsoft 365 groups", scope: allGroupsGuestsScope, ies: allGroupsIES,
		reviewers: `[{ query = "./owners", query_type = "MicrosoftGraph" }]`, fallback: "[" + userReviewer(emulator.SeedUserMeganID) + "]",
		settings: `{
    instance_duration_in_days    = 14
    default_decision_enabled     = true
    default_decision             = "Deny"
    auto_apply_decisions_enabled = true
    apply_actions                = [{ type = "disableAndDeleteUserApplyAction" }]
    recommendation_insight_settings = [{ type = "userLastSignInRecommendationInsightSetting", recommendation_look_back_duration = "P30D", sign_in_scope = "tenant" }]
    recurrence = {
      pattern = { type = "absoluteMonthly", interval = 3 }
      range   = { type = "noEnd", start_date = "2026-01-05" }
    }
  }`}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoReviewsLeft(e),
		Steps: []resource.TestStep{{
			Config:           e.Config(cfg.hcl()),
			ConfigPlanChecks: emptyAfterApply,
			ConfigStateChecks: []statecheck.StateCheck{
				existsInAPI(t, e),
				apiHolds(e, func(def map[string]any) error {
					ies, _ := def["instanceEnumerationScope"].(map[string]any)
					if ies["query"] != "/groups?$filter=(groupTypes/any(c:c eq 'Unified'))" {
						return fmt.Errorf("instanceEnumerationScope held: %v", def["instanceEnumerationScope"])
					}
					return nil
				}),
				statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("settings").AtMapKey("apply_actions").AtSliceIndex(0).AtMapKey("type"),
					knownvalue.StringExact(graph.DisableAndDeleteUserAction)),
				statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("fallback_reviewers"), knownvalue.ListSizeExact(1)),
			},
		}, {
			ResourceName: reviewAddress, ImportState: true, ImportStateVerify: true,
		}},
	})
}

// apiHolds checks the definition the local API holds for the resource.
func apiHolds(e *acctest.Emulator, check func(def map[string]any) error) statecheck.StateCheck {
	return apiCheck{e: e, check: check}
}

type apiCheck struct {
	e     *acctest.Emulator
	check func(map[string]any) error
}

func (c apiCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	for _, r := range req.State.Values.RootModule.Resources {
		if r.Address != reviewAddress {
			continue
		}
		id, _ := r.AttributeValues["id"].(string)
		def, err := c.e.Server.GetObject(reviews.Definitions, id)
		if err != nil {
			resp.Error = err
			return
		}
		resp.Error = c.check(def)
		return
	}
	resp.Error = fmt.Errorf("%s not in state", reviewAddress)
}

// Assignments of an access package, reviewed once by each user's manager.
func TestAccAccessReview_accessPackageByManagers(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	cfg := reviewConfig{name: "Design project assignments",
		scope:     `{ type = "accessReviewQueryScope", query = "/identityGovernance/entitlementManagement/accessPackageAssignments?$filter=(accessPackageId eq '6b4b7a53-9c1d-4a36-8d57-3f4b7c2e1a90')", query_type = "MicrosoftGraph" }`,
		reviewers: `[{ query = "./manager", query_type = "MicrosoftGraph", query_root = "decisions" }]`,
		fallback:  "[" + fmt.Sprintf(`{ query = "/groups/%s/transitiveMembers", query_type = "MicrosoftGraph" }`, emulator.SeedGroupSalesID) + "]",
		settings: `{
    instance_duration_in_days = 10
    recurrence = {
      range = { type = "numbered", start_date = "2026-03-01", end_date = "2026-03-11" }
    }
  }`}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoReviewsLeft(e),
		Steps: []resource.TestStep{{
			Config:           e.Config(cfg.hcl()),
			ConfigPlanChecks: emptyAfterApply,
			ConfigStateChecks: []statecheck.StateCheck{
				existsInAPI(t, e),
				statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("settings").AtMapKey("recurrence").AtMapKey("pattern"), knownvalue.Null()),
				apiHolds(e, func(def map[string]any) error {
					rec := def["settings"].(map[string]any)["recurrence"].(map[string]any)
					if rec["pattern"] != nil {
						return fmt.Errorf("one-time review held with a pattern: %v", rec)
					}
					return nil
				}),
			},
		}, {
			ResourceName: reviewAddress, ImportState: true, ImportStateVerify: true,
		}},
	})
}

// Guests reviewed by their sponsors; moving to a self-review is a change Graph cannot make in place.
// backup_reviewers, the former name, is sent as fallbackReviewers.
func TestAccAccessReview_sponsorsThenSelfReview(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var id acctest.IDCapture
	sponsors := reviewConfig{scope: groupGuestsScope(emulator.SeedGroupFabrikamPartnersID),
		reviewers: `[{ query = "./sponsors", query_type = "MicrosoftGraph", query_root = "decisions" }]`,
		extra:     "backup_reviewers = [" + userReviewer(emulator.SeedUserAdeleID) + "]"}
	self := sponsors
	self.reviewers = "[]"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoReviewsLeft(e),
		Steps: []resource.TestStep{{
			Config:           e.Config(sponsors.hcl()),
			ConfigPlanChecks: emptyAfterApply,
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID(reviewAddress, &id),
				statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("backup_reviewers"), knownvalue.ListSizeExact(1)),
				apiHolds(e, func(def map[string]any) error {
					if fb, _ := def["fallbackReviewers"].([]any); len(fb) != 1 {
						return fmt.Errorf("fallbackReviewers held: %v", def["fallbackReviewers"])
					}
					return nil
				}),
			},
		}, {
			Config: e.Config(self.hcl()),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(reviewAddress, plancheck.ResourceActionReplace)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("reviewers"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

// The scope is bound at creation: a new scope replaces the review.
func TestAccAccessReview_replaceOnScope(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var id acctest.IDCapture
	first := reviewConfig{scope: groupGuestsScope(emulator.SeedGroupProjectFalconID), reviewers: "[" + userReviewer(emulator.SeedUserAdeleID) + "]"}
	second := first
	second.scope = `{ type = "accessReviewInactiveUsersQueryScope", query = "/groups/` + emulator.SeedGroupProjectFalconID + `/transitiveMembers/microsoft.graph.user", inactive_duration = "P30D" }`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoReviewsLeft(e),
		Steps: []resource.TestStep{{
			Config:            e.Config(first.hcl()),
			ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(reviewAddress, &id)},
		}, {
			Config: e.Config(second.hcl()),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(reviewAddress, plancheck.ResourceActionReplace)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("scope").AtMapKey("inactive_duration"), knownvalue.StringExact("P30D")),
				statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("id"), knownvalue.NotNull()),
			},
		}, {
			ResourceName: reviewAddress, ImportState: true, ImportStateVerify: true,
		}},
	})
}

// A name changed and a setting turned off outside Terraform are planned back; a review deleted outside
// Terraform is created again.
func TestAccAccessReview_driftAndDisappears(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var id acctest.IDCapture
	cfg := e.Config(reviewConfig{scope: groupGuestsScope(emulator.SeedGroupProjectFalconID), reviewers: "[" + userReviewer(emulator.SeedUserAdeleID) + "]"}.hcl())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoReviewsLeft(e),
		Steps: []resource.TestStep{{
			Config:            cfg,
			ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(reviewAddress, &id)},
		}, {
			PreConfig: func() {
				if err := e.Server.ChangeObject(reviews.Definitions, id.Value, map[string]any{"displayName": "Renamed in the portal",
					"settings": map[string]any{"autoApplyDecisionsEnabled": false}}); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(reviewAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("settings").AtMapKey("auto_apply_decisions_enabled"), knownvalue.Bool(true)),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{sameID(&id)},
		}, {
			PreConfig: func() {
				if err := e.Server.DeleteObject(reviews.Definitions, id.Value); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(reviewAddress, plancheck.ResourceActionCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	})
}

// Every plan-time rule, each refused with its attribute path before any request.
func TestAccAccessReview_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	user := "[" + userReviewer("0d8a7f2c-6a31-4c55-9a2e-0b7d3c1e4f51") + "]"
	group := groupGuestsScope("4c1b6a49-2a57-4d4d-9d49-0f8c4f0e4a11")
	once := func(rng string) string {
		return `{
    instance_duration_in_days = 3
    recurrence = { range = ` + rng + ` }
  }`
	}
	withSettings := func(body string) string {
		return `{
    instance_duration_in_days = 3
    ` + body + `
    recurrence = {
      pattern = { type = "weekly", interval = 1 }
      range   = { type = "noEnd", start_date = "2026-01-05" }
    }
  }`
	}
	cases := []struct {
		cfg  reviewConfig
		want string
	}{
		{reviewConfig{scope: `{ type = "accessReviewQueryScope" }`, reviewers: user}, `scope.query`},
		{reviewConfig{scope: `{ type = "accessReviewInactiveUsersQueryScope", query = "/groups/4c1b6a49-2a57-4d4d-9d49-0f8c4f0e4a11/members" }`, reviewers: user}, `needs inactive_duration`},
		{reviewConfig{scope: `{ type = "accessReviewQueryScope", query = "/users", inactive_duration = "P30D" }`, reviewers: user}, `inactive_duration is not a field`},
		{reviewConfig{scope: `{ type = "principalResourceMembershipsScope", query = "/users" }`, reviewers: user}, `needs principal_scopes`},
		{reviewConfig{scope: `{ type = "groupScope", query = "/groups" }`, reviewers: user}, `value must be one of`},
		{reviewConfig{scope: `{ type = "accessReviewQueryScope", query = "groups/x/members" }`, reviewers: user}, `is not a Graph query`},
		{reviewConfig{scope: allGroupsGuestsScope, reviewers: user}, `instance_enumeration_scope must name the groups`},
		{reviewConfig{scope: allGroupsGuestsScope, ies: `{ type = "accessReviewQueryScope", query = "/users" }`, reviewers: user}, `starts with /groups`},
		{reviewConfig{scope: group, reviewers: `[{ query = "./manager" }]`}, `needs query_root`},
		{reviewConfig{scope: group, reviewers: `[{ query = "./colleagues" }]`}, `not a documented relative reviewer`},
		{reviewConfig{scope: group, reviewers: `[{ query = "/users/adele" }]`}, `not a reviewer query`},
		{reviewConfig{scope: group, reviewers: `[{ query = "/users/0d8a7f2c-6a31-4c55-9a2e-0b7d3c1e4f51", query_root = "decisions" }]`}, `query_root applies to relative`},
		{reviewConfig{scope: group, reviewers: user, fallback: user, extra: "backup_reviewers = " + user}, `former name of fallback_reviewers`},
		{reviewConfig{scope: group, reviewers: user, settings: withSettings(`default_decision = "Deny"`)}, `applies only when default_decision_enabled`},
		{reviewConfig{scope: group, reviewers: user, settings: withSettings(`default_decision_enabled = true`)}, `needs default_decision`},
		{reviewConfig{scope: group, reviewers: user, settings: withSettings(`default_decision = "Maybe"`)}, `value must be one of`},
		{reviewConfig{scope: `{ type = "accessReviewQueryScope", query = "/groups/4c1b6a49-2a57-4d4d-9d49-0f8c4f0e4a11/members" }`, reviewers: user,
			settings: withSettings(`apply_actions = [{ type = "disableAndDeleteUserApplyAction" }]`)}, `needs a guest review`},
		{reviewConfig{scope: group, reviewers: user, settings: withSettings(`apply_actions = [{ type = "removeAccessApplyAction" }, { type = "removeAccessApplyAction" }]`)}, `listed twice`},
		{reviewConfig{scope: group, reviewers: user, settings: withSettings(`recommendation_insight_settings = [{ type = "groupPeerOutlierRecommendationInsightSettings", sign_in_scope = "tenant" }]`)}, `has no fields`},
		{reviewConfig{scope: group, reviewers: user, settings: once(`{ type = "noEnd", start_date = "2026-01-05" }`)}, `happens once`},
		{reviewConfig{scope: group, reviewers: user, settings: once(`{ type = "numbered", start_date = "2026-01-05", number_of_occurrences = 2 }`)}, `happens once`},
		{reviewConfig{scope: group, reviewers: user, settings: once(`{ type = "numbered", start_date = "2026-01-05", end_date = "2025-01-05" }`)}, `is before start_date`},
		{reviewConfig{scope: group, reviewers: user, settings: once(`{ type = "numbered", start_date = "5 January 2026", end_date = "2026-02-05" }`)}, `start_date`},
		{reviewConfig{scope: group, reviewers: user, settings: `{
    instance_duration_in_days = 3
    recurrence = {
      pattern = { type = "daily", interval = 1 }
      range   = { type = "noEnd", start_date = "2026-01-05" }
    }
  }`}, `value must be one of`},
		{reviewConfig{scope: group, reviewers: user, settings: `{
    instance_duration_in_days = 3
    recurrence = {
      pattern = { type = "weekly", interval = 1, day_of_month = 5 }
      range   = { type = "noEnd", start_date = "2026-01-05" }
    }
  }`}, `day_of_month applies to absoluteMonthly`},
		{reviewConfig{scope: group, reviewers: user, settings: `{
    instance_duration_in_days = 3
    recurrence = {
      pattern = { type = "weekly", interval = 1 }
      range   = { type = "endDate", start_date = "2026-01-05" }
    }
  }`}, `needs end_date`},
	}
	var steps []resource.TestStep
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{Config: e.Config(tc.cfg.hcl()), PlanOnly: true, ExpectError: acctest.ExpectError(tc.want)})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}

// A two-stage review: a named user first, then each guest's sponsors; the second stage is then given
// longer, in place.
func TestAccAccessReview_multiStage(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var id acctest.IDCapture
	stages := func(second int) string {
		return fmt.Sprintf(`stage_settings = [
    {
      stage_id                               = "1"
      duration_in_days                       = 3
      decisions_that_will_move_to_next_stage = ["NotReviewed", "Approve"]
      reviewers                              = [%s]
    },
    {
      stage_id                = "2"
      depends_on              = ["1"]
      duration_in_days        = %d
      recommendations_enabled = true
      reviewers               = [{ query = "./sponsors", query_type = "MicrosoftGraph", query_root = "decisions" }]
      fallback_reviewers      = [%s]
    },
  ]`, userReviewer(emulator.SeedUserAdeleID), second, userReviewer(emulator.SeedUserMeganID))
	}
	cfg := func(second int) string {
		return e.Config(reviewConfig{scope: groupGuestsScope(emulator.SeedGroupProjectFalconID), extra: stages(second),
			settings: `{
    instance_duration_in_days                = 14
    decision_histories_for_reviewers_enabled = true
    recurrence = {
      pattern = { type = "weekly", interval = 2 }
      range   = { type = "noEnd", start_date = "2026-01-05" }
    }
  }`}.hcl())
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoReviewsLeft(e),
		Steps: []resource.TestStep{{
			Config:           cfg(4),
			ConfigPlanChecks: emptyAfterApply,
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID(reviewAddress, &id),
				apiHolds(e, func(def map[string]any) error {
					if st, _ := def["stageSettings"].([]any); len(st) != 2 {
						return fmt.Errorf("stageSettings held: %v", def["stageSettings"])
					}
					return nil
				}),
			},
		}, {
			ResourceName: reviewAddress, ImportState: true, ImportStateVerify: true,
		}, {
			Config: cfg(7),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(reviewAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				sameID(&id),
				statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("stage_settings").AtSliceIndex(1).AtMapKey("duration_in_days"), knownvalue.Int64Exact(7)),
			},
		}},
	})
}

// The stage rules, refused at plan before any request.
func TestAccAccessReview_invalidStages(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	user := userReviewer("0d8a7f2c-6a31-4c55-9a2e-0b7d3c1e4f51")
	cases := []struct{ stages, want string }{
		{`[{ stage_id = "1", duration_in_days = 2 }, { stage_id = "2", duration_in_days = 2 }]`, `stage_settings\[1\].depends_on`},
		{`[{ stage_id = "1", duration_in_days = 2, depends_on = ["0"] }]`, `first stage depends on no other`},
		{`[{ stage_id = "1", duration_in_days = 2 }, { stage_id = "1", depends_on = ["1"], duration_in_days = 2 }]`, `is used twice`},
		{`[{ stage_id = "1", duration_in_days = 5 }, { stage_id = "2", depends_on = ["1"], duration_in_days = 5 }]`, `Stages longer than the recurrence`},
		{`[{ stage_id = "1", duration_in_days = 2, decisions_that_will_move_to_next_stage = ["Maybe"] }]`, `Invalid Attribute Value Match`},
		{`[{ stage_id = "1", duration_in_days = 2, reviewers = [{ query = "./manager" }] }]`, `stage_settings\[0\].reviewers\[0\].query_root`},
	}
	var steps []resource.TestStep
	for _, tc := range cases {
		cfg := reviewConfig{scope: groupGuestsScope("4c1b6a49-2a57-4d4d-9d49-0f8c4f0e4a11"), reviewers: "[" + user + "]", extra: "stage_settings = " + tc.stages,
			settings: `{
    instance_duration_in_days = 7
    recurrence = {
      pattern = { type = "weekly", interval = 1 }
      range   = { type = "noEnd", start_date = "2026-01-05" }
    }
  }`}
		steps = append(steps, resource.TestStep{Config: e.Config(cfg.hcl()), PlanOnly: true, ExpectError: regexp.MustCompile(tc.want)})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}

// Terraform 1.12 and later: an access review's identity is its id, and an import block can name it by identity.
func TestAccAccessReview_identity(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   acctest.IdentityVersionChecks,
		CheckDestroy:             checkNoReviewsLeft(e),
		Steps: []resource.TestStep{{
			Config: e.Config(reviewConfig{scope: groupGuestsScope(emulator.SeedGroupProjectFalconID), reviewers: "[" + userReviewer(emulator.SeedUserAdeleID) + "]"}.hcl()),
			ConfigStateChecks: acctest.IdentityChecks(reviewAddress,
				map[string]knownvalue.Check{"id": knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f-]{36}$`))}, "id"),
		}, acctest.ImportByIdentityStep(reviewAddress)},
	})
}

// Recipients told when a review completes are set at creation: a new list replaces the review.
func TestAccAccessReview_notificationRecipients(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	recipients := func(groupID string) string {
		return fmt.Sprintf(`additional_notification_recipients = [{
    notification_recipient_scope = { type = "accessReviewNotificationRecipientQueryScope", query = "/groups/%s/transitiveMembers/microsoft.graph.user", query_type = "MicrosoftGraph" }
  }]`, groupID)
	}
	cfg := func(groupID string) string {
		return e.Config(reviewConfig{scope: groupGuestsScope(emulator.SeedGroupProjectFalconID), reviewers: "[" + userReviewer(emulator.SeedUserAdeleID) + "]",
			extra: recipients(groupID), settings: `{
    instance_duration_in_days         = 14
    recommendations_enabled           = true
    recommendation_look_back_duration = "P60D"
    recurrence = {
      pattern = { type = "absoluteMonthly", interval = 6, day_of_month = 15 }
      range   = { type = "numbered", start_date = "2026-01-15", end_date = "2028-01-15", number_of_occurrences = 4, recurrence_time_zone = "UTC" }
    }
  }`}.hcl())
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoReviewsLeft(e),
		Steps: []resource.TestStep{{
			Config:           cfg(emulator.SeedGroupSalesID),
			ConfigPlanChecks: emptyAfterApply,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("additional_notification_recipients").AtSliceIndex(0).AtMapKey("notification_template_type"),
					knownvalue.StringExact("CompletedAdditionalRecipients")),
				statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("settings").AtMapKey("recommendation_look_back_duration"), knownvalue.StringExact("P60D")),
				statecheck.ExpectKnownValue(reviewAddress, tfjsonpath.New("settings").AtMapKey("recurrence").AtMapKey("range").AtMapKey("number_of_occurrences"), knownvalue.Int64Exact(4)),
			},
		}, {
			ResourceName: reviewAddress, ImportState: true, ImportStateVerify: true,
		}, {
			Config: cfg(emulator.SeedGroupMarketingID),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(reviewAddress, plancheck.ResourceActionReplace)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	})
}
