package review

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Formats the command writes.
const (
	FormatMarkdown = "markdown"
	FormatText     = "text"
	FormatJSON     = "json"
)

// Write renders the report in one of the formats.
func (r *Report) Write(w io.Writer, format string) error {
	switch format {
	case FormatMarkdown:
		return r.writeMarkdown(w)
	case FormatText:
		return r.writeText(w)
	case FormatJSON:
		return r.writeJSON(w)
	}
	return fmt.Errorf("unknown format %q: want markdown, text or json", format)
}

// Title is the one-line summary: the counts per level.
func (r *Report) Title() string {
	n := r.Counts()
	kind := "plan"
	if r.RefreshOnly {
		kind = "refresh-only plan"
	}
	return fmt.Sprintf("Governance review of the %s: %d high, %d medium, %d low", kind, n[High], n[Medium], n[Low])
}

type section struct {
	title, empty string
	objects      []*Object
}

func (r *Report) sections() []section {
	drift := section{title: "Changed outside Terraform", empty: "Nothing risky changed outside Terraform.", objects: r.Drift}
	planned := section{title: "Planned changes", empty: "No risky planned change.", objects: r.Planned}
	if r.RefreshOnly {
		return []section{drift}
	}
	return []section{drift, planned}
}

var levelMark = map[Level]string{High: "🔴 high", Medium: "🟠 medium", Low: "🟡 low"}

func (r *Report) writeMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\n", r.Title())
	for _, s := range r.sections() {
		fmt.Fprintf(&b, "### %s\n\n", s.title)
		if len(s.objects) == 0 {
			fmt.Fprintf(&b, "%s\n\n", s.empty)
			continue
		}
		for _, o := range s.objects {
			fmt.Fprintf(&b, "#### %s — %s\n\n", mdCode(o.Change.Label()), o.Change.Action())
			if len(o.Findings) > 0 {
				b.WriteString("| Level | Rule | What changed | Why it matters |\n|---|---|---|---|\n")
				for _, f := range o.Findings {
					details := make([]string, len(f.Details))
					for i, d := range f.Details {
						details[i] = mdCell(d)
					}
					fmt.Fprintf(&b, "| %s | `%s` | %s | %s |\n", levelMark[f.Level], f.Rule.Name, strings.Join(details, "<br>"), mdCell(f.Rule.Why))
				}
				b.WriteString("\n")
			}
			if len(o.Unknown) > 0 {
				fmt.Fprintf(&b, "Known only after apply, not checked: %s\n\n", mdCell(strings.Join(o.Unknown, ", ")))
			}
		}
	}
	b.WriteString(r.footer())
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *Report) footer() string {
	s := fmt.Sprintf("Reviewed %d governance resource change(s).", r.Reviewed)
	if len(r.Unreviewed) > 0 {
		s += " Not reviewed (no rules for their types): " + strings.Join(r.Unreviewed, ", ") + "."
	}
	return s + "\n"
}

// mdCode puts text in a code span that its own backticks cannot end.
func mdCode(s string) string {
	return "`` " + strings.ReplaceAll(s, "`", "'") + " ``"
}

// mdCell keeps a value on one line of a table and stops it from ending the cell or opening HTML.
func mdCell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;").Replace(s)
}

func (r *Report) writeText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", r.Title())
	for _, s := range r.sections() {
		fmt.Fprintf(&b, "\n%s:\n", s.title)
		if len(s.objects) == 0 {
			fmt.Fprintf(&b, "  %s\n", s.empty)
			continue
		}
		for _, o := range s.objects {
			fmt.Fprintf(&b, "  %s — %s\n", oneLine(o.Change.Label()), o.Change.Action())
			for _, f := range o.Findings {
				fmt.Fprintf(&b, "    %-6s %s: %s\n", strings.ToUpper(f.Level.String()), f.Rule.Name, f.Rule.Why)
				for _, d := range f.Details {
					fmt.Fprintf(&b, "           %s\n", oneLine(d))
				}
			}
			if len(o.Unknown) > 0 {
				fmt.Fprintf(&b, "    known only after apply, not checked: %s\n", strings.Join(o.Unknown, ", "))
			}
		}
	}
	b.WriteString("\n" + r.footer())
	_, err := io.WriteString(w, b.String())
	return err
}

func oneLine(s string) string { return strings.NewReplacer("\n", " ", "\r", " ").Replace(s) }

type jsonFinding struct {
	Source  Source   `json:"source"`
	Level   string   `json:"level"`
	Rule    string   `json:"rule"`
	Concern string   `json:"concern"`
	Address string   `json:"address"`
	Type    string   `json:"type"`
	Label   string   `json:"label"`
	Action  string   `json:"action"`
	Why     string   `json:"why"`
	Details []string `json:"details"`
	Paths   []string `json:"paths"`
}

type jsonUnknown struct {
	Source  Source   `json:"source"`
	Address string   `json:"address"`
	Paths   []string `json:"paths"`
}

type jsonReport struct {
	RefreshOnly bool           `json:"refresh_only"`
	Highest     string         `json:"highest"`
	Counts      map[string]int `json:"counts"`
	Reviewed    int            `json:"reviewed"`
	Findings    []jsonFinding  `json:"findings"`
	Unknown     []jsonUnknown  `json:"known_after_apply"`
	Unreviewed  []string       `json:"not_reviewed"`
}

func (r *Report) writeJSON(w io.Writer) error {
	n := r.Counts()
	out := jsonReport{RefreshOnly: r.RefreshOnly, Counts: map[string]int{"high": n[High], "medium": n[Medium], "low": n[Low]},
		Reviewed: r.Reviewed, Findings: []jsonFinding{}, Unknown: []jsonUnknown{}, Unreviewed: append([]string{}, r.Unreviewed...)}
	if h := r.Highest(); h > 0 {
		out.Highest = h.String()
	}
	for _, objs := range [][]*Object{r.Drift, r.Planned} {
		for _, o := range objs {
			c := o.Change
			for _, f := range o.Findings {
				paths := append([]string{}, f.Rule.Paths...)
				out.Findings = append(out.Findings, jsonFinding{Source: c.Source, Level: f.Level.String(), Rule: f.Rule.Name,
					Concern: f.Rule.Concern, Address: c.Address, Type: c.Type, Label: c.Label(), Action: c.Action(),
					Why: f.Rule.Why, Details: f.Details, Paths: paths})
			}
			if len(o.Unknown) > 0 {
				out.Unknown = append(out.Unknown, jsonUnknown{Source: c.Source, Address: c.Address, Paths: o.Unknown})
			}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
