// Package emulator is a local, Graph-compatible Entra ID Governance API used by the
// acceptance tests (in process) and by the demo (as a command). It is written from
// the project's Graph spec and imports no other package of the project.
package emulator

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// Fixed identities of the local tenant, so configurations and docs can name them.
const (
	DefaultTenantID     = "9d2f8a61-4c3b-4e5a-8f7d-1b2c3d4e5f60"
	DefaultClientID     = "3f0c9b1e-8a7d-4e2c-9b5a-6d4e3c2b1a09"
	DefaultClientSecret = "entragov-local-secret"
	ReaderClientID      = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9" // app with read-only permissions, for 403 tests
	ReaderClientSecret  = "entragov-local-reader-secret"

	defaultAdminObjectID  = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	defaultReaderObjectID = "1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e"

	maxBodyBytes = 4 << 20
)

// ErrNotFound is returned by the control methods when an object does not exist.
var ErrNotFound = store.ErrNotFound

// App is a registered application that can get tokens with client credentials: a
// secret, a certificate (client assertion signed with the certificate's key) or a
// federated credential (client assertion issued by the emulator's federation IdP).
type App struct {
	ClientID, Secret, DisplayName string
	ObjectID                      string   // service principal object id, the token's oid
	Roles                         []string // application permissions, the token's roles
	// Certificates are the public certificates registered on the app (RSA keys only,
	// as Entra key credentials); see NewTestCertificate and AddAppCertificate.
	Certificates []*x509.Certificate
	// FederatedSubjects are the sub values the app trusts in assertions from the
	// emulator's federation issuer (FederationIssuer) with audience FederationAudience.
	FederatedSubjects []string
}

// DefaultApps returns the admin app (full governance permissions) and the reader app.
func DefaultApps() []App {
	return []App{
		{
			ClientID: DefaultClientID, Secret: DefaultClientSecret, DisplayName: "entragov emulator admin",
			ObjectID:          defaultAdminObjectID,
			FederatedSubjects: []string{GitHubDefaultSubject, KubernetesDefaultSubject},
			Roles: []string{
				"EntitlementManagement.ReadWrite.All", "LifecycleWorkflows.ReadWrite.All", "User.ReadWrite.All",
				"Group.ReadWrite.All", "Application.ReadWrite.All", "Directory.Read.All",
			},
		},
		{
			ClientID: ReaderClientID, Secret: ReaderClientSecret, DisplayName: "entragov emulator reader",
			ObjectID: defaultReaderObjectID,
			Roles:    []string{"EntitlementManagement.Read.All", "LifecycleWorkflows.Read.All", "Directory.Read.All"},
		},
	}
}

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
}

// Server is one emulated tenant. It is safe for concurrent use.
type Server struct {
	// Deps is what the Graph areas' handlers get: store, clock, write lock, fault hooks.
	*route.Deps

	cfg      Config
	auth     *Authority
	patterns []*pattern

	// appsMu guards apps: certificates and federated subjects can be added at run time.
	appsMu sync.RWMutex
	apps   map[string]App // by lower-case client id

	statsMu sync.Mutex
	stats   RequestStats

	faults faultState
	// policyCreates holds the packages with a policy create in progress (PolicyCreateConflict fault).
	policyCreates inflightSet
	// em holds the delivery settings of assignment requests (assignments.go).
	em emState
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
	if err := dirCheckSeedConfig(cfg); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, apps: map[string]App{}}
	s.Deps = &route.Deps{Now: time.Now, TenantID: cfg.TenantID, PageSize: cfg.PageSize, WriteMu: new(sync.Mutex),
		Fault: route.FaultHooks{
			Hidden:               s.hiddenByReplication,
			PolicyCreateConflict: func() bool { return s.faults.get().PolicyCreateConflict },
			DeliveryFailure:      func() bool { return s.faults.get().DeliveryFailure },
		}}
	for _, a := range cfg.Apps {
		if a.ClientID == "" {
			return nil, errors.New("emulator: app without ClientID")
		}
		if a.ObjectID == "" {
			a.ObjectID = uuid.NewString()
		}
		for _, c := range a.Certificates {
			if err := checkAppCertificate(c); err != nil {
				return nil, fmt.Errorf("emulator: app %s: %w", a.ClientID, err)
			}
		}
		// Own the slices: later additions must not write into the caller's arrays.
		a.Certificates = append([]*x509.Certificate(nil), a.Certificates...)
		a.FederatedSubjects = append([]string(nil), a.FederatedSubjects...)
		s.apps[strings.ToLower(a.ClientID)] = a
	}
	st, err := store.Open(cfg.DBPath)
	if err != nil {
		return nil, err
	}
	s.Store = st
	if err := s.loadAppCredentials(); err != nil {
		st.Close()
		return nil, err
	}
	if cfg.Authority != nil {
		s.auth = cfg.Authority
	} else if s.auth, err = loadOrCreateAuthority(st); err != nil {
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
	s.stats.ByRoute = map[string]int{}
	s.faults.set(Faults{})
	s.registerRoutes()
	return s, nil
}

