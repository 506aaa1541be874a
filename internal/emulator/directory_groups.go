package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// group (spec section 4). Static members are links in collGroupMembers; the members
// of a group whose groupTypes contain "DynamicMembership" are computed from its
// membershipRule over the users and cannot be added or removed by hand.

func dconvGroupTypes(name string, v any) (any, error) {
	l, err := dconvStringList(name, v)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, x := range l.([]any) {
		s := x.(string)
		canon := ""
		for _, m := range []string{"Unified", "DynamicMembership"} {
			if strings.EqualFold(m, s) {
				canon = m
			}
		}
		if canon == "" {
			return nil, dirBadRequest(fmt.Sprintf("Invalid value specified for property 'groupTypes': '%s'. Valid values: Unified, DynamicMembership.", s))
		}
		if !dirHasGroupType(out, canon) {
			out = append(out, canon)
		}
	}
	return out, nil
}

var dirGroupType = &dirType{name: "microsoft.graph.group", props: []dirProp{
	dpRO("id", dconvGUID),
	dpReq("displayName"),
	dpStr("description"),
	{name: "mailEnabled", conv: dconvBool, required: true},
	dpReq("mailNickname"),
	{name: "securityEnabled", conv: dconvBool, required: true},
	{name: "groupTypes", conv: dconvGroupTypes, nullable: true, list: true},
	dpStr("membershipRule"),
	{name: "membershipRuleProcessingState", conv: dconvEnumString("On", "Paused"), nullable: true},
	{name: "isAssignableToRole", conv: dconvBool, nullable: true},
	{name: "visibility", conv: dconvEnumString("Public", "Private", "HiddenMembership"), nullable: true},
	dpRO("mail", dconvString),
	dpRO("createdDateTime", dconvTime),
}}

var dirGroupFilterable = []string{"id", "displayName", "description", "mail", "mailNickname", "mailEnabled", "securityEnabled",
	"isAssignableToRole", "visibility", "membershipRuleProcessingState"}

// dirMemberFilterable is what $filter may name on /groups/{id}/members.
var dirMemberFilterable = []string{"id", "displayName", "mail", "userPrincipalName", "userType", "department", "appId", "mailNickname"}

func (s *Server) dirRegisterGroupRoutes() {
	s.dirHandle(areaGroups, "/groups", map[string]handlerFunc{
		http.MethodGet:  s.dirListGroups,
		http.MethodPost: s.dirCreateGroup,
	})
	s.dirHandle(areaGroups, "/groups/{id}", map[string]handlerFunc{
		http.MethodGet:    s.dirGetGroup,
		http.MethodPatch:  s.dirUpdateGroup,
		http.MethodDelete: s.dirDeleteGroup,
	})
	s.dirHandle(areaGroups, "/groups/{id}/members", map[string]handlerFunc{http.MethodGet: s.dirListGroupMembers})
	s.dirHandle(areaGroups, "/groups/{id}/members/$ref", map[string]handlerFunc{http.MethodPost: s.dirAddGroupMemberRef})
	s.dirHandle(areaGroups, "/groups/{id}/members/{memberId}/$ref", map[string]handlerFunc{http.MethodDelete: s.dirRemoveGroupMemberRef})
}

func dirHasGroupType(types any, t string) bool {
	l, _ := types.([]any)
	for _, x := range l {
		if s, _ := x.(string); strings.EqualFold(s, t) {
			return true
		}
	}
	return false
}

func dirIsDynamic(group map[string]any) bool {
	return dirHasGroupType(group["groupTypes"], "DynamicMembership")
}

