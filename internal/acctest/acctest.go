// Package acctest is the acceptance-test harness: provider factories, an in-process local governance
// API per test, configuration helpers, and checks that look at the API through internal/graph.
package acctest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
	"github.com/entragov/terraform-provider-entragov/internal/provider"
)

// ProviderName is the provider's type name in configurations.
const ProviderName = "entragov"

// ProtoV6ProviderFactories serve the provider in process, so tests need no build or install step.
var ProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	ProviderName: provider.NewProtocolServer(provider.New("acctest")),
}

var (
	setupOnce sync.Once
	authority *emulator.Authority
	errSetup  error
	// baseFaults are switched on in every emulator of the run (make testfaults), from
	// ENTRAGOV_ACC_FAULTS: the emulator's faults as JSON, e.g. {"throttleRate":0.2,"retryAfterSeconds":1}.
	baseFaults emulator.Faults
	// normalised switches the normalised answers on in every emulator of the run (make testnormalised),
	// from ENTRAGOV_ACC_NORMALISED=1.
	normalised bool
)

// FaultsVariable names the environment variable that turns faults on for the whole acceptance suite.
const FaultsVariable = "ENTRAGOV_ACC_FAULTS"

// NormalisedVariable names the environment variable that, set to 1 (or true), makes every local API of the
// acceptance suite answer the way Graph is documented or known to answer where that differs from what was
// sent (emulator.Config.Normalise): unordered collections in another order, @odata.type without '#',
// unset properties as null.
const NormalisedVariable = "ENTRAGOV_ACC_NORMALISED"

// setup creates the one certificate authority shared by every emulator of this test process and
// points SSL_CERT_FILE at it. Go reads the system roots once per process, so this must happen before
// the first TLS handshake; every emulator's certificate is then trusted the standard way, with
// verification on, exactly as a user trusts the emulator's CA file.
func setup() {
	if live, errSetup = readLiveTarget(); errSetup != nil || live != nil {
		// A live run trusts the target's certificate the standard way (the system roots, or the
		// SSL_CERT_FILE its operator set), and takes no faults: they are the local API's.
		clearProviderEnvironment()
		return
	}
	authority, errSetup = emulator.NewAuthority()
	if errSetup != nil {
		return
	}
	dir, err := os.MkdirTemp("", "entragov-acctest-")
	if err != nil {
		errSetup = err
		return
	}
	certFile := filepath.Join(dir, "emulator-ca.pem")
	if errSetup = authority.WriteCertFile(certFile); errSetup != nil {
		return
	}
	if errSetup = os.Setenv("SSL_CERT_FILE", certFile); errSetup != nil {
		return
	}
	if raw := os.Getenv(FaultsVariable); raw != "" {
		if err := json.Unmarshal([]byte(raw), &baseFaults); err != nil {
			errSetup = fmt.Errorf("%s: %w", FaultsVariable, err)
			return
		}
	}
	if raw := os.Getenv(NormalisedVariable); raw != "" {
		if normalised, errSetup = strconv.ParseBool(raw); errSetup != nil {
			errSetup = fmt.Errorf("%s: %w", NormalisedVariable, errSetup)
			return
		}
	}
	clearProviderEnvironment()
}

// clearProviderEnvironment unsets the provider's variables: credentials in the environment would compete
// with the ones each test configures.
func clearProviderEnvironment() {
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "ENTRAGOV_") || strings.HasPrefix(name, "ARM_") || strings.HasPrefix(name, "ACTIONS_ID_TOKEN_") {
			_ = os.Unsetenv(name)
		}
	}
}

var emulatorCount atomic.Int64

// Emulator is a local governance API serving one test.
type Emulator struct {
	URL string
	// Server is the in-process local API; nil in live mode, where tests that use it skip (NeedsControl).
	Server *emulator.Server

	// live is the tenant of a live run, nil otherwise; namePrefix starts the names of this test's objects.
	live       *liveTarget
	namePrefix string

	// outside counts governance objects the test made itself, not through Terraform.
	outside atomic.Int64
	// startCounts are the local API's objects per collection when the test got it (the seeded ones).
	startCounts map[string]int

	clientOnce sync.Once
	client     *graph.Client
	clientErr  error
}

// NewEmulator starts a fresh in-memory local governance API on a free loopback port and stops it when
// the test ends. needs says what the test uses beyond Graph itself: in live mode (ENTRAGOV_ACC_LIVE=1)
// the test then runs against the tenant, or skips with the reason when the tenant cannot offer it.
func NewEmulator(t testing.TB, needs ...Need) *Emulator {
	t.Helper()
	setupOnce.Do(setup)
	if errSetup != nil {
		t.Fatalf("setting up the acceptance tests: %v", errSetup)
	}
	if live != nil {
		skipUnlessLiveHas(t, needs)
		return &Emulator{URL: live.graphEndpoint, live: live, namePrefix: testPrefix(live.runPrefix, t.Name())}
	}
	cfg := emulator.Config{DBPath: ":memory:", Authority: authority, Normalise: normalised}
	if slices.Contains(needs, NeedsSmallPages) {
		cfg.PageSize = SmallPageSize
	}
	srv, err := emulator.New(cfg)
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	inst, err := emulator.Listen("127.0.0.1:0", srv)
	if err != nil {
		_ = srv.Close()
		t.Fatalf("listening: %v", err)
	}
	e := &Emulator{URL: inst.URL, Server: srv}
	if e.startCounts, err = srv.ObjectCounts(); err != nil {
		_ = inst.Close()
		_ = srv.Close()
		t.Fatalf("counting the seeded objects: %v", err)
	}
	t.Cleanup(func() {
		report(t, e)
		_ = inst.Close()
		_ = srv.Close()
	})
	if baseFaults != (emulator.Faults{}) {
		f := baseFaults
		// Each emulator gets its own seed, so parallel tests do not fail in lockstep.
		f.Seed = baseFaults.Seed + emulatorCount.Add(1)
		srv.SetFaults(f)
	}
	return e
}

