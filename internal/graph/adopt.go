package graph

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// adoptWindow bounds how long a lookup after an ambiguous create waits for the object to show: long
// enough for replication, short enough that an unapplied create fails fast and can be retried.
const adoptWindow = 30 * time.Second

// AdoptAfterAmbiguousCreate resolves a create whose answer was lost (spec 3.5; design: creates are not
// blindly retried). find lists the ids of objects matching the create's natural key; it is polled
// until something shows or the window ends. One match is adopted; several are an error naming them;
// none means the create was most likely not applied and may be retried.
func (c *Client) AdoptAfterAmbiguousCreate(ctx context.Context, what string, cause error, find func(context.Context) ([]string, error)) (string, error) {
	window := min(adoptWindow, c.consistencyTimeout)
	// The lookup finishes even when Terraform is interrupted: it is what keeps the object in state.
	ctx, cancel := Detached(ctx, window+time.Minute)
	defer cancel()
	deadline := time.Now().Add(window)
	pause := c.pollInterval
	for {
		ids, err := find(ctx)
		if err != nil {
			return "", fmt.Errorf("looking up %s after an ambiguous create (%v): %w", what, cause, err)
		}
		switch len(ids) {
		case 1:
			c.log(ctx, LevelWarn, "adopting an object whose create answer was lost", map[string]any{"object": what, "id": ids[0]})
			return ids[0], nil
		case 0:
		default:
			return "", fmt.Errorf("the create of %s may have been applied (%v), and %d matching objects exist (%s): import the right one instead of creating another",
				what, cause, len(ids), strings.Join(ids, ", "))
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("the create of %s got no answer (%v) and no such object appeared within %s; it was most likely not applied, so apply again", what, cause, window)
		}
		timer := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			timer.Stop()
			return "", ctx.Err()
		case <-timer.C:
		}
		pause = min(pause*2, c.pollInterval*8)
	}
}

// CreatedSince reports whether a Graph timestamp is not older than since, allowing for clock skew
// between this machine and the service.
func CreatedSince(timestamp string, since time.Time) bool {
	t, err := time.Parse(time.RFC3339Nano, timestamp)
	if err != nil {
		return true // an unparsable timestamp must not hide the object
	}
	return !t.Before(since.Add(-5 * time.Minute))
}

// graphClockSpread is how far a createdDateTime may fall behind Graph's Date headers: the services that
// stamp objects and the front ends that date answers keep their own clocks.
const graphClockSpread = time.Second

// serverClock estimates Graph's clock from the Date headers of its answers. Each answer gives Date minus
// the moment it arrived here: at most the true offset between Graph's clock and this machine's (Date has
// whole seconds and was written before the answer travelled), so the largest seen is the best estimate
// that never runs ahead of Graph.
type serverClock struct {
	mu     sync.Mutex
	offset time.Duration
	seen   bool
}

func (s *serverClock) observe(date string, received time.Time) {
	t, err := http.ParseTime(date)
	if err != nil {
		return
	}
	offset := t.Sub(received)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.seen || offset > s.offset {
		s.offset, s.seen = offset, true
	}
}

// graphTimeAt is a time Graph's clock had reached when this machine's showed local, and false before
// any answer carried a Date.
func (s *serverClock) graphTimeAt(local time.Time) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return local.Add(s.offset), s.seen
}

// CreateStart is the moment a create is sent, for telling the object it made from namesakes made before
// it (MayHaveMade).
type CreateStart struct {
	local time.Time
	clock *serverClock
}

// StartCreate marks the moment before a create is sent.
func (c *Client) StartCreate() CreateStart {
	return CreateStart{local: time.Now(), clock: &c.serverTime}
}

// MayHaveMade reports whether an object Graph stamped with createdDateTime timestamp may be the one the
// create made. An object stamped more than graphClockSpread before Graph's clock reached the create's
// start (estimated from the Date of any answer, also those after the create) was made before the create
// was sent: a namesake an apply killed moments earlier left, which a lost answer must not be mistaken for
// (the adoption would find two and give up). Before any answer carried a Date, this machine's clock is
// allowed five minutes of skew.
func (s CreateStart) MayHaveMade(timestamp string) bool {
	t, err := time.Parse(time.RFC3339Nano, timestamp)
	if err != nil {
		return true // an unparsable timestamp must not hide the object
	}
	if s.clock != nil {
		if graphStart, ok := s.clock.graphTimeAt(s.local); ok {
			return !t.Before(graphStart.Add(-graphClockSpread))
		}
	}
	return CreatedSince(timestamp, s.local)
}
