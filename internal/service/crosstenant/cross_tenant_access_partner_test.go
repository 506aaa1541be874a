package crosstenant_test

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
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

const (
	partnerAddress = "entragov_cross_tenant_access_partner.test"
	partnerColl    = "crossTenantAccessPartners"
	fabrikamTenant = "8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b"
	woodgroveTid   = "3c9a7e51-2d4b-4f60-8a1e-6b5c4d3e2f10"
	salesGroup     = "0be493dc-cb56-4a53-936f-9cf64410b8b0"
)

func partnerConfig(tenant, body string) string {
	return fmt.Sprintf("resource \"entragov_cross_tenant_access_partner\" \"test\" {\n  tenant_id = %q\n%s\n}\n", tenant, body)
}

// fabrikamOnboarding trusts the partner's MFA, lets all its users in through B2B collaboration and
// redeems invitations automatically.
const fabrikamOnboarding = `
  inbound_trust = { mfa_accepted = true }
  b2b_collaboration_inbound = {
    users_and_groups = { access_type = "allowed", targets = [{ target = "AllUsers", target_type = "user" }] }
    applications     = { access_type = "allowed", targets = [{ target = "AllApplications", target_type = "application" }] }
  }
  automatic_user_consent_settings = { inbound_allowed = true, outbound_allowed = true }
`

func partnerExists(e *acctest.Emulator, t *testing.T) statecheck.StateCheck {
	return acctest.ExistsInAPI(partnerAddress, func(ctx context.Context, id string) error {
		_, err := e.Client(t).GetCrossTenantAccessPartner(ctx, id)
		return err
	})
}

func checkPartnersDestroyed(e *acctest.Emulator, t *testing.T) func(*terraform.State) error {
	return acctest.CheckDestroyed("entragov_cross_tenant_access_partner", func(ctx context.Context, id string) error {
		_, err := e.Client(t).GetCrossTenantAccessPartner(ctx, id)
		return err
	}, graph.IsNotFound)
}

func partnerDoc(e *acctest.Emulator, tenant string) map[string]any {
	doc, err := e.Server.GetObject(partnerColl, tenant)
	if err != nil {
		return nil
	}
	return doc
}

func TestAccCrossTenantAccessPartner_basic(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkPartnersDestroyed(e, t),
		Steps: []resource.TestStep{{
			Config: e.Config(partnerConfig(fabrikamTenant, fabrikamOnboarding)),
			ConfigStateChecks: []statecheck.StateCheck{
				partnerExists(e, t),
				statecheck.ExpectKnownValue(partnerAddress, tfjsonpath.New("id"), knownvalue.StringExact(fabrikamTenant)),
				statecheck.ExpectKnownValue(partnerAddress, tfjsonpath.New("inbound_trust").AtMapKey("mfa_accepted"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(partnerAddress, tfjsonpath.New("inbound_trust").AtMapKey("compliant_device_accepted"), knownvalue.Null()),
				statecheck.ExpectKnownValue(partnerAddress, tfjsonpath.New("b2b_direct_connect_inbound"), knownvalue.Null()),
				statecheck.ExpectKnownValue(partnerAddress, tfjsonpath.New("service_provider"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(partnerAddress, tfjsonpath.New("in_multi_tenant_organization"), knownvalue.Bool(false)),
				funcCheck(func(context.Context) error {
					doc := partnerDoc(e, fabrikamTenant)
					if path(doc, "b2bCollaborationInbound", "usersAndGroups", "accessType") != "allowed" ||
						path(doc, "automaticUserConsentSettings", "inboundAllowed") != true || doc["b2bDirectConnectInbound"] != nil {
						return fmt.Errorf("Graph holds %v", doc)
					}
					return nil
				}),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			ResourceName: partnerAddress, ImportState: true, ImportStateId: fabrikamTenant, ImportStateVerify: true,
		}},
	})
}

// Settings change in place; a block removed from the configuration is sent as null, so that Graph
// inherits the default for it again.
func TestAccCrossTenantAccessPartner_update(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var id acctest.IDCapture
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkPartnersDestroyed(e, t),
		Steps: []resource.TestStep{{
			Config:            e.Config(partnerConfig(fabrikamTenant, fabrikamOnboarding)),
			ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(partnerAddress, &id)},
		}, {
			Config: e.Config(partnerConfig(fabrikamTenant, `
  b2b_direct_connect_outbound = {
    users_and_groups = { access_type = "blocked", targets = [{ target = "`+salesGroup+`", target_type = "group" }] }
  }
  b2b_direct_connect_inbound = {
    applications = { access_type = "allowed", targets = [{ target = "Office365", target_type = "application" }] }
  }
  tenant_restrictions = {
    users_and_groups = { access_type = "allowed", targets = [{ target = "AllUsers", target_type = "user" }] }
    applications     = { access_type = "allowed", targets = [{ target = "Office365", target_type = "application" }] }
  }
`)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(partnerAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(partnerAddress, tfjsonpath.New("id"), knownvalue.StringFunc(func(v string) error {
					if v != id.Value {
						return fmt.Errorf("id changed from %s to %s", id.Value, v)
					}
					return nil
				})),
				statecheck.ExpectKnownValue(partnerAddress, tfjsonpath.New("inbound_trust"), knownvalue.Null()),
				funcCheck(func(context.Context) error {
					doc := partnerDoc(e, fabrikamTenant)
					if doc["inboundTrust"] != nil || doc["b2bCollaborationInbound"] != nil || path(doc, "automaticUserConsentSettings", "inboundAllowed") != nil ||
						path(doc, "b2bDirectConnectOutbound", "usersAndGroups", "accessType") != "blocked" ||
						path(doc, "tenantRestrictions", "applications", "accessType") != "allowed" {
						return fmt.Errorf("Graph holds %v", doc)
					}
					return nil
				}),
			},
		}, {
			ResourceName: partnerAddress, ImportState: true, ImportStateId: fabrikamTenant, ImportStateVerify: true,
		}},
	})
}

// The tenant id is the configuration's key: another tenant is another configuration.
func TestAccCrossTenantAccessPartner_replace(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkPartnersDestroyed(e, t),
		Steps: []resource.TestStep{{
			Config: e.Config(partnerConfig(fabrikamTenant, fabrikamOnboarding)),
		}, {
			Config: e.Config(partnerConfig(woodgroveTid, fabrikamOnboarding)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(partnerAddress, plancheck.ResourceActionDestroyBeforeCreate)},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				partnerExists(e, t),
				funcCheck(func(context.Context) error {
					if partnerDoc(e, fabrikamTenant) != nil {
						return fmt.Errorf("the configuration of the old tenant is still there")
					}
					return nil
				}),
			},
		}},
	})
}

