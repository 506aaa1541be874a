package graph

import (
	"context"
	"sync"
	"time"
)

// keyLocks serialises writes that Graph refuses to run in parallel for one parent (spec 1.6: parallel
// policy creates for one access package answer 409 DuplicateKey). Writes for different parents still
// run in parallel.
type keyLocks struct {
	mu    sync.Mutex
	locks map[string]*keyLock
}

type keyLock struct {
	sync.Mutex
	users int
}

func (k *keyLocks) lock(key string) func() {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyLock{}
		k.locks[key] = l
	}
	l.users++
	k.mu.Unlock()

	l.Lock()
	return func() {
		l.Unlock()
		k.mu.Lock()
		l.users--
		if l.users == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}

// maxConflictRetries bounds how often a write refused with 409 is tried again.
const maxConflictRetries = 6

// retryConflicts repeats write while Graph answers 409 because of a concurrent write, waiting a
// growing, jittered time between tries.
func (c *Client) retryConflicts(ctx context.Context, write func() error) error {
	var err error
	for attempt := 0; attempt <= maxConflictRetries; attempt++ {
		if err = write(); !IsConflict(err) {
			return err
		}
		c.log(ctx, LevelInfo, "Graph reported a conflicting concurrent write; retrying", map[string]any{"attempt": attempt + 1})
		wait := c.backoff(c.http.RetryWaitMin, c.http.RetryWaitMax, attempt, nil)
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
	}
	return err
}
