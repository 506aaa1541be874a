package review

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParsePlanRefusesWhatIsNotAPlan(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "  \n", "the input is empty"},
		{"the text of terraform plan", "Terraform will perform the following actions:\n", "not JSON"},
		{"truncated", `{"format_version":"1.2","resource_changes":[`, "not valid JSON"},
		{"a state", `{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{}}}`, "a state, not a plan"},
		{"no format version", `{"resource_changes":[]}`, "no format_version"},
		{"a future format", `{"format_version":"2.0","resource_changes":[]}`, `unsupported plan format_version "2.0"`},
		{"wrong types", `{"format_version":"1.2","resource_changes":{"a":1}}`, "not the JSON of a plan"},
		{"an array", `[1,2]`, "not JSON"},
		{"nothing planned", `{"format_version":"1.2"}`, "not a saved plan"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParsePlan([]byte(tc.in))
			var inputErr *InputError
			if !errors.As(err, &inputErr) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want an input error saying %q", err, tc.want)
			}
		})
	}
}

const mixedPlan = `{
  "format_version": "1.2",
  "planned_values": {},
  "resource_drift": [],
  "resource_changes": [
    {"address": "data.entragov_catalog.general", "mode": "data", "type": "entragov_catalog", "name": "general",
     "change": {"actions": ["read"], "before": null, "after": {"externally_visible": true}}},
    {"address": "entragov_catalog.same", "mode": "managed", "type": "entragov_catalog", "name": "same",
     "change": {"actions": ["no-op"], "before": {"state": "unpublished"}, "after": {"state": "unpublished"}}},
    {"address": "azuread_group.g", "mode": "managed", "type": "azuread_group", "name": "g",
     "change": {"actions": ["delete"], "before": {"display_name": "G"}, "after": null}},
    {"address": "module.x.entragov_widget.w[\"a\"]", "mode": "managed", "type": "entragov_widget", "name": "w",
     "change": {"actions": ["update"], "before": {"size": 1}, "after": {"size": 2}}},
    {"address": "entragov_assignment_policy.secret", "mode": "managed", "type": "entragov_assignment_policy", "name": "secret",
     "change": {"actions": ["update"],
       "before": {"display_name": "Top secret name", "allowed_target_scope": "specificDirectoryUsers"},
       "after": {"display_name": "Top secret name", "allowed_target_scope": "allDirectoryUsers"},
       "before_sensitive": {"display_name": true, "allowed_target_scope": true},
       "after_sensitive": {"display_name": true, "allowed_target_scope": true},
       "after_unknown": {"expiration": true}}}
  ]
}`

func TestReviewSkipsReadsNoOpsAndOtherProviders(t *testing.T) {
	p, err := ParsePlan([]byte(mixedPlan))
	if err != nil {
		t.Fatal(err)
	}
	r := Review(p)
	if p.RefreshOnly {
		t.Error("a plan with changes is not refresh-only")
	}
	if got := strings.Join(r.Unreviewed, ","); got != "azuread_group.g" {
		t.Errorf("unreviewed %q, want azuread_group.g", got)
	}
	if r.Reviewed != 2 {
		t.Errorf("reviewed %d entragov changes, want 2 (the policy and the unknown entragov type)", r.Reviewed)
	}
	if len(r.Planned) != 1 || r.Planned[0].Change.Address != "entragov_assignment_policy.secret" {
		t.Fatalf("objects with findings: %+v", r.Planned)
	}
	o := r.Planned[0]
	if len(o.Findings) != 1 || o.Findings[0].Rule.Name != "target-scope-broadened" {
		t.Errorf("findings %+v, want target-scope-broadened", o.Findings)
	}
	if strings.Join(o.Unknown, ",") != "expiration.type,expiration.duration,expiration.end_date_time" {
		t.Errorf("known-after-apply paths %q", o.Unknown)
	}
}

func TestSensitiveValuesAreNeverPrinted(t *testing.T) {
	p, err := ParsePlan([]byte(mixedPlan))
	if err != nil {
		t.Fatal(err)
	}
	r := Review(p)
	for _, format := range []string{FormatMarkdown, FormatText, FormatJSON} {
		var out bytes.Buffer
		if err := r.Write(&out, format); err != nil {
			t.Fatal(err)
		}
		s := out.String()
		for _, secret := range []string{"Top secret name", "allDirectoryUsers", "specificDirectoryUsers"} {
			if strings.Contains(s, secret) {
				t.Errorf("%s output shows the sensitive value %q:\n%s", format, secret, s)
			}
		}
		if !strings.Contains(s, "sensitive values changed (not shown): allowed_target_scope") {
			t.Errorf("%s output does not say the change is sensitive:\n%s", format, s)
		}
	}
}

const driftOnly = `{"format_version":"1.2","planned_values":{},
  "resource_drift":[{"address":"entragov_assignment_policy.p","mode":"managed","type":"entragov_assignment_policy","name":"p",
    "change":{"actions":["update"],"before":{"display_name":"Contractors","request_approval_settings":{"approval_required_for_add":true}},
      "after":{"display_name":"Contractors","request_approval_settings":{"approval_required_for_add":false}}}}]}`

