package emulator

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// fixedReal is a real clock that stands still, so tests see exact times.
func fixedReal(t0 time.Time) func() time.Time { return func() time.Time { return t0 } }

var clockT0 = time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC)

func TestClockStartsAtRealTime(t *testing.T) {
	c := NewClock(fixedReal(clockT0))
	if got := c.Now(); !got.Equal(clockT0) || c.Offset() != 0 {
		t.Fatalf("Now = %s, offset %s; want the real time %s", got, c.Offset(), clockT0)
	}
}

// Effects run in time order whatever order they were registered in; each sees the clock
// at its due time; ties run in registration order; effects after the target wait.
func TestClockAdvanceRunsDueEffectsInOrder(t *testing.T) {
	c := NewClock(fixedReal(clockT0))
	var log []string
	record := func(name string) func(time.Time) {
		return func(at time.Time) {
			log = append(log, name+"@"+at.Sub(clockT0).String()+" now="+c.Now().Sub(clockT0).String())
		}
	}
	c.At(clockT0.Add(72*time.Hour), "c", record("c"))
	c.At(clockT0.Add(24*time.Hour), "a", record("a"))
	c.At(clockT0.Add(48*time.Hour), "b1", record("b1"))
	c.At(clockT0.Add(48*time.Hour), "b2", record("b2"))
	c.At(clockT0.Add(240*time.Hour), "later", record("later"))

	now, err := c.Advance(96 * time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	want := "a@24h0m0s now=24h0m0s,b1@48h0m0s now=48h0m0s,b2@48h0m0s now=48h0m0s,c@72h0m0s now=72h0m0s"
	if got := strings.Join(log, ","); got != want {
		t.Fatalf("ran %s\nwant %s", got, want)
	}
	if !now.Equal(clockT0.Add(96*time.Hour)) || !c.Now().Equal(now) {
		t.Fatalf("clock at %s after the advance (answered %s), want %s", c.Now(), now, clockT0.Add(96*time.Hour))
	}
	if p := c.Pending(); len(p) != 1 || p[0].What != "later" {
		t.Fatalf("pending %v, want only 'later'", p)
	}
}

// An effect may register further effects: those due before the end of the advance run in
// the same advance, in time order with the others; one due in the past runs at once.
func TestClockEffectsScheduleEffects(t *testing.T) {
	c := NewClock(fixedReal(clockT0))
	var log []string
	day := 24 * time.Hour
	c.At(clockT0.Add(1*day), "expire", func(at time.Time) {
		log = append(log, "expire@"+at.Sub(clockT0).String())
		c.At(at.Add(30*day), "delete", func(at time.Time) { log = append(log, "delete@"+at.Sub(clockT0).String()) })
		c.At(at.Add(-time.Hour), "overdue", func(at time.Time) { log = append(log, "overdue@"+at.Sub(clockT0).String()) })
	})
	c.At(clockT0.Add(10*day), "between", func(at time.Time) { log = append(log, "between@"+at.Sub(clockT0).String()) })
	if _, err := c.Advance(40 * day); err != nil {
		t.Fatal(err)
	}
	want := "expire@24h0m0s,overdue@24h0m0s,between@240h0m0s,delete@744h0m0s"
	if got := strings.Join(log, ","); got != want {
		t.Fatalf("ran %s\nwant %s", got, want)
	}
}

// The clock never goes back: a negative advance and a set to an earlier time are refused
// and change nothing; a set forward runs the effects on the way.
func TestClockNeverGoesBackwards(t *testing.T) {
	c := NewClock(fixedReal(clockT0))
	ran := 0
	c.At(clockT0.Add(time.Hour), "x", func(time.Time) { ran++ })
	if _, err := c.Advance(-time.Second); !errors.Is(err, ErrClockBackwards) {
		t.Fatalf("negative advance: err %v, want ErrClockBackwards", err)
	}
	if _, err := c.Set(clockT0.Add(-time.Minute)); !errors.Is(err, ErrClockBackwards) {
		t.Fatalf("set into the past: err %v, want ErrClockBackwards", err)
	}
	if !c.Now().Equal(clockT0) || ran != 0 {
		t.Fatalf("refused moves changed the clock (%s) or ran effects (%d)", c.Now(), ran)
	}
	if _, err := c.Set(clockT0.Add(2 * time.Hour)); err != nil || ran != 1 {
		t.Fatalf("set forward: err %v, effects run %d, want nil and 1", err, ran)
	}
	if _, err := c.Set(clockT0.Add(time.Hour)); !errors.Is(err, ErrClockBackwards) {
		t.Fatalf("set back after a move: err %v, want ErrClockBackwards", err)
	}
}

// Real time makes effects due too: RunDue runs them, with their due time, and the clock
// keeps running from where a move left it.
func TestClockRunDueFollowsRealTime(t *testing.T) {
	wall := clockT0
	c := NewClock(func() time.Time { return wall })
	if _, err := c.Advance(time.Hour); err != nil {
		t.Fatal(err)
	}
	var at time.Time
	c.At(clockT0.Add(90*time.Minute), "x", func(t time.Time) { at = t })
	c.RunDue()
	if !at.IsZero() {
		t.Fatal("an effect ran before it was due")
	}
	wall = wall.Add(45 * time.Minute) // the virtual clock is now at +1h45m
	if !c.Now().Equal(clockT0.Add(105 * time.Minute)) {
		t.Fatalf("Now = %s, want the moved time plus the wall time since", c.Now())
	}
	c.RunDue()
	if !at.Equal(clockT0.Add(90 * time.Minute)) {
		t.Fatalf("effect ran at %s, want its due time", at)
	}
}

// The control API: read, advance by an ISO 8601 duration, set to an RFC 3339 time, and the
// 400s of a move backwards or a bad body.
func TestClockControlAPI(t *testing.T) {
	e := newEnv(t, Config{})
	resp, body := e.do("GET", "/_emulator/clock", nil)
	if resp.StatusCode != 200 || body["virtual"] != false {
		t.Fatalf("GET clock: %d %v", resp.StatusCode, body)
	}
	before := e.srv.ClockNow()
	resp, body = e.do("POST", "/_emulator/clock/advance", map[string]any{"duration": "P181D"})
	if resp.StatusCode != 200 || body["virtual"] != true {
		t.Fatalf("advance: %d %v", resp.StatusCode, body)
	}
	if got, _ := time.Parse(time.RFC3339Nano, body["now"].(string)); got.Sub(before) < 181*24*time.Hour {
		t.Fatalf("advance by P181D answered now %s, from %s", body["now"], before)
	}
	target := e.srv.ClockNow().Add(48 * time.Hour).UTC().Truncate(time.Second)
	resp, body = e.do("POST", "/_emulator/clock/set", map[string]any{"dateTime": target.Format(time.RFC3339)})
	// Real time runs on from the time set (by the moment of the answer).
	if got, _ := time.Parse(time.RFC3339Nano, body["now"].(string)); resp.StatusCode != 200 || got.Before(target) || got.Sub(target) > time.Minute {
		t.Fatalf("set: %d %v, want now %s", resp.StatusCode, body, target.Format(time.RFC3339Nano))
	}
	for _, c := range []struct {
		path string
		body any
		msg  string
	}{
		{"/_emulator/clock/set", map[string]any{"dateTime": "2020-01-01T00:00:00Z"}, "never goes backwards"},
		{"/_emulator/clock/advance", map[string]any{"duration": "tomorrow"}, "not a valid ISO 8601 duration"},
		{"/_emulator/clock/advance", map[string]any{}, "body must be"},
		{"/_emulator/clock/set", map[string]any{"dateTime": "2030-01-01"}, "not an RFC 3339"},
	} {
		resp, body := e.do("POST", c.path, c.body)
		msg, _ := body["error"].(map[string]any)["message"].(string)
		if resp.StatusCode != 400 || !strings.Contains(msg, c.msg) {
			t.Errorf("POST %s %v: %d %v, want 400 with %q", c.path, c.body, resp.StatusCode, body, c.msg)
		}
	}
	if now := e.srv.ClockNow(); now.Before(target) {
		t.Fatalf("a refused move took the clock back to %s", now)
	}
}
