package entitlement_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
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

// Scenarios over time for the roles an access package delivers besides group membership (issue 15,
// item 2): an application's app role and a SharePoint site's role. Terraform applies the package and
// the assignment; the test reads the delivered app role through Graph (GET /users/{id}/appRoleAssignments,
// https://learn.microsoft.com/en-us/graph/api/user-list-approleassignments?view=graph-rest-1.0) and the
// site role through the local API's control API (Graph v1.0 reads no SharePoint group members;
// internal/emulator/README.md, "Roles delivered by entitlement management"), then moves the clock past the
// assignment's end. The clock is the local API's, and the Graph read signs in with its built-in app, so
// these tests declare NeedsControl and NeedsLocalAPI and skip in live mode.

const (
	expensesSite     = "https://contoso.sharepoint.com/sites/ExpenseReports"
	siteMembersGroup = "5" // the Members group of a site (its SharePoint group id)
	rolesAssignment  = "entragov_access_package_assignment.submitter"
)

// rolesScenarioConfig is a catalog with the Expenses application and a SharePoint site, a package
// granting the application's Submitter role and the site's Members role under a P30D policy, and Adele
// assigned. With keeper, a second package grants the same Submitter role without expiration and Adele
// is assigned it too.
func rolesScenarioConfig(keeper bool) string {
	config := fmt.Sprintf(`
resource "entragov_catalog" "finance" {
  display_name = "Finance tools"
}

resource "entragov_catalog_resource" "expenses" {
  catalog_id    = entragov_catalog.finance.id
  origin_system = "AadApplication"
  origin_id     = %[1]q
}

resource "entragov_catalog_resource" "reports_site" {
  catalog_id    = entragov_catalog.finance.id
  origin_system = "SharePointOnline"
  origin_id     = %[2]q
}

resource "entragov_access_package" "submitters" {
  catalog_id   = entragov_catalog.finance.id
  display_name = "Expense submitters"
}

resource "entragov_access_package_resource_role_scope" "submitter_app" {
  access_package_id   = entragov_access_package.submitters.id
  catalog_resource_id = entragov_catalog_resource.expenses.id
  role_origin_id      = %[3]q
}

resource "entragov_access_package_resource_role_scope" "submitter_site" {
  access_package_id   = entragov_access_package.submitters.id
  catalog_resource_id = entragov_catalog_resource.reports_site.id
  role_origin_id      = %[4]q
}

resource "entragov_assignment_policy" "thirty_days" {
  access_package_id = entragov_access_package.submitters.id
  display_name      = "Thirty days"
  description       = "Assigned by an administrator for 30 days"
  expiration        = { type = "afterDuration", duration = "P30D" }
}

resource "entragov_access_package_assignment" "submitter" {
  target_id            = %[5]q
  access_package_id    = entragov_access_package.submitters.id
  assignment_policy_id = entragov_assignment_policy.thirty_days.id
  justification        = "Submits the team's expenses this month"
  depends_on           = [entragov_access_package_resource_role_scope.submitter_app, entragov_access_package_resource_role_scope.submitter_site]
}
`, emulator.SeedAppExpensesSPID, expensesSite, emulator.SeedAppExpensesRoleSubmitterID, siteMembersGroup, emulator.SeedUserAdeleID)
	if !keeper {
		return config
	}
	return config + fmt.Sprintf(`
resource "entragov_access_package" "finance_staff" {
  catalog_id   = entragov_catalog.finance.id
  display_name = "Finance staff"
}

resource "entragov_access_package_resource_role_scope" "staff_app" {
  access_package_id   = entragov_access_package.finance_staff.id
  catalog_resource_id = entragov_catalog_resource.expenses.id
  role_origin_id      = %[1]q
}

resource "entragov_assignment_policy" "staff" {
  access_package_id = entragov_access_package.finance_staff.id
  display_name      = "Finance staff"
  description       = "Assigned by an administrator while in the finance team"
  expiration        = { type = "noExpiration" }
}

resource "entragov_access_package_assignment" "staff" {
  target_id            = %[2]q
  access_package_id    = entragov_access_package.finance_staff.id
  assignment_policy_id = entragov_assignment_policy.staff.id
  justification        = "Member of the finance team"
  depends_on           = [entragov_access_package_resource_role_scope.staff_app]
}
`, emulator.SeedAppExpensesRoleSubmitterID, emulator.SeedUserAdeleID)
}

// appRoleAssignment is the part of a Graph appRoleAssignment the checks read.
type appRoleAssignment struct {
	AppRoleID  string `json:"appRoleId"`
	ResourceID string `json:"resourceId"`
}

