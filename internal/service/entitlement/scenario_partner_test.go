package entitlement_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// The partner-onboarding story: Fabrikam becomes a connected organization with sponsors, its
// consultants get a package whose policy targets Fabrikam, guests are blocked and then deleted 30 days
// after their last assignment ends, and one guest is assigned directly. It applies, re-plans empty,
// puts the guest in the package's group, and destroys without leaving anything behind.
func TestAccScenario_partnerOnboarding(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := checkEmulatorHoldsOnlySeed(e)(s); err != nil {
				return err
			}
			for _, collection := range []string{"connectedOrganizations", "assignmentPolicies", "assignments"} {
				left, err := e.Server.ListObjects(collection)
				if err != nil {
					return err
				}
				if len(left) > 0 {
					return fmt.Errorf("%d %s left after destroy", len(left), collection)
				}
			}
			if err := checkSettingsAreDefaults(e)(s); err != nil {
				return err
			}
			return inGroup(e, emulator.SeedGroupProjectFalconID, emulator.SeedGuestBenID, false)()
		},
		Steps: []resource.TestStep{{
			Config: e.Config(testAccPartnerOnboardingConfig),
			ConfigStateChecks: []statecheck.StateCheck{
				funcCheck(func(context.Context) error {
					return inGroup(e, emulator.SeedGroupProjectFalconID, emulator.SeedGuestBenID, true)()
				}),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}

var testAccPartnerOnboardingConfig = fmt.Sprintf(`
data "entragov_user" "ben" {
  mail = "ben@fabrikam.com"
}

data "entragov_group" "falcon" {
  display_name = "Project Falcon"
}

resource "entragov_connected_organization" "fabrikam" {
  display_name = "Fabrikam"
  description  = "Design partner"
  identity_sources = [
    { type = "domainIdentitySource", domain_name = "fabrikam.com", display_name = "Fabrikam" },
  ]
  internal_sponsor_ids = [%[1]q]
  external_sponsor_ids = [data.entragov_user.ben.id]
}

resource "entragov_entitlement_management_settings" "tenant" {
  external_user_lifecycle_action                     = "blockSignInAndDelete"
  duration_until_external_user_deleted_after_blocked = "P30D"
}

resource "entragov_catalog" "partners" {
  display_name       = "Partner onboarding"
  externally_visible = true
}

resource "entragov_catalog_resource" "falcon" {
  catalog_id    = entragov_catalog.partners.id
  origin_system = "AadGroup"
  origin_id     = data.entragov_group.falcon.id
}

resource "entragov_access_package" "consultants" {
  catalog_id   = entragov_catalog.partners.id
  display_name = "Fabrikam consultants"
}

resource "entragov_access_package_resource_role_scope" "falcon" {
  access_package_id   = entragov_access_package.consultants.id
  catalog_resource_id = entragov_catalog_resource.falcon.id
  role_origin_id      = "Member_${data.entragov_group.falcon.id}"
}

resource "entragov_assignment_policy" "fabrikam" {
  access_package_id    = entragov_access_package.consultants.id
  display_name         = "Fabrikam consultants"
  description          = "Fabrikam users request; sponsor approves; access ends after 180 days"
  allowed_target_scope = "specificConnectedOrganizationUsers"
  specific_allowed_targets = [
    { type = "connectedOrganizationMembers", connected_organization_id = entragov_connected_organization.fabrikam.id },
  ]
  expiration         = { type = "afterDuration", duration = "P180D" }
  requestor_settings = { enable_targets_to_self_add_access = true }
  request_approval_settings = {
    approval_required_for_add = true
    stages = [{
      duration_before_automatic_denial = "P14D"
      primary_approvers                = [{ type = "internalSponsors" }]
    }]
  }
}

resource "entragov_access_package_assignment" "ben" {
  target_id            = data.entragov_user.ben.id
  access_package_id    = entragov_access_package.consultants.id
  assignment_policy_id = entragov_assignment_policy.fabrikam.id
  justification        = "Kick-off of the Falcon redesign"
  depends_on           = [entragov_access_package_resource_role_scope.falcon]
}
`, emulator.SeedUserAdeleID)
