package emulator

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Faults are switchable misbehaviours of the Graph paths (never of token or control
// paths). The zero value turns everything off. Random choices come from a generator
// seeded with Seed, so a run is reproducible for a given request order.
type Faults struct {
	Seed                 int64         `json:"seed"`
	ThrottleRate         float64       `json:"throttleRate"`         // share of requests answered 429 before handling
	RetryAfterSeconds    int           `json:"retryAfterSeconds"`    // Retry-After on 429; default 1
	ServerErrorRate      float64       `json:"serverErrorRate"`      // share answered 503 serviceNotAvailable
	Latency              time.Duration `json:"latency"`              // sleep before handling
	ReadAfterCreateDelay time.Duration `json:"readAfterCreateDelay"` // GET of a younger object answers 404
	// PolicyCreateConflict answers 409 DuplicateKey to an assignment policy create that
	// arrives while another create for the same access package is in progress (spec 1.6
	// [I]); while on, every policy create is held ~100 ms before committing.
	PolicyCreateConflict bool `json:"policyCreateConflict"`
	// DeliveryFailure makes adminAdd assignment requests created while it is on end
	// deliveryFailed with status MsgDeliveryFault (no assignment is created).
	DeliveryFailure bool `json:"deliveryFailure"`
	// DropAfterCommitRate is the share of writes (POST, PUT, PATCH, DELETE on Graph paths) that are
	// applied and committed, but whose connection is then dropped without an answer: the client cannot
	// tell whether the write happened. A write Graph refuses (4xx, 5xx) commits nothing and is answered.
	DropAfterCommitRate float64 `json:"dropAfterCommitRate"`
}

// FaultCounts says how many faults were injected since the server started.
type FaultCounts struct {
	Throttled    int `json:"throttled"`
	ServerErrors int `json:"serverErrors"`
	Dropped      int `json:"dropped"`
}

// faultsJSON carries durations as strings ("2s") on the control API.
type faultsJSON struct {
	Seed                 int64           `json:"seed"`
	ThrottleRate         float64         `json:"throttleRate"`
	RetryAfterSeconds    int             `json:"retryAfterSeconds"`
	ServerErrorRate      float64         `json:"serverErrorRate"`
	Latency              json.RawMessage `json:"latency,omitempty"`
	ReadAfterCreateDelay json.RawMessage `json:"readAfterCreateDelay,omitempty"`
	PolicyCreateConflict bool            `json:"policyCreateConflict"`
	DeliveryFailure      bool            `json:"deliveryFailure"`
	DropAfterCommitRate  float64         `json:"dropAfterCommitRate"`
}

// MarshalJSON writes durations as Go duration strings.
func (f Faults) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{
		"seed":                 f.Seed,
		"throttleRate":         f.ThrottleRate,
		"retryAfterSeconds":    f.RetryAfterSeconds,
		"serverErrorRate":      f.ServerErrorRate,
		"latency":              f.Latency.String(),
		"readAfterCreateDelay": f.ReadAfterCreateDelay.String(),
		"policyCreateConflict": f.PolicyCreateConflict,
		"deliveryFailure":      f.DeliveryFailure,
		"dropAfterCommitRate":  f.DropAfterCommitRate,
	})
}

// UnmarshalJSON accepts durations as strings ("250ms") or as integer nanoseconds.
func (f *Faults) UnmarshalJSON(b []byte) error {
	var j faultsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	lat, err := parseJSONDuration("latency", j.Latency)
	if err != nil {
		return err
	}
	rac, err := parseJSONDuration("readAfterCreateDelay", j.ReadAfterCreateDelay)
	if err != nil {
		return err
	}
	*f = Faults{Seed: j.Seed, ThrottleRate: j.ThrottleRate, RetryAfterSeconds: j.RetryAfterSeconds,
		ServerErrorRate: j.ServerErrorRate, Latency: lat, ReadAfterCreateDelay: rac,
		PolicyCreateConflict: j.PolicyCreateConflict, DeliveryFailure: j.DeliveryFailure, DropAfterCommitRate: j.DropAfterCommitRate}
	return nil
}

