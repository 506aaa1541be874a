// Package beta serves the beta entitlement-management paths older clients (the
// hashicorp/azuread provider) call, as views of v1.0: it reaches v1.0 only by
// dispatching requests through the server's router, never by calling the
// entitlement package. It imports wire, odata and route.
package beta

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
	"time"

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

const (
	prefix   = "/beta/identityGovernance/entitlementManagement"
	v1Prefix = "/v1.0/identityGovernance/entitlementManagement"

	// originSystem values of v1.0 catalog resources.
	originAadGroup       = "AadGroup"
	originAadApplication = "AadApplication"
	originSharePoint     = "SharePointOnline"
)

// permission is that of the v1.0 entitlement management routes the beta ones stand for.
var permission = route.ReadWrite("EntitlementManagement")

// API serves the beta routes. It holds no objects: every beta call is one or more v1.0
// calls through dispatch, the server's router. Only the beta values the v1.0 model cannot
// hold are kept aside, in the memo (see requestorMemo in policies.go).
type API struct {
	dispatch func(w http.ResponseWriter, r *http.Request)
	now      func() time.Time
	pageSize int
	memo     Memo
}

// Memo keeps small values by key for the beta view: what a beta write said that its v1.0
// object cannot hold. Load answers nil, nil for a key never saved.
type Memo interface {
	Load(key string) ([]byte, error)
	Save(key string, value []byte) error
}

// New returns the beta paths of a server; dispatch is the server's router (it must
// apply faults, token and permission checks as for any request, and count only the beta
// request, not the v1.0 calls made for it); memo may be nil (nothing is kept aside).
func New(dispatch func(w http.ResponseWriter, r *http.Request), now func() time.Time, pageSize int, memo Memo) *API {
	return &API{dispatch: dispatch, now: now, pageSize: pageSize, memo: memo}
}

// Routes is the beta route table.
func (s *API) Routes() route.Table {
	var t route.Table
	b := func(h route.Handler) route.Handler { return s.relayV1Errors(h) }
	t.Add(route.Graph, permission, prefix+"/accessPackageCatalogs", map[string]route.Handler{
		http.MethodGet: b(s.listCatalogs), http.MethodPost: b(s.createCatalog),
	})
	t.Add(route.Graph, permission, prefix+"/accessPackageCatalogs/{id}", map[string]route.Handler{
		http.MethodGet: b(s.getCatalog), http.MethodPatch: b(s.updateCatalog), http.MethodDelete: b(s.deleteCatalog),
	})
	t.Add(route.Graph, permission, prefix+"/accessPackageCatalogs/{id}/accessPackageResources", map[string]route.Handler{
		http.MethodGet: b(s.listCatalogResources),
	})
	t.Add(route.Graph, permission, prefix+"/accessPackageResourceRequests", map[string]route.Handler{
		http.MethodGet: b(s.listResourceRequests), http.MethodPost: b(s.createResourceRequest),
	})
	t.Add(route.Graph, permission, prefix+"/accessPackages", map[string]route.Handler{
		http.MethodGet: b(s.listAccessPackages), http.MethodPost: b(s.createAccessPackage),
	})
	t.Add(route.Graph, permission, prefix+"/accessPackages/{id}", map[string]route.Handler{
		http.MethodGet: b(s.getAccessPackage), http.MethodPatch: b(s.updateAccessPackage), http.MethodDelete: b(s.deleteAccessPackage),
	})
	t.Add(route.Graph, permission, prefix+"/accessPackages/{id}/accessPackageResourceRoleScopes", map[string]route.Handler{
		http.MethodGet: b(s.listRoleScopes), http.MethodPost: b(s.createRoleScope),
	})
	t.Add(route.Graph, permission, prefix+"/accessPackages/{id}/accessPackageResourceRoleScopes/{rsId}", map[string]route.Handler{
		http.MethodGet: b(s.getRoleScope), http.MethodDelete: b(s.deleteRoleScope),
	})
	t.Add(route.Graph, permission, prefix+"/accessPackageAssignmentPolicies", map[string]route.Handler{
		http.MethodGet: b(s.listPolicies), http.MethodPost: b(s.createPolicy),
	})
	t.Add(route.Graph, permission, prefix+"/accessPackageAssignmentPolicies/{id}", map[string]route.Handler{
		http.MethodGet: b(s.getPolicy), http.MethodPut: b(s.replacePolicy), http.MethodDelete: b(s.deletePolicy),
	})
	return t
}

// relayV1Errors relays a v1.0 error as the beta answer. The router has checked the
// token and the permission already, as for v1.0, so a beta request without a valid
// token gets 401 before its body is looked at.
func (s *API) relayV1Errors(h route.Handler) route.Handler {
	return func(w http.ResponseWriter, r *http.Request, p route.Params) error {
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
func (s *API) v1(r *http.Request, method, path string, query url.Values, body any) (map[string]any, error) {
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

func (s *API) v1Raw(r *http.Request, method, path string, query url.Values, body any) (*v1Reply, error) {
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
func (s *API) v1All(r *http.Request, path string, query url.Values) ([]map[string]any, error) {
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

// writeCollection filters and pages translated objects like odata.WriteCollection does, with
// beta context and nextLinks. The position in items is the skiptoken.
func (s *API) writeCollection(w http.ResponseWriter, r *http.Request, cq *odata.Query, items []map[string]any, contextPath string) {
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

// writeEntity writes one translated object with its beta context.
func (s *API) writeEntity(w http.ResponseWriter, r *http.Request, status int, obj map[string]any, contextPath string) {
	out := wire.WithContext(obj, wire.BaseURL(r)+"/beta/$metadata#"+contextPath+"/$entity")
	if status == http.StatusOK {
		out = odata.ApplySelect(out, odata.SelectList(r))
	}
	wire.WriteJSON(w, status, out)
}

// readBody reads a beta request body and checks its property names: annotations are
// ignored, read-only properties are accepted and ignored, anything else unknown is a 400.
func readBody(r *http.Request, typ string, known ...string) (map[string]any, error) {
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
			return nil, wire.UnknownProperty(k, typ)
		}
	}
	return body, nil
}

// enumMember matches an enum value case-insensitively (beta clients send PascalCase).
func enumMember(name string, v any, valid []string) (string, error) {
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

// parseExpand parses $expand and checks the names against the allowed navigation properties.
func parseExpand(r *http.Request, typ string, allowed ...string) (map[string]odata.ExpandItem, error) {
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