// seed writes the objects every tenant has.
func (s *Server) seed() error {
	now := s.Timestamp()
	general := map[string]any{
		"id":                  uuid.NewString(),
		"displayName":         "General",
		"description":         "Built-in catalog.",
		"catalogType":         "serviceDefault",
		"state":               "published",
		"isExternallyVisible": true,
		"createdDateTime":     now,
		"modifiedDateTime":    now,
	}
	// Backdate the seed so a ReadAfterCreateDelay fault never hides it.
	if err := s.Store.Insert(collCatalogs, general["id"].(string), general, time.Unix(0, 0)); err != nil {
		return err
	}
	if err := s.seedDirectory(); err != nil {
		return err
	}
	if err := s.seedEMSettings(); err != nil {
		return err
	}
	if err := s.seedLifecycle(); err != nil {
		return err
	}
	return s.Store.SetMeta(map[string][]byte{"seeded": []byte("1")})
}

// Close closes the store.
func (s *Server) Close() error { return s.Store.Close() }

// Authority returns the key material the server uses for TLS and tokens.
func (s *Server) Authority() *Authority { return s.auth }

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

type params = route.Params

type handlerFunc = route.Handler

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

// handle adds one pattern whose permission is named by area (see permission).
func (s *Server) handle(kind route.Kind, area, tmpl string, methods map[string]handlerFunc) {
	s.add(route.Methods(kind, tmpl, func(m string) route.Permission { return permission(area, m) }, methods)...)
}

// match compares case-insensitively (Graph accepts /identitygovernance/...).
func (pt *pattern) match(segs []string) (params, bool) {
	if len(segs) != len(pt.segs) {
		return nil, false
	}
	var p params
	for i, t := range pt.segs {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			if segs[i] == "" {
				return nil, false
			}
			if p == nil {
				p = params{}
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

func (s *Server) lookup(path string) (*pattern, params) {
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
	s.dispatch(rec, r)
}

func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
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
	s.count(key)

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
		if pt.kind == route.Graph {
			if r, ok = s.authorize(w, r, rt); !ok {
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
	claims, aerr := s.authenticate(r)
	if aerr != nil {
		s.unauthenticated(w, r, aerr)
		return
	}
	r = r.WithContext(withClaims(r.Context(), claims))
	if pt == nil {
		s.noRoute(w, r)
		return
	}
	rt, ok := pt.methods[r.Method]
	if !ok {
		wire.WriteError(w, http.StatusMethodNotAllowed, wire.CodeRequestBadRequest, "Specified HTTP method is not allowed for the request target.")
		return
	}
	if !claims.allows(rt.Permission) {
		forbidden(w, rt.Permission)
		return
	}
	if faulty && r.Method != http.MethodGet && s.faults.rollDrop() {
		// The write is applied and committed, then the connection is cut without an answer.
		s.invoke(&discardWriter{h: http.Header{}}, r, pt, p)
		panic(http.ErrAbortHandler)
	}
	s.invoke(w, r, pt, p)
}

// authorize is the token and permission check of a Graph route outside /v1.0 (the
// beta paths, /beta/$batch); it returns the request carrying the verified claims.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, rt route.Route) (*http.Request, bool) {
	claims, aerr := s.authenticate(r)
	if aerr != nil {
		s.unauthenticated(w, r, aerr)
		return r, false
	}
	if !claims.allows(rt.Permission) {
		forbidden(w, rt.Permission)
		return r, false
	}
	return r.WithContext(withClaims(r.Context(), claims)), true
}

func (s *Server) unauthenticated(w http.ResponseWriter, r *http.Request, aerr *wire.Error) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="", authorization_uri="`+wire.BaseURL(r)+"/"+s.cfg.TenantID+`/oauth2/v2.0/authorize", client_id="`+graphAppID+`"`)
	wire.WriteError(w, aerr.Status, aerr.Code, aerr.Message)
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

func (s *Server) invoke(w http.ResponseWriter, r *http.Request, pt *pattern, p params) {
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

func (s *Server) registerRoutes() {
	// Order matters only between literal and {tenant} routes: literals first.
	s.registerControlRoutes()
	s.registerCatalogRoutes()
	s.registerCatalogContentRoutes()
	s.registerDirectoryRoutes()
	s.registerPolicyRoutes()
	s.registerConnectedOrgRoutes()
	s.registerEMSettingsRoutes()
	s.registerAssignmentRoutes()
	s.registerLifecycleRoutes()
	s.registerBetaRoutes()
	s.registerBatchRoutes()
	s.registerMetadataRoutes()
	s.registerAuthRoutes()
}
