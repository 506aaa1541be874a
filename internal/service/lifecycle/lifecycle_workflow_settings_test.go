package lifecycle_test

import (
	"context"
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

const settingsAddress = "entragov_lifecycle_workflow_settings.test"

func settingsConfig(body string) string {
	return fmt.Sprintf("resource \"entragov_lifecycle_workflow_settings\" \"test\" {\n%s\n}\n", body)
}

// checkSettingsDefaults is the CheckDestroy of the singleton: destroy restores the service defaults.
func checkSettingsDefaults(e *acctest.Emulator, t *testing.T) func(*terraform.State) error {
	return func(*terraform.State) error {
		s, err := e.Client(t).GetLifecycleSettings(context.Background())
		if err != nil {
			return err
		}
		if s.WorkflowScheduleIntervalInHours != 3 || s.EmailSettings == nil || s.EmailSettings.SenderDomain != "" || s.EmailSettings.UseCompanyBranding {
			return fmt.Errorf("destroy did not restore the defaults: %+v %+v", s, s.EmailSettings)
		}
		return nil
	}
}

func intervalIs(e *acctest.Emulator, t *testing.T, want int) funcCheck {
	return func(ctx context.Context) error {
		s, err := e.Client(t).GetLifecycleSettings(ctx)
		if err != nil {
			return err
		}
		if s.WorkflowScheduleIntervalInHours != want {
			return fmt.Errorf("interval is %d in the API, want %d", s.WorkflowScheduleIntervalInHours, want)
		}
		return nil
	}
}

func TestAccLifecycleWorkflowSettings_basic(t *testing.T) {
	e := acctest.NewEmulator(t)
	e.ParallelExclusive(t, "lifecycle workflow settings")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkSettingsDefaults(e, t),
		Steps: []resource.TestStep{{
			Config: e.Config(settingsConfig(`workflow_schedule_interval_in_hours = 6`)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(settingsAddress, tfjsonpath.New("id"), knownvalue.StringExact("lifecycle-workflow-settings")),
				statecheck.ExpectKnownValue(settingsAddress, tfjsonpath.New("workflow_schedule_interval_in_hours"), knownvalue.Int64Exact(6)),
				statecheck.ExpectKnownValue(settingsAddress, tfjsonpath.New("email_settings").AtMapKey("sender_domain"), knownvalue.StringExact("")),
				statecheck.ExpectKnownValue(settingsAddress, tfjsonpath.New("email_settings").AtMapKey("use_company_branding"), knownvalue.Bool(false)),
				intervalIs(e, t, 6),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			ResourceName: settingsAddress, ImportState: true, ImportStateId: "lifecycle-workflow-settings", ImportStateVerify: true,
		}, {
			ResourceName: settingsAddress, ImportState: true, ImportStateId: "settings",
			ExpectError: acctest.ExpectError(`import them with the id "lifecycle-workflow-settings"`),
		}},
	})
}

func TestAccLifecycleWorkflowSettings_update(t *testing.T) {
	e := acctest.NewEmulator(t)
	e.ParallelExclusive(t, "lifecycle workflow settings")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkSettingsDefaults(e, t),
		Steps: []resource.TestStep{{
			Config: e.Config(settingsConfig(``)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(settingsAddress, tfjsonpath.New("workflow_schedule_interval_in_hours"), knownvalue.Int64Exact(3)),
			},
		}, {
			Config: e.Config(settingsConfig(`
  workflow_schedule_interval_in_hours = 12
  email_settings = { sender_domain = "contoso.com", use_company_branding = true }`)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(settingsAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(settingsAddress, tfjsonpath.New("email_settings").AtMapKey("sender_domain"), knownvalue.StringExact("contoso.com")),
				statecheck.ExpectKnownValue(settingsAddress, tfjsonpath.New("email_settings").AtMapKey("use_company_branding"), knownvalue.Bool(true)),
				intervalIs(e, t, 12),
			},
		}, {
			// Removing the settings from the configuration returns them to the defaults.
			Config: e.Config(settingsConfig(``)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(settingsAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{intervalIs(e, t, 3)},
		}},
	})
}

func TestAccLifecycleWorkflowSettings_drift(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	cfg := e.Config(settingsConfig(`workflow_schedule_interval_in_hours = 8`))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkSettingsDefaults(e, t),
		Steps: []resource.TestStep{{
			Config: cfg,
		}, {
			PreConfig: func() {
				if err := e.Server.ChangeObject("lifecycleSettings", "settings", map[string]any{"workflowScheduleIntervalInHours": 1}); err != nil {
					t.Fatalf("out-of-band change: %v", err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(settingsAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(settingsAddress, tfjsonpath.New("workflow_schedule_interval_in_hours"), knownvalue.Int64Exact(8)),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{intervalIs(e, t, 8)},
		}},
	})
}

func TestAccLifecycleWorkflowSettings_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(settingsConfig(`workflow_schedule_interval_in_hours = 0`)), PlanOnly: true,
			ExpectError: acctest.ExpectError(`Attribute workflow_schedule_interval_in_hours value must be between 1 and 24, got: 0`),
		}, {
			Config: e.Config(settingsConfig(`workflow_schedule_interval_in_hours = 25`)), PlanOnly: true,
			ExpectError: acctest.ExpectError(`Attribute workflow_schedule_interval_in_hours value must be between 1 and 24, got: 25`),
		}, {
			Config: e.Config(settingsConfig(`email_settings = { sender_domain = "not a domain" }`)), PlanOnly: true,
			ExpectError: acctest.ExpectError(`Attribute email_settings.sender_domain`),
		}},
	})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}

// Terraform 1.12 and later: the settings' identity is the tenant (one per tenant), and an import block can
// name them by identity; another tenant's settings are refused.
func TestAccLifecycleWorkflowSettings_identity(t *testing.T) {
	e := acctest.NewEmulator(t)
	e.ParallelExclusive(t, "lifecycle workflow settings")
	cfg := e.Config(settingsConfig(`workflow_schedule_interval_in_hours = 6`))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   acctest.IdentityVersionChecks,
		CheckDestroy:             checkSettingsDefaults(e, t),
		Steps: []resource.TestStep{{
			Config:            cfg,
			ConfigStateChecks: acctest.IdentityChecks(settingsAddress, map[string]knownvalue.Check{"tenant_id": knownvalue.StringExact(e.TenantID())}),
		}, acctest.ImportByIdentityStep(settingsAddress), {
			ResourceName: settingsAddress, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity, ImportStateConfigExact: true,
			Config:      cfg + "\nimport {\n  to       = " + settingsAddress + "\n  identity = { tenant_id = \"00000000-0000-0000-0000-000000000001\" }\n}\n",
			ExpectError: acctest.ExpectError(`cannot import the settings of tenant "00000000-0000-0000-0000-000000000001"`),
		}},
	})
}
