package provider_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/provider"
)

// The guides under templates/guides keep their HCL, shell and workflow snippets in examples/guides/<guide>/
// and include them with tfplugindocs' tffile and codefile, so the commands users copy are the ones these
// tests run against a local governance API. The only edits the tests make to a snippet are the ones a
// reader makes: the port of the local API (127.0.0.1:9443 in the guides) and, in the authentication guide,
// the <placeholders> of a real tenant, replaced by the local API's ids.

const guideDocsPort = "127.0.0.1:9443"

// TestAccGuide_localGovernanceAPI runs the local governance API guide: the emulator command with the flags
// `make emulator` uses, the guide's environment, configuration and control API calls.
func TestAccGuide_localGovernanceAPI(t *testing.T) {
	requireTools(t, "curl")
	w := newCLIWorkspace(t)
	dir := filepath.Join(w.dir, "bin")
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "entragov-emulator"), "../emulator/cmd/entragov-emulator")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the emulator: %v\n%s", err, out)
	}
	emu := filepath.Join(dir, "entragov-emulator")

	// Every flag the guide's table names exists.
	help, _ := exec.Command(emu, "-h").CombinedOutput()
	guide := readRepoFile(t, "templates/guides/local-governance-api.md.tmpl")
	for _, m := range regexp.MustCompile("(?m)^\\| `(-[a-z-]+)` \\|").FindAllStringSubmatch(guide, -1) {
		if !regexp.MustCompile(`(?m)^\s+` + m[1] + `\s`).Match(help) {
			t.Errorf("the guide documents the flag %s, which entragov-emulator -h does not list:\n%s", m[1], help)
		}
	}
	checkSeedTables(t, guide)

	// `make emulator`, on a free port instead of 9443.
	copyGuide(t, "local-governance-api", w.work)
	base := startEmulatorCommand(t, emu, w.work, "-listen", "127.0.0.1:0", "-db", "entragov-emulator.db", "-cert-file", "entragov-emulator-ca.pem")
	replaceInFiles(t, w.work, guideDocsPort, strings.TrimPrefix(base, "https://"))
	start := time.Now()
	sh := func(want int, script string) string {
		out := w.shell(want, nil, "source ./env.sh\n"+script)
		t.Logf("%5.1fs %s", time.Since(start).Seconds(), strings.SplitN(script, "\n", 2)[0])
		return out
	}

	if out := sh(0, "bash health.sh"); !strings.Contains(out, `{"status":"ok"}`) {
		t.Fatalf("health: %s", out)
	}
	sh(0, "terraform apply -auto-approve -input=false -no-color")
	sh(0, "terraform plan -detailed-exitcode -input=false -no-color")

	var members struct {
		Value []struct{ GroupID, MemberID string }
	}
	decodeJSON(t, sh(0, "bash members.sh"), &members)
	if !slices.ContainsFunc(members.Value, func(m struct{ GroupID, MemberID string }) bool {
		return m.GroupID == "5eed0002-0000-4000-8000-000000000005" && m.MemberID == "5eed0001-0000-4000-8000-000000000002"
	}) {
		t.Errorf("Adele Vance is not a member of Project Falcon after the apply: %+v", members.Value)
	}
	if out := sh(0, "bash list-objects.sh"); !strings.Contains(out, `"displayName":"Sandbox"`) {
		t.Errorf("list-objects.sh does not show the Sandbox catalog: %s", out)
	}

	sh(0, "bash change-object.sh")
	out := sh(2, "terraform plan -detailed-exitcode -input=false -no-color")
	expectLines(t, out, `entragov_catalog.sandbox will be updated in-place`,
		`display_name\s+= "Sandbox \(renamed by hand\)" -> "Sandbox"`, `state\s+= "unpublished" -> "published"`)
	sh(0, "terraform apply -auto-approve -input=false -no-color")

	sh(0, "bash delete-object.sh")
	out = sh(2, "terraform plan -detailed-exitcode -input=false -no-color")
	expectLines(t, out, `entragov_access_package.falcon will be created`)
	sh(0, "terraform apply -auto-approve -input=false -no-color")

	if out := sh(0, "bash faults.sh"); !strings.Contains(out, `"throttleRate":0.2`) || !strings.Contains(out, `"latency":"50ms"`) {
		t.Fatalf("faults.sh did not switch the faults on: %s", out)
	}
	sh(0, "bash requests.sh >/dev/null") // resets the counters
	sh(0, "terraform plan -detailed-exitcode -input=false -no-color")
	var stats emulator.RequestStats
	decodeJSON(t, sh(0, "bash requests.sh | head -n 1"), &stats)
	if stats.Total == 0 {
		t.Errorf("requests.sh counted no request of the plan")
	}
	if out := sh(0, "bash faults-off.sh && curl -sS --fail --cacert \"$SSL_CERT_FILE\" \"$ENTRAGOV_GRAPH_ENDPOINT/_emulator/faults\""); !regexp.MustCompile(`"throttleRate":0[,}]`).MatchString(out) {
		t.Errorf("faults-off.sh left faults on: %s", out)
	}

	// Move time forward: Adele's 90-day assignment expires, she leaves the group, the audit trail says
	// so, and the plan assigns her again.
	if out := sh(0, "bash clock.sh"); !strings.Contains(out, `"virtual":true`) {
		t.Fatalf("clock.sh did not move the clock: %s", out)
	}
	if out := sh(0, "bash clock-set.sh"); !strings.Contains(out, `"now":"2040-01-01T09:00:`) {
		t.Errorf("clock-set.sh: %s", out)
	}
	members.Value = nil
	decodeJSON(t, sh(0, "bash members.sh"), &members)
	if slices.ContainsFunc(members.Value, func(m struct{ GroupID, MemberID string }) bool {
		return m.GroupID == "5eed0002-0000-4000-8000-000000000005" && m.MemberID == "5eed0001-0000-4000-8000-000000000002"
	}) {
		t.Errorf("Adele Vance is still a member of Project Falcon after her assignment expired")
	}
	if out := sh(0, "bash audit.sh"); !strings.Contains(out, `"activity":"assignmentExpired"`) {
		t.Errorf("audit.sh shows no expiry: %s", out)
	}
	out = sh(2, "terraform plan -detailed-exitcode -input=false -no-color")
	expectLines(t, out, `entragov_access_package_assignment.adele will be created`)

	sh(0, "bash reset.sh")
	out = sh(2, "terraform plan -detailed-exitcode -input=false -no-color")
	expectLines(t, out, `Plan: 6 to add, 0 to change, 0 to destroy`)
}

