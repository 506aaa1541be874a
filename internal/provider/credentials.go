package provider

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// credentialKind is one way of signing in; exactly one must be configured.
type credentialKind struct {
	name       string
	attributes []string // any of these being set selects the kind
}

var credentialKinds = []credentialKind{
	{name: "a static access token", attributes: []string{"access_token"}},
	{name: "a client secret", attributes: []string{"client_secret"}},
	{name: "a client certificate", attributes: []string{"client_certificate", "client_certificate_path"}},
	{name: "an OIDC token", attributes: []string{"oidc_token", "oidc_token_file_path", "oidc_request_url"}},
}

const credentialHelp = "Configure exactly one of: access_token (ENTRAGOV_ACCESS_TOKEN); client_secret " +
	"(ENTRAGOV_CLIENT_SECRET or ARM_CLIENT_SECRET); client_certificate or client_certificate_path " +
	"(ENTRAGOV_CLIENT_CERTIFICATE[_PATH] or ARM_CLIENT_CERTIFICATE[_PATH]); oidc_token, oidc_token_file_path, or " +
	"oidc_request_url with oidc_request_token (ENTRAGOV_OIDC_*, ARM_OIDC_*, or GitHub Actions' ACTIONS_ID_TOKEN_REQUEST_*). " +
	"All but access_token also need tenant_id and client_id (ENTRAGOV_TENANT_ID/ARM_TENANT_ID, ENTRAGOV_CLIENT_ID/ARM_CLIENT_ID)."

// newTokenSource picks the one configured credential and builds its token source. Missing or
// contradictory credentials are reported in one diagnostic that names every argument and variable
// involved, so that the user can fix the configuration in one go.
func newTokenSource(r resolved, graphEndpoint, loginEndpoint string, hc *http.Client) (graph.TokenSource, diag.Diagnostics) {
	var diags diag.Diagnostics
	chosen := configuredKinds(r)
	if len(chosen) == 0 {
		r.applyAmbient()
		chosen = configuredKinds(r)
	}
	switch {
	case len(chosen) == 0:
		diags.AddError("No credentials configured for entragov", "The provider found no way to sign in. "+credentialHelp)
		return nil, diags
	case len(chosen) > 1:
		var parts []string
		for _, k := range chosen {
			parts = append(parts, fmt.Sprintf("%s (%s)", k.name, describeSources(r, k.attributes)))
		}
		diags.AddError("Contradictory credentials configured for entragov",
			"More than one way of signing in is configured: "+strings.Join(parts, "; ")+
				". Remove all but one. "+credentialHelp)
		return nil, diags
	}
	kind := chosen[0]

	if kind.attributes[0] == "access_token" {
		return graph.StaticToken(r.get("access_token")), diags
	}
	var missing []string
	for _, attr := range []string{"tenant_id", "client_id"} {
		if !r.has(attr) {
			missing = append(missing, attr)
		}
	}
	if len(missing) > 0 {
		diags.AddError("Incomplete credentials configured for entragov",
			fmt.Sprintf("Signing in with %s (%s) also needs %s. %s", kind.name, describeSources(r, kind.attributes),
				strings.Join(missing, " and "), credentialHelp))
		return nil, diags
	}
	opts := graph.CredentialOptions{
		TenantID: r.get("tenant_id"), ClientID: r.get("client_id"),
		LoginEndpoint: loginEndpoint, GraphEndpoint: graphEndpoint, HTTPClient: hc,
	}

	var (
		src graph.TokenSource
		err error
	)
	switch kind.attributes[0] {
	case "client_secret":
		src, err = graph.NewClientSecretSource(opts, r.get("client_secret"))
	case "client_certificate":
		var data []byte
		data, err = certificateBytes(r)
		if err == nil {
			src, err = graph.NewClientCertificateSource(opts, data, r.get("client_certificate_password"))
		}
	default:
		src, err = oidcSource(r, opts, hc)
	}
	if err != nil {
		diags.AddError("Invalid credentials configured for entragov",
			fmt.Sprintf("Signing in with %s (%s): %s", kind.name, describeSources(r, kind.attributes), err))
		return nil, diags
	}
	return src, diags
}

func configuredKinds(r resolved) []credentialKind {
	var out []credentialKind
	for _, k := range credentialKinds {
		for _, attr := range k.attributes {
			if r.has(attr) {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

func describeSources(r resolved, attrs []string) string {
	var parts []string
	for _, a := range attrs {
		if r.has(a) {
			parts = append(parts, r.from(a))
		}
	}
	return strings.Join(parts, ", ")
}

func certificateBytes(r resolved) ([]byte, error) {
	if r.has("client_certificate") && r.has("client_certificate_path") {
		return nil, fmt.Errorf("both %s and %s are set; use one", r.from("client_certificate"), r.from("client_certificate_path"))
	}
	if r.has("client_certificate_path") {
		return os.ReadFile(r.get("client_certificate_path"))
	}
	raw := r.get("client_certificate")
	if strings.Contains(raw, "-----BEGIN") {
		return []byte(raw), nil
	}
	data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("client_certificate is neither PEM nor base64: %w", err)
	}
	return data, nil
}

func oidcSource(r resolved, opts graph.CredentialOptions, hc *http.Client) (graph.TokenSource, error) {
	var set []string
	for _, a := range []string{"oidc_token", "oidc_token_file_path", "oidc_request_url"} {
		if r.has(a) {
			set = append(set, r.from(a))
		}
	}
	if len(set) > 1 {
		return nil, fmt.Errorf("more than one OIDC token source is set (%s); use one", strings.Join(set, ", "))
	}
	switch {
	case r.has("oidc_token"):
		tok := r.get("oidc_token")
		return graph.NewClientAssertionSource(opts, func(context.Context) (string, error) { return tok, nil })
	case r.has("oidc_token_file_path"):
		return graph.NewClientAssertionSource(opts, graph.FileAssertion(r.get("oidc_token_file_path")))
	default:
		if !r.has("oidc_request_token") {
			return nil, fmt.Errorf("oidc_request_url is set (%s) but oidc_request_token is not", r.from("oidc_request_url"))
		}
		return graph.NewClientAssertionSource(opts, graph.GitHubActionsAssertion(hc, r.get("oidc_request_url"), r.get("oidc_request_token")))
	}
}
