package identity_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" // #nosec G505 -- x5t thumbprints
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/identity"
	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

const certAppID = "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"

// testCert is a client certificate with its key, generated once per process (RSA key
// generation is the slow part).
type testCert struct {
	certPEM, keyPEM []byte
	cert            *x509.Certificate
	key             *rsa.PrivateKey
}

var (
	testCertsOnce sync.Once
	testCerts     [2]testCert // [0] registered on the cert app, [1] never registered
	testCertsErr  error
)

func sharedTestCerts(t *testing.T) (registered, other testCert) {
	t.Helper()
	testCertsOnce.Do(func() {
		for i := range testCerts {
			c := &testCerts[i]
			if c.certPEM, c.keyPEM, c.cert, testCertsErr = emulator.NewTestCertificate("entragov test " + string(rune('a'+i))); testCertsErr != nil {
				return
			}
			_, key, err := azidentity.ParseCertificates(append(append([]byte{}, c.certPEM...), c.keyPEM...), nil)
			if err != nil {
				testCertsErr = err
				return
			}
			c.key = key.(*rsa.PrivateKey)
		}
	})
	if testCertsErr != nil {
		t.Fatal(testCertsErr)
	}
	return testCerts[0], testCerts[1]
}

func certApp(certs ...*x509.Certificate) emulator.App {
	return emulator.App{ClientID: certAppID, DisplayName: "cert app", Certificates: certs,
		Roles: []string{"EntitlementManagement.ReadWrite.All"}}
}

// listenTLS serves srv on a real HTTPS listener and returns a client trusting its CA.
func listenTLS(t *testing.T, srv *emulator.Server) (*emulator.Instance, *http.Client) {
	t.Helper()
	inst, err := emulator.Listen("127.0.0.1:0", srv)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { inst.Close() })
	return inst, &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: srv.Authority().CertPool()}}, Timeout: 10 * time.Second}
}

// graphStatus calls the catalogs collection with tok.
func graphStatus(t *testing.T, client *http.Client, base, tok string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", base+emulatortest.CatalogsPath, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestNewTestCertificate(t *testing.T) {
	t.Parallel()
	c, _ := sharedTestCerts(t)
	if c.cert.Subject.CommonName != "entragov test a" || time.Until(c.cert.NotAfter) > 25*time.Hour || time.Until(c.cert.NotAfter) < 23*time.Hour {
		t.Errorf("cert %s valid until %s", c.cert.Subject, c.cert.NotAfter)
	}
	if c.key.N.BitLen() != 2048 || !strings.Contains(string(c.keyPEM), "BEGIN PRIVATE KEY") {
		t.Errorf("key %d bits, %.30s", c.key.N.BitLen(), c.keyPEM)
	}
}

