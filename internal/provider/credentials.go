package provider

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// credentialKind is one way of signing in; exactly one must be configured.
type credentialKind struct {
	name       string
	attributes []string // any of these being set selects the kind
	flag       bool     // the one attribute is a boolean that selects the kind when true
	needsApp   bool     // the kind also needs tenant_id and client_id
	// probe: Configure gets a first token, so that a failure (no managed identity, the Azure CLI signed
	// out, a pipeline without its access token) is reported once, naming the argument, before any plan.
	probe bool
}

var credentialKinds = []credentialKind{
	{name: "a static access token", attributes: []string{"access_token"}},
	{name: "a client secret", attributes: []string{"client_secret"}, needsApp: true},
	{name: "a client certificate", attributes: []string{"client_certificate", "client_certificate_path"}, needsApp: true},
	{name: "an OIDC token", attributes: []string{"oidc_token", "oidc_token_file_path", "oidc_request_url"}, needsApp: true},
	{name: "Azure DevOps workload identity federation", attributes: []string{"ado_pipeline_service_connection_id"}, needsApp: true, probe: true},
	{name: "a managed identity", attributes: []string{"use_msi"}, flag: true, probe: true},
	{name: "the Azure CLI", attributes: []string{"use_cli"}, flag: true, probe: true},
}

const credentialHelp = "Configure exactly one of: access_token (ENTRAGOV_ACCESS_TOKEN); client_secret " +
	"(ENTRAGOV_CLIENT_SECRET or ARM_CLIENT_SECRET); client_certificate or client_certificate_path " +
	"(ENTRAGOV_CLIENT_CERTIFICATE[_PATH] or ARM_CLIENT_CERTIFICATE[_PATH]); oidc_token, oidc_token_file_path, or " +
	"oidc_request_url with oidc_request_token (ENTRAGOV_OIDC_*, ARM_OIDC_*, or GitHub Actions' ACTIONS_ID_TOKEN_REQUEST_*); " +
	"ado_pipeline_service_connection_id in Azure Pipelines (ENTRAGOV_ADO_PIPELINE_SERVICE_CONNECTION_ID or ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID); " +
	"use_msi = true on an Azure resource with a managed identity (ENTRAGOV_USE_MSI or ARM_USE_MSI); " +
	"use_cli = true to sign in as the Azure CLI's account (ENTRAGOV_USE_CLI or ARM_USE_CLI, used on its own when nothing else is configured and az is on PATH). " +
	"Client secrets, certificates and OIDC also need tenant_id and client_id (ENTRAGOV_TENANT_ID/ARM_TENANT_ID, ENTRAGOV_CLIENT_ID/ARM_CLIENT_ID)."

// signIn is the chosen credential and its token source.
type signIn struct {
	tokens graph.TokenSource
	kind   credentialKind
	// fallback: the Azure CLI, chosen because nothing else is configured.
	fallback bool
}

// newTokenSource picks the one configured credential and builds its token source. Missing or
// contradictory credentials are reported in one diagnostic that names every argument and variable
// involved, so that the user can fix the configuration in one go.
func newTokenSource(r resolved, graphEndpoint, loginEndpoint string, hc *http.Client) (signIn, diag.Diagnostics) {
	kind, fallback, diags := chooseCredential(r)
	if diags.HasError() {
		return signIn{}, diags
	}
	if kind.attributes[0] == "access_token" {
		return signIn{tokens: graph.StaticToken(r.get("access_token")), kind: kind}, diags
	}
	if kind.attributes[0] == "ado_pipeline_service_connection_id" {
		r.applyAzureDevOps()
	}
	var missing []string
	for _, attr := range requiredSettings(kind) {
		if !r.has(attr) {
			missing = append(missing, attr)
		}
	}
	if len(missing) > 0 {
		diags.AddAttributeError(path.Root(missing[0]), "Incomplete credentials configured for entragov",
			fmt.Sprintf("Signing in with %s (%s) also needs %s. %s", kind.name, describeSources(r, kind.attributes),
				strings.Join(missing, " and "), credentialHelp))
		return signIn{}, diags
	}
	opts := graph.CredentialOptions{
		TenantID: r.get("tenant_id"), ClientID: r.get("client_id"), Scope: r.get("graph_token_scope"),
		LoginEndpoint: loginEndpoint, GraphEndpoint: graphEndpoint, HTTPClient: hc,
	}
	src, err := buildSource(r, kind, opts, hc)
	if err != nil {
		diags.AddAttributeError(path.Root(kind.attributes[0]), "Invalid credentials configured for entragov",
			fmt.Sprintf("Signing in with %s (%s): %s", kind.name, describeSources(r, kind.attributes), err))
		return signIn{}, diags
	}
	return signIn{tokens: src, kind: kind, fallback: fallback}, diags
}

