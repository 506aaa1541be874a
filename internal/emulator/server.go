// Package emulator is a local, Graph-compatible Entra ID Governance API used by the
// acceptance tests (in process) and by the demo (as a command). It is written from
// the project's Graph spec and imports no other package of the project.
//
// This package is the server: it wires the Graph areas (directory, entitlement,
// lifecycle, beta) and the identity platform into one router, checks every token in
// one place, applies faults, and serves the control API, $batch, the metadata
// document and Listen. The layers below it are described in ARCHITECTURE.md and
// kept by layers_test.go.
package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/beta"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/crosstenant"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/entitlement"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/identity"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/lifecycle"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/policies"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/reviews"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// maxBodyBytes caps request bodies (Graph answers 413 beyond its own limit).
const maxBodyBytes = 4 << 20

// ErrNotFound is returned by the control methods when an object does not exist.
var ErrNotFound = store.ErrNotFound

// Config configures a Server. The zero value (apart from DBPath) is usable.
type Config struct {
	DBPath    string                           // file path or ":memory:" (empty means ":memory:")
	TenantID  string                           // default DefaultTenantID
	Apps      []App                            // default DefaultApps()
	PageSize  int                              // default 100; collections page at this size with an opaque $skiptoken
	Logf      func(format string, args ...any) // optional request log
	Authority *Authority                       // when set, used instead of the key material persisted in the DB
	SeedFile  string                           // JSON directory seed replacing the default Contoso directory (format: DefaultDirectorySeed)
	// DeliveryDelay is how long an assignment request stays submitted before it is
	// delivered: 0 means DefaultDeliveryDelay (300 ms), a negative value immediate
	// delivery. SetDeliveryDelay changes it at run time.
	DeliveryDelay time.Duration
	// Normalise answers the way Graph is documented or known to answer where that differs from what was
	// sent (normalise.go); SetNormalised changes it at run time.
	Normalise bool
}

// Server is one emulated tenant. It is safe for concurrent use.
type Server struct {
	// Deps is what the Graph areas' handlers get: store, clock, write lock, fault hooks.
	*route.Deps

	cfg      Config
	identity *identity.Service
	dir      *directory.API
	ent      *entitlement.API
	lc       *lifecycle.API
	rv       *reviews.API
	patterns []*pattern

	statsMu sync.Mutex
	stats   RequestStats

	faults faultState

	normalised atomic.Bool // normalise.go

	clock *Clock // clock.go: the time of behaviour and its scheduler
}

