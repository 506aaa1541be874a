package provider_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hashicorp/go-cleanhttp"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/conformance"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// sharedCLIProvider is one build of the provider binary for the many workspaces of one test: building it
// is the costly part of newCLIWorkspace (cli_test.go), which a test of many small subtests pays once.
type sharedCLIProvider struct {
	terraform, cliConfig string
}

// newSharedCLIProvider builds the provider binary and writes the Terraform CLI configuration that points at
// it, as newCLIWorkspace does.
func newSharedCLIProvider(t *testing.T) *sharedCLIProvider {
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
	dir := t.TempDir()
	binDir := filepath.Join(dir, "bin")
	build := exec.Command("go", "build", "-o", filepath.Join(binDir, "terraform-provider-entragov"), "../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	p := &sharedCLIProvider{terraform: terraform, cliConfig: filepath.Join(dir, "terraformrc")}
	writeFile(t, p.cliConfig, cliConfigFor(binDir))
	return p
}

// workspace is a parallel subtest's workspace with a fresh local API of its own.
func (p *sharedCLIProvider) workspace(t *testing.T) *cliWorkspace {
	t.Helper()
	t.Parallel()
	w := &cliWorkspace{t: t, emulator: acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsSeededDirectory, acctest.NeedsLocalAPI),
		dir: t.TempDir(), cliConfig: p.cliConfig, terraform: p.terraform}
	w.work = filepath.Join(w.dir, "work")
	if f := w.emulator.Server.Faults(); f.ReadAfterCreateDelay > 0 {
		// The documented setups read what they have just created, as the pages do (make testfaults);
		// replication delay is the subject of other tests, not of the documented shapes.
		f.ReadAfterCreateDelay = 0
		w.emulator.Server.SetFaults(f)
	}
	return w
}

// target replays documented requests (internal/conformance) against the workspace's local API, signed in
// with its admin app, outside Terraform and exempt from injected faults, like an administrator's tool.
func (w *cliWorkspace) target(t *testing.T) conformance.Target {
	t.Helper()
	hc := cleanhttp.DefaultPooledClient()
	hc.Transport = faultsExempt{base: hc.Transport}
	tokens, err := graph.NewClientSecretSource(graph.CredentialOptions{
		TenantID: emulator.DefaultTenantID, ClientID: emulator.DefaultClientID,
		LoginEndpoint: w.emulator.URL, GraphEndpoint: w.emulator.URL, HTTPClient: hc,
	}, emulator.DefaultClientSecret)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := tokens.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return conformance.Target{Base: w.emulator.URL, Client: hc, Token: tok, Vars: conformance.SeedVars()}
}

// countOutsideObjects records the governance objects the local API holds as made outside Terraform, so that
// the acceptance report does not count them as left behind.
func (w *cliWorkspace) countOutsideObjects() {
	w.t.Helper()
	w.emulator.RecordAllAsCreatedOutsideTerraform(w.t)
}

// faultsExempt marks every request as exempt from the local API's injected faults (make testfaults).
type faultsExempt struct{ base http.RoundTripper }

func (f faultsExempt) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(emulator.FaultsOffHeader, "off")
	return f.base.RoundTrip(r)
}
