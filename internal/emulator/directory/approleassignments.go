package directory

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
)

// App role assignments of users (https://learn.microsoft.com/en-us/graph/api/resources/approleassignment?view=graph-rest-1.0):
// a user assigned an app role of a resource service principal. Entitlement management makes and
// removes them when it delivers and ends assignments of packages with AadApplication role scopes
// (internal/emulator/entitlement/delivery.go); Graph reads them from both ends:
// GET /users/{id}/appRoleAssignments
// (https://learn.microsoft.com/en-us/graph/api/user-list-approleassignments?view=graph-rest-1.0) and
// GET /servicePrincipals/{id}/appRoleAssignedTo
// (https://learn.microsoft.com/en-us/graph/api/serviceprincipal-list-approleassignedto?view=graph-rest-1.0).
// Assignments to groups, and their inheritance by members, are not modelled.

// AppRoleAssignments holds one document per app role assignment, as Graph returns it (the
// properties of the v1.0 metadata's appRoleAssignment, a directoryObject).
const AppRoleAssignments = "appRoleAssignments"

// DefaultAppRoleID is the app role id of an assignment to an application that declares no app roles.
const DefaultAppRoleID = "00000000-0000-0000-0000-000000000000"

// ErrAlreadyAssigned is returned by AddAppRoleAssignment when the user already holds the role.
var ErrAlreadyAssigned = errors.New("emulator: app role already assigned")

var appRoleAssignmentFilterable = []string{"id", "appRoleId", "principalId", "principalType", "principalDisplayName", "resourceId", "resourceDisplayName"}

// appRoleAssignmentPermission: the list pages name Directory.Read.All and AppRoleAssignment.ReadWrite.All
// for application callers (and Application.Read.All for a service principal's appRoleAssignedTo).
func appRoleAssignmentPermission(string) route.Permission {
	return route.Permission{AnyOf: []string{"AppRoleAssignment.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All",
		"Application.Read.All", "Application.ReadWrite.All"}, Denied: denied}
}

func (s *API) appRoleAssignmentRoutes(t *route.Table) {
	for path, h := range map[string]route.Handler{
		"/users/{id}/appRoleAssignments":            s.listUserAppRoleAssignments,
		"/servicePrincipals/{id}/appRoleAssignedTo": s.listAppRoleAssignedTo,
	} {
		t.Add(route.Graph, appRoleAssignmentPermission, v1+path, map[string]route.Handler{http.MethodGet: directoryErrors(h)})
	}
}

// newAppRoleAssignmentID makes an id of the shape Graph answers: 43 characters of base64url
// (the examples of the list pages), not a GUID.
func newAppRoleAssignmentID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// AddAppRoleAssignment assigns a user an app role of a resource service principal. The role must be
// one of the service principal's enabled appRoles, or DefaultAppRoleID when it declares none
// (the resource page, appRoleId). A user who already holds the role gets ErrAlreadyAssigned.
func (s *API) AddAppRoleAssignment(userID, resourceID, appRoleID string) (string, error) {
	user, err := s.Store.Get(Users, userID)
	if err != nil {
		return "", err
	}
	sp, err := s.Store.Get(ServicePrincipals, resourceID)
	if err != nil {
		return "", err
	}
	if !spOffersRole(sp.Body, appRoleID) {
		return "", BadRequest(fmt.Sprintf("Permission being assigned was not found on application '%s'.", sp.ID))
	}
	if existing, err := s.findAppRoleAssignment(user.ID, sp.ID, appRoleID); err != nil {
		return "", err
	} else if existing != nil {
		return existing.ID, ErrAlreadyAssigned
	}
	id := newAppRoleAssignmentID()
	doc := map[string]any{
		"id":                   id,
		"deletedDateTime":      nil,
		"appRoleId":            strings.ToLower(appRoleID),
		"createdDateTime":      s.timestamp(),
		"principalDisplayName": user.Body["displayName"],
		"principalId":          user.ID,
		"principalType":        "User",
		"resourceDisplayName":  sp.Body["displayName"],
		"resourceId":           sp.ID,
	}
	return id, s.Store.Insert(AppRoleAssignments, id, doc, s.Now())
}

