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
)

const (
	defaultAddress = "entragov_cross_tenant_access_default.test"
	defaultColl    = "crossTenantAccessDefault"
	defaultImport  = "cross-tenant-access-default"
)

func defaultConfig(body string) string {
	return "resource \"entragov_cross_tenant_access_default\" \"test\" {\n" + body + "\n}\n"
}

func defaultDoc(e *acctest.Emulator) map[string]any {
	doc, err := e.Server.GetObject(defaultColl, "default")
	if err != nil {
		return nil
	}
	return doc
}

// checkDefaultIsSystemDefault is the singleton's CheckDestroy: destroy resets the configuration to
// the system default, read back through the control API.
func checkDefaultIsSystemDefault(e *acctest.Emulator) func(*terraform.State) error {
	return func(*terraform.State) error {
		doc := defaultDoc(e)
		if doc["isServiceDefault"] != true || path(doc, "b2bCollaborationOutbound", "usersAndGroups", "accessType") != "allowed" ||
			path(doc, "inboundTrust", "isMfaAccepted") != false || path(doc, "b2bDirectConnectInbound", "applications", "accessType") != "blocked" {
			return fmt.Errorf("destroy did not reset the system default: %v", doc)
		}
		return nil
	}
}

// Block outbound B2B collaboration for a group (the reference's example) and trust MFA of every tenant.
const blockSalesOutbound = `
  b2b_collaboration_outbound = {
    users_and_groups = { access_type = "blocked", targets = [{ target = "0be493dc-cb56-4a53-936f-9cf64410b8b0", target_type = "group" }] }
    applications     = { access_type = "blocked", targets = [{ target = "AllApplications", target_type = "application" }] }
  }
  inbound_trust = { mfa_accepted = true, compliant_device_accepted = false, hybrid_azure_ad_joined_device_accepted = false }
`

func TestAccCrossTenantAccessDefault_basic(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	e.ParallelExclusive(t, "cross-tenant access default")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDefaultIsSystemDefault(e),
		Steps: []resource.TestStep{{
			Config: e.Config(defaultConfig(blockSalesOutbound)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(defaultAddress, tfjsonpath.New("id"), knownvalue.StringExact(defaultImport)),
				statecheck.ExpectKnownValue(defaultAddress, tfjsonpath.New("service_default"), knownvalue.Bool(false)),
				// Left out: Graph's (system default) values are in state.
				statecheck.ExpectKnownValue(defaultAddress, tfjsonpath.New("b2b_direct_connect_inbound").AtMapKey("users_and_groups").AtMapKey("access_type"), knownvalue.StringExact("blocked")),
				statecheck.ExpectKnownValue(defaultAddress, tfjsonpath.New("automatic_user_consent_settings").AtMapKey("inbound_allowed"), knownvalue.Bool(false)),
				funcCheck(func(context.Context) error {
					doc := defaultDoc(e)
					if path(doc, "b2bCollaborationOutbound", "usersAndGroups", "accessType") != "blocked" || path(doc, "inboundTrust", "isMfaAccepted") != true {
						return fmt.Errorf("Graph holds %v", doc)
					}
					return nil
				}),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			ResourceName: defaultAddress, ImportState: true, ImportStateId: defaultImport, ImportStateVerify: true,
		}},
	})
}

// Settings change in place; a block dropped from the configuration keeps Graph's value.
func TestAccCrossTenantAccessDefault_update(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	e.ParallelExclusive(t, "cross-tenant access default")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDefaultIsSystemDefault(e),
		Steps: []resource.TestStep{{
			Config: e.Config(defaultConfig(blockSalesOutbound)),
		}, {
			Config: e.Config(defaultConfig(`
  inbound_trust = { mfa_accepted = true, compliant_device_accepted = true, hybrid_azure_ad_joined_device_accepted = false }
  tenant_restrictions = {
    users_and_groups = { access_type = "allowed", targets = [{ target = "AllUsers", target_type = "user" }] }
    applications     = { access_type = "allowed", targets = [{ target = "Office365", target_type = "application" }] }
  }
  invitation_redemption_identity_provider_configuration = {
    primary_identity_provider_precedence_order = ["externalFederation", "azureActiveDirectory", "socialIdentityProviders"]
    fallback_identity_provider                 = "emailOneTimePasscode"
  }
`)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(defaultAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{funcCheck(func(context.Context) error {
				doc := defaultDoc(e)
				if path(doc, "b2bCollaborationOutbound", "usersAndGroups", "accessType") != "blocked" ||
					path(doc, "inboundTrust", "isCompliantDeviceAccepted") != true ||
					path(doc, "tenantRestrictions", "applications", "accessType") != "allowed" ||
					path(doc, "invitationRedemptionIdentityProviderConfiguration", "fallbackIdentityProvider") != "emailOneTimePasscode" {
					return fmt.Errorf("Graph holds %v", doc)
				}
				return nil
			})},
		}, {
			ResourceName: defaultAddress, ImportState: true, ImportStateId: defaultImport, ImportStateVerify: true,
		}},
	})
}