// chooseCredential finds the one configured kind. With none, the GitHub Actions variables count, and
// then the Azure CLI when it is on PATH and use_cli is not false.
func chooseCredential(r resolved) (kind credentialKind, fallback bool, diags diag.Diagnostics) {
	for _, attr := range []string{"use_cli", "use_msi"} {
		if r.has(attr) && !r.isTrue(attr) && !r.isFalse(attr) {
			diags.AddAttributeError(path.Root(attr), "Invalid boolean setting",
				fmt.Sprintf("%s is %q (from %s); use true or false.", attr, r.get(attr), r.from(attr)))
		}
	}
	if diags.HasError() {
		return kind, false, diags
	}
	chosen := configuredKinds(r)
	if len(chosen) == 0 {
		r.applyAmbient()
		chosen = configuredKinds(r)
	}
	if len(chosen) == 0 && !r.isFalse("use_cli") && graph.AzureCLIAvailable() {
		return kindOf("use_cli"), true, diags
	}
	switch {
	case len(chosen) == 0:
		diags.AddError("No credentials configured for entragov", "The provider found no way to sign in. "+credentialHelp)
	case len(chosen) > 1:
		var parts []string
		for _, k := range chosen {
			parts = append(parts, fmt.Sprintf("%s (%s)", k.name, describeSources(r, k.attributes)))
		}
		diags.AddError("Contradictory credentials configured for entragov",
			"More than one way of signing in is configured: "+strings.Join(parts, "; ")+
				". Remove all but one. "+credentialHelp)
	default:
		return chosen[0], false, diags
	}
	return kind, false, diags
}

// kindOf is the kind an attribute selects.
func kindOf(attr string) credentialKind {
	for _, k := range credentialKinds {
		if slices.Contains(k.attributes, attr) {
			return k
		}
	}
	panic("no credential kind has the attribute " + attr)
}

// requiredSettings are the settings a kind cannot sign in without.
func requiredSettings(kind credentialKind) []string {
	switch {
	case kind.attributes[0] == "ado_pipeline_service_connection_id":
		return []string{"tenant_id", "client_id", "oidc_request_url", "oidc_request_token"}
	case kind.needsApp:
		return []string{"tenant_id", "client_id"}
	}
	return nil
}

