// Package emulatortest is the test harness of the emulator's packages: a server
// behind httptest with an admin token, request helpers and Graph error readers. The
// area packages' tests (external test packages) use it; it imports the emulator.
package emulatortest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

var (
	authOnce sync.Once
	auth     *emulator.Authority
	authErr  error
)

// SharedAuthority mirrors the acceptance harness: one Authority per process (RSA key
// generation is the slow part of emulator.New).
func SharedAuthority(t testing.TB) *emulator.Authority {
	t.Helper()
	authOnce.Do(func() { auth, authErr = emulator.NewAuthority() })
	if authErr != nil {
		t.Fatal(authErr)
	}
	return auth
}

// Env is one emulator behind httptest, with an admin token.
type Env struct {
	T     *testing.T
	Srv   *emulator.Server
	HS    *httptest.Server
	Base  string
	Token string // admin token ("" when the config has no admin app)
}

// New starts a server for cfg (in memory, shared Authority unless set) and closes
// it when the test ends.
func New(t *testing.T, cfg emulator.Config) *Env {
	t.Helper()
	if cfg.Authority == nil {
		cfg.Authority = SharedAuthority(t)
	}
	if cfg.DBPath == "" {
		cfg.DBPath = ":memory:"
	}
	srv, err := emulator.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { hs.Close(); srv.Close() })
	e := &Env{T: t, Srv: srv, HS: hs, Base: hs.URL}
	apps := cfg.Apps
	if apps == nil {
		apps = emulator.DefaultApps()
	}
	for _, a := range apps {
		if strings.EqualFold(a.ClientID, emulator.DefaultClientID) {
			e.Token = e.GetToken(emulator.DefaultClientID, emulator.DefaultClientSecret)
		}
	}
	return e
}

// TokenRequest posts form to the tenant's token endpoint.
func (e *Env) TokenRequest(tenant string, form url.Values) (*http.Response, map[string]any) {
	e.T.Helper()
	resp, err := http.PostForm(e.Base+"/"+tenant+"/oauth2/v2.0/token", form)
	if err != nil {
		e.T.Fatal(err)
	}
	return resp, Decode(e.T, resp)
}

// GetToken gets a Graph token with client credentials.
func (e *Env) GetToken(clientID, secret string) string {
	e.T.Helper()
	resp, body := e.TokenRequest(e.Srv.TenantID(), url.Values{
		"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret},
		"scope": {"https://graph.microsoft.com/.default"},
	})
	if resp.StatusCode != 200 {
		e.T.Fatalf("token: %d %v", resp.StatusCode, body)
	}
	return body["access_token"].(string)
}

// Decode reads a JSON object body (nil for an empty body).
func Decode(t testing.TB, resp *http.Response) map[string]any {
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

// Do sends a Graph request with the admin token; body may be a string (sent raw) or a value.
func (e *Env) Do(method, path string, body any) (*http.Response, map[string]any) {
	e.T.Helper()
	return e.DoWith(e.Token, method, path, body, nil)
}

// DoWith sends a request with token and headers (an empty value deletes a header).
func (e *Env) DoWith(token, method, path string, body any, hdr map[string]string) (*http.Response, map[string]any) {
	e.T.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.T.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	u := path
	if !strings.HasPrefix(path, "http") {
		u = e.Base + path
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		e.T.Fatal(err)
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
		e.T.Fatal(err)
	}
	return resp, Decode(e.T, resp)
}

// MustDo is Do that fails the test unless the status is want.
func (e *Env) MustDo(method, path string, body any, want int) map[string]any {
	e.T.Helper()
	resp, obj := e.Do(method, path, body)
	if resp.StatusCode != want {
		e.T.Fatalf("%s %s: %d %v, want %d", method, path, resp.StatusCode, obj, want)
	}
	return obj
}

// ErrCode is the code of a Graph error body.
func ErrCode(body map[string]any) string {
	if e, ok := body["error"].(map[string]any); ok {
		c, _ := e["code"].(string)
		return c
	}
	return "<no error body>"
}

// ErrMessage is the message of a Graph error body.
func ErrMessage(body map[string]any) string {
	if e, ok := body["error"].(map[string]any); ok {
		m, _ := e["message"].(string)
		return m
	}
	return ""
}

// ValueList is the value array of a collection body.
func ValueList(t testing.TB, body map[string]any) []map[string]any {
	t.Helper()
	raw, ok := body["value"].([]any)
	if !ok {
		t.Fatalf("no value array in %v", body)
	}
	out := make([]map[string]any, 0, len(raw))
	for _, x := range raw {
		out = append(out, x.(map[string]any))
	}
	return out
}

// IDsOf is the sorted ids of a collection body.
func IDsOf(t testing.TB, body map[string]any) []string {
	t.Helper()
	var ids []string
	for _, o := range ValueList(t, body) {
		ids = append(ids, o["id"].(string))
	}
	sort.Strings(ids)
	return ids
}

// SortedIDs returns ids sorted.
func SortedIDs(ids ...string) []string {
	out := append([]string(nil), ids...)
	sort.Strings(out)
	return out
}

// SameIDs compares id sets.
func SameIDs(got, want []string) bool {
	return strings.Join(SortedIDs(got...), ",") == strings.Join(SortedIDs(want...), ",")
}

// GraphTimestamp is Graph's timestamp format: UTC, Z, fractional seconds.
var GraphTimestamp = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$`)

// Paths of entitlement management most tests use.
const (
	EMPath       = "/v1.0/identityGovernance/entitlementManagement"
	CatalogsPath = EMPath + "/catalogs"
)

// CreateCatalog creates a catalog and fails the test unless Graph answers 201.
func (e *Env) CreateCatalog(body map[string]any) map[string]any {
	e.T.Helper()
	resp, obj := e.Do("POST", CatalogsPath, body)
	if resp.StatusCode != http.StatusCreated {
		e.T.Fatalf("create catalog: %d %v", resp.StatusCode, obj)
	}
	return obj
}

// Put stores obj in collection directly (backdated, so no fault hides it), for
// fixtures the Graph API cannot make.
func (e *Env) Put(collection string, obj map[string]any) map[string]any {
	e.T.Helper()
	if err := e.Srv.Store.Insert(collection, obj["id"].(string), obj, time.Unix(0, 0)); err != nil {
		e.T.Fatal(err)
	}
	return obj
}
