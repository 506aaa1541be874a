package provider

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// setting is one provider argument with the environment variables that stand in for it, in order.
type setting struct {
	attribute   string
	env         []string
	sensitive   bool
	defaultVal  string
	description string
	// ambientEnv are variables a platform sets on its own (GitHub Actions); they fill the argument only
	// when the user configured no other credential, so that they never contradict an explicit choice.
	ambientEnv []string
	// boolean settings are `true`/`false` in the schema and in their environment variables.
	boolean bool
}

func (s setting) markdownDescription() string {
	d := s.description
	vars := append(append([]string{}, s.env...), s.ambientEnv...)
	d += fmt.Sprintf(" Environment: `%s`.", strings.Join(vars, "`, `"))
	if s.defaultVal != "" {
		d += fmt.Sprintf(" Default: `%s`.", s.defaultVal)
	}
	return d
}

// settings lists every provider argument; the schema, the environment fallbacks and the docs come from it.
var settings = []setting{
	{attribute: "tenant_id", env: []string{"ENTRAGOV_TENANT_ID", "ARM_TENANT_ID"},
		description: "The Entra tenant (directory) id to manage."},
	{attribute: "client_id", env: []string{"ENTRAGOV_CLIENT_ID", "ARM_CLIENT_ID"},
		description: "The application (client) id of the app registration the provider signs in as."},
	{attribute: "client_secret", env: []string{"ENTRAGOV_CLIENT_SECRET", "ARM_CLIENT_SECRET"}, sensitive: true,
		description: "A client secret of the application."},
	{attribute: "client_certificate", env: []string{"ENTRAGOV_CLIENT_CERTIFICATE", "ARM_CLIENT_CERTIFICATE"}, sensitive: true,
		description: "A client certificate with its private key, base64-encoded PKCS#12 or PEM. Conflicts with `client_certificate_path`."},
	{attribute: "client_certificate_path", env: []string{"ENTRAGOV_CLIENT_CERTIFICATE_PATH", "ARM_CLIENT_CERTIFICATE_PATH"},
		description: "Path to a PKCS#12 (.pfx) or PEM file holding the client certificate and its private key."},
	{attribute: "client_certificate_password", env: []string{"ENTRAGOV_CLIENT_CERTIFICATE_PASSWORD", "ARM_CLIENT_CERTIFICATE_PASSWORD"}, sensitive: true,
		description: "The password of the client certificate, if it has one."},
	{attribute: "oidc_token", env: []string{"ENTRAGOV_OIDC_TOKEN", "ARM_OIDC_TOKEN"}, sensitive: true,
		description: "A federated OIDC token (workload identity federation) exchanged for a Graph token."},
	{attribute: "oidc_token_file_path", env: []string{"ENTRAGOV_OIDC_TOKEN_FILE_PATH", "ARM_OIDC_TOKEN_FILE_PATH"},
		description: "Path to a file holding a federated OIDC token; it is read again whenever a token is needed."},
	{attribute: "oidc_request_url", env: []string{"ENTRAGOV_OIDC_REQUEST_URL", "ARM_OIDC_REQUEST_URL"}, ambientEnv: []string{"ACTIONS_ID_TOKEN_REQUEST_URL"},
		description: "The GitHub Actions OIDC token request URL; used with `oidc_request_token`."},
	{attribute: "oidc_request_token", env: []string{"ENTRAGOV_OIDC_REQUEST_TOKEN", "ARM_OIDC_REQUEST_TOKEN"}, ambientEnv: []string{"ACTIONS_ID_TOKEN_REQUEST_TOKEN"}, sensitive: true,
		description: "The bearer token for `oidc_request_url`."},
	{attribute: "access_token", env: []string{"ENTRAGOV_ACCESS_TOKEN"}, sensitive: true,
		description: "A Graph access token obtained elsewhere, sent as is and never refreshed. Conflicts with every other credential."},
	{attribute: "graph_endpoint", env: []string{"ENTRAGOV_GRAPH_ENDPOINT"}, defaultVal: graph.DefaultEndpoint,
		description: "The Microsoft Graph root, for national clouds or the local governance API. Plain `http://` is accepted only for loopback hosts."},
	{attribute: "login_endpoint", env: []string{"ENTRAGOV_LOGIN_ENDPOINT"}, defaultVal: graph.DefaultLoginEndpoint,
		description: "The Entra ID authority host that issues tokens. Must be https."},
	{attribute: "prevent_duplicate_names", env: []string{"ENTRAGOV_PREVENT_DUPLICATE_NAMES"}, defaultVal: "true", boolean: true,
		description: "Before creating a catalog, access package, assignment policy, connected organization or lifecycle workflow, " +
			"look for one with the same display name in the same parent and refuse to create another, naming the `import` block to " +
			"use instead. Graph gives these objects no unique key, so an apply that was killed after Graph created an object " +
			"(SIGKILL, a lost CI runner) would otherwise create it again on the next apply. Graph lists a new object only after a " +
			"while, so the name is looked up again once the created object is readable, and an object this apply made beside an " +
			"older one is deleted again. Set `false` where several objects deliberately share a name; it saves up to two requests per create."},
}