func TestAzidentityClientCertificate(t *testing.T) {
	t.Parallel()
	registered, other := sharedTestCerts(t)
	srv, err := emulator.New(emulator.Config{Authority: emulatortest.SharedAuthority(t), Apps: []emulator.App{certApp(registered.cert)}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	inst, client := listenTLS(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	getToken := func(c testCert, sendChain bool) (azcore.AccessToken, error) {
		certs, key, err := azidentity.ParseCertificates(append(append([]byte{}, c.certPEM...), c.keyPEM...), nil)
		if err != nil {
			t.Fatal(err)
		}
		cred, err := azidentity.NewClientCertificateCredential(emulator.DefaultTenantID, certAppID, certs, key, &azidentity.ClientCertificateCredentialOptions{
			ClientOptions:            azcore.ClientOptions{Cloud: cloudFor(inst.URL), Transport: client},
			DisableInstanceDiscovery: true,
			SendCertificateChain:     sendChain,
		})
		if err != nil {
			t.Fatal(err)
		}
		return cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://graph.microsoft.com/.default"}})
	}
	for _, chain := range []bool{false, true} {
		tok, err := getToken(registered, chain)
		if err != nil {
			t.Fatalf("x5c=%v: %v", chain, err)
		}
		if st := graphStatus(t, client, inst.URL, tok.Token); st != 200 {
			t.Errorf("x5c=%v: Graph answered %d", chain, st)
		}
		claims := jwt.MapClaims{}
		if _, _, err := jwt.NewParser().ParseUnverified(tok.Token, claims); err != nil || claims["appid"] != certAppID || claims["appidacr"] != "2" {
			t.Errorf("claims %v %v", claims, err)
		}
	}
	// A certificate the app does not know is refused ...
	_, err = getToken(other, false)
	if err == nil || !strings.Contains(err.Error(), "AADSTS700027") || !strings.Contains(err.Error(), "invalid_client") {
		t.Fatalf("unregistered certificate: %v", err)
	}
	// ... until it is registered through the control API (PEM body).
	req, _ := http.NewRequest("POST", inst.URL+"/_emulator/apps/"+certAppID+"/certificates", strings.NewReader(string(other.certPEM)+string(other.keyPEM)))
	req.Header.Set("Content-Type", "application/x-pem-file")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	info := emulatortest.Decode(t, resp)
	sum := sha1.Sum(other.cert.Raw)
	if resp.StatusCode != 201 || info["x5t"] != base64.RawURLEncoding.EncodeToString(sum[:]) {
		t.Fatalf("register: %d %v", resp.StatusCode, info)
	}
	tok, err := getToken(other, false)
	if err != nil {
		t.Fatalf("after registration: %v", err)
	}
	if st := graphStatus(t, client, inst.URL, tok.Token); st != 200 {
		t.Errorf("Graph answered %d", st)
	}
}

// certAssertion builds a client assertion the way MSAL does, then lets mod change it.
func certAssertion(t *testing.T, base string, c testCert, mod func(tok *jwt.Token, claims jwt.MapClaims) any) string {
	t.Helper()
	now := time.Now()
	claims := jwt.MapClaims{
		"aud": base + "/" + emulator.DefaultTenantID + "/oauth2/v2.0/token",
		"iss": certAppID, "sub": certAppID, "jti": uuid.NewString(),
		"nbf": now.Unix(), "exp": now.Add(10 * time.Minute).Unix(),
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodPS256, claims)
	s256 := sha256.Sum256(c.cert.Raw)
	tok.Header["x5t#S256"] = base64.StdEncoding.EncodeToString(s256[:]) // MSAL sends padded standard base64
	var key any = c.key
	if mod != nil {
		if k := mod(tok, claims); k != nil {
			key = k
		}
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCertificateAssertionRules(t *testing.T) {
	t.Parallel()
	registered, other := sharedTestCerts(t)
	e := emulatortest.New(t, emulator.Config{Apps: []emulator.App{certApp(registered.cert), {ClientID: emulator.DefaultClientID, Secret: emulator.DefaultClientSecret, Roles: []string{"EntitlementManagement.Read.All"}}}})
	x5t := func(c testCert) string {
		sum := sha1.Sum(c.cert.Raw)
		return base64.RawURLEncoding.EncodeToString(sum[:])
	}
	tests := []struct {
		name      string
		tenant    string
		assertion string
		form      func(url.Values)
		status    int
		aadsts    float64
	}{
		{"msal style PS256 x5t#S256", emulator.DefaultTenantID, certAssertion(t, e.Base, registered, nil), nil, 200, 0},
		{"RS256 x5t base64url", emulator.DefaultTenantID, certAssertion(t, e.Base, registered, func(tok *jwt.Token, _ jwt.MapClaims) any {
			tok.Method = jwt.SigningMethodRS256
			tok.Header = map[string]any{"alg": "RS256", "typ": "JWT", "x5t": x5t(registered)}
			return nil
		}), nil, 200, 0},
		{"x5c only", emulator.DefaultTenantID, certAssertion(t, e.Base, registered, func(tok *jwt.Token, _ jwt.MapClaims) any {
			delete(tok.Header, "x5t#S256")
			tok.Header["x5c"] = []string{base64.StdEncoding.EncodeToString(registered.cert.Raw)}
			return nil
		}), nil, 200, 0},
		{"aud with trailing slash", emulator.DefaultTenantID, certAssertion(t, e.Base, registered, func(_ *jwt.Token, c jwt.MapClaims) any {
			c["aud"] = c["aud"].(string) + "/"
			return nil
		}), nil, 200, 0},
		{"aud names the request's tenant alias", "organizations", certAssertion(t, e.Base, registered, func(_ *jwt.Token, c jwt.MapClaims) any {
			c["aud"] = e.Base + "/organizations/oauth2/v2.0/token"
			return nil
		}), nil, 200, 0},
		{"client_id omitted", emulator.DefaultTenantID, certAssertion(t, e.Base, registered, nil), func(v url.Values) { v.Del("client_id") }, 400, 900144},
		{"unregistered certificate", emulator.DefaultTenantID, certAssertion(t, e.Base, other, nil), nil, 401, 700027},
		{"signed by another key", emulator.DefaultTenantID, certAssertion(t, e.Base, registered, func(*jwt.Token, jwt.MapClaims) any { return other.key }), nil, 401, 700027},
		{"x5c disagrees with x5t#S256", emulator.DefaultTenantID, certAssertion(t, e.Base, registered, func(tok *jwt.Token, _ jwt.MapClaims) any {
			tok.Header["x5c"] = []string{base64.StdEncoding.EncodeToString(other.cert.Raw)}
			return nil
		}), nil, 401, 700027},
		{"no certificate header", emulator.DefaultTenantID, certAssertion(t, e.Base, registered, func(tok *jwt.Token, _ jwt.MapClaims) any {
			delete(tok.Header, "x5t#S256")
			return nil
		}), nil, 401, 700027},
		{"HS256", emulator.DefaultTenantID, certAssertion(t, e.Base, registered, func(tok *jwt.Token, _ jwt.MapClaims) any {
			tok.Method = jwt.SigningMethodHS256
			tok.Header["alg"] = "HS256"
			return []byte("secret")
		}), nil, 401, 5002738},
		{"expired", emulator.DefaultTenantID, certAssertion(t, e.Base, registered, func(_ *jwt.Token, c jwt.MapClaims) any {
			c["nbf"], c["exp"] = time.Now().Add(-time.Hour).Unix(), time.Now().Add(-10*time.Minute).Unix()
			return nil
		}), nil, 401, 700024},
		{"not yet valid", emulator.DefaultTenantID, certAssertion(t, e.Base, registered, func(_ *jwt.Token, c jwt.MapClaims) any {
			c["nbf"], c["exp"] = time.Now().Add(time.Hour).Unix(), time.Now().Add(2*time.Hour).Unix()
			return nil
		}), nil, 401, 700024},
		{"no exp", emulator.DefaultTenantID, certAssertion(t, e.Base, registered, func(_ *jwt.Token, c jwt.MapClaims) any { delete(c, "exp"); return nil }), nil, 401, 50027},
		{"no jti", emulator.DefaultTenantID, certAssertion(t, e.Base, registered, func(_ *jwt.Token, c jwt.MapClaims) any { delete(c, "jti"); return nil }), nil, 401, 50027},
		{"wrong aud", emulator.DefaultTenantID, certAssertion(t, e.Base, registered, func(_ *jwt.Token, c jwt.MapClaims) any {
			c["aud"] = "https://login.microsoftonline.com/" + emulator.DefaultTenantID + "/oauth2/v2.0/token"
			return nil
		}), nil, 401, 700023},
		{"aud of another tenant", emulator.DefaultTenantID, certAssertion(t, e.Base, registered, func(_ *jwt.Token, c jwt.MapClaims) any {
			c["aud"] = e.Base + "/11111111-2222-3333-4444-555555555555/oauth2/v2.0/token"
			return nil
		}), nil, 401, 700023},
		{"sub is another app", emulator.DefaultTenantID, certAssertion(t, e.Base, registered, func(_ *jwt.Token, c jwt.MapClaims) any { c["sub"] = emulator.DefaultClientID; return nil }), nil, 401, 700021},
		{"iss is another app", emulator.DefaultTenantID, certAssertion(t, e.Base, registered, func(_ *jwt.Token, c jwt.MapClaims) any { c["iss"] = emulator.DefaultClientID; return nil }), nil, 401, 700021},
		{"assertion for another app", emulator.DefaultTenantID, certAssertion(t, e.Base, registered, nil), func(v url.Values) { v.Set("client_id", emulator.DefaultClientID) }, 401, 700021},
		{"garbage", emulator.DefaultTenantID, "not.a.jwt", nil, 401, 50027},
		{"wrong assertion type", emulator.DefaultTenantID, certAssertion(t, e.Base, registered, nil), func(v url.Values) {
			v.Set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer")
		}, 400, 50027},
		{"secret and assertion", emulator.DefaultTenantID, certAssertion(t, e.Base, registered, nil), func(v url.Values) { v.Set("client_secret", "x") }, 401, 7000216},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{"grant_type": {"client_credentials"}, "client_id": {certAppID}, "scope": {"https://graph.microsoft.com/.default"},
				"client_assertion_type": {emulator.ClientAssertionType}, "client_assertion": {tc.assertion}}
			if tc.form != nil {
				tc.form(form)
			}
			resp, body := e.TokenRequest(tc.tenant, form)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %v", resp.StatusCode, tc.status, body)
			}
			if tc.status == 200 {
				if r, b := e.DoWith(body["access_token"].(string), "GET", emulatortest.CatalogsPath, nil, nil); r.StatusCode != 200 {
					t.Errorf("token not accepted: %d %v", r.StatusCode, b)
				}
				return
			}
			if codes, _ := body["error_codes"].([]any); len(codes) != 1 || codes[0] != tc.aadsts {
				t.Errorf("error_codes %v, want [%v]: %v", body["error_codes"], tc.aadsts, body["error_description"])
			}
			if tc.status == 401 && body["error"] != "invalid_client" {
				t.Errorf("error %v", body["error"])
			}
			if d, _ := body["error_description"].(string); !strings.HasPrefix(d, "AADSTS") {
				t.Errorf("error_description %q", d)
			}
		})
	}
}

func TestFederatedAssertionRules(t *testing.T) {
	t.Parallel()
	const fedApp = "8d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a"
	e := emulatortest.New(t, emulator.Config{Apps: []emulator.App{
		{ClientID: fedApp, FederatedSubjects: []string{"system:serviceaccount:ns:sa"}, Roles: []string{"EntitlementManagement.Read.All"}},
		{ClientID: emulator.DefaultClientID, Secret: emulator.DefaultClientSecret, Roles: []string{"EntitlementManagement.Read.All"}},
	}})
	issue := func(base, sub, aud string, ttl time.Duration) string {
		tok, err := e.Srv.IssueFederatedToken(base, sub, aud, ttl)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	foreignKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	forge := func(key *rsa.PrivateKey, kid string) string {
		now := time.Now()
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"iss": emulator.FederationIssuer(e.Base), "sub": "system:serviceaccount:ns:sa",
			"aud": emulator.FederationAudience, "iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "jti": uuid.NewString()})
		tok.Header["kid"] = kid
		s, err := tok.SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	_, kid := identity.SigningKey(e.Srv.Authority())
	tests := []struct {
		name, clientID, assertion string
		status                    int
		aadsts                    float64
	}{
		{"trusted subject", fedApp, issue(e.Base, "system:serviceaccount:ns:sa", "", 0), 200, 0},
		{"base with trailing slash", fedApp, issue(e.Base+"/", "system:serviceaccount:ns:sa", emulator.FederationAudience, time.Minute), 200, 0},
		{"wrong subject", fedApp, issue(e.Base, "system:serviceaccount:ns:other", "", 0), 401, 70021},
		{"wrong audience", fedApp, issue(e.Base, "system:serviceaccount:ns:sa", "api://something-else", 0), 401, 70021},
		{"app without federated credentials", emulator.DefaultClientID, issue(e.Base, "system:serviceaccount:ns:sa", "", 0), 401, 70021},
		{"expired", fedApp, issue(e.Base, "system:serviceaccount:ns:sa", "", -10*time.Minute), 401, 700024},
		{"other issuer", fedApp, issue("https://token.actions.githubusercontent.com", "system:serviceaccount:ns:sa", "", 0), 401, 700211},
		{"foreign signer, emulator kid", fedApp, forge(foreignKey, kid), 401, 50013},
		{"foreign signer, own kid", fedApp, forge(foreignKey, "foreign"), 401, 50013},
		{"guard: forge helper with the real key", fedApp, forge(signingKeyOf(e.Srv), kid), 200, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.TokenRequest(emulator.DefaultTenantID, url.Values{"grant_type": {"client_credentials"}, "client_id": {tc.clientID},
				"scope": {"https://graph.microsoft.com/.default"}, "client_assertion_type": {emulator.ClientAssertionType}, "client_assertion": {tc.assertion}})
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %v", resp.StatusCode, tc.status, body)
			}
			if tc.status == 200 {
				if r, b := e.DoWith(body["access_token"].(string), "GET", emulatortest.CatalogsPath, nil, nil); r.StatusCode != 200 {
					t.Errorf("token not accepted: %d %v", r.StatusCode, b)
				}
				return
			}
			if codes, _ := body["error_codes"].([]any); body["error"] != "invalid_client" || len(codes) != 1 || codes[0] != tc.aadsts {
				t.Errorf("got %v %v, want invalid_client [%v]: %v", body["error"], body["error_codes"], tc.aadsts, body["error_description"])
			}
		})
	}
}

func TestAzidentityClientAssertion(t *testing.T) {
	t.Parallel()
	srv, err := emulator.New(emulator.Config{Authority: emulatortest.SharedAuthority(t)}) // DefaultApps: the admin app trusts the default subjects
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	inst, client := listenTLS(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	credFor := func(subject string) *azidentity.ClientAssertionCredential {
		cred, err := azidentity.NewClientAssertionCredential(emulator.DefaultTenantID, emulator.DefaultClientID, func(context.Context) (string, error) {
			return srv.IssueFederatedToken(inst.URL, subject, "", 0)
		}, &azidentity.ClientAssertionCredentialOptions{
			ClientOptions:            azcore.ClientOptions{Cloud: cloudFor(inst.URL), Transport: client},
			DisableInstanceDiscovery: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		return cred
	}
	for _, sub := range []string{emulator.GitHubDefaultSubject, emulator.KubernetesDefaultSubject} {
		tok, err := credFor(sub).GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{inst.URL + "/.default"}})
		if err != nil {
			t.Fatalf("%s: %v", sub, err)
		}
		if st := graphStatus(t, client, inst.URL, tok.Token); st != 200 {
			t.Errorf("%s: Graph answered %d", sub, st)
		}
	}
	_, err = credFor("repo:someone/else:ref:refs/heads/main").GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://graph.microsoft.com/.default"}})
	if err == nil || !strings.Contains(err.Error(), "AADSTS70021") {
		t.Fatalf("wrong subject: %v", err)
	}
	// A subject added at run time is trusted.
	if err := srv.AddFederatedSubject(emulator.DefaultClientID, "repo:someone/else:ref:refs/heads/main"); err != nil {
		t.Fatal(err)
	}
	if _, err := credFor("repo:someone/else:ref:refs/heads/main").GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://graph.microsoft.com/.default"}}); err != nil {
		t.Fatalf("added subject: %v", err)
	}
}

func TestGitHubOIDCEndpoint(t *testing.T) {
	t.Parallel()
	srv, err := emulator.New(emulator.Config{Authority: emulatortest.SharedAuthority(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	inst, client := listenTLS(t, srv)
	// As GitHub hands it out: the request URL has a query already, audience is appended.
	requestURL := inst.URL + emulator.FederationPath + "/github?api-version=2.0"
	get := func(query, auth string) (*http.Response, map[string]any) {
		req, _ := http.NewRequest("GET", requestURL+query, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp, emulatortest.Decode(t, resp)
	}
	tests := []struct {
		name, query, auth string
		status            int
		sub, aud          string
	}{
		{"default subject", "&audience=" + url.QueryEscape(emulator.FederationAudience), "Bearer " + emulator.GitHubRequestToken, 200, emulator.GitHubDefaultSubject, emulator.FederationAudience},
		{"lower-case scheme, no audience", "", "bearer " + emulator.GitHubRequestToken, 200, emulator.GitHubDefaultSubject, emulator.FederationAudience},
		{"explicit subject and audience", "&audience=api://other&subject=" + url.QueryEscape("repo:entragov/demo:environment:prod"), "Bearer " + emulator.GitHubRequestToken, 200, "repo:entragov/demo:environment:prod", "api://other"},
		{"wrong request token", "", "Bearer nope", 401, "", ""},
		{"missing request token", "", "", 401, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := get(tc.query, tc.auth)
			if resp.StatusCode != tc.status {
				t.Fatalf("%d %v", resp.StatusCode, body)
			}
			if tc.status != 200 {
				if emulatortest.ErrCode(body) != "unauthorized" {
					t.Errorf("body %v", body)
				}
				return
			}
			claims := jwt.MapClaims{}
			if _, _, err := jwt.NewParser().ParseUnverified(body["value"].(string), claims); err != nil {
				t.Fatal(err)
			}
			if body["count"] != float64(1) || claims["sub"] != tc.sub || claims["aud"] != tc.aud || claims["iss"] != emulator.FederationIssuer(inst.URL) {
				t.Errorf("body %v claims %v", body, claims)
			}
		})
	}
	// The GitHub token signs the admin app in.
	_, body := get("&audience="+url.QueryEscape(emulator.FederationAudience), "Bearer "+emulator.GitHubRequestToken)
	resp, err := client.PostForm(inst.URL+"/"+emulator.DefaultTenantID+"/oauth2/v2.0/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {emulator.DefaultClientID},
		"scope": {"https://graph.microsoft.com/.default"}, "client_assertion_type": {emulator.ClientAssertionType}, "client_assertion": {body["value"].(string)}})
	if err != nil {
		t.Fatal(err)
	}
	tok := emulatortest.Decode(t, resp)
	if resp.StatusCode != 200 {
		t.Fatalf("exchange: %d %v", resp.StatusCode, tok)
	}
	if st := graphStatus(t, client, inst.URL, tok["access_token"].(string)); st != 200 {
		t.Errorf("Graph answered %d", st)
	}
}

func TestFederationControlEndpoints(t *testing.T) {
	t.Parallel()
	registered, _ := sharedTestCerts(t)
	e := emulatortest.New(t, emulator.Config{})
	ctl := func(method, path string, body any) (*http.Response, map[string]any) {
		return e.DoWith("", method, path, body, nil)
	}
	resp, body := ctl("GET", emulator.FederationPath+"/.well-known/openid-configuration", nil)
	if resp.StatusCode != 200 || body["issuer"] != emulator.FederationIssuer(e.Base) || body["jwks_uri"] != emulator.FederationIssuer(e.Base)+"/keys" {
		t.Fatalf("discovery %d %v", resp.StatusCode, body)
	}
	resp, body = ctl("GET", emulator.FederationPath+"/keys", nil)
	if keys, _ := body["keys"].([]any); resp.StatusCode != 200 || len(keys) != 1 || keys[0].(map[string]any)["kid"] != kidOf(e.Srv) {
		t.Fatalf("keys %d %v", resp.StatusCode, body)
	}
	// Token issuance: defaults, explicit values and bad input.
	resp, body = ctl("POST", emulator.FederationPath+"/token", map[string]any{"subject": emulator.KubernetesDefaultSubject})
	claims := jwt.MapClaims{}
	if resp.StatusCode != 200 {
		t.Fatalf("token %d %v", resp.StatusCode, body)
	}
	if _, err := jwt.NewParser().ParseWithClaims(body["value"].(string), claims, func(*jwt.Token) (any, error) { return &signingKeyOf(e.Srv).PublicKey, nil }); err != nil {
		t.Fatal(err)
	}
	exp, _ := claims.GetExpirationTime()
	if claims["aud"] != emulator.FederationAudience || claims["sub"] != emulator.KubernetesDefaultSubject || claims["iss"] != emulator.FederationIssuer(e.Base) ||
		time.Until(exp.Time) > 10*time.Minute || time.Until(exp.Time) < 9*time.Minute {
		t.Errorf("claims %v", claims)
	}
	resp, body = ctl("POST", emulator.FederationPath+"/token", map[string]any{"subject": "x", "audience": "api://a", "ttl": "1h"})
	if resp.StatusCode != 200 {
		t.Fatalf("token %d %v", resp.StatusCode, body)
	}
	for _, bad := range []any{map[string]any{}, map[string]any{"subject": "x", "ttl": "soon"}, "[1]"} {
		if resp, body := ctl("POST", emulator.FederationPath+"/token", bad); resp.StatusCode != 400 {
			t.Errorf("%v: %d %v", bad, resp.StatusCode, body)
		}
	}
	// Certificates: JSON body, listing, unknown app, garbage.
	resp, body = ctl("POST", "/_emulator/apps/"+strings.ToUpper(emulator.ReaderClientID)+"/certificates", map[string]any{"certificatePem": string(registered.certPEM)})
	if resp.StatusCode != 201 || body["thumbprint"] == "" {
		t.Fatalf("add cert %d %v", resp.StatusCode, body)
	}
	if resp, body = ctl("GET", "/_emulator/apps/"+emulator.ReaderClientID+"/certificates", nil); resp.StatusCode != 200 || len(body["value"].([]any)) != 1 {
		t.Errorf("list certs %d %v", resp.StatusCode, body)
	}
	if resp, _ := ctl("POST", "/_emulator/apps/"+uuid.NewString()+"/certificates", string(registered.certPEM)); resp.StatusCode != 404 {
		t.Errorf("unknown app: %d", resp.StatusCode)
	}
	if resp, _ := ctl("POST", "/_emulator/apps/"+emulator.ReaderClientID+"/certificates", "not pem"); resp.StatusCode != 400 {
		t.Errorf("garbage: %d", resp.StatusCode)
	}
	// Federated subjects.
	if resp, body := ctl("POST", "/_emulator/apps/"+emulator.ReaderClientID+"/federatedSubjects", map[string]any{"subject": "sub-1"}); resp.StatusCode != 204 {
		t.Fatalf("add subject %d %v", resp.StatusCode, body)
	}
	resp, body = ctl("GET", "/_emulator/apps/"+emulator.ReaderClientID+"/federatedSubjects", nil)
	if resp.StatusCode != 200 || !slices.Equal(toStrings(body["value"]), []string{"sub-1"}) || body["issuer"] != emulator.FederationIssuer(e.Base) {
		t.Errorf("subjects %d %v", resp.StatusCode, body)
	}
	if resp, _ := ctl("POST", "/_emulator/apps/"+emulator.ReaderClientID+"/federatedSubjects", map[string]any{}); resp.StatusCode != 400 {
		t.Errorf("empty subject: %d", resp.StatusCode)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func TestCredentialControlLoopbackOnly(t *testing.T) {
	t.Parallel()
	srv, err := emulator.New(emulator.Config{Authority: emulatortest.SharedAuthority(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, tc := range []struct{ method, path, body string }{
		{"POST", emulator.FederationPath + "/token", `{"subject":"x"}`},
		{"GET", emulator.FederationPath + "/github", ""},
		{"GET", emulator.FederationPath + "/keys", ""},
		{"GET", emulator.FederationPath + "/.well-known/openid-configuration", ""},
		{"POST", "/_emulator/apps/" + emulator.DefaultClientID + "/certificates", "x"},
		{"GET", "/_emulator/apps/" + emulator.DefaultClientID + "/certificates", ""},
		{"POST", "/_emulator/apps/" + emulator.DefaultClientID + "/federatedSubjects", `{"subject":"x"}`},
	} {
		req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
		req.RemoteAddr = "10.1.2.3:1234"
		if tc.path == emulator.FederationPath+"/github" {
			req.Header.Set("Authorization", "Bearer "+emulator.GitHubRequestToken)
		}
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("%s %s from 10.1.2.3: %d", tc.method, tc.path, rec.Code)
		}
	}
	if a, _ := srv.App(emulator.DefaultClientID); len(a.FederatedSubjects) != 2 {
		t.Errorf("subjects changed: %v", a.FederatedSubjects)
	}
}

func TestAppCredentialsPersist(t *testing.T) {
	t.Parallel()
	registered, other := sharedTestCerts(t)
	db := filepath.Join(t.TempDir(), "emu.db")
	cfg := emulator.Config{DBPath: db, Authority: emulatortest.SharedAuthority(t), Apps: []emulator.App{certApp(registered.cert)}}
	srv, err := emulator.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.AddAppCertificate(certAppID, other.cert); err != nil {
		t.Fatal(err)
	}
	if err := srv.AddAppCertificate(certAppID, other.cert); err != nil { // idempotent
		t.Fatal(err)
	}
	if err := srv.AddFederatedSubject(strings.ToUpper(certAppID), "sub-a"); err != nil {
		t.Fatal(err)
	}
	if err := srv.AddAppCertificate(uuid.NewString(), other.cert); err == nil {
		t.Error("unknown app accepted")
	}
	if err := srv.AddFederatedSubject(certAppID, " "); err == nil {
		t.Error("empty subject accepted")
	}
	if err := srv.Reset(); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	// The caller's Config.Apps slice was not written into.
	if len(cfg.Apps[0].Certificates) != 1 || len(cfg.Apps[0].FederatedSubjects) != 0 {
		t.Errorf("config mutated: %v", cfg.Apps[0])
	}
	srv, err = emulator.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	a, _ := srv.App(certAppID)
	if len(a.Certificates) != 2 || !a.Certificates[1].Equal(other.cert) || !slices.Equal(a.FederatedSubjects, []string{"sub-a"}) {
		t.Errorf("after restart: %d certs, subjects %v", len(a.Certificates), a.FederatedSubjects)
	}
}
