package entitlement_test

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
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

const extensionAddress = "entragov_catalog_custom_extension.test"

func checkNoCustomExtensionsLeft(e *acctest.Emulator) func(*terraform.State) error {
	return func(*terraform.State) error {
		left, err := e.Server.ListObjects("customWorkflowExtensions")
		if err != nil {
			return err
		}
		if len(left) > 0 {
			return fmt.Errorf("%d custom extensions left after destroy", len(left))
		}
		return nil
	}
}

func importByCatalogAndID(address string) resource.ImportStateIdFunc {
	return func(s *terraform.State) (string, error) {
		rs, ok := s.RootModule().Resources[address]
		if !ok {
			return "", fmt.Errorf("%s not in state", address)
		}
		return rs.Primary.Attributes["catalog_id"] + "/" + rs.Primary.ID, nil
	}
}

// testAccCatalogCustomExtensionConfig is two catalogs and an extension in the one named by catalog
// ("a" or "b"), with body as the extension's other arguments.
func testAccCatalogCustomExtensionConfig(catalog, body string) string {
	return fmt.Sprintf(`
resource "entragov_catalog" "a" {
  display_name = "Partner onboarding"
}

resource "entragov_catalog" "b" {
  display_name = "Partner offboarding"
}

resource "entragov_catalog_custom_extension" "test" {
  catalog_id = entragov_catalog.%s.id
%s
}
`, catalog, body)
}

const extensionLogicApp = `
  endpoint_configuration = {
    subscription_id         = "38ab2ccc-3747-4567-b36b-9478f5602f0d"
    resource_group_name     = "governance"
    logic_app_workflow_name = "check-partner-contract"
  }`

func requestExtensionBody(name, extra string) string {
	return fmt.Sprintf(`
  type         = "accessPackageAssignmentRequestWorkflowExtension"
  display_name = %q
%s
%s`, name, extensionLogicApp, extra)
}

