package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// The durability test runs the real command on a database file, kills it with SIGKILL in the middle of a
// write load and restarts it on the same file: every write the emulator answered with success must have
// survived, nothing may be half written, and the restarted emulator must keep working.

const (
	durabilityCycles    = 3
	durabilityWorkers   = 8
	durabilityLoad      = 2 * time.Second // the longest a load runs; the kill comes earlier
	durabilityKillFloor = 200 * time.Millisecond
	durabilityOwnedMax  = 50 // catalogs per worker and cycle; then it only patches, which keeps the lists short
	catalogsPath        = "/v1.0/identityGovernance/entitlementManagement/catalogs"
)

// ENTRAGOV_DURABILITY_SEED replays the kill moments of an earlier run (the seed is logged).
const seedEnv = "ENTRAGOV_DURABILITY_SEED"

func TestDurabilityUnderKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the emulator binary; skipped with -short")
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv(seedEnv); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("%s=%q: %v", seedEnv, s, err)
		}
	}
	t.Logf("seed %d (rerun with %s=%d)", seed, seedEnv, seed)
	rng := rand.New(rand.NewPCG(seed, 0x656e74726167))

	dir := t.TempDir()
	bin := buildEmulator(t, dir)
	dbPath, certPath := filepath.Join(dir, "emulator.db"), filepath.Join(dir, "emulator-ca.pem")

	tr := newTracker()
	emu := startEmulator(t, bin, dbPath, certPath)
	for cycle := 1; cycle <= durabilityCycles; cycle++ {
		killAt := durabilityKillFloor + time.Duration(rng.Int64N(int64(durabilityLoad-2*durabilityKillFloor)))
		stats := runLoadAndKill(t, emu, tr, cycle, killAt, rng.Uint64())
		t.Logf("cycle %d: SIGKILL at %v into the load; acknowledged %d creates and %d patches, %d creates and %d patches unanswered",
			cycle, killAt.Round(time.Millisecond), stats.creates, stats.patches, stats.unansweredCreates, stats.unansweredPatches)
		if t.Failed() {
			return
		}

		emu = startEmulator(t, bin, dbPath, certPath)
		v := tr.verify(t, emu, cycle)
		if t.Failed() {
			return
		}
		t.Logf("cycle %d: after restart %d catalogs, every acknowledged write present, none half written (of the unanswered writes, %d creates and %d patches had committed)",
			cycle, v.catalogs, v.adoptedCreates, v.appliedPatches)
		id := emu.createCatalog(t, fmt.Sprintf("after restart %d", cycle))
		tr.adopt(id, fmt.Sprintf("after restart %d", cycle))
	}
}

// buildEmulator compiles this command into dir.
func buildEmulator(t *testing.T, dir string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is not on PATH: %v", err)
	}
	bin := filepath.Join(dir, "entragov-emulator")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	out, err := exec.CommandContext(ctx, goTool, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built the emulator in %v", time.Since(start).Round(time.Millisecond))
	return bin
}

// emulatorProcess is one running emulator and an HTTPS client trusting its CA.
type emulatorProcess struct {
	cmd    *exec.Cmd
	base   string
	client *http.Client
	stderr *lockedBuffer
	token  string

	killOnce sync.Once
	killed   atomic.Bool
	waitErr  error
}