// TestAccGuide_driftDetection runs the drift detection guide: both plans and their exit codes before and
// after a change outside Terraform, the GitHub Actions step (signed in with the read-only application, as
// the guide says a planning pipeline can be), the plans the guide explains, and the resource_drift check
// the guide recommends over the refresh-only exit code.
func TestAccGuide_driftDetection(t *testing.T) {
	requireTools(t, "curl", "jq")
	w := newCLIWorkspace(t)
	copyGuide(t, "drift-detection", w.work)
	writeFile(t, filepath.Join(w.work, "drift-step.sh"), workflowRunBlock(t, readRepoFile(t, "examples/guides/drift-detection/drift-detection.yml"), "drift"))
	admin := w.localEnv(emulator.DefaultClientID, emulator.DefaultClientSecret)
	reader := w.localEnv(emulator.ReaderClientID, emulator.ReaderClientSecret)

	w.shell(0, admin, "terraform apply -auto-approve -input=false -no-color")
	w.shell(0, admin, "terraform plan -detailed-exitcode -input=false -no-color")
	w.shell(0, admin, "terraform plan -refresh-only -detailed-exitcode -input=false -no-color")
	expectLines(t, w.shell(0, admin, "bash exit-codes.sh"), `plan: exit 0`, `refresh-only plan: exit 0`)
	outputs := w.driftStep(reader)
	expectOutputs(t, outputs, map[string]string{"plan_exit": "0", "refresh_exit": "0", "drifted": "[]", "drift": "false"})
	if out := w.shell(0, admin, "bash resource-drift.sh | tail -n 1"); strings.TrimSpace(out) != "[]" {
		t.Errorf("resource-drift.sh without drift printed %q, want []", out)
	}

	// Someone renames and unpublishes the catalog.
	w.shell(0, admin, "bash change-out-of-band.sh")
	expectLines(t, w.shell(0, admin, "bash exit-codes.sh"), `plan: exit 2`, `refresh-only plan: exit 2`)
	out := w.shell(2, admin, "terraform plan -detailed-exitcode -input=false -no-color")
	expectLines(t, out, `entragov_catalog.partners will be updated in-place`,
		`display_name\s+= "Partner onboarding \(old\)" -> "Partner onboarding"`,
		`state\s+= "unpublished" -> "published"`, `Plan: 0 to add, 1 to change, 0 to destroy`)
	out = w.shell(2, admin, "terraform plan -refresh-only -detailed-exitcode -input=false -no-color")
	expectLines(t, out, `Objects have changed `+outsideOf, `entragov_catalog.partners has changed`,
		`display_name\s+= "Partner onboarding" -> "Partner onboarding \(old\)"`, `state\s+= "published" -> "unpublished"`)
	outputs = w.driftStep(reader)
	expectOutputs(t, outputs, map[string]string{"plan_exit": "2", "refresh_exit": "2", "drifted": `["entragov_catalog.partners"]`, "drift": "true"})
	if summary, err := os.ReadFile(filepath.Join(w.work, "summary.md")); err != nil || !strings.Contains(string(summary), "entragov_catalog.partners will be updated in-place") {
		t.Errorf("the job summary does not show the plan (%v):\n%s", err, summary)
	}
	if out := w.shell(0, admin, "bash resource-drift.sh | tail -n 1"); strings.TrimSpace(out) != `["entragov_catalog.partners"]` {
		t.Errorf("resource-drift.sh after the change printed %q", out)
	}
	w.shell(0, admin, "terraform apply -auto-approve -input=false -no-color")
	w.shell(0, admin, "terraform plan -detailed-exitcode -input=false -no-color")

	// Someone deletes the access package: it is created again and its policy, bound to it, replaced.
	var packageID string
	decodeJSON(t, w.shell(0, admin, "terraform show -json | jq -c '.values.root_module.resources[] | select(.address == \"entragov_access_package.consultants\") | .values.id'"), &packageID)
	if err := w.emulator.Server.DeleteObject("accessPackages", packageID); err != nil {
		t.Fatal(err)
	}
	out = w.shell(2, admin, "terraform plan -detailed-exitcode -input=false -no-color")
	expectLines(t, out, `entragov_access_package.consultants has been deleted`, `entragov_access_package.consultants will be created`,
		`entragov_assignment_policy.direct must be replaced`, `# forces replacement`)
	w.shell(0, admin, "terraform apply -auto-approve -input=false -no-color")
	w.shell(0, admin, "terraform plan -detailed-exitcode -input=false -no-color")
	w.shell(0, admin, "terraform plan -refresh-only -detailed-exitcode -input=false -no-color")

	// A resource with a number attribute (Terraform up to 1.14) and a data source (1.15): the guide's note on
	// refresh-only plans that exit 2 while printing "No changes". The check the guide recommends must report
	// no drift whatever the exit code.
	writeFile(t, filepath.Join(w.work, "settings.tf"), `
resource "entragov_lifecycle_workflow_settings" "this" {
  workflow_schedule_interval_in_hours = 6
}

data "entragov_catalog" "partners" {
  id = entragov_catalog.partners.id
}
`)
	w.shell(0, admin, "terraform apply -auto-approve -input=false -no-color")
	w.shell(0, admin, "terraform plan -detailed-exitcode -input=false -no-color")
	out = w.shell(0, admin, "set +e; terraform plan -refresh-only -detailed-exitcode -input=false -no-color; echo \"exit=$?\"")
	t.Logf("refresh-only plan with a number attribute, a data source and no drift: %s, \"No changes\" printed: %v",
		regexp.MustCompile(`exit=\d`).FindString(out), strings.Contains(out, "No changes."))
	if out := w.shell(0, admin, "bash resource-drift.sh | tail -n 1"); strings.TrimSpace(out) != "[]" {
		t.Errorf("resource-drift.sh without drift, with a number attribute, printed %q, want []", out)
	}
	w.shell(0, admin, "terraform destroy -auto-approve -input=false -no-color")
}

