package provider_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// The sign-in methods that depend on their surroundings (the Azure CLI, a managed identity, an Azure
// Pipelines job) sign in to the local API for real and create a catalog; their failures are one
// diagnostic on the argument that chose the method, saying what to do.

// signedInCatalog is a catalog the provider can create only when it signed in with write permissions.
// Its name is the test's, so that parallel subtests on one local API do not meet.
func signedInCatalog(t *testing.T, e *acctest.Emulator, provider string) string {
	return provider + fmt.Sprintf(`
resource "entragov_catalog" "signed_in" {
  display_name = %q
  description  = "created by a provider that signed in without a secret"
}
`, e.Name("signed in: "+t.Name()))
}

func catalogExists(t *testing.T, e *acctest.Emulator) statecheck.StateCheck {
	return acctest.ExistsInAPI("entragov_catalog.signed_in", func(ctx context.Context, id string) error {
		_, err := e.Client(t).GetCatalog(ctx, id)
		return err
	})
}

// localGraphToken gets a token of the local API's admin app from its token endpoint, as `az login` would
// have one of the signed-in account.
func localGraphToken(t *testing.T, e *acctest.Emulator) string {
	t.Helper()
	src, err := graph.NewClientSecretSource(graph.CredentialOptions{TenantID: emulator.DefaultTenantID, ClientID: emulator.DefaultClientID,
		LoginEndpoint: e.URL, GraphEndpoint: e.URL}, emulator.DefaultClientSecret)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := src.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// azStandIn writes an `az` that answers as the Azure CLI does into dir: `az login` signs in (a marker
// file), `az account get-access-token` prints token as the CLI prints its own, or, signed out, the CLI's
// error on stderr with exit code 1. Each call's arguments are appended to dir/az-calls.log.
func azStandIn(t *testing.T, dir, token string, signedIn bool) {
	t.Helper()
	expires := time.Now().Add(59 * time.Minute)
	script := fmt.Sprintf(`#!/usr/bin/env bash
# A stand-in of the Azure CLI for tests: the arguments and answers of az 2.60.
here="$(cd "$(dirname "$0")" && pwd)"
printf '%%s\n' "$*" >> "$here/az-calls.log"
case "$1 $2" in
"login "*)
  touch "$here/az-signed-in"
  echo '[{"cloudName": "AzureCloud", "id": "%[1]s", "isDefault": true, "name": "N/A(tenant level account)", "state": "Enabled", "tenantId": "%[1]s", "user": {"name": "admin@contoso.example", "type": "user"}}]'
  ;;
"account get-access-token")
  if [ ! -e "$here/az-signed-in" ]; then
    echo "ERROR: Please run 'az login' to setup account." >&2
    exit 1
  fi
  shift 2
  while [ $# -gt 0 ]; do
    case "$1" in
    --resource|--scope|--output|-o|--query) shift ;;
    --tenant|-t) [ "$2" = "%[1]s" ] || { echo "ERROR: AADSTS90002: Tenant '$2' not found." >&2; exit 1; }; shift ;;
    *) echo "ERROR: unrecognized arguments: $1" >&2; exit 2 ;;
    esac
    shift
  done
  echo '{"accessToken": "%[2]s", "expiresOn": "%[3]s", "expires_on": %[4]d, "subscription": "N/A(tenant level account)", "tenant": "%[1]s", "tokenType": "Bearer"}'
  ;;
*)
  echo "ERROR: '$1' is misspelled or not recognized by the system." >&2
  exit 2
  ;;
esac
`, emulator.DefaultTenantID, token, expires.Local().Format("2006-01-02 15:04:05.000000"), expires.Unix())
	writeFile(t, filepath.Join(dir, "az"), script)
	if err := os.Chmod(filepath.Join(dir, "az"), 0o755); err != nil {
		t.Fatal(err)
	}
	if signedIn {
		writeFile(t, filepath.Join(dir, "az-signed-in"), "")
	}
}

// azCalls are the argument lists the stand-in was called with.
func azCalls(t *testing.T, dir string) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "az-calls.log"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(raw)), "\n")
}

// prependPath puts dir first on PATH for the provider, which runs in this test's process.
func prependPath(t *testing.T, dir string) {
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

func TestAccAuth_azureCLI(t *testing.T) {
	requireBash(t)
	e := acctest.NewEmulator(t, acctest.NeedsLocalAPI)
	dir := t.TempDir()
	azStandIn(t, dir, localGraphToken(t, e), true)
	prependPath(t, dir)
	endpoints := fmt.Sprintf("  graph_endpoint = %q\n  login_endpoint = %q\n", e.URL, e.URL)
	wantCall := func(want string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			calls := azCalls(t, dir)
			if last := calls[len(calls)-1]; last != want {
				return fmt.Errorf("the provider ran az %s, want az %s", last, want)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// Chosen, with the tenant: the CLI is asked for a token of that tenant.
				Config:            signedInCatalog(t, e, fmt.Sprintf("provider \"entragov\" {\n%s  use_cli   = true\n  tenant_id = %q\n}\n", endpoints, emulator.DefaultTenantID)),
				ConfigStateChecks: []statecheck.StateCheck{catalogExists(t, e)},
				Check:             wantCall(fmt.Sprintf("account get-access-token --resource %s --tenant %s --output json", e.URL, emulator.DefaultTenantID)),
			},
			{
				// Nothing else configured: the CLI's own tenant, and the scope graph_token_scope names.
				Config: signedInCatalog(t, e, fmt.Sprintf("provider \"entragov\" {\n%s  graph_token_scope = %q\n}\n", endpoints,
					"https://graph.microsoft.com/.default")),
				ConfigStateChecks: []statecheck.StateCheck{catalogExists(t, e)},
				Check:             wantCall("account get-access-token --resource https://graph.microsoft.com --output json"),
			},
		},
	})
}

