package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// user (spec section 4). passwordProfile is write-only: it is validated and never
// stored. employeeHireDate and employeeLeaveDateTime are outside the default property
// set: they are returned only when $select names them.

var dirPasswordProfileProps = []dirProp{
	{name: "password", conv: dconvNonEmpty, required: true},
	{name: "forceChangePasswordNextSignIn", conv: dconvBool, nullable: true},
	{name: "forceChangePasswordNextSignInWithMfa", conv: dconvBool, nullable: true},
}

var dirIdentityProps = []dirProp{
	{name: "signInType", conv: dconvNonEmpty, required: true},
	{name: "issuer", conv: dconvNonEmpty, required: true},
	dpStr("issuerAssignedId"),
}

var dirUserType = &dirType{name: "microsoft.graph.user", props: []dirProp{
	dpRO("id", dconvGUID),
	dpReq("displayName"),
	dpReq("userPrincipalName"),
	dpReq("mailNickname"),
	{name: "accountEnabled", conv: dconvBool, required: true},
	{name: "passwordProfile", conv: dconvObject("microsoft.graph.passwordProfile", dirPasswordProfileProps), nullable: true},
	{name: "userType", conv: dconvEnumString("Member", "Guest")},
	dpStr("mail"),
	dpList("otherMails"),
	dpStr("department"),
	dpStr("jobTitle"),
	dpStr("companyName"),
	dpStr("country"),
	dpStr("employeeId"),
	dpStr("employeeType"),
	dpStr("usageLocation"),
	dpStr("givenName"),
	dpStr("surname"),
	{name: "employeeHireDate", conv: dconvTime, nullable: true},
	{name: "employeeLeaveDateTime", conv: dconvTime, nullable: true},
	dpRO("externalUserState", dconvEnumString("PendingAcceptance", "Accepted")),
	dpRO("creationType", dconvString),
	{name: "identities", conv: dconvObjectList("microsoft.graph.objectIdentity", dirIdentityProps), nullable: true, list: true},
	dpRO("createdDateTime", dconvTime),
}}

// dirUserHidden are stored but only returned when $select names them.
var dirUserHidden = []string{"employeeHireDate", "employeeLeaveDateTime"}

var dirUserFilterable = []string{"id", "displayName", "mail", "userPrincipalName", "mailNickname", "userType", "department",
	"jobTitle", "companyName", "country", "employeeId", "employeeType", "givenName", "surname", "accountEnabled",
	"externalUserState", "creationType", "usageLocation"}

func (s *Server) dirRegisterUserRoutes() {
	s.dirHandle(areaUsers, "/users", map[string]handlerFunc{
		http.MethodGet:  s.dirListUsers,
		http.MethodPost: s.dirCreateUser,
	})
	s.dirHandle(areaUsers, "/users/{id}", map[string]handlerFunc{
		http.MethodGet:    s.dirGetUserHandler,
		http.MethodPatch:  s.dirUpdateUser,
		http.MethodDelete: s.dirDeleteUser,
	})
	s.dirHandle(areaUsers, "/users/{id}/manager", map[string]handlerFunc{http.MethodGet: s.dirGetManager})
	s.dirHandle(areaUsers, "/users/{id}/manager/$ref", map[string]handlerFunc{
		http.MethodPut:    s.dirSetManager,
		http.MethodDelete: s.dirRemoveManager,
	})
}

// dirUserOut is a stored user as Graph returns it for the given $select.
func dirUserOut(body map[string]any, selects []string) map[string]any {
	out := make(map[string]any, len(body))
	for k, v := range body {
		out[k] = v
	}
	if len(selects) == 0 {
		for _, k := range dirUserHidden {
			delete(out, k)
		}
		return out
	}
	return odata.ApplySelect(out, selects)
}

func dirUPNDomain(upn string) string {
	if i := strings.LastIndex(upn, "@"); i >= 0 {
		return upn[i+1:]
	}
	return ""
}

func dirCheckUPN(upn string) error {
	i := strings.LastIndex(upn, "@")
	if i <= 0 || i == len(upn)-1 || strings.ContainsAny(upn, " \t") || !strings.Contains(upn[i+1:], ".") || strings.Count(upn, "@") != 1 {
		return dirBadRequest("Invalid value specified for property 'userPrincipalName' of resource 'User'.")
	}
	return nil
}

// dirCheckPassword applies the Entra complexity rule: 8 to 256 characters, three of
// lower case, upper case, digits and symbols.
func dirCheckPassword(pp any) error {
	m, _ := pp.(map[string]any)
	pw, _ := m["password"].(string)
	var lower, upper, digit, other int
	for _, c := range pw {
		switch {
		case unicode.IsLower(c):
			lower = 1
		case unicode.IsUpper(c):
			upper = 1
		case unicode.IsDigit(c):
			digit = 1
		default:
			other = 1
		}
	}
	if len(pw) < 8 || len(pw) > 256 || lower+upper+digit+other < 3 {
		return dirBadRequest("The specified password does not comply with password complexity requirements. Please provide a different password.")
	}
	return nil
}