// CreatedOutsideTerraform records objects a test made through the API itself and that Terraform never
// manages, so that they are not counted as left behind by Terraform. An object the test later imports is
// destroyed with the rest and must not be recorded (the report would count it as -1).
func (e *Emulator) CreatedOutsideTerraform(n int) { e.outside.Add(int64(n)) }

// ProviderConfig is a provider block that signs in to this emulator with the admin app.
func (e *Emulator) ProviderConfig() string {
	if e.live != nil {
		return fmt.Sprintf(`
provider "entragov" {
  graph_endpoint = %q
  login_endpoint = %q
  tenant_id      = %q
  client_id      = %q
  client_secret  = %q
}
`, e.live.graphEndpoint, e.live.loginEndpoint, e.live.tenantID, e.live.clientID, e.live.secret)
	}
	return fmt.Sprintf(`
provider "entragov" {
  graph_endpoint = %q
  login_endpoint = %q
  tenant_id      = %q
  client_id      = %q
  client_secret  = %q
}
`, e.URL, e.URL, emulator.DefaultTenantID, emulator.DefaultClientID, emulator.DefaultClientSecret)
}

// Config joins the provider block with the given configuration fragments.
func (e *Emulator) Config(parts ...string) string {
	config := strings.Join(parts, "\n")
	if e.live != nil {
		config = e.prefixNames(config)
	}
	return e.ProviderConfig() + "\n" + config
}

// Client is a Graph client signed in to this emulator, for checks that look behind Terraform.
func (e *Emulator) Client(t testing.TB) *graph.Client {
	t.Helper()
	e.clientOnce.Do(func() {
		if e.live != nil {
			e.client, e.clientErr = liveClient(e.live)
			return
		}
		var tokens graph.TokenSource
		tokens, e.clientErr = graph.NewClientSecretSource(graph.CredentialOptions{
			TenantID: emulator.DefaultTenantID, ClientID: emulator.DefaultClientID,
			LoginEndpoint: e.URL, GraphEndpoint: e.URL,
		}, emulator.DefaultClientSecret)
		if e.clientErr != nil {
			return
		}
		// This client acts outside Terraform, like an administrator in the portal: the faults injected
		// for the provider under test would only make the test's own setup fail.
		hc := cleanhttp.DefaultPooledClient()
		hc.Transport = faultsOff{base: hc.Transport}
		e.client, e.clientErr = graph.New(graph.Config{
			Endpoint: e.URL, Token: tokens, HTTPClient: hc,
			RetryWaitMin: 10 * time.Millisecond, RetryWaitMax: 100 * time.Millisecond,
			PollInterval: 10 * time.Millisecond, ConsistencyTimeout: 10 * time.Second,
		})
	})
	if e.clientErr != nil {
		t.Fatalf("creating a Graph client for the emulator: %v", e.clientErr)
	}
	return e.client
}

// GraphRequests is how many Graph requests (/v1.0 and /beta, as clients sent them) the emulator
// has answered, to prove that invalid configurations never reach the API.
func (e *Emulator) GraphRequests() int {
	stats := e.Server.RequestCount()
	n := 0
	for route, count := range stats.ByRoute {
		if _, p, ok := strings.Cut(route, " "); ok && (strings.HasPrefix(p, "/v1.0") || strings.HasPrefix(p, "/beta")) {
			n += count
		}
	}
	return n
}

// Context is the context of a test's own Graph calls (setup, out-of-band changes, checks), ended when
// the test ends. It is bounded by the test binary's deadline (go test -timeout), not by a fixed time from
// now: a test usually makes it before resource.ParallelTest, which can wait long for a parallel slot
// under make testfaults, and a fixed minute then ran out before its first step.
func Context(t testing.TB) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if deadline, set := d.Deadline(); set {
			cancel()
			ctx, cancel = context.WithDeadline(context.Background(), deadline)
		}
	}
	t.Cleanup(cancel)
	return ctx
}

// ExpectError compiles pattern for a TestStep's ExpectError. Terraform wraps diagnostics at about 80
// columns, so every space in pattern matches any run of white space, and "." matches newlines.
func ExpectError(pattern string) *regexp.Regexp {
	return regexp.MustCompile("(?s)" + strings.ReplaceAll(pattern, " ", `\s+`))
}

// FaultsEnabled reports whether this run injects faults into every local API (make testfaults).
func FaultsEnabled() bool {
	setupOnce.Do(setup)
	return baseFaults != (emulator.Faults{})
}

// NormalisedEnabled reports whether every local API of this run gives normalised answers
// (make testnormalised).
func NormalisedEnabled() bool {
	setupOnce.Do(setup)
	return normalised
}

// faultsOff marks every request as exempt from the local API's injected faults.
type faultsOff struct{ base http.RoundTripper }

func (f faultsOff) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(emulator.FaultsOffHeader, "off")
	return f.base.RoundTrip(r)
}