// kill sends SIGKILL and reaps the process; it is safe to call more than once.
func (p *emulatorProcess) kill() {
	p.killOnce.Do(func() {
		p.killed.Store(true)
		_ = p.cmd.Process.Kill()
		p.waitErr = p.cmd.Wait()
	})
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startEmulator starts the binary on a free loopback port (main prints the URL it bound), waits until
// /_emulator/health answers over HTTPS with the CA it wrote, and gets an admin token.
func startEmulator(t *testing.T, bin, dbPath, certPath string) *emulatorProcess {
	t.Helper()
	p := &emulatorProcess{stderr: &lockedBuffer{}}
	p.cmd = exec.Command(bin, "-listen", "127.0.0.1:0", "-db", dbPath, "-cert-file", certPath)
	p.cmd.Stderr = p.stderr
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	t.Cleanup(p.kill)

	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "entragov emulator listening on "); ok {
				urls <- strings.TrimSpace(u)
			}
		}
		_, _ = io.Copy(io.Discard, stdout) // keep draining so the child never blocks on a full pipe
	}()
	select {
	case p.base = <-urls:
	case <-time.After(30 * time.Second):
		p.kill()
		t.Fatalf("the emulator did not print its URL within 30 s (exit: %v); stderr:\n%s", p.waitErr, p.stderr)
	}

	pemBytes, err := os.ReadFile(certPath)
	if err != nil {
		p.kill()
		t.Fatalf("read the CA file the emulator wrote: %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		p.kill()
		t.Fatalf("%s holds no PEM certificate", certPath)
	}
	p.client = &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig:     &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
			MaxIdleConnsPerHost: durabilityWorkers * 2,
		},
	}
	t.Cleanup(p.client.CloseIdleConnections)

	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := p.client.Get(p.base + "/_emulator/health")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		if time.Now().After(deadline) {
			p.kill()
			t.Fatalf("%s/_emulator/health not healthy within 15 s: %v; stderr:\n%s", p.base, err, p.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.token = p.getToken(t)
	return p
}

func (p *emulatorProcess) getToken(t *testing.T) string {
	t.Helper()
	form := url.Values{
		"grant_type": {"client_credentials"}, "client_id": {emulator.DefaultClientID},
		"client_secret": {emulator.DefaultClientSecret}, "scope": {"https://graph.microsoft.com/.default"},
	}
	resp, err := p.client.PostForm(p.base+"/"+emulator.DefaultTenantID+"/oauth2/v2.0/token", form)
	if err != nil {
		t.Fatalf("token request: %v", err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &body) != nil || body.AccessToken == "" {
		t.Fatalf("token: %d %s", resp.StatusCode, raw)
	}
	return body.AccessToken
}

// do sends one Graph request; a transport error (the process is gone) is returned, not fatal.
func (p *emulatorProcess) do(method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	target := path
	if !strings.HasPrefix(path, "https://") {
		target = p.base + path
	}
	req, err := http.NewRequest(method, target, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+p.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, err
}

func (p *emulatorProcess) createCatalog(t *testing.T, name string) string {
	t.Helper()
	status, raw, err := p.do(http.MethodPost, catalogsPath, map[string]any{"displayName": name, "description": "durability"})
	if err != nil || status != http.StatusCreated {
		t.Fatalf("create %q on the restarted emulator: %d %v %s", name, status, err, raw)
	}
	var obj struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &obj); err != nil || obj.ID == "" {
		t.Fatalf("create %q: no id in %s", name, raw)
	}
	return obj.ID
}

// tracker is what the clients know: the last acknowledged displayName of every catalog and the values
// sent since then whose answer never came (they may or may not have been applied).
type tracker struct {
	mu              sync.Mutex
	acked           map[string]string   // id -> last acknowledged (or last observed) displayName
	pending         map[string][]string // id -> displayNames sent after that, unanswered
	inflightCreates map[string]bool     // displayNames of creates without an answer
}

func newTracker() *tracker {
	return &tracker{acked: map[string]string{}, pending: map[string][]string{}, inflightCreates: map[string]bool{}}
}

func (tr *tracker) adopt(id, name string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.acked[id] = name
}

type loadStats struct{ creates, patches, unansweredCreates, unansweredPatches int64 }

// runLoadAndKill runs durabilityWorkers clients creating catalogs and patching their own catalogs'
// displayName until the process is killed, killAt after the first acknowledged write (so a slow start
// on a busy machine still leaves killAt of load before the kill). Every id a worker patches is its own,
// so writes to one catalog are sequential and "the last acknowledged value" is well defined.
func runLoadAndKill(t *testing.T, p *emulatorProcess, tr *tracker, cycle int, killAt time.Duration, seed uint64) loadStats {
	t.Helper()
	var stats loadStats
	stop := make(chan struct{})
	started := make(chan struct{})
	var startOnce sync.Once
	acknowledged := func() { startOnce.Do(func() { close(started) }) }
	var wg sync.WaitGroup
	for w := range durabilityWorkers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(seed, uint64(w)))
			var owned []string
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				if len(owned) == 0 || (len(owned) < durabilityOwnedMax && rng.IntN(100) < 2) {
					name := fmt.Sprintf("c%d-w%d-%d", cycle, w, n)
					tr.mu.Lock()
					tr.inflightCreates[name] = true
					tr.mu.Unlock()
					status, raw, err := p.do(http.MethodPost, catalogsPath, map[string]any{"displayName": name, "description": "durability"})
					if !p.answered(t, "create "+name, status, raw, err, http.StatusCreated) {
						atomic.AddInt64(&stats.unansweredCreates, 1)
						return
					}
					var obj struct {
						ID string `json:"id"`
					}
					if err := json.Unmarshal(raw, &obj); err != nil || obj.ID == "" {
						t.Errorf("create %s answered 201 without an id: %s", name, raw)
						return
					}
					tr.mu.Lock()
					delete(tr.inflightCreates, name)
					tr.acked[obj.ID] = name
					tr.mu.Unlock()
					owned = append(owned, obj.ID)
					atomic.AddInt64(&stats.creates, 1)
					acknowledged()
					continue
				}
				id := owned[rng.IntN(len(owned))]
				name := fmt.Sprintf("p%d-w%d-%d", cycle, w, n)
				tr.mu.Lock()
				tr.pending[id] = append(tr.pending[id], name)
				tr.mu.Unlock()
				status, raw, err := p.do(http.MethodPatch, catalogsPath+"/"+id, map[string]any{"displayName": name})
				if !p.answered(t, "patch "+id+" to "+name, status, raw, err, http.StatusNoContent) {
					atomic.AddInt64(&stats.unansweredPatches, 1)
					return
				}
				tr.mu.Lock()
				tr.acked[id] = name
				delete(tr.pending, id)
				tr.mu.Unlock()
				atomic.AddInt64(&stats.patches, 1)
				acknowledged()
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	// stopNow ends the load early (kill, then wait for the workers, whose requests fail at once).
	stopNow := func() {
		p.kill()
		<-done
	}
	select {
	case <-started:
	case <-done:
		t.Fatalf("cycle %d: every worker stopped before any write was acknowledged; stderr:\n%s", cycle, p.stderr)
	case <-time.After(30 * time.Second):
		stopNow()
		t.Fatalf("cycle %d: no write acknowledged within 30 s; stderr:\n%s", cycle, p.stderr)
	}
	killTimer := time.AfterFunc(killAt, p.kill)
	endTimer := time.AfterFunc(durabilityLoad, func() { close(stop) })
	defer killTimer.Stop()
	defer endTimer.Stop()
	select {
	case <-done:
	case <-time.After(durabilityLoad + 30*time.Second):
		stopNow()
		t.Fatalf("cycle %d: the load did not stop within 30 s of its end", cycle)
	}
	p.kill() // in case the load ended before the kill (it should not: killAt < durabilityLoad)
	return stats
}

// answered reports whether the request got the wanted success. A transport error after the kill is the
// expected end of the load; any other failure (an error status, or a transport error while the process
// was alive) fails the test.
func (p *emulatorProcess) answered(t *testing.T, what string, status int, raw []byte, err error, want int) bool {
	switch {
	case err == nil && status == want:
		return true
	case p.killed.Load():
		return false
	case err != nil:
		t.Errorf("%s: %v before the kill; stderr:\n%s", what, err, p.stderr)
	default:
		t.Errorf("%s: status %d, want %d: %s", what, status, want, raw)
	}
	return false
}

type verifyStats struct{ catalogs, adoptedCreates, appliedPatches int }

// verify lists every catalog of the restarted emulator and checks it against what was acknowledged; it
// then takes the observed state as the new baseline. It counts the catalogs and the unanswered creates
// and patches that turned out to have committed.
func (tr *tracker) verify(t *testing.T, p *emulatorProcess, cycle int) (v verifyStats) {
	t.Helper()
	stored := map[string]string{}
	next := catalogsPath
	for pages := 0; next != ""; pages++ {
		if pages > 1000 {
			t.Fatalf("cycle %d: more than 1000 pages of catalogs", cycle)
		}
		status, raw, err := p.do(http.MethodGet, next, nil)
		if err != nil || status != http.StatusOK {
			t.Fatalf("cycle %d: list catalogs after restart: %d %v %s", cycle, status, err, raw)
		}
		var page struct {
			Value    []map[string]any `json:"value"`
			NextLink string           `json:"@odata.nextLink"`
		}
		if err := json.Unmarshal(raw, &page); err != nil {
			t.Fatalf("cycle %d: list catalogs: %v: %s", cycle, err, raw)
		}
		for _, c := range page.Value {
			id, _ := c["id"].(string)
			name, _ := c["displayName"].(string)
			state, _ := c["state"].(string)
			created, _ := c["createdDateTime"].(string)
			if _, err := time.Parse(time.RFC3339Nano, created); id == "" || name == "" || (state != "published" && state != "unpublished") || err != nil {
				t.Errorf("cycle %d: half-written catalog (id, displayName, state or createdDateTime missing or invalid): %v", cycle, c)
				continue
			}
			if _, dup := stored[id]; dup {
				t.Errorf("cycle %d: catalog %s listed twice", cycle, id)
			}
			if c["catalogType"] == "serviceDefault" {
				continue // the seeded General catalog
			}
			stored[id] = name
		}
		next = page.NextLink
	}

	tr.mu.Lock()
	defer tr.mu.Unlock()
	lost, stale := 0, 0
	for id, want := range tr.acked {
		got, ok := stored[id]
		switch {
		case !ok:
			lost++
			if lost <= 10 {
				t.Errorf("cycle %d: acknowledged catalog %s (last acknowledged displayName %q) is gone after the restart", cycle, id, want)
			}
		case got != want && slices.Contains(tr.pending[id], got):
			v.appliedPatches++
		case got != want:
			stale++
			if stale <= 10 {
				t.Errorf("cycle %d: catalog %s has displayName %q after the restart; want the last acknowledged %q or an unanswered later value %v",
					cycle, id, got, want, tr.pending[id])
			}
		}
	}
	if lost+stale > 0 {
		t.Errorf("cycle %d: %d acknowledged creates lost, %d acknowledged patches lost (of %d catalogs)", cycle, lost, stale, len(tr.acked))
	}
	for id, name := range stored {
		if _, known := tr.acked[id]; known {
			continue
		}
		if !tr.inflightCreates[name] {
			t.Errorf("cycle %d: catalog %s %q exists but no client created it", cycle, id, name)
			continue
		}
		v.adoptedCreates++
	}
	// The observed state is the baseline of the next cycle.
	tr.acked, tr.pending, tr.inflightCreates = stored, map[string][]string{}, map[string]bool{}
	v.catalogs = len(stored)
	return v
}