func TestAccCatalogCustomExtension_basicAndUpdate(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var id acctest.IDCapture
	var url string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoCustomExtensionsLeft(e),
		Steps: []resource.TestStep{{
			Config: e.Config(testAccCatalogCustomExtensionConfig("a", requestExtensionBody("Check partner contract", `
  description = "Asks the contracts system whether the partner's contract is current"
  authentication_configuration = {
    type        = "azureAdTokenAuthentication"
    resource_id = "542dc01a-0b5d-4edc-b3f9-5cfe6393f557"
  }
  client_configuration = {
    maximum_retries         = 1
    timeout_in_milliseconds = 1000
  }
  callback_configuration = {
    timeout_duration = "PT1H"
  }`))),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID(extensionAddress, &id),
				statecheck.ExpectKnownValue(extensionAddress, tfjsonpath.New("endpoint_configuration").AtMapKey("type"), knownvalue.StringExact("logicAppTriggerEndpointConfiguration")),
				statecheck.ExpectKnownValue(extensionAddress, tfjsonpath.New("endpoint_configuration").AtMapKey("url"), knownvalue.StringRegexp(regexp.MustCompile(`/workflows/check-partner-contract/`))),
				statecheck.ExpectKnownValue(extensionAddress, tfjsonpath.New("client_configuration").AtMapKey("maximum_retries"), knownvalue.Int64Exact(1)),
				statecheck.ExpectKnownValue(extensionAddress, tfjsonpath.New("callback_configuration").AtMapKey("timeout_duration"), knownvalue.StringExact("PT1H")),
				statecheck.ExpectKnownValue(extensionAddress, tfjsonpath.New("created_by"), knownvalue.NotNull()),
				statecheck.ExpectKnownValue(extensionAddress, tfjsonpath.New("created_date_time"), knownvalue.NotNull()),
			},
			Check: func(s *terraform.State) error {
				url = s.RootModule().Resources[extensionAddress].Primary.Attributes["endpoint_configuration.url"]
				return nil
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			ResourceName: extensionAddress, ImportState: true, ImportStateVerify: true, ImportStateIdFunc: importByCatalogAndID(extensionAddress),
		}, {
			// Everything but the catalog and the type changes in place, with a PUT of the whole object; the
			// same Logic App keeps its URL in the plan.
			Config: e.Config(testAccCatalogCustomExtensionConfig("a", requestExtensionBody("Check partner contract (v2)", `
  authentication_configuration = {
    type = "azureAdPopTokenAuthentication"
  }
  callback_configuration = {
    timeout_duration = "PT90M"
  }`))),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(extensionAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(extensionAddress, tfjsonpath.New("endpoint_configuration").AtMapKey("url"), knownvalue.NotNull()),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				sameID(extensionAddress, &id),
				statecheck.ExpectKnownValue(extensionAddress, tfjsonpath.New("description"), knownvalue.StringExact("")),
				statecheck.ExpectKnownValue(extensionAddress, tfjsonpath.New("authentication_configuration").AtMapKey("resource_id"), knownvalue.Null()),
				statecheck.ExpectKnownValue(extensionAddress, tfjsonpath.New("client_configuration"), knownvalue.Null()),
				statecheck.ExpectKnownValue(extensionAddress, tfjsonpath.New("callback_configuration").AtMapKey("timeout_duration"), knownvalue.StringExact("PT90M")),
			},
		}, {
			// Another Logic App: its URL is unknown until Graph resolves it.
			Config: e.Config(testAccCatalogCustomExtensionConfig("a", `
  type         = "accessPackageAssignmentRequestWorkflowExtension"
  display_name = "Check partner contract (v2)"
  endpoint_configuration = {
    subscription_id         = "38ab2ccc-3747-4567-b36b-9478f5602f0d"
    resource_group_name     = "governance"
    logic_app_workflow_name = "check-partner-contract-v2"
  }
  authentication_configuration = {
    type = "azureAdPopTokenAuthentication"
  }`)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(extensionAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(extensionAddress, tfjsonpath.New("endpoint_configuration").AtMapKey("url")),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				sameID(extensionAddress, &id),
				statecheck.ExpectKnownValue(extensionAddress, tfjsonpath.New("endpoint_configuration").AtMapKey("url"), knownvalue.StringRegexp(regexp.MustCompile(`/workflows/check-partner-contract-v2/`))),
				statecheck.ExpectKnownValue(extensionAddress, tfjsonpath.New("callback_configuration"), knownvalue.Null()),
			},
			Check: func(*terraform.State) error {
				if url == "" {
					return fmt.Errorf("the first URL was not captured")
				}
				return nil
			},
		}},
	})
}

func TestAccCatalogCustomExtension_replace(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	pop := `
  authentication_configuration = {
    type = "azureAdPopTokenAuthentication"
  }`
	assignment := func(catalog string) string {
		return testAccCatalogCustomExtensionConfig(catalog, `
  type         = "accessPackageAssignmentWorkflowExtension"
  display_name = "Remind the sponsor"
`+extensionLogicApp+pop)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoCustomExtensionsLeft(e),
		Steps: []resource.TestStep{{
			Config: e.Config(testAccCatalogCustomExtensionConfig("a", requestExtensionBody("Remind the sponsor", pop))),
		}, {
			// Graph binds the kind at creation.
			Config: e.Config(assignment("a")),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(extensionAddress, plancheck.ResourceActionDestroyBeforeCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(extensionAddress, tfjsonpath.New("type"), knownvalue.StringExact(graph.AssignmentWorkflowExtensionType)),
			},
		}, {
			// And the catalog: the extension lives under it.
			Config: e.Config(assignment("b")),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(extensionAddress, plancheck.ResourceActionDestroyBeforeCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs(extensionAddress, tfjsonpath.New("catalog_id"), "entragov_catalog.b", tfjsonpath.New("id"), compareEqual),
			},
		}, {
			ResourceName: extensionAddress, ImportState: true, ImportStateVerify: true, ImportStateIdFunc: importByCatalogAndID(extensionAddress),
		}},
	})
}

