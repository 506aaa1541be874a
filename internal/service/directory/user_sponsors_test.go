package directory_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

const sponsorsAddress = "entragov_user_sponsors.test"

func userSponsorsConfig(userID string, sponsorIDs ...string) string {
	quoted := make([]string, len(sponsorIDs))
	for i, id := range sponsorIDs {
		quoted[i] = fmt.Sprintf("%q", id)
	}
	return fmt.Sprintf(`
resource "entragov_user_sponsors" "test" {
  user_id     = %q
  sponsor_ids = [%s]
}
`, userID, strings.Join(quoted, ", "))
}

// sponsorsAre checks the sponsors the local API holds for a user.
func sponsorsAre(e *acctest.Emulator, userID string, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, err := e.Server.UserSponsorIDs(userID)
		if err != nil {
			return err
		}
		if len(got) != len(want) {
			return fmt.Errorf("sponsors of %s: %v, want %v", userID, got, want)
		}
		for _, w := range want {
			found := false
			for _, g := range got {
				found = found || strings.EqualFold(g, w)
			}
			if !found {
				return fmt.Errorf("sponsors of %s: %v, want %v", userID, got, want)
			}
		}
		return nil
	}
}

func sponsorSetIs(ids ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.StringExact(id)
	}
	return knownvalue.SetExact(checks)
}

func TestAccUserSponsors_basicUpdateImport(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	ben := emulator.SeedGuestBenID
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             sponsorsAre(e, ben),
		Steps: []resource.TestStep{{
			Config: e.Config(userSponsorsConfig(ben, emulator.SeedUserAdeleID, emulator.SeedGroupSalesID)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(sponsorsAddress, tfjsonpath.New("id"), knownvalue.StringExact(ben)),
				statecheck.ExpectKnownValue(sponsorsAddress, tfjsonpath.New("sponsor_ids"), sponsorSetIs(emulator.SeedUserAdeleID, emulator.SeedGroupSalesID)),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check:            sponsorsAre(e, ben, emulator.SeedUserAdeleID, emulator.SeedGroupSalesID),
		}, {
			ResourceName: sponsorsAddress, ImportState: true, ImportStateVerify: true,
		}, {
			// One sponsor swapped for two others, in place.
			Config: e.Config(userSponsorsConfig(ben, emulator.SeedUserAdeleID, emulator.SeedUserPattiID, emulator.SeedGroupFabrikamPartnersID)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(sponsorsAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: sponsorsAre(e, ben, emulator.SeedUserAdeleID, emulator.SeedUserPattiID, emulator.SeedGroupFabrikamPartnersID),
		}, {
			// Another user: replaced; the first user's sponsors are removed.
			Config: e.Config(userSponsorsConfig(emulator.SeedGuestCarlaID, emulator.SeedUserAdeleID)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(sponsorsAddress, plancheck.ResourceActionDestroyBeforeCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: resource.ComposeTestCheckFunc(sponsorsAre(e, ben), sponsorsAre(e, emulator.SeedGuestCarlaID, emulator.SeedUserAdeleID)),
		}},
	})
}

// A sponsor with an invited guest: the example of the docs in small.
func TestAccUserSponsors_invitedGuest(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoUserWithMail(t, e, "dara@fabrikam.com"),
		Steps: []resource.TestStep{{
			Config: e.Config(`
resource "entragov_invitation" "dara" {
  invited_user_email_address = "dara@fabrikam.com"
  invite_redirect_url        = "https://myapps.microsoft.com"
}

resource "entragov_user_sponsors" "test" {
  user_id     = entragov_invitation.dara.invited_user_id
  sponsor_ids = ["` + emulator.SeedUserAdeleID + `"]
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs(sponsorsAddress, tfjsonpath.New("user_id"), "entragov_invitation.dara", tfjsonpath.New("id"), compareSame),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}

func TestAccUserSponsors_driftAndDisappears(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	dan := emulator.SeedGuestDanID
	cfg := e.Config(userSponsorsConfig(dan, emulator.SeedUserAdeleID, emulator.SeedGroupSalesID))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
		}, {
			// A sponsor added and one removed in the portal are planned back.
			PreConfig: func() {
				ctx := acctest.Context(t)
				if err := e.Client(t).AddUserSponsor(ctx, dan, emulator.SeedUserLynneID); err != nil {
					t.Fatal(err)
				}
				if err := e.Client(t).RemoveUserSponsor(ctx, dan, emulator.SeedGroupSalesID); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(sponsorsAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(sponsorsAddress, tfjsonpath.New("sponsor_ids"), sponsorSetIs(emulator.SeedUserAdeleID, emulator.SeedGroupSalesID)),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: sponsorsAre(e, dan, emulator.SeedUserAdeleID, emulator.SeedGroupSalesID),
		}, {
			// The user deleted in the portal leaves state: the plan creates the sponsors again.
			PreConfig: func() {
				if err := e.Server.DeleteObject("users", dan); err != nil {
					t.Fatal(err)
				}
			},
			Config:             cfg,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(sponsorsAddress, plancheck.ResourceActionCreate)},
			},
		}},
	})
}

func TestAccUserSponsors_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	steps := []resource.TestStep{{
		Config:      e.Config(userSponsorsConfig("ben@fabrikam.com", emulator.SeedUserAdeleID)),
		PlanOnly:    true,
		ExpectError: acctest.ExpectError(`user_id[\s\S]*(GUID|object id)`),
	}, {
		Config:      e.Config(userSponsorsConfig(emulator.SeedGuestBenID, "Adele Vance")),
		PlanOnly:    true,
		ExpectError: acctest.ExpectError(`sponsor_ids[\s\S]*(GUID|object id)`),
	}, {
		Config:      e.Config(userSponsorsConfig(emulator.SeedGuestBenID)),
		PlanOnly:    true,
		ExpectError: acctest.ExpectError(`sponsor_ids set must contain at least 1`),
	}}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}
