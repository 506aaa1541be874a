package wire

import (
	"net/http"
	"strings"
)

// WithContext returns a copy of obj carrying @odata.context.
func WithContext(obj map[string]any, ctx string) map[string]any {
	out := make(map[string]any, len(obj)+1)
	out["@odata.context"] = ctx
	for k, v := range obj {
		out[k] = v
	}
	return out
}

// AnySlice reads a stored JSON array; anything else is nil.
func AnySlice(v any) []any {
	l, _ := v.([]any)
	return l
}

// MergePatch applies patch to dst as a JSON merge patch (RFC 7386): null deletes,
// objects merge recursively, anything else replaces.
func MergePatch(dst, patch map[string]any) {
	for k, v := range patch {
		if v == nil {
			delete(dst, k)
			continue
		}
		if pm, ok := v.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				MergePatch(dm, pm)
				continue
			}
			nm := map[string]any{}
			MergePatch(nm, pm)
			dst[k] = nm
			continue
		}
		dst[k] = v
	}
}

// StrField reads a string property; anything else is "".
func StrField(obj map[string]any, k string) string {
	s, _ := obj[k].(string)
	return s
}

// StrList reads a stored string array (JSON arrays come back as []any).
func StrList(v any) []string {
	switch l := v.(type) {
	case []string:
		return append([]string(nil), l...)
	case []any:
		out := make([]string, 0, len(l))
		for _, x := range l {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// AnyList converts to the []any a stored JSON array holds.
func AnyList(l []string) []any {
	out := make([]any, len(l))
	for i, s := range l {
		out[i] = s
	}
	return out
}

// BaseURL is scheme://host of the request: links and token audiences use it.
func BaseURL(r *http.Request) string {
	scheme := "https"
	if r.TLS == nil {
		// httptest.NewServer and plain listeners speak http; only Listen is always TLS.
		scheme = "http"
	}
	return scheme + "://" + r.Host
}

// Public drops the internal bookkeeping fields (names starting with "_") of a stored
// document.
func Public(obj map[string]any) map[string]any {
	out := make(map[string]any, len(obj))
	for k, v := range obj {
		if !strings.HasPrefix(k, "_") {
			out[k] = v
		}
	}
	return out
}

// EntityContext is the @odata.context of a single entity at path.
func EntityContext(r *http.Request, path string) string {
	return BaseURL(r) + "/v1.0/$metadata#" + path + "/$entity"
}