// dirNewUser builds the stored user from validated input, filling Graph's defaults.
func dirNewUser(in map[string]any, id, created string) map[string]any {
	obj := map[string]any{"id": id, "createdDateTime": created, "userType": "Member", "otherMails": []any{}}
	for _, p := range dirUserType.props {
		if _, ok := obj[p.name]; !ok && p.name != "passwordProfile" {
			obj[p.name] = nil
		}
	}
	for k, v := range in {
		if k != "passwordProfile" {
			obj[k] = v
		}
	}
	if ids, _ := obj["identities"].([]any); len(ids) == 0 {
		upn := dirStr(obj["userPrincipalName"])
		obj["identities"] = []any{map[string]any{"signInType": "userPrincipalName", "issuer": dirUPNDomain(upn), "issuerAssignedId": upn}}
	}
	return obj
}

// dirUserByUPN finds a user by user principal name (case-insensitive).
func (s *Server) dirUserByUPN(upn, exceptID string) (*store.Record, error) {
	recs, err := s.Store.List(collUsers)
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		if rec.ID != store.NormID(exceptID) && strings.EqualFold(dirStr(rec.Body["userPrincipalName"]), upn) {
			return rec, nil
		}
	}
	return nil, ErrNotFound
}

// dirGetUser resolves /users/{id-or-userPrincipalName}.
func (s *Server) dirGetUser(id string, read bool) (*store.Record, error) {
	if _, err := uuid.Parse(id); err == nil || !strings.Contains(id, "@") {
		return s.dirGet(collUsers, id, read)
	}
	rec, err := s.dirUserByUPN(id, "")
	if errors.Is(err, ErrNotFound) || (err == nil && read && s.hiddenByReplication(rec.CreatedAt)) {
		return nil, dirNotFound(id)
	}
	return rec, err
}

func (s *Server) dirListUsers(w http.ResponseWriter, r *http.Request, _ params) error {
	cq, err := s.dirParseQuery(r, dirUserFilterable)
	if err != nil {
		return err
	}
	recs, err := s.Store.List(collUsers)
	if err != nil {
		return err
	}
	hide := len(cq.Selects) == 0
	odata.WriteCollection(w, r, cq, recs, "users", func(o map[string]any) map[string]any {
		if hide {
			return dirUserOut(o, nil)
		}
		return o
	})
	return nil
}

func (s *Server) dirCreateUser(w http.ResponseWriter, r *http.Request, _ params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := dirUserType.validate(body, true, false)
	if err != nil {
		return err
	}
	if err := dirCheckUPN(in["userPrincipalName"].(string)); err != nil {
		return err
	}
	pp, hasPP := in["passwordProfile"]
	if hasPP && pp != nil {
		if err := dirCheckPassword(pp); err != nil {
			return err
		}
	} else if in["userType"] != "Guest" {
		return dirBadRequest("Property 'passwordProfile' is required when creating the object of type 'microsoft.graph.user'.")
	}
	obj := dirNewUser(in, uuid.NewString(), s.dirTimestamp())
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if _, err := s.dirUserByUPN(obj["userPrincipalName"].(string), ""); err == nil {
		return dirBadRequest(msgDirUPNExists)
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	var mgr string
	if ref, ok := body["manager@odata.bind"]; ok {
		if mgr, err = s.dirManagerFromRef(ref, obj["id"].(string)); err != nil {
			return err
		}
	}
	if err := s.Store.Insert(collUsers, obj["id"].(string), obj, s.Now()); err != nil {
		return err
	}
	if mgr != "" {
		if err := s.dirPutManagerLink(obj["id"].(string), mgr); err != nil {
			return err
		}
	}
	w.Header().Set("Location", wire.BaseURL(r)+dirV1+"/users/"+obj["id"].(string))
	wire.WriteJSON(w, http.StatusCreated, wire.WithContext(dirUserOut(obj, nil), s.dirContext(r, "users/$entity")))
	return nil
}

func (s *Server) dirGetUserHandler(w http.ResponseWriter, r *http.Request, p params) error {
	rec, err := s.dirGetUser(p["id"], true)
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(dirUserOut(rec.Body, odata.SelectList(r)), s.dirContext(r, "users/$entity")))
	return nil
}

