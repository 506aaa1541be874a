// Package graph is entragov's Microsoft Graph v1.0 client: one retrying HTTP transport, authentication,
// Graph's error shape, paging, eventual-consistency waits and typed calls per governance object.
// It imports no Terraform package so that it can be used and tested on its own.
package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/go-retryablehttp"
)

// APIVersion is the only Graph version entragov speaks; beta shapes are never used.
const APIVersion = "v1.0"

// DefaultEndpoint is the public-cloud Graph root.
const DefaultEndpoint = "https://graph.microsoft.com"

// Config sets up a Client. Zero values take the defaults noted on each field.
type Config struct {
	// Endpoint is the Graph root without the version, e.g. https://graph.microsoft.com. Required.
	Endpoint string
	// Token supplies bearer tokens. Required.
	Token TokenSource
	// HTTPClient is the underlying transport (default: a pooled client with HTTP/2 and keep-alives).
	HTTPClient *http.Client
	// Logger receives one line per attempt and the redacted bodies (default: none).
	Logger Logger
	// UserAgent is sent on every request (default "entragov").
	UserAgent string
	// RetryMax bounds the retries of one call (default 8).
	RetryMax int
	// RetryWaitMin and RetryWaitMax bound the jittered backoff when Graph sends no Retry-After
	// (defaults 1s and 30s).
	RetryWaitMin, RetryWaitMax time.Duration
	// MaxRetryElapsed bounds the total time one call may spend retrying (default 5m).
	MaxRetryElapsed time.Duration
	// ConsistencyTimeout bounds the waits for a new object to be readable or a deleted one to be gone
	// (default 5m).
	ConsistencyTimeout time.Duration
	// PollInterval paces the consistency polls: the first pause is a quarter of it, and pauses double up
	// to 8x it (default 1s; see pollSchedule in wait.go).
	PollInterval time.Duration
	// ConsecutiveReads is how many successful reads in a row prove a new object is replicated (default 2).
	ConsecutiveReads int
	// PreventDuplicateNames asks resources to look for an object of the same name before creating one
	// (see CheckNoDuplicate in internal/framework).
	PreventDuplicateNames bool
	// BulkRefresh serves reads of many objects of one type from one collection read (see bulk.go); any
	// write turns it off for the rest of the client's life.
	BulkRefresh bool
}

// Client calls Graph v1.0. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	token     TokenSource
	http      *retryablehttp.Client
	logger    Logger
	userAgent string

	maxRetryElapsed    time.Duration
	consistencyTimeout time.Duration
	pollInterval       time.Duration
	consecutiveReads   int
	clock              waitClock // of the consistency waits (wait.go); nil is the real clock

	preventDuplicateNames bool

	parentLocks keyLocks
	fresh       freshParents // parents this client created, for the duplicate-name look-ups (fresh_parents.go)

	bulk bulkReads

	serverTime serverClock // Graph's clock, from the Date of its answers (adopt.go)
}

// New validates cfg and builds a Client.
func New(cfg Config) (*Client, error) {
	base, err := CheckEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if cfg.Token == nil {
		return nil, errors.New("graph: no token source configured")
	}
	c := &Client{
		base:               base,
		token:              cfg.Token,
		logger:             cfg.Logger,
		userAgent:          orDefault(cfg.UserAgent, "entragov"),
		maxRetryElapsed:    orDefault(cfg.MaxRetryElapsed, 5*time.Minute),
		consistencyTimeout: orDefault(cfg.ConsistencyTimeout, 5*time.Minute),
		pollInterval:       orDefault(cfg.PollInterval, time.Second),
		consecutiveReads:   orDefault(cfg.ConsecutiveReads, 2),

		preventDuplicateNames: cfg.PreventDuplicateNames,
	}
	c.bulk.enabled = cfg.BulkRefresh
	c.http = newRetryingClient(cfg, c)
	return c, nil
}

// PreventDuplicateNames reports whether creates must first look for an object with the same name.
func (c *Client) PreventDuplicateNames() bool { return c.preventDuplicateNames }

// Endpoint is the Graph root this client talks to.
func (c *Client) Endpoint() string { return c.base.String() }

// CheckEndpoint parses a Graph or login endpoint. Tokens and secrets travel to it, so plain http is
// accepted only for loopback hosts (a local emulator), never for anything reachable over a network.
func CheckEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(raw), "/"))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("%q is not an absolute http(s) URL", raw)
	}
	if u.Scheme == "http" && !IsLoopbackHost(u.Hostname()) {
		return nil, fmt.Errorf("%q uses plain http: only https is allowed, except for loopback hosts (127.0.0.1, ::1, localhost)", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%q must not carry a query or fragment", raw)
	}
	return u, nil
}

// detachedWriteTimeout bounds a non-idempotent call that no longer listens to cancellation.
const detachedWriteTimeout = time.Minute