// New opens the store, seeds it on first open and loads or creates the key material.
func New(cfg Config) (*Server, error) {
	if cfg.DBPath == "" {
		cfg.DBPath = ":memory:"
	}
	if cfg.TenantID == "" {
		cfg.TenantID = DefaultTenantID
	}
	cfg.TenantID = strings.ToLower(cfg.TenantID)
	if _, err := uuid.Parse(cfg.TenantID); err != nil {
		return nil, fmt.Errorf("emulator: tenant id %q is not a GUID", cfg.TenantID)
	}
	if cfg.Apps == nil {
		cfg.Apps = DefaultApps()
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 100
	}
	if err := directory.CheckSeedFile(cfg.SeedFile); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, clock: NewClock(time.Now)}
	s.Deps = &route.Deps{Now: s.clock.Now, Schedule: s.clock.At, PageSize: cfg.PageSize, WriteMu: new(sync.Mutex),
		Fault: route.FaultHooks{
			Hidden:               s.hiddenByReplication,
			PolicyCreateConflict: func() bool { return s.faults.get().PolicyCreateConflict },
			DeliveryFailure:      func() bool { return s.faults.get().DeliveryFailure },
		}}
	s.dir = directory.New(s.Deps, cfg.SeedFile)
	s.ent = entitlement.New(s.Deps, s.dir, cfg.DeliveryDelay)
	// A guest who redeems an invitation receives the assignments requested for their email.
	s.dir.OnRedeem(s.ent.DeliverAfterRedeem)
	// A user made or changed is evaluated against the automatic assignment policies' rules.
	s.dir.OnUserChanged(s.ent.ReevaluateUser)
	s.lc = lifecycle.New(s.Deps)
	s.lc.Connect(s.dir, s.ent) // the tasks of workflow runs act through both
	s.rv = reviews.New(s.Deps)
	s.rv.Connect(s.dir, s.ent) // access reviews review and remove memberships and assignments
	// Tokens and credentials live on real time: the clients that hold them judge their
	// lifetimes by their own clocks (README: "The clock").
	id, err := identity.New(cfg.TenantID, cfg.Apps, time.Now)
	if err != nil {
		return nil, err
	}
	s.identity = id
	st, err := store.Open(cfg.DBPath)
	if err != nil {
		return nil, err
	}
	s.Store = st
	if err := id.Open(st, cfg.Authority); err != nil {
		st.Close()
		return nil, err
	}
	if _, err := st.GetMeta("seeded"); errors.Is(err, ErrNotFound) {
		if err := s.seed(); err != nil {
			st.Close()
			return nil, err
		}
	} else if err != nil {
		st.Close()
		return nil, err
	}
	if err := s.ent.ScheduleFromStore(); err != nil {
		st.Close()
		return nil, err
	}
	if err := s.lc.ScheduleFromStore(); err != nil {
		st.Close()
		return nil, err
	}
	if err := s.rv.ScheduleFromStore(); err != nil {
		st.Close()
		return nil, err
	}
	s.stats.ByRoute = map[string]int{}
	s.faults.set(Faults{})
	s.SetNormalised(cfg.Normalise)
	s.add(s.routes(cfg)...)
	return s, nil
}

// seed writes the objects every tenant has.
func (s *Server) seed() error {
	if err := s.ent.Seed(); err != nil {
		return err
	}
	if err := s.dir.Seed(); err != nil {
		return err
	}
	if err := s.ent.SeedSettings(); err != nil {
		return err
	}
	if err := s.lc.Seed(); err != nil {
		return err
	}
	return s.Store.SetMeta(map[string][]byte{"seeded": []byte("1")})
}

// Close closes the store.
func (s *Server) Close() error { return s.Store.Close() }

// Authority returns the key material the server uses for TLS and tokens.
func (s *Server) Authority() *Authority { return s.identity.Authority() }

// TenantID returns the tenant the server emulates.
func (s *Server) TenantID() string { return s.cfg.TenantID }

// RequestStats counts the requests served (control API requests are not counted).
type RequestStats struct {
	Total   int            `json:"total"`
	ByRoute map[string]int `json:"byRoute"` // "METHOD /route/template"
}

// RequestCount returns a copy of the request counters.
func (s *Server) RequestCount() RequestStats {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	out := RequestStats{Total: s.stats.Total, ByRoute: make(map[string]int, len(s.stats.ByRoute))}
	for k, v := range s.stats.ByRoute {
		out.ByRoute[k] = v
	}
	return out
}

// ResetRequestCount zeroes the request counters.
func (s *Server) ResetRequestCount() {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.stats = RequestStats{ByRoute: map[string]int{}}
}

func (s *Server) count(key string) {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.stats.Total++
	s.stats.ByRoute[key]++
}

// ---- routing ----

// pattern is one path template of the route tables with the methods it serves;
// {name} segments match any single segment.
type pattern struct {
	tmpl    string
	segs    []string
	kind    route.Kind
	methods map[string]route.Route
}

