package policies_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
)

const collabDataAddress = "data.entragov_external_collaboration_settings.test"

// The data source reads what the tenant holds, also what changed outside Terraform.
func TestAccExternalCollaborationSettingsDataSource_basic(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	cfg := e.Config(`data "entragov_external_collaboration_settings" "test" {}`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(collabDataAddress, tfjsonpath.New("id"), knownvalue.StringExact("authorizationPolicy")),
				statecheck.ExpectKnownValue(collabDataAddress, tfjsonpath.New("allow_invites_from"), knownvalue.StringExact("everyone")),
				statecheck.ExpectKnownValue(collabDataAddress, tfjsonpath.New("guest_user_role_id"), knownvalue.StringExact("10dae51f-b6af-4016-8d66-8c2a99b929b3")),
				statecheck.ExpectKnownValue(collabDataAddress, tfjsonpath.New("default_user_role_permissions").AtMapKey("allowed_to_read_other_users"), knownvalue.Bool(true)),
			},
		}, {
			PreConfig: func() {
				if err := e.Server.ChangeObject(policyCollection, policyID, map[string]any{"allowInvitesFrom": "none", "guestUserRoleId": restrictedGuest}); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(collabDataAddress, tfjsonpath.New("allow_invites_from"), knownvalue.StringExact("none")),
				statecheck.ExpectKnownValue(collabDataAddress, tfjsonpath.New("guest_user_role_id"), knownvalue.StringExact(restrictedGuest)),
			},
		}},
	})
}
