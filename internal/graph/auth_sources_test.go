package graph

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseAzureCLIToken(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	for name, tc := range map[string]struct {
		out     string
		want    time.Time
		wantErr string
	}{
		// Azure CLI 2.54 and later: expires_on in Unix seconds wins over the local time.
		"expires_on": {out: `{"accessToken":"eyJ-secret","expiresOn":"2030-01-02 03:04:05.000000","expires_on":1893553445,` +
			`"subscription":"s","tenant":"t","tokenType":"Bearer"}`, want: time.Unix(1893553445, 0)},
		"expires_on as a string": {out: `{"accessToken":"eyJ-secret","expires_on":"1893553445"}`, want: time.Unix(1893553445, 0)},
		// Older versions: expiresOn only, local time without a zone.
		"expiresOn only": {out: `{"accessToken":"eyJ-secret","expiresOn":"2030-01-02 03:04:05.123456","tokenType":"Bearer"}`,
			want: time.Date(2030, 1, 2, 3, 4, 5, 123456000, berlin)},
		"no token":           {out: `{"expires_on":1893553445}`, wantErr: "holds no accessToken"},
		"no expiry":          {out: `{"accessToken":"eyJ-secret","expiresOn":"soon"}`, wantErr: `no expiry this provider can read (expiresOn "soon")`},
		"not JSON":           {out: `ERROR: something`, wantErr: "is not JSON"},
		"expires_on is null": {out: `{"accessToken":"eyJ-secret","expires_on":null}`, wantErr: "no expiry"},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := parseAzureCLIToken([]byte(tc.out), berlin)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), "eyJ-secret") {
					t.Errorf("the error shows the token: %v", err)
				}
				return
			}
			if err != nil || got.value != "eyJ-secret" || !got.expires.Equal(tc.want) {
				t.Fatalf("got %q %v (%v), want eyJ-secret %v", got.value, got.expires, err, tc.want)
			}
		})
	}
}

func TestParseManagedIdentityToken(t *testing.T) {
	now := time.Unix(1800000000, 0)
	for name, tc := range map[string]struct {
		body    string
		want    time.Time
		wantErr string
	}{
		// IMDS writes every value as a string.
		"IMDS": {body: `{"access_token":"tok","client_id":"c","expires_in":"86399","expires_on":"1800086399","ext_expires_in":"86399",` +
			`"not_before":"1799999700","resource":"https://graph.microsoft.com","token_type":"Bearer"}`, want: time.Unix(1800086399, 0)},
		"numbers":         {body: `{"access_token":"tok","expires_on":1800003600}`, want: time.Unix(1800003600, 0)},
		"expires_in only": {body: `{"access_token":"tok","expires_in":"3599"}`, want: now.Add(3599 * time.Second)},
		"no token":        {body: `{"expires_in":"3599"}`, wantErr: "holds no access_token"},
		"no expiry":       {body: `{"access_token":"tok"}`, wantErr: "neither expires_on nor expires_in"},
		"not JSON":        {body: `<html>`, wantErr: "is not JSON"},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := parseManagedIdentityToken([]byte(tc.body), now)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got.value != "tok" || !got.expires.Equal(tc.want) {
				t.Fatalf("got %q %v (%v), want tok %v", got.value, got.expires, err, tc.want)
			}
		})
	}
}

