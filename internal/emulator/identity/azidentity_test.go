package identity_test

import (
	"context"
	"crypto/tls"
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
)

// TestAzidentityClientSecret checks the token endpoints against the client library
// the provider uses: discovery, token request and response parsing.
func TestAzidentityClientSecret(t *testing.T) {
	t.Parallel()
	srv, err := emulator.New(emulator.Config{Authority: emulatortest.SharedAuthority(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	inst, err := emulator.Listen("127.0.0.1:0", srv)
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: srv.Authority().CertPool()}}, Timeout: 10 * time.Second}
	cred, err := azidentity.NewClientSecretCredential(emulator.DefaultTenantID, emulator.DefaultClientID, emulator.DefaultClientSecret, &azidentity.ClientSecretCredentialOptions{
		ClientOptions:            azcore.ClientOptions{Cloud: cloudFor(inst.URL), Transport: client},
		DisableInstanceDiscovery: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, scope := range []string{"https://graph.microsoft.com/.default", inst.URL + "/.default"} {
		tok, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{scope}})
		if err != nil {
			t.Fatalf("%s: %v", scope, err)
		}
		if time.Until(tok.ExpiresOn) < 50*time.Minute {
			t.Errorf("expires on %s", tok.ExpiresOn)
		}
		req, _ := http.NewRequest("GET", inst.URL+emulatortest.CatalogsPath, nil)
		req.Header.Set("Authorization", "Bearer "+tok.Token)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: Graph answered %d", scope, resp.StatusCode)
		}
	}
	// A wrong secret surfaces as an authentication failure.
	bad, _ := azidentity.NewClientSecretCredential(emulator.DefaultTenantID, emulator.DefaultClientID, "wrong", &azidentity.ClientSecretCredentialOptions{
		ClientOptions: azcore.ClientOptions{Cloud: cloudFor(inst.URL), Transport: client}, DisableInstanceDiscovery: true,
	})
	if _, err := bad.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://graph.microsoft.com/.default"}}); err == nil {
		t.Error("wrong secret got a token")
	}
}

func cloudFor(url string) cloud.Configuration {
	return cloud.Configuration{ActiveDirectoryAuthorityHost: url + "/", Services: map[cloud.ServiceName]cloud.ServiceConfiguration{}}
}