func TestAccAuth_azureCLIFailures(t *testing.T) {
	requireBash(t)
	e := acctest.NewEmulator(t, acctest.NeedsLocalAPI)
	dir := t.TempDir()
	azStandIn(t, dir, "never-handed-out", false)
	prependPath(t, dir)
	provider := func(extra string) string {
		return signedInCatalog(t, e, fmt.Sprintf("provider \"entragov\" {\n  graph_endpoint = %q\n  login_endpoint = %q\n%s}\n", e.URL, e.URL, extra))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      provider("  use_cli = true\n"),
				ExpectError: regexp.MustCompile(`(?s)Unable to sign in with the Azure CLI.*argument use_cli.*Please run 'az login' to\s+setup\s+account.*Run 'az\s+login'.*--allow-no-subscriptions`),
			},
			{
				// The fallback says that it was one, and how to configure something else.
				Config:      provider(""),
				ExpectError: regexp.MustCompile(`(?s)No credentials configured for entragov.*tried the Azure CLI \(use_cli\).*Run 'az\s+login'.*use_msi`),
			},
			{
				// use_cli = false keeps the CLI out even when it is on PATH.
				Config:      provider("  use_cli = false\n"),
				ExpectError: regexp.MustCompile(`(?s)No credentials configured for entragov.*The provider found no way to sign in`),
			},
		},
	})
	if calls := azCalls(t, dir); len(calls) != 2 {
		t.Errorf("az ran %d times (%v), want twice: the failing sign-ins, not with use_cli = false", len(calls), calls)
	}
}

func TestAccAuth_managedIdentity(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsLocalAPI)
	imds := e.URL + emulator.IMDSTokenPath
	for name, identity := range map[string]string{
		"system-assigned":            "",
		"user-assigned by client id": fmt.Sprintf("  client_id = %q\n", emulator.UserAssignedClientID),
		"user-assigned by object id": fmt.Sprintf("  msi_object_id = %q\n", emulator.UserAssignedObjectID),
		"Graph's application id as the scope": fmt.Sprintf("  client_id = %q\n  graph_token_scope = %q\n", emulator.UserAssignedClientID,
			"00000003-0000-0000-c000-000000000000/.default"),
	} {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: signedInCatalog(t, e, fmt.Sprintf("provider \"entragov\" {\n  graph_endpoint = %q\n  login_endpoint = %q\n  use_msi = true\n  msi_endpoint = %q\n%s}\n",
						e.URL, e.URL, imds, identity)),
					ConfigStateChecks: []statecheck.StateCheck{catalogExists(t, e)},
				}},
			})
		})
	}
}

// App Service sets IDENTITY_ENDPOINT and IDENTITY_HEADER; the provider then asks that endpoint.
func TestAccAuth_managedIdentityAppService(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsLocalAPI)
	t.Setenv("IDENTITY_ENDPOINT", e.URL+emulator.AppServiceTokenPath)
	t.Setenv("IDENTITY_HEADER", emulator.AppServiceIdentityHeader)
	t.Setenv("ARM_USE_MSI", "true")
	t.Setenv("ARM_CLIENT_ID", emulator.UserAssignedClientID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:            signedInCatalog(t, e, fmt.Sprintf("provider \"entragov\" {\n  graph_endpoint = %q\n  login_endpoint = %q\n}\n", e.URL, e.URL)),
			ConfigStateChecks: []statecheck.StateCheck{catalogExists(t, e)},
		}},
	})
}

func TestAccAuth_managedIdentityFailures(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsLocalAPI)
	provider := func(endpoint, extra string) string {
		return signedInCatalog(t, e, fmt.Sprintf("provider \"entragov\" {\n  graph_endpoint = %q\n  login_endpoint = %q\n  use_msi = true\n  msi_endpoint = %q\n%s}\n",
			e.URL, e.URL, endpoint, extra))
	}
	closed := closedLoopbackURL(t) + emulator.IMDSTokenPath
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: provider(e.URL+emulator.IMDSTokenPath, fmt.Sprintf("  client_id = %q\n", "00000000-0000-4000-8000-0000000000aa")),
				ExpectError: regexp.MustCompile(`(?s)Unable to sign in with a managed identity.*argument use_msi.*answered HTTP\s+400:\s+invalid_request:\s+Identity\s+not\s+found.*` +
					`client_id or\s+msi_object_id names it`),
			},
			{
				// No endpoint: what happens anywhere but on an Azure resource with a managed identity.
				Config:      provider(closed, ""),
				ExpectError: regexp.MustCompile(`(?s)Unable to sign in with a managed identity.*no\s+managed\s+identity\s+endpoint\s+answered\s+at\s+http://127.0.0.1:\d+/metadata/identity/oauth2/token:.*connection\s+refused.*use_msi\s+works only on\s+an\s+Azure\s+resource`),
			},
			{
				Config:      provider("169.254.169.254/metadata", ""),
				ExpectError: regexp.MustCompile(`(?s)Invalid provider setting.*msi_endpoint.*is not an http or https URL`),
			},
		},
	})
}

