package identity_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/identity"
	"github.com/golang-jwt/jwt/v5"
)

// The managed identity endpoints answer as IMDS and App Service do, with tokens that Graph accepts with
// the identity's app roles; what they refuse, they refuse in their own error shapes.
func TestManagedIdentityEndpoints(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	get := func(path string, q url.Values, hdr map[string]string) (*http.Response, map[string]any) {
		return e.DoWith("", http.MethodGet, path+"?"+q.Encode(), nil, hdr)
	}
	imds := map[string]string{"Metadata": "true"}
	appService := map[string]string{"X-IDENTITY-HEADER": identity.AppServiceIdentityHeader}
	q := func(version string, kv ...string) url.Values {
		v := url.Values{"api-version": {version}, "resource": {"https://graph.microsoft.com"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	ok := []struct {
		name, path string
		query      url.Values
		hdr        map[string]string
		oid        string
	}{
		{"IMDS system-assigned", identity.IMDSTokenPath, q("2018-02-01"), imds, identity.SystemAssignedObjectID},
		{"IMDS client_id", identity.IMDSTokenPath, q("2018-02-01", "client_id", identity.UserAssignedClientID), imds, identity.UserAssignedObjectID},
		{"IMDS object_id", identity.IMDSTokenPath, q("2018-02-01", "object_id", identity.UserAssignedObjectID), imds, identity.UserAssignedObjectID},
		{"IMDS msi_res_id", identity.IMDSTokenPath, q("2018-02-01", "msi_res_id", identity.UserAssignedResourceID), imds, identity.UserAssignedObjectID},
		{"App Service system-assigned", identity.AppServiceTokenPath, q("2019-08-01"), appService, identity.SystemAssignedObjectID},
		{"App Service principal_id", identity.AppServiceTokenPath, q("2019-08-01", "principal_id", identity.UserAssignedObjectID), appService, identity.UserAssignedObjectID},
	}
	for _, tc := range ok {
		t.Run(tc.name, func(t *testing.T) {
			before := time.Now().Unix()
			resp, body := get(tc.path, tc.query, tc.hdr)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %v", resp.StatusCode, body)
			}
			for _, k := range []string{"access_token", "expires_in", "expires_on", "resource", "token_type"} {
				if _, isString := body[k].(string); !isString {
					t.Errorf("%s is %T, want a string as the endpoint writes it", k, body[k])
				}
			}
			if exp, _ := strconv.ParseInt(body["expires_on"].(string), 10, 64); exp < before+3000 {
				t.Errorf("expires_on %v is not an hour ahead", body["expires_on"])
			}
			claims := jwt.MapClaims{}
			if _, _, err := jwt.NewParser().ParseUnverified(body["access_token"].(string), claims); err != nil {
				t.Fatal(err)
			}
			if claims["oid"] != tc.oid || claims["aud"] != identity.GraphResource {
				t.Errorf("token oid %v aud %v, want %s and Graph", claims["oid"], claims["aud"], tc.oid)
			}
			r, catalogs := e.DoWith(body["access_token"].(string), http.MethodGet, "/v1.0/identityGovernance/entitlementManagement/catalogs", nil, nil)
			if r.StatusCode != http.StatusOK {
				t.Errorf("Graph refused the managed identity's token: %d %v", r.StatusCode, catalogs)
			}
		})
	}

	fail := []struct {
		name, path string
		query      url.Values
		hdr        map[string]string
		status     int
		field      string // error_description (IMDS) or message (App Service)
		want       string
	}{
		{"IMDS without Metadata header", identity.IMDSTokenPath, q("2018-02-01"), nil, 400, "error_description", "Required metadata header not specified"},
		{"IMDS unknown client id", identity.IMDSTokenPath, q("2018-02-01", "client_id", "00000000-0000-4000-8000-000000000001"), imds, 400, "error_description", "Identity not found"},
		{"IMDS app registration is no managed identity", identity.IMDSTokenPath, q("2018-02-01", "client_id", emulator.DefaultClientID), imds, 400, "error_description", "Identity not found"},
		{"IMDS two ids", identity.IMDSTokenPath, q("2018-02-01", "client_id", identity.UserAssignedClientID, "object_id", identity.UserAssignedObjectID), imds, 400, "error_description", "Only one of client_id, object_id, msi_res_id may be specified."},
		{"IMDS no resource", identity.IMDSTokenPath, url.Values{"api-version": {"2018-02-01"}}, imds, 400, "error_description", "Required audience parameter not specified"},
		{"IMDS unknown resource", identity.IMDSTokenPath, q("2018-02-01", "resource", "https://management.azure.com"), imds, 400, "error", "invalid_resource"},
		{"IMDS wrong api-version", identity.IMDSTokenPath, q("2019-08-01"), imds, 400, "error", "invalid_request"},
		{"App Service wrong header", identity.AppServiceTokenPath, q("2019-08-01"), map[string]string{"X-IDENTITY-HEADER": "nope"}, 401, "message", "The X-IDENTITY-HEADER header is missing or wrong."},
		{"App Service unknown principal", identity.AppServiceTokenPath, q("2019-08-01", "principal_id", "00000000-0000-4000-8000-000000000001"), appService, 400, "message", "Identity not found"},
	}
	for _, tc := range fail {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := get(tc.path, tc.query, tc.hdr)
			if resp.StatusCode != tc.status || body[tc.field] != tc.want {
				t.Errorf("got %d %v, want %d with %s %q", resp.StatusCode, body, tc.status, tc.field, tc.want)
			}
			if _, has := body["access_token"]; has {
				t.Error("an error answer carries a token")
			}
		})
	}
}

