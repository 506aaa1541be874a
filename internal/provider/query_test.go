package provider_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// skipWithoutQuery skips a test of terraform query when the binary under test (TF_ACC_TERRAFORM_PATH, or
// terraform on PATH) is older than Terraform 1.14, which brought list resources, or is not Terraform.
func skipWithoutQuery(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	bin, err := exec.LookPath("terraform")
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		bin, err = p, nil
	}
	if err != nil {
		t.Fatalf("terraform not found: %v", err)
	}
	out, err := exec.Command(bin, "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version -json: %v", bin, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	// Warnings about the CLI configuration may come first.
	if i := strings.Index(string(out), "{"); i < 0 || json.NewDecoder(strings.NewReader(string(out[i:]))).Decode(&v) != nil {
		t.Fatalf("reading %s version -json: %s", bin, out)
	}
	text, _ := exec.Command(bin, "version").Output()
	if !regexp.MustCompile(`(?m)^Terraform v`).Match(text) {
		t.Skipf("%s is not Terraform: terraform query is Terraform's (1.14 and later)", bin)
	}
	var major, minor int
	if _, err := fmt.Sscanf(v.Version, "%d.%d", &major, &minor); err != nil {
		t.Fatalf("reading the version %q of %s: %v", v.Version, bin, err)
	}
	if major < 1 || (major == 1 && minor < 14) {
		t.Skipf("terraform query needs Terraform 1.14 or later; %s is %s", bin, v.Version)
	}
}

// discovered are objects made outside Terraform, as in a tenant run from the portal, for a query to find.
type discovered struct {
	catalog, pkg string
}

// makeOutsideTerraform makes one object of every listed type through Graph.
// They stand for objects a tenant has held for a while: the local API's replication delay (make testfaults),
// which would hide objects made a moment ago, is switched off.
func makeOutsideTerraform(t *testing.T, e *acctest.Emulator) discovered {
	t.Helper()
	if f := e.Server.Faults(); f.ReadAfterCreateDelay > 0 {
		f.ReadAfterCreateDelay = 0
		e.Server.SetFaults(f)
	}
	ctx, c := acctest.Context(t), e.Client(t)
	check := func(what string, err error) {
		if err != nil {
			t.Fatalf("creating %s: %v", what, err)
		}
	}
	catalog, err := c.CreateCatalog(ctx, graph.CatalogCreate{DisplayName: "Discovery", Description: "Made in the portal"})
	check("the catalog", err)
	_, err = c.AddCatalogResource(ctx, catalog.ID, "AadGroup", emulator.SeedGroupSalesID)
	check("the catalog resource", err)
	pkg, err := c.CreateAccessPackage(ctx, catalog.ID, graph.AccessPackageCreate{DisplayName: "Discovery access", Description: "For the pilot"})
	check("the access package", err)
	_, err = c.CreateAssignmentPolicy(ctx, pkg.ID, graph.AssignmentPolicy{DisplayName: "Employees ask", AllowedTargetScope: "allMemberUsers",
		RequestorSettings: &graph.RequestorSettings{EnableTargetsToSelfAddAccess: true, AllowCustomAssignmentSchedule: true}})
	check("the assignment policy", err)
	_, err = c.CreateConnectedOrganization(ctx, graph.ConnectedOrganization{DisplayName: "Discovery partner", State: "configured",
		IdentitySources: []graph.IdentitySource{{Type: graph.IdentitySourceDomain, DomainName: "discovery.example.com", DisplayName: "Discovery"}}})
	check("the connected organization", err)
	_, err = c.CreateWorkflow(ctx, graph.WorkflowDefinition{Category: "leaver", DisplayName: "Discovery leavers", Description: "On demand",
		ExecutionConditions: &graph.ExecutionConditions{Type: graph.ConditionsOnDemandOnly},
		Tasks:               []graph.WorkflowTask{{DisplayName: "Revoke sessions", TaskDefinitionID: "509589a4-0466-4471-829e-49c5e502bdee", IsEnabled: true}}})
	check("the lifecycle workflow", err)
	days := int64(7)
	_, err = c.CreateAccessReviewDefinition(ctx, graph.AccessReviewDefinition{DisplayName: "Discovery review",
		Scope: &graph.AccessReviewScope{Type: graph.AccessReviewQueryScope, Query: "/groups/" + emulator.SeedGroupSalesID + "/transitiveMembers"},
		Settings: &graph.AccessReviewScheduleSettings{InstanceDurationInDays: &days, Recurrence: &graph.AccessReviewRecurrence{
			Pattern: &graph.RecurrencePattern{Type: "weekly", Interval: 1}, Range: &graph.RecurrenceRange{Type: "noEnd", StartDate: "2027-01-01"}}}})
	check("the access review", err)
	return discovered{catalog: catalog.ID, pkg: pkg.ID}
}

