package entitlement_test

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

type terraformState = terraform.State

var (
	guidPattern        = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	roleScopeIDPattern = regexp.MustCompile(`^[0-9a-f-]{36}_[0-9a-f-]{36}$`)
	linkIDPattern      = regexp.MustCompile(`^[0-9a-f-]{36}/[0-9a-f-]{36}$`)
	timestampPattern   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$`)
)

var compareEqual = compare.ValuesSame()

const secondDuration = time.Second

// listAsSet checks a list attribute's elements in any order.
func listAsSet(set knownvalue.Check) knownvalue.Check {
	return listAsSetCheck{set: set}
}

type listAsSetCheck struct{ set knownvalue.Check }

func (c listAsSetCheck) CheckValue(v any) error {
	list, ok := v.([]any)
	if !ok {
		return fmt.Errorf("expected a list, got %T", v)
	}
	return c.set.CheckValue(list)
}

func (c listAsSetCheck) String() string { return "list in any order: " + c.set.String() }

type contextT = context.Context

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

// funcCheck is a state check made of a function, for assertions about the API rather than the state.
type funcCheck func(context.Context) error

func (f funcCheck) CheckState(ctx context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f(ctx)
}