func TestRefreshOnlyDrift(t *testing.T) {
	p, err := ParsePlan([]byte(driftOnly))
	if err != nil {
		t.Fatal(err)
	}
	if !p.RefreshOnly {
		t.Error("a plan with drift and no resource changes is refresh-only")
	}
	// The same drift in a normal plan that changes nothing lists the object as a no-op.
	normal := strings.TrimSuffix(driftOnly, "}") + `,"resource_changes":[{"address":"entragov_assignment_policy.p","mode":"managed",
	  "type":"entragov_assignment_policy","name":"p","change":{"actions":["no-op"],"before":{},"after":{}}}]}`
	if np, err := ParsePlan([]byte(normal)); err != nil || np.RefreshOnly || len(np.Drift) != 1 || len(np.Changes) != 0 {
		t.Errorf("a normal plan with drift and a no-op: %+v, %v", np, err)
	}
	r := Review(p)
	var out bytes.Buffer
	if err := r.Write(&out, FormatText); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Governance review of the refresh-only plan: 1 high, 0 medium, 0 low",
		`entragov_assignment_policy.p ("Contractors") — changed outside Terraform`,
		"approval-disabled: Requests are granted without anyone approving them.",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the review lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "Planned changes") {
		t.Errorf("a refresh-only review has no planned changes section:\n%s", out.String())
	}
	for level, fails := range map[Level]bool{High: true, Medium: true, Low: true, Never: false} {
		if r.Fails(level) != fails {
			t.Errorf("Fails(%s) = %v, want %v", level, !fails, fails)
		}
	}
}

func TestJSONReport(t *testing.T) {
	p, err := ParsePlan([]byte(driftOnly))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Review(p).Write(&out, FormatJSON); err != nil {
		t.Fatal(err)
	}
	var got struct {
		RefreshOnly bool           `json:"refresh_only"`
		Highest     string         `json:"highest"`
		Counts      map[string]int `json:"counts"`
		Findings    []struct {
			Source, Level, Rule, Address, Action string
			Details                              []string
			Paths                                []string
		} `json:"findings"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if !got.RefreshOnly || got.Highest != "high" || got.Counts["high"] != 1 || len(got.Findings) != 1 {
		t.Fatalf("report %+v", got)
	}
	f := got.Findings[0]
	if f.Source != "drift" || f.Rule != "approval-disabled" || f.Action != "changed outside Terraform" ||
		f.Details[0] != "request_approval_settings.approval_required_for_add: true → false" || len(f.Paths) != 2 {
		t.Errorf("finding %+v", f)
	}
}

func TestMarkdownCellsStayInTheirTable(t *testing.T) {
	plan := `{"format_version":"1.2","planned_values":{},"resource_changes":[{"address":"entragov_assignment_policy.p","mode":"managed",
	  "type":"entragov_assignment_policy","name":"p","change":{"actions":["update"],
	  "before":{"display_name":"a | b` + "`" + `","specific_allowed_targets":[{"type":"attributeRuleMembers","membership_rule":"x -and y"}]},
	  "after":{"display_name":"a | b` + "`" + `","specific_allowed_targets":[{"type":"attributeRuleMembers","membership_rule":"<script>|\ny"}]}}}]}`
	p, err := ParsePlan([]byte(plan))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Review(p).Write(&out, FormatMarkdown); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "| 🟠") && strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") != 5 {
			t.Errorf("a table row has extra cells: %s", line)
		}
		if strings.Contains(line, "<script>") {
			t.Errorf("raw HTML reached the Markdown: %s", line)
		}
	}
}

func TestParseLevel(t *testing.T) {
	for in, want := range map[string]Level{"high": High, "MEDIUM": Medium, "low": Low, "none": Never} {
		if got, err := ParseLevel(in); err != nil || got != want {
			t.Errorf("ParseLevel(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseLevel("critical"); err == nil {
		t.Error("ParseLevel accepted critical")
	}
}

// A sensitive list (here the targets) is never quoted, though the rule still decides on its values.
func TestSensitiveListsAreNotQuoted(t *testing.T) {
	plan := `{"format_version":"1.2","planned_values":{},"resource_changes":[{"address":"entragov_assignment_policy.p","mode":"managed",
	  "type":"entragov_assignment_policy","name":"p","change":{"actions":["update"],
	  "before":{"specific_allowed_targets":[]},"after":{"specific_allowed_targets":[{"type":"singleUser","user_id":"secret-user"}]},
	  "before_sensitive":{"specific_allowed_targets":true},"after_sensitive":{"specific_allowed_targets":true}}}]}`
	p, err := ParsePlan([]byte(plan))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Review(p).Write(&out, FormatText); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "secret-user") || !strings.Contains(out.String(), "targets-added") {
		t.Errorf("want targets-added without the sensitive user:\n%s", out.String())
	}
}
