package policies_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
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
	collabAddress = "entragov_external_collaboration_settings.test"
	// collabObject is the name e.ParallelExclusive holds in live mode: the tenant has one policy.
	collabObject = "authorization policy"

	// The local API's store names of the singleton (internal/emulator/policies).
	policyCollection = "authorizationPolicy"
	policyID         = "authorizationPolicy"

	restrictedGuest = "2af84b1e-32c8-42b7-82bc-daa82404023b"
)

func collabConfig(body string) string {
	return "resource \"entragov_external_collaboration_settings\" \"test\" {\n" + body + "\n}\n"
}

// partnerPosture is the example's posture: only admins and guest inviters invite, guests get the
// Restricted Guest User role, nobody joins by email verification.
const partnerPosture = `  allow_invites_from                              = "adminsAndGuestInviters"
  guest_user_role_id                              = "` + restrictedGuest + `"
  allow_email_verified_users_to_join_organization = false`

// checkDefaultsInStore is the CheckDestroy of the singleton: destroy writes the documented defaults back,
// read through the local API's control API (what the store holds, not what the provider believes).
func checkDefaultsInStore(e *acctest.Emulator) func(*terraform.State) error {
	return func(*terraform.State) error {
		obj, err := e.Server.GetObject(policyCollection, policyID)
		if err != nil {
			return err
		}
		want := map[string]any{
			"allowInvitesFrom": "everyone", "guestUserRoleId": graph.GuestRoleGuestUser,
			"allowEmailVerifiedUsersToJoinOrganization": true, "allowedToSignUpEmailBasedSubscriptions": true,
			"allowedToUseSSPR": true, "allowUserConsentForRiskyApps": false, "displayName": "Authorization Policy",
		}
		for k, v := range want {
			if obj[k] != v {
				return fmt.Errorf("destroy did not restore %s: %v, want %v", k, obj[k], v)
			}
		}
		perms, _ := obj["defaultUserRolePermissions"].(map[string]any)
		for _, k := range []string{"allowedToCreateApps", "allowedToCreateSecurityGroups", "allowedToCreateTenants", "allowedToReadBitlockerKeysForOwnedDevice", "allowedToReadOtherUsers"} {
			if perms[k] != true {
				return fmt.Errorf("destroy did not restore defaultUserRolePermissions.%s: %v", k, perms[k])
			}
		}
		return nil
	}
}

// checkDefaultsThroughGraph is checkDefaultsInStore through Graph itself, for tests that also run
// against a tenant (live mode).
func checkDefaultsThroughGraph(e *acctest.Emulator, t *testing.T) func(*terraform.State) error {
	return func(*terraform.State) error {
		p, err := e.Client(t).GetAuthorizationPolicy(context.Background())
		if err != nil {
			return err
		}
		d := p.DefaultUserRolePermissions
		if *p.AllowInvitesFrom != "everyone" || *p.GuestUserRoleID != graph.GuestRoleGuestUser || !*p.AllowEmailVerifiedUsersToJoinOrganization ||
			!*p.AllowedToSignUpEmailBasedSubscriptions || !*p.AllowedToUseSSPR || *p.AllowUserConsentForRiskyApps ||
			!*d.AllowedToCreateApps || !*d.AllowedToCreateSecurityGroups || !*d.AllowedToCreateTenants || !*d.AllowedToReadBitlockerKeysForOwnedDevice || !*d.AllowedToReadOtherUsers {
			got, _ := json.Marshal(p)
			return fmt.Errorf("destroy did not restore the defaults: Graph holds %s", got)
		}
		return nil
	}
}

// policyIs checks what Graph holds, through the provider's own client (works live too).
func policyIs(e *acctest.Emulator, t *testing.T, check func(*graph.AuthorizationPolicy) error) funcCheck {
	return func(ctx context.Context) error {
		p, err := e.Client(t).GetAuthorizationPolicy(ctx)
		if err != nil {
			return err
		}
		return check(p)
	}
}

