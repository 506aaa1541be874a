package graph

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"testing"
	"time"
)

// fakeClock records the pauses of a consistency wait and moves its time on by them, without sleeping.
type fakeClock struct {
	now    time.Time
	pauses []time.Duration
}

func (f *fakeClock) Now() time.Time { return f.now }

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	f.pauses = append(f.pauses, d)
	f.now = f.now.Add(d)
	return ctx.Err()
}

func waitClient(t *testing.T, interval, timeout time.Duration) (*Client, *fakeClock) {
	t.Helper()
	c, err := New(Config{Endpoint: "http://127.0.0.1:1", Token: StaticToken("t"), PollInterval: interval, ConsistencyTimeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	c.clock = clock
	return c, clock
}

// scriptedReads answers the reads of a wait in turn: true for a 200, false for a 404.
func scriptedReads(t *testing.T, found ...bool) (read func(context.Context) error, count func() int) {
	n := 0
	return func(context.Context) error {
			if n >= len(found) {
				t.Fatalf("read %d was not expected", n+1)
			}
			n++
			if found[n-1] {
				return nil
			}
			return &Error{Status: http.StatusNotFound}
		}, func() int {
			return n
		}
}

func TestWaitForDeletionConfirmsWithoutPausing(t *testing.T) {
	c, clock := waitClient(t, time.Second, time.Minute)
	read, reads := scriptedReads(t, false, false)
	if err := c.WaitForDeletion(context.Background(), read); err != nil {
		t.Fatal(err)
	}
	// Gone at the first read: the second 404 confirms it at once.
	if reads() != 2 || !reflect.DeepEqual(clock.pauses, []time.Duration{0}) {
		t.Fatalf("want 2 reads and no pause, got %d reads and pauses %v", reads(), clock.pauses)
	}
}

func TestWaitForDeletionBacksOffFromAQuarterInterval(t *testing.T) {
	c, clock := waitClient(t, time.Second, time.Minute)
	// Still readable for five reads, then gone on a replica that is behind once, then gone for good.
	read, reads := scriptedReads(t, true, true, true, true, true, false, true, false, false)
	if err := c.WaitForDeletion(context.Background(), read); err != nil {
		t.Fatal(err)
	}
	ms := time.Millisecond
	want := []time.Duration{250 * ms, 500 * ms, time.Second, 2 * time.Second, 4 * time.Second, 0, 8 * time.Second, 0}
	if reads() != 9 || !reflect.DeepEqual(clock.pauses, want) {
		t.Fatalf("want 9 reads with pauses %v, got %d reads with %v", want, reads(), clock.pauses)
	}
}

func TestWaitForExistenceNeedsConsecutiveReads(t *testing.T) {
	c, clock := waitClient(t, time.Second, time.Minute)
	read, reads := scriptedReads(t, false, true, false, true, true)
	if err := c.WaitForExistence(context.Background(), read); err != nil {
		t.Fatal(err)
	}
	ms := time.Millisecond
	want := []time.Duration{250 * ms, 0, 500 * ms, 0}
	if reads() != 5 || !reflect.DeepEqual(clock.pauses, want) {
		t.Fatalf("want 5 reads with pauses %v, got %d reads with %v", want, reads(), clock.pauses)
	}
}

func TestWaitUntilReadableStopsAtTheFirstSuccess(t *testing.T) {
	c, clock := waitClient(t, time.Second, time.Minute)
	read, reads := scriptedReads(t, false, false, true)
	if err := c.WaitUntilReadable(context.Background(), read); err != nil {
		t.Fatal(err)
	}
	ms := time.Millisecond
	if want := []time.Duration{250 * ms, 500 * ms}; reads() != 3 || !reflect.DeepEqual(clock.pauses, want) {
		t.Fatalf("want 3 reads with pauses %v, got %d reads with %v", want, reads(), clock.pauses)
	}
}

func TestWaitTimesOutOnTheClock(t *testing.T) {
	c, clock := waitClient(t, time.Second, 10*time.Second)
	found := make([]bool, 20)
	for i := range found {
		found[i] = true
	}
	read, reads := scriptedReads(t, found...)
	err := c.WaitForDeletion(context.Background(), read)
	if err == nil {
		t.Fatal("want a timeout")
	}
	// Reads at 0, .25, .75, 1.75, 3.75, 7.75 and 15.75 s: the last one is past the 10 s window.
	if reads() != 7 || clock.now.Sub(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) != 15750*time.Millisecond {
		t.Fatalf("want 7 reads over 15.75 s, got %d reads, pauses %v", reads(), clock.pauses)
	}
}

func TestWaitStopsWhenTheContextEnds(t *testing.T) {
	c, _ := waitClient(t, time.Second, time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	read, reads := scriptedReads(t, true)
	if err := c.WaitForDeletion(ctx, read); !errors.Is(err, context.Canceled) || reads() != 1 {
		t.Fatalf("want context.Canceled after one read, got %v after %d", err, reads())
	}
}

func TestClaimNameInFreshParent(t *testing.T) {
	c, _ := waitClient(t, time.Second, time.Minute)
	if c.ClaimNameInFreshParent(ParentCatalog, "C1", "Sales") {
		t.Fatal("a catalog this client did not create is not fresh")
	}
	c.fresh.markFresh(ParentCatalog, "C1")
	if !c.ClaimNameInFreshParent(ParentCatalog, "c1", "Sales") {
		t.Fatal("the first claim of a name in a fresh catalog (any case of its id) must succeed")
	}
	if c.ClaimNameInFreshParent(ParentCatalog, "C1", "SALES") {
		t.Fatal("a second claim of the name, in any case, must fall back to the look-ups")
	}
	if !c.ClaimNameInFreshParent(ParentCatalog, "C1", "Marketing") {
		t.Fatal("another name in the same fresh catalog must succeed")
	}
	if c.ClaimNameInFreshParent(ParentAccessPackage, "C1", "Marketing") {
		t.Fatal("a fresh catalog does not make an access package with the same id fresh")
	}
}

// A role scope finds the resource this run onboarded however its configuration spells the ids, and
// only in the catalog it was onboarded to.
func TestOnboardedResourceIgnoresCaseOfIDs(t *testing.T) {
	c, _ := waitClient(t, time.Second, time.Minute)
	c.RememberOnboardedResource("CAT-1", &CatalogResource{ID: "Res-1", OriginID: "group-1"})
	if res, ok := c.OnboardedResource("cat-1", "RES-1"); !ok || res.OriginID != "group-1" {
		t.Fatalf("the onboarded resource was not found with other capitals: %v %v", res, ok)
	}
	if _, ok := c.OnboardedResource("cat-2", "res-1"); ok {
		t.Fatal("a resource onboarded to one catalog was found in another")
	}
}

// A 503 (or 429) that outlasted the transport's retries tells nothing of the object: the wait reads again
// and needs its consecutive reads from there; only at its deadline does it report the 503.
func TestWaitRidesOutUnavailable(t *testing.T) {
	c, _ := waitClient(t, time.Second, time.Minute)
	unavailableErr := &Error{Status: http.StatusServiceUnavailable, Code: "serviceNotAvailable"}
	answers := []error{&Error{Status: http.StatusNotFound}, unavailableErr, &Error{Status: http.StatusNotFound}, &Error{Status: http.StatusNotFound}}
	n := 0
	read := func(context.Context) error {
		if n >= len(answers) {
			t.Fatalf("read %d was not expected", n+1)
		}
		n++
		return answers[n-1]
	}
	if err := c.WaitForDeletion(context.Background(), read); err != nil {
		t.Fatalf("a 503 between two 404s ended the wait: %v", err)
	}
	if n != 4 {
		t.Fatalf("want 4 reads (the 503 breaks the streak), got %d", n)
	}

	c, _ = waitClient(t, time.Second, 10*time.Second)
	err := c.WaitForExistence(context.Background(), func(context.Context) error { return unavailableErr })
	if !errors.Is(err, unavailableErr) && !hasStatus(err, http.StatusServiceUnavailable) {
		t.Fatalf("a wait that only met 503s until its deadline: %v, want the 503", err)
	}
}
