package entitlement_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
)

// Policies written by the azuread stand-in through the local API's beta paths with the
// requestor settings and reviews v1.0 has no value of its own for. The azuread step must
// settle (the test framework plans again after the apply and wants no change), which needs
// the beta view to give back what azuread wrote (internal/emulator/beta/policies.go); the
// move step must plan nothing, which needs the mover to map them as the migration guide
// says (docs/guides/migrate-from-azuread.md).

// moveAzureadPackage is the catalog and package the policies below belong to; both stay
// with azuread in the move step.
const moveAzureadPackage = `
resource "azuread_access_package_catalog" "c" {
  display_name = "Policies"
  description  = "Catalog"
}
resource "azuread_access_package" "p" {
  catalog_id   = azuread_access_package_catalog.c.id
  display_name = "Package"
  description  = "Package"
}
`

// TestAccMoveFromAzuread_requestorScopes: NoSubjects with requests_accepted true and false,
// and both connected-organization scope types, settle with azuread and move with an empty
// plan.
func TestAccMoveFromAzuread_requestorScopes(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsLocalAPI)
	policies := []struct{ name, scope, accepted, target, requestor string }{
		{"direct", "NoSubjects", "true", "notSpecified", ""},
		{"closed", "NoSubjects", "false", "notSpecified", ""},
		{"configured", "AllConfiguredConnectedOrganizationSubjects", "true", "allConfiguredConnectedOrganizationUsers",
			"requestor_settings = { enable_targets_to_self_add_access = true }"},
		{"existing", "AllExistingConnectedOrganizationSubjects", "true", "allConfiguredConnectedOrganizationUsers",
			"requestor_settings = { enable_targets_to_self_add_access = true }"},
		{"existing_closed", "AllExistingConnectedOrganizationSubjects", "false", "allConfiguredConnectedOrganizationUsers", ""},
	}
	before, after := moveAzureadPackage, moveAzureadPackage
	var ids = map[string]*acctest.IDCapture{}
	var stateChecks, movedChecks []statecheck.StateCheck
	for _, p := range policies {
		ids[p.name] = &acctest.IDCapture{}
		before += `
resource "azuread_access_package_assignment_policy" "` + p.name + `" {
  access_package_id = azuread_access_package.p.id
  display_name      = "` + p.name + `"
  description       = "Requestors: ` + p.scope + `"

  requestor_settings {
    scope_type        = "` + p.scope + `"
    requests_accepted = ` + p.accepted + `
  }
}
`
		after += `
moved {
  from = azuread_access_package_assignment_policy.` + p.name + `
  to   = entragov_assignment_policy.` + p.name + `
}
resource "entragov_assignment_policy" "` + p.name + `" {
  access_package_id    = azuread_access_package.p.id
  display_name         = "` + p.name + `"
  description          = "Requestors: ` + p.scope + `"
  allowed_target_scope = "` + p.target + `"
  expiration           = { type = "noExpiration" }
  ` + p.requestor + `
}
`
		address := "azuread_access_package_assignment_policy." + p.name
		stateChecks = append(stateChecks,
			acctest.CaptureID(address, ids[p.name]),
			statecheck.ExpectKnownValue(address, tfjsonpath.New("requestor_settings").AtSliceIndex(0).AtMapKey("scope_type"), knownvalue.StringExact(p.scope)),
			statecheck.ExpectKnownValue(address, tfjsonpath.New("requestor_settings").AtSliceIndex(0).AtMapKey("requests_accepted"), knownvalue.Bool(p.accepted == "true")),
		)
		movedChecks = append(movedChecks, sameID("entragov_assignment_policy."+p.name, ids[p.name]),
			statecheck.ExpectKnownValue("entragov_assignment_policy."+p.name, tfjsonpath.New("allowed_target_scope"), knownvalue.StringExact(p.target)))
	}
	resource.ParallelTest(t, moveTestCase(t, resource.TestStep{
		Config:            moveConfig(e, before),
		ConfigStateChecks: stateChecks,
	}, resource.TestStep{
		Config:            moveConfig(e, after),
		ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		ConfigStateChecks: movedChecks,
	}))
}

// TestAccMoveFromAzuread_annualReview: an azuread annual review is stored as absoluteYearly,
// interval 1, month 0; it settles with azuread and moves with an empty plan to the pattern
// the guide gives.
func TestAccMoveFromAzuread_annualReview(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsLocalAPI)
	var id acctest.IDCapture
	resource.ParallelTest(t, moveTestCase(t, resource.TestStep{
		Config: moveConfig(e, moveAzureadPackage, `
resource "azuread_access_package_assignment_policy" "annual" {
  access_package_id = azuread_access_package.p.id
  display_name      = "Annual"
  description       = "Reviewed every year"

  requestor_settings {
    scope_type        = "AllExistingDirectoryMemberUsers"
    requests_accepted = true
  }

  assignment_review_settings {
    enabled                        = true
    review_frequency               = "annual"
    review_type                    = "Self"
    starting_on                    = "2030-01-07T00:00:00Z"
    duration_in_days               = 14
    access_review_timeout_behavior = "keepAccess"
  }
}`),
		ConfigStateChecks: []statecheck.StateCheck{
			acctest.CaptureID("azuread_access_package_assignment_policy.annual", &id),
			statecheck.ExpectKnownValue("azuread_access_package_assignment_policy.annual",
				tfjsonpath.New("assignment_review_settings").AtSliceIndex(0).AtMapKey("review_frequency"), knownvalue.StringExact("annual")),
		},
	}, resource.TestStep{
		Config: moveConfig(e, moveAzureadPackage, `
moved {
  from = azuread_access_package_assignment_policy.annual
  to   = entragov_assignment_policy.annual
}
resource "entragov_assignment_policy" "annual" {
  access_package_id    = azuread_access_package.p.id
  display_name         = "Annual"
  description          = "Reviewed every year"
  allowed_target_scope = "allMemberUsers"
  expiration           = { type = "noExpiration" }
  requestor_settings   = { enable_targets_to_self_add_access = true }

  review_settings = {
    enabled                         = true
    expiration_behavior             = "keepAccess"
    recommendation_enabled          = false
    reviewer_justification_required = false
    self_review                     = true
    schedule = {
      start_date_time = "2030-01-07T00:00:00Z"
      duration        = "P14D"
      recurrence      = { pattern = { type = "absoluteYearly", interval = 1 } }
    }
  }
}`),
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		ConfigStateChecks: []statecheck.StateCheck{
			sameID("entragov_assignment_policy.annual", &id),
			statecheck.ExpectKnownValue("entragov_assignment_policy.annual",
				tfjsonpath.New("review_settings").AtMapKey("schedule").AtMapKey("recurrence").AtMapKey("pattern").AtMapKey("month"), knownvalue.Int64Exact(0)),
			statecheck.ExpectKnownValue("entragov_assignment_policy.annual",
				tfjsonpath.New("review_settings").AtMapKey("schedule").AtMapKey("recurrence").AtMapKey("pattern").AtMapKey("type"), knownvalue.StringExact("absoluteYearly")),
		},
	}))
}
