// Package directory is the directory area of the emulator's Graph API (spec section
// 4): users, groups and their members, managers, applications, service principals and
// directoryObjects, invitations, user sponsors and the redeem control, with the seed
// directory of a new tenant. It registers its own
// routes and names their permissions; it imports store, wire, odata, route and
// identity.
package directory

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// Directory objects (spec section 4): users, groups, applications and service
// principals. They live in the generic store under these collection names; group
// membership and managers are links kept in collections of their own, so the object
// documents stay exactly what Graph returns.
const (
	Users             = "users"
	Groups            = "groups"
	Applications      = "applications"
	ServicePrincipals = "servicePrincipals"
	// GroupMembers holds one document per static membership, id "<groupId>_<memberId>":
	// {"groupId", "memberId", "memberType": "user"|"group"|"servicePrincipal"}.
	GroupMembers = "groupMembers"
	// UserManagers holds one document per user with a manager, id = the user's id:
	// {"userId", "managerId"}.
	UserManagers = "userManagers"
)

// Directory error codes and messages (spec 3.1).
const (
	CodeNotFound      = "Request_ResourceNotFound"
	codeDenied        = "Authorization_RequestDenied"
	codeDuplicateKey  = "Request_MultipleObjectsWithSameKeyValue"
	msgDenied         = "Insufficient privileges to complete the operation."
	msgMemberExists   = "One or more added object references already exist for the following modified properties: 'members'."
	msgUPNExists      = "Another object with the same value for property userPrincipalName already exists."
	msgDynamicMembers = "Members of a group with dynamic membership cannot be added or removed manually."
)

// Permission areas of the directory routes (spec 3.7). "User", "Group" and
// "Application" follow the generic rule (<area>.Read.All / <area>.ReadWrite.All);
// Directory.Read.All also grants reads and Directory.ReadWrite.All writes.
// areaDirectoryObjects is any directory read.
const (
	areaUsers            = "User"
	areaGroups           = "Group"
	areaApplications     = "Application"
	areaDirectoryObjects = "DirectoryObject"
)

const v1 = "/v1.0"

// API serves the directory routes.
type API struct {
	*route.Deps
	seedFile   string // JSON seed replacing the default directory (CheckSeedFile)
	redeem     redeemHooks
	userChange userChangeHooks
}

// New returns the directory area of a server; seedFile is emulator.Config.SeedFile.
func New(d *route.Deps, seedFile string) *API { return &API{Deps: d, seedFile: seedFile} }

// denied is the directory's 403 (the other areas answer Graph's generic one).
var denied = &wire.Error{Status: http.StatusForbidden, Code: codeDenied, Message: msgDenied}

// permission names the roles a directory route needs.
func permission(area, method string) route.Permission {
	if area == areaDirectoryObjects {
		if !route.IsRead(method) {
			return route.Permission{AnyOf: []string{"Directory.ReadWrite.All"}, Denied: denied}
		}
		return route.Permission{AnyOf: []string{"Directory.Read.All", "Directory.ReadWrite.All", "User.Read.All", "User.ReadWrite.All",
			"Group.Read.All", "Group.ReadWrite.All", "Application.Read.All", "Application.ReadWrite.All"}, Denied: denied}
	}
	if route.IsRead(method) {
		return route.Permission{AnyOf: []string{area + ".ReadWrite.All", "Directory.ReadWrite.All", area + ".Read.All", "Directory.Read.All"}, Denied: denied}
	}
	return route.Permission{AnyOf: []string{area + ".ReadWrite.All", "Directory.ReadWrite.All"}, Denied: denied}
}

// handle registers a Graph route whose errors use the directory codes.
func handle(t *route.Table, area, tmpl string, methods map[string]route.Handler) {
	wrapped := make(map[string]route.Handler, len(methods))
	for m, h := range methods {
		wrapped[m] = directoryErrors(h)
	}
	t.Add(route.Graph, func(method string) route.Permission { return permission(area, method) }, v1+tmpl, wrapped)
}

// directoryErrors maps the generic codes of shared helpers (wire.ReadBody, query parsing)
// to the directory's: 400 Request_BadRequest, 404 Request_ResourceNotFound.
func directoryErrors(h route.Handler) route.Handler {
	return func(w http.ResponseWriter, r *http.Request, p route.Params) error {
		return toError(h(w, r, p))
	}
}