func TestAccCatalogCustomExtension_driftAndDisappears(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var id acctest.IDCapture
	cfg := e.Config(testAccCatalogCustomExtensionConfig("a", requestExtensionBody("Check partner contract", `
  description = "Managed by Terraform"
  authentication_configuration = {
    type = "azureAdPopTokenAuthentication"
  }
  callback_configuration = {
    timeout_duration = "PT1H"
  }`)))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoCustomExtensionsLeft(e),
		Steps: []resource.TestStep{{
			Config:            cfg,
			ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(extensionAddress, &id)},
		}, {
			// Changes made in the portal are planned away, in place.
			PreConfig: func() {
				if err := e.Server.ChangeObject("customWorkflowExtensions", id.Value, map[string]any{
					"description":           "changed in the portal",
					"callbackConfiguration": map[string]any{"@odata.type": "#microsoft.graph.customExtensionCallbackConfiguration", "timeoutDuration": "PT2H"},
				}); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(extensionAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(extensionAddress, tfjsonpath.New("description"), knownvalue.StringExact("Managed by Terraform")),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{sameID(extensionAddress, &id)},
		}, {
			// The same duration written elsewhere under the create page's name and in another spelling (PT60M)
			// is no change (an answer with only that name is read by the client: internal/graph/custom_extensions_test.go).
			PreConfig: func() {
				if err := e.Server.ChangeObject("customWorkflowExtensions", id.Value, map[string]any{
					"callbackConfiguration": map[string]any{"@odata.type": "microsoft.graph.customExtensionCallbackConfiguration", "durationBeforeTimeout": "PT60M"},
				}); err != nil {
					t.Fatal(err)
				}
			},
			Config:   cfg,
			PlanOnly: true,
		}, {
			PreConfig: func() {
				if err := e.Server.DeleteObject("customWorkflowExtensions", id.Value); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(extensionAddress, plancheck.ResourceActionCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	})
}

func TestAccCatalogCustomExtension_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	pop := `
  authentication_configuration = {
    type = "azureAdPopTokenAuthentication"
  }`
	var steps []resource.TestStep
	for _, tc := range []struct{ config, want string }{
		{testAccCatalogCustomExtensionConfig("a", requestExtensionBody("X", `
  authentication_configuration = {
    type = "azureAdTokenAuthentication"
  }`)), `authentication_configuration.resource_id: type "azureAdTokenAuthentication" needs`},
		{testAccCatalogCustomExtensionConfig("a", requestExtensionBody("X", `
  authentication_configuration = {
    type        = "azureAdPopTokenAuthentication"
    resource_id = "542dc01a-0b5d-4edc-b3f9-5cfe6393f557"
  }`)), `takes no resource_id`},
		{testAccCatalogCustomExtensionConfig("a", requestExtensionBody("X", `
  authentication_configuration = {
    type = "clientSecret"
  }`)), `authentication_configuration.type value must be one of`},
		{testAccCatalogCustomExtensionConfig("a", `
  type         = "accessPackageAssignmentWorkflowExtension"
  display_name = "X"
`+extensionLogicApp+pop+`
  callback_configuration = {
    timeout_duration = "PT1H"
  }`), `only an accessPackageAssignmentRequestWorkflowExtension waits for a callback`},
		{testAccCatalogCustomExtensionConfig("a", `
  type         = "customCalloutExtension"
  display_name = "X"
`+extensionLogicApp+pop), `type value must be one of`},
		{testAccCatalogCustomExtensionConfig("a", requestExtensionBody("X", pop+`
  callback_configuration = {
    timeout_duration = "P1M"
  }`)), `callback_configuration.timeout_duration`},
		{testAccCatalogCustomExtensionConfig("a", requestExtensionBody("X", pop+`
  callback_configuration = {
    timeout_duration = "PT4M"
  }`)), `callback_configuration.timeout_duration`},
		{testAccCatalogCustomExtensionConfig("a", requestExtensionBody("X", pop+`
  callback_configuration = {
    timeout_duration = "P15D"
  }`)), `callback_configuration.timeout_duration`},
		{testAccCatalogCustomExtensionConfig("a", requestExtensionBody("X", pop+`
  client_configuration = {
    maximum_retries = 2
  }`)), `client_configuration.maximum_retries`},
		{testAccCatalogCustomExtensionConfig("a", requestExtensionBody("X", pop+`
  client_configuration = {
    timeout_in_milliseconds = 5000
  }`)), `client_configuration.timeout_in_milliseconds`},
		{testAccCatalogCustomExtensionConfig("a", `
  type         = "accessPackageAssignmentWorkflowExtension"
  display_name = "X"
  endpoint_configuration = {
    subscription_id         = "not-a-subscription"
    resource_group_name     = "governance"
    logic_app_workflow_name = "x"
  }`+pop), `endpoint_configuration.subscription_id`},
	} {
		steps = append(steps, resource.TestStep{Config: e.Config(tc.config), PlanOnly: true, ExpectError: acctest.ExpectError(tc.want)})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}

// An assignment policy's stage settings name the extensions of its package's catalog: the policy applies,
// and destroy removes the policy before the extensions it uses (Graph refuses it the other way round).
func TestAccCatalogCustomExtension_policyStages(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	config := e.Config(`
resource "entragov_catalog" "partners" {
  display_name = "Partners"
}

resource "entragov_catalog_custom_extension" "contract" {
  catalog_id   = entragov_catalog.partners.id
  type         = "accessPackageAssignmentRequestWorkflowExtension"
  display_name = "Check partner contract"
` + extensionLogicApp + `
  authentication_configuration = {
    type = "azureAdPopTokenAuthentication"
  }
  callback_configuration = {
    timeout_duration = "PT1H"
  }
}

resource "entragov_catalog_custom_extension" "expiry" {
  catalog_id   = entragov_catalog.partners.id
  type         = "accessPackageAssignmentWorkflowExtension"
  display_name = "Remind the sponsor"
` + extensionLogicApp + `
  authentication_configuration = {
    type = "azureAdPopTokenAuthentication"
  }
}

resource "entragov_access_package" "design" {
  catalog_id   = entragov_catalog.partners.id
  display_name = "Design project"
}

resource "entragov_assignment_policy" "test" {
  access_package_id    = entragov_access_package.design.id
  display_name         = "Partners with a current contract"
  allowed_target_scope = "allMemberUsers"
  requestor_settings   = { enable_targets_to_self_add_access = true }
  expiration           = { type = "afterDuration", duration = "P90D" }
  custom_extension_stage_settings = [
    { stage = "assignmentRequestApproved", custom_extension_id = entragov_catalog_custom_extension.contract.id },
    { stage = "assignmentFourteenDaysBeforeExpiration", custom_extension_id = entragov_catalog_custom_extension.expiry.id },
  ]
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if err := checkNoPoliciesLeft(e)(s); err != nil {
				return err
			}
			return checkNoCustomExtensionsLeft(e)(s)
		},
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs(policyAddress, tfjsonpath.New("custom_extension_stage_settings").AtSliceIndex(0).AtMapKey("custom_extension_id"),
					"entragov_catalog_custom_extension.contract", tfjsonpath.New("id"), compareEqual),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}

// An extension that a policy outside the configuration uses cannot be deleted: the error names the policy
// and says what to do.
func TestAccCatalogCustomExtension_deleteRefusedWhileUsed(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	ctx := acctest.Context(t)
	client := e.Client(t)
	catalog, err := client.CreateCatalog(ctx, graph.CatalogCreate{DisplayName: e.Name("Partners")})
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := client.CreateAccessPackage(ctx, catalog.ID, graph.AccessPackageCreate{DisplayName: e.Name("Design project")})
	if err != nil {
		t.Fatal(err)
	}
	e.CreatedOutsideTerraform(2)
	config := e.Config(fmt.Sprintf(`
resource "entragov_catalog_custom_extension" "test" {
  catalog_id   = %q
  type         = "accessPackageAssignmentRequestWorkflowExtension"
  display_name = "Check partner contract"
%s
  authentication_configuration = {
    type = "azureAdPopTokenAuthentication"
  }
}
`, catalog.ID, extensionLogicApp))
	var id acctest.IDCapture
	var policyID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoCustomExtensionsLeft(e),
		Steps: []resource.TestStep{{
			Config:            config,
			ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(extensionAddress, &id)},
		}, {
			PreConfig: func() {
				p, err := client.CreateAssignmentPolicy(ctx, pkg.ID, graph.AssignmentPolicy{
					DisplayName: e.Name("Made in the portal"), AllowedTargetScope: "allMemberUsers",
					CustomExtensionStageSettings: []graph.CustomExtensionStageSetting{{
						Stage: "assignmentRequestCreated", CustomExtension: &graph.TypedIDRef{ID: id.Value},
					}},
				})
				if err != nil {
					t.Fatal(err)
				}
				policyID = p.ID
				// The refusal names what uses the extension only once it is listed: no replication delay here.
				e.Server.SetFaults(emulator.Faults{})
			},
			Config:      e.Config(),
			ExpectError: acctest.ExpectError(`is used by assignment policies .*Made in the portal" \([0-9a-f-]{36}\). Remove it from those policies`),
		}, {
			PreConfig: func() {
				if err := client.DeleteAssignmentPolicy(ctx, policyID); err != nil {
					t.Fatal(err)
				}
			},
			Config: e.Config(),
		}},
	})
}