// TestAccGuide_authentication signs in with every method of the authentication guide, with the guide's
// snippets, and checks that every environment variable the guides name is one the provider reads.
func TestAccGuide_authentication(t *testing.T) {
	requireTools(t, "curl", "jq", "openssl", "base64")
	checkGuideVariables(t)
	workflow := readRepoFile(t, "examples/guides/authentication/github-actions.yml")
	if !regexp.MustCompile(`(?m)^permissions:\n(\s+.*\n)*?\s+id-token: write`).MatchString(workflow) {
		t.Errorf("the GitHub Actions workflow does not grant id-token: write:\n%s", workflow)
	}

	w := newCLIWorkspace(t)
	copyGuide(t, "authentication", w.work)
	ca, err := os.ReadFile(os.Getenv("SSL_CERT_FILE"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(w.work, "entragov-emulator-ca.pem"), string(ca))
	replaceInFiles(t, w.work, guideDocsPort, strings.TrimPrefix(w.emulator.URL, "https://"))
	replaceInFiles(t, w.work, "<tenant id>", emulator.DefaultTenantID)
	replaceInFiles(t, w.work, "<application (client) id>", emulator.DefaultClientID)
	replaceInFiles(t, w.work, "<client secret value>", emulator.DefaultClientSecret)
	replaceInFiles(t, w.work, "<managed identity client id>", emulator.UserAssignedClientID)
	replaceInFiles(t, w.work, "<gateway URL>", w.emulator.URL)

	general := ""
	catalogs, err := w.emulator.Server.ListObjects("catalogs")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range catalogs {
		if c["displayName"] == "General" {
			general, _ = c["id"].(string)
		}
	}
	signIn := "\nterraform apply -auto-approve -input=false -no-color >apply.log 2>&1 || { cat apply.log; exit 1; }\nterraform output -raw general_catalog_id"

	// Without credentials the provider refuses to start: nothing leaks into the runs below from elsewhere.
	expectLines(t, w.shell(1, nil, "source local-endpoints.sh\nterraform plan -input=false -no-color"), `No credentials configured for entragov`)

	w.shell(0, nil, "bash certificate-create.sh")
	w.shell(0, nil, "source local-endpoints.sh\nbash local-register-certificate.sh")
	w.shell(0, nil, "source local-endpoints.sh\nbash local-oidc-token.sh")
	for _, method := range []struct{ name, setup string }{
		{"client secret", "source client-secret.sh"},
		{"ARM_* variables", "source arm-variables.sh"},
		{"certificate file", "source certificate-path.sh"},
		{"PEM certificate file", "source certificate-pem.sh"},
		{"base64 certificate", "source certificate-base64.sh"},
		{"OIDC token", "source oidc-token.sh"},
		{"OIDC token file", "source oidc-token-file.sh"},
		{"GitHub Actions", "source local-github-actions.sh"},
		{"access token", "source local-access-token.sh"},
		{"system-assigned managed identity", "source local-managed-identity.sh\nsource managed-identity.sh"},
		{"user-assigned managed identity", "source local-managed-identity.sh\nsource managed-identity-user-assigned.sh"},
		{"token scope for a gateway", "source client-secret.sh\nsource graph-gateway.sh"},
	} {
		out := w.shell(0, nil, "source local-endpoints.sh\n"+method.setup+signIn)
		if strings.TrimSpace(lastLine(out)) != general {
			t.Errorf("%s: the apply did not read the General catalog %s:\n%s", method.name, general, out)
		}
	}

	// The Azure CLI: a stand-in az on PATH, signed out until the guide's az login.
	azDir := t.TempDir()
	azStandIn(t, azDir, localGraphToken(t, w.emulator), false)
	withAz := []string{"PATH=" + azDir + string(os.PathListSeparator) + w.pathDir() + string(os.PathListSeparator) + os.Getenv("PATH")}
	expectLines(t, w.shell(1, withAz, "source local-endpoints.sh\nexport ENTRAGOV_USE_CLI=true\nterraform plan -input=false -no-color"),
		`Error: Unable to sign in with the Azure CLI`, `Run 'az login'`)
	if out := w.shell(0, withAz, "source local-endpoints.sh\nsource azure-cli.sh"+signIn); strings.TrimSpace(lastLine(out)) != general {
		t.Errorf("Azure CLI: the apply did not read the General catalog %s:\n%s", general, out)
	}

	// Azure Pipelines: the step's environment as the pipeline maps it, in a job that Azure DevOps gave its
	// OIDC request URI and access token.
	pipeline := readRepoFile(t, "examples/guides/authentication/azure-pipelines.yml")
	stepEnv := pipelineStepEnv(t, pipeline, map[string]string{
		"<tenant id>": emulator.DefaultTenantID, "<application (client) id>": emulator.DefaultClientID,
		"<service connection id>": emulator.ADOServiceConnectionID, "$(System.AccessToken)": emulator.ADORequestToken,
	})
	if out := w.shell(0, stepEnv, "source local-endpoints.sh\nsource local-azure-devops.sh"+signIn); strings.TrimSpace(lastLine(out)) != general {
		t.Errorf("Azure Pipelines: the apply did not read the General catalog %s:\n%s", general, out)
	}
	var fedCred struct{ Issuer, Subject string }
	decodeJSON(t, readRepoFile(t, "examples/guides/authentication/federated-credential-azure-devops.json"), &fedCred)
	if !strings.HasPrefix(fedCred.Issuer, "https://vstoken.dev.azure.com/") || !regexp.MustCompile(`^sc://[^/]+/[^/]+/[^/]+$`).MatchString(fedCred.Subject) {
		t.Errorf("the Azure DevOps federated credential has the issuer %q and subject %q", fedCred.Issuer, fedCred.Subject)
	}
}

// pipelineStepEnv is the env mapping of an Azure Pipelines step as the agent passes it to the script:
// $(name) macros expanded from the pipeline's variables, then the given replacements (placeholders, and
// the predefined variables Azure DevOps fills).
func pipelineStepEnv(t *testing.T, pipeline string, replace map[string]string) []string {
	t.Helper()
	variables := map[string]string{}
	var env []string
	section := ""
	for _, line := range strings.Split(pipeline, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if !strings.HasPrefix(line, " ") || trimmed == "env:" {
			section = strings.TrimSuffix(trimmed, ":")
			continue
		}
		k, v, ok := strings.Cut(trimmed, ": ")
		if !ok {
			continue
		}
		switch section {
		case "variables":
			variables[k] = v
		case "env":
			env = append(env, k+"="+v)
		}
	}
	if len(env) == 0 {
		t.Fatalf("the pipeline has no step with an env mapping:\n%s", pipeline)
	}
	for i, kv := range env {
		for name, value := range variables {
			kv = strings.ReplaceAll(kv, "$("+name+")", value)
		}
		for old, value := range replace {
			kv = strings.ReplaceAll(kv, old, value)
		}
		if strings.Contains(kv, "$(") || strings.Contains(kv, "<") {
			t.Errorf("the pipeline's %s is left unexpanded", kv)
		}
		env[i] = kv
	}
	return env
}

// shell runs a bash script in the working directory the way a GitHub Actions step with `shell: bash` does,
// with the provider binary installed by the workspace's dev_overrides and terraform on PATH.
func (w *cliWorkspace) shell(wantExit int, env []string, script string) string {
	w.t.Helper()
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
	cmd.Dir = w.work
	cmd.Env = append(append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+w.cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"PATH="+w.pathDir()+string(os.PathListSeparator)+os.Getenv("PATH")), env...)
	out, err := cmd.CombinedOutput()
	exit := 0
	if exitErr, ok := err.(*exec.ExitError); ok {
		exit = exitErr.ExitCode()
	} else if err != nil {
		w.t.Fatalf("bash: %v", err)
	}
	if exit != wantExit {
		w.t.Fatalf("script exited %d, want %d:\n%s\noutput:\n%s", exit, wantExit, script, out)
	}
	return string(out)
}

