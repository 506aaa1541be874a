package lifecycle_test

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
)

var (
	guidPattern      = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	timestampPattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$`)
)

// funcCheck is a state check made of a function, for assertions about the API rather than the state.
type funcCheck func(context.Context) error

func (f funcCheck) CheckState(ctx context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f(ctx)
}

// chainedCheck runs a state check, then an assertion on what it captured.
type chainedCheck struct {
	first statecheck.StateCheck
	then  func() error
}

func (c chainedCheck) CheckState(ctx context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	c.first.CheckState(ctx, req, resp)
	if resp.Error == nil {
		resp.Error = c.then()
	}
}

// sameID fails when the resource at address no longer has the id captured earlier.
func sameID(address string, want *acctest.IDCapture) statecheck.StateCheck {
	var got acctest.IDCapture
	return chainedCheck{acctest.CaptureID(address, &got), func() error {
		if got.Value != want.Value {
			return fmt.Errorf("%s was replaced: id %s became %s", address, want.Value, got.Value)
		}
		return nil
	}}
}

var (
	moverPattern = regexp.MustCompile(`mover`)
	compareSame  = compare.ValuesSame()
)
