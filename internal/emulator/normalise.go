package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/normalise"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Normalised answers (issue 13, item 4): a switch, off by default, under which /v1.0 answers (and the
// items of /v1.0/$batch) are rewritten by the rules of package normalise; stored objects are untouched.

// ---- the switch ----

// SetNormalised switches the normalised answers on or off (Config.Normalise sets it at start).
func (s *Server) SetNormalised(on bool) { s.normalised.Store(on) }

// Normalised reports whether the server gives normalised answers.
func (s *Server) Normalised() bool { return s.normalised.Load() }

func (s *Server) ctlGetNormalised(w http.ResponseWriter, _ *http.Request, _ route.Params) error {
	wire.WriteJSON(w, http.StatusOK, map[string]bool{"normalised": s.Normalised()})
	return nil
}

func (s *Server) ctlPutNormalised(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	var body struct {
		Normalised *bool `json:"normalised"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Normalised == nil {
		return wire.BadRequest(`body must be {"normalised": true|false}`)
	}
	s.SetNormalised(*body.Normalised)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) normalisedRoutes(t *route.Table) {
	t.Add(route.Control, nil, "/_emulator/normalised", map[string]route.Handler{
		http.MethodGet: s.ctlGetNormalised,
		http.MethodPut: s.ctlPutNormalised,
	})
}

// ---- the layer ----

// normaliseAnswers wraps w for one request: when the switch is on and r is a /v1.0 request, the answer is
// buffered and finish rewrites it by the rules. Otherwise w comes back as it is and finish does nothing.
func (s *Server) normaliseAnswers(w http.ResponseWriter, r *http.Request) (http.ResponseWriter, func()) {
	if !s.Normalised() || !route.HasPrefixFold(r.URL.Path, "/v1.0/") {
		return w, func() {}
	}
	bw := &bufferedWriter{ResponseWriter: w}
	var items map[string]batchItem
	if strings.EqualFold(strings.TrimSuffix(r.URL.Path, "/"), "/v1.0/$batch") && r.Method == http.MethodPost {
		items = peekBatchItems(r)
	}
	return bw, func() {
		body := bw.body.Bytes()
		if items != nil {
			body = normaliseBatch(body, items)
		} else {
			body = normalise.Body(r.Method, r.URL, bw.status, bw.Header().Get("Content-Type"), body)
		}
		bw.Header().Del("Content-Length")
		if bw.status == 0 {
			bw.status = http.StatusOK
		}
		if bw.status != http.StatusNoContent || len(body) > 0 {
			bw.ResponseWriter.WriteHeader(bw.status)
			_, _ = bw.ResponseWriter.Write(body)
			return
		}
		bw.ResponseWriter.WriteHeader(bw.status)
	}
}

// bufferedWriter holds status and body until the answer is normalised; headers go straight through.
type bufferedWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// peekBatchItems reads the batch's items (method and URL by id) and puts the body back for the handler.
func peekBatchItems(r *http.Request) map[string]batchItem {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	_ = r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(raw))
	if err != nil {
		return map[string]batchItem{}
	}
	var req struct {
		Requests []batchItem `json:"requests"`
	}
	_ = json.Unmarshal(raw, &req)
	out := make(map[string]batchItem, len(req.Requests))
	for _, it := range req.Requests {
		out[it.ID] = it
	}
	return out
}

// normaliseBatch normalises the body of each item's answer as its own request's answer.
func normaliseBatch(body []byte, items map[string]batchItem) []byte {
	var doc struct {
		Responses []batchResponse `json:"responses"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.Responses == nil {
		return body
	}
	for i, resp := range doc.Responses {
		item, ok := items[resp.ID]
		if !ok || len(resp.Body) == 0 {
			continue
		}
		u, err := url.Parse("/v1.0/" + strings.TrimLeft(item.URL, "/"))
		if err != nil {
			continue
		}
		doc.Responses[i].Body = normalise.Body(strings.ToUpper(item.Method), u, resp.Status, resp.Headers["Content-Type"], resp.Body)
	}
	out, err := json.Marshal(map[string]any{"responses": doc.Responses})
	if err != nil {
		return body
	}
	return append(out, '\n')
}
