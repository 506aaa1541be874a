package directory

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// user (spec section 4). passwordProfile is write-only: it is validated and never
// stored. employeeHireDate and employeeLeaveDateTime are outside the default property
// set: they are returned only when $select names them.

var passwordProfileProps = []property{
	{name: "password", conv: convNonEmpty, required: true},
	{name: "forceChangePasswordNextSignIn", conv: convBool, nullable: true},
	{name: "forceChangePasswordNextSignInWithMfa", conv: convBool, nullable: true},
}

var identityProps = []property{
	{name: "signInType", conv: convNonEmpty, required: true},
	{name: "issuer", conv: convNonEmpty, required: true},
	strProp("issuerAssignedId"),
}

var userType = &objectType{name: "microsoft.graph.user", props: []property{
	readOnlyProp("id", convGUID),
	requiredProp("displayName"),
	requiredProp("userPrincipalName"),
	requiredProp("mailNickname"),
	{name: "accountEnabled", conv: convBool, required: true},
	{name: "passwordProfile", conv: convObject("microsoft.graph.passwordProfile", passwordProfileProps), nullable: true},
	{name: "userType", conv: convEnumString("Member", "Guest")},
	strProp("mail"),
	listProp("otherMails"),
	strProp("department"),
	strProp("jobTitle"),
	strProp("companyName"),
	strProp("country"),
	strProp("employeeId"),
	strProp("employeeType"),
	strProp("usageLocation"),
	strProp("givenName"),
	strProp("surname"),
	// Four of the default properties of https://learn.microsoft.com/en-us/graph/api/user-get?view=graph-rest-1.0
	// (businessPhones, mobilePhone, officeLocation, preferredLanguage); user-post-users sets them.
	listProp("businessPhones"),
	strProp("mobilePhone"),
	strProp("officeLocation"),
	strProp("preferredLanguage"),
	{name: "employeeHireDate", conv: convTime, nullable: true},
	{name: "employeeLeaveDateTime", conv: convTime, nullable: true},
	readOnlyProp("externalUserState", convEnumString("PendingAcceptance", "Accepted")),
	readOnlyProp("externalUserStateChangeDateTime", convTime),
	readOnlyProp("creationType", convString),
	{name: "identities", conv: convObjectList("microsoft.graph.objectIdentity", identityProps), nullable: true, list: true},
	readOnlyProp("createdDateTime", convTime),
}}

// userHidden are stored but only returned when $select names them.
var userHidden = []string{"employeeHireDate", "employeeLeaveDateTime"}

var userFilterable = []string{"id", "displayName", "mail", "userPrincipalName", "mailNickname", "userType", "department",
	"jobTitle", "companyName", "country", "employeeId", "employeeType", "givenName", "surname", "accountEnabled",
	"externalUserState", "creationType", "usageLocation"}

func (s *API) userRoutes(t *route.Table) {
	handle(t, areaUsers, "/users", map[string]route.Handler{
		http.MethodGet:  s.listUsers,
		http.MethodPost: s.createUser,
	})
	handle(t, areaUsers, "/users/{id}", map[string]route.Handler{
		http.MethodGet:    s.getUserHandler,
		http.MethodPatch:  s.updateUser,
		http.MethodDelete: s.deleteUser,
	})
	handle(t, areaUsers, "/users/{id}/manager", map[string]route.Handler{http.MethodGet: s.getManager})
	handle(t, areaUsers, "/users/{id}/manager/$ref", map[string]route.Handler{
		http.MethodPut:    s.setManager,
		http.MethodDelete: s.removeManager,
	})
}

// userOut is a stored user as Graph returns it for the given $select.
func userOut(body map[string]any, selects []string) map[string]any {
	out := make(map[string]any, len(body))
	for k, v := range body {
		out[k] = v
	}
	if len(selects) == 0 {
		for _, k := range userHidden {
			delete(out, k)
		}
		return out
	}
	return odata.ApplySelect(out, selects)
}

func uPNDomain(upn string) string {
	if i := strings.LastIndex(upn, "@"); i >= 0 {
		return upn[i+1:]
	}
	return ""
}

func checkUPN(upn string) error {
	i := strings.LastIndex(upn, "@")
	if i <= 0 || i == len(upn)-1 || strings.ContainsAny(upn, " \t") || !strings.Contains(upn[i+1:], ".") || strings.Count(upn, "@") != 1 {
		return BadRequest("Invalid value specified for property 'userPrincipalName' of resource 'User'.")
	}
	return nil
}

// checkPassword applies the Entra complexity rule: 8 to 256 characters, three of
// lower case, upper case, digits and symbols.
func checkPassword(pp any) error {
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
		return BadRequest("The specified password does not comply with password complexity requirements. Please provide a different password.")
	}
	return nil
}

