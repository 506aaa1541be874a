package emulatortest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// The fuzz targets call the handler in process (httptest.NewRecorder), so a handler panic fails the
// target instead of being swallowed by net/http, and need no network. Each fuzz worker process builds
// one in-memory tenant; objects a fuzz input creates are deleted again, so every input meets the same
// state and a finding replays from its corpus file alone.

// FuzzEnv is one in-memory tenant fuzz targets send requests to in process.
type FuzzEnv struct {
	Srv       *emulator.Server
	token     string
	tokenTime time.Time
}

// NewFuzzEnv builds the tenant of one fuzz worker and gets an admin token.
func NewFuzzEnv(tb testing.TB) *FuzzEnv {
	tb.Helper()
	srv, err := emulator.New(emulator.Config{DBPath: ":memory:", Authority: SharedAuthority(tb)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { srv.Close() })
	e := &FuzzEnv{Srv: srv}
	e.refreshToken(tb)
	return e
}

// refreshToken gets an admin token through the token endpoint (tokens live an hour; long fuzz
// sessions renew them).
func (e *FuzzEnv) refreshToken(tb testing.TB) {
	tb.Helper()
	form := url.Values{
		"grant_type": {"client_credentials"}, "client_id": {emulator.DefaultClientID}, "client_secret": {emulator.DefaultClientSecret},
		"scope": {"https://graph.microsoft.com/.default"},
	}
	req := httptest.NewRequest(http.MethodPost, "/"+e.Srv.TenantID()+"/oauth2/v2.0/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	e.Srv.Handler().ServeHTTP(rec, req)
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &body) != nil || body.AccessToken == "" {
		tb.Fatalf("token: %d %s", rec.Code, rec.Body)
	}
	e.token, e.tokenTime = body.AccessToken, time.Now()
}

// Serve sends one Graph request with the admin token to the handler.
func (e *FuzzEnv) Serve(t *testing.T, method, target string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	if time.Since(e.tokenTime) > 30*time.Minute {
		e.refreshToken(t)
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	rec := httptest.NewRecorder()
	e.Srv.Handler().ServeHTTP(rec, req)
	return rec
}

// DecodeObject reads a reply as one JSON object, failing the test when it is anything else.
func DecodeObject(t *testing.T, what string, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s: %d with Content-Type %q: %s", what, rec.Code, ct, rec.Body)
	}
	var obj map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &obj); err != nil || obj == nil {
		t.Fatalf("%s: %d, body is not a JSON object (%v): %s", what, rec.Code, err, rec.Body)
	}
	return obj
}

// CheckGraphError asserts Graph's error shape: {"error": {"code": "...", "message": "..."}}.
func CheckGraphError(t *testing.T, what string, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	obj := DecodeObject(t, what, rec)
	inner, ok := obj["error"].(map[string]any)
	if !ok {
		t.Fatalf("%s: %d without an error object: %s", what, rec.Code, rec.Body)
	}
	code, _ := inner["code"].(string)
	msg, _ := inner["message"].(string)
	if code == "" || msg == "" {
		t.Fatalf("%s: %d, error without code or message: %s", what, rec.Code, rec.Body)
	}
	return inner
}

// CheckCreate posts body to collection and asserts: 201 or a Graph-style 4xx, never 5xx or a panic.
// A created object has a string id, no internal (_-prefixed) fields, reads back with GET under that id
// and deletes (then, for workflows, purges) with 204, which also keeps the tenant's state fixed.
func (e *FuzzEnv) CheckCreate(t *testing.T, collection string, body []byte, purge string) {
	t.Helper()
	what := "POST " + collection + " " + strconv.Quote(string(body))
	rec := e.Serve(t, http.MethodPost, collection, body)
	switch {
	case rec.Code == http.StatusCreated:
	case rec.Code >= 400 && rec.Code < 500:
		CheckGraphError(t, what, rec)
		return
	default:
		t.Fatalf("%s: status %d, want 201 or a 4xx: %s", what, rec.Code, rec.Body)
	}
	obj := DecodeObject(t, what, rec)
	id, _ := obj["id"].(string)
	if id == "" {
		t.Fatalf("%s: 201 without an id: %s", what, rec.Body)
	}
	NoInternal(t, obj)
	get := e.Serve(t, http.MethodGet, collection+"/"+url.PathEscape(id), nil)
	if get.Code != http.StatusOK {
		t.Fatalf("%s: created %s, but GET answers %d: %s", what, id, get.Code, get.Body)
	}
	if got := DecodeObject(t, "GET "+id, get); got["id"] != id {
		t.Fatalf("%s: GET %s returned id %v", what, id, got["id"])
	}
	for _, target := range []string{collection + "/" + url.PathEscape(id), purge} {
		if target == "" {
			continue
		}
		if purge != "" && target == purge {
			target += "/" + url.PathEscape(id)
		}
		del := e.Serve(t, http.MethodDelete, target, nil)
		if del.Code != http.StatusNoContent {
			t.Fatalf("%s: created %s, but DELETE %s answers %d: %s", what, id, target, del.Code, del.Body)
		}
	}
}

// AddJSONSeeds adds each value as JSON bytes, plus the malformed bodies every collection must refuse.
func AddJSONSeeds(f *testing.F, values ...any) {
	f.Helper()
	for _, v := range values {
		b, err := json.Marshal(v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, raw := range []string{`{"displayName": "a",`, `[]`, `null`, `"x"`, `{}`, `{"displayName":"a"} {}`, ``,
		`{"displayName": 5, "description": ""}`, `{"displayName": "a", "description": "", "foo": 1}`} {
		f.Add([]byte(raw))
	}
}

// NoInternal fails when any object in v has a key starting with '_'.
func NoInternal(t testing.TB, v any) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		for k, y := range x {
			if strings.HasPrefix(k, "_") {
				t.Errorf("internal field %q in output", k)
			}
			NoInternal(t, y)
		}
	case []any:
		for _, y := range x {
			NoInternal(t, y)
		}
	}
}
