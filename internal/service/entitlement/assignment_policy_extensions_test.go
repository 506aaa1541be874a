package entitlement_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// Custom extensions hook Logic Apps into a policy's request and expiration stages; removing the
// settings from the configuration removes them from the policy.
func TestAccAssignmentPolicy_customExtensionStages(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	ctx := acctest.Context(t)
	client := e.Client(t)
	catalog, err := client.CreateCatalog(ctx, graph.CatalogCreate{DisplayName: "Automated onboarding"})
	if err != nil {
		t.Fatal(err)
	}
	newExtension := func(typ, name string) string {
		ext, err := client.CreateCustomWorkflowExtension(ctx, catalog.ID, graph.CustomWorkflowExtension{
			Type: typ, DisplayName: name,
			EndpointConfiguration: &graph.LogicAppEndpointConfiguration{
				SubscriptionID: "38ab2ccc-3747-4567-b36b-9478f5602f0d", ResourceGroupName: "governance", LogicAppWorkflowName: name,
			},
			AuthenticationConfiguration: &graph.ExtensionAuthentication{Type: "#microsoft.graph.azureAdPopTokenAuthentication"},
		})
		if err != nil {
			t.Fatal(err)
		}
		return ext.ID
	}
	onRequest := newExtension(graph.RequestWorkflowExtensionType, "notify-ticketing")
	beforeExpiry := newExtension(graph.AssignmentWorkflowExtensionType, "remind-sponsor")
	e.CreatedOutsideTerraform(3) // the catalog and its two extensions

	config := func(settings string) string {
		return e.Config(fmt.Sprintf(`
resource "entragov_access_package" "test" {
  catalog_id   = %q
  display_name = "Automated"
}

resource "entragov_assignment_policy" "test" {
  access_package_id    = entragov_access_package.test.id
  display_name         = "With extensions"
  allowed_target_scope = "allMemberUsers"
  requestor_settings   = { enable_targets_to_self_add_access = true }
  expiration           = { type = "afterDuration", duration = "P90D" }
  %s
}
`, catalog.ID, settings))
	}
	settingID := func(i int) tfjsonpath.Path {
		return tfjsonpath.New("custom_extension_stage_settings").AtSliceIndex(i).AtMapKey("id")
	}
	granted, expiry := statecheck.CompareValue(compare.ValuesSame()), statecheck.CompareValue(compare.ValuesSame())
	var applied map[string]string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoPoliciesLeft(e),
		Steps: []resource.TestStep{{
			Config: config(fmt.Sprintf(`custom_extension_stage_settings = [
    { stage = "assignmentRequestGranted", custom_extension_id = %q },
    { stage = "assignmentFourteenDaysBeforeExpiration", custom_extension_id = %q },
  ]`, onRequest, beforeExpiry)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("custom_extension_stage_settings"), knownvalue.ListSizeExact(2)),
				statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("custom_extension_stage_settings").AtSliceIndex(1).AtMapKey("custom_extension_id"), knownvalue.StringExact(beforeExpiry)),
				granted.AddStateValue(policyAddress, settingID(0)), expiry.AddStateValue(policyAddress, settingID(1)),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check:            captureAttributes(policyAddress, &applied),
		}, {
			ResourceName: policyAddress, ImportState: true, ImportStateVerify: true,
			ImportStateVerifyIgnore: importOrderIgnore(nil), ImportStateCheck: importedSubjectSetsMatch(&applied, nil),
		}, {
			// A setting inserted first gets a new id; the settings after it keep theirs (ids follow the
			// stage, not the position).
			Config: config(fmt.Sprintf(`custom_extension_stage_settings = [
    { stage = "assignmentRequestCreated", custom_extension_id = %[1]q },
    { stage = "assignmentRequestGranted", custom_extension_id = %[1]q },
    { stage = "assignmentFourteenDaysBeforeExpiration", custom_extension_id = %[2]q },
  ]`, onRequest, beforeExpiry)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(policyAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(policyAddress, settingID(0)),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				granted.AddStateValue(policyAddress, settingID(1)), expiry.AddStateValue(policyAddress, settingID(2)),
				statecheck.CompareValuePairs(policyAddress, settingID(0), policyAddress, settingID(1), compare.ValuesDiffer()),
			},
		}, {
			Config: config(``),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(policyAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(policyAddress, tfjsonpath.New("custom_extension_stage_settings"), knownvalue.Null()),
			},
		}},
	})
}

func TestAccAssignmentPolicyDataSource(t *testing.T) {
	e := acctest.NewEmulator(t)
	body := `
  display_name         = "Fabrikam consultants"
  allowed_target_scope = "specificConnectedOrganizationUsers"
  specific_allowed_targets = [
    { type = "connectedOrganizationMembers", connected_organization_id = "` + fabrikamOrgID + `" },
  ]
  expiration = { type = "afterDuration", duration = "P180D" }
  request_approval_settings = {
    approval_required_for_add = true
    stages = [{ duration_before_automatic_denial = "P14D", primary_approvers = [{ type = "internalSponsors" }] }]
  }
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(policyConfig(body), `
data "entragov_assignment_policy" "by_name" {
  access_package_id = entragov_access_package.test.id
  display_name      = "Fabrikam consultants"
  depends_on        = [entragov_assignment_policy.test]
}

data "entragov_assignment_policy" "by_id" {
  id = entragov_assignment_policy.test.id
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs("data.entragov_assignment_policy.by_name", tfjsonpath.New("id"), policyAddress, tfjsonpath.New("id"), compareEqual),
				statecheck.CompareValuePairs("data.entragov_assignment_policy.by_id", tfjsonpath.New("access_package_id"), "entragov_access_package.test", tfjsonpath.New("id"), compareEqual),
				statecheck.ExpectKnownValue("data.entragov_assignment_policy.by_id", tfjsonpath.New("expiration").AtMapKey("duration"), knownvalue.StringExact("P180D")),
				statecheck.ExpectKnownValue("data.entragov_assignment_policy.by_id",
					tfjsonpath.New("request_approval_settings").AtMapKey("stages").AtSliceIndex(0).AtMapKey("primary_approvers").AtSliceIndex(0).AtMapKey("type"),
					knownvalue.StringExact("internalSponsors")),
				statecheck.ExpectKnownValue("data.entragov_assignment_policy.by_id", tfjsonpath.New("review_settings"), knownvalue.Null()),
			},
		}},
	})
}
