package provider

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestTuneGC(t *testing.T) {
	percent := debug.SetGCPercent(100)
	limit := debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	})

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	if !TuneGC() {
		t.Fatal("TuneGC changed nothing although neither GOGC nor GOMEMLIMIT is set")
	}
	if got := debug.SetGCPercent(100); got != providerGCPercent {
		t.Errorf("GC percent %d, want %d", got, providerGCPercent)
	}
	if got := debug.SetMemoryLimit(math.MaxInt64); got != providerMemoryLimit {
		t.Errorf("memory limit %d, want %d", got, providerMemoryLimit)
	}

	// What the user sets wins.
	t.Setenv("GOGC", "50")
	t.Setenv("GOMEMLIMIT", "2GiB")
	debug.SetGCPercent(50)
	if TuneGC() {
		t.Error("TuneGC overrode GOGC and GOMEMLIMIT")
	}
	if got := debug.SetGCPercent(100); got != 50 {
		t.Errorf("GC percent %d after GOGC=50, want 50", got)
	}
}
