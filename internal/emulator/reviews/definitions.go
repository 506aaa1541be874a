package reviews

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/identity"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// Access review schedule definitions
// (https://learn.microsoft.com/en-us/graph/api/resources/accessreviewscheduledefinition?view=graph-rest-1.0).
// Documents are stored as Graph answers them, with the @odata.type of every polymorphic value named.

const (
	contextPath = "identityGovernance/accessReviews/definitions"

	// statusNotStarted is the status of a new definition (the create page's answers); the
	// definition keeps it: its instances carry the states the clock moves them through (our choice).
	statusNotStarted = "NotStarted"

	// filterScopeQuery is the filter view's key for scope/microsoft.graph.accessReviewQueryScope/query.
	filterScopeQuery = "_scopeQuery"
)

// updatable are the properties PUT changes
// (https://learn.microsoft.com/en-us/graph/api/accessreviewscheduledefinition-update?view=graph-rest-1.0);
// the rest are bound at creation.
var updatable = []string{"displayName", "descriptionForAdmins", "descriptionForReviewers", "reviewers",
	"fallbackReviewers", "backupReviewers", "settings", "stageSettings"}

// bound are the writable properties the update page does not list: a PUT may repeat them unchanged.
var bound = []string{"scope", "instanceEnumerationScope", "additionalNotificationRecipients"}

func (s *API) definitionRoutes(t *route.Table) {
	t.Add(route.Graph, permission, prefix+"/definitions", map[string]route.Handler{
		http.MethodGet:  s.listDefinitions,
		http.MethodPost: s.createDefinition,
	})
	t.Add(route.Graph, permission, prefix+"/definitions/{id}", map[string]route.Handler{
		http.MethodGet:    s.getDefinition,
		http.MethodPut:    s.replaceDefinition,
		http.MethodDelete: s.deleteDefinition,
	})
}

func entityContext(r *http.Request) string { return wire.EntityContext(r, contextPath) }

func (s *API) createDefinition(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	def, err := parseDefinition(body)
	if err != nil {
		return err
	}
	now := s.Timestamp()
	doc := def.props
	doc["id"] = uuid.NewString()
	doc["status"] = statusNotStarted
	doc["createdDateTime"] = now
	doc["lastModifiedDateTime"] = now
	// createdBy is a userIdentity; an application's call is recorded with its service principal id and
	// empty names, as the guest tutorial's appliedBy shows for a change the service made (our choice: the
	// pages show only a signed-in administrator).
	doc["createdBy"] = map[string]any{"id": callerID(r), "displayName": "", "userPrincipalName": ""}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	id := doc["id"].(string)
	if err := s.Store.Insert(Definitions, id, doc, s.Now()); err != nil {
		return err
	}
	s.scheduleOpening(id, firstStart(doc, s.Now()), 1)
	w.Header().Set("Location", wire.BaseURL(r)+prefix+"/definitions/"+id)
	wire.WriteJSON(w, http.StatusCreated, wire.WithContext(wire.Public(doc), entityContext(r)))
	return nil
}

func callerID(r *http.Request) any {
	if c := identity.ClaimsFrom(r); c != nil && c.ObjectID() != "" {
		return c.ObjectID()
	}
	return nil
}

func (s *API) getDefinition(w http.ResponseWriter, r *http.Request, p route.Params) error {
	rec, err := s.GetVisible(Definitions, p["id"])
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(odata.ApplySelect(wire.Public(rec.Body), odata.SelectList(r)), entityContext(r)))
	return nil
}