func buildSource(r resolved, kind credentialKind, opts graph.CredentialOptions, hc *http.Client) (graph.TokenSource, error) {
	scope, err := graph.TokenScope(opts.GraphEndpoint, opts.Scope)
	if err != nil {
		return nil, err
	}
	switch kind.attributes[0] {
	case "client_secret":
		return graph.NewClientSecretSource(opts, r.get("client_secret"))
	case "client_certificate":
		data, err := certificateBytes(r)
		if err != nil {
			return nil, err
		}
		return graph.NewClientCertificateSource(opts, data, r.get("client_certificate_password"))
	case "ado_pipeline_service_connection_id":
		return graph.NewClientAssertionSource(opts, graph.AzureDevOpsAssertion(hc, r.get("oidc_request_url"),
			r.get("oidc_request_token"), r.get("ado_pipeline_service_connection_id")))
	case "use_msi":
		if r.has("client_id") && r.has("msi_object_id") {
			return nil, fmt.Errorf("both %s and %s name a user-assigned identity; set one", r.from("client_id"), r.from("msi_object_id"))
		}
		return graph.NewManagedIdentitySource(graph.ManagedIdentityOptions{
			Endpoint:         r.get("msi_endpoint"),
			IdentityEndpoint: os.Getenv("IDENTITY_ENDPOINT"), IdentityHeader: os.Getenv("IDENTITY_HEADER"),
			ClientID: r.get("client_id"), ObjectID: r.get("msi_object_id"), Scope: scope, HTTPClient: hc,
		})
	case "use_cli":
		return graph.NewAzureCLISource(graph.AzureCLIOptions{TenantID: r.get("tenant_id"), Scope: scope})
	}
	return oidcSource(r, opts, hc)
}

// probe gets the first token of the kinds that depend on their surroundings, so that a failure becomes
// one diagnostic on the argument that chose the kind, with what to do about it.
func (s signIn) probe(ctx context.Context, r resolved) diag.Diagnostics {
	var diags diag.Diagnostics
	if !s.kind.probe {
		return diags
	}
	if _, err := s.tokens.Token(ctx); err != nil {
		attr := s.kind.attributes[0]
		summary := "Unable to sign in with " + s.kind.name
		detail := fmt.Sprintf("Signing in with %s (%s): %s. %s", s.kind.name, describeSources(r, s.kind.attributes), err, signInAdvice(attr, err))
		if s.fallback {
			summary = "No credentials configured for entragov"
			detail = "No credential is configured, so the provider tried the Azure CLI (use_cli), which failed: " + err.Error() + ". " +
				signInAdvice(attr, err) + " " + credentialHelp
		}
		diags.AddAttributeError(path.Root(attr), summary, detail)
	}
	return diags
}

// signInAdvice says what to do about a failed first sign-in.
func signInAdvice(attr string, err error) string {
	switch {
	case errors.Is(err, graph.ErrAzureCLINotSignedIn):
		return "Run 'az login' (with --allow-no-subscriptions for a tenant without Azure subscriptions, --tenant <tenant id> for " +
			"another tenant), or set use_cli = false and configure another credential."
	case errors.Is(err, graph.ErrAzureCLINotFound):
		return "Install the Azure CLI and run 'az login', or configure another credential."
	case attr == "use_cli":
		return "Check that 'az account get-access-token' works, or configure another credential."
	case errors.Is(err, graph.ErrManagedIdentityUnreachable):
		return "use_msi works only on an Azure resource (virtual machine, scale set, App Service, container) with a managed identity; " +
			"set msi_endpoint if its endpoint is not the default, or configure another credential."
	case attr == "use_msi":
		return "Check that the managed identity is assigned to this resource and that client_id or msi_object_id names it."
	// azidentity passes on the text of the assertion callback's error, not the error itself.
	case errors.Is(err, graph.ErrOIDCRequestUnauthorized) || strings.Contains(err.Error(), graph.ErrOIDCRequestUnauthorized.Error()):
		return "Azure DevOps refused oidc_request_token: in the pipeline, map the job's token into the step " +
			"(env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)) and allow the pipeline to use the service connection."
	}
	return "Check that the service connection uses workload identity federation and that the application has a federated " +
		"credential with its issuer and subject (sc://<organization>/<project>/<service connection name>)."
}

func configuredKinds(r resolved) []credentialKind {
	var out []credentialKind
	for _, k := range credentialKinds {
		for _, attr := range k.attributes {
			if attr == "oidc_request_url" && r.has("ado_pipeline_service_connection_id") {
				continue // Azure DevOps federation asks this URL itself
			}
			if (k.flag && r.isTrue(attr)) || (!k.flag && r.has(attr)) {
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
