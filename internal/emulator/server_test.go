package emulator

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestResponseHeadersAndErrorIDs(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	crid := uuid.NewString()
	resp, body := e.doWith(e.token, "GET", catalogsPath+"/"+uuid.NewString(), nil, map[string]string{"client-request-id": crid})
	if resp.StatusCode != 404 {
		t.Fatalf("%d %v", resp.StatusCode, body)
	}
	rid := resp.Header.Get("request-id")
	if _, err := uuid.Parse(rid); err != nil {
		t.Errorf("request-id %q", rid)
	}
	if resp.Header.Get("client-request-id") != crid {
		t.Errorf("client-request-id %q, want %q", resp.Header.Get("client-request-id"), crid)
	}
	if _, err := http.ParseTime(resp.Header.Get("Date")); err != nil {
		t.Errorf("Date %q", resp.Header.Get("Date"))
	}
	inner := body["error"].(map[string]any)["innerError"].(map[string]any)
	if inner["request-id"] != rid || inner["client-request-id"] != crid || inner["date"] == "" {
		t.Errorf("innerError %v", inner)
	}
	// Without a client id the server makes one up, and every response has the headers.
	resp, _ = e.doWith("", "GET", "/"+DefaultTenantID+"/discovery/v2.0/keys", nil, nil)
	if _, err := uuid.Parse(resp.Header.Get("client-request-id")); err != nil || resp.Header.Get("request-id") == "" {
		t.Errorf("headers %v", resp.Header)
	}
}

func TestRouting(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	c := e.createCatalog(map[string]any{"displayName": "R", "description": ""})
	tests := []struct {
		name, method, path string
		status             int
		code               string
	}{
		{"lower-case path", "GET", "/v1.0/identitygovernance/entitlementmanagement/CATALOGS/" + c["id"].(string), 200, ""},
		{"trailing slash collection", "GET", catalogsPath + "/", 200, ""},
		{"trailing slash item", "GET", catalogsPath + "/" + c["id"].(string) + "/", 200, ""},
		{"unknown path", "GET", "/v1.0/identityGovernance/entitlementManagement/accessPackageCatalogs", 404, ""},
		{"wrong method", "PUT", catalogsPath + "/" + c["id"].(string), 405, "Request_BadRequest"},
		{"wrong method collection", "DELETE", catalogsPath, 405, "Request_BadRequest"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.method == "PUT" {
				body = map[string]any{}
			}
			resp, obj := e.do(tc.method, tc.path, body)
			if resp.StatusCode != tc.status {
				t.Fatalf("%d %v", resp.StatusCode, obj)
			}
			if tc.status >= 400 && errCode(obj) != tc.code {
				t.Errorf("code %q, want %q", errCode(obj), tc.code)
			}
			if tc.status == 404 && !strings.Contains(errMessage(obj), "No HTTP resource was found that matches the request URI") {
				t.Errorf("message %q", errMessage(obj))
			}
			if tc.status == 405 && errMessage(obj) != "Specified HTTP method is not allowed for the request target." {
				t.Errorf("message %q", errMessage(obj))
			}
		})
	}
}

