package provider_test

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// Each credential kind signs in to the local governance API for real (the emulator checks certificate
// assertions and federated tokens as Entra does) and then reads the built-in catalog.
func TestAccProvider_credentialKinds(t *testing.T) {
	e := acctest.NewEmulator(t)
	certPEM, keyPEM, cert, err := emulator.NewTestCertificate("entragov acctest")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Server.AddAppCertificate(emulator.DefaultClientID, cert); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bundle := append(append([]byte{}, certPEM...), keyPEM...)
	certPath := filepath.Join(dir, "client.pem")
	if err := os.WriteFile(certPath, bundle, 0o600); err != nil {
		t.Fatal(err)
	}
	federated, err := e.Server.IssueFederatedToken(e.URL, emulator.KubernetesDefaultSubject, "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	tokenPath := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenPath, []byte(federated+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	credentials := map[string]string{
		"certificate file":   fmt.Sprintf("client_certificate_path = %q", certPath),
		"certificate base64": fmt.Sprintf("client_certificate = %q", base64.StdEncoding.EncodeToString(bundle)),
		"OIDC token":         fmt.Sprintf("oidc_token = %q", federated),
		"OIDC token file":    fmt.Sprintf("oidc_token_file_path = %q", tokenPath),
		"GitHub Actions OIDC": fmt.Sprintf("oidc_request_url = %q\n  oidc_request_token = %q",
			e.URL+emulator.FederationPath+"/github", emulator.GitHubRequestToken),
	}
	for name, credential := range credentials {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf(`
provider "entragov" {
  graph_endpoint = %q
  login_endpoint = %q
  tenant_id      = %q
  client_id      = %q
  %s
}

data "entragov_catalog" "general" {
  display_name = "General"
}
`, e.URL, e.URL, emulator.DefaultTenantID, emulator.DefaultClientID, credential),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.entragov_catalog.general", tfjsonpath.New("catalog_type"), knownvalue.StringExact("serviceDefault")),
					},
				}},
			})
		})
	}
}
