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

// A mutual incompatibility cannot be written with the packages' own attribute (each would refer to the
// other); two link resources express it without a cycle.
func TestAccAccessPackageIncompatibility_mutual(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	var buyer, approver acctest.IDCapture
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			pkgs, err := e.Server.ListObjects("accessPackages")
			if err != nil {
				return err
			}
			if len(pkgs) != 0 {
				return fmt.Errorf("%d access packages left", len(pkgs))
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: e.Config(testAccIncompatibilityConfig),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID("entragov_access_package.buyer", &buyer),
				acctest.CaptureID("entragov_access_package.approver", &approver),
				statecheck.ExpectKnownValue("entragov_access_package_incompatibility.buyer_approver", tfjsonpath.New("id"), knownvalue.StringRegexp(linkIDPattern)),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			// Both packages see the other as incompatible.
			Config: e.Config(testAccIncompatibilityConfig, `
data "entragov_access_package" "buyer" {
  id         = entragov_access_package.buyer.id
  depends_on = [entragov_access_package_incompatibility.buyer_approver, entragov_access_package_incompatibility.approver_buyer]
}

data "entragov_access_package" "approver" {
  id         = entragov_access_package.approver.id
  depends_on = [entragov_access_package_incompatibility.buyer_approver, entragov_access_package_incompatibility.approver_buyer]
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValueCollection("data.entragov_access_package.buyer", []tfjsonpath.Path{tfjsonpath.New("incompatible_access_package_ids")}, "entragov_access_package.approver", tfjsonpath.New("id"), compareEqual),
				statecheck.CompareValueCollection("data.entragov_access_package.approver", []tfjsonpath.Path{tfjsonpath.New("incompatible_access_package_ids")}, "entragov_access_package.buyer", tfjsonpath.New("id"), compareEqual),
			},
		}, {
			ResourceName: "entragov_access_package_incompatibility.buyer_approver", ImportState: true, ImportStateVerify: true,
		}, {
			// A link removed outside Terraform is planned back.
			PreConfig: func() {
				if err := e.Server.RemoveLink(emulator.LinkIncompatibleAccessPackages, buyer.Value, approver.Value); err != nil {
					t.Fatal(err)
				}
			},
			Config: e.Config(testAccIncompatibilityConfig),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("entragov_access_package_incompatibility.buyer_approver", plancheck.ResourceActionCreate),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}},
	})
}

func TestAccAccessPackageIncompatibility_selfRejectedAtPlan(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(`
resource "entragov_access_package_incompatibility" "self" {
  access_package_id              = "5eed0002-0000-4000-8000-000000000001"
  incompatible_access_package_id = "5EED0002-0000-4000-8000-000000000001"
}
`),
			PlanOnly:    true,
			ExpectError: acctest.ExpectError(`A package cannot exclude itself`),
		}},
	})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}

const testAccIncompatibilityConfig = `
resource "entragov_catalog" "test" {
  display_name = "Procurement"
}

resource "entragov_access_package" "buyer" {
  catalog_id   = entragov_catalog.test.id
  display_name = "Buyer"
}

resource "entragov_access_package" "approver" {
  catalog_id   = entragov_catalog.test.id
  display_name = "Invoice approver"
}

resource "entragov_access_package_incompatibility" "buyer_approver" {
  access_package_id              = entragov_access_package.buyer.id
  incompatible_access_package_id = entragov_access_package.approver.id
}

resource "entragov_access_package_incompatibility" "approver_buyer" {
  access_package_id              = entragov_access_package.approver.id
  incompatible_access_package_id = entragov_access_package.buyer.id
}
`

// Terraform 1.12 and later: an incompatibility's identity is its two access packages, and an import block
// can name it by identity; an identity that is not two GUIDs is refused.
func TestAccAccessPackageIncompatibility_identity(t *testing.T) {
	e := acctest.NewEmulator(t)
	address := "entragov_access_package_incompatibility.buyer_approver"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   acctest.IdentityVersionChecks,
		Steps: []resource.TestStep{{
			Config: e.Config(testAccIncompatibilityConfig),
			ConfigStateChecks: append(acctest.IdentityChecks(address, map[string]knownvalue.Check{
				"access_package_id":              knownvalue.StringRegexp(guidPattern),
				"incompatible_access_package_id": knownvalue.StringRegexp(guidPattern),
			}, "access_package_id", "incompatible_access_package_id"),
				statecheck.CompareValuePairs(address, tfjsonpath.New("access_package_id"), "entragov_access_package.buyer", tfjsonpath.New("id"), compareEqual)),
		}, acctest.ImportByIdentityStep(address), {
			ResourceName: address, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity, ImportStateConfigExact: true,
			Config: e.Config(testAccIncompatibilityConfig, `
import {
  to = entragov_access_package_incompatibility.buyer_approver
  identity = {
    access_package_id              = "buyer"
    incompatible_access_package_id = entragov_access_package.approver.id
  }
}
`),
			ExpectError: acctest.ExpectError(`Expected <access_package_id>/<incompatible_access_package_id> \(two GUIDs\); got "buyer/`),
		}},
	})
}