func TestRestartDurability(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "emu.db")
	s1, err := New(Config{DBPath: path})
	if err != nil {
		t.Fatal(err)
	}
	h1 := httptest.NewServer(s1.Handler())
	e1 := &env{t: t, srv: s1, hs: h1, base: h1.URL}
	e1.token = e1.getToken(DefaultClientID, DefaultClientSecret)
	c := e1.createCatalog(map[string]any{"displayName": "Durable", "description": "kept"})
	cert1 := s1.Authority().CertPEM()
	h1.Close()
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}

	s2, err := New(Config{DBPath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if !bytes.Equal(cert1, s2.Authority().CertPEM()) {
		t.Error("CA certificate changed across restart")
	}
	h2 := httptest.NewServer(s2.Handler())
	defer h2.Close()
	// A token from the first run is still accepted (same signing key); the audience is
	// graph, which does not depend on the port.
	e2 := &env{t: t, srv: s2, hs: h2, base: h2.URL, token: e1.token}
	resp, got := e2.do("GET", catalogsPath+"/"+c["id"].(string), nil)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %v", resp.StatusCode, got)
	}
	for k, v := range c {
		if k != "@odata.context" && got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	// The seed is not repeated: still exactly one General catalog.
	all, _ := s2.ListObjects("catalogs")
	if len(all) != 2 {
		t.Errorf("catalogs after restart: %v", all)
	}
}

func TestListenTLS(t *testing.T) {
	t.Parallel()
	srv, err := New(Config{Authority: sharedAuthority(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	inst, err := Listen("127.0.0.1:0", srv)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	if !strings.HasPrefix(inst.URL, "https://127.0.0.1:") {
		t.Fatalf("URL %q", inst.URL)
	}
	pool := srv.Authority().CertPool()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}, Timeout: 10 * time.Second}
	resp, err := client.Get(inst.URL + "/" + DefaultTenantID + "/v2.0/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	body := decode(t, resp)
	if body["issuer"] != inst.URL+"/"+DefaultTenantID+"/v2.0" {
		t.Errorf("issuer %v", body["issuer"])
	}
	// A token for the emulator's own URL works against the emulator over TLS.
	resp, err = client.PostForm(inst.URL+"/"+DefaultTenantID+"/oauth2/v2.0/token", map[string][]string{
		"grant_type": {"client_credentials"}, "client_id": {DefaultClientID}, "client_secret": {DefaultClientSecret},
		"scope": {inst.URL + "/.default"}})
	if err != nil {
		t.Fatal(err)
	}
	tok := decode(t, resp)
	req, _ := http.NewRequest("GET", inst.URL+catalogsPath, nil)
	req.Header.Set("Authorization", "Bearer "+tok["access_token"].(string))
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if list := decode(t, resp); resp.StatusCode != 200 || len(list["value"].([]any)) != 1 {
		t.Fatalf("%d %v", resp.StatusCode, list)
	}
	// Graph speaks HTTP/2, and so does the emulator: concurrent requests share one connection.
	if resp.ProtoMajor != 2 {
		t.Errorf("the local API answered over %s, want HTTP/2", resp.Proto)
	}
	// A client that does not trust the CA fails the handshake.
	untrusting := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: x509EmptyPool()}}, Timeout: 5 * time.Second}
	if _, err := untrusting.Get(inst.URL + "/_emulator/health"); err == nil {
		t.Error("untrusted client connected")
	}
	if err := inst.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Get(inst.URL + "/_emulator/health"); err == nil {
		t.Error("server still answers after Close")
	}
}

func TestControlAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	c := e.createCatalog(map[string]any{"displayName": "Ctl", "description": ""})
	id := c["id"].(string)
	ctl := func(method, path string, body any) (*http.Response, map[string]any) {
		return e.doWith("", method, "/_emulator"+path, body, nil)
	}
	if resp, body := ctl("GET", "/health", nil); resp.StatusCode != 200 || body["status"] != "ok" {
		t.Fatalf("health %d %v", resp.StatusCode, body)
	}
	if resp, body := ctl("GET", "/objects/catalogs", nil); resp.StatusCode != 200 || len(body["value"].([]any)) != 2 {
		t.Fatalf("list %d %v", resp.StatusCode, body)
	}
	if resp, body := ctl("GET", "/objects/catalogs/"+id, nil); resp.StatusCode != 200 || body["displayName"] != "Ctl" {
		t.Fatalf("get %d %v", resp.StatusCode, body)
	}
	// Out-of-band change is seen by Graph reads (drift).
	time.Sleep(2 * time.Millisecond)
	if resp, body := ctl("PATCH", "/objects/catalogs/"+id, map[string]any{"description": "drifted", "state": "unpublished"}); resp.StatusCode != 204 {
		t.Fatalf("patch %d %v", resp.StatusCode, body)
	}
	_, got := e.do("GET", catalogsPath+"/"+id, nil)
	if got["description"] != "drifted" || got["state"] != "unpublished" || got["modifiedDateTime"] == c["modifiedDateTime"] {
		t.Errorf("after drift %v", got)
	}
	if resp, _ := ctl("PATCH", "/objects/catalogs/"+uuid.NewString(), map[string]any{"x": 1}); resp.StatusCode != 404 {
		t.Errorf("patch missing: %d", resp.StatusCode)
	}
	// Request counts, keyed by route template.
	e.srv.ResetRequestCount()
	e.do("GET", catalogsPath+"/"+id, nil)
	e.do("GET", catalogsPath+"/"+id, nil)
	_, stats := ctl("GET", "/requests", nil)
	by := stats["byRoute"].(map[string]any)
	if stats["total"] != float64(2) || by["GET /v1.0/identityGovernance/entitlementManagement/catalogs/{id}"] != float64(2) {
		t.Errorf("stats %v", stats)
	}
	if resp, _ := ctl("DELETE", "/requests", nil); resp.StatusCode != 204 || e.srv.RequestCount().Total != 0 {
		t.Errorf("reset counts: %d %v", resp.StatusCode, e.srv.RequestCount())
	}
	// Faults round-trip with duration strings.
	if resp, body := ctl("PUT", "/faults", map[string]any{"seed": 7, "latency": "1ms", "readAfterCreateDelay": "2s"}); resp.StatusCode != 204 {
		t.Fatalf("put faults %d %v", resp.StatusCode, body)
	}
	if _, f := ctl("GET", "/faults", nil); f["latency"] != "1ms" || f["readAfterCreateDelay"] != "2s" || f["seed"] != float64(7) {
		t.Errorf("faults %v", f)
	}
	if resp, _ := ctl("PUT", "/faults", map[string]any{"latency": "soon"}); resp.StatusCode != 400 {
		t.Errorf("bad faults: %d", resp.StatusCode)
	}
	ctl("PUT", "/faults", map[string]any{})
	// Out-of-band delete, then reset restores the seed only.
	if resp, _ := ctl("DELETE", "/objects/catalogs/"+id, nil); resp.StatusCode != 204 {
		t.Errorf("delete %d", resp.StatusCode)
	}
	if resp, _ := ctl("DELETE", "/objects/catalogs/"+id, nil); resp.StatusCode != 404 {
		t.Errorf("delete again %d", resp.StatusCode)
	}
	e.createCatalog(map[string]any{"displayName": "Gone after reset", "description": ""})
	if resp, _ := ctl("POST", "/reset", nil); resp.StatusCode != 204 {
		t.Fatalf("reset %d", resp.StatusCode)
	}
	_, list := e.do("GET", catalogsPath, nil)
	if got := names(t, list); len(got) != 1 || got[0] != "General" {
		t.Errorf("after reset %v", got)
	}
	// The token from before the reset still works: keys are kept.
	if resp, _ := e.do("GET", catalogsPath, nil); resp.StatusCode != 200 {
		t.Errorf("token after reset %d", resp.StatusCode)
	}
}

