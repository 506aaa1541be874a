package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

var (
	testAuthOnce sync.Once
	testAuth     *Authority
	testAuthErr  error
)

// sharedAuthority mirrors the acceptance harness: one Authority per process.
func sharedAuthority(t *testing.T) *Authority {
	t.Helper()
	testAuthOnce.Do(func() { testAuth, testAuthErr = NewAuthority() })
	if testAuthErr != nil {
		t.Fatal(testAuthErr)
	}
	return testAuth
}

type env struct {
	t     *testing.T
	srv   *Server
	hs    *httptest.Server
	base  string
	token string // admin token
}

func newEnv(t *testing.T, cfg Config) *env {
	t.Helper()
	if cfg.Authority == nil {
		cfg.Authority = sharedAuthority(t)
	}
	if cfg.DBPath == "" {
		cfg.DBPath = ":memory:"
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { hs.Close(); srv.Close() })
	e := &env{t: t, srv: srv, hs: hs, base: hs.URL}
	if _, ok := srv.identity.App(DefaultClientID); ok {
		e.token = e.getToken(DefaultClientID, DefaultClientSecret)
	}
	return e
}

func (e *env) tokenRequest(tenant string, form url.Values) (*http.Response, map[string]any) {
	e.t.Helper()
	resp, err := http.PostForm(e.base+"/"+tenant+"/oauth2/v2.0/token", form)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, decode(e.t, resp)
}

func (e *env) getToken(clientID, secret string) string {
	e.t.Helper()
	resp, body := e.tokenRequest(e.srv.TenantID(), url.Values{
		"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret},
		"scope": {"https://graph.microsoft.com/.default"},
	})
	if resp.StatusCode != 200 {
		e.t.Fatalf("token: %d %v", resp.StatusCode, body)
	}
	return body["access_token"].(string)
}

func decode(t *testing.T, resp *http.Response) map[string]any {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("response is not JSON: %v: %s", err, b)
	}
	return m
}

// do sends a Graph request with the admin token; body may be a string (sent raw) or a value.
func (e *env) do(method, path string, body any) (*http.Response, map[string]any) {
	e.t.Helper()
	return e.doWith(e.token, method, path, body, nil)
}

func (e *env) doWith(token, method, path string, body any, hdr map[string]string) (*http.Response, map[string]any) {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	u := path
	if !strings.HasPrefix(path, "http") {
		u = e.base + path
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, decode(e.t, resp)
}

const catalogsPath = "/v1.0/identityGovernance/entitlementManagement/catalogs"

func (e *env) createCatalog(body map[string]any) map[string]any {
	e.t.Helper()
	resp, obj := e.do("POST", catalogsPath, body)
	if resp.StatusCode != http.StatusCreated {
		e.t.Fatalf("create catalog: %d %v", resp.StatusCode, obj)
	}
	return obj
}

func errCode(body map[string]any) string {
	if e, ok := body["error"].(map[string]any); ok {
		c, _ := e["code"].(string)
		return c
	}
	return "<no error body>"
}

func errMessage(body map[string]any) string {
	if e, ok := body["error"].(map[string]any); ok {
		m, _ := e["message"].(string)
		return m
	}
	return ""
}

func names(t *testing.T, body map[string]any) []string {
	t.Helper()
	vals, ok := body["value"].([]any)
	if !ok {
		t.Fatalf("no value array: %v", body)
	}
	var out []string
	for _, v := range vals {
		out = append(out, v.(map[string]any)["displayName"].(string))
	}
	return out
}