func (s *Server) dirUpdateUser(w http.ResponseWriter, r *http.Request, p params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := dirUserType.validate(body, false, false)
	if err != nil {
		return err
	}
	if pp, ok := in["passwordProfile"]; ok && pp != nil {
		if err := dirCheckPassword(pp); err != nil {
			return err
		}
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.dirGetUser(p["id"], false)
	if err != nil {
		return err
	}
	if upn, ok := in["userPrincipalName"].(string); ok {
		if err := dirCheckUPN(upn); err != nil {
			return err
		}
		if _, err := s.dirUserByUPN(upn, rec.ID); err == nil {
			return dirBadRequest(msgDirUPNExists)
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	var mgr string
	if ref, ok := body["manager@odata.bind"]; ok {
		if mgr, err = s.dirManagerFromRef(ref, rec.ID); err != nil {
			return err
		}
	}
	err = s.Store.Update(collUsers, rec.ID, func(obj map[string]any) error {
		oldUPN := dirStr(obj["userPrincipalName"])
		for k, v := range in {
			if k != "passwordProfile" {
				obj[k] = v
			}
		}
		// Keep the sign-in identity that mirrors the UPN in step with it.
		if upn, ok := in["userPrincipalName"].(string); ok {
			if _, setIDs := in["identities"]; !setIDs {
				ids, _ := obj["identities"].([]any)
				for _, x := range ids {
					if m, ok := x.(map[string]any); ok && m["signInType"] == "userPrincipalName" && strings.EqualFold(dirStr(m["issuerAssignedId"]), oldUPN) {
						m["issuerAssignedId"], m["issuer"] = upn, dirUPNDomain(upn)
					}
				}
			}
		}
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return dirNotFound(p["id"])
	}
	if err != nil {
		return err
	}
	if mgr != "" {
		if err := s.dirPutManagerLink(rec.ID, mgr); err != nil {
			return err
		}
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) dirDeleteUser(w http.ResponseWriter, r *http.Request, p params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.dirGetUser(p["id"], false)
	if err != nil {
		return err
	}
	if err := s.Store.Delete(collUsers, rec.ID); err != nil {
		return err
	}
	if err := s.dirDeleteLinks(rec.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- manager ----

// dirManagerFromRef checks a manager reference (@odata.id or manager@odata.bind) and
// returns the manager's id.
func (s *Server) dirManagerFromRef(ref any, userID string) (string, error) {
	u, ok := ref.(string)
	if !ok {
		return "", dirBadRequest("The value of '@odata.id' must be a string.")
	}
	coll, id, err := dirRefURL(u)
	if err != nil {
		return "", err
	}
	found, _, err := s.dirResolveRef(coll, id)
	if err != nil {
		return "", err
	}
	if found != collUsers {
		return "", dirBadRequest(fmt.Sprintf("The object '%s' cannot be a manager: a manager must be a user.", id))
	}
	if store.NormID(id) == store.NormID(userID) {
		return "", dirBadRequest("A user cannot be their own manager.")
	}
	return id, nil
}

func (s *Server) dirPutManagerLink(userID, managerID string) error {
	if err := s.Store.Delete(collUserManagers, userID); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return s.Store.Insert(collUserManagers, userID, map[string]any{"userId": store.NormID(userID), "managerId": store.NormID(managerID)}, s.Now())
}

// UserManagerID returns the id of a user's manager, "" when the user has none, and
// ErrNotFound when the user does not exist. It does not take the server's write lock.
func (s *Server) UserManagerID(userID string) (string, error) {
	if _, err := s.Store.Get(collUsers, userID); err != nil {
		return "", err
	}
	link, err := s.Store.Get(collUserManagers, userID)
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	mgr := dirStr(link.Body["managerId"])
	if _, err := s.Store.Get(collUsers, mgr); errors.Is(err, ErrNotFound) {
		return "", nil // manager deleted out of band
	} else if err != nil {
		return "", err
	}
	return mgr, nil
}

func (s *Server) dirGetManager(w http.ResponseWriter, r *http.Request, p params) error {
	rec, err := s.dirGetUser(p["id"], true)
	if err != nil {
		return err
	}
	mgr, err := s.UserManagerID(rec.ID)
	if err != nil {
		return err
	}
	if mgr == "" {
		return dirNotFound("manager")
	}
	m, err := s.Store.Get(collUsers, mgr)
	if err != nil {
		return err
	}
	out := wire.WithContext(directoryObjectOut(collUsers, m.Body), s.dirContext(r, "directoryObjects/$entity"))
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(out, odata.SelectList(r)))
	return nil
}

func (s *Server) dirSetManager(w http.ResponseWriter, r *http.Request, p params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.dirGetUser(p["id"], false)
	if err != nil {
		return err
	}
	if _, ok := body["@odata.id"]; !ok {
		return dirBadRequest("The request body must contain '@odata.id' with the URL of the manager.")
	}
	mgr, err := s.dirManagerFromRef(body["@odata.id"], rec.ID)
	if err != nil {
		return err
	}
	if err := s.dirPutManagerLink(rec.ID, mgr); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) dirRemoveManager(w http.ResponseWriter, r *http.Request, p params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.dirGetUser(p["id"], false)
	if err != nil {
		return err
	}
	if err := s.Store.Delete(collUserManagers, rec.ID); errors.Is(err, ErrNotFound) {
		return dirNotFound("manager")
	} else if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
