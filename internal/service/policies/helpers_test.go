package policies_test

import (
	"context"

	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// funcCheck is a state check that runs a function (assertions on the API rather than on state).
type funcCheck func(context.Context) error

func (f funcCheck) CheckState(ctx context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f(ctx)
}
