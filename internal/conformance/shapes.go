package conformance

import (
	"context"
	"fmt"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// A Shape is an object of a documented shape: the object that one request of a case makes or
// changes, with the documented request body. The request is either the case's own (a create or
// an update page) or a setup step of a read (a get or list page, whose setup creates the objects
// the page shows).
type Shape struct {
	File *File
	Case *Case
	// Step indexes the setup step that makes the object; -1 is the case's own request.
	Step int
	// Endpoint is the key of the endpoint (Endpoints) the making request calls; empty when the
	// provider calls no such endpoint (a directory object the corpus creates for a read, say).
	Endpoint string
}

// Label names the shape in messages: "<page URL> <example>", followed by the setup step for an
// object other than the one the read's documented values come from.
func (s Shape) Label() string { return s.File.Label(s.Case) + s.stepSuffix() }

// Name names the shape in test names: "<page>/<example>", and the setup step as in Label.
func (s Shape) Name() string { return s.File.Name() + "/" + s.Case.Example + s.stepSuffix() }

func (s Shape) stepSuffix() string {
	if s.Step < 0 || (s.Case.ValuesFrom != "" && s.Case.Setup[s.Step].Name == s.Case.ValuesFrom) {
		return ""
	}
	return fmt.Sprintf(" (setup step %d)", s.Step)
}

// Request is the making request's method, path and body, references unexpanded.
func (s Shape) Request() (method, path string, body any) {
	if s.Step < 0 {
		return s.Case.Method, s.Case.Path, s.Case.Body
	}
	st := s.Case.Setup[s.Step]
	return st.Method, st.Path, st.Body
}

// Shapes lists the documented object shapes of the corpus, in corpus order: every case whose own
// request creates or changes an object (a POST, PATCH or PUT documented with a 2xx status), and
// every setup step of a read (GET) that creates or changes one. The setup of a write only makes
// what the write needs; a delete leaves no object.
func Shapes(files []*File) []Shape {
	var out []Shape
	for _, f := range files {
		for i := range f.Cases {
			c := &f.Cases[i]
			switch {
			case mutates(c.Method) && c.Status >= 200 && c.Status < 300:
				out = append(out, Shape{File: f, Case: c, Step: -1, Endpoint: c.Endpoint})
			case c.Method == "GET":
				for j, st := range c.Setup {
					if !mutates(st.Method) {
						continue
					}
					s := Shape{File: f, Case: c, Step: j}
					if e, ok := MatchEndpoint(st.Method, st.Path); ok {
						s.Endpoint = e.Key()
					}
					out = append(out, s)
				}
			}
		}
	}
	return out
}

func mutates(method string) bool { return method == "POST" || method == "PATCH" || method == "PUT" }

// MatchEndpoint finds the endpoint a request path (references unexpanded, query ignored) calls:
// each {placeholder} segment of a template matches any one segment.
func MatchEndpoint(method, path string) (Endpoint, bool) {
	p, _, _ := strings.Cut(path, "?")
	segs := strings.Split(p, "/")
	for _, e := range Endpoints {
		if e.Method != method {
			continue
		}
		tsegs := strings.Split(e.Path, "/")
		if len(tsegs) != len(segs) {
			continue
		}
		match := true
		for i, ts := range tsegs {
			if !strings.HasPrefix(ts, "{") && ts != segs[i] {
				match = false
				break
			}
		}
		if match {
			return e, true
		}
	}
	return Endpoint{}, false
}

// Made is what making a shape left: the answers of the setup steps and of the making request.
type Made struct {
	Vars *Vars
	// Path is the making request's path with its references expanded, without the query.
	Path string
	// Sent is the making request's body as sent; Answer its decoded answer (nil when empty).
	Sent, Answer any
	// Status is the making request's answered status.
	Status int
}

// Param is the segment of the made request's path at the place of {name} in the shape's
// endpoint template, e.g. Param("policyId") of PUT .../assignmentPolicies/{policyId}.
func (m *Made) Param(s Shape, name string) (string, error) {
	_, tmpl, _ := strings.Cut(s.Endpoint, " ")
	tsegs, segs := strings.Split(tmpl, "/"), strings.Split(m.Path, "/")
	for i, ts := range tsegs {
		if ts == "{"+name+"}" && i < len(segs) {
			return segs[i], nil
		}
	}
	return "", fmt.Errorf("%s: no {%s} in %s", s.Label(), name, s.Endpoint)
}

// Make runs the setup of the shape's case up to the making request and that request, so that
// the local API holds the object the page documents. A setup step answered with another status
// than it expects, or a making request answered with no 2xx status, is a *SetupError: the local
// API refuses the documented request.
func (t Target) Make(ctx context.Context, s Shape) (*Made, error) {
	vars := &Vars{Plain: t.Vars, Steps: map[string]any{}}
	steps := s.Case.Setup
	if s.Step >= 0 {
		steps = steps[:s.Step+1]
	}
	m := &Made{Vars: vars}
	for i, st := range steps {
		status, body, sent, err := t.send(ctx, vars, st.Method, st.Path, st.Body)
		if err != nil {
			return nil, fmt.Errorf("setup step %d (%s %s): %w", i, st.Method, st.Path, err)
		}
		if status != st.Status {
			return nil, &SetupError{fmt.Errorf("step %d (%s %s): status %d, want %d (%s)", i, st.Method, st.Path, status, st.Status, errorText(body))}
		}
		if st.Name != "" {
			vars.Steps[st.Name] = body
		}
		if i == s.Step {
			m.Sent, m.Answer, m.Status = sent, body, status
			m.Path, err = vars.Expand(st.Path)
			if err != nil {
				return nil, err
			}
		}
	}
	if s.Step < 0 {
		c := s.Case
		status, body, sent, err := t.send(ctx, vars, c.Method, c.Path, c.Body)
		if err != nil {
			return nil, err
		}
		if status < 200 || status > 299 {
			return nil, &SetupError{fmt.Errorf("%s %s: status %d, documented %d (%s)", c.Method, c.Path, status, c.Status, errorText(body))}
		}
		m.Sent, m.Answer, m.Status = sent, body, status
		if m.Path, err = vars.Expand(c.Path); err != nil {
			return nil, err
		}
	}
	m.Path, _, _ = strings.Cut(m.Path, "?")
	return m, nil
}

// SeedVars are the seeded directory objects of the local API a case may reference as ${Name}
// (internal/emulator/directory/seed.json), with the tenant's id and domain.
func SeedVars() map[string]string {
	return map[string]string{
		"TenantID":                          emulator.DefaultTenantID,
		"SeedTenantDomain":                  emulator.SeedTenantDomain,
		"SeedUserPattiID":                   emulator.SeedUserPattiID,
		"SeedUserAdeleID":                   emulator.SeedUserAdeleID,
		"SeedUserIsaiahID":                  emulator.SeedUserIsaiahID,
		"SeedUserMeganID":                   emulator.SeedUserMeganID,
		"SeedUserAlexID":                    emulator.SeedUserAlexID,
		"SeedUserLeeID":                     emulator.SeedUserLeeID,
		"SeedUserJohannaID":                 emulator.SeedUserJohannaID,
		"SeedUserGradyID":                   emulator.SeedUserGradyID,
		"SeedUserLynneID":                   emulator.SeedUserLynneID,
		"SeedUserNestorID":                  emulator.SeedUserNestorID,
		"SeedGuestBenID":                    emulator.SeedGuestBenID,
		"SeedGuestCarlaID":                  emulator.SeedGuestCarlaID,
		"SeedGuestDanID":                    emulator.SeedGuestDanID,
		"SeedGroupSalesID":                  emulator.SeedGroupSalesID,
		"SeedGroupMarketingID":              emulator.SeedGroupMarketingID,
		"SeedGroupEngineeringID":            emulator.SeedGroupEngineeringID,
		"SeedGroupFinanceID":                emulator.SeedGroupFinanceID,
		"SeedGroupProjectFalconID":          emulator.SeedGroupProjectFalconID,
		"SeedGroupFabrikamPartnersID":       emulator.SeedGroupFabrikamPartnersID,
		"SeedGroupAllSalesDynamicID":        emulator.SeedGroupAllSalesDynamicID,
		"SeedAppExpensesSPID":               emulator.SeedAppExpensesSPID,
		"SeedAppExpensesRoleSubmitterID":    emulator.SeedAppExpensesRoleSubmitterID,
		"SeedAppPartnerPortalSPID":          emulator.SeedAppPartnerPortalSPID,
		"SeedAppPartnerPortalRoleReaderID":  emulator.SeedAppPartnerPortalRoleReaderID,
		"SeedAppPartnerPortalRoleContribID": emulator.SeedAppPartnerPortalRoleContribID,
	}
}