// newUser builds the stored user from validated input, filling Graph's defaults.
func newUser(in map[string]any, id, created string) map[string]any {
	obj := map[string]any{"id": id, "createdDateTime": created, "userType": "Member", "otherMails": []any{}, "businessPhones": []any{}}
	for _, p := range userType.props {
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
		upn := strOf(obj["userPrincipalName"])
		obj["identities"] = []any{map[string]any{"signInType": "userPrincipalName", "issuer": uPNDomain(upn), "issuerAssignedId": upn}}
	}
	return obj
}

// userByUPN finds a user by user principal name (case-insensitive).
func (s *API) userByUPN(upn, exceptID string) (*store.Record, error) {
	recs, err := s.Store.List(Users)
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		if rec.ID != store.NormID(exceptID) && strings.EqualFold(strOf(rec.Body["userPrincipalName"]), upn) {
			return rec, nil
		}
	}
	return nil, store.ErrNotFound
}

// getUser resolves /users/{id-or-userPrincipalName}.
func (s *API) getUser(id string, read bool) (*store.Record, error) {
	if _, err := uuid.Parse(id); err == nil || !strings.Contains(id, "@") {
		return s.getObject(Users, id, read)
	}
	rec, err := s.userByUPN(id, "")
	if errors.Is(err, store.ErrNotFound) || (err == nil && read && s.Fault.Hidden(rec.CreatedAt)) {
		return nil, notFound(id)
	}
	return rec, err
}

func (s *API) listUsers(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	cq, err := s.parseQuery(r, userFilterable)
	if err != nil {
		return err
	}
	items, err := parseUserExpand(r) // users_expand.go
	if err != nil {
		return err
	}
	expand, err := s.newUserExpander(items)
	if err != nil {
		return err
	}
	recs, err := s.Store.List(Users)
	if err != nil {
		return err
	}
	hide := len(cq.Selects) == 0
	cq.Selects = withExpanded(cq.Selects, items)
	odata.WriteCollection(w, r, cq, recs, "users", func(o map[string]any) map[string]any {
		if hide {
			o = userOut(o, nil)
		} else {
			o = odata.ApplySelect(o, cq.Selects) // a copy for expand to add to
		}
		return expand.apply(o)
	})
	return nil
}

func (s *API) createUser(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := userType.validate(body, true, false)
	if err != nil {
		return err
	}
	if err := checkUPN(in["userPrincipalName"].(string)); err != nil {
		return err
	}
	pp, hasPP := in["passwordProfile"]
	if hasPP && pp != nil {
		if err := checkPassword(pp); err != nil {
			return err
		}
	} else if in["userType"] != "Guest" {
		return BadRequest("Property 'passwordProfile' is required when creating the object of type 'microsoft.graph.user'.")
	}
	obj := newUser(in, uuid.NewString(), s.timestamp())
	created := ""
	defer func() {
		if created != "" {
			s.userChanged(created) // after the write lock is released
		}
	}()
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if _, err := s.userByUPN(obj["userPrincipalName"].(string), ""); err == nil {
		return BadRequest(msgUPNExists)
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	var mgr string
	if ref, ok := body["manager@odata.bind"]; ok {
		if mgr, err = s.managerFromRef(ref, obj["id"].(string)); err != nil {
			return err
		}
	}
	if err := s.Store.Insert(Users, obj["id"].(string), obj, s.Now()); err != nil {
		return err
	}
	if mgr != "" {
		if err := s.putManagerLink(obj["id"].(string), mgr); err != nil {
			return err
		}
	}
	created = obj["id"].(string)
	w.Header().Set("Location", wire.BaseURL(r)+v1+"/users/"+obj["id"].(string))
	wire.WriteJSON(w, http.StatusCreated, wire.WithContext(userOut(obj, nil), s.contextURL(r, "users/$entity")))
	return nil
}

func (s *API) getUserHandler(w http.ResponseWriter, r *http.Request, p route.Params) error {
	items, err := parseUserExpand(r) // users_expand.go
	if err != nil {
		return err
	}
	rec, err := s.getUser(p["id"], true)
	if err != nil {
		return err
	}
	expand, err := s.newUserExpander(items)
	if err != nil {
		return err
	}
	out := expand.apply(userOut(rec.Body, withExpanded(odata.SelectList(r), items)))
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(out, s.contextURL(r, "users/$entity")))
	return nil
}