func parseJSONDuration(name string, raw json.RawMessage) (time.Duration, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if s == "" {
			return 0, nil
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
		return d, nil
	}
	var n int64
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, fmt.Errorf("%s: want a duration string like \"2s\"", name)
	}
	return time.Duration(n), nil
}

type faultState struct {
	mu     sync.Mutex
	f      Faults
	rng    *rand.Rand
	counts FaultCounts
}

func (fs *faultState) set(f Faults) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.f = f
	fs.rng = rand.New(rand.NewSource(f.Seed))
}

func (fs *faultState) get() Faults {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.f
}

// roll draws the decisions for one request under the lock, so the sequence is
// deterministic for a given seed and request order.
func (fs *faultState) roll() (f Faults, throttle, fail bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	f = fs.f
	if f.ThrottleRate > 0 {
		throttle = fs.rng.Float64() < f.ThrottleRate
	}
	if !throttle && f.ServerErrorRate > 0 {
		fail = fs.rng.Float64() < f.ServerErrorRate
	}
	if throttle {
		fs.counts.Throttled++
	}
	if fail {
		fs.counts.ServerErrors++
	}
	return f, throttle, fail
}

// rollDrop decides whether a write's answer is to be dropped, should the write commit.
func (fs *faultState) rollDrop() bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.f.DropAfterCommitRate > 0 && fs.rng.Float64() < fs.f.DropAfterCommitRate
}

// countDrop records an answer dropped after its write committed.
func (fs *faultState) countDrop() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.counts.Dropped++
}

// FaultCounts returns how many faults were injected.
func (s *Server) FaultCounts() FaultCounts {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	return s.faults.counts
}

// heldAnswer keeps the answer of a write whose connection may be dropped: dropped when the write
// committed (2xx), sent as it is when Graph refused it (nothing was committed, so there is nothing for a
// lost answer to hide).
type heldAnswer struct {
	h      http.Header
	status int
	body   []byte
}

func (a *heldAnswer) Header() http.Header { return a.h }
func (a *heldAnswer) Write(b []byte) (int, error) {
	if a.status == 0 {
		a.status = http.StatusOK
	}
	a.body = append(a.body, b...)
	return len(b), nil
}
func (a *heldAnswer) WriteHeader(status int) {
	if a.status == 0 {
		a.status = status
	}
}

// committed reports whether the write succeeded.
func (a *heldAnswer) committed() bool { return a.status == 0 || a.status < http.StatusBadRequest }

// send writes the held answer to the client.
func (a *heldAnswer) send(w http.ResponseWriter) {
	for k, v := range a.h {
		w.Header()[k] = v
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// SetFaults replaces the fault settings and reseeds the generator.
func (s *Server) SetFaults(f Faults) { s.faults.set(f) }

// Faults returns the current fault settings.
func (s *Server) Faults() Faults { return s.faults.get() }

// applyFaults runs before a Graph request is handled; true means it already answered.
// FaultsOffHeader, set to "off" on a request, exempts it from the front-door faults (throttling, server
// errors, latency, lost answers). Test harnesses send it for the changes they make "outside Terraform",
// so that only the client under test meets the faults. Replication delay still applies to everyone.
const FaultsOffHeader = "X-Entragov-Emulator-Faults"

func (s *Server) applyFaults(w http.ResponseWriter) bool {
	f, throttle, fail := s.faults.roll()
	if f.Latency > 0 {
		time.Sleep(f.Latency)
	}
	switch {
	case throttle:
		ra := f.RetryAfterSeconds
		if ra <= 0 {
			ra = 1
		}
		w.Header().Set("Retry-After", strconv.Itoa(ra))
		wire.WriteError(w, http.StatusTooManyRequests, wire.CodeTooManyRequests, "Please retry again later.")
		return true
	case fail:
		w.Header().Set("Retry-After", "1")
		wire.WriteError(w, http.StatusServiceUnavailable, wire.CodeServiceNotAvail, "Service unavailable. Please retry again later.")
		return true
	}
	return false
}

// hiddenByReplication reports whether an object created at created is still inside
// the ReadAfterCreateDelay window (spec 3.5: reads right after a create may 404).
func (s *Server) hiddenByReplication(created time.Time) bool {
	d := s.faults.get().ReadAfterCreateDelay
	return d > 0 && s.Now().Sub(created) < d
}
