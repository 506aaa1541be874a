package identity_test

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/identity"
	"github.com/golang-jwt/jwt/v5"
)

func TestTokenEndpoint(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	form := func(mod func(url.Values)) url.Values {
		v := url.Values{"grant_type": {"client_credentials"}, "client_id": {emulator.DefaultClientID},
			"client_secret": {emulator.DefaultClientSecret}, "scope": {"https://graph.microsoft.com/.default"}}
		mod(v)
		return v
	}
	tests := []struct {
		name    string
		tenant  string
		form    url.Values
		status  int
		errCode string
		aadsts  float64
		aud     string
	}{
		{"graph scope", emulator.DefaultTenantID, form(func(url.Values) {}), 200, "", 0, identity.GraphResource},
		{"graph scope with msal extras", emulator.DefaultTenantID, form(func(v url.Values) {
			v.Set("scope", "https://graph.microsoft.com/.default openid offline_access profile")
		}), 200, "", 0, identity.GraphResource},
		{"graph app id scope", "organizations", form(func(v url.Values) { v.Set("scope", identity.GraphAppID+"/.default") }), 200, "", 0, identity.GraphResource},
		{"own url scope", emulator.DefaultTenantID, form(func(v url.Values) { v.Set("scope", e.Base+"/.default") }), 200, "", 0, e.Base},
		{"own url scope double slash", emulator.DefaultTenantID, form(func(v url.Values) { v.Set("scope", e.Base+"//.default") }), 200, "", 0, e.Base},
		{"wrong secret", emulator.DefaultTenantID, form(func(v url.Values) { v.Set("client_secret", "nope") }), 401, "invalid_client", 7000215, ""},
		{"unknown client", emulator.DefaultTenantID, form(func(v url.Values) { v.Set("client_id", "00000000-0000-0000-0000-000000000001") }), 400, "unauthorized_client", 700016, ""},
		{"unknown scope", emulator.DefaultTenantID, form(func(v url.Values) { v.Set("scope", "https://management.azure.com/.default") }), 400, "invalid_scope", 1002012, ""},
		{"scope without .default", emulator.DefaultTenantID, form(func(v url.Values) { v.Set("scope", "https://graph.microsoft.com/User.Read") }), 400, "invalid_scope", 1002012, ""},
		{"missing scope", emulator.DefaultTenantID, form(func(v url.Values) { v.Del("scope") }), 400, "invalid_scope", 1002012, ""},
		{"password grant", emulator.DefaultTenantID, form(func(v url.Values) { v.Set("grant_type", "password") }), 400, "unsupported_grant_type", 70003, ""},
		{"unknown tenant", "11111111-2222-3333-4444-555555555555", form(func(url.Values) {}), 400, "invalid_tenant", 90002, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.TokenRequest(tc.tenant, tc.form)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %v", resp.StatusCode, tc.status, body)
			}
			if tc.status != 200 {
				if body["error"] != tc.errCode {
					t.Errorf("error %v, want %s", body["error"], tc.errCode)
				}
				codes, _ := body["error_codes"].([]any)
				if len(codes) != 1 || codes[0] != tc.aadsts {
					t.Errorf("error_codes %v, want [%v]", body["error_codes"], tc.aadsts)
				}
				if d, _ := body["error_description"].(string); !strings.HasPrefix(d, "AADSTS") {
					t.Errorf("error_description %q", d)
				}
				for _, k := range []string{"timestamp", "trace_id", "correlation_id"} {
					if body[k] == nil {
						t.Errorf("missing %s", k)
					}
				}
				return
			}
			if body["token_type"] != "Bearer" || body["expires_in"] != float64(3599) || body["ext_expires_in"] != float64(3599) {
				t.Errorf("token response %v", body)
			}
			claims := jwt.MapClaims{}
			tok, _, err := jwt.NewParser().ParseUnverified(body["access_token"].(string), claims)
			if err != nil {
				t.Fatal(err)
			}
			if tok.Header["alg"] != "RS256" || tok.Header["kid"] == nil {
				t.Errorf("header %v", tok.Header)
			}
			want := map[string]any{"aud": tc.aud, "iss": "https://sts.windows.net/" + emulator.DefaultTenantID + "/", "tid": emulator.DefaultTenantID,
				"oid": identity.DefaultAdminObjectID, "appid": emulator.DefaultClientID, "idtyp": "app", "ver": "1.0"}
			for k, v := range want {
				if claims[k] != v {
					t.Errorf("claim %s = %v, want %v", k, claims[k], v)
				}
			}
			exp, _ := claims["exp"].(float64)
			iat, _ := claims["iat"].(float64)
			if exp-iat != 3599 {
				t.Errorf("exp-iat = %v", exp-iat)
			}
			if roles, _ := claims["roles"].([]any); len(roles) != 7 { // the admin app's roles (identity/apps.go)
				t.Errorf("roles %v", claims["roles"])
			}
			// And the token is accepted on /v1.0.
			r, b := e.DoWith(body["access_token"].(string), "GET", emulatortest.CatalogsPath, nil, nil)
			if r.StatusCode != 200 {
				t.Errorf("token not accepted: %d %v", r.StatusCode, b)
			}
		})
	}
}