// localEnv signs in to the workspace's in-process local API through the environment.
func (w *cliWorkspace) localEnv(clientID, secret string) []string {
	return []string{
		"ENTRAGOV_GRAPH_ENDPOINT=" + w.emulator.URL, "ENTRAGOV_LOGIN_ENDPOINT=" + w.emulator.URL,
		"ENTRAGOV_TENANT_ID=" + emulator.DefaultTenantID, "ENTRAGOV_CLIENT_ID=" + clientID, "ENTRAGOV_CLIENT_SECRET=" + secret,
	}
}

// driftStep runs the workflow's drift step as GitHub Actions would and returns its step outputs.
func (w *cliWorkspace) driftStep(env []string) map[string]string {
	w.t.Helper()
	outFile, summary := filepath.Join(w.work, "github-output"), filepath.Join(w.work, "summary.md")
	writeFile(w.t, outFile, "")
	writeFile(w.t, summary, "")
	w.shell(0, append(env, "GITHUB_OUTPUT="+outFile, "GITHUB_STEP_SUMMARY="+summary), "bash --noprofile --norc -eo pipefail drift-step.sh")
	raw, err := os.ReadFile(outFile)
	if err != nil {
		w.t.Fatal(err)
	}
	outputs := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			outputs[k] = v
		}
	}
	return outputs
}

