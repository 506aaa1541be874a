package emulator

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
	collUsers             = "users"
	collGroups            = "groups"
	collApplications      = "applications"
	collServicePrincipals = "servicePrincipals"
	// collGroupMembers holds one document per static membership, id "<groupId>_<memberId>":
	// {"groupId", "memberId", "memberType": "user"|"group"|"servicePrincipal"}.
	collGroupMembers = "groupMembers"
	// collUserManagers holds one document per user with a manager, id = the user's id:
	// {"userId", "managerId"}.
	collUserManagers = "userManagers"
)

// Directory error codes and messages (spec 3.1).
const (
	codeDirNotFound      = "Request_ResourceNotFound"
	codeDirDenied        = "Authorization_RequestDenied"
	codeDirDuplicateKey  = "Request_MultipleObjectsWithSameKeyValue"
	msgDirDenied         = "Insufficient privileges to complete the operation."
	msgDirMemberExists   = "One or more added object references already exist for the following modified properties: 'members'."
	msgDirUPNExists      = "Another object with the same value for property userPrincipalName already exists."
	msgDirDynamicMembers = "Members of a group with dynamic membership cannot be added or removed manually."
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

const dirV1 = "/v1.0"

// dirDenied is the directory's 403 (the other areas answer Graph's generic one).
var dirDenied = &wire.Error{Status: http.StatusForbidden, Code: codeDirDenied, Message: msgDirDenied}

// dirPermission names the roles a directory route needs.
func dirPermission(area, method string) route.Permission {
	if area == areaDirectoryObjects {
		if !route.IsRead(method) {
			return route.Permission{AnyOf: []string{"Directory.ReadWrite.All"}, Denied: dirDenied}
		}
		return route.Permission{AnyOf: []string{"Directory.Read.All", "Directory.ReadWrite.All", "User.Read.All", "User.ReadWrite.All",
			"Group.Read.All", "Group.ReadWrite.All", "Application.Read.All", "Application.ReadWrite.All"}, Denied: dirDenied}
	}
	if route.IsRead(method) {
		return route.Permission{AnyOf: []string{area + ".ReadWrite.All", "Directory.ReadWrite.All", area + ".Read.All", "Directory.Read.All"}, Denied: dirDenied}
	}
	return route.Permission{AnyOf: []string{area + ".ReadWrite.All", "Directory.ReadWrite.All"}, Denied: dirDenied}
}

// dirHandle registers a Graph route whose errors use the directory codes.
func (s *Server) dirHandle(area, tmpl string, methods map[string]handlerFunc) {
	wrapped := make(map[string]handlerFunc, len(methods))
	for m, h := range methods {
		wrapped[m] = dirHandler(h)
	}
	s.handle(route.Graph, area, dirV1+tmpl, wrapped)
}

// dirHandler maps the generic codes of shared helpers (wire.ReadBody, query parsing)
// to the directory's: 400 Request_BadRequest, 404 Request_ResourceNotFound.
func dirHandler(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p params) error {
		return dirToError(h(w, r, p))
	}
}

func dirToError(err error) error {
	var ae *wire.Error
	if !errors.As(err, &ae) {
		return err
	}
	switch ae.Code {
	case wire.CodeBadRequest:
		return &wire.Error{Status: ae.Status, Code: wire.CodeRequestBadRequest, Message: ae.Message}
	case wire.CodeResourceNotFound:
		return &wire.Error{Status: ae.Status, Code: codeDirNotFound, Message: ae.Message}
	}
	return ae
}

func (s *Server) registerDirectoryRoutes() {
	s.dirRegisterUserRoutes()
	s.dirRegisterGroupRoutes()
	s.dirRegisterApplicationRoutes()
	s.dirHandle(areaDirectoryObjects, "/directoryObjects/{id}", map[string]handlerFunc{http.MethodGet: s.dirGetDirectoryObject})
}

// ---- errors that also match the package's sentinel errors ----

// Errors returned by the Go membership methods (AddGroupMember, ...). They are
// *wire.Error values too, so a handler can return them as they are.
var (
	ErrAlreadyMember = errors.New("emulator: already a member")
	ErrNotMember     = errors.New("emulator: not a member")
	ErrDynamicGroup  = errors.New("emulator: group has dynamic membership")
)

