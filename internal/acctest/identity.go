package acctest

import (
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// IdentityVersionChecks skip a test of resource identity below Terraform 1.12, which has none.
var IdentityVersionChecks = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

// IdentityChecks check the identity of the resource at address: want holds every identity attribute (an
// attribute more or less fails), and each attribute named in fromState equals the state attribute of the
// same name.
func IdentityChecks(address string, want map[string]knownvalue.Check, fromState ...string) []statecheck.StateCheck {
	checks := []statecheck.StateCheck{statecheck.ExpectIdentity(address, want)}
	for _, name := range fromState {
		checks = append(checks, statecheck.ExpectIdentityValueMatchesState(address, tfjsonpath.New(name)))
	}
	return checks
}

// ImportByIdentityStep imports the resource at address into a fresh state through an import block that
// names it by the identity it has in state: the plan must import it with no change and the same identity.
func ImportByIdentityStep(address string) resource.TestStep {
	return resource.TestStep{
		ResourceName:    address,
		ImportState:     true,
		ImportStateKind: resource.ImportBlockWithResourceIdentity,
	}
}

// TenantID is the tenant the provider signs in to in this test: the local API's, or the live tenant.
func (e *Emulator) TenantID() string {
	if e.live != nil {
		return e.live.tenantID
	}
	return emulator.DefaultTenantID
}
