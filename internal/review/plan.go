package review

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxPlanBytes bounds what is read: a plan of thousands of objects is a few tens of megabytes.
const maxPlanBytes = 512 << 20

// Source says where a change comes from: planned by this configuration, or made outside Terraform
// (the plan's resource_drift).
type Source string

const (
	SourcePlanned Source = "planned"
	SourceDrift   Source = "drift"
)

// Change is one managed resource instance's change in a plan, with before and after values and what
// Terraform knows about them (unknown until apply, sensitive).
type Change struct {
	Address string
	Type    string
	Name    string
	Source  Source
	Actions []string
	// ActionReason is Terraform's reason for the action (for example replace_because_cannot_update).
	ActionReason string
	Before       any
	After        any
	afterUnknown any
	sensitive    [2]any // before_sensitive, after_sensitive
	replacePaths any
}

// Plan is the part of `terraform show -json` of a saved plan that the review reads.
type Plan struct {
	FormatVersion string
	Changes       []*Change
	Drift         []*Change
	// RefreshOnly is true for a plan made with -refresh-only: it plans no change, only records drift.
	RefreshOnly bool
}

type planDoc struct {
	FormatVersion   *string          `json:"format_version"`
	PlannedValues   json.RawMessage  `json:"planned_values"`
	ResourceChanges []resourceChange `json:"resource_changes"`
	ResourceDrift   []resourceChange `json:"resource_drift"`
	Values          json.RawMessage  `json:"values"`
	Timestamp       string           `json:"timestamp"`
}

type resourceChange struct {
	Address      string `json:"address"`
	Mode         string `json:"mode"`
	Type         string `json:"type"`
	Name         string `json:"name"`
	ActionReason string `json:"action_reason"`
	Change       *struct {
		Actions         []string `json:"actions"`
		Before          any      `json:"before"`
		After           any      `json:"after"`
		AfterUnknown    any      `json:"after_unknown"`
		BeforeSensitive any      `json:"before_sensitive"`
		AfterSensitive  any      `json:"after_sensitive"`
		ReplacePaths    any      `json:"replace_paths"`
	} `json:"change"`
}

// InputError is an input that is not the JSON of a saved plan; the command exits 2 on it.
type InputError struct{ msg string }

func (e *InputError) Error() string { return e.msg }

func inputErrorf(format string, args ...any) error {
	return &InputError{msg: fmt.Sprintf(format, args...)}
}

// ReadPlan reads `terraform show -json <planfile>` output.
func ReadPlan(r io.Reader) (*Plan, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxPlanBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxPlanBytes {
		return nil, inputErrorf("the plan is larger than %d MiB", maxPlanBytes>>20)
	}
	return ParsePlan(data)
}

// ParsePlan parses the JSON of a saved plan. Anything else (a state, the text output of terraform plan,
// a truncated file) is an *InputError that says what was found.
func ParsePlan(data []byte) (*Plan, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, inputErrorf("the input is empty: pass the output of `terraform show -json <planfile>`")
	}
	if trimmed[0] != '{' {
		return nil, inputErrorf("the input is not JSON (it starts with %q): pass the output of `terraform show -json <planfile>`, not of `terraform plan`", firstLine(trimmed))
	}
	var doc planDoc
	if err := json.Unmarshal(trimmed, &doc); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return nil, inputErrorf("the input is not valid JSON (offset %d): %v", syntax.Offset, err)
		}
		return nil, inputErrorf("the input is not the JSON of a plan: %v", err)
	}
	if doc.FormatVersion == nil {
		return nil, inputErrorf("the input has no format_version: it is not the output of `terraform show -json`")
	}
	if !strings.HasPrefix(*doc.FormatVersion, "1.") {
		return nil, inputErrorf("unsupported plan format_version %q (this tool reads 1.x)", *doc.FormatVersion)
	}
	if doc.PlannedValues == nil && doc.ResourceChanges == nil && doc.ResourceDrift == nil {
		if doc.Values != nil {
			return nil, inputErrorf("the input is a state, not a plan: save a plan with `terraform plan -out` and pass `terraform show -json <planfile>`")
		}
		return nil, inputErrorf("the input holds no planned values and no resource changes: it is not a saved plan")
	}
	p := &Plan{FormatVersion: *doc.FormatVersion}
	p.Changes = collect(doc.ResourceChanges, SourcePlanned)
	p.Drift = collect(doc.ResourceDrift, SourceDrift)
	// A normal plan lists every managed instance in resource_changes, no-ops included; a refresh-only plan
	// lists none and records what changed in resource_drift.
	p.RefreshOnly = len(doc.ResourceChanges) == 0 && len(doc.ResourceDrift) > 0
	return p, nil
}

// collect keeps managed resources with a change to review (no-ops and reads are not changes).
func collect(in []resourceChange, src Source) []*Change {
	var out []*Change
	for _, rc := range in {
		if rc.Change == nil || (rc.Mode != "" && rc.Mode != "managed") {
			continue
		}
		c := &Change{
			Address: rc.Address, Type: rc.Type, Name: rc.Name, Source: src, Actions: rc.Change.Actions,
			ActionReason: rc.ActionReason, Before: rc.Change.Before, After: rc.Change.After,
			afterUnknown: rc.Change.AfterUnknown, replacePaths: rc.Change.ReplacePaths,
			sensitive: [2]any{rc.Change.BeforeSensitive, rc.Change.AfterSensitive},
		}
		if c.Address == "" {
			c.Address = c.Type + "." + c.Name
		}
		if c.IsNoop() {
			continue
		}
		out = append(out, c)
	}
	return out
}

func firstLine(b []byte) string {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	if len(line) > 40 {
		line = line[:40]
	}
	return string(line)
}

func (c *Change) has(action string) bool {
	for _, a := range c.Actions {
		if a == action {
			return true
		}
	}
	return false
}

// IsNoop is true for an instance whose values do not change.
func (c *Change) IsNoop() bool {
	return len(c.Actions) == 0 || (len(c.Actions) == 1 && (c.Actions[0] == "no-op" || c.Actions[0] == "read"))
}

// IsCreate is a new object (not a replacement).
func (c *Change) IsCreate() bool { return c.has("create") && !c.has("delete") }

// IsDelete is an object destroyed (or, in drift, deleted outside Terraform) and not created again.
func (c *Change) IsDelete() bool { return c.has("delete") && !c.has("create") }

// IsReplace is an object deleted and created again with a new id.
func (c *Change) IsReplace() bool { return c.has("delete") && c.has("create") }

// IsUpdate is a change in place.
func (c *Change) IsUpdate() bool { return c.has("update") }

// Action names the change for a reader.
func (c *Change) Action() string {
	switch {
	case c.Source == SourceDrift && c.IsDelete():
		return "deleted outside Terraform"
	case c.Source == SourceDrift:
		return "changed outside Terraform"
	case c.IsReplace():
		return "replace"
	case c.IsDelete():
		return "destroy"
	case c.IsCreate():
		return "create"
	default:
		return "update"
	}
}

// Label names the object for a reader: its address and, when it has one, its display name.
func (c *Change) Label() string {
	for _, before := range []bool{false, true} {
		if s, ok := c.value(before, "display_name").(string); ok && s != "" && !c.sensitiveAt(before, "display_name") {
			return fmt.Sprintf("%s (%q)", c.Address, s)
		}
	}
	return c.Address
}
