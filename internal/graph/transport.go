package graph

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// callInfo travels in the request context so the retry policy knows what it may safely repeat and
// how long the call has been going.
type callInfo struct {
	method string
	start  time.Time
}

type callInfoKey struct{}

func withCallInfo(ctx context.Context, method string) context.Context {
	return context.WithValue(ctx, callInfoKey{}, callInfo{method: method, start: time.Now()})
}

func callInfoFrom(ctx context.Context) callInfo {
	if ci, ok := ctx.Value(callInfoKey{}).(callInfo); ok {
		return ci
	}
	return callInfo{method: http.MethodGet, start: time.Now()}
}

// idleConnsPerHost is how many idle connections to one host are kept for reuse.
const idleConnsPerHost = 32

func newRetryingClient(cfg Config, c *Client) *retryablehttp.Client {
	hc := cfg.HTTPClient
	if hc == nil {
		hc = cleanhttp.DefaultPooledClient()
		// Terraform runs 10 operations at a time by default; keep that many HTTP/1.1 connections warm
		// (the default keeps GOMAXPROCS+1) so a plan does not pay a TLS handshake per request.
		// Servers that speak HTTP/2, as Graph does, multiplex everything over one connection anyway.
		if t, ok := hc.Transport.(*http.Transport); ok {
			t.MaxIdleConnsPerHost = idleConnsPerHost
		}
	}
	rc := retryablehttp.NewClient()
	rc.HTTPClient = hc
	// retryablehttp's own logger has no context; our hooks log through the caller's context instead.
	rc.Logger = nil
	rc.RetryMax = orDefault(cfg.RetryMax, 8)
	rc.RetryWaitMin = orDefault(cfg.RetryWaitMin, time.Second)
	rc.RetryWaitMax = orDefault(cfg.RetryWaitMax, 30*time.Second)
	rc.CheckRetry = c.checkRetry
	rc.Backoff = c.backoff
	// Hand the last reply back instead of a generic "giving up" error so that Graph's code, message and
	// request id reach the user.
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	rc.RequestLogHook = func(_ retryablehttp.Logger, req *http.Request, attempt int) {
		if attempt > 0 {
			c.log(req.Context(), LevelInfo, "retrying Graph request", map[string]any{
				"method": req.Method, "url": redactedURL(req), "attempt": attempt + 1,
				"client_request_id": req.Header.Get("client-request-id"),
			})
		}
	}
	return rc
}

// checkRetry follows Graph's guidance (spec 3.2): 429 and 503 are retried for every method because
// the service did not process the request; 504 and broken connections only for idempotent methods,
// because a POST may have been applied (the caller then resolves the ambiguity by a lookup).
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	info := callInfoFrom(ctx)
	elapsed := time.Since(info.start)
	if elapsed >= c.maxRetryElapsed {
		return false, nil
	}
	if err != nil {
		if isPermanentTransportError(err) {
			return false, err
		}
		return isIdempotent(info.method) || isDialError(err), nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		if wait, ok := retryAfter(resp); ok && elapsed+wait > c.maxRetryElapsed {
			return false, nil
		}
		return true, nil
	case http.StatusGatewayTimeout, http.StatusBadGateway:
		return isIdempotent(info.method), nil
	}
	return false, nil
}

// backoff honours Retry-After when Graph sends it and otherwise waits an exponentially growing,
// fully jittered time so that parallel Terraform operations do not retry in lockstep.
func (c *Client) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if wait, ok := retryAfter(resp); ok {
			return wait
		}
	}
	ceiling := minWait << min(attempt, 16)
	if ceiling <= 0 || ceiling > maxWait {
		ceiling = maxWait
	}
	half := ceiling / 2
	return half + rand.N(half+1)
}

// retryAfter reads Retry-After in either of its forms (seconds or an HTTP date).
func retryAfter(resp *http.Response) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(time.Until(at), 0), true
	}
	return 0, false
}

func isIdempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	// PATCH of governance objects sets absolute values, so repeating it is harmless.
	return method == http.MethodPatch
}

// isDialError reports a failure to connect at all: nothing was sent, so any method may be retried.
func isDialError(err error) bool {
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial"
}

// isPermanentTransportError reports failures that retrying cannot fix, such as an untrusted certificate.
func isPermanentTransportError(err error) bool {
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var record tls.RecordHeaderError
	return errors.As(err, &unknownAuthority) || errors.As(err, &hostname) ||
		errors.As(err, &invalid) || errors.As(err, &record)
}
