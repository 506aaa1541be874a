package provider_test

import (
	"regexp"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// TestAccGuide_partnerOnboarding applies the partner-onboarding guide's configuration against the local API
// and checks the outputs the guide shows: the designer assigned by email is invited and his assignment waits
// for him; once he redeems (the guide's redeem.sh), a refresh shows it delivered and the plan stays empty.
func TestAccGuide_partnerOnboarding(t *testing.T) {
	requireTools(t, "curl", "jq")
	guide := readRepoFile(t, "templates/guides/partner-onboarding.md.tmpl")
	outputs := regexp.MustCompile("(?s)```text\n(Outputs:.*?)```").FindAllStringSubmatch(guide, -1)
	if len(outputs) != 2 {
		t.Fatalf("the guide shows %d expected outputs (text blocks starting with Outputs:), want 2: after the apply and after the redemption", len(outputs))
	}
	w := newCLIWorkspace(t)
	copyGuide(t, "partner-onboarding", w.work)
	admin := w.localEnv(emulator.DefaultClientID, emulator.DefaultClientSecret)

	out := w.shell(0, admin, "terraform apply -auto-approve -input=false -no-color")
	expectGuideOutput(t, out, outputs[0][1])
	expectLines(t, w.shell(0, admin, "terraform plan -detailed-exitcode -input=false -no-color"), `No changes\.`)

	w.shell(0, admin, "bash redeem.sh")
	out = w.shell(0, admin, "terraform apply -refresh-only -auto-approve -input=false -no-color")
	expectGuideOutput(t, out, outputs[1][1])
	expectLines(t, w.shell(0, admin, "terraform plan -detailed-exitcode -input=false -no-color"), `No changes\.`)
	// Offboarding the partner is one destroy: the delivered assignment goes with the rest.
	w.shell(0, admin, "terraform destroy -auto-approve -input=false -no-color")
}
