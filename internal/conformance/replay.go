package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Target is a Graph endpoint to replay against.
type Target struct {
	// Base is the service root without the version, e.g. https://127.0.0.1:1234.
	Base   string
	Client *http.Client
	Token  string
	// Vars holds the fixed references (seeded directory ids and the like).
	Vars map[string]string
}

// SetupError is a setup step the local API answered with another status than the one the
// step expects: the case could not be replayed. Any other error of Replay (an unknown
// reference, a transport failure, an answer that is not JSON) is a fault of the corpus or the
// harness.
type SetupError struct{ Err error }

func (e *SetupError) Error() string { return "setup: " + e.Err.Error() }
func (e *SetupError) Unwrap() error { return e.Err }

// Replay runs a case's setup, sends its request and returns how the answer differs from the
// documented one (nil when it matches). A setup step answered with an unexpected status is
// returned as a *SetupError.
func Replay(ctx context.Context, t Target, c *Case) ([]string, error) {
	vars := &Vars{Plain: t.Vars, Steps: map[string]any{}}
	var determined any
	for i, s := range c.Setup {
		status, body, sent, err := t.send(ctx, vars, s.Method, s.Path, s.Body)
		if err != nil {
			return nil, fmt.Errorf("setup step %d (%s %s): %w", i, s.Method, s.Path, err)
		}
		if status != s.Status {
			return nil, &SetupError{fmt.Errorf("step %d (%s %s): status %d, want %d (%s)", i, s.Method, s.Path, status, s.Status, errorText(body))}
		}
		if s.Name != "" {
			vars.Steps[s.Name] = body
			if s.Name == c.ValuesFrom {
				determined = sent
			}
		}
	}
	status, body, sent, err := t.send(ctx, vars, c.Method, c.Path, c.Body)
	if err != nil {
		return nil, err
	}
	if c.ValuesFrom == "" {
		determined = sent
	} else if list, ok := Lookup(c.Response, "value"); ok {
		// A documented collection: each documented element is the object the step created.
		if docs, ok := list.([]any); ok {
			each := make([]any, len(docs))
			for i := range each {
				each[i] = determined
			}
			determined = map[string]any{"value": each}
		}
	}
	var diffs []string
	if status != c.Status {
		diffs = append(diffs, fmt.Sprintf("status %d, documented %d (%s)", status, c.Status, errorText(body)))
	}
	if c.Response != nil && status >= 200 && status < 300 {
		if body == nil {
			diffs = append(diffs, "documented a response body, answered none")
		} else {
			skip := make([]string, 0, len(c.Unchecked))
			for p := range c.Unchecked {
				skip = append(skip, p)
			}
			doc, err := vars.ExpandJSON(c.Response)
			if err != nil {
				return nil, fmt.Errorf("documented response: %w", err)
			}
			diffs = append(diffs, Compare(doc, body, determined, c.Exact, skip)...)
		}
	}
	return diffs, nil
}

// send expands a request's references, sends it and decodes the JSON answer (nil when empty).
// It returns the expanded body that was sent.
func (t Target) send(ctx context.Context, vars *Vars, method, path string, body any) (int, any, any, error) {
	p, err := vars.Expand(path)
	if err != nil {
		return 0, nil, nil, err
	}
	var rd io.Reader
	var sent any
	if body != nil {
		sent, err = vars.ExpandJSON(body)
		if err != nil {
			return 0, nil, nil, err
		}
		b, err := json.Marshal(sent)
		if err != nil {
			return 0, nil, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(t.Base, "/")+"/v1.0"+p, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+t.Token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := t.Client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, nil, err
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return resp.StatusCode, nil, sent, nil
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		return resp.StatusCode, nil, sent, fmt.Errorf("%s %s answered %d with a body that is not JSON: %.200s", method, p, resp.StatusCode, raw)
	}
	return resp.StatusCode, out, sent, nil
}

// errorText is the code and message of a Graph error body, or a short form of any other body.
func errorText(body any) string {
	code, _ := Lookup(body, "error.code")
	msg, _ := Lookup(body, "error.message")
	if cs, ok := code.(string); ok {
		ms, _ := msg.(string)
		return cs + ": " + ms
	}
	if body == nil {
		return "no body"
	}
	return "answer: " + brief(body)
}

// Outcome is what a replayed case means for the suite.
type Outcome int

const (
	// Pass: the case has no divergence marker and matches its page.
	Pass Outcome = iota
	// Fail: the case has no divergence marker and differs from its page, or its setup failed.
	Fail
	// KnownDivergence: the case is marked and still differs from its page.
	KnownDivergence
	// StaleMarker: the case is marked but now matches its page; the marker must go.
	StaleMarker
)

// Judge classifies the result of Replay for a case. A divergence marker turns a difference
// (or a setup step the local API refuses) into a known divergence, and a match into a failure of its own, so a
// marker can never hide a passing case.
func Judge(c *Case, diffs []string, err error) Outcome {
	var se *SetupError
	if err != nil && !errors.As(err, &se) {
		return Fail // a fault of the corpus or the harness is never a known divergence
	}
	failed := err != nil || len(diffs) > 0
	switch {
	case c.Divergence == "" && failed:
		return Fail
	case c.Divergence == "":
		return Pass
	case failed:
		return KnownDivergence
	}
	return StaleMarker
}