// A change made outside Terraform to a configured block is planned back; an unmanaged block follows Graph.
func TestAccCrossTenantAccessDefault_drift(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	e.ParallelExclusive(t, "cross-tenant access default")
	cfg := e.Config(defaultConfig(blockSalesOutbound))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDefaultIsSystemDefault(e),
		Steps: []resource.TestStep{{
			Config: cfg,
		}, {
			PreConfig: func() {
				if err := e.Server.ChangeObject(defaultColl, "default", map[string]any{
					"inboundTrust": map[string]any{"isMfaAccepted": false},
				}); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(defaultAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(defaultAddress, tfjsonpath.New("inbound_trust").AtMapKey("mfa_accepted"), knownvalue.Bool(true)),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{funcCheck(func(context.Context) error {
				if doc := defaultDoc(e); path(doc, "inboundTrust", "isMfaAccepted") != true {
					return fmt.Errorf("drift not reverted: %v", doc)
				}
				return nil
			})},
		}, {
			// Reset outside Terraform: the configured blocks are planned back.
			PreConfig: func() {
				if err := e.Client(t).ResetCrossTenantAccessDefault(context.Background()); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(defaultAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(defaultAddress, tfjsonpath.New("b2b_collaboration_outbound").AtMapKey("users_and_groups").AtMapKey("access_type"), knownvalue.StringExact("blocked")),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	})
}

func TestAccCrossTenantAccessDefault_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var steps []resource.TestStep
	for _, c := range []struct{ body, want string }{
		{`b2b_collaboration_inbound = {
    users_and_groups = { access_type = "allowed", targets = [{ target = "AllUsers", target_type = "user" }] }
  }`, `attribute "applications" is required`},
		{`b2b_direct_connect_inbound = {
    users_and_groups = { access_type = "allowed", targets = [{ target = "AllUsers", target_type = "user" }] }
    applications     = { access_type = "allowed", targets = [{ target = "AllUsers", target_type = "user" }] }
  }`, `b2b_direct_connect_inbound.applications.targets\[0\].target_type.*applications target applications`},
		{`inbound_trust = { mfa_accepted = true }`, `inbound_trust`},
		{`invitation_redemption_identity_provider_configuration = {
    primary_identity_provider_precedence_order = ["azureActiveDirectory", "microsoftAccount"]
    fallback_identity_provider                 = "emailOneTimePasscode"
  }`, `invitation_redemption_identity_provider_configuration.primary_identity_provider_precedence_order\[1\].*"microsoftAccount"`},
		{`invitation_redemption_identity_provider_configuration = {
    primary_identity_provider_precedence_order = ["azureActiveDirectory"]
    fallback_identity_provider                 = "socialIdentityProviders"
  }`, `invitation_redemption_identity_provider_configuration.fallback_identity_provider`},
		{`automatic_user_consent_settings = { inbound_allowed = true, outbound_allowed = false }`, `automatic_user_consent_settings`},
	} {
		steps = append(steps, resource.TestStep{Config: e.Config(defaultConfig(c.body)), PlanOnly: true, ExpectError: acctest.ExpectError(c.want)})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
	noRequests(t, e)
}

// Terraform 1.12 and later: the default configuration's identity is the tenant.
func TestAccCrossTenantAccessDefault_identity(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	e.ParallelExclusive(t, "cross-tenant access default")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   acctest.IdentityVersionChecks,
		CheckDestroy:             checkDefaultIsSystemDefault(e),
		Steps: []resource.TestStep{{
			Config:            e.Config(defaultConfig(blockSalesOutbound)),
			ConfigStateChecks: acctest.IdentityChecks(defaultAddress, map[string]knownvalue.Check{"tenant_id": knownvalue.StringExact(e.TenantID())}),
		}, acctest.ImportByIdentityStep(defaultAddress)},
	})
}
