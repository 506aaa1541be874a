package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// The beta entitlement-management paths older clients (the hashicorp/azuread provider)
// call: accessPackageCatalogs, accessPackages, accessPackageAssignmentPolicies,
// accessPackageResourceRequests and the role scopes of a package. They are views: every
// beta call is translated into one or more v1.0 calls that go through the normal dispatch
// (faults, token, permissions, validation), and the v1.0 answers are translated back. So
// there is one store and one set of rules, and an object made through beta is the same
// object v1.0 serves. A v1.0 error is relayed to the beta caller as it is.

const betaPrefix = "/beta/identityGovernance/entitlementManagement"

func (s *Server) registerBetaRoutes() {
	const area = "EntitlementManagement"
	b := func(h handlerFunc) handlerFunc { return s.betaHandler(h) }
	s.handle(route.Graph, area, betaPrefix+"/accessPackageCatalogs", map[string]handlerFunc{
		http.MethodGet: b(s.betaListCatalogs), http.MethodPost: b(s.betaCreateCatalog),
	})
	s.handle(route.Graph, area, betaPrefix+"/accessPackageCatalogs/{id}", map[string]handlerFunc{
		http.MethodGet: b(s.betaGetCatalog), http.MethodPatch: b(s.betaUpdateCatalog), http.MethodDelete: b(s.betaDeleteCatalog),
	})
	s.handle(route.Graph, area, betaPrefix+"/accessPackageCatalogs/{id}/accessPackageResources", map[string]handlerFunc{
		http.MethodGet: b(s.betaListCatalogResources),
	})
	s.handle(route.Graph, area, betaPrefix+"/accessPackageResourceRequests", map[string]handlerFunc{
		http.MethodGet: b(s.betaListResourceRequests), http.MethodPost: b(s.betaCreateResourceRequest),
	})
	s.handle(route.Graph, area, betaPrefix+"/accessPackages", map[string]handlerFunc{
		http.MethodGet: b(s.betaListAccessPackages), http.MethodPost: b(s.betaCreateAccessPackage),
	})
	s.handle(route.Graph, area, betaPrefix+"/accessPackages/{id}", map[string]handlerFunc{
		http.MethodGet: b(s.betaGetAccessPackage), http.MethodPatch: b(s.betaUpdateAccessPackage), http.MethodDelete: b(s.betaDeleteAccessPackage),
	})
	s.handle(route.Graph, area, betaPrefix+"/accessPackages/{id}/accessPackageResourceRoleScopes", map[string]handlerFunc{
		http.MethodGet: b(s.betaListRoleScopes), http.MethodPost: b(s.betaCreateRoleScope),
	})
	s.handle(route.Graph, area, betaPrefix+"/accessPackages/{id}/accessPackageResourceRoleScopes/{rsId}", map[string]handlerFunc{
		http.MethodGet: b(s.betaGetRoleScope), http.MethodDelete: b(s.betaDeleteRoleScope),
	})
	s.handle(route.Graph, area, betaPrefix+"/accessPackageAssignmentPolicies", map[string]handlerFunc{
		http.MethodGet: b(s.betaListPolicies), http.MethodPost: b(s.betaCreatePolicy),
	})
	s.handle(route.Graph, area, betaPrefix+"/accessPackageAssignmentPolicies/{id}", map[string]handlerFunc{
		http.MethodGet: b(s.betaGetPolicy), http.MethodPut: b(s.betaReplacePolicy), http.MethodDelete: b(s.betaDeletePolicy),
	})
}

// betaHandler relays a v1.0 error as the beta answer. The router has checked the
// token and the permission already, as for v1.0, so a beta request without a valid
// token gets 401 before its body is looked at.
func (s *Server) betaHandler(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p params) error {
		err := h(w, r, p)
		var relay *v1Reply
		if errors.As(err, &relay) {
			relay.writeTo(w)
			return nil
		}
		return err
	}
}

// v1Reply is the answer of an inner v1.0 call. As an error it is relayed as it is.
type v1Reply struct {
	status int
	header http.Header
	body   []byte
}

func (v *v1Reply) Error() string {
	return fmt.Sprintf("v1.0 answered %d: %s", v.status, v.body)
}

func (v *v1Reply) ok() bool { return v.status >= 200 && v.status < 300 }

func (v *v1Reply) writeTo(w http.ResponseWriter) {
	for _, k := range []string{"Content-Type", "Retry-After", "WWW-Authenticate"} {
		if x := v.header.Get(k); x != "" {
			w.Header().Set(k, x)
		}
	}
	w.WriteHeader(v.status)
	_, _ = w.Write(v.body)
}

func (v *v1Reply) object() (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal(v.body, &m); err != nil {
		return nil, fmt.Errorf("v1.0 answer is not a JSON object: %w", err)
	}
	return m, nil
}

// v1 makes one v1.0 call on behalf of the beta request r: same token, headers, host, TLS and
// context, through the full dispatch. A non-2xx answer comes back as the error (a *v1Reply).
func (s *Server) v1(r *http.Request, method, path string, query url.Values, body any) (map[string]any, error) {
	rep, err := s.v1Raw(r, method, path, query, body)
	if err != nil {
		return nil, err
	}
	if !rep.ok() {
		return nil, rep
	}
	if len(bytes.TrimSpace(rep.body)) == 0 {
		return nil, nil
	}
	return rep.object()
}