// A tenant id written in upper case is kept as written; Graph answers it in lower case.
func TestAccCrossTenantAccessPartner_tenantIDCase(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	upper := "8E3F1C2A-4B5D-4E6F-9A7B-0C1D2E3F4A5B"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkPartnersDestroyed(e, t),
		Steps: []resource.TestStep{{
			Config: e.Config(partnerConfig(upper, `
  b2b_collaboration_outbound = {
    users_and_groups = { access_type = "blocked", targets = [{ target = "0BE493DC-CB56-4A53-936F-9CF64410B8B0", target_type = "group" }] }
  }
`)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(partnerAddress, tfjsonpath.New("tenant_id"), knownvalue.StringExact(upper)),
				funcCheck(func(context.Context) error {
					if partnerDoc(e, fabrikamTenant) == nil {
						return fmt.Errorf("no configuration under the lower-case tenant id")
					}
					return nil
				}),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}

// A change made outside Terraform is planned back; a configuration deleted outside Terraform is
// created again.
func TestAccCrossTenantAccessPartner_drift(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	cfg := e.Config(partnerConfig(fabrikamTenant, fabrikamOnboarding))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkPartnersDestroyed(e, t),
		Steps: []resource.TestStep{{
			Config: cfg,
		}, {
			PreConfig: func() {
				if err := e.Server.ChangeObject(partnerColl, fabrikamTenant, map[string]any{
					"inboundTrust":            map[string]any{"isMfaAccepted": false},
					"b2bCollaborationInbound": map[string]any{"usersAndGroups": map[string]any{"accessType": "blocked"}},
				}); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(partnerAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(partnerAddress, tfjsonpath.New("inbound_trust").AtMapKey("mfa_accepted"), knownvalue.Bool(true)),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{funcCheck(func(context.Context) error {
				doc := partnerDoc(e, fabrikamTenant)
				if path(doc, "inboundTrust", "isMfaAccepted") != true || path(doc, "b2bCollaborationInbound", "usersAndGroups", "accessType") != "allowed" {
					return fmt.Errorf("drift not reverted: %v", doc)
				}
				return nil
			})},
		}},
	})
}

func TestAccCrossTenantAccessPartner_disappears(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	cfg := e.Config(partnerConfig(fabrikamTenant, fabrikamOnboarding))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkPartnersDestroyed(e, t),
		Steps: []resource.TestStep{{
			Config: cfg,
		}, {
			PreConfig: func() {
				if err := e.Server.DeleteObject(partnerColl, fabrikamTenant); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(partnerAddress, plancheck.ResourceActionCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{partnerExists(e, t)},
		}},
	})
}

// A tenant that already has a configuration is refused by Graph; the error names the import to run.
func TestAccCrossTenantAccessPartner_alreadyExists(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				e.CreatedOutsideTerraform(1)
				if _, err := e.Client(t).CreateCrossTenantAccessPartner(context.Background(), graph.CrossTenantAccessPartner{TenantID: fabrikamTenant}); err != nil {
					t.Fatal(err)
				}
			},
			Config:      e.Config(partnerConfig(fabrikamTenant, fabrikamOnboarding)),
			ExpectError: acctest.ExpectError(`terraform import entragov_cross_tenant_access_partner.<name> ` + fabrikamTenant),
		}},
	})
}

