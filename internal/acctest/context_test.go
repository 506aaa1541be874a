package acctest

import (
	"testing"
)

// The context of a test's own Graph calls lasts as long as the test may: a test that waits for a parallel
// slot before its first step must not find it already expired.
func TestContextLastsAsLongAsTheTest(t *testing.T) {
	ctx := Context(t)
	if err := ctx.Err(); err != nil {
		t.Fatalf("a fresh context is already done: %v", err)
	}
	testDeadline, hasDeadline := t.Deadline()
	deadline, ok := ctx.Deadline()
	if ok != hasDeadline || (ok && !deadline.Equal(testDeadline)) {
		t.Fatalf("context deadline %v (%v), want the test's %v (%v)", deadline, ok, testDeadline, hasDeadline)
	}
}
