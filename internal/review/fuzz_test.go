package review

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// FuzzReview: any input is either refused as an *InputError or reviewed, and every format renders; no rule
// check may fail on the shape of a value (runCheck would report it as "could not check").
func FuzzReview(f *testing.F) {
	f.Add([]byte(mixedPlan))
	f.Add([]byte(driftOnly))
	f.Add([]byte(`{"format_version":"1.2","resource_changes":[{"type":"entragov_assignment_policy","change":{"actions":["update"],"before":[],"after":"x"}}]}`))
	f.Add([]byte(`{"format_version":"1.2","resource_changes":[{"type":"entragov_lifecycle_workflow","change":{"actions":["update"],"before":{"category":"leaver","tasks":[1,null,{"task_definition_id":2}]},"after":{"category":"leaver","tasks":{}}}}]}`))
	for _, cases := range ruleCases {
		for _, tc := range cases {
			f.Add(planOf(f, tc))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePlan(data)
		if err != nil {
			var inputErr *InputError
			if !errors.As(err, &inputErr) {
				t.Fatalf("error %v is not an input error", err)
			}
			return
		}
		r := Review(p)
		for _, objs := range [][]*Object{r.Drift, r.Planned} {
			for _, o := range objs {
				for _, fi := range o.Findings {
					for _, d := range fi.Details {
						if strings.HasPrefix(d, "could not check") {
							t.Fatalf("rule %s failed on %s: %s", fi.Rule.Name, o.Change.Address, d)
						}
					}
				}
			}
		}
		for _, format := range []string{FormatMarkdown, FormatText, FormatJSON} {
			var out bytes.Buffer
			if err := r.Write(&out, format); err != nil {
				t.Fatal(err)
			}
			if format == FormatJSON && !json.Valid(out.Bytes()) {
				t.Fatalf("invalid JSON report:\n%s", out.String())
			}
		}
	})
}