// The IMDS request: GET with Metadata: true, api-version 2018-02-01, the resource of the scope and the
// identity's id; App Service's: its header and api-version 2019-08-01, principal_id for an object id.
func TestManagedIdentityRequests(t *testing.T) {
	var got atomic.Pointer[http.Request]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r)
		_, _ = w.Write([]byte(`{"access_token":"tok","expires_in":"3599","expires_on":"` + itoa(time.Now().Unix()+3599) + `"}`))
	}))
	defer srv.Close()
	for name, tc := range map[string]struct {
		opts   ManagedIdentityOptions
		header [2]string
		query  url.Values
	}{
		"IMDS system-assigned": {opts: ManagedIdentityOptions{Endpoint: srv.URL + "/metadata/identity/oauth2/token"}, header: [2]string{"Metadata", "true"},
			query: url.Values{"api-version": {"2018-02-01"}, "resource": {"https://graph.microsoft.com"}}},
		"IMDS client id": {opts: ManagedIdentityOptions{Endpoint: srv.URL + "/metadata/identity/oauth2/token", ClientID: "cid"}, header: [2]string{"Metadata", "true"},
			query: url.Values{"api-version": {"2018-02-01"}, "resource": {"https://graph.microsoft.com"}, "client_id": {"cid"}}},
		"IMDS object id": {opts: ManagedIdentityOptions{Endpoint: srv.URL + "/metadata/identity/oauth2/token", ObjectID: "oid"}, header: [2]string{"Metadata", "true"},
			query: url.Values{"api-version": {"2018-02-01"}, "resource": {"https://graph.microsoft.com"}, "object_id": {"oid"}}},
		"App Service object id": {opts: ManagedIdentityOptions{IdentityEndpoint: srv.URL + "/msi/token", IdentityHeader: "h", ObjectID: "oid"},
			header: [2]string{"X-IDENTITY-HEADER", "h"},
			query:  url.Values{"api-version": {"2019-08-01"}, "resource": {"https://graph.microsoft.com"}, "principal_id": {"oid"}}},
	} {
		t.Run(name, func(t *testing.T) {
			tc.opts.Scope = "https://graph.microsoft.com/.default"
			src, err := NewManagedIdentitySource(tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if tok, err := src.Token(context.Background()); err != nil || tok != "tok" {
				t.Fatalf("token %q, %v", tok, err)
			}
			r := got.Load()
			if r.Method != http.MethodGet || r.Header.Get(tc.header[0]) != tc.header[1] || r.URL.Query().Encode() != tc.query.Encode() {
				t.Errorf("request %s %s %v, want header %v and query %s", r.Method, r.URL, r.Header, tc.header, tc.query.Encode())
			}
		})
	}
	if _, err := NewManagedIdentitySource(ManagedIdentityOptions{Scope: "https://graph.microsoft.com/.default", ClientID: "c", ObjectID: "o"}); err == nil {
		t.Error("two ids of a user-assigned identity were accepted")
	}
}

// An endpoint that refuses answers with its reason; one that is absent names managed identities.
func TestManagedIdentityErrors(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_request","error_description":"Identity not found"}`))
	}))
	src, _ := NewManagedIdentitySource(ManagedIdentityOptions{Endpoint: srv.URL, ClientID: "c", Scope: "https://graph.microsoft.com/.default"})
	_, err := src.Token(context.Background())
	if err == nil || !strings.Contains(err.Error(), "answered HTTP 400: invalid_request: Identity not found") || calls != 1 {
		t.Errorf("err %v after %d calls, want the reason after one call (a 400 is not retried)", err, calls)
	}
	srv.Close()
	src, _ = NewManagedIdentitySource(ManagedIdentityOptions{Endpoint: srv.URL, Scope: "https://graph.microsoft.com/.default"})
	if _, err := src.Token(context.Background()); !errors.Is(err, ErrManagedIdentityUnreachable) {
		t.Errorf("err %v, want ErrManagedIdentityUnreachable", err)
	}
}

