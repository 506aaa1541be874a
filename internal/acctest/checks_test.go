package acctest

import (
	"context"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

func stateWith(address string, values map[string]any) *tfjson.State {
	return &tfjson.State{Values: &tfjson.StateValues{RootModule: &tfjson.StateModule{
		Resources: []*tfjson.StateResource{{Address: address, AttributeValues: values}},
	}}}
}

// TestExistsInAPIFailsWithoutAnID: a read that succeeds for any id (as a GET of the collection does)
// must not make a resource without an id pass.
func TestExistsInAPIFailsWithoutAnID(t *testing.T) {
	const address = "entragov_catalog.test"
	for name, values := range map[string]map[string]any{
		"empty id":   {"id": ""},
		"no id":      {"display_name": "x"},
		"null id":    {"id": nil},
		"numeric id": {"id": 1},
	} {
		t.Run(name, func(t *testing.T) {
			reads := 0
			check := ExistsInAPI(address, func(context.Context, string) error { reads++; return nil })
			var resp statecheck.CheckStateResponse
			check.CheckState(context.Background(), statecheck.CheckStateRequest{State: stateWith(address, values)}, &resp)
			if resp.Error == nil {
				t.Error("ExistsInAPI passed for a resource without an id")
			}
			if reads != 0 {
				t.Errorf("read called %d times without an id", reads)
			}
		})
	}

	t.Run("with id", func(t *testing.T) {
		var got string
		check := ExistsInAPI(address, func(_ context.Context, id string) error { got = id; return nil })
		var resp statecheck.CheckStateResponse
		check.CheckState(context.Background(), statecheck.CheckStateRequest{State: stateWith(address, map[string]any{"id": "abc"})}, &resp)
		if resp.Error != nil || got != "abc" {
			t.Errorf("error %v, read id %q; want no error and a read of abc", resp.Error, got)
		}
	})
}
