package entitlement_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

const catalogListConfig = `
resource "entragov_catalog" "sales" {
  display_name = "Sales"
}

resource "entragov_catalog" "sales_draft" {
  display_name = "Sales drafts"
  description  = "Not yet open"
  state        = "unpublished"
}

resource "entragov_catalog" "finance" {
  display_name       = "Finance"
  description        = "Finance resources"
  externally_visible = false
}
`

// Several catalogs, listed whole, by exact name, by name and state, with the resource, and none.
func TestAccCatalogList_basic(t *testing.T) {
	e := acctest.NewEmulator(t)
	var sales, draft, finance acctest.IDCapture
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   acctest.QueryVersionChecks,
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(catalogListConfig),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID("entragov_catalog.sales", &sales),
				acctest.CaptureID("entragov_catalog.sales_draft", &draft),
				acctest.CaptureID("entragov_catalog.finance", &finance),
			},
		}, {
			Query: true,
			Config: e.QueryConfig(`
list "entragov_catalog" "all" {
  provider = entragov
}

list "entragov_catalog" "sales" {
  provider = entragov
  config {
    display_name = "Sales"
  }
}

list "entragov_catalog" "sales_unpublished" {
  provider = entragov
  config {
    display_name = "Sales"
    state        = "unpublished"
  }
}

list "entragov_catalog" "drafts_unpublished" {
  provider = entragov
  config {
    display_name = "Sales drafts"
    state        = "unpublished"
  }
}

list "entragov_catalog" "finance" {
  provider         = entragov
  include_resource = true
  config {
    display_name = "Finance"
  }
}

list "entragov_catalog" "none" {
  provider = entragov
  config {
    display_name = "Nobody has this catalog"
  }
}
`),
			QueryResultChecks: []querycheck.QueryResultCheck{
				// The tenant's built-in General catalog is listed too.
				querycheck.ExpectLengthAtLeast("entragov_catalog.all", 4),
				querycheck.ExpectIdentity("entragov_catalog.all", map[string]knownvalue.Check{"id": acctest.Captured(&sales)}),
				querycheck.ExpectIdentity("entragov_catalog.all", map[string]knownvalue.Check{"id": acctest.Captured(&draft)}),
				querycheck.ExpectIdentity("entragov_catalog.all", map[string]knownvalue.Check{"id": acctest.Captured(&finance)}),
				querycheck.ExpectLength("entragov_catalog.sales", 1),
				querycheck.ExpectResourceDisplayName("entragov_catalog.sales",
					queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": acctest.Captured(&sales)}),
					knownvalue.StringExact(e.Name("Sales"))),
				querycheck.ExpectLength("entragov_catalog.sales_unpublished", 0),
				querycheck.ExpectLength("entragov_catalog.drafts_unpublished", 1),
				querycheck.ExpectIdentity("entragov_catalog.drafts_unpublished", map[string]knownvalue.Check{"id": acctest.Captured(&draft)}),
				querycheck.ExpectLength("entragov_catalog.finance", 1),
				querycheck.ExpectResourceKnownValues("entragov_catalog.finance",
					queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": acctest.Captured(&finance)}),
					[]querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("id"), KnownValue: acctest.Captured(&finance)},
						{Path: tfjsonpath.New("display_name"), KnownValue: knownvalue.StringExact(e.Name("Finance"))},
						{Path: tfjsonpath.New("description"), KnownValue: knownvalue.StringExact("Finance resources")},
						{Path: tfjsonpath.New("state"), KnownValue: knownvalue.StringExact("published")},
						{Path: tfjsonpath.New("externally_visible"), KnownValue: knownvalue.Bool(false)},
						{Path: tfjsonpath.New("catalog_type"), KnownValue: knownvalue.StringExact("userManaged")},
						{Path: tfjsonpath.New("created_date_time"), KnownValue: knownvalue.StringRegexp(timestampPattern)},
					}),
				querycheck.ExpectLength("entragov_catalog.none", 0),
			},
		}},
	})
}

// Five catalogs and the General one in pages of two: every page is followed, and a limit stops paging
// once reached: 3 pages for the whole list, 2 for the first 3.
func TestAccCatalogList_paging(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsSmallPages, acctest.NeedsControl)
	pages := listRequests{e: e, route: "GET /v1.0/identityGovernance/entitlementManagement/catalogs"}
	config := ""
	for i := range 5 {
		config += fmt.Sprintf("resource \"entragov_catalog\" \"c%d\" {\n  display_name = \"Paged %d\"\n}\n", i, i)
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   acctest.QueryVersionChecks,
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.Config(config),
		}, {
			PreConfig: pages.start,
			Query:     true,
			Config: e.QueryConfig(`
list "entragov_catalog" "all" {
  provider = entragov
}

list "entragov_catalog" "three" {
  provider = entragov
  limit    = 3
}
`),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength("entragov_catalog.all", 6),
				querycheck.ExpectResourceDisplayName("entragov_catalog.all",
					queryfilter.ByDisplayName(knownvalue.StringExact("Paged 4")), knownvalue.StringExact("Paged 4")),
				querycheck.ExpectLength("entragov_catalog.three", 3),
				pages.expect(5),
			},
		}},
	})
}

// A state Graph does not have is refused with the attribute's path before any request.
func TestAccCatalogList_invalidState(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   acctest.QueryVersionChecks,
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Query: true,
			Config: e.Config(`
list "entragov_catalog" "bad" {
  provider = entragov
  config {
    state = "archived"
  }
}
`),
			ExpectError: acctest.ExpectError(`Attribute state value must be one of`),
		}},
	})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("an invalid list block reached the API: %d Graph requests", n)
	}
}

// listRequests counts the requests of one collection route from start, for a query check.
type listRequests struct {
	e     *acctest.Emulator
	route string
	base  int
}

// start also switches the local API's injected faults off (make testfaults): a retried page would count twice.
func (l *listRequests) start() {
	l.e.Server.SetFaults(emulator.Faults{})
	l.base = l.e.Server.RequestCount().ByRoute[l.route]
}

func (l *listRequests) expect(want int) querycheck.QueryResultCheck {
	return listRequestsCheck{l: l, want: want}
}

type listRequestsCheck struct {
	l    *listRequests
	want int
}

func (c listRequestsCheck) CheckQuery(_ context.Context, _ querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	if got := c.l.e.Server.RequestCount().ByRoute[c.l.route] - c.l.base; got != c.want {
		resp.Error = fmt.Errorf("%s: %d requests, want %d", c.l.route, got, c.want)
	}
}

// catalogOutsideTerraform creates a catalog through Graph, as an administrator in the portal would, so that
// its id is known when the test's configurations are written.
func catalogOutsideTerraform(t *testing.T, e *acctest.Emulator, name string) string {
	t.Helper()
	c, err := e.Client(t).CreateCatalog(acctest.Context(t), graph.CatalogCreate{DisplayName: e.Name(name)})
	if err != nil {
		t.Fatalf("creating catalog %q: %v", name, err)
	}
	e.CreatedOutsideTerraform(1)
	return c.ID
}
