package graph

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"software.sslmate.com/src/go-pkcs12"
)

// DefaultLoginEndpoint is the public-cloud Entra ID authority host.
const DefaultLoginEndpoint = "https://login.microsoftonline.com"

// TokenSource supplies the bearer token of the next request. Implementations cache and refresh.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// StaticToken is a token obtained elsewhere (for example by `az account get-access-token`). It is sent
// as is and never refreshed.
type StaticToken string

// Token returns the token.
func (t StaticToken) Token(context.Context) (string, error) { return string(t), nil }

// CredentialOptions are what every Entra credential needs besides its secret.
type CredentialOptions struct {
	TenantID      string
	ClientID      string
	LoginEndpoint string // authority host, default DefaultLoginEndpoint
	GraphEndpoint string // the token is requested for "<GraphEndpoint>/.default" unless Scope is set
	// Scope overrides the scope tokens are requested for (the token audience), for gateways and clouds
	// whose Graph audience differs from the endpoint the requests go to.
	Scope      string
	HTTPClient *http.Client
}

// TokenScope is the scope requested for Graph tokens: scope when set, else "<graphEndpoint>/.default".
func TokenScope(graphEndpoint, scope string) (string, error) {
	if scope != "" {
		return scope, CheckScope(scope)
	}
	graph, err := CheckEndpoint(orDefault(graphEndpoint, DefaultEndpoint))
	if err != nil {
		return "", fmt.Errorf("graph endpoint: %w", err)
	}
	return graph.String() + "/.default", nil
}

// CheckScope accepts what the client credentials flow accepts: one resource followed by /.default, the
// resource an absolute URI or an application id.
func CheckScope(scope string) error {
	res, ok := strings.CutSuffix(scope, "/.default")
	if !ok || strings.ContainsAny(scope, " \t\n") || res == "" {
		return fmt.Errorf("the scope %q is not <resource>/.default, for example %s/.default", scope, DefaultEndpoint)
	}
	if u, err := url.Parse(res); err == nil && u.IsAbs() && u.Host != "" {
		return nil
	}
	if isGUID(res) {
		return nil
	}
	return fmt.Errorf("the scope %q does not start with an absolute URI or an application id", scope)
}

// ScopeResource is the resource of a /.default scope, as the managed identity endpoints and the Azure CLI
// take it.
func ScopeResource(scope string) string { return strings.TrimSuffix(scope, "/.default") }

func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
				return false
			}
		}
	}
	return true
}

// azureTokenSource adapts an azidentity credential, which caches tokens and refreshes them before expiry.
type azureTokenSource struct {
	cred  azcore.TokenCredential
	scope string
}

func (s azureTokenSource) Token(ctx context.Context) (string, error) {
	tok, err := s.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{s.scope}})
	if err != nil {
		return "", err
	}
	return tok.Token, nil
}

func (o CredentialOptions) prepare() (scope string, clientOpts azcore.ClientOptions, err error) {
	if o.TenantID == "" || o.ClientID == "" {
		return "", clientOpts, errors.New("a tenant id and a client id are required")
	}
	login, err := CheckEndpoint(orDefault(o.LoginEndpoint, DefaultLoginEndpoint))
	if err != nil {
		return "", clientOpts, fmt.Errorf("login endpoint: %w", err)
	}
	scope, err = TokenScope(o.GraphEndpoint, o.Scope)
	if err != nil {
		return "", clientOpts, err
	}
	clientOpts.Cloud = cloud.Configuration{ActiveDirectoryAuthorityHost: login.String() + "/"}
	if o.HTTPClient != nil {
		clientOpts.Transport = o.HTTPClient
	}
	return scope, clientOpts, nil
}

// NewClientSecretSource authenticates the application with a client secret.
func NewClientSecretSource(o CredentialOptions, secret string) (TokenSource, error) {
	scope, clientOpts, err := o.prepare()
	if err != nil {
		return nil, err
	}
	// Instance discovery asks login.microsoft.com about the authority; it is skipped so that national
	// clouds and the local API work without it. The authority is the user's explicit choice.
	cred, err := azidentity.NewClientSecretCredential(o.TenantID, o.ClientID, secret,
		&azidentity.ClientSecretCredentialOptions{ClientOptions: clientOpts, DisableInstanceDiscovery: true})
	if err != nil {
		return nil, err
	}
	return azureTokenSource{cred: cred, scope: scope}, nil
}

// NewClientCertificateSource authenticates the application with a certificate (PEM or PKCS#12 bytes).
func NewClientCertificateSource(o CredentialOptions, certData []byte, password string) (TokenSource, error) {
	scope, clientOpts, err := o.prepare()
	if err != nil {
		return nil, err
	}
	var pw []byte
	if password != "" {
		pw = []byte(password)
	}
	certs, key, err := parseClientCertificate(certData, pw)
	if err != nil {
		return nil, fmt.Errorf("reading the client certificate: %w", err)
	}
	cred, err := azidentity.NewClientCertificateCredential(o.TenantID, o.ClientID, certs, key,
		&azidentity.ClientCertificateCredentialOptions{ClientOptions: clientOpts, DisableInstanceDiscovery: true})
	if err != nil {
		return nil, err
	}
	return azureTokenSource{cred: cred, scope: scope}, nil
}

