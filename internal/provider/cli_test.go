package provider_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// TestAccCLI_forEachPolicies runs the real provider binary under the Terraform CLI, the way users run
// it, for what the in-process harness cannot do: its state view rejects for_each instance keys. Ten
// policies of one package are created with for_each at Terraform's default parallelism while the
// local API refuses parallel policy creates for one package, as Graph does.
func TestAccCLI_forEachPolicies(t *testing.T) {
	w := newCLIWorkspace(t)
	faults := w.emulator.Server.Faults()
	faults.PolicyCreateConflict = true
	w.emulator.Server.SetFaults(faults)
	w.write(`
resource "entragov_catalog" "test" {
  display_name = "Teams"
}

resource "entragov_access_package" "test" {
  catalog_id   = entragov_catalog.test.id
  display_name = "Team workspace"
}

resource "entragov_assignment_policy" "team" {
  for_each          = toset([for i in range(10) : format("Team %02d", i)])
  access_package_id = entragov_access_package.test.id
  display_name      = each.key
  expiration        = { type = "afterDuration", duration = "P30D" }
}
`)
	w.run(0, "apply", "-auto-approve", "-input=false", "-no-color")
	policies, err := w.emulator.Server.ListObjects("assignmentPolicies")
	if err != nil {
		t.Fatal(err)
	}
	if len(policies) != 10 {
		t.Fatalf("the API holds %d policies, want 10", len(policies))
	}
	w.run(0, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	w.run(0, "destroy", "-auto-approve", "-input=false", "-no-color")
	for _, collection := range []string{"assignmentPolicies", "accessPackages"} {
		left, err := w.emulator.Server.ListObjects(collection)
		if err != nil {
			t.Fatal(err)
		}
		if len(left) != 0 {
			t.Fatalf("%d %s left after destroy", len(left), collection)
		}
	}
}

// TestAccCLI_secretsNeverLogged runs an apply with TF_LOG=trace and checks that neither the client
// secret nor any bearer token reaches the log or the output, while the Graph calls themselves are logged.
func TestAccCLI_secretsNeverLogged(t *testing.T) {
	w := newCLIWorkspace(t)
	w.write(`
resource "entragov_catalog" "test" {
  display_name = "Logged"
}
`)
	logFile := filepath.Join(w.dir, "trace.log")
	out := w.runEnv(0, []string{"TF_LOG=trace", "TF_LOG_PATH=" + logFile}, "apply", "-auto-approve", "-input=false", "-no-color")
	out += w.runEnv(0, []string{"TF_LOG=trace", "TF_LOG_PATH=" + logFile}, "destroy", "-auto-approve", "-input=false", "-no-color")
	logged, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	all := string(logged) + out
	if !strings.Contains(all, "Graph request") || !strings.Contains(all, "client_request_id") {
		t.Fatalf("the trace log does not show the Graph calls; is the log wired? (%d bytes)", len(logged))
	}
	for _, secret := range []string{emulator.DefaultClientSecret, "Bearer ey", "access_token\":\"ey"} {
		if strings.Contains(all, secret) {
			i := strings.Index(all, secret)
			t.Fatalf("the log leaks %q: ...%s...", secret, all[max(0, i-200):min(len(all), i+100)])
		}
	}
}

// cliWorkspace runs the real provider binary under the Terraform CLI against a local API.
type cliWorkspace struct {
	t         *testing.T
	emulator  *acctest.Emulator
	dir       string
	work      string
	cliConfig string
	terraform string
}

// cliConfigFor is the CLI configuration that installs the provider binary in binDir for both registries'
// addresses: OpenTofu expands the short source "entragov/entragov" to registry.opentofu.org, Terraform to
// registry.terraform.io.
func cliConfigFor(binDir string) string {
	return fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/entragov/entragov" = %q
    "registry.opentofu.org/entragov/entragov" = %q
  }
  direct {}
}
`, binDir, binDir)
}

// pathDir is a folder to put first on PATH so that "terraform" in a script runs the binary under test,
// whatever its name (an OpenTofu binary is called tofu).
func (w *cliWorkspace) pathDir() string {
	dir := filepath.Join(w.dir, "terraform-on-path")
	link := filepath.Join(dir, "terraform")
	if _, err := os.Lstat(link); err == nil {
		return dir
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.Symlink(w.terraform, link); err != nil && !os.IsExist(err) {
		w.t.Fatal(err)
	}
	return dir
}

// outsideOf matches "outside of Terraform" as Terraform prints it and as OpenTofu does ("outside of OpenTofu").
const outsideOf = `outside of (?:Terraform|OpenTofu)`

// newCLIWorkspace builds the provider binary, which is what the in-process harness cannot exercise
// (its state view rejects for_each instance keys; it does not start the plugin process).
func newCLIWorkspace(t *testing.T) *cliWorkspace {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	terraform, err := exec.LookPath("terraform")
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		terraform, err = p, nil
	}
	if err != nil {
		t.Fatalf("terraform not found: %v", err)
	}
	t.Parallel()
	w := &cliWorkspace{t: t, emulator: acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory, acctest.NeedsLocalAPI), dir: t.TempDir(), terraform: terraform}
	binDir := filepath.Join(w.dir, "bin")
	build := exec.Command("go", "build", "-o", filepath.Join(binDir, "terraform-provider-entragov"), "../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	w.cliConfig = filepath.Join(w.dir, "terraformrc")
	writeFile(t, w.cliConfig, cliConfigFor(binDir))
	w.work = filepath.Join(w.dir, "work")
	return w
}

// write puts the configuration, with the provider block for the local API, in the working directory.
func (w *cliWorkspace) write(config string) {
	writeFile(w.t, filepath.Join(w.work, "main.tf"), `
