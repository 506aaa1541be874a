package provider_test

import (
	"regexp"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// TestAccGuide_rehearseOffline runs the "Rehearse your governance design offline" guide against the local
// API: the clock starts on a known day, the configuration is applied, seven months pass in two moves, and
// the audit trail the guide's script prints must be the one the guide shows; the plan afterwards wants to
// assign the guest again, as the guide explains.
func TestAccGuide_rehearseOffline(t *testing.T) {
	requireTools(t, "curl", "jq")
	guide := readRepoFile(t, "templates/guides/rehearse-offline.md.tmpl")
	expected := regexp.MustCompile("(?s)```text\n(.*?)```").FindStringSubmatch(guide)
	if expected == nil {
		t.Fatal("the guide shows no expected audit trail (a text block)")
	}
	w := newCLIWorkspace(t)
	copyGuide(t, "rehearse-offline", w.work)
	admin := w.localEnv(emulator.DefaultClientID, emulator.DefaultClientSecret)

	w.shell(0, admin, "bash start.sh")
	w.shell(0, admin, "terraform apply -auto-approve -input=false -no-color")
	out := w.shell(0, admin, "bash rehearse.sh")
	expectGuideOutput(t, out, expected[1])
	expectLines(t, w.shell(2, admin, "terraform plan -detailed-exitcode -input=false -no-color"),
		`entragov_access_package_assignment\.ben will be created`)
	// What the rehearsal leaves (an expired assignment, a deleted guest) does not stop a destroy.
	w.shell(0, admin, "terraform destroy -auto-approve -input=false -no-color")
}
