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
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

const orgAddress = "entragov_connected_organization.test"

func checkNoConnectedOrganizationsLeft(e *acctest.Emulator) func(*terraform.State) error {
	return func(*terraform.State) error {
		left, err := e.Server.ListObjects("connectedOrganizations")
		if err != nil {
			return err
		}
		if len(left) > 0 {
			return fmt.Errorf("%d connected organizations left after destroy", len(left))
		}
		return nil
	}
}

func connectedOrgConfig(name, state, source, internal, external string) string {
	return fmt.Sprintf(`
resource "entragov_connected_organization" "test" {
  display_name         = %q
  description          = "Design agency"
  state                = %q
  identity_sources     = [%s]
  internal_sponsor_ids = [%s]
  external_sponsor_ids = [%s]
}
`, name, state, source, internal, external)
}

const fabrikamDomain = `{ type = "domainIdentitySource", domain_name = "fabrikam.com", display_name = "Fabrikam" }`

func TestAccConnectedOrganization_basicAndUpdate(t *testing.T) {
	e := acctest.NewEmulator(t)
	var id acctest.IDCapture
	q := func(ids ...string) string {
		out := ""
		for i, s := range ids {
			if i > 0 {
				out += ", "
			}
			out += fmt.Sprintf("%q", s)
		}
		return out
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoConnectedOrganizationsLeft(e),
		Steps: []resource.TestStep{{
			Config: e.Config(connectedOrgConfig("Fabrikam", "configured", fabrikamDomain,
				q(emulator.SeedUserAdeleID, emulator.SeedGroupSalesID), q(emulator.SeedGuestBenID))),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID(orgAddress, &id),
				statecheck.ExpectKnownValue(orgAddress, tfjsonpath.New("internal_sponsor_ids"), knownvalue.SetExact([]knownvalue.Check{
					knownvalue.StringExact(emulator.SeedUserAdeleID), knownvalue.StringExact(emulator.SeedGroupSalesID),
				})),
				statecheck.ExpectKnownValue(orgAddress, tfjsonpath.New("identity_sources").AtSliceIndex(0).AtMapKey("domain_name"), knownvalue.StringExact("fabrikam.com")),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			ResourceName: orgAddress, ImportState: true, ImportStateVerify: true,
		}, {
			// Rename, propose, move to the partner's tenant and change sponsors, all in place.
			Config: e.Config(connectedOrgConfig("Fabrikam Ltd", "proposed",
				`{ type = "azureActiveDirectoryTenant", tenant_id = "8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b", display_name = "Fabrikam" }`,
				q(emulator.SeedUserPattiID), q(emulator.SeedGuestBenID, emulator.SeedGuestCarlaID))),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orgAddress, plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				sameID(orgAddress, &id),
				statecheck.ExpectKnownValue(orgAddress, tfjsonpath.New("state"), knownvalue.StringExact("proposed")),
				statecheck.ExpectKnownValue(orgAddress, tfjsonpath.New("internal_sponsor_ids"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(emulator.SeedUserPattiID)})),
				statecheck.ExpectKnownValue(orgAddress, tfjsonpath.New("external_sponsor_ids"), knownvalue.SetSizeExact(2)),
			},
		}},
	})
}

