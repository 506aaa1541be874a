package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A plan whose only finding is medium (a catalog published), planned or as drift.
const (
	plannedMedium = `{"format_version":"1.2","planned_values":{},"resource_changes":[{"address":"entragov_catalog.c","mode":"managed",
  "type":"entragov_catalog","name":"c","change":{"actions":["update"],"before":{"state":"unpublished"},"after":{"state":"published"}}}]}`
	driftMedium = `{"format_version":"1.2","planned_values":{},"resource_drift":[{"address":"entragov_catalog.c","mode":"managed",
  "type":"entragov_catalog","name":"c","change":{"actions":["update"],"before":{"state":"unpublished"},"after":{"state":"published"}}}]}`
	nothingRisky = `{"format_version":"1.2","planned_values":{},"resource_changes":[{"address":"entragov_catalog.c","mode":"managed",
  "type":"entragov_catalog","name":"c","change":{"actions":["update"],"before":{"description":"a"},"after":{"description":"b"}}}]}`
)

func TestExitCodes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		want  int
	}{
		{"medium under the default high", nil, plannedMedium, exitOK},
		{"medium with -fail-on medium", []string{"-fail-on", "medium"}, plannedMedium, exitFound},
		{"medium with -fail-on low", []string{"-fail-on=low"}, plannedMedium, exitFound},
		{"medium drift with -fail-on medium", []string{"-fail-on", "medium"}, driftMedium, exitFound},
		{"medium with -fail-on none", []string{"-fail-on", "none"}, plannedMedium, exitOK},
		{"nothing risky with -fail-on low", []string{"-fail-on", "low", "-"}, nothingRisky, exitOK},
		{"an unknown level", []string{"-fail-on", "critical"}, plannedMedium, exitUsage},
		{"an unknown format", []string{"-format", "html"}, plannedMedium, exitUsage},
		{"an unknown flag", []string{"-strict"}, plannedMedium, exitUsage},
		{"two plans", []string{"a.json", "b.json"}, "", exitUsage},
		{"a missing file", []string{filepath.Join(t.TempDir(), "missing.json")}, "", exitUsage},
		{"not a plan", nil, "Plan: 1 to add", exitUsage},
		{"-help", []string{"-help"}, "", exitOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if got := run(tc.args, strings.NewReader(tc.stdin), &stdout, &stderr); got != tc.want {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", got, tc.want, stdout.String(), stderr.String())
			}
			if tc.want == exitUsage && stderr.Len() == 0 {
				t.Error("a usage error says nothing on stderr")
			}
		})
	}
}

func TestReadsAFileInEveryFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(path, []byte(plannedMedium), 0o600); err != nil {
		t.Fatal(err)
	}
	for format, want := range map[string]string{
		"markdown": "| 🟠 medium | `catalog-published` |",
		"text":     "MEDIUM catalog-published: An unpublished catalog is published",
		"json":     `"rule": "catalog-published"`,
	} {
		var stdout, stderr bytes.Buffer
		if got := run([]string{"-format", format, "-fail-on", "medium", path}, strings.NewReader(""), &stdout, &stderr); got != exitFound {
			t.Errorf("%s: exit %d, want %d: %s", format, got, exitFound, stderr.String())
		}
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("%s output lacks %q:\n%s", format, want, stdout.String())
		}
	}
}
