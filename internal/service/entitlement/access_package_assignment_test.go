package entitlement_test

import (
	"context"
	"fmt"
	"slices"
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

const assignmentAddress = "entragov_access_package_assignment.test"

// assignmentBase is a package that grants membership of Project Falcon under a direct-assignment policy.
var assignmentBase = fmt.Sprintf(`
resource "entragov_catalog" "test" {
  display_name = "Falcon"
}

resource "entragov_catalog_resource" "team" {
  catalog_id    = entragov_catalog.test.id
  origin_system = "AadGroup"
  origin_id     = %q
}

resource "entragov_access_package" "test" {
  catalog_id   = entragov_catalog.test.id
  display_name = "Falcon member"
}

resource "entragov_access_package_resource_role_scope" "team" {
  access_package_id   = entragov_access_package.test.id
  catalog_resource_id = entragov_catalog_resource.team.id
  role_origin_id      = "Member_%s"
}

resource "entragov_assignment_policy" "direct" {
  access_package_id = entragov_access_package.test.id
  display_name      = "Direct assignment"
  expiration        = { type = "afterDuration", duration = "P90D" }
}
`, emulator.SeedGroupProjectFalconID, emulator.SeedGroupProjectFalconID)

func assignmentConfig(user string) string {
	return assignmentBase + fmt.Sprintf(`
resource "entragov_access_package_assignment" "test" {
  target_id            = %q
  access_package_id    = entragov_access_package.test.id
  assignment_policy_id = entragov_assignment_policy.direct.id
  justification        = "Joins the Falcon project"
  depends_on           = [entragov_access_package_resource_role_scope.team]
}
`, user)
}

// inGroup checks the emulator's group membership: the assignment must really grant the package's roles.
func inGroup(e *acctest.Emulator, groupID, userID string, want bool) func() error {
	return func() error {
		members, err := e.Server.GroupMemberIDs(groupID)
		if err != nil {
			return err
		}
		if got := slices.ContainsFunc(members, func(m string) bool { return strings.EqualFold(m, userID) }); got != want {
			return fmt.Errorf("user %s in group %s: %v, want %v (members %v)", userID, groupID, got, want, members)
		}
		return nil
	}
}

func TestAccAccessPackageAssignment(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	var id acctest.IDCapture
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			return inGroup(e, emulator.SeedGroupProjectFalconID, emulator.SeedUserAdeleID, false)()
		},
		Steps: []resource.TestStep{{
			Config: e.Config(assignmentConfig(emulator.SeedUserAdeleID)),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID(assignmentAddress, &id),
				statecheck.ExpectKnownValue(assignmentAddress, tfjsonpath.New("state"), knownvalue.StringExact("delivered")),
				funcCheck(func(context.Context) error {
					return inGroup(e, emulator.SeedGroupProjectFalconID, emulator.SeedUserAdeleID, true)()
				}),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			// Graph does not echo the justification of the request.
			ResourceName: assignmentAddress, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"justification"},
		}, {
			// Another user: a new assignment replaces the old one, and the old user leaves the group.
			Config: e.Config(assignmentConfig(emulator.SeedUserLynneID)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(assignmentAddress, plancheck.ResourceActionDestroyBeforeCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID(assignmentAddress, &id),
				funcCheck(func(context.Context) error {
					return inGroup(e, emulator.SeedGroupProjectFalconID, emulator.SeedUserAdeleID, false)()
				}),
				funcCheck(func(context.Context) error {
					return inGroup(e, emulator.SeedGroupProjectFalconID, emulator.SeedUserLynneID, true)()
				}),
			},
		}, {
			// Removed outside Terraform: planned again.
			PreConfig: func() {
				if err := e.Server.DeleteObject("assignments", id.Value); err != nil {
					t.Fatal(err)
				}
			},
			Config: e.Config(assignmentConfig(emulator.SeedUserLynneID)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(assignmentAddress, plancheck.ResourceActionCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	})
}

func TestAccAccessPackageAssignment_deliveryFailure(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(assignmentBase),
		}, {
			PreConfig: func() {
				f := e.Server.Faults()
				f.DeliveryFailure = true
				e.Server.SetFaults(f)
			},
			Config:      e.Config(assignmentConfig(emulator.SeedUserAdeleID)),
			ExpectError: acctest.ExpectError(`Assignment not delivered.*ended in state "deliveryFailed" with status "Fault: delivery failed`),
		}, {
			PreConfig: func() {
				f := e.Server.Faults()
				f.DeliveryFailure = false
				e.Server.SetFaults(f)
			},
			Config: e.Config(assignmentBase),
		}},
	})
}

func TestAccAccessPackageAssignment_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	cfg := func(extra string) string {
		return `
resource "entragov_access_package_assignment" "test" {
  target_id            = "` + emulator.SeedUserAdeleID + `"
  access_package_id    = "` + emulator.SeedGroupSalesID + `"
  assignment_policy_id = "` + emulator.SeedGroupSalesID + `"
  ` + extra + `
}
`
	}
	var steps []resource.TestStep
	for extra, want := range map[string]string{
		`schedule = { expiration = { type = "afterDuration" } }`:                                                                                   `schedule.expiration.duration.*Duration missing`,
		`schedule = { expiration = { type = "afterDateTime", end_date_time = "2027-01-01T00:00:00Z", duration = "P1D" } }`:                         `Duration not used`,
		`schedule = { start_date_time = "2027-06-01T00:00:00Z", expiration = { type = "afterDateTime", end_date_time = "2027-01-01T00:00:00Z" } }`: `End before start`,
		`schedule = { expiration = { type = "whenever" } }`:                                                                                        `type value must be one of`,
		`schedule = { start_date_time = "tomorrow" }`:                                                                                              `not an RFC 3339 timestamp`,
	} {
		steps = append(steps, resource.TestStep{Config: e.Config(cfg(extra)), PlanOnly: true, ExpectError: acctest.ExpectError(eitherOrder(want))})
	}
	steps = append(steps, resource.TestStep{
		Config:      e.Config(strings.Replace(cfg(""), emulator.SeedUserAdeleID, "adele@contoso.com", 1)),
		PlanOnly:    true,
		ExpectError: acctest.ExpectError(`Invalid object id`),
	})
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}

// Terraform 1.12 and later: an assignment's identity is its id, and an import block can name it by
// identity. The import's configuration leaves out the justification, which Graph does not echo.
func TestAccAccessPackageAssignment_identity(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	cfg := e.Config(assignmentConfig(emulator.SeedUserAdeleID))
	withoutJustification := strings.Replace(cfg, `justification        = "Joins the Falcon project"`, "", 1)
	if withoutJustification == cfg {
		t.Fatal("the assignment configuration has no justification line to leave out")
	}
	step := acctest.ImportByIdentityStep(assignmentAddress)
	step.Config = withoutJustification
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   acctest.IdentityVersionChecks,
		CheckDestroy: func(*terraform.State) error {
			return inGroup(e, emulator.SeedGroupProjectFalconID, emulator.SeedUserAdeleID, false)()
		},
		Steps: []resource.TestStep{{
			Config:            cfg,
			ConfigStateChecks: acctest.IdentityChecks(assignmentAddress, map[string]knownvalue.Check{"id": knownvalue.StringRegexp(guidPattern)}, "id"),
		}, step},
	})
}
