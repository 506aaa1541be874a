package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// clearCredentialEnv empties every variable the provider reads, so the host's environment cannot leak in.
func clearCredentialEnv(t *testing.T) {
	t.Helper()
	for _, name := range []string{"IDENTITY_ENDPOINT", "IDENTITY_HEADER"} {
		t.Setenv(name, "")
	}
	for _, s := range settings {
		for _, name := range append(append(append([]string{}, s.env...), s.ambientEnv...), s.adoEnv...) {
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
	// An az on PATH must not sign in where the case expects no credentials.
	noAz, azOnPath := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(azOnPath, "az"), []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		env  map[string]string
		path string   // PATH; default a directory without az
		want []string // every fragment must be in the one diagnostic
	}{
		{
			name: "nothing configured",
			want: []string{"No credentials configured", "client_secret", "ENTRAGOV_CLIENT_SECRET", "ARM_CLIENT_SECRET", "access_token", "oidc_request_url",
				"use_cli", "ARM_USE_CLI", "use_msi", "ARM_USE_MSI", "ado_pipeline_service_connection_id", "ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID"},
		},
		{
			name: "nothing configured, Azure CLI refused",
			env:  map[string]string{"ENTRAGOV_USE_CLI": "false"},
			path: azOnPath,
			want: []string{"No credentials configured", "use_cli"},
		},
		{
			name: "Azure CLI and a client secret",
			env:  map[string]string{"ARM_USE_CLI": "true", "ENTRAGOV_CLIENT_SECRET": "s", "ENTRAGOV_TENANT_ID": "t", "ENTRAGOV_CLIENT_ID": "c"},
			want: []string{"Contradictory credentials", "the Azure CLI (environment variable ARM_USE_CLI)", "a client secret (environment variable ENTRAGOV_CLIENT_SECRET)"},
		},
		{
			name: "managed identity and Azure DevOps",
			env:  map[string]string{"ENTRAGOV_USE_MSI": "true", "ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID": "2b7f4c1e-8d9a-4b3c-a5e6-f7a8b9c0d1e2"},
			want: []string{"Contradictory credentials", "a managed identity (environment variable ENTRAGOV_USE_MSI)",
				"Azure DevOps workload identity federation (environment variable ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID)"},
		},
		{
			name: "Azure DevOps and an OIDC token",
			env: map[string]string{"ENTRAGOV_ADO_PIPELINE_SERVICE_CONNECTION_ID": "2b7f4c1e-8d9a-4b3c-a5e6-f7a8b9c0d1e2", "ENTRAGOV_OIDC_TOKEN": "jwt",
				"ENTRAGOV_TENANT_ID": "t", "ENTRAGOV_CLIENT_ID": "c"},
			want: []string{"Contradictory credentials", "an OIDC token (environment variable ENTRAGOV_OIDC_TOKEN)"},
		},
		{
			name: "Azure DevOps outside a pipeline",
			env:  map[string]string{"ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID": "2b7f4c1e-8d9a-4b3c-a5e6-f7a8b9c0d1e2", "ARM_TENANT_ID": "t", "ARM_CLIENT_ID": "c"},
			want: []string{"Incomplete credentials", "Azure DevOps workload identity federation", "also needs oidc_request_url and oidc_request_token"},
		},
		{
			name: "managed identity named twice",
			env:  map[string]string{"ARM_USE_MSI": "true", "ARM_CLIENT_ID": "c", "ENTRAGOV_MSI_OBJECT_ID": "af4a5b6c-7d8e-4f9a-b1c2-2d3e4f5a6b7c"},
			want: []string{"Invalid credentials", "environment variable ARM_CLIENT_ID", "environment variable ENTRAGOV_MSI_OBJECT_ID", "set one"},
		},
		{
			name: "use_msi that is no boolean",
			env:  map[string]string{"ARM_USE_MSI": "yes"},
			want: []string{"Invalid boolean setting", `use_msi is "yes" (from environment variable ARM_USE_MSI)`},
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
			t.Setenv("PATH", noAz)
			if tc.path != "" {
				t.Setenv("PATH", tc.path)
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
		"Azure DevOps": {"ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID": "2b7f4c1e-8d9a-4b3c-a5e6-f7a8b9c0d1e2", "SYSTEM_OIDCREQUESTURI": "https://dev.azure.example/x",
			"SYSTEM_ACCESSTOKEN": "job", "ARM_TENANT_ID": "t", "ARM_CLIENT_ID": "c"},
		"managed identity":  {"ARM_USE_MSI": "true"},
		"Azure CLI":         {"ENTRAGOV_USE_CLI": "true"},
		"Azure CLI, tenant": {"ENTRAGOV_USE_CLI": "1", "ARM_TENANT_ID": "t"},
	}
	for name, env := range cases {
		t.Run(name, func(t *testing.T) {
			clearCredentialEnv(t)
			for k, v := range env {
				t.Setenv(k, v)
			}
			r, _ := resolveSettings(providerModel{})
			src, diags := newTokenSource(r, "https://graph.microsoft.com", "https://login.microsoftonline.com", nil)
			if diags.HasError() || src.tokens == nil {
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

// With nothing configured, an az on PATH signs in, unless use_cli is false; anything configured wins.
func TestAzureCLIIsTheFallback(t *testing.T) {
	azOnPath := t.TempDir()
	if err := os.WriteFile(filepath.Join(azOnPath, "az"), []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		env          map[string]string
		kind         string
		fallback     bool
		noCredential bool
	}{
		"nothing configured":  {kind: "use_cli", fallback: true},
		"use_cli = true":      {env: map[string]string{"ARM_USE_CLI": "true"}, kind: "use_cli"},
		"use_cli = false":     {env: map[string]string{"ARM_USE_CLI": "false"}, noCredential: true},
		"a client secret":     {env: map[string]string{"ARM_CLIENT_SECRET": "s", "ARM_TENANT_ID": "t", "ARM_CLIENT_ID": "c"}, kind: "client_secret"},
		"GitHub Actions jobs": {env: map[string]string{"ACTIONS_ID_TOKEN_REQUEST_URL": "https://x.example/t", "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "gh", "ARM_TENANT_ID": "t", "ARM_CLIENT_ID": "c"}, kind: "oidc_token"},
	} {
		t.Run(name, func(t *testing.T) {
			clearCredentialEnv(t)
			t.Setenv("PATH", azOnPath)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			r, _ := resolveSettings(providerModel{})
			got, diags := newTokenSource(r, "https://graph.microsoft.com", "https://login.microsoftonline.com", nil)
			if tc.noCredential {
				if !diags.HasError() || !strings.Contains(diags[0].Summary(), "No credentials configured") {
					t.Fatalf("want no credentials, got %v", diags)
				}
				return
			}
			if diags.HasError() || got.kind.attributes[0] != tc.kind || got.fallback != tc.fallback {
				t.Fatalf("got %s (fallback %v) %v, want %s (fallback %v)", got.kind.name, got.fallback, diags, tc.kind, tc.fallback)
			}
		})
	}
}

// A setting from the environment is checked like the argument, and the error names both.
func TestSettingsFromTheEnvironmentAreChecked(t *testing.T) {
	for name, tc := range map[string]struct{ variable, value, want string }{
		"scope without /.default":   {"ENTRAGOV_GRAPH_TOKEN_SCOPE", "https://graph.microsoft.com", `graph_token_scope (from environment variable ENTRAGOV_GRAPH_TOKEN_SCOPE): the scope "https://graph.microsoft.com" is not <resource>/.default`},
		"scope of no resource":      {"ENTRAGOV_GRAPH_TOKEN_SCOPE", "graph/.default", "does not start with an absolute URI or an application id"},
		"managed identity endpoint": {"ARM_MSI_ENDPOINT", "169.254.169.254/metadata", "msi_endpoint (from environment variable ARM_MSI_ENDPOINT)"},
		"service connection id":     {"ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID", "my-connection", "is not a GUID"},
	} {
		t.Run(name, func(t *testing.T) {
			clearCredentialEnv(t)
			t.Setenv(tc.variable, tc.value)
			_, diags := resolveSettings(providerModel{})
			if diags.ErrorsCount() != 1 || !strings.Contains(diags[0].Detail(), tc.want) {
				t.Fatalf("want one error with %q, got %v", tc.want, diags)
			}
			if d, ok := diags[0].(interface{ Path() path.Path }); !ok || d.Path().String() == "" {
				t.Errorf("the error carries no attribute path: %v", diags[0])
			}
		})
	}
	clearCredentialEnv(t)
	t.Setenv("ENTRAGOV_GRAPH_TOKEN_SCOPE", "00000003-0000-0000-c000-000000000000/.default")
	if _, diags := resolveSettings(providerModel{}); diags.HasError() {
		t.Errorf("Graph's application id as the resource: %v", diags)
	}
}