// A token of the Azure DevOps imitation signs in the app that trusts its service connection; the
// endpoint refuses a wrong job token, API version or service connection as Azure DevOps does.
func TestAzureDevOpsOIDCEndpoint(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	post := func(query url.Values, token string) (*http.Response, map[string]any) {
		return e.DoWith(token, http.MethodPost, identity.FederationPath+"/azuredevops?"+query.Encode(), nil, nil)
	}
	good := url.Values{"api-version": {"7.1"}, "serviceConnectionId": {identity.ADOServiceConnectionID}}
	for _, tc := range []struct {
		name   string
		query  url.Values
		token  string
		status int
	}{
		{"wrong job token", good, "nope", 401},
		{"no job token", good, "", 401},
		{"old API version", url.Values{"api-version": {"6.0"}, "serviceConnectionId": {identity.ADOServiceConnectionID}}, identity.ADORequestToken, 400},
		{"unknown service connection", url.Values{"api-version": {"7.1"}, "serviceConnectionId": {"00000000-0000-4000-8000-000000000001"}}, identity.ADORequestToken, 404},
	} {
		resp, body := post(tc.query, tc.token)
		if resp.StatusCode != tc.status || body["message"] == nil || body["oidcToken"] != nil {
			t.Errorf("%s: got %d %v, want %d with a message", tc.name, resp.StatusCode, body, tc.status)
		}
	}

	resp, body := post(good, identity.ADORequestToken)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %v", resp.StatusCode, body)
	}
	assertion, _ := body["oidcToken"].(string)
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(assertion, claims); err != nil {
		t.Fatal(err)
	}
	if claims["iss"] != identity.ADOIssuer || claims["sub"] != identity.ADOServiceConnectionSubject || claims["aud"] != identity.FederationAudience {
		t.Errorf("claims %v", claims)
	}
	exchange := func(clientID string) (*http.Response, map[string]any) {
		return e.TokenRequest(emulator.DefaultTenantID, url.Values{
			"grant_type": {"client_credentials"}, "client_id": {clientID}, "scope": {"https://graph.microsoft.com/.default"},
			"client_assertion_type": {identity.ClientAssertionType}, "client_assertion": {assertion},
		})
	}
	if resp, body := exchange(emulator.DefaultClientID); resp.StatusCode != http.StatusOK || body["access_token"] == nil {
		t.Errorf("the admin app trusts the service connection, yet: %d %v", resp.StatusCode, body)
	}
	// The reader app has no federated credential of the Azure DevOps issuer.
	if resp, body := exchange(emulator.ReaderClientID); resp.StatusCode != http.StatusUnauthorized || body["error_codes"].([]any)[0] != float64(700211) {
		t.Errorf("reader app: %d %v, want 401 AADSTS700211", resp.StatusCode, body)
	}
}
