package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"reflect"
	"slices"
	"strings"
)

// Drift is what a refresh-only plan reports as changed outside Terraform for one resource type
// although nothing changed: a Read that does not give back what the apply stored.
type Drift struct {
	Type       string   `json:"type"`
	Instances  int      `json:"instances"`
	Attributes []string `json:"attributes"` // top-level attributes whose value differs
	Example    string   `json:"example"`    // one address
}

// planDrift reads the resource_drift of a saved plan with `terraform show -json`.
func planDrift(ctx context.Context, terraform, dir string, env []string, planFile string) ([]Drift, error) {
	cmd := exec.CommandContext(ctx, terraform, "show", "-json", planFile)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("terraform show -json: %w", err)
	}
	var plan struct {
		ResourceDrift []struct {
			Address string `json:"address"`
			Type    string `json:"type"`
			Change  struct {
				Actions []string       `json:"actions"`
				Before  map[string]any `json:"before"`
				After   map[string]any `json:"after"`
			} `json:"change"`
		} `json:"resource_drift"`
	}
	if err := json.Unmarshal(out, &plan); err != nil {
		return nil, err
	}
	byType := map[string]*Drift{}
	for _, rd := range plan.ResourceDrift {
		d := byType[rd.Type]
		if d == nil {
			d = &Drift{Type: rd.Type, Example: rd.Address}
			byType[rd.Type] = d
		}
		d.Instances++
		keys := map[string]bool{}
		for k := range rd.Change.Before {
			keys[k] = true
		}
		for k := range rd.Change.After {
			keys[k] = true
		}
		for k := range keys {
			if !reflect.DeepEqual(rd.Change.Before[k], rd.Change.After[k]) && !slices.Contains(d.Attributes, k) {
				d.Attributes = append(d.Attributes, k)
			}
		}
		if len(rd.Change.Actions) > 0 && rd.Change.Actions[0] == "delete" && !slices.Contains(d.Attributes, "(gone)") {
			d.Attributes = append(d.Attributes, "(gone)")
		}
	}
	var out2 []Drift
	for _, d := range byType {
		slices.Sort(d.Attributes)
		out2 = append(out2, *d)
	}
	slices.SortFunc(out2, func(a, b Drift) int { return strings.Compare(a.Type, b.Type) })
	return out2, nil
}
