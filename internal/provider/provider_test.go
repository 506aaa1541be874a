package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

func providerBlock(e *acctest.Emulator, graphEndpoint, clientID, secret string) string {
	return fmt.Sprintf(`
provider "entragov" {
  graph_endpoint = %q
  login_endpoint = %q
  tenant_id      = %q
  client_id      = %q
  client_secret  = %q
}

resource "entragov_catalog" "test" {
  display_name = "Probe"
}
`, graphEndpoint, e.URL, emulator.DefaultTenantID, clientID, secret)
}

func TestAccProvider_wrongSecret(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsLocalAPI)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      providerBlock(e, e.URL, emulator.DefaultClientID, "wrong-secret"),
			ExpectError: regexp.MustCompile(`(?s)Unable to create catalog.*invalid_client.*AADSTS7000215`),
		}},
	})
}

func TestAccProvider_plainHTTPRefusedForRemoteHosts(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsControl, acctest.NeedsLocalAPI)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      providerBlock(e, "http://graph.example.com", emulator.DefaultClientID, emulator.DefaultClientSecret),
			ExpectError: regexp.MustCompile(`(?s)Invalid Graph endpoint.*only https is allowed, except\s+for\s+loopback`),
		}},
	})
	if n := e.GraphRequests(); n != 0 {
		t.Errorf("a refused configuration reached the API: %d requests", n)
	}
}

func TestAccProvider_permissionErrorShowsGraphCodeAndRequestID(t *testing.T) {
	e := acctest.NewEmulator(t, acctest.NeedsLocalAPI)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(e, e.URL, emulator.ReaderClientID, emulator.ReaderClientSecret),
			ExpectError: regexp.MustCompile(
				`(?s)Unable to create catalog.*HTTP 403 with code UnAuthorized.*request-id: [0-9a-f-]{36}.*client-request-id: [0-9a-f-]{36}.*EntitlementManagement.ReadWrite.All`),
		}},
	})
}