func expectOutputs(t *testing.T, got, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("step output %s = %q, want %q (all outputs: %v)", k, got[k], v, got)
		}
	}
}

// workflowRunBlock returns the `run: |` script of the step with the given id, dedented.
func workflowRunBlock(t *testing.T, workflow, stepID string) string {
	t.Helper()
	lines := strings.Split(workflow, "\n")
	inStep := false
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		if trimmed == "id: "+stepID {
			inStep = true
			continue
		}
		if !inStep || trimmed != "run: |" {
			continue
		}
		keyIndent := len(line) - len(strings.TrimLeft(line, " "))
		var block []string
		blockIndent := -1
		for _, l := range lines[i+1:] {
			if strings.TrimSpace(l) == "" {
				block = append(block, "")
				continue
			}
			indent := len(l) - len(strings.TrimLeft(l, " "))
			if indent <= keyIndent {
				break
			}
			if blockIndent < 0 {
				blockIndent = indent
			}
			block = append(block, l[blockIndent:])
		}
		return strings.Join(block, "\n") + "\n"
	}
	t.Fatalf("no step with id %q and a run block in the workflow", stepID)
	return ""
}

// checkGuideVariables: every ENTRAGOV_* variable the guides and their snippets name, and every ARM_* and
// ACTIONS_ID_TOKEN_* variable of the authentication and drift detection guides, is one the provider reads
// (its schema's descriptions list them) or a make variable. (Other guides name the azuread provider's own
// ARM_* variables.)
func checkGuideVariables(t *testing.T) {
	t.Helper()
	var resp fwprovider.SchemaResponse
	provider.New("test")().Schema(context.Background(), fwprovider.SchemaRequest{}, &resp)
	known := map[string]bool{"ENTRAGOV_DEMO_PORT": true}
	allNames := regexp.MustCompile(`\b(?:ENTRAGOV|ARM|ACTIONS_ID_TOKEN|SYSTEM|IDENTITY)_[A-Z0-9_]*[A-Z0-9]\b`)
	ours := regexp.MustCompile(`\bENTRAGOV_[A-Z0-9_]*[A-Z0-9]\b`)
	for _, a := range resp.Schema.Attributes {
		for _, v := range allNames.FindAllString(a.GetMarkdownDescription(), -1) {
			known[v] = true
		}
	}
	if len(known) < 20 {
		t.Fatalf("found only %d variables in the provider schema; did the descriptions change?", len(known))
	}
	files, _ := filepath.Glob("../../templates/guides/*.md.tmpl")
	examples, _ := filepath.Glob("../../examples/guides/*/*")
	for _, f := range append(files, examples...) {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		names := ours
		if strings.Contains(f, "authentication") || strings.Contains(f, "drift-detection") {
			names = allNames
		}
		for _, v := range names.FindAllString(string(body), -1) {
			if !known[v] && !strings.HasSuffix(v, "_REQUEST") { // ARM_OIDC_REQUEST_* stands for a family
				t.Errorf("%s names %s, which the provider does not read", f, v)
			}
		}
	}
}