// replaceDefinition is PUT: the whole object is sent; the updatable properties take the sent values
// (an optional one left out is cleared), the bound ones must be left out or unchanged. Answers 204.
func (s *API) replaceDefinition(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.GetVisible(Definitions, p["id"])
	if err != nil {
		return err
	}
	if err := refusePolicyReview(rec.Body); err != nil {
		return err
	}
	// The bound properties may be left out of a PUT: they are then read as stored.
	for _, k := range bound {
		if _, sent := body[k]; !sent {
			body[k] = rec.Body[k]
		}
	}
	def, err := parseDefinition(body)
	if err != nil {
		return err
	}
	for _, k := range bound {
		if !sameJSON(def.props[k], rec.Body[k]) {
			return wire.PathError(k, "the property '%s' cannot be updated; it is set when the access review is created.", k)
		}
	}
	// reviewers "is only updatable if individual users are assigned as reviewers" (update page).
	if !sameJSON(def.props["reviewers"], rec.Body["reviewers"]) &&
		(!onlyUsers(rec.Body["reviewers"]) || !onlyUsers(def.props["reviewers"])) {
		return wire.PathError("reviewers", "reviewers can only be updated when individual users (/users/{id}) are the reviewers, before and after the update.")
	}
	err = s.Store.Update(Definitions, rec.ID, func(obj map[string]any) error {
		for _, k := range updatable {
			if v, ok := def.props[k]; ok {
				obj[k] = v
			} else {
				delete(obj, k)
			}
		}
		obj["lastModifiedDateTime"] = s.Timestamp()
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// onlyUsers reports whether a reviewers list names individual users only (and at least one).
func onlyUsers(v any) bool {
	l := wire.AnySlice(v)
	if len(l) == 0 {
		return false
	}
	for _, x := range l {
		m, _ := x.(map[string]any)
		if !usersQueryRE.MatchString(wire.StrField(m, "query")) {
			return false
		}
	}
	return true
}

func (s *API) deleteDefinition(w http.ResponseWriter, _ *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.GetVisible(Definitions, p["id"])
	if err != nil {
		return err
	}
	if err := refusePolicyReview(rec.Body); err != nil {
		return err
	}
	if err := s.Store.Delete(Definitions, rec.ID); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return wire.NotFound(p["id"])
		}
		return err
	}
	if err := s.deleteInstancesOf(rec.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// scopeQueryCastRE is the documented filter path with its type cast
// (https://learn.microsoft.com/en-us/graph/api/accessreviewset-list-definitions?view=graph-rest-1.0, example 2).
var scopeQueryCastRE = regexp.MustCompile(`(?i)scope/microsoft\.graph\.(accessReviewQueryScope|accessReviewInactiveUsersQueryScope)/query`)

// listDefinitions serves the collection with $filter (status, and contains() on the scope's query),
// $top, $skip, $count and $select; the default page size is 100 (list page).
func (s *API) listDefinitions(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	q := r.URL.Query()
	skip := 0
	for k, vals := range q {
		switch {
		case strings.EqualFold(k, "$filter") && len(vals) > 0:
			vals[0] = scopeQueryCastRE.ReplaceAllString(vals[0], filterScopeQuery)
		case strings.EqualFold(k, "$skip") && len(vals) > 0:
			n, err := strconv.Atoi(vals[0])
			if err != nil || n < 0 {
				return wire.BadRequest("Invalid value for $skip: '" + vals[0] + "'.")
			}
			skip = n
			delete(q, k)
		}
	}
	r2 := r.Clone(r.Context())
	r2.URL.RawQuery = q.Encode()
	cq, err := s.ParseQuery(r2, []string{"status", "displayName", filterScopeQuery})
	if err != nil {
		return err
	}
	recs, err := s.Store.List(Definitions)
	if err != nil {
		return err
	}
	var views []*store.Record
	for _, rec := range s.Visible(recs) {
		v := make(map[string]any, len(rec.Body)+1)
		for k, x := range rec.Body {
			v[k] = x
		}
		if sc, ok := rec.Body["scope"].(map[string]any); ok {
			v[filterScopeQuery] = wire.StrField(sc, "query")
		}
		if cq.Filter != nil && !cq.Filter.Eval(v) {
			continue
		}
		views = append(views, &store.Record{Seq: rec.Seq, ID: rec.ID, Body: v, CreatedAt: rec.CreatedAt})
	}
	cq.Filter = nil
	if skip > len(views) {
		skip = len(views)
	}
	views = views[skip:]
	odata.WriteCollection(w, r, cq, views, contextPath, func(b map[string]any) map[string]any {
		delete(b, filterScopeQuery)
		return wire.Public(b)
	})
	return nil
}

func sameJSON(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// deleteInstancesOf deletes a deleted definition's instances and their decisions (their pending
// effects find nothing and do nothing).
func (s *API) deleteInstancesOf(defID string) error {
	for _, coll := range []string{Decisions, Instances} {
		recs, err := s.Store.List(coll)
		if err != nil {
			return err
		}
		for _, rec := range recs {
			if strings.EqualFold(wire.StrField(rec.Body, ifDefinitionID), defID) {
				if err := s.Store.Delete(coll, rec.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
			}
		}
	}
	return nil
}