terraform {
  required_providers {
    entragov = { source = "registry.terraform.io/entragov/entragov" }
  }
}
`+w.emulator.ProviderConfig()+config)
}

func (w *cliWorkspace) run(wantExit int, args ...string) string {
	return w.runEnv(wantExit, nil, args...)
}

func (w *cliWorkspace) runEnv(wantExit int, env []string, args ...string) string {
	w.t.Helper()
	cmd := exec.Command(w.terraform, append([]string{"-chdir=" + w.work}, args...)...)
	cmd.Env = append(append(os.Environ(), "TF_CLI_CONFIG_FILE="+w.cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1"), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	exit := 0
	if exitErr, ok := err.(*exec.ExitError); ok {
		exit = exitErr.ExitCode()
	} else if err != nil {
		w.t.Fatalf("terraform %v: %v", args, err)
	}
	if exit != wantExit {
		state, _ := os.ReadFile(filepath.Join(w.work, "terraform.tfstate"))
		w.t.Fatalf("terraform %v exited %d, want %d:\n%s\nstate:\n%s", args, exit, wantExit, out.String(), state)
	}
	return out.String()
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// crashConfig is a mixed configuration: every kind of object, with dependencies between them.
const crashConfig = `
data "entragov_group" "falcon" {
  display_name = "Project Falcon"
}

resource "entragov_catalog" "crash" {
  display_name = "Crash test"
}

resource "entragov_catalog_resource" "team" {
  catalog_id    = entragov_catalog.crash.id
  origin_system = "AadGroup"
  origin_id     = data.entragov_group.falcon.id
}

resource "entragov_catalog_resource" "site" {
  catalog_id    = entragov_catalog.crash.id
  origin_system = "SharePointOnline"
  origin_id     = "https://contoso.sharepoint.com/sites/crash"
}

resource "entragov_access_package" "crash" {
  count        = 3
  catalog_id   = entragov_catalog.crash.id
  display_name = "Crash package ${count.index}"
}

resource "entragov_access_package_resource_role_scope" "team" {
  count               = 3
  access_package_id   = entragov_access_package.crash[count.index].id
  catalog_resource_id = entragov_catalog_resource.team.id
  role_origin_id      = "Member_${data.entragov_group.falcon.id}"
}

resource "entragov_assignment_policy" "crash" {
  count             = 3
  access_package_id = entragov_access_package.crash[count.index].id
  display_name      = "Direct assignment"
  expiration        = { type = "afterDuration", duration = "P30D" }
}

resource "entragov_connected_organization" "crash" {
  display_name     = "Crash partner"
  identity_sources = [{ type = "domainIdentitySource", domain_name = "crash.example.com", display_name = "Crash" }]
}