// userAppRoles reads GET /v1.0/users/{id}/appRoleAssignments, signed in as the local API's admin app and
// exempt from injected faults (the check is the test's, not the provider's).
func userAppRoles(t *testing.T, e *acctest.Emulator, userID string) []appRoleAssignment {
	t.Helper()
	tokens, err := graph.NewClientSecretSource(graph.CredentialOptions{TenantID: emulator.DefaultTenantID, ClientID: emulator.DefaultClientID,
		LoginEndpoint: e.URL, GraphEndpoint: e.URL}, emulator.DefaultClientSecret)
	if err != nil {
		t.Fatal(err)
	}
	token, err := tokens.Token(acctest.Context(t))
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(acctest.Context(t), http.MethodGet, e.URL+"/v1.0/users/"+userID+"/appRoleAssignments", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set(emulator.FaultsOffHeader, "off")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET appRoleAssignments: %d %s", resp.StatusCode, body)
	}
	var page struct {
		Value []appRoleAssignment `json:"value"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatal(err)
	}
	return page.Value
}

// hasSubmitterRole checks whether Adele holds the Expenses application's Submitter role.
func hasSubmitterRole(t *testing.T, e *acctest.Emulator, want bool) error {
	got := false
	for _, a := range userAppRoles(t, e, emulator.SeedUserAdeleID) {
		got = got || (strings.EqualFold(a.AppRoleID, emulator.SeedAppExpensesRoleSubmitterID) && strings.EqualFold(a.ResourceID, emulator.SeedAppExpensesSPID))
	}
	if got != want {
		return fmt.Errorf("Adele holds the Expenses Submitter app role: %v, want %v", got, want)
	}
	return nil
}

// inSiteMembers checks whether Adele is in the site's Members group (the control API's siteRoleMemberships).
func inSiteMembers(e *acctest.Emulator, want bool) error {
	memberships, err := e.Server.ListObjects("siteRoleMemberships")
	if err != nil {
		return err
	}
	got := false
	for _, m := range memberships {
		got = got || (strings.EqualFold(fmt.Sprint(m["userId"]), emulator.SeedUserAdeleID) && m["siteUrl"] == expensesSite && m["siteGroupId"] == siteMembersGroup)
	}
	if got != want {
		return fmt.Errorf("Adele in the Members group of %s: %v, want %v (%v)", expensesSite, got, want, memberships)
	}
	return nil
}

// rolesDelivered is the first step of both scenarios: the apply delivers the app role and the site role.
func rolesDelivered(t *testing.T, e *acctest.Emulator, keeper bool, id *acctest.IDCapture) resource.TestStep {
	return resource.TestStep{
		Config: e.Config(rolesScenarioConfig(keeper)),
		ConfigStateChecks: []statecheck.StateCheck{
			acctest.CaptureID(rolesAssignment, id),
			funcCheck(func(context.Context) error {
				if err := hasSubmitterRole(t, e, true); err != nil {
					return err
				}
				return inSiteMembers(e, true)
			}),
		},
		ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
	}
}

// The assignment ends after 30 days: Adele loses the app role and the site role.
func TestAccScenarioRoles_endAtExpiry(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory, acctest.NeedsLocalAPI)
	var id acctest.IDCapture
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			rolesDelivered(t, e, false, &id),
			{
				PreConfig: func() {
					e.AdvanceClock(t, "P29D")
					if err := hasSubmitterRole(t, e, true); err != nil {
						t.Fatalf("day 29: %v", err)
					}
					e.AdvanceClock(t, "P2D")
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true, // the expired assignment is gone for Terraform
				Check: func(*terraform.State) error {
					if err := benAssignmentState(t, e, &id, "expired"); err != nil {
						return err
					}
					if err := hasSubmitterRole(t, e, false); err != nil {
						return err
					}
					return inSiteMembers(e, false)
				},
			},
		},
	})
	checkAudit(t, e, "assignmentExpired")
}

// Opposite: a second package still grants the same app role, so Adele keeps it when the first
// assignment ends; the site role only the first package granted goes. The destroy removes the second
// assignment, and the role with it.
func TestAccScenarioRoles_secondPackageKeepsAppRole(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory, acctest.NeedsLocalAPI)
	var id acctest.IDCapture
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			return hasSubmitterRole(t, e, false)
		},
		Steps: []resource.TestStep{
			rolesDelivered(t, e, true, &id),
			{
				PreConfig:          func() { e.AdvanceClock(t, "P31D") },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: func(*terraform.State) error {
					if err := benAssignmentState(t, e, &id, "expired"); err != nil {
						return err
					}
					if err := hasSubmitterRole(t, e, true); err != nil {
						return err
					}
					return inSiteMembers(e, false)
				},
			},
		},
	})
	checkAudit(t, e, "assignmentExpired")
}
