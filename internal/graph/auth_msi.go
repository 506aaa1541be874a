package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultIMDSEndpoint is the Azure Instance Metadata Service's token endpoint, which answers only on an
// Azure resource (virtual machine, scale set, AKS node) with a managed identity.
const DefaultIMDSEndpoint = "http://169.254.169.254/metadata/identity/oauth2/token"

const (
	imdsAPIVersion       = "2018-02-01"
	appServiceAPIVersion = "2019-08-01"
	msiAttempts          = 3
	msiRequestTimeout    = 30 * time.Second
)

// ErrManagedIdentityUnreachable: nothing answered at the managed identity endpoint.
var ErrManagedIdentityUnreachable = errors.New("no managed identity endpoint answered")

// ManagedIdentityOptions configure the managed identity token source. At most one of ClientID, ObjectID
// and ResourceID names a user-assigned identity; none means the system-assigned identity.
type ManagedIdentityOptions struct {
	// Endpoint is the IMDS token endpoint; empty means IdentityEndpoint when that is set (App Service,
	// Functions, Container Apps), else DefaultIMDSEndpoint.
	Endpoint string
	// IdentityEndpoint and IdentityHeader are App Service's IDENTITY_ENDPOINT and IDENTITY_HEADER.
	IdentityEndpoint, IdentityHeader string

	ClientID, ObjectID, ResourceID string
	Scope                          string
	HTTPClient                     *http.Client
}

// msiRequest is the protocol of one endpoint: where to ask and how.
type msiRequest struct {
	endpoint   *url.URL
	apiVersion string
	header     [2]string
	idParams   [3]string // query names of the client id, object id and resource id
}

// NewManagedIdentitySource signs in as a managed identity through the instance metadata endpoint (GET
// ...?api-version=2018-02-01&resource=...&client_id=..., header Metadata: true) or, where App Service sets
// IDENTITY_ENDPOINT and IDENTITY_HEADER, its endpoint (api-version 2019-08-01, header X-IDENTITY-HEADER).
func NewManagedIdentitySource(o ManagedIdentityOptions) (TokenSource, error) {
	if err := CheckScope(o.Scope); err != nil {
		return nil, err
	}
	ids := 0
	for _, v := range []string{o.ClientID, o.ObjectID, o.ResourceID} {
		if v != "" {
			ids++
		}
	}
	if ids > 1 {
		return nil, errors.New("name a user-assigned identity by one of client id, object id or resource id")
	}
	req := msiRequest{apiVersion: imdsAPIVersion, header: [2]string{"Metadata", "true"},
		idParams: [3]string{"client_id", "object_id", "msi_res_id"}}
	raw := o.Endpoint
	if raw == "" && o.IdentityEndpoint != "" && o.IdentityHeader != "" {
		raw = o.IdentityEndpoint
		req.apiVersion, req.header = appServiceAPIVersion, [2]string{"X-IDENTITY-HEADER", o.IdentityHeader}
		req.idParams = [3]string{"client_id", "principal_id", "mi_res_id"}
	}
	if raw == "" {
		raw = DefaultIMDSEndpoint
	}
	if err := CheckManagedIdentityEndpoint(raw); err != nil {
		return nil, fmt.Errorf("the managed identity endpoint: %w", err)
	}
	u, _ := url.Parse(raw)
	req.endpoint = u
	q := u.Query()
	q.Set("api-version", req.apiVersion)
	q.Set("resource", ScopeResource(o.Scope))
	for i, v := range []string{o.ClientID, o.ObjectID, o.ResourceID} {
		if v != "" {
			q.Set(req.idParams[i], v)
		}
	}
	u.RawQuery = q.Encode()
	hc := msiHTTPClient(o.HTTPClient)
	src := newCachedTokenSource(nil)
	src.fetch = func(ctx context.Context) (expiringToken, error) {
		return req.fetch(ctx, hc, src.now, waitFor)
	}
	return src, nil
}

// msiHTTPClient never goes through a proxy: the endpoint is link-local or on the same host.
func msiHTTPClient(hc *http.Client) *http.Client {
	out := &http.Client{Timeout: msiRequestTimeout}
	if hc != nil {
		if t, ok := hc.Transport.(*http.Transport); ok {
			t = t.Clone()
			t.Proxy = nil
			out.Transport = t
		} else {
			out.Transport = hc.Transport
		}
	}
	return out
}

func waitFor(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// fetch asks the endpoint, again after a pause when it answers 404 (an identity assigned moments ago),
// 410, 429 or 5xx, as the IMDS documentation advises.
func (m msiRequest) fetch(ctx context.Context, hc *http.Client, now func() time.Time, wait func(context.Context, time.Duration) error) (expiringToken, error) {
	var lastErr error
	for attempt := 0; attempt < msiAttempts; attempt++ {
		if attempt > 0 {
			if err := wait(ctx, time.Duration(attempt)*time.Second); err != nil {
				return expiringToken{}, err
			}
		}
		status, body, err := m.do(ctx, hc)
		if err != nil {
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err // the URL is said once, without its query
			}
			return expiringToken{}, fmt.Errorf("%w at %s: %v", ErrManagedIdentityUnreachable, m.display(), err)
		}
		if status == http.StatusOK {
			return parseManagedIdentityToken(body, now())
		}
		lastErr = fmt.Errorf("the managed identity endpoint %s answered HTTP %d%s", m.display(), status, managedIdentityError(body))
		if status != http.StatusNotFound && status != http.StatusGone && status != http.StatusTooManyRequests && status < 500 {
			break
		}
	}
	return expiringToken{}, lastErr
}

// display is the endpoint without its query.
func (m msiRequest) display() string {
	u := *m.endpoint
	u.RawQuery = ""
	return u.String()
}

func (m msiRequest) do(ctx context.Context, hc *http.Client) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.endpoint.String(), nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set(m.header[0], m.header[1])
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, body, err
}

// managedIdentityError extracts the reason of an error answer: IMDS writes error and error_description,
// App Service statusCode and message. Nothing else of the body is shown.
func managedIdentityError(body []byte) string {
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
		Message     string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	parts := []string{}
	for _, p := range []string{e.Error, e.Description, e.Message} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, ": ")
}

// parseManagedIdentityToken reads a token answer: access_token, and its expiry as expires_on (Unix
// seconds) or expires_in (seconds from now), each a string or a number. The answer is never quoted in
// errors: it holds the token.
func parseManagedIdentityToken(body []byte, now time.Time) (expiringToken, error) {
	var answer struct {
		AccessToken string          `json:"access_token"`
		ExpiresOn   json.RawMessage `json:"expires_on"`
		ExpiresIn   json.RawMessage `json:"expires_in"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return expiringToken{}, errors.New("the managed identity endpoint's answer is not JSON")
	}
	if answer.AccessToken == "" {
		return expiringToken{}, errors.New("the managed identity endpoint's answer holds no access_token")
	}
	if ts, ok := unixSeconds(answer.ExpiresOn); ok {
		return expiringToken{value: answer.AccessToken, expires: time.Unix(ts, 0)}, nil
	}
	if s, ok := unixSeconds(answer.ExpiresIn); ok {
		return expiringToken{value: answer.AccessToken, expires: now.Add(time.Duration(s) * time.Second)}, nil
	}
	return expiringToken{}, errors.New("the managed identity endpoint's answer has neither expires_on nor expires_in")
}

// CheckManagedIdentityEndpoint accepts an absolute http or https URL: IMDS itself is plain http on a
// link-local address, and no secret is sent to it.
func CheckManagedIdentityEndpoint(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http or https URL such as %s", raw, DefaultIMDSEndpoint)
	}
	return nil
}
