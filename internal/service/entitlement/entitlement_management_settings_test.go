package entitlement_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
)

const settingsAddress = "entragov_entitlement_management_settings.test"

// checkSettingsAreDefaults is the singleton's CheckDestroy: destroy restores the service defaults.
func checkSettingsAreDefaults(e *acctest.Emulator) func(*terraform.State) error {
	return func(*terraform.State) error {
		obj, err := e.Server.GetObject("emSettings", "settings")
		if err != nil {
			return err
		}
		if obj["externalUserLifecycleAction"] != "blockSignInAndDelete" || obj["durationUntilExternalUserDeletedAfterBlocked"] != "P30D" {
			return fmt.Errorf("destroy did not restore the defaults: %v", obj)
		}
		return nil
	}
}

func settingsConfig(body string) string {
	return "resource \"entragov_entitlement_management_settings\" \"test\" {\n" + body + "\n}\n"
}

func TestAccEntitlementManagementSettings(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkSettingsAreDefaults(e),
		Steps: []resource.TestStep{{
			Config: e.Config(settingsConfig(`external_user_lifecycle_action = "blockSignIn"
  duration_until_external_user_deleted_after_blocked = null`)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(settingsAddress, tfjsonpath.New("external_user_lifecycle_action"), knownvalue.StringExact("blockSignIn")),
				statecheck.ExpectKnownValue(settingsAddress, tfjsonpath.New("id"), knownvalue.StringExact("entitlement-management-settings")),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			// Block, then delete guests after a fortnight; P2W and P14D are the same duration.
			Config: e.Config(settingsConfig(`external_user_lifecycle_action = "blockSignInAndDelete"
  duration_until_external_user_deleted_after_blocked = "P14D"`)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(settingsAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}, {
			ResourceName: settingsAddress, ImportState: true, ImportStateId: "entitlement-management-settings", ImportStateVerify: true,
		}, {
			PreConfig: func() {
				if err := e.Server.ChangeObject("emSettings", "settings", map[string]any{"externalUserLifecycleAction": "none"}); err != nil {
					t.Fatal(err)
				}
			},
			Config: e.Config(settingsConfig(`external_user_lifecycle_action = "blockSignInAndDelete"
  duration_until_external_user_deleted_after_blocked = "P14D"`)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(settingsAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(settingsAddress, tfjsonpath.New("external_user_lifecycle_action"), knownvalue.StringExact("blockSignInAndDelete")),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	})
}

func TestAccEntitlementManagementSettings_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var steps []resource.TestStep
	for body, want := range map[string]string{
		`external_user_lifecycle_action = "deleteImmediately"`:           `external_user_lifecycle_action value must be one of`,
		`duration_until_external_user_deleted_after_blocked = "30 days"`: `not an ISO 8601 duration`,
		`duration_until_external_user_deleted_after_blocked = "PT0S"`:    `duration_until_external_user_deleted_after_blocked`,
		`external_user_lifecycle_action = "none"
  duration_until_external_user_deleted_after_blocked = "P30D"`: `Deletion delay not used`,
	} {
		steps = append(steps, resource.TestStep{Config: e.Config(settingsConfig(body)), PlanOnly: true, ExpectError: acctest.ExpectError(want)})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}

// The deletion delay means something only with blockSignInAndDelete. With another action it is null in
// state and the write leaves Graph's value alone, so that an imported singleton (and the configuration
// Terraform generates from it) never holds a delay its action does not use; back with
// blockSignInAndDelete, an omitted delay is the service default again.
func TestAccEntitlementManagementSettings_deletionDelayOnlyWhenDeleting(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	graphDelay := func(want string) statecheck.StateCheck {
		return funcCheck(func(contextT) error {
			obj, err := e.Server.GetObject("emSettings", "settings")
			if err != nil {
				return err
			}
			if got := obj["durationUntilExternalUserDeletedAfterBlocked"]; got != want {
				return fmt.Errorf("Graph holds the deletion delay %v, want %s", got, want)
			}
			return nil
		})
	}
	delay := tfjsonpath.New("duration_until_external_user_deleted_after_blocked")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkSettingsAreDefaults(e),
		Steps: []resource.TestStep{{
			Config: e.Config(settingsConfig(`duration_until_external_user_deleted_after_blocked = "P14D"`)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(settingsAddress, delay, knownvalue.StringExact("P14D")),
				graphDelay("P14D"),
			},
		}, {
			Config: e.Config(settingsConfig(`external_user_lifecycle_action = "blockSignIn"`)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(settingsAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(settingsAddress, delay, knownvalue.Null()),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(settingsAddress, delay, knownvalue.Null()),
				graphDelay("P14D"),
			},
		}, {
			ResourceName: settingsAddress, ImportState: true, ImportStateId: "entitlement-management-settings", ImportStateVerify: true,
		}, {
			Config: e.Config(settingsConfig(`external_user_lifecycle_action = "blockSignInAndDelete"`)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(settingsAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(settingsAddress, delay, knownvalue.StringExact("P30D")),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{graphDelay("P30D")},
		}},
	})
}

// Terraform 1.12 and later: the settings' identity is the tenant (one per tenant), and an import block can
// name them by identity, with or without the tenant; another tenant's settings are refused.
func TestAccEntitlementManagementSettings_identity(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	cfg := e.Config(settingsConfig(`external_user_lifecycle_action = "blockSignIn"
  duration_until_external_user_deleted_after_blocked = null`))
	importBlock := func(identity string) resource.TestStep {
		return resource.TestStep{
			ResourceName: settingsAddress, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity, ImportStateConfigExact: true,
			Config: cfg + fmt.Sprintf("\nimport {\n  to       = %s\n  identity = %s\n}\n", settingsAddress, identity),
		}
	}
	wrongTenant := importBlock(`{ tenant_id = "00000000-0000-0000-0000-000000000001" }`)
	wrongTenant.ExpectError = acctest.ExpectError(`cannot import the settings of tenant "00000000-0000-0000-0000-000000000001"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   acctest.IdentityVersionChecks,
		CheckDestroy:             checkSettingsAreDefaults(e),
		Steps: []resource.TestStep{{
			Config:            cfg,
			ConfigStateChecks: acctest.IdentityChecks(settingsAddress, map[string]knownvalue.Check{"tenant_id": knownvalue.StringExact(e.TenantID())}),
		}, acctest.ImportByIdentityStep(settingsAddress), importBlock("{}"), wrongTenant},
	})
}