// NewClientAssertionSource authenticates with a federated (OIDC) token that getAssertion supplies.
func NewClientAssertionSource(o CredentialOptions, getAssertion func(context.Context) (string, error)) (TokenSource, error) {
	scope, clientOpts, err := o.prepare()
	if err != nil {
		return nil, err
	}
	cred, err := azidentity.NewClientAssertionCredential(o.TenantID, o.ClientID, getAssertion,
		&azidentity.ClientAssertionCredentialOptions{ClientOptions: clientOpts, DisableInstanceDiscovery: true})
	if err != nil {
		return nil, err
	}
	return azureTokenSource{cred: cred, scope: scope}, nil
}

// FileAssertion reads a federated token from a file each time one is needed, because platforms such as
// Kubernetes rotate the file in place.
func FileAssertion(path string) func(context.Context) (string, error) {
	return func(context.Context) (string, error) {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("reading the OIDC token file: %w", err)
		}
		tok := strings.TrimSpace(string(b))
		if tok == "" {
			return "", fmt.Errorf("the OIDC token file %s is empty", path)
		}
		return tok, nil
	}
}

// GitHubActionsAssertion asks the GitHub Actions OIDC provider for a token with Entra's federation
// audience. The token is reused until shortly before it expires.
func GitHubActionsAssertion(hc *http.Client, requestURL, requestToken string) func(context.Context) (string, error) {
	var (
		mu      sync.Mutex
		cached  string
		expires time.Time
	)
	if hc == nil {
		hc = http.DefaultClient
	}
	return func(ctx context.Context) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		if cached != "" && time.Until(expires) > time.Minute {
			return cached, nil
		}
		u, err := url.Parse(requestURL)
		if err != nil {
			return "", fmt.Errorf("the OIDC request URL is invalid: %w", err)
		}
		q := u.Query()
		q.Set("audience", "api://AzureADTokenExchange")
		u.RawQuery = q.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return "", err
		}
		req.Header.Set("Authorization", "Bearer "+requestToken)
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			return "", fmt.Errorf("requesting an OIDC token from GitHub Actions: %w", err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		if resp.StatusCode != http.StatusOK {
			return "", fmt.Errorf("requesting an OIDC token from GitHub Actions: HTTP %d", resp.StatusCode)
		}
		var out struct {
			Value string `json:"value"`
		}
		if err := json.Unmarshal(body, &out); err != nil || out.Value == "" {
			return "", errors.New("the GitHub Actions OIDC reply carried no token")
		}
		cached = out.Value
		expires = time.Now().Add(5 * time.Minute)
		return cached, nil
	}
}

// IsLoopbackHost reports whether host (a name or an IP, without port) is this machine.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// parseClientCertificate reads a PEM bundle or a PKCS#12 file. azidentity's parser only knows the legacy
// PKCS#12 encryption (3DES, SHA-1), while OpenSSL 3 and current Windows export with AES-256 and PBKDF2 by
// default, so a PKCS#12 file it refuses is decoded again with a parser that knows both.
func parseClientCertificate(data, password []byte) ([]*x509.Certificate, crypto.PrivateKey, error) {
	certs, key, err := azidentity.ParseCertificates(data, password)
	if err == nil || bytes.Contains(data, []byte("-----BEGIN")) {
		return certs, key, err
	}
	key, leaf, chain, p12Err := pkcs12.DecodeChain(data, string(password))
	if p12Err != nil {
		return nil, nil, fmt.Errorf("%w (as PKCS#12: %v)", err, p12Err)
	}
	return append([]*x509.Certificate{leaf}, chain...), key, nil
}

// ErrOIDCRequestUnauthorized: the OIDC token service refused the request token (HTTP 401 or 403).
var ErrOIDCRequestUnauthorized = errors.New("the OIDC token service refused the request token")

// AzureDevOpsAssertion asks an Azure Pipelines job's OIDC token service (SYSTEM_OIDCREQUESTURI) for a
// token of the service connection: POST {requestURL}?api-version=7.1&serviceConnectionId={id} with the
// job's access token (SYSTEM_ACCESSTOKEN) as bearer, answered with {"oidcToken": "..."}. A token is asked
// for whenever Entra ID needs a new assertion, as Azure DevOps tokens are short-lived.
func AzureDevOpsAssertion(hc *http.Client, requestURL, requestToken, serviceConnectionID string) func(context.Context) (string, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	return func(ctx context.Context) (string, error) {
		u, err := url.Parse(requestURL)
		if err != nil || !u.IsAbs() {
			return "", fmt.Errorf("the Azure DevOps OIDC request URL %q is not an absolute URL", requestURL)
		}
		q := u.Query()
		q.Set("api-version", "7.1")
		q.Set("serviceConnectionId", serviceConnectionID)
		u.RawQuery = q.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), nil)
		if err != nil {
			return "", err
		}
		req.Header.Set("Authorization", "Bearer "+requestToken)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			return "", fmt.Errorf("requesting an OIDC token from Azure DevOps: %w", err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		var out struct {
			OIDCToken string `json:"oidcToken"`
			Message   string `json:"message"`
		}
		_ = json.Unmarshal(body, &out)
		switch {
		case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
			return "", fmt.Errorf("requesting an OIDC token from Azure DevOps: HTTP %d: %w", resp.StatusCode, ErrOIDCRequestUnauthorized)
		case resp.StatusCode != http.StatusOK:
			msg := ""
			if out.Message != "" {
				msg = ": " + out.Message
			}
			return "", fmt.Errorf("requesting an OIDC token from Azure DevOps for the service connection %s: HTTP %d%s", serviceConnectionID, resp.StatusCode, msg)
		case out.OIDCToken == "":
			return "", errors.New("the Azure DevOps OIDC reply carried no oidcToken")
		}
		return out.OIDCToken, nil
	}
}
