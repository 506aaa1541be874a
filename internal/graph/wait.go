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
			wait = min(pause, 200*time.Millisecond)
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
