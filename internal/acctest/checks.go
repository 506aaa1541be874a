package acctest

import (
	"context"
	"fmt"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// IDCapture remembers a resource's id from one step for a later step's out-of-band change.
type IDCapture struct {
	Value string
}

// CaptureID is a state check that stores the id of the resource at address.
func CaptureID(address string, into *IDCapture) statecheck.StateCheck {
	return captureID{address: address, attribute: "id", into: into}
}

// CaptureAttr records a string attribute of the resource at address (one Graph fills, such as the user
// an assignment by email invited), for later steps.
func CaptureAttr(address, attribute string, into *IDCapture) statecheck.StateCheck {
	return captureID{address: address, attribute: attribute, into: into}
}

type captureID struct {
	address   string
	attribute string
	into      *IDCapture
}

func (c captureID) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	r, err := findResource(req.State, c.address)
	if err != nil {
		resp.Error = err
		return
	}
	id, ok := r.AttributeValues[c.attribute].(string)
	if !ok || id == "" {
		resp.Error = fmt.Errorf("%s has no %s in state", c.address, c.attribute)
		return
	}
	c.into.Value = id
}

// ExistsInAPI is a state check that reads the resource at address through Graph and fails unless the
// object is there. A resource without an id in state fails without a read.
func ExistsInAPI(address string, read func(ctx context.Context, id string) error) statecheck.StateCheck {
	return existsInAPI{address: address, read: read}
}

type existsInAPI struct {
	address string
	read    func(ctx context.Context, id string) error
}

func (e existsInAPI) CheckState(ctx context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	r, err := findResource(req.State, e.address)
	if err != nil {
		resp.Error = err
		return
	}
	id, _ := r.AttributeValues["id"].(string)
	if id == "" {
		// A read by an empty id may answer with the whole collection and pass: an object without an id
		// in state is a failure by itself.
		resp.Error = fmt.Errorf("%s has no id in state", e.address)
		return
	}
	if err := e.read(ctx, id); err != nil {
		resp.Error = fmt.Errorf("%s (id %s) is in state but not in the API: %w", e.address, id, err)
	}
}

// CheckDestroyed builds a CheckDestroy that fails while any resource of resourceType still exists in
// the API; isNotFound tells a "gone" answer from a failure.
func CheckDestroyed(resourceType string, read func(ctx context.Context, id string) error, isNotFound func(error) bool) func(*terraform.State) error {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != resourceType {
				continue
			}
			err := read(context.Background(), rs.Primary.ID)
			switch {
			case err == nil:
				return fmt.Errorf("%s %s still exists after destroy", resourceType, rs.Primary.ID)
			case !isNotFound(err):
				return fmt.Errorf("checking that %s %s is gone: %w", resourceType, rs.Primary.ID, err)
			}
		}
		return nil
	}
}

func findResource(state *tfjson.State, address string) (*tfjson.StateResource, error) {
	if state == nil || state.Values == nil || state.Values.RootModule == nil {
		return nil, fmt.Errorf("no state")
	}
	for _, r := range state.Values.RootModule.Resources {
		if r.Address == address {
			return r, nil
		}
	}
	return nil, fmt.Errorf("%s not found in state", address)
}