// Detached returns a context that keeps ctx's values but ignores its cancellation, bounded by timeout:
// for the steps that must finish once a create was sent, such as learning the new object's id.
func Detached(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), timeout)
}

// request is one logical Graph call; retries of it share the client-request-id.
type request struct {
	method string
	// path is relative to /v1.0 (e.g. "/identityGovernance/..."), or an absolute nextLink.
	path  string
	query url.Values
	body  any
}

// do performs a call and decodes a 2xx JSON reply into out (when out is non-nil and there is a body).
func (c *Client) do(ctx context.Context, r request, out any) error {
	if err := checkIDs(r.method, r.path); err != nil {
		return err
	}
	target, err := c.resolve(r.path, r.query)
	if err != nil {
		return err
	}
	var payload []byte
	if r.body != nil {
		if payload, err = json.Marshal(r.body); err != nil {
			return fmt.Errorf("graph: encoding %s %s: %w", r.method, r.path, err)
		}
	}
	token, err := c.token.Token(ctx)
	if err != nil {
		return fmt.Errorf("acquiring a Graph access token: %w", err)
	}

	if r.method != http.MethodGet && r.method != http.MethodHead {
		// Nothing read in bulk before a write may be served after it (bulk.go).
		c.bulk.writeSent()
	}
	if !isIdempotent(r.method) {
		// A create that reaches the service must also get its answer when Terraform is interrupted,
		// or the new object's id is lost and the object orphaned.
		var cancel context.CancelFunc
		ctx, cancel = Detached(ctx, detachedWriteTimeout)
		defer cancel()
	}
	clientRequestID := uuid.NewString()
	ctx = withCallInfo(ctx, r.method)
	req, err := retryablehttp.NewRequestWithContext(ctx, r.method, target.String(), payloadOrNil(payload))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Prefer", "include-unknown-enum-members")
	req.Header.Set("client-request-id", clientRequestID)
	req.Header.Set("User-Agent", c.userAgent)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	c.log(ctx, LevelDebug, "Graph request", map[string]any{
		"method": r.method, "url": redactedURL(req.Request), "client_request_id": clientRequestID,
		"body": redactBody(payload),
	})

	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%s %s: %w", r.method, redactedURL(req.Request), ctx.Err())
		}
		err = fmt.Errorf("%s %s (client-request-id %s): %w", r.method, redactedURL(req.Request), clientRequestID, err)
		if !isIdempotent(r.method) && !isDialError(err) {
			return &AmbiguousError{Err: err}
		}
		return err
	}
	defer resp.Body.Close()
	c.serverTime.observe(resp.Header.Get("Date"), time.Now())
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return &AmbiguousError{Err: fmt.Errorf("%s %s: reading the reply: %w", r.method, redactedURL(req.Request), err)}
	}
	c.log(ctx, LevelDebug, "Graph response", map[string]any{
		"method": r.method, "url": redactedURL(req.Request), "status": resp.StatusCode,
		"request_id": resp.Header.Get("request-id"), "client_request_id": clientRequestID,
		"body": redactBody(body),
	})
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		ge := newError(req.Request, resp, body)
		if ge.ClientRequestID == "" {
			ge.ClientRequestID = clientRequestID
		}
		if resp.StatusCode == http.StatusGatewayTimeout && !isIdempotent(r.method) {
			return &AmbiguousError{Err: ge}
		}
		return ge
	}
	if out == nil || len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%s %s: decoding the reply (request-id %s): %w", r.method, redactedURL(req.Request), resp.Header.Get("request-id"), err)
	}
	return nil
}

// resolve builds the URL of a call. A nextLink is used verbatim (spec 3.4) but only on this client's
// host, so that a forged link can never receive our bearer token.
func (c *Client) resolve(path string, query url.Values) (*url.URL, error) {
	if strings.HasPrefix(path, "https://") || strings.HasPrefix(path, "http://") {
		u, err := url.Parse(path)
		if err != nil {
			return nil, fmt.Errorf("graph: invalid link %q: %w", path, err)
		}
		if !strings.EqualFold(u.Scheme, c.base.Scheme) || !strings.EqualFold(u.Host, c.base.Host) {
			return nil, fmt.Errorf("graph: refusing to follow link to another host: %s", u.Redacted())
		}
		return u, nil
	}
	u := *c.base
	// path arrives with its segments already escaped (ids may hold reserved characters).
	raw := strings.TrimRight(c.base.EscapedPath(), "/") + "/" + APIVersion + path
	unescaped, err := url.PathUnescape(raw)
	if err != nil {
		return nil, fmt.Errorf("graph: invalid path %q: %w", path, err)
	}
	u.Path, u.RawPath = unescaped, raw
	if len(query) > 0 {
		// Graph reads %20 as a space but some gateways mangle '+'; encode spaces explicitly.
		u.RawQuery = strings.ReplaceAll(query.Encode(), "+", "%20")
	}
	return &u, nil
}

func payloadOrNil(p []byte) any {
	if p == nil {
		return nil
	}
	return p
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
