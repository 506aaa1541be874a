package entitlement_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// bulkObjects is how many access packages, each with one assignment policy, the bulk refresh tests manage.
const bulkObjects = 20

// bulkRefreshConfig is a catalog with bulkObjects access packages, each with an assignment policy; extra
// goes into the provider block (bulk_refresh = false for the baseline).
func bulkRefreshConfig(e *acctest.Emulator, extra string) string {
	provider := e.ProviderConfig()
	if extra != "" {
		provider = strings.Replace(provider, "provider \"entragov\" {\n", "provider \"entragov\" {\n  "+extra+"\n", 1)
	}
	return provider + fmt.Sprintf(`
resource "entragov_catalog" "bulk" {
  display_name = "Bulk refresh"
  description  = "Many packages"
}

resource "entragov_access_package" "bulk" {
  count        = %[1]d
  catalog_id   = entragov_catalog.bulk.id
  display_name = "Bulk package ${count.index}"
}

resource "entragov_assignment_policy" "bulk" {
  count             = %[1]d
  access_package_id = entragov_access_package.bulk[count.index].id
  display_name      = "Bulk policy ${count.index}"
  expiration        = { type = "afterDuration", duration = "P30D" }
}
`, bulkObjects)
}

// policyReads counts the requests that read assignment policies: single GETs and collection pages.
type policyReads struct{ single, list int }

func countPolicyReads(e *acctest.Emulator) policyReads {
	var r policyReads
	for route, n := range e.Server.RequestCount().ByRoute {
		switch {
		case strings.HasSuffix(route, "GET /v1.0/identityGovernance/entitlementManagement/assignmentPolicies/{id}"):
			r.single += n
		case strings.HasSuffix(route, "GET /v1.0/identityGovernance/entitlementManagement/assignmentPolicies"):
			r.list += n
		}
	}
	return r
}