// 429 and 5xx are asked again after a pause; the pause is the caller's, so the test does not wait.
func TestManagedIdentityRetries(t *testing.T) {
	answers := []int{http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusOK}
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status := answers[calls]
		calls++
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"access_token":"tok","expires_in":"3599"}`))
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	var pauses []time.Duration
	m := msiRequest{endpoint: u, header: [2]string{"Metadata", "true"}}
	tok, err := m.fetch(context.Background(), srv.Client(), time.Now, func(_ context.Context, d time.Duration) error {
		pauses = append(pauses, d)
		return nil
	})
	if err != nil || tok.value != "tok" || calls != 3 || len(pauses) != 2 || pauses[1] <= pauses[0] {
		t.Errorf("token %q, %v after %d calls and pauses %v", tok.value, err, calls, pauses)
	}
}

// Tokens are reused until refreshMargin before they expire, on the source's clock.
func TestCachedTokenSourceRefreshes(t *testing.T) {
	now := time.Unix(1800000000, 0)
	fetches := 0
	src := newCachedTokenSource(func(context.Context) (expiringToken, error) {
		fetches++
		return expiringToken{value: "tok" + itoa(int64(fetches)), expires: now.Add(time.Hour)}, nil
	})
	src.now = func() time.Time { return now }
	for _, step := range []struct {
		advance time.Duration
		want    string
	}{{0, "tok1"}, {50 * time.Minute, "tok1"}, {5 * time.Minute, "tok2"}, {time.Minute, "tok2"}} {
		now = now.Add(step.advance)
		if got, _ := src.Token(context.Background()); got != step.want {
			t.Fatalf("after %s: %s, want %s", step.advance, got, step.want)
		}
	}
	failing := newCachedTokenSource(func(context.Context) (expiringToken, error) { return expiringToken{}, errors.New("no") })
	if _, err := failing.Token(context.Background()); err == nil {
		t.Error("a failed fetch gave a token")
	}
}

// The Azure DevOps request: POST with the job token, api-version 7.1 and the service connection.
func TestAzureDevOpsAssertion(t *testing.T) {
	var got atomic.Pointer[http.Request]
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r)
		w.WriteHeader(status)
		switch status {
		case http.StatusOK:
			_, _ = w.Write([]byte(`{"oidcToken":"assertion"}`))
		default:
			_, _ = w.Write([]byte(`{"message":"Service connection not found."}`))
		}
	}))
	defer srv.Close()
	// SYSTEM_OIDCREQUESTURI has no query; one already there is kept.
	assert := AzureDevOpsAssertion(srv.Client(), srv.URL+"/org/proj/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken?x=1", "job-token", "sc-id")
	tok, err := assert(context.Background())
	r := got.Load()
	if err != nil || tok != "assertion" {
		t.Fatalf("token %q, %v", tok, err)
	}
	want := url.Values{"api-version": {"7.1"}, "serviceConnectionId": {"sc-id"}, "x": {"1"}}
	if r.Method != http.MethodPost || r.Header.Get("Authorization") != "Bearer job-token" || r.URL.Query().Encode() != want.Encode() {
		t.Errorf("request %s %s %v", r.Method, r.URL, r.Header)
	}
	status = http.StatusUnauthorized
	if _, err := assert(context.Background()); !errors.Is(err, ErrOIDCRequestUnauthorized) {
		t.Errorf("401: %v", err)
	}
	status = http.StatusNotFound
	if _, err := assert(context.Background()); err == nil || !strings.Contains(err.Error(), "sc-id: HTTP 404: Service connection not found.") {
		t.Errorf("404: %v", err)
	}
}

func TestTokenScope(t *testing.T) {
	for _, tc := range []struct{ endpoint, scope, want, wantErr string }{
		{endpoint: "https://graph.microsoft.us", want: "https://graph.microsoft.us/.default"},
		{endpoint: "https://gateway.example/graph", scope: "https://graph.microsoft.com/.default", want: "https://graph.microsoft.com/.default"},
		{scope: "00000003-0000-0000-c000-000000000000/.default", want: "00000003-0000-0000-c000-000000000000/.default"},
		{scope: "https://graph.microsoft.com", wantErr: "is not <resource>/.default"},
		{scope: "https://graph.microsoft.com/User.Read", wantErr: "is not <resource>/.default"},
		{scope: "https://graph.microsoft.com/.default openid", wantErr: "is not <resource>/.default"},
		{scope: "graph/.default", wantErr: "does not start with an absolute URI or an application id"},
	} {
		got, err := TokenScope(tc.endpoint, tc.scope)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%q: err %v, want %q", tc.scope, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q %q: %q %v, want %q", tc.endpoint, tc.scope, got, err, tc.want)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// The Azure CLI is run with the resource of the scope, the tenant when one is set, and JSON output; its
// failures become errors that say which, with its standard error but never its standard output.
func TestAzureCLISource(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PATH", dir)
	write := func(script string) {
		if err := os.WriteFile(filepath.Join(dir, "az"), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	src, err := NewAzureCLISource(AzureCLIOptions{TenantID: "t1", Scope: "https://graph.microsoft.us/.default"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Token(context.Background()); !errors.Is(err, ErrAzureCLINotFound) {
		t.Errorf("without az: %v", err)
	}
	write(`echo "$@" > "${0%/*}/args"; echo '{"accessToken":"eyJ-secret","expires_on":` + itoa(time.Now().Unix()+3600) + `}'`)
	if tok, err := src.Token(context.Background()); err != nil || tok != "eyJ-secret" {
		t.Fatalf("token %q, %v", tok, err)
	}
	args, _ := os.ReadFile(filepath.Join(dir, "args"))
	if got := strings.TrimSpace(string(args)); got != "account get-access-token --resource https://graph.microsoft.us --tenant t1 --output json" {
		t.Errorf("az %s", got)
	}
	for script, want := range map[string]error{
		`echo "ERROR: Please run 'az login' to setup account." >&2; exit 1`:                        ErrAzureCLINotSignedIn,
		`echo '{"accessToken":"eyJ-secret"' ; echo "ERROR: AADSTS50076: MFA required" >&2; exit 1`: nil,
	} {
		write(script)
		fresh, _ := NewAzureCLISource(AzureCLIOptions{Scope: "https://graph.microsoft.com/.default"})
		_, err := fresh.Token(context.Background())
		switch {
		case err == nil:
			t.Errorf("%s: no error", script)
		case want != nil && !errors.Is(err, want):
			t.Errorf("%s: %v, want %v", script, err, want)
		case want == nil && !strings.Contains(err.Error(), "failed with exit code 1: ERROR: AADSTS50076: MFA required"):
			t.Errorf("%s: %v", script, err)
		case strings.Contains(err.Error(), "eyJ-secret"):
			t.Errorf("the error shows the CLI's output: %v", err)
		}
	}
}
