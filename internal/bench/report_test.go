package bench

import (
	"strings"
	"testing"
)

// A size that ran the provider's phases only has no baseline: growth still compares the provider's own
// requests, time and memory per object, and says the baseline is missing instead of dividing by zero.
func TestEvaluateGrowthWithProviderOnlySize(t *testing.T) {
	phase := func(name string, n int, wall, mib float64, reqs int, baseline float64) PhaseResult {
		return PhaseResult{Phase: name, Provider: Measurement{WallS: wall, PeakProviderMiB: mib}, Baseline: Measurement{WallS: baseline},
			RequestsPerObject: float64(reqs) / float64(n), MsPerObject: wall * 1000 / float64(n)}
	}
	res := &Results{Sizes: []SizeResult{
		{N: 100, Phases: []PhaseResult{phase(PhasePlan, 100, 0.6, 80, 57, 0.15)}},
		{N: 5000, ProviderOnly: true, Phases: []PhaseResult{phase(PhasePlan, 5000, 60, 520, 2100, 0)}},
	}}
	got := map[string]Target{}
	for _, tg := range evaluateGrowth(res) {
		got[tg.Name] = tg
	}
	if tg := got["no-op plan: requests per object flat"]; !tg.Pass {
		t.Errorf("requests 0.57 -> 0.42 per object should pass: %+v", tg)
	}
	tm := got["no-op plan: time per object <= 1.5x from 100 to 5000"]
	if tm.Pass || !strings.Contains(tm.Detail, "no terraform_data baseline at 5000") || strings.Contains(tm.Detail, "NaN") || strings.Contains(tm.Detail, "Inf") {
		t.Errorf("time 6 -> 12 ms per object should fail and name the missing baseline: %+v", tm)
	}
	if mem := got["no-op plan: provider memory per object <= 1.5x from 100 to 5000"]; !mem.Pass || !strings.Contains(mem.Detail, "80 MiB at 100 -> 520 MiB at 5000") {
		t.Errorf("memory 0.8 -> 0.1 MiB per object should pass: %+v", mem)
	}
}
