// Package azuread is a test double of the hashicorp/azuread provider for the move tests: the
// real provider cannot be downloaded here, and Terraform refuses to plan a state holding
// azuread_* resources without a provider for that address. It declares the five access
// package resources with the attributes the azuread provider documents (versions 2.x and 3.x:
// names, types, required/optional, defaults, ForceNew, the "timeouts" block and the composite
// ids), and does their CRUD against the local API's beta paths the way the real provider
// calls Microsoft Graph beta (catalogStatus, catalogId, AdminAdd/AdminRemove resource
// requests by origin, role scopes with accessPackageResourceRole/Scope, policies with
// requestorSettings/requestApprovalSettings/accessReviewSettings), after discovering the
// endpoints from the cloud metadata document at metadata_host. It is not the azuread
// provider: its code is written from the published schema and Graph beta documentation only,
// and it implements nothing else (no other resources, data sources, or credentials than a
// client secret).
package azuread

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// ProviderFactory serves the stand-in under the name "azuread".
func ProviderFactory() (tfprotov6.ProviderServer, error) {
	return providerserver.NewProtocol6WithError(&standIn{})()
}

// ProviderConfig is a provider block for the stand-in that discovers a local API through its
// metadata document, as ARM_METADATA_HOSTNAME / metadata_host does for the real provider.
func ProviderConfig(metadataHost, tenantID, clientID, clientSecret string) string {
	return fmt.Sprintf(`
provider "azuread" {
  metadata_host = %q
  tenant_id     = %q
  client_id     = %q
  client_secret = %q
}
`, metadataHost, tenantID, clientID, clientSecret)
}

type standIn struct{}

type providerModel struct {
	MetadataHost types.String `tfsdk:"metadata_host"`
	Environment  types.String `tfsdk:"environment"`
	TenantID     types.String `tfsdk:"tenant_id"`
	ClientID     types.String `tfsdk:"client_id"`
	ClientSecret types.String `tfsdk:"client_secret"`
}

func (p *standIn) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "azuread"
}

func (p *standIn) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Test double of the azuread provider's access package resources (see package doc).",
		Attributes: map[string]schema.Attribute{
			"metadata_host": schema.StringAttribute{Required: true, Description: "Host name of the cloud metadata endpoint."},
			"environment":   schema.StringAttribute{Optional: true, Description: "Cloud name; only the metadata document is used here."},
			"tenant_id":     schema.StringAttribute{Required: true, Description: "Tenant id."},
			"client_id":     schema.StringAttribute{Required: true, Description: "Client id."},
			"client_secret": schema.StringAttribute{Required: true, Sensitive: true, Description: "Client secret."},
		},
	}
}

func (p *standIn) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c, err := newClient(ctx, m.MetadataHost.ValueString(), m.TenantID.ValueString(), m.ClientID.ValueString(), m.ClientSecret.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Configuring the azuread stand-in", err.Error())
		return
	}
	resp.ResourceData = c
}

func (p *standIn) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		func() resource.Resource { return &genericResource{def: catalogDef()} },
		func() resource.Resource { return &genericResource{def: accessPackageDef()} },
		func() resource.Resource { return &genericResource{def: policyDef()} },
		func() resource.Resource { return &genericResource{def: catalogAssociationDef()} },
		func() resource.Resource { return &genericResource{def: packageAssociationDef()} },
	}
}

func (p *standIn) DataSources(context.Context) []func() datasource.DataSource { return nil }

// ---- Graph client ----

type client struct {
	graph string // Microsoft Graph endpoint from the metadata document, with a trailing slash
	token string
	http  *http.Client
}

// newClient reads https://<metadataHost>/metadata/endpoints?api-version=2022-09-01, then gets
// an app-only token from the login endpoint it names for the Graph resource it names.
func newClient(ctx context.Context, metadataHost, tenant, clientID, secret string) (*client, error) {
	hc := &http.Client{Timeout: 30 * time.Second}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://"+metadataHost+"/metadata/endpoints?api-version=2022-09-01", nil)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("retrieving the cloud metadata: %w", err)
	}
	var meta struct {
		Authentication struct {
			LoginEndpoint string `json:"loginEndpoint"`
		} `json:"authentication"`
		MicrosoftGraphResourceID string `json:"microsoftGraphResourceId"`
	}
	err = json.NewDecoder(resp.Body).Decode(&meta)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("cloud metadata: status %d: %v", resp.StatusCode, err)
	}
	graph := strings.TrimSuffix(meta.MicrosoftGraphResourceID, "/") + "/"
	login := strings.TrimSuffix(meta.Authentication.LoginEndpoint, "/")
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}, "scope": {graph + ".default"}}
	req, err = http.NewRequestWithContext(ctx, http.MethodPost, login+"/"+tenant+"/oauth2/v2.0/token", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("requesting a token: %w", err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil || tok.AccessToken == "" {
		return nil, fmt.Errorf("token endpoint answered %d: %v", resp.StatusCode, err)
	}
	return &client{graph: graph, token: tok.AccessToken, http: hc}, nil
}

// apiError is a non-2xx answer.
type apiError struct {
	status int
	body   string
}

func (e *apiError) Error() string { return fmt.Sprintf("Graph answered %d: %s", e.status, e.body) }

func notFound(err error) bool {
	ae, ok := err.(*apiError)
	return ok && ae.status == http.StatusNotFound
}

// do calls beta/identityGovernance/entitlementManagement/<path>; out may be nil.
func (c *client) do(ctx context.Context, method, path string, query url.Values, body any, out any) error {
	u := c.graph + "beta/identityGovernance/entitlementManagement/" + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(raw)
	}
	// Throttling and server errors are retried, as the real provider's client does.
	for attempt := 0; ; attempt++ {
		if rd != nil {
			if s, ok := rd.(io.Seeker); ok {
				_, _ = s.Seek(0, io.SeekStart)
			}
		}
		req, err := http.NewRequestWithContext(ctx, method, u, rd)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+c.token)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := c.http.Do(req)
		if err != nil {
			return err
		}
		raw, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		retry := (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500) && attempt < 10
		if retry {
			time.Sleep(200 * time.Millisecond)
			continue
		}
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			return &apiError{status: resp.StatusCode, body: string(raw)}
		}
		if out != nil && len(bytes.TrimSpace(raw)) > 0 {
			return json.Unmarshal(raw, out)
		}
		return nil
	}
}

// waitFor polls check until it reports true (the real provider's consistency waits).
func waitFor(ctx context.Context, check func() (bool, error)) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		ok, err := check()
		if err != nil && !notFound(err) {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out waiting for the object")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