// dirCheckGroup validates a whole group (after defaults or a PATCH were applied) and
// fills the derived properties. seed relaxes the rules API callers are held to.
func dirCheckGroup(obj map[string]any, seed bool) error {
	rule := dirStr(obj["membershipRule"])
	if dirIsDynamic(obj) {
		if strings.TrimSpace(rule) == "" {
			return dirBadRequest("Property 'membershipRule' is required for a group with dynamic membership.")
		}
		if _, err := dirParseRule(rule); err != nil {
			return dirBadRequest(fmt.Sprintf("Invalid value specified for property 'membershipRule': %v.", err))
		}
		if obj["membershipRuleProcessingState"] == nil {
			obj["membershipRuleProcessingState"] = "On"
		}
	} else {
		if rule != "" {
			return dirBadRequest("Property 'membershipRule' can only be set on a group whose groupTypes contain 'DynamicMembership'.")
		}
		obj["membershipRule"], obj["membershipRuleProcessingState"] = nil, nil
	}
	unified := dirHasGroupType(obj["groupTypes"], "Unified")
	if !seed && obj["mailEnabled"] == true && !unified {
		return dirBadRequest("Creating mail-enabled security groups is not supported: set mailEnabled to false or add 'Unified' to groupTypes.")
	}
	if obj["isAssignableToRole"] == true && obj["securityEnabled"] != true {
		return dirBadRequest("A group that is assignable to roles must be security enabled.")
	}
	if unified {
		if obj["visibility"] == nil {
			obj["visibility"] = "Public"
		}
		if obj["mail"] == nil {
			obj["mail"] = dirStr(obj["mailNickname"]) + "@" + SeedTenantDomain
		}
	}
	return nil
}

func dirNewGroup(in map[string]any, id, created string) map[string]any {
	obj := map[string]any{"id": id, "createdDateTime": created, "groupTypes": []any{}}
	for _, p := range dirGroupType.props {
		if _, ok := obj[p.name]; !ok {
			obj[p.name] = nil
		}
	}
	for k, v := range in {
		obj[k] = v
	}
	return obj
}

func (s *Server) dirListGroups(w http.ResponseWriter, r *http.Request, _ params) error {
	cq, err := s.dirParseQuery(r, dirGroupFilterable)
	if err != nil {
		return err
	}
	recs, err := s.Store.List(collGroups)
	if err != nil {
		return err
	}
	odata.WriteCollection(w, r, cq, recs, "groups", nil)
	return nil
}