// checkSeedTables compares the local API guide's tables of seeded users, groups and service principals with
// the seed the emulator loads.
func checkSeedTables(t *testing.T, guide string) {
	t.Helper()
	var seed struct {
		Users             []map[string]any
		Groups            []map[string]any
		Applications      []map[string]any
		ServicePrincipals []map[string]any
	}
	decodeJSON(t, string(emulator.DefaultDirectorySeed()), &seed)
	names := map[string]string{}
	for _, u := range seed.Users {
		names[u["id"].(string)] = fmt.Sprint(u["displayName"])
	}
	for _, g := range seed.Groups {
		names[g["id"].(string)] = fmt.Sprint(g["displayName"])
	}
	appByAppID := map[string]string{}
	for _, a := range seed.Applications {
		appByAppID[fmt.Sprint(a["appId"])] = fmt.Sprint(a["displayName"])
	}
	for _, sp := range seed.ServicePrincipals {
		names[sp["id"].(string)] = appByAppID[fmt.Sprint(sp["appId"])]
	}
	rows := regexp.MustCompile("(?m)^\\| `(5eed[0-9a-f-]+)` \\| ([^|]+?) \\|").FindAllStringSubmatch(guide, -1)
	if len(rows) != len(names) {
		t.Errorf("the guide lists %d seeded objects, the seed has %d", len(rows), len(names))
	}
	for _, r := range rows {
		if names[r[1]] != r[2] {
			t.Errorf("the guide names %s %q, the seed %q", r[1], r[2], names[r[1]])
		}
	}
}

