package graph

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Error is a failed Graph call: the HTTP status and the parts of Graph's error body that callers may act on.
// Callers branch on Status and Code, never on Message (Graph rewords messages freely).
type Error struct {
	Method          string
	URL             string
	Status          int
	Code            string
	Message         string
	RequestID       string
	ClientRequestID string
	Date            string
	// RetryAfter holds the Retry-After header of a throttled reply that exhausted the retry budget.
	RetryAfter string
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d", e.Method, e.URL, e.Status)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request-id: %s", e.RequestID)
		if e.ClientRequestID != "" {
			fmt.Fprintf(&b, ", client-request-id: %s", e.ClientRequestID)
		}
		if e.Date != "" {
			fmt.Fprintf(&b, ", date: %s", e.Date)
		}
		b.WriteString(")")
	}
	return b.String()
}

// errorBody is Graph's error envelope (spec 3.1).
type errorBody struct {
	Error struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		InnerError struct {
			Date            string `json:"date"`
			RequestID       string `json:"request-id"`
			ClientRequestID string `json:"client-request-id"`
		} `json:"innerError"`
	} `json:"error"`
}

// newError builds an Error from a non-2xx reply. The body may be empty or not JSON (gateways, proxies):
// the status alone is still a usable error.
func newError(req *http.Request, resp *http.Response, body []byte) *Error {
	e := &Error{
		Method:          req.Method,
		URL:             redactedURL(req),
		Status:          resp.StatusCode,
		RequestID:       resp.Header.Get("request-id"),
		ClientRequestID: resp.Header.Get("client-request-id"),
		RetryAfter:      resp.Header.Get("Retry-After"),
	}
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil && (eb.Error.Code != "" || eb.Error.Message != "") {
		e.Code = eb.Error.Code
		e.Message = eb.Error.Message
		e.Date = eb.Error.InnerError.Date
		if eb.Error.InnerError.RequestID != "" {
			e.RequestID = eb.Error.InnerError.RequestID
		}
		if eb.Error.InnerError.ClientRequestID != "" {
			e.ClientRequestID = eb.Error.InnerError.ClientRequestID
		}
	} else if len(body) > 0 {
		e.Message = truncate(strings.TrimSpace(string(body)), 512)
	} else {
		e.Message = http.StatusText(resp.StatusCode)
	}
	return e
}

// AsError returns the Graph error inside err, if any.
func AsError(err error) (*Error, bool) {
	var ge *Error
	if errors.As(err, &ge) {
		return ge, true
	}
	return nil, false
}

func hasStatus(err error, status int) bool {
	ge, ok := AsError(err)
	return ok && ge.Status == status
}

// IsNotFound reports a 404: the object does not exist (or is not replicated yet, spec 3.5).
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsConflict reports a 409, such as DuplicateKey on parallel policy creates.
func IsConflict(err error) bool { return hasStatus(err, http.StatusConflict) }

// IsBadRequest reports a 400: the service rejected the content of the request.
func IsBadRequest(err error) bool { return hasStatus(err, http.StatusBadRequest) }

// IsForbidden reports a 403: the caller lacks a permission or the tenant a licence.
func IsForbidden(err error) bool { return hasStatus(err, http.StatusForbidden) }

// IsUnauthorized reports a 401: the token is missing, expired or not for this service.
func IsUnauthorized(err error) bool { return hasStatus(err, http.StatusUnauthorized) }

// IsThrottled reports a 429 that outlasted the retry budget.
func IsThrottled(err error) bool { return hasStatus(err, http.StatusTooManyRequests) }

// AmbiguousError wraps a failure after which a non-idempotent request may or may not have been applied
// (a POST whose connection broke or that timed out at a gateway). Callers look the object up by its
// natural key before trying again.
type AmbiguousError struct {
	Err error
}

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("the service may or may not have applied the request: %v", e.Err)
}

func (e *AmbiguousError) Unwrap() error { return e.Err }

// IsAmbiguous reports whether a create may have been applied despite the error.
func IsAmbiguous(err error) bool {
	var ae *AmbiguousError
	return errors.As(err, &ae)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// ErrEmptyID is returned, before any request, by a call by id that was given an empty id. Without this
// check ".../catalogs/" + "" is the collection: a GET answers 200 with every catalog instead of one
// (decoded as an object with no id), and a PATCH or DELETE goes to the collection.
var ErrEmptyID = errors.New("graph: empty object id")

// checkIDs refuses a relative path with an empty segment: every id in a path is one segment, so an empty
// id leaves "//" or a trailing "/".
func checkIDs(method, path string) error {
	if strings.HasPrefix(path, "https://") || strings.HasPrefix(path, "http://") {
		return nil // a nextLink, built by Graph
	}
	if strings.HasSuffix(path, "/") || strings.Contains(path, "//") {
		return fmt.Errorf("%w in %s %s", ErrEmptyID, method, path)
	}
	return nil
}

// requireIDs refuses empty ids that a call puts into a $filter rather than into its path.
func requireIDs(call string, ids ...string) error {
	for _, id := range ids {
		if id == "" {
			return fmt.Errorf("%w in %s", ErrEmptyID, call)
		}
	}
	return nil
}