// dirErr is an API error that errors.Is also matches against a sentinel.
type dirErr struct {
	api      *wire.Error
	sentinel error
}

func (e *dirErr) Error() string   { return e.api.Error() }
func (e *dirErr) Unwrap() []error { return []error{e.api, e.sentinel} }

func dirNotFound(id string) error {
	return &dirErr{api: &wire.Error{Status: http.StatusNotFound, Code: codeDirNotFound,
		Message: "Resource '" + id + "' does not exist or one of its queried reference-property objects are not present."}, sentinel: ErrNotFound}
}

func dirBadRequest(msg string) *wire.Error {
	return &wire.Error{Status: http.StatusBadRequest, Code: wire.CodeRequestBadRequest, Message: msg}
}

func dirInvalidObjectID(id string) *wire.Error {
	return dirBadRequest("Invalid object identifier '" + id + "'.")
}

// ---- shared helpers ----

// dirTimestamp is Graph's directory timestamp format (whole seconds, Z).
func (s *Server) dirTimestamp() string {
	return s.Now().UTC().Truncate(time.Second).Format(time.RFC3339)
}

// dirContext is the @odata.context of a directory entity or collection.
func (s *Server) dirContext(r *http.Request, fragment string) string {
	return wire.BaseURL(r) + dirV1 + "/$metadata#" + fragment
}

// dirGet reads a directory object for a Graph request: malformed ids are 400, missing
// ones 404 Request_ResourceNotFound; reads (read=true) also honour the replication-delay
// fault, as getVisible does for governance objects.
func (s *Server) dirGet(collection, id string, read bool) (*store.Record, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, dirInvalidObjectID(id)
	}
	rec, err := s.Store.Get(collection, id)
	if errors.Is(err, ErrNotFound) || (err == nil && read && s.hiddenByReplication(rec.CreatedAt)) {
		return nil, dirNotFound(id)
	}
	return rec, err
}

// dirMemberKinds are the collections whose objects can be group members, with the
// @odata.type and memberType of each.
var dirMemberKinds = []struct{ coll, odataType, memberType string }{
	{collUsers, "#microsoft.graph.user", "user"},
	{collGroups, "#microsoft.graph.group", "group"},
	{collServicePrincipals, "#microsoft.graph.servicePrincipal", "servicePrincipal"},
}

// dirFind looks an id up in users, groups and service principals (and
// applications when withApps); it returns ErrNotFound when no collection has it.
func (s *Server) dirFind(id string, withApps bool) (coll string, rec *store.Record, err error) {
	colls := []string{collUsers, collGroups, collServicePrincipals}
	if withApps {
		colls = append(colls, collApplications)
	}
	for _, c := range colls {
		rec, err := s.Store.Get(c, id)
		if err == nil {
			return c, rec, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return "", nil, err
		}
	}
	return "", nil, ErrNotFound
}

func dirODataType(coll string) string {
	switch coll {
	case collUsers:
		return "#microsoft.graph.user"
	case collGroups:
		return "#microsoft.graph.group"
	case collServicePrincipals:
		return "#microsoft.graph.servicePrincipal"
	case collApplications:
		return "#microsoft.graph.application"
	}
	return "#microsoft.graph.directoryObject"
}

// directoryObjectOut is an object as a member of a directoryObject collection.
func directoryObjectOut(coll string, body map[string]any) map[string]any {
	var out map[string]any
	if coll == collUsers {
		out = dirUserOut(body, nil)
	} else {
		out = make(map[string]any, len(body)+1)
		for k, v := range body {
			out[k] = v
		}
	}
	out["@odata.type"] = dirODataType(coll)
	return out
}

func (s *Server) dirGetDirectoryObject(w http.ResponseWriter, r *http.Request, p params) error {
	id := p["id"]
	if _, err := uuid.Parse(id); err != nil {
		return dirInvalidObjectID(id)
	}
	coll, rec, err := s.dirFind(id, true)
	if errors.Is(err, ErrNotFound) || (err == nil && s.hiddenByReplication(rec.CreatedAt)) {
		return dirNotFound(id)
	}
	if err != nil {
		return err
	}
	out := wire.WithContext(directoryObjectOut(coll, rec.Body), s.dirContext(r, "directoryObjects/$entity"))
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(out, odata.SelectList(r)))
	return nil
}