func TestAccAuth_azureDevOps(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsLocalAPI)
	// What an Azure Pipelines job sets, pointed at the local API's imitation of Azure DevOps.
	t.Setenv("SYSTEM_OIDCREQUESTURI", e.URL+emulator.ADOOIDCRequestPath)
	t.Setenv("SYSTEM_ACCESSTOKEN", emulator.ADORequestToken)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: signedInCatalog(t, e, fmt.Sprintf(`
provider "entragov" {
  graph_endpoint                     = %q
  login_endpoint                     = %q
  tenant_id                          = %q
  client_id                          = %q
  ado_pipeline_service_connection_id = %q
}
`, e.URL, e.URL, emulator.DefaultTenantID, emulator.DefaultClientID, emulator.ADOServiceConnectionID)),
			ConfigStateChecks: []statecheck.StateCheck{catalogExists(t, e)},
		}},
	})
}

func TestAccAuth_azureDevOpsFailures(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsLocalAPI)
	t.Setenv("SYSTEM_OIDCREQUESTURI", e.URL+emulator.ADOOIDCRequestPath)
	provider := func(connection, extra string) string {
		return signedInCatalog(t, e, fmt.Sprintf(`
provider "entragov" {
  graph_endpoint                     = %q
  login_endpoint                     = %q
  tenant_id                          = %q
  client_id                          = %q
  ado_pipeline_service_connection_id = %q
%s}
`, e.URL, e.URL, emulator.DefaultTenantID, emulator.DefaultClientID, connection, extra))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// The job's token is not mapped into the step: the usual mistake.
				Config:      provider(emulator.ADOServiceConnectionID, ""),
				ExpectError: regexp.MustCompile(`(?s)Incomplete credentials configured for entragov.*also needs\s+oidc_request_token`),
			},
			{
				Config: provider(emulator.ADOServiceConnectionID, "  oidc_request_token = \"expired-job-token\"\n"),
				ExpectError: regexp.MustCompile(`(?s)Unable to sign in with Azure DevOps workload identity federation.*HTTP\s+401.*` +
					`SYSTEM_ACCESSTOKEN:\s+\$\(System.AccessToken\)`),
			},
			{
				Config:      provider("00000000-0000-4000-8000-0000000000aa", fmt.Sprintf("  oidc_request_token = %q\n", emulator.ADORequestToken)),
				ExpectError: regexp.MustCompile(`(?s)Unable to sign in with Azure DevOps workload identity federation.*HTTP\s+404:\s+Service\s+connection`),
			},
			{
				Config:      provider("my-service-connection", ""),
				ExpectError: regexp.MustCompile(`(?s)Invalid provider setting.*ado_pipeline_service_connection_id.*is not a\s+GUID`),
			},
		},
	})
}

// graph_token_scope is the scope the token endpoint is asked for: Graph's audience works with the local
// API's URL as graph_endpoint, another resource is refused by the token endpoint (which names what it
// was sent), and a malformed scope fails at plan time on the argument, before any request.
func TestAccAuth_graphTokenScope(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsLocalAPI)
	provider := func(scope string) string {
		return signedInCatalog(t, e, fmt.Sprintf(`
provider "entragov" {
  graph_endpoint    = %q
  login_endpoint    = %q
  tenant_id         = %q
  client_id         = %q
  client_secret     = %q
  graph_token_scope = %q
}
`, e.URL, e.URL, emulator.DefaultTenantID, emulator.DefaultClientID, emulator.DefaultClientSecret, scope))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      provider("https://graph.microsoft.com"),
				ExpectError: regexp.MustCompile(`(?s)Invalid provider setting.*graph_token_scope.*is not\s+<resource>/.default`),
			},
			{
				Config:      provider("https://management.azure.com/.default"),
				ExpectError: regexp.MustCompile(`(?s)AADSTS1002012: The provided value for scope\s+https://management.azure.com/.default`),
			},
			{
				Config:            provider("https://graph.microsoft.com/.default"),
				ConfigStateChecks: []statecheck.StateCheck{catalogExists(t, e)},
			},
		},
	})
}

func requireBash(t *testing.T) {
	t.Helper()
	if _, err := os.Stat("/usr/bin/env"); err != nil {
		t.Skip("the az stand-in is a bash script")
	}
}

// closedLoopbackURL is an http URL on this machine where nothing listens, as IMDS is off Azure.
func closedLoopbackURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}
