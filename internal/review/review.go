package review

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Level ranks a finding. Never is only a -fail-on threshold: no finding reaches it.
type Level int

const (
	Low Level = iota + 1
	Medium
	High
	Never
)

func (l Level) String() string {
	switch l {
	case Low:
		return "low"
	case Medium:
		return "medium"
	case High:
		return "high"
	case Never:
		return "none"
	}
	return fmt.Sprintf("level(%d)", int(l))
}

// ParseLevel reads a -fail-on value: high, medium, low or none.
func ParseLevel(s string) (Level, error) {
	for _, l := range []Level{High, Medium, Low, Never} {
		if strings.EqualFold(s, l.String()) {
			return l, nil
		}
	}
	return 0, fmt.Errorf("unknown level %q: want high, medium, low or none", s)
}

// Finding is one rule that a change of one object triggered.
type Finding struct {
	Level   Level
	Rule    *Rule
	Change  *Change
	Details []string
}

// Object is a resource instance with what the review found in its change.
type Object struct {
	Change   *Change
	Findings []Finding
	// Unknown lists the attribute paths rules read whose value is known only after apply.
	Unknown []string
}

// Highest is the highest level among the object's findings (0 without any).
func (o *Object) Highest() Level {
	var h Level
	for _, f := range o.Findings {
		h = max(h, f.Level)
	}
	return h
}

// Report is the review of one plan.
type Report struct {
	RefreshOnly bool
	// Drift and Planned are the objects with findings, the highest level first.
	Drift, Planned []*Object
	// Unreviewed are the addresses of changed resources of types the review has no rules for.
	Unreviewed []string
	// Reviewed counts the entragov resource changes looked at (with or without findings).
	Reviewed int
}

// Review applies every rule to every change of the plan.
func Review(p *Plan) *Report {
	r := &Report{RefreshOnly: p.RefreshOnly}
	r.Drift = r.reviewAll(p.Drift)
	r.Planned = r.reviewAll(p.Changes)
	sort.Strings(r.Unreviewed)
	r.Unreviewed = slices.Compact(r.Unreviewed)
	return r
}

func (r *Report) reviewAll(changes []*Change) []*Object {
	var out []*Object
	for _, c := range changes {
		if !strings.HasPrefix(c.Type, typePrefixEntragov) {
			r.Unreviewed = append(r.Unreviewed, c.Address)
			continue
		}
		r.Reviewed++
		if o := reviewChange(c); len(o.Findings) > 0 || len(o.Unknown) > 0 {
			out = append(out, o)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if hi, hj := out[i].Highest(), out[j].Highest(); hi != hj {
			return hi > hj
		}
		return out[i].Change.Address < out[j].Change.Address
	})
	return out
}

func reviewChange(c *Change) *Object {
	o := &Object{Change: c}
	for i := range Rules {
		rule := &Rules[i]
		if !rule.applies(c.Type) || (c.IsDelete() && !rule.OnDelete) || (c.IsCreate() && !rule.OnCreate) {
			continue
		}
		if details := redact(rule, c, runCheck(rule, c)); len(details) > 0 {
			o.Findings = append(o.Findings, Finding{Level: rule.Level, Rule: rule, Change: c, Details: details})
		}
		if !c.IsDelete() {
			for _, p := range rule.Paths {
				if c.unknown(p) && !slices.Contains(o.Unknown, p) {
					o.Unknown = append(o.Unknown, p)
				}
			}
		}
	}
	sort.SliceStable(o.Findings, func(i, j int) bool { return o.Findings[i].Level > o.Findings[j].Level })
	return o
}

// runCheck runs one rule's check; a check that fails on an unexpected shape of input (a provider version
// with another schema) reports that instead of stopping the review.
func runCheck(rule *Rule, c *Change) (details []string) {
	defer func() {
		if v := recover(); v != nil {
			details = []string{fmt.Sprintf("could not check this change (%v); review it by hand", v)}
		}
	}()
	return rule.check(c)
}

// redact replaces a finding's details when a value the rule reads is sensitive: the details quote values
// (subjects, rules, task names), and the rule still decided on the real ones.
func redact(rule *Rule, c *Change, details []string) []string {
	if len(details) == 0 {
		return details
	}
	var sensitive []string
	for _, p := range rule.Paths {
		if c.sensitiveAt(true, p) || c.sensitiveAt(false, p) {
			sensitive = append(sensitive, p)
		}
	}
	if len(sensitive) == 0 {
		return details
	}
	return []string{"sensitive values changed (not shown): " + strings.Join(sensitive, ", ")}
}

// Counts is the number of findings per level.
func (r *Report) Counts() map[Level]int {
	n := map[Level]int{}
	for _, objs := range [][]*Object{r.Drift, r.Planned} {
		for _, o := range objs {
			for _, f := range o.Findings {
				n[f.Level]++
			}
		}
	}
	return n
}

// Highest is the highest level found, planned or drift (0 without findings).
func (r *Report) Highest() Level {
	var h Level
	for _, objs := range [][]*Object{r.Drift, r.Planned} {
		for _, o := range objs {
			h = max(h, o.Highest())
		}
	}
	return h
}

// Fails reports whether a finding is at or above the level.
func (r *Report) Fails(at Level) bool {
	return at != Never && r.Highest() >= at
}