// dirBindMembers reads members@odata.bind of a group create.
func (s *Server) dirBindMembers(body map[string]any) ([]string, error) {
	raw, ok := body["members@odata.bind"]
	if !ok {
		return nil, nil
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, dirBadRequest("The value of 'members@odata.bind' must be an array of URLs.")
	}
	var ids []string
	for _, x := range list {
		u, ok := x.(string)
		if !ok {
			return nil, dirBadRequest("The value of 'members@odata.bind' must be an array of URLs.")
		}
		coll, id, err := dirRefURL(u)
		if err != nil {
			return nil, err
		}
		if _, _, err := s.dirResolveRef(coll, id); err != nil {
			return nil, err
		}
		if !dirContains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func (s *Server) dirCreateGroup(w http.ResponseWriter, r *http.Request, _ params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := dirGroupType.validate(body, true, false)
	if err != nil {
		return err
	}
	obj := dirNewGroup(in, uuid.NewString(), s.dirTimestamp())
	if err := dirCheckGroup(obj, false); err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	members, err := s.dirBindMembers(body)
	if err != nil {
		return err
	}
	if len(members) > 0 && dirIsDynamic(obj) {
		return dirBadRequest(msgDirDynamicMembers)
	}
	id := obj["id"].(string)
	if err := s.Store.Insert(collGroups, id, obj, s.Now()); err != nil {
		return err
	}
	for _, m := range members {
		if err := s.AddGroupMember(id, m); err != nil {
			return err
		}
	}
	w.Header().Set("Location", wire.BaseURL(r)+dirV1+"/groups/"+id)
	wire.WriteJSON(w, http.StatusCreated, wire.WithContext(obj, s.dirContext(r, "groups/$entity")))
	return nil
}

func (s *Server) dirGetGroup(w http.ResponseWriter, r *http.Request, p params) error {
	rec, err := s.dirGet(collGroups, p["id"], true)
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(wire.WithContext(rec.Body, s.dirContext(r, "groups/$entity")), odata.SelectList(r)))
	return nil
}

func (s *Server) dirUpdateGroup(w http.ResponseWriter, r *http.Request, p params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := dirGroupType.validate(body, false, false)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.dirGet(collGroups, p["id"], false)
	if err != nil {
		return err
	}
	wasDynamic := dirIsDynamic(rec.Body)
	var nowDynamic bool
	err = s.Store.Update(collGroups, rec.ID, func(obj map[string]any) error {
		for k, v := range in {
			obj[k] = v
		}
		if _, setRule := in["membershipRule"]; !setRule && !dirIsDynamic(obj) {
			obj["membershipRule"] = nil // dropping DynamicMembership drops the rule
		}
		nowDynamic = dirIsDynamic(obj)
		return dirCheckGroup(obj, false)
	})
	if err != nil {
		return err
	}
	// A group that becomes dynamic loses its static members.
	if nowDynamic && !wasDynamic {
		links, err := s.Store.List(collGroupMembers)
		if err != nil {
			return err
		}
		for _, l := range links {
			if dirStr(l.Body["groupId"]) == rec.ID {
				if err := s.Store.Delete(collGroupMembers, l.ID); err != nil && !errors.Is(err, ErrNotFound) {
					return err
				}
			}
		}
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) dirDeleteGroup(w http.ResponseWriter, r *http.Request, p params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.dirGet(collGroups, p["id"], false)
	if err != nil {
		return err
	}
	if err := s.Store.Delete(collGroups, rec.ID); err != nil {
		return err
	}
	if err := s.dirDeleteLinks(rec.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- members ----

// dirMember is one member of a group: the collection it lives in and its record.
// seq orders and pages member lists (the link's seq for static members).
type dirMember struct {
	coll string
	rec  *store.Record
	seq  int64
}

func (s *Server) dirGroupMembers(group *store.Record) ([]dirMember, error) {
	var out []dirMember
	if dirIsDynamic(group.Body) {
		rule, err := dirParseRule(dirStr(group.Body["membershipRule"]))
		if err != nil {
			return nil, nil //nolint:nilerr // a rule broken out of band matches nobody
		}
		users, err := s.Store.List(collUsers)
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			if rule.match(u.Body) {
				out = append(out, dirMember{coll: collUsers, rec: u, seq: u.Seq})
			}
		}
		return out, nil
	}
	links, err := s.Store.List(collGroupMembers)
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		if dirStr(l.Body["groupId"]) != group.ID {
			continue
		}
		coll, rec, err := s.dirFind(dirStr(l.Body["memberId"]), false)
		if errors.Is(err, ErrNotFound) {
			continue // deleted out of band
		}
		if err != nil {
			return nil, err
		}
		out = append(out, dirMember{coll: coll, rec: rec, seq: l.Seq})
	}
	return out, nil
}

// GroupMemberIDs returns the ids of a group's direct members in the order they were
// added (for a dynamic group: the users its membershipRule matches). An unknown group
// is an error matching ErrNotFound. It does not take the server's write lock, so it
// can be called from a handler that holds it.
func (s *Server) GroupMemberIDs(groupID string) ([]string, error) {
	g, err := s.Store.Get(collGroups, groupID)
	if errors.Is(err, ErrNotFound) {
		return nil, dirNotFound(groupID)
	}
	if err != nil {
		return nil, err
	}
	members, err := s.dirGroupMembers(g)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(members))
	for _, m := range members {
		ids = append(ids, m.rec.ID)
	}
	return ids, nil
}

// AddGroupMember adds a user, group or service principal to a group's static members.
// Errors are Graph errors (a handler may return them as they are) that also match
// ErrNotFound (unknown group or member), ErrAlreadyMember or ErrDynamicGroup with
// errors.Is. It does not take the server's write lock, so it can be called from a
// handler that holds it.
func (s *Server) AddGroupMember(groupID, memberID string) error {
	g, err := s.Store.Get(collGroups, groupID)
	if errors.Is(err, ErrNotFound) {
		return dirNotFound(groupID)
	}
	if err != nil {
		return err
	}
	if dirIsDynamic(g.Body) {
		return &dirErr{api: dirBadRequest(msgDirDynamicMembers), sentinel: ErrDynamicGroup}
	}
	coll, m, err := s.dirFind(memberID, false)
	if errors.Is(err, ErrNotFound) {
		return dirNotFound(memberID)
	}
	if err != nil {
		return err
	}
	if m.ID == g.ID {
		return dirBadRequest("A group cannot be a member of itself.")
	}
	linkID := g.ID + "_" + m.ID
	if _, err := s.Store.Get(collGroupMembers, linkID); err == nil {
		return &dirErr{api: dirBadRequest(msgDirMemberExists), sentinel: ErrAlreadyMember}
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	memberType := ""
	for _, k := range dirMemberKinds {
		if k.coll == coll {
			memberType = k.memberType
		}
	}
	err = s.Store.Insert(collGroupMembers, linkID, map[string]any{"groupId": g.ID, "memberId": m.ID, "memberType": memberType}, s.Now())
	if err != nil && strings.Contains(err.Error(), "UNIQUE") { // lost a race with a concurrent add
		return &dirErr{api: dirBadRequest(msgDirMemberExists), sentinel: ErrAlreadyMember}
	}
	return err
}

// RemoveGroupMember removes a static member. Errors are Graph errors that also match
// ErrNotFound (unknown group), ErrNotMember or ErrDynamicGroup with errors.Is. It does
// not take the server's write lock.
func (s *Server) RemoveGroupMember(groupID, memberID string) error {
	g, err := s.Store.Get(collGroups, groupID)
	if errors.Is(err, ErrNotFound) {
		return dirNotFound(groupID)
	}
	if err != nil {
		return err
	}
	if dirIsDynamic(g.Body) {
		return &dirErr{api: dirBadRequest(msgDirDynamicMembers), sentinel: ErrDynamicGroup}
	}
	err = s.Store.Delete(collGroupMembers, g.ID+"_"+store.NormID(memberID))
	if errors.Is(err, ErrNotFound) {
		return &dirErr{api: &wire.Error{Status: http.StatusNotFound, Code: codeDirNotFound,
			Message: "Resource '" + memberID + "' does not exist or one of its queried reference-property objects are not present."}, sentinel: ErrNotMember}
	}
	return err
}

func (s *Server) dirListGroupMembers(w http.ResponseWriter, r *http.Request, p params) error {
	g, err := s.dirGet(collGroups, p["id"], true)
	if err != nil {
		return err
	}
	cq, err := s.dirParseQuery(r, dirMemberFilterable)
	if err != nil {
		return err
	}
	members, err := s.dirGroupMembers(g)
	if err != nil {
		return err
	}
	recs := make([]*store.Record, 0, len(members))
	for _, m := range members {
		var body map[string]any
		if m.coll == collUsers {
			body = dirUserOut(m.rec.Body, cq.Selects)
		} else {
			body = make(map[string]any, len(m.rec.Body)+1)
			for k, v := range m.rec.Body {
				body[k] = v
			}
		}
		body["@odata.type"] = dirODataType(m.coll)
		recs = append(recs, &store.Record{Seq: m.seq, ID: m.rec.ID, Body: body, CreatedAt: m.rec.CreatedAt})
	}
	odata.WriteCollection(w, r, cq, recs, "directoryObjects", nil)
	return nil
}

func (s *Server) dirAddGroupMemberRef(w http.ResponseWriter, r *http.Request, p params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	g, err := s.dirGet(collGroups, p["id"], false)
	if err != nil {
		return err
	}
	coll, id, err := dirParseRef(body)
	if err != nil {
		return err
	}
	if _, _, err := s.dirResolveRef(coll, id); err != nil {
		return err
	}
	if err := s.AddGroupMember(g.ID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) dirRemoveGroupMemberRef(w http.ResponseWriter, r *http.Request, p params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	g, err := s.dirGet(collGroups, p["id"], false)
	if err != nil {
		return err
	}
	if _, err := uuid.Parse(p["memberId"]); err != nil {
		return dirInvalidObjectID(p["memberId"])
	}
	if err := s.RemoveGroupMember(g.ID, p["memberId"]); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
