package provider_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// TestAccGuide_inventoryGuests runs the guide "Inventory your guests and partner domains": the local API's
// partners script, the discovery configuration, and the outputs the guide prints; the inventory must read no
// user one by one.
func TestAccGuide_inventoryGuests(t *testing.T) {
	requireTools(t, "curl", "jq")
	guide := readRepoFile(t, "templates/guides/inventory-guests.md.tmpl")
	expected := regexp.MustCompile("(?s)```text\n(Outputs:.*?)```").FindStringSubmatch(guide)
	if expected == nil {
		t.Fatal("the guide shows no expected outputs (a text block starting with Outputs:)")
	}
	w := newCLIWorkspace(t)
	copyGuide(t, "inventory-guests", w.work)
	admin := w.localEnv(emulator.DefaultClientID, emulator.DefaultClientSecret)

	// The script stands for what a tenant already holds, made long before the provider runs: it runs
	// without the faults make testfaults injects for the provider (curl does not retry a 429), and its
	// objects are past any replication delay when Terraform reads them.
	faults := w.emulator.Server.Faults()
	w.emulator.Server.SetFaults(emulator.Faults{})
	w.shell(0, admin, "bash partners.sh")
	w.emulator.CreatedOutsideTerraform(1) // the script's connected organization
	faults.ReadAfterCreateDelay = 0
	w.emulator.Server.SetFaults(faults)
	w.emulator.Server.ResetRequestCount()
	out := w.shell(0, admin, "terraform apply -auto-approve -input=false -no-color")
	expectGuideOutput(t, out, expected[1])
	for route, n := range w.emulator.Server.RequestCount().ByRoute {
		if strings.HasPrefix(route, "GET /v1.0/users/{") && n > 0 {
			t.Errorf("the inventory read users one by one: %d requests to %s", n, route)
		}
	}
	// Reading changes nothing: the next plan is empty.
	expectLines(t, w.shell(0, admin, "terraform plan -detailed-exitcode -input=false -no-color"), `No changes\.`)
}
