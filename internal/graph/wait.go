package graph

import (
	"context"
	"fmt"
	"time"
)

// WaitForExistence polls read until it succeeds ConsecutiveReads times in a row (spec 3.5: a new
// object can 404 for a while after its create returned, and replicas may disagree). A 404 is waited
// out; any other error ends the wait at once.
func (c *Client) WaitForExistence(ctx context.Context, read func(context.Context) error) error {
	return c.poll(ctx, "to become readable", func(ctx context.Context) (bool, error) {
		err := read(ctx)
		switch {
		case err == nil:
			return true, nil
		case IsNotFound(err):
			return false, nil
		default:
			return false, err
		}
	})
}

// WaitForDeletion polls read until it answers 404 ConsecutiveReads times in a row, so that a delete is
// reported only once the object is gone everywhere.
func (c *Client) WaitForDeletion(ctx context.Context, read func(context.Context) error) error {
	return c.poll(ctx, "to be deleted", func(ctx context.Context) (bool, error) {
		err := read(ctx)
		switch {
		case IsNotFound(err):
			return true, nil
		case err == nil:
			return false, nil
		default:
			return false, err
		}
	})
}

// poll runs check with a doubling pause until it has reported done ConsecutiveReads times in a row.
func (c *Client) poll(ctx context.Context, what string, check func(context.Context) (done bool, err error)) error {
	deadline := time.Now().Add(c.consistencyTimeout)
	pause := c.pollInterval
	streak := 0
	for {
		done, err := check(ctx)
		if err != nil {
			return err
		}
		if done {
			streak++
			if streak >= c.consecutiveReads {
				return nil
			}
		} else {
			streak = 0
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %s waiting for the object %s", c.consistencyTimeout, what)
		}
		wait := pause
		if done {
			// Confirmation reads only need to land on another replica, not to wait out a delay.
			wait = min(pause, 50*time.Millisecond)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
		if !done {
			pause = min(pause*2, c.pollInterval*8)
		}
	}
}

// Refresh confirmation windows (spec 3.5). A refresh that meets a 404 reads again for a while before it
// drops the object, because a replica may not know an object created moments ago; dropping it would
// make the next apply create it twice. The windows are short because a real deletion (drift) also waits
// for them on every plan.
const (
	youngObjectWindow = 15 * time.Second // object created within the consistency window
	unknownAgeWindow  = 5 * time.Second  // creation time not known
)

// ConfirmGone decides whether a 404 seen while refreshing means the object is really gone. created is
// the object's createdDateTime from state ("" when unknown); an object older than the consistency window
// is gone at once.
func (c *Client) ConfirmGone(ctx context.Context, created string, read func(context.Context) error) (bool, error) {
	window := min(unknownAgeWindow, c.consistencyTimeout)
	// An unparsable creation time counts as unknown.
	if t, err := time.Parse(time.RFC3339Nano, created); err == nil {
		remaining := c.consistencyTimeout - time.Since(t)
		if remaining <= 0 {
			return true, nil
		}
		window = min(remaining, youngObjectWindow)
	}
	deadline := time.Now().Add(window)
	pause := c.pollInterval
	for time.Now().Before(deadline) {
		timer := time.NewTimer(min(pause, time.Until(deadline)))
		select {
		case <-ctx.Done():
			timer.Stop()
			return false, ctx.Err()
		case <-timer.C:
		}
		err := read(ctx)
		switch {
		case err == nil:
			return false, nil
		case !IsNotFound(err):
			return false, err
		}
		pause = min(pause*2, c.pollInterval*8)
	}
	return true, nil
}

// RefreshRead runs read for a refresh. A 404 is confirmed with ConfirmGone before the object counts as
// gone; gone is true only then. created is the object's createdDateTime from state ("" when unknown).
func (c *Client) RefreshRead(ctx context.Context, created string, read func(context.Context) error) (gone bool, err error) {
	err = read(ctx)
	if !IsNotFound(err) {
		return false, err
	}
	return c.ConfirmGone(ctx, created, read)
}