func TestControlAPILoopbackOnly(t *testing.T) {
	t.Parallel()
	srv, err := New(Config{Authority: sharedAuthority(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	req := httptest.NewRequest("POST", "/_emulator/reset", nil) // RemoteAddr 192.0.2.1
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("non-loopback control call: %d", rec.Code)
	}
	for _, addr := range []string{"127.0.0.1:5000", "[::1]:5000"} {
		req = httptest.NewRequest("GET", "/_emulator/health", nil)
		req.RemoteAddr = addr
		rec = httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Errorf("%s: %d", addr, rec.Code)
		}
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	t.Run("throttle", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Config{})
		e.srv.SetFaults(Faults{ThrottleRate: 1, RetryAfterSeconds: 3})
		resp, body := e.do("GET", catalogsPath, nil)
		if resp.StatusCode != 429 || errCode(body) != "TooManyRequests" || resp.Header.Get("Retry-After") != "3" {
			t.Fatalf("%d %v %v", resp.StatusCode, body, resp.Header)
		}
		// Token and control paths are never faulted.
		e.getToken(DefaultClientID, DefaultClientSecret)
		if r, _ := e.doWith("", "GET", "/_emulator/health", nil, nil); r.StatusCode != 200 {
			t.Errorf("control faulted: %d", r.StatusCode)
		}
		// Throttled before handling: nothing was created.
		e.do("POST", catalogsPath, map[string]any{"displayName": "x", "description": ""})
		if all, _ := e.srv.ListObjects("catalogs"); len(all) != 1 {
			t.Errorf("throttled request was handled: %v", all)
		}
		e.srv.SetFaults(Faults{ThrottleRate: 1})
		if resp, _ := e.do("GET", catalogsPath, nil); resp.Header.Get("Retry-After") != "1" {
			t.Errorf("default Retry-After %q", resp.Header.Get("Retry-After"))
		}
	})
	t.Run("server errors are deterministic", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Config{})
		run := func() string {
			e.srv.SetFaults(Faults{Seed: 42, ServerErrorRate: 0.5})
			var b strings.Builder
			for i := 0; i < 20; i++ {
				resp, body := e.do("GET", catalogsPath, nil)
				switch resp.StatusCode {
				case 200:
					b.WriteByte('.')
				case 503:
					if errCode(body) != "serviceNotAvailable" {
						t.Fatalf("code %q", errCode(body))
					}
					b.WriteByte('x')
				default:
					t.Fatalf("status %d", resp.StatusCode)
				}
			}
			return b.String()
		}
		a, b := run(), run()
		if a != b || !strings.Contains(a, "x") || !strings.Contains(a, ".") {
			t.Errorf("sequences %q %q", a, b)
		}
	})
	t.Run("read after create delay", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Config{})
		e.srv.SetFaults(Faults{ReadAfterCreateDelay: 300 * time.Millisecond})
		c := e.createCatalog(map[string]any{"displayName": "Lagging", "description": ""})
		path := catalogsPath + "/" + c["id"].(string)
		if resp, body := e.do("GET", path, nil); resp.StatusCode != 404 || errCode(body) != "ResourceNotFound" {
			t.Fatalf("right after create: %d %v", resp.StatusCode, body)
		}
		// The seeded General catalog is never hidden.
		if _, list := e.do("GET", catalogsPath+"?$filter=displayName+eq+'General'", nil); len(names(t, list)) != 1 {
			t.Error("General hidden")
		}
		time.Sleep(350 * time.Millisecond)
		if resp, body := e.do("GET", path, nil); resp.StatusCode != 200 {
			t.Fatalf("after the window: %d %v", resp.StatusCode, body)
		}
	})
	t.Run("a harness's own requests can opt out", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Config{})
		e.srv.SetFaults(Faults{ThrottleRate: 1, DropAfterCommitRate: 1})
		off := map[string]string{FaultsOffHeader: "off"}
		body := map[string]any{"displayName": "Made by the harness", "description": ""}
		if resp, got := e.doWith(e.token, "POST", catalogsPath, body, off); resp.StatusCode != 201 {
			t.Fatalf("exempt create: %d %v", resp.StatusCode, got)
		}
		if resp, _ := e.do("GET", catalogsPath, nil); resp.StatusCode != 429 {
			t.Errorf("a request without the header was not throttled: %d", resp.StatusCode)
		}
		if resp, _ := e.doWith(e.token, "GET", catalogsPath, nil, map[string]string{FaultsOffHeader: "on"}); resp.StatusCode != 429 {
			t.Errorf("only \"off\" exempts a request; got %d", resp.StatusCode)
		}
	})
	t.Run("latency", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Config{})
		e.srv.SetFaults(Faults{Latency: 100 * time.Millisecond})
		start := time.Now()
		e.do("GET", catalogsPath, nil)
		if d := time.Since(start); d < 100*time.Millisecond {
			t.Errorf("took %s", d)
		}
	})
}

