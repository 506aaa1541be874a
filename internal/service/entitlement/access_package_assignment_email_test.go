package entitlement_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
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

const emailAssignment = "entragov_access_package_assignment.nina"

// emailAssignmentConfig is a package for Fabrikam's users (a connected organization for fabrikam.com)
// and an assignment of someone not in the directory yet, named by email; target is the HCL of the
// assignment's target attribute(s).
func emailAssignmentConfig(scope, target string) string {
	return fmt.Sprintf(`
resource "entragov_connected_organization" "fabrikam" {
  display_name = "Fabrikam"
  description  = "Design partner"
  identity_sources = [
    { type = "domainIdentitySource", domain_name = "fabrikam.com", display_name = "Fabrikam" },
  ]
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
  allowed_target_scope = %[2]q
  specific_allowed_targets = %[2]q == "specificConnectedOrganizationUsers" ? [
    { type = "connectedOrganizationMembers", connected_organization_id = entragov_connected_organization.fabrikam.id },
  ] : null
  expiration = { type = "afterDuration", duration = "P90D" }
}

resource "entragov_access_package_assignment" "nina" {
  %[3]s
  access_package_id    = entragov_access_package.consultants.id
  assignment_policy_id = entragov_assignment_policy.fabrikam.id
  justification        = "Falcon design review"
  depends_on           = [entragov_access_package_resource_role_scope.falcon]
}
`, emulator.SeedGroupProjectFalconID, scope, target)
}

// redeem plays the guest's part through the local API's control route: Graph has no API for it.
func redeem(t *testing.T, e *acctest.Emulator, userID string) {
	t.Helper()
	resp, err := http.Post(e.URL+"/_emulator/users/"+userID+"/redeem", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("redeeming the invitation of %s: %d %s", userID, resp.StatusCode, b)
	}
}

// The seed scenario "enter the email addresses of the external team members and assign": the person is
// invited, the assignment waits for them to redeem, then grants the group; state shows their user id.
func TestAccAccessPackageAssignment_byEmail(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var id, user acctest.IDCapture
	byEmail := emailAssignmentConfig("specificConnectedOrganizationUsers", `target_email = "nina@fabrikam.com"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			objs, err := e.Server.ListObjects("assignments")
			if err != nil || len(objs) != 0 {
				return fmt.Errorf("assignments left: %d (%v)", len(objs), err)
			}
			return inGroup(e, emulator.SeedGroupProjectFalconID, user.Value, false)()
		},
		Steps: []resource.TestStep{{
			Config: e.Config(byEmail),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID(emailAssignment, &id),
				acctest.CaptureAttr(emailAssignment, "target_id", &user),
				statecheck.ExpectKnownValue(emailAssignment, tfjsonpath.New("state"), knownvalue.StringExact("delivering")),
				statecheck.ExpectKnownValue(emailAssignment, tfjsonpath.New("target_id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f-]{36}$`))),
				funcCheck(func(context.Context) error {
					u, err := e.Server.GetObject("users", user.Value)
					if err != nil {
						return err
					}
					if u["userType"] != "Guest" || u["externalUserState"] != "PendingAcceptance" || !strings.Contains(fmt.Sprint(u["userPrincipalName"]), "#EXT#") {
						return fmt.Errorf("the invited user is %v / %v / %v, want a pending guest", u["userType"], u["externalUserState"], u["userPrincipalName"])
					}
					return inGroup(e, emulator.SeedGroupProjectFalconID, user.Value, false)()
				}),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			// The guest redeems: the refresh shows the delivery, and the configuration has nothing to change.
			PreConfig: func() { redeem(t, e, user.Value) },
			Config:    e.Config(byEmail),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(emailAssignment, tfjsonpath.New("state"), knownvalue.StringExact("delivered")),
				funcCheck(func(context.Context) error { return inGroup(e, emulator.SeedGroupProjectFalconID, user.Value, true)() }),
			},
		}, {
			// Import reads the target's id; the email the assignment was requested with is not read back.
			ResourceName: emailAssignment, ImportState: true, ImportStateVerify: true,
			ImportStateVerifyIgnore: []string{"justification", "target_email"},
		}, {
			// The same person by id (the invited guest, found by mail): no new assignment.
			Config: e.Config(`
data "entragov_user" "nina" {
  mail = "nina@fabrikam.com"
}
` + emailAssignmentConfig("specificConnectedOrganizationUsers", `target_id = data.entragov_user.nina.id`)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(emailAssignment, plancheck.ResourceActionUpdate)},
			},
		}, {
			// Back to the email, written in another case: still the same person.
			Config: e.Config(emailAssignmentConfig("specificConnectedOrganizationUsers", `target_email = "Nina@Fabrikam.com"`)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(emailAssignment, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}, {
			// Someone else: a new assignment.
			Config: e.Config(emailAssignmentConfig("specificConnectedOrganizationUsers", `target_email = "omar@fabrikam.com"`)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(emailAssignment, plancheck.ResourceActionDestroyBeforeCreate)},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID(emailAssignment, &id),
				funcCheck(func(context.Context) error { return inGroup(e, emulator.SeedGroupProjectFalconID, user.Value, false)() }),
			},
		}, {
			// Removed outside Terraform while it waits for the redemption: planned again.
			PreConfig: func() {
				if err := e.Server.DeleteObject("assignments", id.Value); err != nil {
					t.Fatal(err)
				}
			},
			Config:             e.Config(emailAssignmentConfig("specificConnectedOrganizationUsers", `target_email = "omar@fabrikam.com"`)),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		}},
	})
}

// A policy for directory users only cannot assign someone by email: Graph's refusal names the attribute.
// Exactly one of target_id and target_email, and a malformed address, are refused at plan.
func TestAccAccessPackageAssignment_byEmailRefused(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      e.Config(emailAssignmentConfig("specificConnectedOrganizationUsers", `target_email = "nina@fabrikam.com"`+"\n  target_id = \""+emulator.SeedUserAdeleID+"\"")),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Exactly one target.*both are set`),
		}, {
			Config:      e.Config(emailAssignmentConfig("specificConnectedOrganizationUsers", "")),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Exactly one target.*neither is set`),
		}, {
			Config:      e.Config(emailAssignmentConfig("specificConnectedOrganizationUsers", `target_email = "nina at fabrikam"`)),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)target_email`),
		}, {
			Config:      e.Config(emailAssignmentConfig("allMemberUsers", `target_email = "nina@fabrikam.com"`)),
			ExpectError: regexp.MustCompile(`(?s)Unable to assign access package.*assignment.target.email.*admits\s+only\s+users\s+already\s+in\s+the\s+directory`),
		}},
	})
}