// TestAccBulkRefresh_manyPolicies: with bulk refresh (the default) a no-op plan and a refresh-only plan of 20
// packages and policies are empty and read the policies with a few requests instead of one per policy; an
// out-of-band delete of one policy and change of another are planned exactly as without bulk refresh.
// Under ENTRAGOV_ACC_FAULTS (make testfaults) the counts include the retried attempts, so they are compared
// with the same runs made with bulk_refresh = false.
func TestAccBulkRefresh_manyPolicies(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl)
	cfg := bulkRefreshConfig(e, "")
	var deleted, changed acctest.IDCapture
	var noop, refresh, noopBaseline, refreshBaseline policyReads
	record := func(into *policyReads) func() {
		return func() {
			*into = countPolicyReads(e)
			e.Server.ResetRequestCount()
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoPoliciesLeft(e),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID("entragov_assignment_policy.bulk[3]", &deleted),
				acctest.CaptureID("entragov_assignment_policy.bulk[5]", &changed),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			// A no-op plan with bulk refresh.
			PreConfig: func() { e.Server.ResetRequestCount() },
			Config:    cfg,
			PlanOnly:  true,
		}, {
			// A refresh-only run with bulk refresh.
			PreConfig:    record(&noop),
			RefreshState: true,
		}, {
			// The same no-op plan and refresh-only run without bulk refresh, as the baselines.
			PreConfig: record(&refresh),
			Config:    bulkRefreshConfig(e, "bulk_refresh = false"),
			PlanOnly:  true,
		}, {
			PreConfig:    record(&noopBaseline),
			RefreshState: true,
		}, {
			PreConfig: func() {
				record(&refreshBaseline)()
				t.Logf("policy reads: no-op plan %+v (without bulk refresh %+v), refresh-only %+v (without %+v)",
					noop, noopBaseline, refresh, refreshBaseline)
				checkBulkPolicyReads(t, "no-op plan", noop, noopBaseline)
				checkBulkPolicyReads(t, "refresh-only run", refresh, refreshBaseline)
				if err := e.Server.DeleteObject("assignmentPolicies", deleted.Value); err != nil {
					t.Fatalf("out-of-band delete: %v", err)
				}
				if err := e.Server.ChangeObject("assignmentPolicies", changed.Value, map[string]any{"displayName": "Renamed outside"}); err != nil {
					t.Fatalf("out-of-band change: %v", err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("entragov_assignment_policy.bulk[3]", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("entragov_assignment_policy.bulk[5]", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("entragov_assignment_policy.bulk[4]", plancheck.ResourceActionNoop),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: func(*terraform.State) error {
				if p, err := e.Client(t).GetAssignmentPolicy(acctest.Context(t), changed.Value); err != nil || p.DisplayName != "Bulk policy 5" {
					return fmt.Errorf("changed policy after apply: %+v, %v", p, err)
				}
				return nil
			},
		}},
	})
}

// checkBulkPolicyReads: with bulk refresh the policies are read with far fewer requests than there are
// policies, and than without bulk refresh; without faults, exactly the threshold's 3 single GETs and one
// one-page collection read per provider process that refreshed them.
func checkBulkPolicyReads(t *testing.T, what string, bulk, baseline policyReads) {
	t.Helper()
	total := bulk.single + bulk.list
	if bulk.list == 0 {
		t.Errorf("%s: no collection read of the policies (%+v)", what, bulk)
	}
	if baseline.list != 0 || baseline.single < bulkObjects {
		t.Errorf("%s without bulk refresh read the policies with %+v; want %d single GETs or more and no collection read", what, baseline, bulkObjects)
	}
	if 2*total > baseline.single+baseline.list {
		t.Errorf("%s: %d requests read the policies with bulk refresh, %d without; want at most half", what, total, baseline.single+baseline.list)
	}
	if !acctest.FaultsEnabled() && bulk.single != 3*bulk.list {
		t.Errorf("%s: %d single GETs and %d collection reads; want 3 single GETs per collection read", what, bulk.single, bulk.list)
	}
}

// bulkCatalogs is how many catalogs the second bulk refresh test manages, each with two group resources
// and a site resource and two access packages, each package with a role scope on the first group.
const bulkCatalogs = 4

func bulkPackagesConfig(e *acctest.Emulator, extra string) string {
	provider := e.ProviderConfig()
	if extra != "" {
		provider = strings.Replace(provider, "provider \"entragov\" {\n", "provider \"entragov\" {\n  "+extra+"\n", 1)
	}
	return provider + fmt.Sprintf(`
resource "entragov_catalog" "bulk" {
  count        = %[1]d
  display_name = "Bulk catalog ${count.index}"
  description  = "Resources and packages"
}

resource "entragov_catalog_resource" "group" {
  count         = %[1]d
  catalog_id    = entragov_catalog.bulk[count.index].id
  origin_system = "AadGroup"
  origin_id     = %[2]q
}

resource "entragov_catalog_resource" "group2" {
  count         = %[1]d
  catalog_id    = entragov_catalog.bulk[count.index].id
  origin_system = "AadGroup"
  origin_id     = %[3]q
}

resource "entragov_catalog_resource" "site" {
  count         = %[1]d
  catalog_id    = entragov_catalog.bulk[count.index].id
  origin_system = "SharePointOnline"
  origin_id     = "https://contoso.sharepoint.com/sites/bulk-${count.index}"
}

resource "entragov_access_package" "bulk" {
  count        = 2 * %[1]d
  catalog_id   = entragov_catalog.bulk[floor(count.index / 2)].id
  display_name = "Bulk package ${count.index}"
}

resource "entragov_access_package_resource_role_scope" "bulk" {
  count               = 2 * %[1]d
  access_package_id   = entragov_access_package.bulk[count.index].id
  catalog_resource_id = entragov_catalog_resource.group[floor(count.index / 2)].id
  role_origin_id      = "Member_%[2]s"
}
`, bulkCatalogs, emulator.SeedGroupSalesID, emulator.SeedGroupMarketingID)
}

// packageReads counts the requests that read packages (and through them role scopes) and catalog
// resources.
type packageReads struct{ packages, resources int }

func (r packageReads) total() int { return r.packages + r.resources }

func countPackageReads(e *acctest.Emulator) packageReads {
	var r packageReads
	for route, n := range e.Server.RequestCount().ByRoute {
		switch {
		case strings.HasSuffix(route, "GET /v1.0/identityGovernance/entitlementManagement/accessPackages/{id}"):
			r.packages += n
		case strings.HasSuffix(route, "GET /v1.0/identityGovernance/entitlementManagement/catalogs/{id}/resources"):
			r.resources += n
		}
	}
	return r
}

// TestAccBulkRefresh_packagesRoleScopesAndResources: with bulk refresh a no-op plan and a refresh-only run
// read each package once for the package and its role scope, and each catalog's three resources with one
// collection read; an out-of-band removed role scope and catalog resource and a renamed package are
// planned exactly as without bulk refresh. Under ENTRAGOV_ACC_FAULTS the counts include retried attempts,
// so they are only compared with the same runs made with bulk_refresh = false.
func TestAccBulkRefresh_packagesRoleScopesAndResources(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory)
	cfg := bulkPackagesConfig(e, "")
	var pkg0, pkg3, catalog2 acctest.IDCapture
	var noop, refresh, noopBaseline, refreshBaseline packageReads
	record := func(into *packageReads) func() {
		return func() {
			*into = countPackageReads(e)
			e.Server.ResetRequestCount()
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.CaptureID("entragov_access_package.bulk[0]", &pkg0),
				acctest.CaptureID("entragov_access_package.bulk[3]", &pkg3),
				acctest.CaptureID("entragov_catalog.bulk[2]", &catalog2),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}, {
			PreConfig: func() { e.Server.ResetRequestCount() },
			Config:    cfg,
			PlanOnly:  true,
		}, {
			PreConfig:    record(&noop),
			RefreshState: true,
		}, {
			PreConfig: record(&refresh),
			Config:    bulkPackagesConfig(e, "bulk_refresh = false"),
			PlanOnly:  true,
		}, {
			PreConfig:    record(&noopBaseline),
			RefreshState: true,
		}, {
			PreConfig: func() {
				record(&refreshBaseline)()
				t.Logf("package and resource reads: no-op plan %+v (without bulk refresh %+v), refresh-only %+v (without %+v)",
					noop, noopBaseline, refresh, refreshBaseline)
				checkBulkPackageReads(t, "no-op plan", noop, noopBaseline)
				checkBulkPackageReads(t, "refresh-only run", refresh, refreshBaseline)
				// Out of band: package 0 loses its role scope, catalog 2 its site, package 3 is renamed.
				ctx, c := acctest.Context(t), e.Client(t)
				pkg, err := c.GetAccessPackage(ctx, pkg0.Value, graph.ExpandResourceRoleScopes)
				if err != nil || len(pkg.ResourceRoleScopes) != 1 {
					t.Fatalf("role scopes of package 0: %+v, %v", pkg, err)
				}
				if err := c.DeleteRoleScope(ctx, pkg0.Value, pkg.ResourceRoleScopes[0].ID); err != nil {
					t.Fatalf("out-of-band role scope delete: %v", err)
				}
				site, err := c.FindCatalogResource(ctx, catalog2.Value, "https://contoso.sharepoint.com/sites/bulk-2")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := c.RemoveCatalogResource(ctx, catalog2.Value, site.ID); err != nil {
					t.Fatalf("out-of-band resource removal: %v", err)
				}
				if err := e.Server.ChangeObject("accessPackages", pkg3.Value, map[string]any{"displayName": "Renamed outside"}); err != nil {
					t.Fatalf("out-of-band change: %v", err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("entragov_access_package_resource_role_scope.bulk[0]", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("entragov_access_package_resource_role_scope.bulk[1]", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("entragov_catalog_resource.site[2]", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("entragov_catalog_resource.site[1]", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("entragov_access_package.bulk[3]", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("entragov_access_package.bulk[2]", plancheck.ResourceActionNoop),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: func(*terraform.State) error {
				if p, err := e.Client(t).GetAccessPackage(acctest.Context(t), pkg3.Value); err != nil || p.DisplayName != "Bulk package 3" {
					return fmt.Errorf("renamed package after apply: %+v, %v", p, err)
				}
				return nil
			},
		}},
	})
}

// checkBulkPackageReads: with bulk refresh the packages, role scopes and catalog resources are read with
// fewer requests than without; without faults, exactly: the threshold's 3 single reads per type, then one
// GET per package left and one collection read per catalog left, per provider process.
func checkBulkPackageReads(t *testing.T, what string, bulk, baseline packageReads) {
	t.Helper()
	objects := 2*bulkCatalogs + 2*bulkCatalogs // packages and their role scopes
	if baseline.packages < objects || baseline.resources < 3*bulkCatalogs {
		t.Errorf("%s without bulk refresh: %+v; want %d package GETs and %d resource reads or more", what, baseline, objects, 3*bulkCatalogs)
	}
	if acctest.FaultsEnabled() {
		// Retried attempts blur small counts: only the sum is compared.
		if bulk.total() >= baseline.total() {
			t.Errorf("%s: %+v with bulk refresh, %+v without; want fewer in all", what, bulk, baseline)
		}
		return
	}
	if bulk.packages >= baseline.packages || bulk.resources >= baseline.resources {
		t.Errorf("%s: %+v with bulk refresh, %+v without; want fewer of each", what, bulk, baseline)
	}
	// How many provider processes refreshed the objects (a refresh-only step runs two), from the baseline's
	// one read per object and process.
	runs := baseline.packages / objects
	// Packages: 3 single GETs serve 3 reads; the others need one GET per package not read yet, at most
	// the number of packages.
	if want := runs * (3 + 2*bulkCatalogs); bulk.packages > want {
		t.Errorf("%s: %d package GETs in %d runs, want at most %d", what, bulk.packages, runs, want)
	}
	// Resources: 3 filtered reads, then one collection read per catalog, at most.
	if want := runs * (3 + bulkCatalogs); bulk.resources > want {
		t.Errorf("%s: %d resource reads in %d runs, want at most %d", what, bulk.resources, runs, want)
	}
}