func TestFaultsJSON(t *testing.T) {
	t.Parallel()
	in := Faults{Seed: 3, ThrottleRate: 0.25, RetryAfterSeconds: 2, ServerErrorRate: 0.1, Latency: 1500 * time.Millisecond, ReadAfterCreateDelay: 2 * time.Second}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"latency":"1.5s"`) {
		t.Errorf("json %s", b)
	}
	var out Faults
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Errorf("round trip %+v %v", out, err)
	}
}

func x509EmptyPool() *x509.CertPool { return x509.NewCertPool() }

// A dropped write is applied although the client gets no answer: the ambiguity the provider must
// resolve by looking the object up.
func TestDropAfterCommitAppliesTheWrite(t *testing.T) {
	e := newEnv(t, Config{})
	e.srv.SetFaults(Faults{DropAfterCommitRate: 1})
	req, _ := http.NewRequest(http.MethodPost, e.base+"/v1.0/identityGovernance/entitlementManagement/catalogs",
		strings.NewReader(`{"displayName":"Dropped","description":""}`))
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("want a dropped connection, got HTTP %d", resp.StatusCode)
	}
	all, err := e.srv.ListObjects("catalogs")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range all {
		found = found || c["displayName"] == "Dropped"
	}
	if !found || e.srv.FaultCounts().Dropped != 1 {
		t.Fatalf("the write must be committed and counted: found %v, counts %+v", found, e.srv.FaultCounts())
	}
}

// A write Graph refuses commits nothing, so its answer is never dropped: the client gets Graph's error
// (a lost answer would otherwise send it waiting for an object that was never made).
func TestDropAfterCommitAnswersARefusedWrite(t *testing.T) {
	e := newEnv(t, Config{})
	e.srv.SetFaults(Faults{DropAfterCommitRate: 1})
	req, _ := http.NewRequest(http.MethodPost, e.base+"/v1.0/identityGovernance/entitlementManagement/catalogs",
		strings.NewReader(`{"description":"no display name"}`))
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("want Graph's refusal, got a dropped connection: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"error"`) {
		t.Fatalf("want HTTP 400 with Graph's error, got %d: %s", resp.StatusCode, body)
	}
	if n := e.srv.FaultCounts().Dropped; n != 0 {
		t.Fatalf("a refused write counted as dropped: %d", n)
	}
}