// Every documented rule is checked at plan, with the attribute's path, before any request.
func TestAccCrossTenantAccessPartner_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	b2b := func(block, part, accessType, target, targetType string) string {
		return fmt.Sprintf("  %s = {\n    %s = { access_type = %q, targets = [{ target = %q, target_type = %q }] }\n  }\n", block, part, accessType, target, targetType)
	}
	var steps []resource.TestStep
	for _, c := range []struct{ tenant, body, want string }{
		{"fabrikam.com", "", `tenant_id`},
		{fabrikamTenant, b2b("b2b_collaboration_inbound", "users_and_groups", "allowed", "AllUsers", "group"),
			`b2b_collaboration_inbound.users_and_groups.targets\[0\].target_type.*the keyword AllUsers goes with target_type = "user"`},
		{fabrikamTenant, b2b("b2b_collaboration_inbound", "users_and_groups", "allowed", "AllApplications", "user"),
			`b2b_collaboration_inbound.users_and_groups.targets\[0\].target.*AllApplications is a keyword of applications`},
		{fabrikamTenant, b2b("b2b_direct_connect_inbound", "applications", "allowed", "Office365", "group"),
			`b2b_direct_connect_inbound.applications.targets\[0\].target_type.*applications target applications`},
		{fabrikamTenant, b2b("b2b_direct_connect_outbound", "users_and_groups", "blocked", salesGroup, "application"),
			`b2b_direct_connect_outbound.users_and_groups.targets\[0\].target_type.*put applications under applications`},
		{fabrikamTenant, b2b("b2b_collaboration_outbound", "applications", "allowed", "office365", "application"),
			`b2b_collaboration_outbound.applications.targets\[0\].target.*"Office365"`},
		{fabrikamTenant, b2b("tenant_restrictions", "applications", "allowed", "Teams", "application"),
			`tenant_restrictions.applications.targets\[0\].target.*neither an object id`},
		{fabrikamTenant, b2b("b2b_collaboration_inbound", "users_and_groups", "maybe", "AllUsers", "user"),
			`b2b_collaboration_inbound.users_and_groups.access_type`},
		{fabrikamTenant, b2b("b2b_collaboration_inbound", "users_and_groups", "allowed", salesGroup, "device"),
			`b2b_collaboration_inbound.users_and_groups.targets\[0\].target_type`},
		{fabrikamTenant, "  b2b_collaboration_inbound = {\n    users_and_groups = { access_type = \"allowed\", targets = [] }\n  }\n",
			`b2b_collaboration_inbound.users_and_groups.targets.*at least 1`},
		{fabrikamTenant, "  b2b_collaboration_inbound = {\n    users_and_groups = { access_type = \"allowed\", targets = [\n" +
			"      { target = \"" + salesGroup + "\", target_type = \"group\" },\n      { target = \"" + salesGroup + "\", target_type = \"group\" },\n    ] }\n  }\n",
			`Duplicate target.*b2b_collaboration_inbound.users_and_groups.targets\[1\].target.*is already targets\[0\]`},
	} {
		steps = append(steps, resource.TestStep{Config: e.Config(partnerConfig(c.tenant, c.body)), PlanOnly: true, ExpectError: acctest.ExpectError(c.want)})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
	noRequests(t, e)
}

// Terraform 1.12 and later: the configuration's identity is the partner's tenant id.
func TestAccCrossTenantAccessPartner_identity(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   acctest.IdentityVersionChecks,
		CheckDestroy:             checkPartnersDestroyed(e, t),
		Steps: []resource.TestStep{{
			Config:            e.Config(partnerConfig(fabrikamTenant, fabrikamOnboarding)),
			ConfigStateChecks: acctest.IdentityChecks(partnerAddress, map[string]knownvalue.Check{"tenant_id": knownvalue.StringExact(fabrikamTenant)}),
		}, acctest.ImportByIdentityStep(partnerAddress)},
	})
}
