package graph

import (
	"net/http"
	"testing"
	"time"
)

// Graph's clock is estimated from its answers' Date headers, never ahead of it: an object stamped more
// than a second before Graph's clock reached the create's start predates the create.
func TestCreateStartMayHaveMade(t *testing.T) {
	local := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	var clock serverClock
	start := CreateStart{local: local, clock: &clock}
	stamp := func(d time.Duration) string { return local.Add(d).Format(time.RFC3339Nano) }

	// No Date seen yet: this machine's clock, with five minutes of skew allowed.
	if !start.MayHaveMade(stamp(-4*time.Minute)) || start.MayHaveMade(stamp(-6*time.Minute)) {
		t.Fatal("without a Date the five-minute rule applies")
	}
	// Graph's clock runs 10 s ahead of this machine's: answers dated 12:00:20 arrive at 12:00:10.3 and
	// 12:00:10.9 (the larger offset, 9.7 s, is kept: neither runs ahead of Graph).
	clock.observe(local.Add(20*time.Second).Format(http.TimeFormat), local.Add(10300*time.Millisecond))
	clock.observe(local.Add(20*time.Second).Format(http.TimeFormat), local.Add(10900*time.Millisecond))
	cases := []struct {
		stamp time.Duration // from the local start
		want  bool
	}{
		{9*time.Second + 700*time.Millisecond, true}, // when Graph's clock reached the start, as estimated
		{9 * time.Second, true},                      // within a second of it
		{8 * time.Second, false},                     // made before the create was sent
		{-time.Minute, false},
		{time.Minute, true},
	}
	for _, c := range cases {
		if got := start.MayHaveMade(stamp(c.stamp)); got != c.want {
			t.Errorf("stamped %v after the local start: got %v, want %v", c.stamp, got, c.want)
		}
	}
	if !start.MayHaveMade("not a time") {
		t.Error("an unparsable stamp must not hide the object")
	}
	clock.observe("not a date", local)
	if got, _ := clock.graphTimeAt(local); !got.Equal(local.Add(9700 * time.Millisecond)) {
		t.Errorf("an unparsable Date changed the estimate: %v", got)
	}
}