// RemoveAppRoleAssignment removes a user's assignment of an app role; store.ErrNotFound when the user
// does not hold it (removed by hand, or the user or service principal is gone).
func (s *API) RemoveAppRoleAssignment(userID, resourceID, appRoleID string) error {
	rec, err := s.findAppRoleAssignment(userID, resourceID, appRoleID)
	if err != nil {
		return err
	}
	if rec == nil {
		return store.ErrNotFound
	}
	return s.Store.Delete(AppRoleAssignments, rec.ID)
}

func (s *API) findAppRoleAssignment(userID, resourceID, appRoleID string) (*store.Record, error) {
	recs, err := s.Store.List(AppRoleAssignments)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		if strings.EqualFold(strOf(r.Body["principalId"]), userID) && strings.EqualFold(strOf(r.Body["resourceId"]), resourceID) &&
			strings.EqualFold(strOf(r.Body["appRoleId"]), appRoleID) {
			return r, nil
		}
	}
	return nil, nil
}

// spOffersRole reports whether appRoleID can be assigned on a service principal.
func spOffersRole(sp map[string]any, appRoleID string) bool {
	roles, _ := sp["appRoles"].([]any)
	if len(roles) == 0 {
		return strings.EqualFold(appRoleID, DefaultAppRoleID)
	}
	for _, x := range roles {
		r, _ := x.(map[string]any)
		if strings.EqualFold(strOf(r["id"]), appRoleID) && r["isEnabled"] != false {
			return true
		}
	}
	return false
}

// deleteAppRoleAssignmentsOf removes the assignments held by or granted on a deleted user or service principal.
func (s *API) deleteAppRoleAssignmentsOf(id string) error {
	recs, err := s.Store.List(AppRoleAssignments)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if strings.EqualFold(strOf(r.Body["principalId"]), id) || strings.EqualFold(strOf(r.Body["resourceId"]), id) {
			if err := s.Store.Delete(AppRoleAssignments, r.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
	}
	return nil
}

func (s *API) listUserAppRoleAssignments(w http.ResponseWriter, r *http.Request, p route.Params) error {
	user, err := s.getUser(p["id"], true)
	if err != nil {
		return err
	}
	return s.writeAppRoleAssignments(w, r, "principalId", user.ID, "users('"+user.ID+"')/appRoleAssignments")
}

func (s *API) listAppRoleAssignedTo(w http.ResponseWriter, r *http.Request, p route.Params) error {
	sp, err := s.getObject(ServicePrincipals, p["id"], true)
	if err != nil {
		return err
	}
	return s.writeAppRoleAssignments(w, r, "resourceId", sp.ID, "servicePrincipals('"+sp.ID+"')/appRoleAssignedTo")
}

// writeAppRoleAssignments answers the assignments whose property (principalId or resourceId) is id;
// the context follows the list pages' example answers.
func (s *API) writeAppRoleAssignments(w http.ResponseWriter, r *http.Request, property, id, context string) error {
	quoteGUIDLiterals(r)
	cq, err := s.parseQuery(r, appRoleAssignmentFilterable)
	if err != nil {
		return err
	}
	recs, err := s.Store.List(AppRoleAssignments)
	if err != nil {
		return err
	}
	mine := recs[:0]
	for _, rec := range recs {
		if strings.EqualFold(strOf(rec.Body[property]), id) {
			mine = append(mine, rec)
		}
	}
	odata.WriteCollection(w, r, cq, mine, context, nil)
	return nil
}

// guidLiteral is an Edm.Guid literal after a comparison operator: Graph takes GUIDs unquoted
// (Example 2 of the user list page filters `resourceId eq 8e881353-...`), the shared filter
// parser only quoted strings, so the literal is quoted before parsing.
var guidLiteral = regexp.MustCompile(`(?i)\b(eq|ne)\s+([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b`)

func quoteGUIDLiterals(r *http.Request) {
	q := r.URL.Query()
	f, ok := odata.QueryOption(q, "$filter")
	if !ok || !guidLiteral.MatchString(f) {
		return
	}
	for k := range q {
		if strings.EqualFold(k, "$filter") {
			q.Del(k)
		}
	}
	q.Set("$filter", guidLiteral.ReplaceAllString(f, "$1 '$2'"))
	r.URL.RawQuery = q.Encode()
}