func TestOpenIDDiscovery(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	for _, tenant := range []string{emulator.DefaultTenantID, "organizations", "common"} {
		resp, body := e.DoWith("", "GET", "/"+tenant+"/v2.0/.well-known/openid-configuration", nil, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %v", tenant, resp.StatusCode, body)
		}
		want := map[string]string{
			"issuer":                 e.Base + "/" + emulator.DefaultTenantID + "/v2.0",
			"authorization_endpoint": e.Base + "/" + emulator.DefaultTenantID + "/oauth2/v2.0/authorize",
			"token_endpoint":         e.Base + "/" + emulator.DefaultTenantID + "/oauth2/v2.0/token",
			"jwks_uri":               e.Base + "/" + emulator.DefaultTenantID + "/discovery/v2.0/keys",
			"tenant_region_scope":    "NA",
			"cloud_instance_name":    "microsoftonline.com",
		}
		for k, v := range want {
			if body[k] != v {
				t.Errorf("%s: %s = %v, want %s", tenant, k, body[k], v)
			}
		}
	}
	resp, body := e.DoWith("", "GET", "/contoso.example/v2.0/.well-known/openid-configuration", nil, nil)
	if resp.StatusCode != 400 || body["error"] != "invalid_tenant" {
		t.Errorf("unknown tenant: %d %v", resp.StatusCode, body)
	}
	resp, body = e.DoWith("", "GET", "/"+emulator.DefaultTenantID+"/discovery/v2.0/keys", nil, nil)
	keys, _ := body["keys"].([]any)
	if resp.StatusCode != 200 || len(keys) != 1 {
		t.Fatalf("jwks: %d %v", resp.StatusCode, body)
	}
	k := keys[0].(map[string]any)
	if k["kty"] != "RSA" || k["n"] == "" || k["e"] != "AQAB" || k["kid"] != kidOf(e.Srv) {
		t.Errorf("jwk %v", k)
	}
}

func TestGraphRequiresValidToken(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	sign := func(key *rsa.PrivateKey, kid string, mod func(jwt.MapClaims)) string {
		now := time.Now()
		c := jwt.MapClaims{"aud": identity.GraphResource, "iss": "https://sts.windows.net/" + emulator.DefaultTenantID + "/", "tid": emulator.DefaultTenantID,
			"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(), "roles": []string{"EntitlementManagement.ReadWrite.All"}}
		mod(c)
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
		tok.Header["kid"] = kid
		s, err := tok.SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	realKey, kid := identity.SigningKey(e.Srv.Authority())
	forgedKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		header string
	}{
		{"missing", ""},
		{"not bearer", "Basic abc"},
		{"garbage", "Bearer abc.def.ghi"},
		{"forged signature", "Bearer " + sign(forgedKey, kid, func(jwt.MapClaims) {})},
		{"expired", "Bearer " + sign(realKey, kid, func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-time.Minute).Unix() })},
		{"other tenant", "Bearer " + sign(realKey, kid, func(c jwt.MapClaims) {
			c["tid"] = "11111111-2222-3333-4444-555555555555"
			c["iss"] = "https://sts.windows.net/11111111-2222-3333-4444-555555555555/"
		})},
		{"other audience", "Bearer " + sign(realKey, kid, func(c jwt.MapClaims) { c["aud"] = "https://management.azure.com" })},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.DoWith("", "GET", emulatortest.CatalogsPath, nil, map[string]string{"Authorization": tc.header})
			if resp.StatusCode != 401 || emulatortest.ErrCode(body) != "InvalidAuthenticationToken" {
				t.Fatalf("got %d %v", resp.StatusCode, body)
			}
			if resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("no WWW-Authenticate header")
			}
		})
	}
	// A well-formed token signed with the real key passes (guards the table above).
	resp, body := e.DoWith(sign(realKey, kid, func(jwt.MapClaims) {}), "GET", emulatortest.CatalogsPath, nil, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("valid token: %d %v", resp.StatusCode, body)
	}
}

func TestReaderAppPermissions(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	reader := e.GetToken(emulator.ReaderClientID, emulator.ReaderClientSecret)
	resp, body := e.DoWith(reader, "GET", emulatortest.CatalogsPath, nil, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("reader GET: %d %v", resp.StatusCode, body)
	}
	resp, body = e.DoWith(reader, "POST", emulatortest.CatalogsPath, map[string]any{"displayName": "x", "description": ""}, nil)
	if resp.StatusCode != http.StatusForbidden || emulatortest.ErrCode(body) != "UnAuthorized" ||
		emulatortest.ErrMessage(body) != "User is not authorized to perform the operation. Reason: Unauthorized" {
		t.Fatalf("reader POST: %d %v", resp.StatusCode, body)
	}
	// An app with no entitlement-management role cannot even read.
	e2 := emulatortest.New(t, emulator.Config{Apps: []emulator.App{{ClientID: "c", Secret: "s", Roles: []string{"User.Read.All"}}}})
	resp, body = e2.DoWith(e2.GetToken("c", "s"), "GET", emulatortest.CatalogsPath, nil, nil)
	if resp.StatusCode != http.StatusForbidden || emulatortest.ErrCode(body) != "UnAuthorized" {
		t.Fatalf("no-role GET: %d %v", resp.StatusCode, body)
	}
}

func kidOf(s *emulator.Server) string {
	_, kid := identity.SigningKey(s.Authority())
	return kid
}

func signingKeyOf(s *emulator.Server) *rsa.PrivateKey {
	k, _ := identity.SigningKey(s.Authority())
	return k
}