func toError(err error) error {
	var ae *wire.Error
	if !errors.As(err, &ae) {
		return err
	}
	switch ae.Code {
	case wire.CodeBadRequest:
		return &wire.Error{Status: ae.Status, Code: wire.CodeRequestBadRequest, Message: ae.Message}
	case wire.CodeResourceNotFound:
		return &wire.Error{Status: ae.Status, Code: CodeNotFound, Message: ae.Message}
	}
	return ae
}

// Routes is the directory's route table.
func (s *API) Routes() route.Table {
	var t route.Table
	s.userRoutes(&t)
	s.groupRoutes(&t)
	s.applicationRoutes(&t)
	s.appRoleAssignmentRoutes(&t)
	s.invitationRoutes(&t)
	s.sponsorRoutes(&t)
	s.redeemRoutes(&t)
	handle(&t, areaDirectoryObjects, "/directoryObjects/{id}", map[string]route.Handler{http.MethodGet: s.getDirectoryObject})
	return t
}

// ---- errors that also match the package's sentinel errors ----

// Errors returned by the Go membership methods (AddGroupMember, ...). They are
// *wire.Error values too, so a handler can return them as they are.
var (
	ErrAlreadyMember = errors.New("emulator: already a member")
	ErrNotMember     = errors.New("emulator: not a member")
	ErrDynamicGroup  = errors.New("emulator: group has dynamic membership")
)

func notFound(id string) error {
	return &wire.SentinelError{API: &wire.Error{Status: http.StatusNotFound, Code: CodeNotFound,
		Message: "Resource '" + id + "' does not exist or one of its queried reference-property objects are not present."}, Sentinel: store.ErrNotFound}
}

func BadRequest(msg string) *wire.Error {
	return &wire.Error{Status: http.StatusBadRequest, Code: wire.CodeRequestBadRequest, Message: msg}
}

func invalidObjectID(id string) *wire.Error {
	return BadRequest("Invalid object identifier '" + id + "'.")
}

// ---- shared helpers ----

// timestamp is Graph's directory timestamp format (whole seconds, Z).
func (s *API) timestamp() string {
	return s.Now().UTC().Truncate(time.Second).Format(time.RFC3339)
}

// contextURL is the @odata.context of a directory entity or collection.
func (s *API) contextURL(r *http.Request, fragment string) string {
	return wire.BaseURL(r) + v1 + "/$metadata#" + fragment
}

// getObject reads a directory object for a Graph request: malformed ids are 400, missing
// ones 404 Request_ResourceNotFound; reads (read=true) also honour the replication-delay
// fault, as route.Deps.GetVisible does for governance objects.
func (s *API) getObject(collection, id string, read bool) (*store.Record, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, invalidObjectID(id)
	}
	rec, err := s.Store.Get(collection, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && read && s.Fault.Hidden(rec.CreatedAt)) {
		return nil, notFound(id)
	}
	return rec, err
}

// memberKinds are the collections whose objects can be group members, with the
// @odata.type and memberType of each.
var memberKinds = []struct{ coll, odataType, memberType string }{
	{Users, "#microsoft.graph.user", "user"},
	{Groups, "#microsoft.graph.group", "group"},
	{ServicePrincipals, "#microsoft.graph.servicePrincipal", "servicePrincipal"},
}

// Find looks an id up in users, groups and service principals (and
// applications when withApps); it returns store.ErrNotFound when no collection has it.
func (s *API) Find(id string, withApps bool) (coll string, rec *store.Record, err error) {
	colls := []string{Users, Groups, ServicePrincipals}
	if withApps {
		colls = append(colls, Applications)
	}
	for _, c := range colls {
		rec, err := s.Store.Get(c, id)
		if err == nil {
			return c, rec, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return "", nil, err
		}
	}
	return "", nil, store.ErrNotFound
}

func oDataType(coll string) string {
	switch coll {
	case Users:
		return "#microsoft.graph.user"
	case Groups:
		return "#microsoft.graph.group"
	case ServicePrincipals:
		return "#microsoft.graph.servicePrincipal"
	case Applications:
		return "#microsoft.graph.application"
	}
	return "#microsoft.graph.directoryObject"
}

// ObjectOut is an object as a member of a directoryObject collection.
func ObjectOut(coll string, body map[string]any) map[string]any {
	var out map[string]any
	if coll == Users {
		out = userOut(body, nil)
	} else {
		out = make(map[string]any, len(body)+1)
		for k, v := range body {
			out[k] = v
		}
	}
	out["@odata.type"] = oDataType(coll)
	return out
}