func TestAccExternalCollaborationSettings_basic(t *testing.T) {
	e := acctest.NewEmulator(t)
	e.ParallelExclusive(t, collabObject)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDefaultsThroughGraph(e, t),
		Steps: []resource.TestStep{{
			Config: e.Config(collabConfig(partnerPosture)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(collabAddress, tfjsonpath.New("id"), knownvalue.StringExact("authorizationPolicy")),
				statecheck.ExpectKnownValue(collabAddress, tfjsonpath.New("allow_invites_from"), knownvalue.StringExact("adminsAndGuestInviters")),
				statecheck.ExpectKnownValue(collabAddress, tfjsonpath.New("guest_user_role_id"), knownvalue.StringExact(restrictedGuest)),
				statecheck.ExpectKnownValue(collabAddress, tfjsonpath.New("allow_email_verified_users_to_join_organization"), knownvalue.Bool(false)),
				// What the configuration leaves out is shown as Graph holds it.
				statecheck.ExpectKnownValue(collabAddress, tfjsonpath.New("allowed_to_use_sspr"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(collabAddress, tfjsonpath.New("default_user_role_permissions").AtMapKey("allowed_to_read_other_users"), knownvalue.Bool(true)),
				policyIs(e, t, func(p *graph.AuthorizationPolicy) error {
					if *p.AllowInvitesFrom != "adminsAndGuestInviters" || *p.GuestUserRoleID != restrictedGuest || *p.AllowEmailVerifiedUsersToJoinOrganization {
						return fmt.Errorf("Graph holds %s, %s, %v", *p.AllowInvitesFrom, *p.GuestUserRoleID, *p.AllowEmailVerifiedUsersToJoinOrganization)
					}
					return nil
				}),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			// A second apply of the same configuration changes nothing.
			Config: e.Config(collabConfig(partnerPosture)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}, {
			ResourceName: collabAddress, ImportState: true, ImportStateId: "authorizationPolicy", ImportStateVerify: true,
		}, {
			ResourceName: collabAddress, ImportState: true, ImportStateId: "external-collaboration-settings",
			ExpectError: acctest.ExpectError(`import them with the id "authorizationPolicy"`),
		}},
	})
}

func TestAccExternalCollaborationSettings_update(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	e.ParallelExclusive(t, collabObject)
	permissions := `
  default_user_role_permissions = {
    allowed_to_create_apps             = false
    allowed_to_create_tenants          = false
    permission_grant_policies_assigned = ["managePermissionGrantsForSelf.microsoft-user-default-low"]
  }`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDefaultsInStore(e),
		Steps: []resource.TestStep{{
			// Nothing set: the policy is taken over as it is, with no write.
			PreConfig: e.Server.ResetRequestCount,
			Config:    e.Config(collabConfig(``)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(collabAddress, tfjsonpath.New("allow_invites_from"), knownvalue.StringExact("everyone")),
				funcCheck(func(context.Context) error {
					if n := e.Server.RequestCount().ByRoute["PATCH /v1.0/policies/authorizationPolicy"]; n != 0 {
						return fmt.Errorf("an empty configuration sent %d PATCH requests", n)
					}
					return nil
				}),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			Config: e.Config(collabConfig(partnerPosture + `
  allowed_to_use_sspr   = false
  block_msol_powershell = true` + permissions)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(collabAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(collabAddress, tfjsonpath.New("block_msol_powershell"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(collabAddress, tfjsonpath.New("default_user_role_permissions").AtMapKey("permission_grant_policies_assigned"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("managePermissionGrantsForSelf.microsoft-user-default-low")})),
				policyIs(e, t, func(p *graph.AuthorizationPolicy) error {
					d := p.DefaultUserRolePermissions
					// Members the configuration leaves out keep the tenant's values.
					if *p.AllowedToUseSSPR || *d.AllowedToCreateApps || *d.AllowedToCreateTenants || !*d.AllowedToCreateSecurityGroups || !*d.AllowedToReadOtherUsers {
						return fmt.Errorf("Graph holds %+v %+v", p, d)
					}
					return nil
				}),
			},
		}, {
			// An empty consent list turns user consent off.
			Config: e.Config(collabConfig(partnerPosture + `
  default_user_role_permissions = { permission_grant_policies_assigned = [] }`)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(collabAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(collabAddress, tfjsonpath.New("default_user_role_permissions").AtMapKey("permission_grant_policies_assigned"), knownvalue.SetSizeExact(0)),
				// Left out now, the earlier values stay in Graph and in state.
				statecheck.ExpectKnownValue(collabAddress, tfjsonpath.New("default_user_role_permissions").AtMapKey("allowed_to_create_apps"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(collabAddress, tfjsonpath.New("allowed_to_use_sspr"), knownvalue.Bool(false)),
			},
		}},
	})
}

// Out-of-band changes: a configured value changed in the tenant is planned back; one the configuration
// leaves out is followed; a policy back at its defaults (the store document deleted: the local API
// writes the defaults again) is drift on every configured value.
func TestAccExternalCollaborationSettings_drift(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	e.ParallelExclusive(t, collabObject)
	cfg := e.Config(collabConfig(partnerPosture))
	invites := tfjsonpath.New("allow_invites_from")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkDefaultsInStore(e),
		Steps: []resource.TestStep{{
			Config: cfg,
		}, {
			PreConfig: func() {
				if err := e.Server.ChangeObject(policyCollection, policyID, map[string]any{"allowInvitesFrom": "everyone", "allowedToUseSSPR": false}); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(collabAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(collabAddress, invites, knownvalue.StringExact("adminsAndGuestInviters")),
					plancheck.ExpectKnownValue(collabAddress, tfjsonpath.New("allowed_to_use_sspr"), knownvalue.Bool(false)),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				funcCheck(func(context.Context) error {
					obj, err := e.Server.GetObject(policyCollection, policyID)
					if err != nil {
						return err
					}
					if obj["allowInvitesFrom"] != "adminsAndGuestInviters" || obj["allowedToUseSSPR"] != false {
						return fmt.Errorf("after the apply the store holds %v / %v", obj["allowInvitesFrom"], obj["allowedToUseSSPR"])
					}
					return nil
				}),
			},
		}, {
			PreConfig: func() {
				if err := e.Server.DeleteObject(policyCollection, policyID); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(collabAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(collabAddress, tfjsonpath.New("guest_user_role_id"), knownvalue.StringExact(restrictedGuest)),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	})
}

func TestAccExternalCollaborationSettings_invalid(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var steps []resource.TestStep
	for body, want := range map[string]string{
		`allow_invites_from = "adminsOnly"`:                               `(?s)allow_invites_from.*value must be one of:.*"none".*"adminsAndGuestInviters".*"adminsGuestInvitersAndAllMembers".*"everyone"`,
		`allow_invites_from = "unknownFutureValue"`:                       `allow_invites_from`,
		`guest_user_role_id = "62e90394-69f5-4237-9190-012177145e10"`:     `(?s)guest_user_role_id.*value must be one of`,
		`guest_user_role_id = "` + strings.ToUpper(restrictedGuest) + `"`: `guest_user_role_id`,
		`display_name = ""`: `display_name`,
		`default_user_role_permissions = { permission_grant_policies_assigned = ["microsoft-user-default-low"] }`: `must be managePermissionGrantsForSelf`,
	} {
		steps = append(steps, resource.TestStep{Config: e.Config(collabConfig(body)), PlanOnly: true, ExpectError: acctest.ExpectError(want)})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}

// Terraform 1.12 and later: the settings' identity is the tenant, and an import block can name them by
// identity; another tenant's settings are refused.
func TestAccExternalCollaborationSettings_identity(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	e.ParallelExclusive(t, collabObject)
	cfg := e.Config(collabConfig(partnerPosture))
	importBlock := func(identity string) resource.TestStep {
		return resource.TestStep{
			ResourceName: collabAddress, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity, ImportStateConfigExact: true,
			Config: cfg + fmt.Sprintf("\nimport {\n  to       = %s\n  identity = %s\n}\n", collabAddress, identity),
		}
	}
	wrongTenant := importBlock(`{ tenant_id = "00000000-0000-0000-0000-000000000001" }`)
	wrongTenant.ExpectError = acctest.ExpectError(`cannot import the settings of tenant "00000000-0000-0000-0000-000000000001"`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   acctest.IdentityVersionChecks,
		CheckDestroy:             checkDefaultsInStore(e),
		Steps: []resource.TestStep{{
			Config:            cfg,
			ConfigStateChecks: acctest.IdentityChecks(collabAddress, map[string]knownvalue.Check{"tenant_id": knownvalue.StringExact(e.TenantID())}),
		}, acctest.ImportByIdentityStep(collabAddress), importBlock("{}"), wrongTenant},
	})
}

// The restore body is the documented defaults and leaves out what has none.
func TestExternalCollaborationSettingsDefaults(t *testing.T) {
	d := graph.DefaultAuthorizationPolicy()
	if d.BlockMsolPowerShell != nil || d.DefaultUserRolePermissions.PermissionGrantPoliciesAssigned != nil {
		t.Errorf("restore writes values with no documented default: %+v", d)
	}
	if !reflect.DeepEqual(*d.AllowInvitesFrom, "everyone") || *d.AllowUserConsentForRiskyApps {
		t.Errorf("documented defaults: %+v", d)
	}
}
