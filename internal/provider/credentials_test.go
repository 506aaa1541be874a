package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// clearCredentialEnv empties every variable the provider reads, so the host's environment cannot leak in.
func clearCredentialEnv(t *testing.T) {
	t.Helper()
	for _, s := range settings {
		for _, name := range append(append([]string{}, s.env...), s.ambientEnv...) {
			t.Setenv(name, "")
		}
	}
}

func TestResolveSettingsPrecedence(t *testing.T) {
	clearCredentialEnv(t)
	t.Setenv("ARM_TENANT_ID", "arm-tenant")
	t.Setenv("ENTRAGOV_CLIENT_ID", "entragov-client")
	t.Setenv("ARM_CLIENT_ID", "arm-client")
	t.Setenv("ENTRAGOV_CLIENT_SECRET", "env-secret")

	r, diags := resolveSettings(providerModel{ClientSecret: types.StringValue("arg-secret")})
	if diags.HasError() {
		t.Fatal(diags)
	}
	for attr, want := range map[string]string{
		"tenant_id":      "arm-tenant",      // ARM_* is the fallback
		"client_id":      "entragov-client", // ENTRAGOV_* beats ARM_*
		"client_secret":  "arg-secret",      // the argument beats the environment
		"graph_endpoint": "https://graph.microsoft.com",
		"login_endpoint": "https://login.microsoftonline.com",
	} {
		if got := r.get(attr); got != want {
			t.Errorf("%s = %q, want %q", attr, got, want)
		}
	}
	if got := r.from("client_id"); got != "environment variable ENTRAGOV_CLIENT_ID" {
		t.Errorf("source of client_id = %q", got)
	}
}

func TestResolveSettingsRejectsUnknownValues(t *testing.T) {
	clearCredentialEnv(t)
	_, diags := resolveSettings(providerModel{TenantID: types.StringUnknown()})
	if !diags.HasError() || !strings.Contains(diags[0].Detail(), "tenant_id") {
		t.Fatalf("want an error naming tenant_id, got %v", diags)
	}
}

func TestNewTokenSourceDiagnostics(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want []string // every fragment must be in the one diagnostic
	}{
		{
			name: "nothing configured",
			want: []string{"No credentials configured", "client_secret", "ENTRAGOV_CLIENT_SECRET", "ARM_CLIENT_SECRET", "access_token", "oidc_request_url"},
		},
		{
			name: "secret and certificate",
			env:  map[string]string{"ENTRAGOV_CLIENT_SECRET": "s", "ARM_CLIENT_CERTIFICATE_PATH": "/tmp/c.pfx", "ENTRAGOV_TENANT_ID": "t", "ENTRAGOV_CLIENT_ID": "c"},
			want: []string{"Contradictory credentials", "environment variable ENTRAGOV_CLIENT_SECRET", "environment variable ARM_CLIENT_CERTIFICATE_PATH"},
		},
		{
			name: "access token and secret",
			env:  map[string]string{"ENTRAGOV_ACCESS_TOKEN": "tok", "ARM_CLIENT_SECRET": "s"},
			want: []string{"Contradictory credentials", "a static access token", "a client secret"},
		},
		{
			name: "secret without tenant",
			env:  map[string]string{"ENTRAGOV_CLIENT_SECRET": "s", "ENTRAGOV_CLIENT_ID": "c"},
			want: []string{"Incomplete credentials", "also needs tenant_id"},
		},
		{
			name: "OIDC request URL without its token",
			env:  map[string]string{"ENTRAGOV_OIDC_REQUEST_URL": "https://token.actions.example/x", "ENTRAGOV_TENANT_ID": "t", "ENTRAGOV_CLIENT_ID": "c"},
			want: []string{"oidc_request_url is set", "oidc_request_token is not"},
		},
		{
			name: "two OIDC sources",
			env:  map[string]string{"ENTRAGOV_OIDC_TOKEN": "jwt", "ARM_OIDC_TOKEN_FILE_PATH": "/tmp/t", "ENTRAGOV_TENANT_ID": "t", "ENTRAGOV_CLIENT_ID": "c"},
			want: []string{"more than one OIDC token source"},
		},
		{
			name: "certificate that is not one",
			env:  map[string]string{"ENTRAGOV_CLIENT_CERTIFICATE": "!!!not base64!!!", "ENTRAGOV_TENANT_ID": "t", "ENTRAGOV_CLIENT_ID": "c"},
			want: []string{"Invalid credentials", "neither PEM nor base64"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clearCredentialEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			r, diags := resolveSettings(providerModel{})
			if diags.HasError() {
				t.Fatal(diags)
			}
			_, diags = newTokenSource(r, "https://graph.microsoft.com", "https://login.microsoftonline.com", nil)
			if diags.ErrorsCount() != 1 {
				t.Fatalf("want exactly one error, got %v", diags)
			}
			text := diags[0].Summary() + "\n" + diags[0].Detail()
			for _, frag := range tc.want {
				if !strings.Contains(text, frag) {
					t.Errorf("diagnostic lacks %q:\n%s", frag, text)
				}
			}
		})
	}
}

func TestNewTokenSourceAcceptsEachKind(t *testing.T) {
	cases := map[string]map[string]string{
		"access token":        {"ENTRAGOV_ACCESS_TOKEN": "tok"},
		"client secret":       {"ARM_CLIENT_SECRET": "s", "ARM_TENANT_ID": "t", "ARM_CLIENT_ID": "c"},
		"OIDC token":          {"ENTRAGOV_OIDC_TOKEN": "jwt", "ENTRAGOV_TENANT_ID": "t", "ENTRAGOV_CLIENT_ID": "c"},
		"OIDC file":           {"ENTRAGOV_OIDC_TOKEN_FILE_PATH": "/var/run/token", "ENTRAGOV_TENANT_ID": "t", "ENTRAGOV_CLIENT_ID": "c"},
		"GitHub Actions OIDC": {"ACTIONS_ID_TOKEN_REQUEST_URL": "https://token.actions.example/x", "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "gh", "ENTRAGOV_TENANT_ID": "t", "ENTRAGOV_CLIENT_ID": "c"},
	}
	for name, env := range cases {
		t.Run(name, func(t *testing.T) {
			clearCredentialEnv(t)
			for k, v := range env {
				t.Setenv(k, v)
			}
			r, _ := resolveSettings(providerModel{})
			src, diags := newTokenSource(r, "https://graph.microsoft.com", "https://login.microsoftonline.com", nil)
			if diags.HasError() || src == nil {
				t.Fatalf("got %v", diags)
			}
		})
	}
}

func TestGitHubActionsVariablesNeverContradictAnExplicitCredential(t *testing.T) {
	clearCredentialEnv(t)
	t.Setenv("ACTIONS_ID_TOKEN_REQUEST_URL", "https://token.actions.example/x")
	t.Setenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "gh")
	t.Setenv("ARM_CLIENT_SECRET", "s")
	t.Setenv("ARM_TENANT_ID", "t")
	t.Setenv("ARM_CLIENT_ID", "c")
	r, _ := resolveSettings(providerModel{})
	if _, diags := newTokenSource(r, "https://graph.microsoft.com", "https://login.microsoftonline.com", nil); diags.HasError() {
		t.Fatalf("a client secret in a GitHub Actions job must work: %v", diags)
	}
}