func TestAccConnectedOrganization_driftAndDisappears(t *testing.T) {
	e := acctest.NewEmulator(t)
	var id acctest.IDCapture
	cfg := e.Config(connectedOrgConfig("Fabrikam", "configured", fabrikamDomain, fmt.Sprintf("%q", emulator.SeedUserAdeleID), ""))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoConnectedOrganizationsLeft(e),
		Steps: []resource.TestStep{{
			Config:            cfg,
			ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID(orgAddress, &id)},
		}, {
			// A sponsor added and the name changed in the portal are planned away.
			PreConfig: func() {
				if err := e.Server.AddSponsor(id.Value, "internalSponsors", emulator.SeedUserLynneID); err != nil {
					t.Fatal(err)
				}
				if err := e.Server.ChangeObject("connectedOrganizations", id.Value, map[string]any{"displayName": "Fabrikam (renamed)"}); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(orgAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(orgAddress, tfjsonpath.New("internal_sponsor_ids"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(emulator.SeedUserAdeleID)})),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}, {
			PreConfig: func() {
				if err := e.Server.DeleteObject("connectedOrganizations", id.Value); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orgAddress, plancheck.ResourceActionCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	})
}

func TestAccConnectedOrganization_invalid(t *testing.T) {
	e := acctest.NewEmulator(t)
	var steps []resource.TestStep
	for _, tc := range []struct{ source, want string }{
		{`{ type = "domainIdentitySource", display_name = "Fabrikam" }`, `type "domainIdentitySource" needs domain_name`},
		{`{ type = "domainIdentitySource", domain_name = "fabrikam", display_name = "Fabrikam" }`, `Invalid domain name`},
		{`{ type = "domainIdentitySource", domain_name = "fabrikam.com", tenant_id = "8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b", display_name = "F" }`, `tenant_id is not used by type "domainIdentitySource"`},
		{`{ type = "azureActiveDirectoryTenant", tenant_id = "fabrikam.com", display_name = "F" }`, `Invalid object id`},
		{`{ type = "externalDomainFederation", domain_name = "fabrikam.com", issuer_uri = "not a uri", display_name = "F" }`, `Invalid issuer URI`},
		{`{ type = "crossCloudAzureActiveDirectoryTenant", tenant_id = "8e3f1c2a-4b5d-4e6f-9a7b-0c1d2e3f4a5b", display_name = "F" }`, `needs cloud_instance`},
		{`{ type = "socialIdentitySource", display_name = "F", social_identity_source_type = "myspace" }`, `social_identity_source_type value must be one of`},
		{`{ type = "ldap", display_name = "F" }`, `type value must be one of`},
		{fabrikamDomain + `, { type = "domainIdentitySource", domain_name = "fabrikam.net", display_name = "F" }`, `identity_sources list must contain at least 1 elements and at most 1`},
	} {
		steps = append(steps, resource.TestStep{
			Config:      e.Config(connectedOrgConfig("Fabrikam", "configured", tc.source, "", "")),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(tc.want),
		})
	}
	steps = append(steps, resource.TestStep{
		Config:      e.Config(connectedOrgConfig("Fabrikam", "active", fabrikamDomain, "", "")),
		PlanOnly:    true,
		ExpectError: acctest.ExpectError(`state value must be one of`),
	}, resource.TestStep{
		Config:      e.Config(connectedOrgConfig("Fabrikam", "configured", fabrikamDomain, `"adele"`, "")),
		PlanOnly:    true,
		ExpectError: acctest.ExpectError(`Invalid object id`),
	})
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories, Steps: steps})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}

func TestAccConnectedOrganizationDataSource(t *testing.T) {
	e := acctest.NewEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(connectedOrgConfig("Fabrikam", "configured", fabrikamDomain, fmt.Sprintf("%q", emulator.SeedUserAdeleID), ""), `
data "entragov_connected_organization" "by_domain" {
  domain     = "FABRIKAM.com"
  depends_on = [entragov_connected_organization.test]
}

data "entragov_connected_organization" "by_name" {
  display_name = entragov_connected_organization.test.display_name
}

data "entragov_connected_organization" "by_id" {
  id = entragov_connected_organization.test.id
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs("data.entragov_connected_organization.by_domain", tfjsonpath.New("id"), orgAddress, tfjsonpath.New("id"), compareEqual),
				statecheck.CompareValuePairs("data.entragov_connected_organization.by_name", tfjsonpath.New("id"), orgAddress, tfjsonpath.New("id"), compareEqual),
				statecheck.ExpectKnownValue("data.entragov_connected_organization.by_id", tfjsonpath.New("domain"), knownvalue.StringExact("fabrikam.com")),
				statecheck.ExpectKnownValue("data.entragov_connected_organization.by_id", tfjsonpath.New("internal_sponsor_ids"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(emulator.SeedUserAdeleID)})),
			},
		}, {
			Config: e.Config(`
data "entragov_connected_organization" "missing" {
  domain = "contoso.example"
}
`),
			ExpectError: acctest.ExpectError(`No connected organization has an identity source with the domain "contoso.example"`),
		}},
	})
}
