package crosstenant_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
)

// funcCheck is a state check made of a function, for assertions about the API rather than the state.
type funcCheck func(context.Context) error

func (f funcCheck) CheckState(ctx context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f(ctx)
}

// noRequests fails the test when a configuration rejected at plan reached the API.
func noRequests(t *testing.T, e *acctest.Emulator) {
	t.Helper()
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("invalid configurations reached the API: %d Graph requests", n)
	}
}

// path reads a nested property of a Graph document: path(doc, "inboundTrust", "isMfaAccepted").
func path(doc map[string]any, keys ...string) any {
	var cur any = doc
	for _, k := range keys {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[k]
	}
	return cur
}
