package emulator

import (
	"container/heap"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Clock is the local API's one clock of behaviour: real time by default, moved forward
// (never back) through the control API, with a scheduler of time-driven effects.
//
// An effect registers its due time with At. Advance and Set run every effect due up to
// the new time in time order (ties in registration order), each with the clock pinned at
// its due time, so an effect sees the world as it is at that moment and may register
// further effects, which run in the same advance when they fall due before its end.
// RunDue runs the effects real time has made due (the router calls it before each request).
type Clock struct {
	real func() time.Time

	mu     sync.Mutex
	offset time.Duration // virtual minus real time
	pinned time.Time     // non-zero while Advance runs an effect
	queue  effectQueue
	seq    uint64

	// runMu lets one caller at a time run effects (Advance, Set, RunDue).
	runMu sync.Mutex
}

// ErrClockBackwards is returned when a move would take the clock back in time.
var ErrClockBackwards = errors.New("the local API's clock never goes backwards")

// NewClock is a clock at real time (wallClock, or time.Now when nil).
func NewClock(wallClock func() time.Time) *Clock {
	if wallClock == nil {
		wallClock = time.Now
	}
	return &Clock{real: wallClock}
}

// Now is the clock's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nowLocked()
}

func (c *Clock) nowLocked() time.Time {
	if !c.pinned.IsZero() {
		return c.pinned
	}
	return c.real().Add(c.offset)
}

// Offset is how far the clock is ahead of real time.
func (c *Clock) Offset() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.offset
}

// At registers effect to run when the clock reaches due; what names it for Pending.
// The effect gets its due time (or the clock's time, when registered for the past).
func (c *Clock) At(due time.Time, what string, effect func(at time.Time)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	heap.Push(&c.queue, &scheduled{due: due, seq: c.seq, what: what, run: effect})
}

// PendingEffect is an effect not run yet.
type PendingEffect struct {
	Due  time.Time `json:"due"`
	What string    `json:"what"`
}

// Pending lists the effects not run yet, in the order they will run.
func (c *Clock) Pending() []PendingEffect {
	c.mu.Lock()
	q := append(effectQueue(nil), c.queue...)
	c.mu.Unlock()
	out := make([]PendingEffect, 0, len(q))
	for len(q) > 0 {
		e := heap.Pop(&q).(*scheduled)
		out = append(out, PendingEffect{Due: e.due, What: e.what})
	}
	return out
}

// Clear drops every pending effect (a reset of the tenant); the time stays.
func (c *Clock) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.queue = nil
}

// Advance moves the clock forward by d, running the effects due on the way.
func (c *Clock) Advance(d time.Duration) (time.Time, error) {
	if d < 0 {
		return c.Now(), fmt.Errorf("%w: cannot advance by a negative duration (%s)", ErrClockBackwards, d)
	}
	c.runMu.Lock()
	defer c.runMu.Unlock()
	target := c.Now().Add(d)
	c.runUntil(target)
	return target, nil
}

// Set moves the clock forward to t, running the effects due on the way; a t before
// the clock's time is refused.
func (c *Clock) Set(t time.Time) (time.Time, error) {
	c.runMu.Lock()
	defer c.runMu.Unlock()
	if now := c.Now(); t.Before(now) {
		return now, fmt.Errorf("%w: %s is before the clock's time %s", ErrClockBackwards,
			t.UTC().Format(time.RFC3339Nano), now.UTC().Format(time.RFC3339Nano))
	}
	c.runUntil(t)
	return t, nil
}

// RunDue runs the effects that are due at the clock's current time.
func (c *Clock) RunDue() {
	c.mu.Lock()
	idle := len(c.queue) == 0 || c.queue[0].due.After(c.nowLocked())
	c.mu.Unlock()
	if idle {
		return
	}
	c.runMu.Lock()
	defer c.runMu.Unlock()
	for {
		c.mu.Lock()
		now := c.nowLocked()
		if len(c.queue) == 0 || c.queue[0].due.After(now) {
			c.mu.Unlock()
			return
		}
		e := heap.Pop(&c.queue).(*scheduled)
		c.mu.Unlock()
		// Real time got here first: the effect runs late, at its due time as far as its
		// records are concerned, without taking the clock back.
		e.run(e.due)
	}
}

// runUntil pops the effects due up to target in order, pinning the clock at each due
// time while it runs, then lets the clock run on from target. Callers hold runMu.
func (c *Clock) runUntil(target time.Time) {
	for {
		c.mu.Lock()
		if len(c.queue) == 0 || c.queue[0].due.After(target) {
			c.pinned = time.Time{}
			c.offset = target.Sub(c.real())
			c.mu.Unlock()
			return
		}
		e := heap.Pop(&c.queue).(*scheduled)
		at := e.due
		if now := c.nowLocked(); at.Before(now) {
			at = now // overdue (or registered for the past): runs now, the clock never goes back
		}
		c.pinned = at
		c.mu.Unlock()
		e.run(at)
	}
}

// scheduled is one registered effect.
type scheduled struct {
	due  time.Time
	seq  uint64
	what string
	run  func(at time.Time)
}

// effectQueue is a min-heap on (due, seq).
type effectQueue []*scheduled

func (q effectQueue) Len() int { return len(q) }
func (q effectQueue) Less(i, j int) bool {
	if !q[i].due.Equal(q[j].due) {
		return q[i].due.Before(q[j].due)
	}
	return q[i].seq < q[j].seq
}
func (q effectQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *effectQueue) Push(x any)   { *q = append(*q, x.(*scheduled)) }
func (q *effectQueue) Pop() any {
	old := *q
	n := len(old)
	x := old[n-1]
	*q = old[:n-1]
	return x
}