// startEmulatorCommand runs the entragov-emulator command in dir and returns its URL; it is stopped with
// SIGINT when the test ends.
func startEmulatorCommand(t *testing.T, bin, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	urls := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			if u, ok := strings.CutPrefix(scanner.Text(), "entragov emulator listening on "); ok {
				urls <- u
			}
		}
	}()
	select {
	case u := <-urls:
		return u
	case <-time.After(30 * time.Second):
		t.Fatal("entragov-emulator did not start within 30 s")
	}
	return ""
}

// copyGuide copies examples/guides/<guide>/* into dir.
func copyGuide(t *testing.T, guide, dir string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("../../examples/guides", guide, "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no files for the guide %s (%v)", guide, err)
	}
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, filepath.Base(f)), string(body))
	}
}

func replaceInFiles(t *testing.T, dir, old, replacement string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.sh"))
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, f, strings.ReplaceAll(string(body), old, replacement))
	}
}

func readRepoFile(t *testing.T, rel string) string {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("../..", rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

func expectLines(t *testing.T, out string, patterns ...string) {
	t.Helper()
	for _, p := range patterns {
		if !regexp.MustCompile(p).MatchString(out) {
			t.Errorf("output does not match %q:\n%s", p, out)
		}
	}
}

func decodeJSON(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(strings.TrimSpace(s)), v); err != nil {
		t.Fatalf("decoding %q: %v", s, err)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func requireTools(t *testing.T, tools ...string) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the guide's commands need %s, which is not on PATH", tool)
		}
	}
}