// Terraform 1.12 and later: a custom extension's identity is its catalog and its id, and an import block
// can name it by identity.
func TestAccCatalogCustomExtension_identity(t *testing.T) {
	e := acctest.NewEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   acctest.IdentityVersionChecks,
		Steps: []resource.TestStep{{
			Config: e.Config(testAccCatalogCustomExtensionConfig("a", requestExtensionBody("Identity", `
  authentication_configuration = {
    type = "azureAdPopTokenAuthentication"
  }`))),
			ConfigStateChecks: acctest.IdentityChecks(extensionAddress, map[string]knownvalue.Check{
				"catalog_id": knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f-]{36}$`)),
				"id":         knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f-]{36}$`)),
			}, "catalog_id", "id"),
		}, acctest.ImportByIdentityStep(extensionAddress)},
	})
}

// An extension of the same name in the catalog that no state holds (what an apply killed after Graph's
// create leaves) is not created again: the error names the import block with the <catalog_id>/<id> form.
func TestAccCatalogCustomExtension_duplicateNameRefused(t *testing.T) {
	e := acctest.NewEmulator(t)
	ctx := acctest.Context(t)
	client := e.Client(t)
	catalog, err := client.CreateCatalog(ctx, graph.CatalogCreate{DisplayName: e.Name("Partners")})
	if err != nil {
		t.Fatal(err)
	}
	existing, err := client.CreateCustomWorkflowExtension(ctx, catalog.ID, graph.CustomWorkflowExtension{
		Type: graph.AssignmentWorkflowExtensionType, DisplayName: e.Name("Remind the sponsor"),
		EndpointConfiguration:       &graph.LogicAppEndpointConfiguration{SubscriptionID: "38ab2ccc-3747-4567-b36b-9478f5602f0d", ResourceGroupName: "governance", LogicAppWorkflowName: "remind"},
		AuthenticationConfiguration: &graph.ExtensionAuthentication{Type: graph.AuthenticationPopToken},
	})
	if err != nil {
		t.Fatal(err)
	}
	// Deleted again before the local API's report counts what is left (cleanups run last-in first-out).
	t.Cleanup(func() {
		_ = client.DeleteCustomWorkflowExtension(context.Background(), catalog.ID, existing.ID)
		_ = client.DeleteCatalog(context.Background(), catalog.ID)
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(fmt.Sprintf(`
resource "entragov_catalog_custom_extension" "test" {
  catalog_id   = %q
  type         = "accessPackageAssignmentWorkflowExtension"
  display_name = "Remind the sponsor"
%s
  authentication_configuration = {
    type = "azureAdPopTokenAuthentication"
  }
}
`, catalog.ID, extensionLogicApp)),
			ExpectError: acctest.ExpectError(`already exists.*id = "` + catalog.ID + "/" + existing.ID + `"`),
		}},
	})
}
