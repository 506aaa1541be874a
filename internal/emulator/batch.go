package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// JSON batching (spec 3.3): POST /v1.0/$batch (and /beta/$batch) carries up to 20 requests. Each item
// goes through the normal dispatch as its own request (faults, token, permissions, validation), so an
// item is throttled on its own and the batch still answers 200. Items run in the order given, which
// satisfies any dependsOn that names earlier items; a dependant of a failed item gets 424.

const maxBatchItems = 20

func (s *Server) batchRoutes(t *route.Table) {
	t.Add(route.Graph, nil, "/v1.0/$batch", map[string]route.Handler{http.MethodPost: s.batch})
	t.Add(route.Graph, nil, "/beta/$batch", map[string]route.Handler{http.MethodPost: s.batch})
}

type batchItem struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	DependsOn []string          `json:"dependsOn"`
	Headers   map[string]string `json:"headers"`
	Body      json.RawMessage   `json:"body"`
}

type batchResponse struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    json.RawMessage   `json:"body,omitempty"`
}

func (s *Server) batch(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	root := "/v1.0"
	if route.HasPrefixFold(r.URL.Path, "/beta/") {
		root = "/beta" // the router has checked the token, as for the other beta paths
	}
	var req struct {
		Requests []batchItem `json:"requests"`
	}
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&req); err != nil {
		return wire.BadRequest("Invalid batch payload format.")
	}
	if err := validateBatch(req.Requests); err != nil {
		return err
	}

	status := make(map[string]int, len(req.Requests))
	responses := make([]batchResponse, 0, len(req.Requests))
	for _, item := range req.Requests {
		resp := batchResponse{ID: item.ID}
		if failed := failedDependency(item, status); failed != "" {
			resp.Status = http.StatusFailedDependency
			resp.Body = errorBody("FailedDependency", "The dependent request "+failed+" failed.")
		} else {
			resp = s.runBatchItem(r, root, item)
		}
		status[item.ID] = resp.Status
		responses = append(responses, resp)
	}
	wire.WriteJSON(w, http.StatusOK, map[string]any{"responses": responses})
	return nil
}

func validateBatch(items []batchItem) error {
	if len(items) == 0 {
		return wire.BadRequest("Invalid batch payload format: requests must not be empty.")
	}
	if len(items) > maxBatchItems {
		return wire.BadRequest("Number of batch request steps exceeds the maximum of " + strconv.Itoa(maxBatchItems) + ".")
	}
	seen := make(map[string]bool, len(items))
	for i, item := range items {
		switch {
		case item.ID == "":
			return wire.BadRequest("Invalid batch payload format: request " + strconv.Itoa(i) + " has no id.")
		case seen[item.ID]:
			return wire.BadRequest("Batch request ids must be unique: " + item.ID + ".")
		case item.Method == "" || item.URL == "":
			return wire.BadRequest("Invalid batch payload format: request " + item.ID + " needs a method and a url.")
		case len(item.Body) > 0 && !hasContentType(item.Headers):
			return wire.BadRequest("Write request id : " + item.ID + " does not contain Content-Type header or body.")
		}
		for _, dep := range item.DependsOn {
			if !seen[dep] {
				return wire.BadRequest("Request " + item.ID + " depends on " + dep + ", which is not an earlier request of the batch.")
			}
		}
		seen[item.ID] = true
	}
	return nil
}

func hasContentType(headers map[string]string) bool {
	for name, value := range headers {
		if strings.EqualFold(name, "Content-Type") && value != "" {
			return true
		}
	}
	return false
}

// failedDependency names the first dependency of item that did not succeed, or "".
func failedDependency(item batchItem, status map[string]int) string {
	for _, dep := range item.DependsOn {
		if st := status[dep]; st < 200 || st > 299 {
			return dep
		}
	}
	return ""
}

// runBatchItem dispatches one item as a request of its own, with the outer request's token.
func (s *Server) runBatchItem(outer *http.Request, root string, item batchItem) batchResponse {
	rel := "/" + strings.TrimLeft(item.URL, "/")
	u, err := url.Parse(root + rel)
	if err != nil || strings.Contains(item.URL, "://") {
		return batchError(item.ID, http.StatusBadRequest, wire.CodeBadRequest, "Invalid request URL: "+item.URL)
	}
	if strings.EqualFold(strings.TrimSuffix(u.Path, "/"), root+"/$batch") {
		return batchError(item.ID, http.StatusBadRequest, wire.CodeBadRequest, "A batch cannot contain another batch.")
	}
	inner := outer.Clone(outer.Context())
	inner.Method = strings.ToUpper(item.Method)
	full := *outer.URL
	full.Path, full.RawPath, full.RawQuery = u.Path, u.RawPath, u.RawQuery
	inner.URL = &full
	inner.RequestURI = full.RequestURI()
	inner.Header = outer.Header.Clone()
	inner.Header.Del("Content-Length")
	inner.Header.Del("Content-Type")
	for name, value := range item.Headers {
		inner.Header.Set(name, value)
	}
	body := []byte(item.Body)
	if bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
		body = nil
	}
	inner.Body = io.NopCloser(bytes.NewReader(body))
	inner.ContentLength = int64(len(body))

	rec := httptest.NewRecorder()
	s.dispatch(rec, inner)
	resp := batchResponse{ID: item.ID, Status: rec.Code, Headers: map[string]string{}}
	for _, name := range []string{"Content-Type", "Location", "Retry-After", "request-id", "client-request-id"} {
		if v := rec.Header().Get(name); v != "" {
			resp.Headers[name] = v
		}
	}
	if b := bytes.TrimSpace(rec.Body.Bytes()); len(b) > 0 {
		if json.Valid(b) {
			resp.Body = b
		} else {
			resp.Body, _ = json.Marshal(string(b))
		}
	}
	return resp
}

func batchError(id string, status int, code, message string) batchResponse {
	return batchResponse{ID: id, Status: status, Headers: map[string]string{"Content-Type": "application/json"}, Body: errorBody(code, message)}
}

func errorBody(code, message string) json.RawMessage {
	b, err := json.Marshal(map[string]any{"error": map[string]any{"code": code, "message": message}})
	if err != nil {
		panic(errors.New("emulator: encoding an error body: " + err.Error()))
	}
	return b
}
