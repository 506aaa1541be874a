package provider_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
)

// TestAccCLI_forEachPolicies runs the real provider binary under the Terraform CLI, the way users run
// it, for what the in-process harness cannot do: its state view rejects for_each instance keys. Ten
// policies of one package are created with for_each at Terraform's default parallelism while the
// local API refuses parallel policy creates for one package, as Graph does.
func TestAccCLI_forEachPolicies(t *testing.T) {
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
	e := acctest.NewEmulator(t)
	faults := e.Server.Faults()
	faults.PolicyCreateConflict = true
	e.Server.SetFaults(faults)

	dir := t.TempDir()
	binDir := filepath.Join(dir, "bin")
	build := exec.Command("go", "build", "-o", filepath.Join(binDir, "terraform-provider-entragov"), "../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	cliConfig := filepath.Join(dir, "terraformrc")
	writeFile(t, cliConfig, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/entragov/entragov" = %q
  }
  direct {}
}
`, binDir))
	work := filepath.Join(dir, "work")
	writeFile(t, filepath.Join(work, "main.tf"), `
terraform {
  required_providers {
    entragov = { source = "registry.terraform.io/entragov/entragov" }
  }
}
`+e.ProviderConfig()+`
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
	run := func(wantExit int, args ...string) string {
		cmd := exec.Command(terraform, append([]string{"-chdir=" + work}, args...)...)
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		exit := 0
		if exitErr, ok := err.(*exec.ExitError); ok {
			exit = exitErr.ExitCode()
		} else if err != nil {
			t.Fatalf("terraform %v: %v", args, err)
		}
		if exit != wantExit {
			t.Fatalf("terraform %v exited %d, want %d:\n%s", args, exit, wantExit, out.String())
		}
		return out.String()
	}

	run(0, "apply", "-auto-approve", "-input=false", "-no-color")
	policies, err := e.Server.ListObjects("assignmentPolicies")
	if err != nil {
		t.Fatal(err)
	}
	if len(policies) != 10 {
		t.Fatalf("the API holds %d policies, want 10", len(policies))
	}
	run(0, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	run(0, "destroy", "-auto-approve", "-input=false", "-no-color")
	for _, collection := range []string{"assignmentPolicies", "accessPackages"} {
		left, err := e.Server.ListObjects(collection)
		if err != nil {
			t.Fatal(err)
		}
		if len(left) != 0 {
			t.Fatalf("%d %s left after destroy", len(left), collection)
		}
	}
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