// resolved holds each setting's value and where it came from, for messages that name the source.
type resolved struct {
	value  map[string]string
	source map[string]string
}

func (r resolved) get(attr string) string { return r.value[attr] }

// from says where a setting came from: the argument or the environment variable.
func (r resolved) from(attr string) string { return r.source[attr] }

func (r resolved) has(attr string) bool { return r.value[attr] != "" }

// resolveSettings applies argument > ENTRAGOV_* > ARM_* > default for every setting.
func resolveSettings(cfg providerModel) (resolved, diag.Diagnostics) {
	var diags diag.Diagnostics
	configured := map[string]types.String{
		"tenant_id": cfg.TenantID, "client_id": cfg.ClientID, "client_secret": cfg.ClientSecret,
		"client_certificate": cfg.ClientCertificate, "client_certificate_path": cfg.ClientCertificatePath,
		"client_certificate_password": cfg.ClientCertificatePassword, "oidc_token": cfg.OIDCToken,
		"oidc_token_file_path": cfg.OIDCTokenFilePath, "oidc_request_url": cfg.OIDCRequestURL,
		"oidc_request_token": cfg.OIDCRequestToken, "access_token": cfg.AccessToken,
		"graph_endpoint": cfg.GraphEndpoint, "login_endpoint": cfg.LoginEndpoint,
		"prevent_duplicate_names": boolAsString(cfg.PreventDuplicateNames),
	}
	r := resolved{value: map[string]string{}, source: map[string]string{}}
	for _, s := range settings {
		v := configured[s.attribute]
		if v.IsUnknown() {
			diags.AddAttributeError(path.Root(s.attribute), "Provider argument not known yet",
				fmt.Sprintf("%s depends on a value that is known only after apply. Provider arguments must be known at plan time: "+
					"use a variable, a literal or the %s environment variable.", s.attribute, s.env[0]))
			continue
		}
		if !v.IsNull() && v.ValueString() != "" {
			r.value[s.attribute], r.source[s.attribute] = v.ValueString(), "argument "+s.attribute
			continue
		}
		for _, name := range s.env {
			if ev := strings.TrimSpace(os.Getenv(name)); ev != "" {
				r.value[s.attribute], r.source[s.attribute] = ev, "environment variable "+name
				break
			}
		}
		if !r.has(s.attribute) && s.defaultVal != "" {
			r.value[s.attribute], r.source[s.attribute] = s.defaultVal, "default"
		}
	}
	return r, diags
}

// boolAsString lets a boolean argument resolve like the others: its environment variables hold strings.
func boolAsString(v types.Bool) types.String {
	switch {
	case v.IsUnknown():
		return types.StringUnknown()
	case v.IsNull():
		return types.StringNull()
	}
	return types.StringValue(strconv.FormatBool(v.ValueBool()))
}

// boolSetting reads a resolved boolean setting; a malformed environment value is an error naming it.
func (r resolved) boolSetting(attr string, diags *diag.Diagnostics) bool {
	v, err := strconv.ParseBool(r.get(attr))
	if err != nil {
		diags.AddAttributeError(path.Root(attr), "Invalid boolean setting",
			fmt.Sprintf("%s is %q (from %s); use true or false.", attr, r.get(attr), r.from(attr)))
	}
	return v
}

// applyAmbient fills settings from platform variables (GitHub Actions) when nothing else was chosen.
func (r resolved) applyAmbient() {
	for _, s := range settings {
		if r.has(s.attribute) {
			continue
		}
		for _, name := range s.ambientEnv {
			if ev := strings.TrimSpace(os.Getenv(name)); ev != "" {
				r.value[s.attribute], r.source[s.attribute] = ev, "environment variable "+name
				break
			}
		}
	}
}