func (s *API) updateUser(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := userType.validate(body, false, false)
	if err != nil {
		return err
	}
	if pp, ok := in["passwordProfile"]; ok && pp != nil {
		if err := checkPassword(pp); err != nil {
			return err
		}
	}
	// Runs after the write lock is released (deferred first, so it runs last).
	changed := ""
	defer func() {
		if changed != "" {
			s.userChanged(changed)
		}
	}()
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.getUser(p["id"], false)
	if err != nil {
		return err
	}
	if upn, ok := in["userPrincipalName"].(string); ok {
		if err := checkUPN(upn); err != nil {
			return err
		}
		if _, err := s.userByUPN(upn, rec.ID); err == nil {
			return BadRequest(msgUPNExists)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	var mgr string
	if ref, ok := body["manager@odata.bind"]; ok {
		if mgr, err = s.managerFromRef(ref, rec.ID); err != nil {
			return err
		}
	}
	err = s.Store.Update(Users, rec.ID, func(obj map[string]any) error {
		oldUPN := strOf(obj["userPrincipalName"])
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
					if m, ok := x.(map[string]any); ok && m["signInType"] == "userPrincipalName" && strings.EqualFold(strOf(m["issuerAssignedId"]), oldUPN) {
						m["issuerAssignedId"], m["issuer"] = upn, uPNDomain(upn)
					}
				}
			}
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return notFound(p["id"])
	}
	if err != nil {
		return err
	}
	if mgr != "" {
		if err := s.putManagerLink(rec.ID, mgr); err != nil {
			return err
		}
	}
	changed = rec.ID
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *API) deleteUser(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.getUser(p["id"], false)
	if err != nil {
		return err
	}
	if err := s.Store.Delete(Users, rec.ID); err != nil {
		return err
	}
	if err := s.deleteLinks(rec.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- manager ----

// managerFromRef checks a manager reference (@odata.id or manager@odata.bind) and
// returns the manager's id.
func (s *API) managerFromRef(ref any, userID string) (string, error) {
	u, ok := ref.(string)
	if !ok {
		return "", BadRequest("The value of '@odata.id' must be a string.")
	}
	coll, id, err := refURL(u)
	if err != nil {
		return "", err
	}
	found, _, err := s.ResolveRef(coll, id)
	if err != nil {
		return "", err
	}
	if found != Users {
		return "", BadRequest(fmt.Sprintf("The object '%s' cannot be a manager: a manager must be a user.", id))
	}
	if store.NormID(id) == store.NormID(userID) {
		return "", BadRequest("A user cannot be their own manager.")
	}
	return id, nil
}

func (s *API) putManagerLink(userID, managerID string) error {
	if err := s.Store.Delete(UserManagers, userID); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return s.Store.Insert(UserManagers, userID, map[string]any{"userId": store.NormID(userID), "managerId": store.NormID(managerID)}, s.Now())
}

// UserManagerID returns the id of a user's manager, "" when the user has none, and
// store.ErrNotFound when the user does not exist. It does not take the server's write lock.
func (s *API) UserManagerID(userID string) (string, error) {
	if _, err := s.Store.Get(Users, userID); err != nil {
		return "", err
	}
	link, err := s.Store.Get(UserManagers, userID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	mgr := strOf(link.Body["managerId"])
	if _, err := s.Store.Get(Users, mgr); errors.Is(err, store.ErrNotFound) {
		return "", nil // manager deleted out of band
	} else if err != nil {
		return "", err
	}
	return mgr, nil
}

func (s *API) getManager(w http.ResponseWriter, r *http.Request, p route.Params) error {
	rec, err := s.getUser(p["id"], true)
	if err != nil {
		return err
	}
	mgr, err := s.UserManagerID(rec.ID)
	if err != nil {
		return err
	}
	if mgr == "" {
		return notFound("manager")
	}
	m, err := s.Store.Get(Users, mgr)
	if err != nil {
		return err
	}
	out := wire.WithContext(ObjectOut(Users, m.Body), s.contextURL(r, "directoryObjects/$entity"))
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(out, odata.SelectList(r)))
	return nil
}

func (s *API) setManager(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.getUser(p["id"], false)
	if err != nil {
		return err
	}
	if _, ok := body["@odata.id"]; !ok {
		return BadRequest("The request body must contain '@odata.id' with the URL of the manager.")
	}
	mgr, err := s.managerFromRef(body["@odata.id"], rec.ID)
	if err != nil {
		return err
	}
	if err := s.putManagerLink(rec.ID, mgr); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *API) removeManager(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.getUser(p["id"], false)
	if err != nil {
		return err
	}
	if err := s.Store.Delete(UserManagers, rec.ID); errors.Is(err, store.ErrNotFound) {
		return notFound("manager")
	} else if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
