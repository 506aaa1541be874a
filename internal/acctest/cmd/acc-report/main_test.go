package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// summarizeFile writes report lines to a file and returns acc-report's exit code and output.
func summarizeFile(t *testing.T, lines ...string) (int, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	code := summarize(path)
	os.Stdout = stdout
	_ = w.Close()
	out, _ := io.ReadAll(r)
	return code, string(out)
}

func TestSummarizeFailsOnObjectsLeftBehindAndNamesTheirCollections(t *testing.T) {
	code, out := summarizeFile(t,
		`{"test":"TestAccA","requests":10}`,
		`{"test":"TestAccB","requests":5,"leftovers":2,"changed":{"catalogs":1,"accessPackages":1,"users":-1}}`)
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	for _, want := range []string{
		"objects left behind by TestAccB: 2",
		"accessPackages +1, catalogs +1, users -1",
		"fault suite: 2 tests, 15 Graph requests",
		"orphans: 2",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestSummarizePassesACleanSuite(t *testing.T) {
	code, out := summarizeFile(t, `{"test":"TestAccA","requests":10,"throttled":2}`)
	if code != 0 || !strings.Contains(out, "orphans: 0") || strings.Contains(out, "left behind") {
		t.Errorf("exit code %d, output:\n%s", code, out)
	}
}

func TestSummarizeReportsObjectsRecordedOutsideButGone(t *testing.T) {
	code, out := summarizeFile(t, `{"test":"TestAccC","leftovers":-1,"changed":{"workflows":-1}}`)
	if code != 1 || !strings.Contains(out, "TestAccC recorded 1 more objects as made outside Terraform") {
		t.Errorf("exit code %d, output:\n%s", code, out)
	}
}
