package provider

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
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
	// adoEnv are Azure Pipelines' variables; they fill the argument only when
	// ado_pipeline_service_connection_id is set (SYSTEM_OIDCREQUESTURI, SYSTEM_ACCESSTOKEN).
	adoEnv []string
	// boolean settings are `true`/`false` in the schema and in their environment variables.
	boolean bool
	// check is a rule the value must follow, applied at plan time to the argument and at Configure to
	// an environment variable.
	check func(string) error
}

func (s setting) markdownDescription() string {
	d := s.description
	vars := append(append([]string{}, s.env...), s.ambientEnv...)
	d += fmt.Sprintf(" Environment: `%s`.", strings.Join(vars, "`, `"))
	if len(s.adoEnv) > 0 {
		d += fmt.Sprintf(" With `ado_pipeline_service_connection_id` set, also `%s`.", strings.Join(s.adoEnv, "`, `"))
	}
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
		adoEnv:      []string{"SYSTEM_OIDCREQUESTURI"},
		description: "The OIDC token request URL of GitHub Actions, or of Azure Pipelines with `ado_pipeline_service_connection_id`; used with `oidc_request_token`."},
	{attribute: "oidc_request_token", env: []string{"ENTRAGOV_OIDC_REQUEST_TOKEN", "ARM_OIDC_REQUEST_TOKEN"}, ambientEnv: []string{"ACTIONS_ID_TOKEN_REQUEST_TOKEN"}, sensitive: true,
		adoEnv:      []string{"SYSTEM_ACCESSTOKEN"},
		description: "The bearer token for `oidc_request_url`."},
	{attribute: "ado_pipeline_service_connection_id", env: []string{"ENTRAGOV_ADO_PIPELINE_SERVICE_CONNECTION_ID", "ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID", "ARM_OIDC_AZURE_SERVICE_CONNECTION_ID"},
		check: checkGUID,
		description: "The id of an Azure Resource Manager service connection with workload identity federation: in an Azure Pipelines job, " +
			"the provider asks `oidc_request_url` (default `SYSTEM_OIDCREQUESTURI`) with `oidc_request_token` (default `SYSTEM_ACCESSTOKEN`) " +
			"for the connection's OIDC token and exchanges it for a Graph token. Needs `tenant_id` and `client_id`."},
	{attribute: "use_msi", env: []string{"ENTRAGOV_USE_MSI", "ARM_USE_MSI"}, boolean: true,
		description: "Sign in as the managed identity of the Azure resource the provider runs on: the system-assigned identity, or the " +
			"user-assigned identity that `client_id` or `msi_object_id` names. Works only on Azure resources with a managed identity."},
	{attribute: "msi_endpoint", env: []string{"ENTRAGOV_MSI_ENDPOINT", "ARM_MSI_ENDPOINT"}, check: graph.CheckManagedIdentityEndpoint,
		description: "The managed identity token endpoint (IMDS protocol). Default: App Service's `IDENTITY_ENDPOINT` with `IDENTITY_HEADER` " +
			"where they are set, else `" + graph.DefaultIMDSEndpoint + "`."},
	{attribute: "msi_object_id", env: []string{"ENTRAGOV_MSI_OBJECT_ID", "ARM_MSI_OBJECT_ID"}, check: checkGUID,
		description: "The object (principal) id of the user-assigned managed identity to sign in as, instead of its client id in `client_id`."},
	{attribute: "use_cli", env: []string{"ENTRAGOV_USE_CLI", "ARM_USE_CLI"}, boolean: true,
		description: "Sign in as the Azure CLI's signed-in account (`az account get-access-token`; the tenant is `tenant_id` when set, else the " +
			"CLI's). When no other credential is configured and `az` is on `PATH`, the CLI is used unless this is `false`."},
	{attribute: "access_token", env: []string{"ENTRAGOV_ACCESS_TOKEN"}, sensitive: true,
		description: "A Graph access token obtained elsewhere, sent as is and never refreshed. Conflicts with every other credential."},
	{attribute: "graph_endpoint", env: []string{"ENTRAGOV_GRAPH_ENDPOINT"}, defaultVal: graph.DefaultEndpoint,
		description: "The Microsoft Graph root, for national clouds or the local governance API. Plain `http://` is accepted only for loopback hosts."},
	{attribute: "graph_token_scope", env: []string{"ENTRAGOV_GRAPH_TOKEN_SCOPE"}, check: graph.CheckScope,
		description: "The scope Graph tokens are requested for, `<resource>/.default`; the resource becomes the tokens' audience. Default: " +
			"`graph_endpoint` followed by `/.default`. Set it when requests go through a gateway or proxy whose URL is not Graph's audience, " +
			"for example `https://graph.microsoft.com/.default` with `graph_endpoint` pointing at the gateway."},
	{attribute: "login_endpoint", env: []string{"ENTRAGOV_LOGIN_ENDPOINT"}, defaultVal: graph.DefaultLoginEndpoint,
		description: "The Entra ID authority host that issues tokens. Must be https."},
	{attribute: "prevent_duplicate_names", env: []string{"ENTRAGOV_PREVENT_DUPLICATE_NAMES"}, defaultVal: "true", boolean: true,
		description: "Before creating a catalog, access package, assignment policy, connected organization or lifecycle workflow, " +
			"look for one with the same display name in the same parent and refuse to create another, naming the `import` block to " +
			"use instead. Graph gives these objects no unique key, so an apply that was killed after Graph created an object " +
			"(SIGKILL, a lost CI runner) would otherwise create it again on the next apply. Graph lists a new object only after a " +
			"while, so the name is looked up again once the created object is readable, and an object this apply made beside an " +
			"older one is deleted again. Inside a catalog or access package the same apply created, the first use of a name is not " +
			"looked up before its create: nothing can be there yet. Set `false` where several objects deliberately share a name; it saves up to two " +
			"requests per create."},
	{attribute: "bulk_refresh", env: []string{"ENTRAGOV_BULK_REFRESH"}, defaultVal: "true", boolean: true,
		description: "When a run reads more than three objects of a type, serve the remaining reads from shared reads instead " +
			"of one request per object: catalogs, assignment policies and connected organizations from one collection read " +
			"per type (one request per page), catalog resources from one list per catalog, and an access package's role " +
			"scopes from the package's own read. An object a shared read does not list is read on its own, so a deletion " +
			"is confirmed as before. Any create, update or delete in the run turns this off for the rest of the run. Set " +
			"`false` to read every object with its own request."},
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
		"prevent_duplicate_names":            boolAsString(cfg.PreventDuplicateNames),
		"ado_pipeline_service_connection_id": cfg.ADOServiceConnectionID, "use_msi": boolAsString(cfg.UseMSI),
		"msi_endpoint": cfg.MSIEndpoint, "msi_object_id": cfg.MSIObjectID, "use_cli": boolAsString(cfg.UseCLI),
		"graph_token_scope": cfg.GraphTokenScope, "bulk_refresh": boolAsString(cfg.BulkRefresh),
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
		// The argument is checked at plan time by its validator; a variable is checked here.
		if r.has(s.attribute) && s.check != nil {
			if err := s.check(r.get(s.attribute)); err != nil {
				diags.AddAttributeError(path.Root(s.attribute), "Invalid provider setting",
					fmt.Sprintf("%s (from %s): %s.", s.attribute, r.from(s.attribute), err))
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

// isTrue reports whether a boolean setting is set to true; malformed values are reported by checkFlags.
func (r resolved) isTrue(attr string) bool {
	v, err := strconv.ParseBool(r.get(attr))
	return err == nil && v
}

// isFalse reports whether a boolean setting is set, to false.
func (r resolved) isFalse(attr string) bool {
	v, err := strconv.ParseBool(r.get(attr))
	return err == nil && !v
}

func checkGUID(s string) error {
	if !validators.IsGUID(s) {
		return fmt.Errorf("%q is not a GUID such as 00000000-0000-0000-0000-000000000000", s)
	}
	return nil
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
func (r resolved) applyAmbient() { r.fillFrom(func(s setting) []string { return s.ambientEnv }) }

// applyAzureDevOps fills settings from an Azure Pipelines job's variables.
func (r resolved) applyAzureDevOps() { r.fillFrom(func(s setting) []string { return s.adoEnv }) }

func (r resolved) fillFrom(vars func(setting) []string) {
	for _, s := range settings {
		if r.has(s.attribute) {
			continue
		}
		for _, name := range vars(s) {
			if ev := strings.TrimSpace(os.Getenv(name)); ev != "" {
				r.value[s.attribute], r.source[s.attribute] = ev, "environment variable "+name
				break
			}
		}
	}
}

// settingCheck applies a setting's check to its argument at plan time, with the attribute path.
type settingCheck struct{ check func(string) error }

func (settingCheck) Description(context.Context) string {
	return "the value must follow the argument's format"
}

func (v settingCheck) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v settingCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.ConfigValue.ValueString() == "" {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid provider setting", fmt.Sprintf("%s: %s.", req.Path, err))
	}
}
