package entitlement_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// Three policies of one package and one of another, in pages of two: one package's, with the resource,
// and a package without policies.
func TestAccAssignmentPolicyList_basic(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSmallPages)
	catalog := catalogOutsideTerraform(t, e, "Policies")
	pkg := func(name string) string {
		p, err := e.Client(t).CreateAccessPackage(acctest.Context(t), catalog, graph.AccessPackageCreate{DisplayName: e.Name(name)})
		if err != nil {
			t.Fatalf("creating access package %q: %v", name, err)
		}
		e.CreatedOutsideTerraform(1)
		return p.ID
	}
	sales, finance, empty := pkg("Sales"), pkg("Finance"), pkg("Empty")
	var direct acctest.IDCapture
	policy := func(name, pkg, duration string) string {
		return fmt.Sprintf(`
resource "entragov_assignment_policy" %[1]q {
  access_package_id = %[2]q
  display_name      = %[1]q
  expiration        = { type = "afterDuration", duration = %[3]q }
}
`, name, pkg, duration)
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   acctest.QueryVersionChecks,
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(policy("direct", sales, "P30D"), policy("contractors", sales, "P90D"),
				policy("interns", sales, "P14D"), policy("auditors", finance, "P7D")),
			ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureID("entragov_assignment_policy.direct", &direct)},
		}, {
			Query: true,
			Config: e.QueryConfig(fmt.Sprintf(`
list "entragov_assignment_policy" "sales" {
  provider         = entragov
  include_resource = true
  config {
    access_package_id = %q
  }
}

list "entragov_assignment_policy" "none" {
  provider = entragov
  config {
    access_package_id = %q
  }
}
`, sales, empty)),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("entragov_assignment_policy.sales", 3),
				querycheck.ExpectResourceDisplayName("entragov_assignment_policy.sales",
					queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": acctest.Captured(&direct)}),
					knownvalue.StringExact(e.Name("direct"))),
				querycheck.ExpectResourceKnownValues("entragov_assignment_policy.sales",
					queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": acctest.Captured(&direct)}),
					[]querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("access_package_id"), KnownValue: knownvalue.StringExact(sales)},
						{Path: tfjsonpath.New("expiration").AtMapKey("duration"), KnownValue: knownvalue.StringExact("P30D")},
					}),
				querycheck.ExpectLength("entragov_assignment_policy.none", 0),
			},
		}},
	})
}
