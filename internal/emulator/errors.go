package emulator

import (
	"encoding/json"
	"net/http"
	"time"
)

// Graph error codes used by the emulator (spec 3.1).
const (
	codeBadRequest        = "BadRequest"
	codeResourceNotFound  = "ResourceNotFound"
	codeInvalidAuthToken  = "InvalidAuthenticationToken"
	codeUnAuthorized      = "UnAuthorized"
	codeRequestBadRequest = "Request_BadRequest"
	codeTooManyRequests   = "TooManyRequests"
	codeServiceNotAvail   = "serviceNotAvailable"
	codeUnsupportedMedia  = "UnsupportedMediaType"
	codeRequestTooLarge   = "RequestEntityTooLarge"
	codeInternal          = "InternalServerError"
)

const msgUnauthorized = "User is not authorized to perform the operation. Reason: Unauthorized"

// writeJSON writes v as the JSON body with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// writeError writes Graph's error body. The ids come from the response headers that the
// router set before any handler ran, so body and headers always agree.
func writeError(w http.ResponseWriter, status int, code, message string) {
	inner := map[string]any{
		"date":              time.Now().UTC().Format("2006-01-02T15:04:05"),
		"request-id":        w.Header().Get("request-id"),
		"client-request-id": w.Header().Get("client-request-id"),
	}
	if status == http.StatusTooManyRequests {
		inner["code"] = "429"
		inner["status"] = "429"
	}
	writeJSON(w, status, map[string]any{
		"error": map[string]any{
			"code":       code,
			"message":    message,
			"innerError": inner,
		},
	})
}

// apiError is an error a handler can return to answer with a Graph error.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func badRequest(msg string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: codeBadRequest, message: msg}
}

func notFound(id string) *apiError {
	return &apiError{status: http.StatusNotFound, code: codeResourceNotFound,
		message: "Resource '" + id + "' does not exist or one of its queried reference-property objects are not present."}
}