// add puts route table entries into the router; patterns keep the order they first
// appear in (literal routes are added before the {tenant} ones, so first match wins).
func (s *Server) add(routes ...route.Route) {
	for _, rt := range routes {
		var pt *pattern
		for _, x := range s.patterns {
			if x.tmpl == rt.Pattern {
				pt = x
				break
			}
		}
		if pt == nil {
			pt = &pattern{tmpl: rt.Pattern, segs: route.SplitPath(rt.Pattern), kind: rt.Kind, methods: map[string]route.Route{}}
			s.patterns = append(s.patterns, pt)
		}
		pt.methods[rt.Method] = rt
	}
}

// match compares case-insensitively (Graph accepts /identitygovernance/...).
func (pt *pattern) match(segs []string) (route.Params, bool) {
	if len(segs) != len(pt.segs) {
		return nil, false
	}
	var p route.Params
	for i, t := range pt.segs {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			if segs[i] == "" {
				return nil, false
			}
			if p == nil {
				p = route.Params{}
			}
			p[t[1:len(t)-1]] = segs[i]
			continue
		}
		if !strings.EqualFold(t, segs[i]) {
			return nil, false
		}
	}
	return p, true
}

func (s *Server) lookup(path string) (*pattern, route.Params) {
	segs := route.SplitPath(path)
	for _, pt := range s.patterns {
		if p, ok := pt.match(segs); ok {
			return pt, p
		}
	}
	return nil, nil
}

// statusRecorder remembers the status for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (sr *statusRecorder) WriteHeader(code int) {
	if sr.status == 0 {
		sr.status = code
	}
	sr.ResponseWriter.WriteHeader(code)
}

func (sr *statusRecorder) Write(b []byte) (int, error) {
	if sr.status == 0 {
		sr.status = http.StatusOK
	}
	return sr.ResponseWriter.Write(b)
}

// Handler returns the HTTP handler serving Graph, OAuth2 and control paths.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(s.serveHTTP)
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w}
	h := w.Header()
	h.Set("request-id", uuid.NewString())
	crid := r.Header.Get("client-request-id")
	if crid == "" {
		crid = uuid.NewString()
	}
	h.Set("client-request-id", crid)
	h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	if s.cfg.Logf != nil {
		defer func() {
			s.cfg.Logf("%s %s -> %d (%s)", r.Method, r.URL.RequestURI(), rec.status, time.Since(start).Round(time.Microsecond))
		}()
	}
	nw, finish := s.normaliseAnswers(rec, r)
	s.dispatch(nw, r)
	finish()
}

func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	// Time-driven effects real time has made due happen before the request sees the tenant.
	s.clock.RunDue()
	path := r.URL.Path
	isV1 := route.HasPrefixFold(path, "/v1.0/") || strings.EqualFold(strings.TrimSuffix(path, "/"), "/v1.0")
	pt, p := s.lookup(path)

	if pt != nil && pt.kind == route.Control {
		if !isLoopback(r.RemoteAddr) {
			wire.WriteError(w, http.StatusForbidden, "accessDenied", "The emulator control API only answers loopback callers.")
			return
		}
		s.invoke(w, r, pt, p)
		return
	}

	key := r.Method + " (unmatched)"
	if pt != nil {
		key = r.Method + " " + pt.tmpl
	}
	if !isTranslated(r) {
		s.count(key)
	}

	if !isV1 {
		// OAuth2, metadata and /beta: no faults, and an unknown path or method is
		// answered before the token is looked at.
		if pt == nil {
			s.noRoute(w, r)
			return
		}
		rt, ok := pt.methods[r.Method]
		if !ok {
			wire.WriteError(w, http.StatusMethodNotAllowed, wire.CodeRequestBadRequest, "Specified HTTP method is not allowed for the request target.")
			return
		}
		if pt.kind == route.Graph { // the beta paths and /beta/$batch
			var claims *identity.Claims
			if r, claims, ok = s.authenticate(w, r); !ok || !permit(w, claims, rt) {
				return
			}
		}
		s.invoke(w, r, pt, p)
		return
	}

	// Graph paths: faults first (they model the front door), then the token, then routing.
	faulty := r.Header.Get(FaultsOffHeader) != "off"
	if faulty && s.applyFaults(w) {
		return
	}
	r, claims, ok := s.authenticate(w, r)
	if !ok {
		return
	}
	if pt == nil {
		s.noRoute(w, r)
		return
	}
	rt, ok := pt.methods[r.Method]
	if !ok {
		wire.WriteError(w, http.StatusMethodNotAllowed, wire.CodeRequestBadRequest, "Specified HTTP method is not allowed for the request target.")
		return
	}
	if !permit(w, claims, rt) {
		return
	}
	if faulty && r.Method != http.MethodGet && s.faults.rollDrop() {
		// The write is applied and committed, then the connection is cut without an answer.
		held := &heldAnswer{h: http.Header{}}
		s.invoke(held, r, pt, p)
		if held.committed() {
			s.faults.countDrop()
			panic(http.ErrAbortHandler)
		}
		held.send(w)
		return
	}
	s.invoke(w, r, pt, p)
}

