// Package wire is what every emulator handler writes and reads on the wire: Graph's
// error shape, JSON responses, request bodies and their validation (flat entity
// types and the path-aware Object reader), JSON merge patches and small JSON helpers.
// It imports nothing else of the emulator.
package wire

import (
	"encoding/json"
	"net/http"
	"time"
)

// Graph error codes used by the emulator (spec 3.1).
const (
	CodeBadRequest        = "BadRequest"
	CodeResourceNotFound  = "ResourceNotFound"
	CodeInvalidAuthToken  = "InvalidAuthenticationToken"
	CodeUnAuthorized      = "UnAuthorized"
	CodeRequestBadRequest = "Request_BadRequest"
	CodeTooManyRequests   = "TooManyRequests"
	CodeServiceNotAvail   = "serviceNotAvailable"
	CodeUnsupportedMedia  = "UnsupportedMediaType"
	CodeRequestTooLarge   = "RequestEntityTooLarge"
	CodeInternal          = "InternalServerError"
)

const MsgUnauthorized = "User is not authorized to perform the operation. Reason: Unauthorized"

// WriteJSON writes v as the JSON body with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// WriteError writes Graph's error body. The ids come from the response headers that the
// router set before any handler ran, so body and headers always agree.
func WriteError(w http.ResponseWriter, status int, code, message string) {
	inner := map[string]any{
		"date":              time.Now().UTC().Format("2006-01-02T15:04:05"),
		"request-id":        w.Header().Get("request-id"),
		"client-request-id": w.Header().Get("client-request-id"),
	}
	if status == http.StatusTooManyRequests {
		inner["code"] = "429"
		inner["status"] = "429"
	}
	WriteJSON(w, status, map[string]any{
		"error": map[string]any{
			"code":       code,
			"message":    message,
			"innerError": inner,
		},
	})
}

// Error is an error a handler can return to answer with a Graph error.
type Error struct {
	Status  int
	Code    string
	Message string
}

// Error implements error; the router writes it as Graph's error body.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// BadRequest is Graph's 400 BadRequest with msg.
func BadRequest(msg string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: CodeBadRequest, Message: msg}
}

// NotFound is Graph's 404 ResourceNotFound for id.
func NotFound(id string) *Error {
	return &Error{Status: http.StatusNotFound, Code: CodeResourceNotFound,
		Message: "Resource '" + id + "' does not exist or one of its queried reference-property objects are not present."}
}

// SentinelError is a Graph error that also matches a sentinel error (errors.Is), so
// a control method can hand Go callers the same answer the Graph path gives.
type SentinelError struct {
	API      *Error
	Sentinel error
}

func (e *SentinelError) Error() string   { return e.API.Error() }
func (e *SentinelError) Unwrap() []error { return []error{e.API, e.Sentinel} }
