package acctest

import (
	"strings"
	"testing"
)

// In live mode every governance object the configuration names gets the test's prefix: resources and
// the data sources that find them by name; objects the tenant already has (groups, users) keep theirs.
func TestLiveConfigPrefixesGovernanceNames(t *testing.T) {
	target := &liveTarget{graphEndpoint: "https://graph.example", loginEndpoint: "https://login.example",
		tenantID: "t", clientID: "c", secret: "s", runPrefix: "tfacc-0a0b0c-"}
	e := &Emulator{live: target, namePrefix: testPrefix(target.runPrefix, t.Name())}
	got := e.Config(`
data "entragov_group" "falcon" {
  display_name = "Project Falcon"
}

resource "entragov_catalog" "test" {
  display_name = "Partners"
  description  = "display_name = \"not an argument\""
}

data "entragov_catalog" "by_name" {
  display_name = "Partners"
}

resource "entragov_lifecycle_workflow" "w" {
  display_name = "Leavers ${var.x}"
  tasks = [{ task_definition_id = "x", display_name = "Inline task" }]
}
`)
	prefix := e.Name("")
	if !strings.HasPrefix(prefix, "tfacc-0a0b0c-") || prefix == "tfacc-0a0b0c-" {
		t.Fatalf("the test prefix %q does not extend the run prefix", prefix)
	}
	for _, want := range []string{
		`display_name = "Project Falcon"`,
		`display_name = "` + prefix + `Partners"` + "\n  description",
		"data \"entragov_catalog\" \"by_name\" {\n  display_name = \"" + prefix + "Partners\"",
		`display_name = "` + prefix + `Leavers ${var.x}"`,
		`display_name = "Inline task"`,
		`graph_endpoint = "https://graph.example"`,
		`client_secret  = "s"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the live configuration lacks %q:\n%s", want, got)
		}
	}
	if other := testPrefix(target.runPrefix, "TestSomethingElse"); other == prefix {
		t.Errorf("two tests share the prefix %q", other)
	}
	if local := (&Emulator{}).Name("Partners"); local != "Partners" {
		t.Errorf("outside live mode a name changed: %q", local)
	}
}
