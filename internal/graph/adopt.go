package graph

import (
	"context"
	"fmt"
	"strings"
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