// dirParseRef reads {"@odata.id": "<url>"} and returns the collection segment (as
// written, e.g. "directoryObjects", "users") and the id. Any host is accepted, and
// relative references too: only the path is compared.
func dirParseRef(body map[string]any) (coll, id string, err error) {
	raw, ok := body["@odata.id"]
	if !ok {
		return "", "", dirBadRequest("The request body must contain '@odata.id' with the URL of the object to reference.")
	}
	ref, ok := raw.(string)
	if !ok {
		return "", "", dirBadRequest("The value of '@odata.id' must be a string.")
	}
	return dirRefURL(ref)
}

func dirRefURL(ref string) (coll, id string, err error) {
	u, perr := url.Parse(strings.TrimSpace(ref))
	if perr != nil {
		return "", "", dirBadRequest(fmt.Sprintf("Invalid URL format specified in @odata.id: '%s'.", ref))
	}
	segs := route.SplitPath(u.Path)
	if len(segs) < 2 {
		return "", "", dirBadRequest(fmt.Sprintf("Invalid URL format specified in @odata.id: '%s'.", ref))
	}
	coll, id = segs[len(segs)-2], segs[len(segs)-1]
	// directoryObjects('id') is the key-in-parentheses form of the same reference.
	if i := strings.Index(id, "("); i > 0 && strings.HasSuffix(id, ")") && len(segs) >= 1 {
		coll, id = id[:i], strings.Trim(id[i+1:len(id)-1], "'")
	}
	switch strings.ToLower(coll) {
	case "directoryobjects", "users", "groups", "serviceprincipals":
	default:
		return "", "", dirBadRequest(fmt.Sprintf("Invalid URL format specified in @odata.id: '%s'.", ref))
	}
	if _, perr := uuid.Parse(id); perr != nil {
		return "", "", dirInvalidObjectID(id)
	}
	return coll, strings.ToLower(id), nil
}

// dirResolveRef finds the object an @odata.id names; a typed path (users/...) must name
// an object of that kind.
func (s *Server) dirResolveRef(coll, id string) (string, *store.Record, error) {
	found, rec, err := s.dirFind(id, false)
	if errors.Is(err, ErrNotFound) {
		return "", nil, dirNotFound(id)
	}
	if err != nil {
		return "", nil, err
	}
	if !strings.EqualFold(coll, "directoryObjects") && !strings.EqualFold(coll, found) {
		return "", nil, dirNotFound(id)
	}
	return found, rec, nil
}

// dirParseQuery parses the collection query options of a directory list.
func (s *Server) dirParseQuery(r *http.Request, filterable []string) (*odata.Query, error) {
	cq, err := s.ParseQuery(r, filterable)
	if err != nil {
		return nil, err
	}
	if cq.Filter != nil {
		cq.Filter = odata.CaseInsensitive(cq.Filter)
	}
	return cq, nil
}

// dirDeleteLinks removes the membership and manager links that mention id.
func (s *Server) dirDeleteLinks(id string) error {
	id = store.NormID(id)
	links, err := s.Store.List(collGroupMembers)
	if err != nil {
		return err
	}
	for _, l := range links {
		if store.NormID(dirStr(l.Body["groupId"])) == id || store.NormID(dirStr(l.Body["memberId"])) == id {
			if err := s.Store.Delete(collGroupMembers, l.ID); err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
		}
	}
	mgrs, err := s.Store.List(collUserManagers)
	if err != nil {
		return err
	}
	for _, l := range mgrs {
		if store.NormID(dirStr(l.Body["userId"])) == id || store.NormID(dirStr(l.Body["managerId"])) == id {
			if err := s.Store.Delete(collUserManagers, l.ID); err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
		}
	}
	return nil
}

func dirStr(v any) string {
	s, _ := v.(string)
	return s
}
