package provider_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/review"
)

// TestAccGuide_reviewingChanges runs the guide "Reviewing governance changes in pull requests": its
// configuration, its commands with the entragov-review built from this tree, the review steps of its two
// workflows as GitHub Actions runs them, and the outputs the guide prints; its rule table must list every rule.
func TestAccGuide_reviewingChanges(t *testing.T) {
	requireTools(t, "curl")
	guide := readRepoFile(t, "templates/guides/reviewing-changes.md.tmpl")
	for _, r := range review.Rules {
		if !strings.Contains(guide, "| `"+r.Name+"` | "+r.Level.String()+" |") {
			t.Errorf("the guide's rule table lacks %s (%s)", r.Name, r.Level)
		}
	}
	examples := regexp.MustCompile("(?s)```text\n(Governance review.*?)```").FindAllStringSubmatch(guide, -1)
	if len(examples) != 2 {
		t.Fatalf("the guide has %d example reviews, want 2 (a pull request plan, a drift run)", len(examples))
	}

	w := newCLIWorkspace(t)
	bin := filepath.Join(w.dir, "review-bin")
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "entragov-review"), "../review/cmd/entragov-review")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building entragov-review: %v\n%s", err, out)
	}
	copyGuide(t, "reviewing-changes", w.work)
	env := append(w.localEnv(emulator.DefaultClientID, emulator.DefaultClientSecret),
		"PATH="+bin+string(os.PathListSeparator)+w.pathDir()+string(os.PathListSeparator)+os.Getenv("PATH"))
	prStep := workflowRunBlock(t, readRepoFile(t, "examples/guides/reviewing-changes/pull-request.yml"), "review")
	driftStep := workflowRunBlock(t, readRepoFile(t, "examples/guides/reviewing-changes/drift-review.yml"), "drift")

	w.shell(0, env, "terraform apply -auto-approve -input=false -no-color")
	outputs, summary := w.workflowStep(env, prStep)
	expectOutputs(t, outputs, map[string]string{"review_exit": "0"})
	expectLines(t, summary, `^## Governance review of the plan: 0 high, 0 medium, 0 low`, `No risky planned change\.`)

	// The pull request turns approval off.
	mainTF := filepath.Join(w.work, "main.tf")
	original, err := os.ReadFile(mainTF)
	if err != nil {
		t.Fatal(err)
	}
	changed := regexp.MustCompile(`(?s)request_approval_settings = \{.*?\n  \}`).ReplaceAllString(string(original), "request_approval_settings = { approval_required_for_add = false }")
	if changed == string(original) {
		t.Fatal("the guide's configuration has no request_approval_settings block to change")
	}
	writeFile(t, mainTF, changed)
	out := w.shell(0, env, "bash review-plan.sh")
	expectGuideOutput(t, out, examples[0][1])
	expectLines(t, out, `entragov-review: exit 1`)
	outputs, summary = w.workflowStep(env, prStep)
	expectOutputs(t, outputs, map[string]string{"review_exit": "1"})
	expectLines(t, summary, `Governance review of the plan: 1 high`, "`approval-disabled`", `Requests are granted without anyone approving them`)

	// Back to the applied configuration; someone turns approval off in the portal.
	writeFile(t, mainTF, string(original))
	w.shell(0, env, "bash change-out-of-band.sh")
	out = w.shell(0, env, "bash review-drift.sh")
	expectGuideOutput(t, out, examples[1][1])
	expectLines(t, out, `entragov-review: exit 1`)
	outputs, summary = w.workflowStep(env, driftStep)
	expectOutputs(t, outputs, map[string]string{"review_exit": "1"})
	expectLines(t, summary, `Governance review of the refresh-only plan: 1 high`, `### Changed outside Terraform`,
		`entragov_assignment_policy\.employees \("Employees"\) `+"`` — changed outside Terraform")

	w.shell(0, env, "terraform apply -auto-approve -input=false -no-color")
	w.shell(0, env, "terraform destroy -auto-approve -input=false -no-color")
}

// workflowStep runs a workflow step's script as GitHub Actions would, returning its outputs and job summary.
func (w *cliWorkspace) workflowStep(env []string, script string) (map[string]string, string) {
	w.t.Helper()
	writeFile(w.t, filepath.Join(w.work, "step.sh"), script)
	outFile, summaryFile := filepath.Join(w.work, "github-output"), filepath.Join(w.work, "summary.md")
	writeFile(w.t, outFile, "")
	writeFile(w.t, summaryFile, "")
	w.shell(0, append(env, "GITHUB_OUTPUT="+outFile, "GITHUB_STEP_SUMMARY="+summaryFile), "bash --noprofile --norc -eo pipefail step.sh")
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
	summary, err := os.ReadFile(summaryFile)
	if err != nil {
		w.t.Fatal(err)
	}
	return outputs, string(summary)
}

// expectGuideOutput: the review the guide prints is, line for line, in the command's output.
func expectGuideOutput(t *testing.T, out, want string) {
	t.Helper()
	if !strings.Contains(out, strings.TrimSpace(want)) {
		t.Errorf("the output differs from the guide's example:\n--- output\n%s\n--- guide\n%s", out, want)
	}
}