func (s *API) getDirectoryObject(w http.ResponseWriter, r *http.Request, p route.Params) error {
	id := p["id"]
	if _, err := uuid.Parse(id); err != nil {
		return invalidObjectID(id)
	}
	coll, rec, err := s.Find(id, true)
	if errors.Is(err, store.ErrNotFound) || (err == nil && s.Fault.Hidden(rec.CreatedAt)) {
		return notFound(id)
	}
	if err != nil {
		return err
	}
	out := wire.WithContext(ObjectOut(coll, rec.Body), s.contextURL(r, "directoryObjects/$entity"))
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(out, odata.SelectList(r)))
	return nil
}

// ParseRef reads {"@odata.id": "<url>"} and returns the collection segment (as
// written, e.g. "directoryObjects", "users") and the id. Any host is accepted, and
// relative references too: only the path is compared.
func ParseRef(body map[string]any) (coll, id string, err error) {
	raw, ok := body["@odata.id"]
	if !ok {
		return "", "", BadRequest("The request body must contain '@odata.id' with the URL of the object to reference.")
	}
	ref, ok := raw.(string)
	if !ok {
		return "", "", BadRequest("The value of '@odata.id' must be a string.")
	}
	return refURL(ref)
}

func refURL(ref string) (coll, id string, err error) {
	u, perr := url.Parse(strings.TrimSpace(ref))
	if perr != nil {
		return "", "", BadRequest(fmt.Sprintf("Invalid URL format specified in @odata.id: '%s'.", ref))
	}
	segs := route.SplitPath(u.Path)
	if len(segs) < 2 {
		return "", "", BadRequest(fmt.Sprintf("Invalid URL format specified in @odata.id: '%s'.", ref))
	}
	coll, id = segs[len(segs)-2], segs[len(segs)-1]
	// directoryObjects('id') is the key-in-parentheses form of the same reference.
	if i := strings.Index(id, "("); i > 0 && strings.HasSuffix(id, ")") && len(segs) >= 1 {
		coll, id = id[:i], strings.Trim(id[i+1:len(id)-1], "'")
	}
	switch strings.ToLower(coll) {
	case "directoryobjects", "users", "groups", "serviceprincipals":
	default:
		return "", "", BadRequest(fmt.Sprintf("Invalid URL format specified in @odata.id: '%s'.", ref))
	}
	if _, perr := uuid.Parse(id); perr != nil {
		return "", "", invalidObjectID(id)
	}
	return coll, strings.ToLower(id), nil
}

// ResolveRef finds the object an @odata.id names; a typed path (users/...) must name
// an object of that kind.
func (s *API) ResolveRef(coll, id string) (string, *store.Record, error) {
	found, rec, err := s.Find(id, false)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil, notFound(id)
	}
	if err != nil {
		return "", nil, err
	}
	if !strings.EqualFold(coll, "directoryObjects") && !strings.EqualFold(coll, found) {
		return "", nil, notFound(id)
	}
	return found, rec, nil
}

// parseQuery parses the collection query options of a directory list.
func (s *API) parseQuery(r *http.Request, filterable []string) (*odata.Query, error) {
	cq, err := s.ParseQuery(r, filterable)
	if err != nil {
		return nil, err
	}
	if cq.Filter != nil {
		cq.Filter = odata.CaseInsensitive(cq.Filter)
	}
	return cq, nil
}

// deleteLinks removes the membership, manager and sponsor links that mention id.
func (s *API) deleteLinks(id string) error {
	if err := s.deleteSponsorLinks(id); err != nil {
		return err
	}
	if err := s.deleteAppRoleAssignmentsOf(id); err != nil {
		return err
	}
	id = store.NormID(id)
	links, err := s.Store.List(GroupMembers)
	if err != nil {
		return err
	}
	for _, l := range links {
		if store.NormID(strOf(l.Body["groupId"])) == id || store.NormID(strOf(l.Body["memberId"])) == id {
			if err := s.Store.Delete(GroupMembers, l.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
	}
	mgrs, err := s.Store.List(UserManagers)
	if err != nil {
		return err
	}
	for _, l := range mgrs {
		if store.NormID(strOf(l.Body["userId"])) == id || store.NormID(strOf(l.Body["managerId"])) == id {
			if err := s.Store.Delete(UserManagers, l.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
	}
	return nil
}

func strOf(v any) string {
	s, _ := v.(string)
	return s
}
