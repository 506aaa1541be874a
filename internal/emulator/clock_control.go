package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// The clock and audit part of the control API: read the local API's clock, move it
// forward (running the time-driven effects due on the way, clock.go) and read the audit
// trail of what those effects changed.

func (s *Server) clockRoutes(t *route.Table) {
	t.Add(route.Control, nil, "/_emulator/clock", map[string]route.Handler{http.MethodGet: s.ctlClock})
	t.Add(route.Control, nil, "/_emulator/clock/advance", map[string]route.Handler{http.MethodPost: s.ctlClockAdvance})
	t.Add(route.Control, nil, "/_emulator/clock/set", map[string]route.Handler{http.MethodPost: s.ctlClockSet})
	t.Add(route.Control, nil, "/_emulator/audit", map[string]route.Handler{http.MethodGet: s.ctlAudit})
	t.Add(route.Control, nil, "/_emulator/outbox", map[string]route.Handler{http.MethodGet: s.ctlOutbox})
}

// ---- Go methods ----

// ClockNow is the local API's time.
func (s *Server) ClockNow() time.Time { return s.clock.Now() }

// AdvanceClock moves the local API's clock forward by d and runs the time-driven effects
// due on the way, in time order; it returns the new time.
func (s *Server) AdvanceClock(d time.Duration) (time.Time, error) { return s.clock.Advance(d) }

// SetClock moves the local API's clock forward to t (never back) and runs the effects due
// on the way.
func (s *Server) SetClock(t time.Time) (time.Time, error) { return s.clock.Set(t) }

// PendingEffects lists the time-driven effects registered and not run yet.
func (s *Server) PendingEffects() []PendingEffect { return s.clock.Pending() }

// AuditTrail returns the time-driven changes recorded so far, oldest first.
func (s *Server) AuditTrail() ([]map[string]any, error) {
	recs, err := s.Store.List(route.AuditCollection)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(recs))
	for _, r := range recs {
		out = append(out, r.Body)
	}
	return out, nil
}

// Outbox returns the mails the email tasks of lifecycle workflows sent, oldest first
// (lifecycle/outbox.go): to, cc, subject, task, workflow, user, run and time on the clock.
func (s *Server) Outbox() ([]map[string]any, error) { return s.lc.Outbox() }

// ---- HTTP wrappers ----

func (s *Server) ctlOutbox(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	mails, err := s.Outbox()
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, map[string]any{"value": mails})
	return nil
}

// clockAnswer is the body of every clock call.
func (s *Server) clockAnswer() map[string]any {
	now := s.clock.Now()
	pending := s.clock.Pending()
	out := map[string]any{
		"now":            now.UTC().Format(time.RFC3339Nano),
		"offset":         s.clock.Offset().String(),
		"virtual":        s.clock.Offset() != 0,
		"pendingEffects": len(pending),
		"nextEffect":     nil,
	}
	if len(pending) > 0 {
		out["nextEffect"] = map[string]any{"due": pending[0].Due.UTC().Format(time.RFC3339Nano), "what": pending[0].What}
	}
	return out
}

func (s *Server) ctlClock(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	wire.WriteJSON(w, http.StatusOK, s.clockAnswer())
	return nil
}

func (s *Server) ctlClockAdvance(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	var body struct {
		Duration *string `json:"duration"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Duration == nil {
		return wire.BadRequest(`body must be {"duration": "<ISO 8601 duration, e.g. P181D or PT12H>"}`)
	}
	d, err := wire.ParseDuration("duration", *body.Duration)
	if err != nil {
		return err
	}
	if _, err := s.clock.Advance(time.Duration(d.Seconds * float64(time.Second))); err != nil {
		return clockError(err)
	}
	wire.WriteJSON(w, http.StatusOK, s.clockAnswer())
	return nil
}

func (s *Server) ctlClockSet(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	var body struct {
		DateTime *string `json:"dateTime"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.DateTime == nil {
		return wire.BadRequest(`body must be {"dateTime": "<RFC 3339 date and time, e.g. 2027-01-01T00:00:00Z>"}`)
	}
	t, err := time.Parse(time.RFC3339Nano, *body.DateTime)
	if err != nil {
		return wire.BadRequest("dateTime: '" + *body.DateTime + "' is not an RFC 3339 date and time (e.g. 2027-01-01T00:00:00Z).")
	}
	if _, err := s.clock.Set(t); err != nil {
		return clockError(err)
	}
	wire.WriteJSON(w, http.StatusOK, s.clockAnswer())
	return nil
}

// clockError answers a refused move with 400 and the reason.
func clockError(err error) error {
	if errors.Is(err, ErrClockBackwards) {
		return wire.BadRequest(err.Error() + ".")
	}
	return err
}

func (s *Server) ctlAudit(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	entries, err := s.AuditTrail()
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "text" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, err := io.WriteString(w, auditText(entries))
		return err
	}
	wire.WriteJSON(w, http.StatusOK, map[string]any{"value": entries})
	return nil
}

// auditText is the audit trail for a person at a terminal (GET /_emulator/audit?format=text, used by
// make demo): one line per change, its time on the local API's clock, what, which object and why.
func auditText(entries []map[string]any) string {
	var b strings.Builder
	for _, e := range entries {
		fmt.Fprintf(&b, "%s  %-27s %s %s: %s\n", e["dateTime"], e["activity"], strings.TrimPrefix(fmt.Sprint(e["objectType"]), "microsoft.graph."), e["objectId"], e["reason"])
	}
	return b.String()
}
