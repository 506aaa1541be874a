package graph

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// WaitForExistence polls read until it succeeds ConsecutiveReads times in a row (spec 3.5: a new
// object can 404 for a while after its create returned, and replicas may disagree). A 404 is waited
// out; any other error ends the wait at once.
func (c *Client) WaitForExistence(ctx context.Context, read func(context.Context) error) error {
	return c.poll(ctx, "to become readable", c.consecutiveReads, existenceCheck(read))
}

// WaitUntilReadable polls read until it succeeds once, waiting out 404s as WaitForExistence does. It is
// for an object that an earlier step already confirmed with WaitForExistence (a parent that Terraform
// created before its dependant, or one created long before): its replication is settled, so one read
// that finds it is enough, and the dependant needs that read anyway for the object's content.
func (c *Client) WaitUntilReadable(ctx context.Context, read func(context.Context) error) error {
	return c.poll(ctx, "to become readable", 1, existenceCheck(read))
}

func existenceCheck(read func(context.Context) error) func(context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		err := read(ctx)
		switch {
		case err == nil:
			return true, nil
		case IsNotFound(err):
			return false, nil
		default:
			return false, err
		}
	}
}

// WaitForDeletion polls read until it answers 404 ConsecutiveReads times in a row, so that a delete is
// reported only once the object is gone everywhere.
//
// Why two 404s and not one: a replica that has not applied the delete yet answers 200, so a single 404
// only shows that the replica which answered has it. The second read is routed on its own and may meet
// another replica; a delete reported too early lets Terraform delete the parent next (a catalog with a
// package Graph still sees is refused) or create the replacement while the old one still holds its key.
// The confirming read costs one request and no pause (see pollSchedule), so it is kept.
func (c *Client) WaitForDeletion(ctx context.Context, read func(context.Context) error) error {
	return c.poll(ctx, "to be deleted", c.consecutiveReads, func(ctx context.Context) (bool, error) {
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

// unavailable reports Graph declining to answer for now (429 throttled, 503 service unavailable): the
// request was not processed, so it tells nothing of the object a consistency wait reads.
func unavailable(err error) bool {
	return IsThrottled(err) || hasStatus(err, http.StatusServiceUnavailable)
}

// pollSchedule is when a consistency wait reads again.
//
//   - The first read goes out at once: against a replica that already has the write (the usual case)
//     the wait costs one round trip per required read and no pause.
//   - While the object is not there yet (or still there), the pause starts at a quarter of the poll
//     interval and doubles up to eight intervals: a lag shorter than a second is seen within a quarter
//     of a second, and a long one costs two reads more than a schedule starting at the full interval.
//   - A confirming read (the previous read already agreed) follows at once: it is a separate request,
//     routed on its own, and waiting does not make it meet another replica. It used to wait up to 50 ms,
//     which made the confirmation, not the reads, most of the time of a destroy against a fast API.
type pollSchedule struct {
	first, ceiling time.Duration
}

func (c *Client) pollSchedule() pollSchedule {
	return pollSchedule{first: max(c.pollInterval/4, time.Millisecond), ceiling: max(c.pollInterval*8, time.Millisecond)}
}

// pause is the wait before the next read. prev is the pause used before the last unsuccessful read (0
// when there was none); confirming says the last read agreed and only needs confirming. It returns the
// pause and the value of prev for the following call.
func (s pollSchedule) pause(prev time.Duration, confirming bool) (wait, next time.Duration) {
	if confirming {
		return 0, prev
	}
	if prev == 0 {
		return s.first, s.first
	}
	next = min(prev*2, s.ceiling)
	return next, next
}

// waitClock is the time source of the consistency waits; tests replace it to count pauses without sleeping.
type waitClock interface {
	Now() time.Time
	// Sleep waits d or until ctx ends, and then returns ctx's error.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

func (c *Client) waitClock() waitClock {
	if c.clock != nil {
		return c.clock
	}
	return realClock{}
}

// poll runs check on pollSchedule until it has reported done `reads` times in a row.
func (c *Client) poll(ctx context.Context, what string, reads int, check func(context.Context) (done bool, err error)) error {
	clock, schedule := c.waitClock(), c.pollSchedule()
	deadline := clock.Now().Add(c.consistencyTimeout)
	var prev time.Duration
	streak := 0
	for {
		done, err := check(ctx)
		if err != nil && !unavailable(err) {
			return err
		}
		// A 429 or 503 that outlasted the transport's retries says nothing of the object: the wait goes
		// on (the streak starts again) until its own deadline, which reports the last such error.
		if err != nil && clock.Now().After(deadline) {
			return err
		}
		if done {
			streak++
			if streak >= reads {
				return nil
			}
		} else {
			streak = 0
		}
		if clock.Now().After(deadline) {
			return fmt.Errorf("timed out after %s waiting for the object %s", c.consistencyTimeout, what)
		}
		var wait time.Duration
		wait, prev = schedule.pause(prev, done)
		if err := clock.Sleep(ctx, wait); err != nil {
			return err
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