func (s *Server) v1Raw(r *http.Request, method, path string, query url.Values, body any) (*v1Reply, error) {
	inner := r.Clone(r.Context())
	inner.Method = method
	u := *r.URL
	u.Path, u.RawPath, u.RawQuery = path, "", ""
	if query != nil {
		// Keep '$' literal as Graph clients do.
		u.RawQuery = strings.ReplaceAll(query.Encode(), "%24", "$")
	}
	inner.URL = &u
	inner.RequestURI = u.RequestURI()
	inner.Header.Del("Content-Length")
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		inner.Body = io.NopCloser(bytes.NewReader(raw))
		inner.ContentLength = int64(len(raw))
		inner.Header.Set("Content-Type", "application/json")
	} else {
		inner.Body = http.NoBody
		inner.ContentLength = 0
	}
	rec := httptest.NewRecorder()
	s.dispatch(rec, inner)
	return &v1Reply{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}, nil
}

// v1All lists a v1.0 collection, following nextLinks.
func (s *Server) v1All(r *http.Request, path string, query url.Values) ([]map[string]any, error) {
	var out []map[string]any
	for {
		page, err := s.v1(r, http.MethodGet, path, query, nil)
		if err != nil {
			return nil, err
		}
		for _, x := range wire.AnySlice(page["value"]) {
			if m, ok := x.(map[string]any); ok {
				out = append(out, m)
			}
		}
		next, _ := page["@odata.nextLink"].(string)
		if next == "" {
			return out, nil
		}
		u, err := url.Parse(next)
		if err != nil {
			return nil, err
		}
		path, query = u.Path, u.Query()
	}
}

// writeBetaCollection filters and pages translated objects like writeCollection does, with
// beta context and nextLinks. The position in items is the skiptoken.
func (s *Server) writeBetaCollection(w http.ResponseWriter, r *http.Request, cq *odata.Query, items []map[string]any, contextPath string) {
	var page []map[string]any
	total, more := 0, false
	var last int64
	for i, it := range items {
		seq := int64(i + 1)
		if cq.Filter != nil && !cq.Filter.Eval(it) {
			continue
		}
		total++
		if seq <= cq.After {
			continue
		}
		if len(page) == cq.Top {
			more = true
			continue
		}
		page = append(page, it)
		last = seq
	}
	values := make([]map[string]any, 0, len(page))
	for _, obj := range page {
		values = append(values, odata.ApplySelect(obj, cq.Selects))
	}
	base := wire.BaseURL(r)
	out := map[string]any{"@odata.context": base + "/beta/$metadata#" + contextPath, "value": values}
	if cq.Count && cq.After == 0 {
		out["@odata.count"] = total
	}
	if more {
		q := r.URL.Query()
		for k := range q {
			if strings.EqualFold(k, "$skiptoken") {
				delete(q, k)
			}
		}
		q.Set("$skiptoken", odata.EncodeSkipToken(last))
		out["@odata.nextLink"] = base + r.URL.Path + "?" + strings.ReplaceAll(q.Encode(), "%24", "$")
	}
	wire.WriteJSON(w, http.StatusOK, out)
}

// betaEntity writes one translated object with its beta context.
func (s *Server) betaEntity(w http.ResponseWriter, r *http.Request, status int, obj map[string]any, contextPath string) {
	out := wire.WithContext(obj, wire.BaseURL(r)+"/beta/$metadata#"+contextPath+"/$entity")
	if status == http.StatusOK {
		out = odata.ApplySelect(out, odata.SelectList(r))
	}
	wire.WriteJSON(w, status, out)
}

// betaBody reads a beta request body and checks its property names: annotations are
// ignored, read-only properties are accepted and ignored, anything else unknown is a 400.
func betaBody(r *http.Request, typ string, known ...string) (map[string]any, error) {
	body, err := wire.ReadBody(r)
	if err != nil {
		return nil, err
	}
	for k := range body {
		if strings.Contains(k, "@") {
			continue
		}
		found := false
		for _, n := range known {
			if k == n {
				found = true
				break
			}
		}
		if !found {
			return nil, unknownProperty(k, typ)
		}
	}
	return body, nil
}

// betaEnum matches an enum value case-insensitively (beta clients send PascalCase).
func betaEnum(name string, v any, valid []string) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", wire.BadRequest(fmt.Sprintf("The value for property '%s' must be a string.", name))
	}
	for _, m := range valid {
		if strings.EqualFold(m, s) {
			return m, nil
		}
	}
	return "", wire.BadEnum(name, s, valid)
}

// pascal turns a v1.0 camelCase enum member into the PascalCase beta uses ("delivered" ->
// "Delivered").
func pascal(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func camel(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// betaExpand parses $expand and checks the names against the allowed navigation properties.
func betaExpand(r *http.Request, typ string, allowed ...string) (map[string]odata.ExpandItem, error) {
	raw, _ := odata.QueryOption(r.URL.Query(), "$expand")
	out := map[string]odata.ExpandItem{}
	if strings.TrimSpace(raw) == "" {
		return out, nil
	}
	items, err := odata.ParseExpandOption(raw)
	if err != nil {
		return nil, wire.BadRequest("Parsing OData Select and Expand failed: " + err.Error())
	}
	for _, it := range items {
		ok := false
		for _, a := range allowed {
			if strings.EqualFold(a, it.Name) {
				out[a] = it
				ok = true
			}
		}
		if !ok {
			return nil, wire.BadRequest(fmt.Sprintf("Could not find a property named '%s' on type 'microsoft.graph.%s'.", it.Name, typ))
		}
	}
	return out, nil
}

// odataString quotes a value for a $filter literal.
func odataString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