resource "entragov_lifecycle_workflow" "crash" {
  category     = "leaver"
  display_name = "Crash leavers"
  execution_conditions = {
    type    = "triggerAndScopeBasedConditions"
    scope   = { type = "ruleBasedSubjectSet", rule = "(department eq 'Crash')" }
    trigger = { type = "timeBasedAttributeTrigger", time_based_attribute = "employeeLeaveDateTime", offset_in_days = 0 }
  }
  tasks = [{ task_definition_id = "509589a4-0466-4471-829e-49c5e502bdee", display_name = "Revoke sessions" }]
  permanently_delete_on_destroy = true
}
`

// crashExpected is what a clean apply of crashConfig leaves in the API.
var crashExpected = map[string]int{
	"catalogs": 2, "catalogResources": 2, "accessPackages": 3, "resourceRoleScopes": 3,
	"assignmentPolicies": 3, "connectedOrganizations": 1, "workflows": 1,
}

// TestAccCLI_interruptedApplies stops terraform at random points of an apply (SIGTERM, as CI runners
// and Ctrl-C do), then applies again: the result must equal a clean apply, with no object created twice
// or left behind. Terraform saves what a stopped apply made; the provider keeps every new id in state
// before any step that can fail, so nothing is orphaned. It runs under make testfaults too, where
// throttling, lost answers and replication delay meet the interruptions.
func TestAccCLI_interruptedApplies(t *testing.T) {
	w := newCLIWorkspace(t)
	w.write(crashConfig)
	for round := range 14 {
		// Interrupt after a random number of writes, so the cut falls inside the apply however fast
		// the machine is.
		writes := 1 + round
		t.Logf("round %d: interrupting the apply after %d writes", round, writes)
		if finished := w.interruptAfterWrites(writes, "apply", "-auto-approve", "-input=false", "-no-color"); finished {
			t.Logf("round %d: the apply finished before the interruption", round)
		} else {
			made := 0
			for collection := range crashExpected {
				objs, _ := w.emulator.Server.ListObjects(collection)
				made += len(objs)
			}
			t.Logf("round %d: stopped with %d objects made", round, made-1)
		}
		w.run(0, "apply", "-auto-approve", "-input=false", "-no-color")
		for collection, want := range crashExpected {
			objs, err := w.emulator.Server.ListObjects(collection)
			if err != nil {
				t.Fatal(err)
			}
			if len(objs) != want {
				t.Fatalf("round %d: %s holds %d objects after the re-apply, want %d:\n%s", round, collection, len(objs), want, describeObjects(objs))
			}
		}
		w.run(0, "plan", "-detailed-exitcode", "-input=false", "-no-color")
		w.run(0, "destroy", "-auto-approve", "-input=false", "-no-color")
	}
}

// interruptAfterWrites starts terraform and sends it SIGTERM once the local API has answered the given
// number of writes, then waits for it to stop; finished reports that it ended on its own first.
func (w *cliWorkspace) interruptAfterWrites(writes int, args ...string) (finished bool) {
	w.t.Helper()
	base := w.countWrites()
	cmd := exec.Command(w.terraform, append([]string{"-chdir=" + w.work}, args...)...)
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+w.cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait() // a stopped apply exits non-zero
		close(done)
	}()
	for w.countWrites()-base < writes {
		select {
		case <-done:
			return true
		case <-time.After(time.Millisecond):
		}
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		w.t.Fatalf("terraform did not stop after SIGTERM:\n%s", out.String())
	}
	return false
}

// describeObjects lists objects one a line with what tells duplicates apart: id, name, creation time
// and the ids the object holds (its parent's, where the local API keeps it in the object).
func describeObjects(objs []map[string]any) string {
	var b strings.Builder
	for _, o := range objs {
		fmt.Fprintf(&b, "  id=%v displayName=%q createdDateTime=%v", o["id"], o["displayName"], o["createdDateTime"])
		keys := make([]string, 0, len(o))
		for k := range o {
			if k != "id" && strings.HasSuffix(k, "Id") {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, " %s=%v", k, o[k])
		}
		b.WriteString("\n")
	}
	return b.String()
}
