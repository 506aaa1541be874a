package bench

import (
	"strings"
	"testing"
)

func TestNewMix(t *testing.T) {
	for _, tc := range []struct {
		n                        int
		catalogs, orgs, workflow int
	}{
		{100, 6, 5, 5},
		{1000, 60, 50, 50},
		{3000, 183, 155, 100}, // workflows stop at the tenant limit
		{123, 7, 12, 6},
	} {
		m, err := NewMix(tc.n)
		if err != nil {
			t.Fatal(err)
		}
		if m.Total() != tc.n || m.Catalogs != tc.catalogs || m.ConnectedOrganizations != tc.orgs || m.LifecycleWorkflows != tc.workflow {
			t.Errorf("NewMix(%d) = %+v (total %d), want %d catalogs, %d organizations, %d workflows", tc.n, m, m.Total(), tc.catalogs, tc.orgs, tc.workflow)
		}
	}
	if _, err := NewMix(10); err == nil {
		t.Error("NewMix(10) succeeded, want an error")
	}
}

func TestConfigsHaveTheSameShape(t *testing.T) {
	m, err := NewMix(100)
	if err != nil {
		t.Fatal(err)
	}
	p, b := m.ProviderConfig(), m.BaselineConfig()
	if strings.Contains(p, "$") || strings.Contains(b, "$") {
		t.Fatal("an unreplaced $reference is left")
	}
	if got, want := strings.Count(b, `resource "terraform_data"`), strings.Count(p, `resource "entragov_`); got != want {
		t.Errorf("baseline has %d blocks, provider configuration %d", got, want)
	}
	if !strings.Contains(p, "entragov_catalog.catalog[floor(count.index / 3)].id") || !strings.Contains(b, "terraform_data.catalog[floor(count.index / 3)].id") {
		t.Error("references are not rewritten per configuration")
	}
}