// authenticate is the one token check of Graph requests: it answers 401 itself, or
// returns the request carrying the verified claims (identity.ClaimsFrom).
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (*http.Request, *identity.Claims, bool) {
	claims, aerr := s.identity.Authenticate(r)
	if aerr != nil {
		s.identity.WriteUnauthenticated(w, r, aerr)
		return r, nil, false
	}
	return r.WithContext(identity.WithClaims(r.Context(), claims)), claims, true
}

// permit is the one permission check: the route names the roles that allow it.
func permit(w http.ResponseWriter, claims *identity.Claims, rt route.Route) bool {
	if claims.Allows(rt.Permission) {
		return true
	}
	forbidden(w, rt.Permission)
	return false
}

// forbidden writes the route's 403: its own (the directory answers like the
// directory) or Graph's generic one.
func forbidden(w http.ResponseWriter, perm route.Permission) {
	if d := perm.Denied; d != nil {
		wire.WriteError(w, d.Status, d.Code, d.Message)
		return
	}
	wire.WriteError(w, http.StatusForbidden, wire.CodeUnAuthorized, wire.MsgUnauthorized)
}

func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) {
	wire.WriteError(w, http.StatusNotFound, "", "No HTTP resource was found that matches the request URI '"+wire.BaseURL(r)+r.URL.RequestURI()+"'.")
}

func (s *Server) invoke(w http.ResponseWriter, r *http.Request, pt *pattern, p route.Params) {
	rt, ok := pt.methods[r.Method]
	if !ok {
		wire.WriteError(w, http.StatusMethodNotAllowed, wire.CodeRequestBadRequest, "Specified HTTP method is not allowed for the request target.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := rt.Handler(w, r, p); err != nil {
		var ae *wire.Error
		if errors.As(err, &ae) {
			wire.WriteError(w, ae.Status, ae.Code, ae.Message)
			return
		}
		wire.WriteError(w, http.StatusInternalServerError, wire.CodeInternal, "The emulator failed: "+err.Error())
	}
}

// routes is the server's route table: its own control, batch and metadata routes
// and the areas' tables. Order matters only between literal and {tenant} routes
// (first match wins): literals first, so the identity table comes last.
func (s *Server) routes(cfg Config) route.Table {
	var t route.Table
	s.controlRoutes(&t)
	t = append(t, s.ent.Routes()...)
	t = append(t, s.dir.Routes()...)
	t = append(t, s.lc.Routes()...)
	t = append(t, crosstenant.New(s.Deps).Routes()...)
	t = append(t, policies.New(s.Deps).Routes()...)
	t = append(t, s.rv.Routes()...)
	t = append(t, beta.New(s.dispatchTranslated, func() time.Time { return s.Now() }, cfg.PageSize, betaMemo{s.Store}).Routes()...)
	s.batchRoutes(&t)
	s.metadataRoutes(&t)
	t = append(t, s.identity.Routes()...)
	return t
}
