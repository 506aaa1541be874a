package provider_test

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// Each credential kind signs in to the local governance API for real (the emulator checks certificate
// assertions and federated tokens as Entra does) and then reads the built-in catalog.
func TestAccProvider_credentialKinds(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsLocalAPI)
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
	// A PKCS#12 file as OpenSSL 3 and Windows export it by default: AES-256 with PBKDF2, not 3DES.
	pfxPath := filepath.Join(dir, "client.pfx")
	if err := os.WriteFile(pfxPath, modernPKCS12(t, certPEM, keyPEM, "pfx-password"), 0o600); err != nil {
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
		"certificate PKCS#12 (AES)": fmt.Sprintf("client_certificate_path = %q\n  client_certificate_password = %q",
			pfxPath, "pfx-password"),
		"OIDC token":      fmt.Sprintf("oidc_token = %q", federated),
		"OIDC token file": fmt.Sprintf("oidc_token_file_path = %q", tokenPath),
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

// modernPKCS12 encodes a certificate and its key the way OpenSSL 3 does by default (AES-256-CBC, PBKDF2
// with HMAC-SHA-256), which azidentity's own parser refuses.
func modernPKCS12(t *testing.T, certPEM, keyPEM []byte, password string) []byte {
	t.Helper()
	certBlock, _ := pem.Decode(certPEM)
	keyBlock, _ := pem.Decode(keyPEM)
	if certBlock == nil || keyBlock == nil {
		t.Fatal("test certificate is not PEM")
	}
	cert, err := x509.ParseCertificate(certBlock.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	key, err := x509.ParsePKCS8PrivateKey(keyBlock.Bytes)
	if err != nil {
		rsaKey, rsaErr := x509.ParsePKCS1PrivateKey(keyBlock.Bytes)
		if rsaErr != nil {
			t.Fatal(err)
		}
		key = rsaKey
	}
	pfx, err := pkcs12.Modern.Encode(key, cert, nil, password)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := azidentity.ParseCertificates(pfx, []byte(password)); err == nil {
		t.Fatal("azidentity reads this PKCS#12 file itself; the case no longer tests the fallback")
	}
	return pfx
}