// discoveryQuery lists, with their resources, what makeOutsideTerraform made: seven results.
func discoveryQuery(d discovered) string {
	return fmt.Sprintf(`
list "entragov_catalog" "discovery" {
  provider         = entragov
  include_resource = true
  config {
    display_name = "Discovery"
  }
}

list "entragov_catalog_resource" "discovery" {
  provider         = entragov
  include_resource = true
  config {
    catalog_id = %[1]q
  }
}

list "entragov_access_package" "discovery" {
  provider         = entragov
  include_resource = true
  config {
    catalog_id = %[1]q
  }
}

list "entragov_assignment_policy" "discovery" {
  provider         = entragov
  include_resource = true
  config {
    access_package_id = %[2]q
  }
}

list "entragov_connected_organization" "discovery" {
  provider         = entragov
  include_resource = true
  config {
    domain = "discovery.example.com"
  }
}

list "entragov_lifecycle_workflow" "discovery" {
  provider         = entragov
  include_resource = true
  config {
    category = "leaver"
  }
}

list "entragov_access_review" "discovery" {
  provider         = entragov
  include_resource = true
  config {
    display_name = "Discovery review"
  }
}
`, d.catalog, d.pkg)
}

// Objects made outside Terraform are found by terraform query, which writes their configuration and
// import blocks (-generate-config-out); the plan then only imports them, and after the apply the plan
// is empty.
func TestAccCLI_generateConfigFromQuery(t *testing.T) {
	skipWithoutQuery(t)
	w := newCLIWorkspace(t)
	d := makeOutsideTerraform(t, w.emulator)
	w.write("")
	writeFile(t, filepath.Join(w.work, "discover.tfquery.hcl"), discoveryQuery(d))

	out := w.run(0, "query", "-generate-config-out=generated.tf", "-no-color")
	t.Logf("terraform query:\n%s", out)
	for _, name := range []string{"Discovery", "Sales", "Discovery access", "Employees ask", "Discovery partner", "Discovery leavers", "Discovery review"} {
		if !regexp.MustCompile(`(?m)\s` + regexp.QuoteMeta(name) + `$`).MatchString(out) {
			t.Errorf("terraform query does not list %q", name)
		}
	}
	generated, err := os.ReadFile(filepath.Join(w.work, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated configuration:\n%s", generated)
	flat := strings.Join(strings.Fields(string(generated)), " ")
	for _, want := range []string{`resource "entragov_catalog"`, `resource "entragov_catalog_resource"`, `resource "entragov_access_package"`,
		`resource "entragov_assignment_policy"`, `resource "entragov_connected_organization"`, `resource "entragov_lifecycle_workflow"`,
		`resource "entragov_access_review"`, `identity = {`, `"Made in the portal"`, `"For the pilot"`, `"allMemberUsers"`, `"discovery.example.com"`, `"509589a4-0466-4471-829e-49c5e502bdee"`,
		`origin_id = "` + emulator.SeedGroupSalesID + `"`} {
		if !strings.Contains(flat, want) {
			t.Errorf("generated.tf lacks %s", want)
		}
	}
	if n := strings.Count(flat, "import {"); n != 7 {
		t.Errorf("generated.tf holds %d import blocks, want 7", n)
	}

	out = w.run(0, "plan", "-input=false", "-no-color")
	if want := "Plan: 7 to import, 0 to add, 0 to change, 0 to destroy."; !strings.Contains(out, want) {
		t.Fatalf("the plan with the generated configuration is not a pure import (want %q):\n%s", want, out)
	}
	out = w.run(0, "apply", "-auto-approve", "-input=false", "-no-color")
	if want := "Apply complete! Resources: 7 imported, 0 added, 0 changed, 0 destroyed."; !strings.Contains(out, want) {
		t.Fatalf("the apply did more than import (want %q):\n%s", want, out)
	}
	w.run(0, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	// The imported objects are Terraform's now: they destroy. The generated resources do not refer to
	// each other, so Terraform knows no order: children go first.
	w.run(0, "destroy", "-auto-approve", "-input=false", "-no-color", "-target=entragov_assignment_policy.discovery_0",
		"-target=entragov_catalog_resource.discovery_0", "-target=entragov_connected_organization.discovery_0",
		"-target=entragov_lifecycle_workflow.discovery_0", "-target=entragov_access_review.discovery_0")
	w.run(0, "destroy", "-auto-approve", "-input=false", "-no-color", "-target=entragov_access_package.discovery_0")
	w.run(0, "destroy", "-auto-approve", "-input=false", "-no-color")
}
