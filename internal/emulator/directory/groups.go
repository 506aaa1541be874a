package directory

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// group (spec section 4). Static members are links in GroupMembers; the members
// of a group whose groupTypes contain "DynamicMembership" are computed from its
// membershipRule over the users and cannot be added or removed by hand.

func convGroupTypes(name string, v any) (any, error) {
	l, err := convStringList(name, v)
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
			return nil, BadRequest(fmt.Sprintf("Invalid value specified for property 'groupTypes': '%s'. Valid values: Unified, DynamicMembership.", s))
		}
		if !hasGroupType(out, canon) {
			out = append(out, canon)
		}
	}
	return out, nil
}

var groupType = &objectType{name: "microsoft.graph.group", props: []property{
	readOnlyProp("id", convGUID),
	requiredProp("displayName"),
	strProp("description"),
	{name: "mailEnabled", conv: convBool, required: true},
	requiredProp("mailNickname"),
	{name: "securityEnabled", conv: convBool, required: true},
	{name: "groupTypes", conv: convGroupTypes, nullable: true, list: true},
	strProp("membershipRule"),
	{name: "membershipRuleProcessingState", conv: convEnumString("On", "Paused"), nullable: true},
	{name: "isAssignableToRole", conv: convBool, nullable: true},
	{name: "visibility", conv: convEnumString("Public", "Private", "HiddenMembership"), nullable: true},
	readOnlyProp("mail", convString),
	readOnlyProp("createdDateTime", convTime),
	// The rest of the default property set of a group, as
	// https://learn.microsoft.com/en-us/graph/api/group-get?view=graph-rest-1.0 answers it: the
	// settable ones of https://learn.microsoft.com/en-us/graph/api/group-post-groups?view=graph-rest-1.0
	// and group-update, and the ones the service fills (read-only here).
	strProp("classification"),
	strProp("preferredDataLocation"),
	strProp("preferredLanguage"),
	strProp("theme"),
	listProp("resourceBehaviorOptions"),
	listProp("resourceProvisioningOptions"),
	readOnlyProp("deletedDateTime", convTime),
	readOnlyProp("expirationDateTime", convTime),
	readOnlyProp("renewedDateTime", convTime),
	readOnlyProp("securityIdentifier", convString),
	{name: "proxyAddresses", conv: convStringList, readOnly: true, nullable: true, list: true},
	readOnlyProp("onPremisesDomainName", convString),
	readOnlyProp("onPremisesLastSyncDateTime", convTime),
	readOnlyProp("onPremisesNetBiosName", convString),
	readOnlyProp("onPremisesSamAccountName", convString),
	readOnlyProp("onPremisesSecurityIdentifier", convString),
	readOnlyProp("onPremisesSyncEnabled", convBool),
	{name: "onPremisesProvisioningErrors", conv: convObjectList("microsoft.graph.onPremisesProvisioningError", onPremisesErrorProps), readOnly: true, nullable: true, list: true},
}}

// onPremisesErrorProps are the properties of an onPremisesProvisioningError (seed files only).
var onPremisesErrorProps = []property{strProp("category"), readOnlyProp("occurredDateTime", convTime), strProp("propertyCausingError"), strProp("value")}

// maxBindMembers is how many members one PATCH may add with members@odata.bind
// (Example 2 of https://learn.microsoft.com/en-us/graph/api/group-post-members?view=graph-rest-1.0).
const maxBindMembers = 20

// securityIdentifier is the SID of a cloud group: S-1-12-1- and the object id's 16 bytes
// (in GUID byte order) as four little-endian 32-bit numbers; the page's group
// 02bd9fd6-8f93-4758-87c3-1fb73740a315 has S-1-12-1-45981654-1196986259-3072312199-363020343
// (https://learn.microsoft.com/en-us/graph/api/group-get?view=graph-rest-1.0).
func securityIdentifier(id string) string {
	u, err := uuid.Parse(id)
	if err != nil {
		return ""
	}
	// uuid.UUID is in RFC 4122 (big-endian) order; the first three fields are little-endian in GUID order.
	b := [16]byte{u[3], u[2], u[1], u[0], u[5], u[4], u[7], u[6]}
	copy(b[8:], u[8:])
	parts := make([]string, 4)
	for i := range parts {
		parts[i] = strconv.FormatUint(uint64(binary.LittleEndian.Uint32(b[4*i:])), 10)
	}
	return "S-1-12-1-" + strings.Join(parts, "-")
}

var groupFilterable = []string{"id", "displayName", "description", "mail", "mailNickname", "mailEnabled", "securityEnabled",
	"isAssignableToRole", "visibility", "membershipRuleProcessingState"}

// MemberFilterable is what $filter may name on /groups/{id}/members.
var MemberFilterable = []string{"id", "displayName", "mail", "userPrincipalName", "userType", "department", "appId", "mailNickname"}

func (s *API) groupRoutes(t *route.Table) {
	handle(t, areaGroups, "/groups", map[string]route.Handler{
		http.MethodGet:  s.listGroups,
		http.MethodPost: s.createGroup,
	})
	handle(t, areaGroups, "/groups/{id}", map[string]route.Handler{
		http.MethodGet:    s.getGroup,
		http.MethodPatch:  s.updateGroup,
		http.MethodDelete: s.deleteGroup,
	})
	handle(t, areaGroups, "/groups/{id}/members", map[string]route.Handler{http.MethodGet: s.listGroupMembers})
	handle(t, areaGroups, "/groups/{id}/members/$ref", map[string]route.Handler{http.MethodPost: s.addGroupMemberRef})
	handle(t, areaGroups, "/groups/{id}/members/{memberId}/$ref", map[string]route.Handler{http.MethodDelete: s.removeGroupMemberRef})
}

func hasGroupType(types any, t string) bool {
	l, _ := types.([]any)
	for _, x := range l {
		if s, _ := x.(string); strings.EqualFold(s, t) {
			return true
		}
	}
	return false
}

func isDynamic(group map[string]any) bool {
	return hasGroupType(group["groupTypes"], "DynamicMembership")
}

// checkGroup validates a whole group (after defaults or a PATCH were applied) and
// fills the derived properties. seed relaxes the rules API callers are held to.
func checkGroup(obj map[string]any, seed bool) error {
	rule := strOf(obj["membershipRule"])
	if isDynamic(obj) {
		if strings.TrimSpace(rule) == "" {
			return BadRequest("Property 'membershipRule' is required for a group with dynamic membership.")
		}
		if _, err := ParseRule(rule); err != nil {
			return BadRequest(fmt.Sprintf("Invalid value specified for property 'membershipRule': %v.", err))
		}
		if obj["membershipRuleProcessingState"] == nil {
			obj["membershipRuleProcessingState"] = "On"
		}
	} else {
		if rule != "" {
			return BadRequest("Property 'membershipRule' can only be set on a group whose groupTypes contain 'DynamicMembership'.")
		}
		obj["membershipRule"], obj["membershipRuleProcessingState"] = nil, nil
	}
	unified := hasGroupType(obj["groupTypes"], "Unified")
	if !seed && obj["mailEnabled"] == true && !unified {
		return BadRequest("Creating mail-enabled security groups is not supported: set mailEnabled to false or add 'Unified' to groupTypes.")
	}
	if obj["isAssignableToRole"] == true && obj["securityEnabled"] != true {
		return BadRequest("A group that is assignable to roles must be security enabled.")
	}
	if unified {
		if obj["visibility"] == nil {
			obj["visibility"] = "Public"
		}
		if obj["mail"] == nil {
			obj["mail"] = strOf(obj["mailNickname"]) + "@" + SeedTenantDomain
		}
	}
	// A mail-enabled group's primary SMTP address is its mail.
	if mail := strOf(obj["mail"]); mail != "" && len(wire.AnySlice(obj["proxyAddresses"])) == 0 {
		obj["proxyAddresses"] = []any{"SMTP:" + mail}
	}
	return nil
}

func newGroup(in map[string]any, id, created string) map[string]any {
	obj := map[string]any{"id": id, "createdDateTime": created, "renewedDateTime": created, "groupTypes": []any{},
		"securityIdentifier": securityIdentifier(id), "proxyAddresses": []any{}, "resourceBehaviorOptions": []any{},
		"resourceProvisioningOptions": []any{}, "onPremisesProvisioningErrors": []any{}}
	for _, p := range groupType.props {
		if _, ok := obj[p.name]; !ok {
			obj[p.name] = nil
		}
	}
	for k, v := range in {
		obj[k] = v
	}
	return obj
}

func (s *API) listGroups(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	cq, err := s.parseQuery(r, groupFilterable)
	if err != nil {
		return err
	}
	recs, err := s.Store.List(Groups)
	if err != nil {
		return err
	}
	odata.WriteCollection(w, r, cq, recs, "groups", nil)
	return nil
}

// bindMembers reads members@odata.bind of a group create.
func (s *API) bindMembers(body map[string]any) ([]string, error) {
	raw, ok := body["members@odata.bind"]
	if !ok {
		return nil, nil
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, BadRequest("The value of 'members@odata.bind' must be an array of URLs.")
	}
	var ids []string
	for _, x := range list {
		u, ok := x.(string)
		if !ok {
			return nil, BadRequest("The value of 'members@odata.bind' must be an array of URLs.")
		}
		coll, id, err := refURL(u)
		if err != nil {
			return nil, err
		}
		if _, _, err := s.ResolveRef(coll, id); err != nil {
			return nil, err
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func (s *API) createGroup(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := groupType.validate(body, true, false)
	if err != nil {
		return err
	}
	obj := newGroup(in, uuid.NewString(), s.timestamp())
	if err := checkGroup(obj, false); err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	members, err := s.bindMembers(body)
	if err != nil {
		return err
	}
	if len(members) > 0 && isDynamic(obj) {
		return BadRequest(msgDynamicMembers)
	}
	id := obj["id"].(string)
	if err := s.Store.Insert(Groups, id, obj, s.Now()); err != nil {
		return err
	}
	for _, m := range members {
		if err := s.AddGroupMember(id, m); err != nil {
			return err
		}
	}
	w.Header().Set("Location", wire.BaseURL(r)+v1+"/groups/"+id)
	wire.WriteJSON(w, http.StatusCreated, wire.WithContext(obj, s.contextURL(r, "groups/$entity")))
	return nil
}

func (s *API) getGroup(w http.ResponseWriter, r *http.Request, p route.Params) error {
	rec, err := s.getObject(Groups, p["id"], true)
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(wire.WithContext(rec.Body, s.contextURL(r, "groups/$entity")), odata.SelectList(r)))
	return nil
}

func (s *API) updateGroup(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := groupType.validate(body, false, false)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.getObject(Groups, p["id"], false)
	if err != nil {
		return err
	}
	// members@odata.bind adds up to 20 members; any error adds none (Example 2 of
	// https://learn.microsoft.com/en-us/graph/api/group-post-members?view=graph-rest-1.0).
	members, err := s.patchMembers(rec, body)
	if err != nil {
		return err
	}
	wasDynamic := isDynamic(rec.Body)
	var nowDynamic bool
	err = s.Store.Update(Groups, rec.ID, func(obj map[string]any) error {
		for k, v := range in {
			obj[k] = v
		}
		if _, setRule := in["membershipRule"]; !setRule && !isDynamic(obj) {
			obj["membershipRule"] = nil // dropping DynamicMembership drops the rule
		}
		nowDynamic = isDynamic(obj)
		if nowDynamic && len(members) > 0 {
			return BadRequest(msgDynamicMembers)
		}
		return checkGroup(obj, false)
	})
	if err != nil {
		return err
	}
	for _, m := range members {
		if err := s.AddGroupMember(rec.ID, m); err != nil {
			return err
		}
	}
	// A group that becomes dynamic loses its static members.
	if nowDynamic && !wasDynamic {
		links, err := s.Store.List(GroupMembers)
		if err != nil {
			return err
		}
		for _, l := range links {
			if strOf(l.Body["groupId"]) == rec.ID {
				if err := s.Store.Delete(GroupMembers, l.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
			}
		}
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// patchMembers reads members@odata.bind of a group PATCH and checks every member
// before any is added: at most maxBindMembers, each an existing object, not the group
// itself and not yet a member.
func (s *API) patchMembers(group *store.Record, body map[string]any) ([]string, error) {
	ids, err := s.bindMembers(body)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	if len(ids) > maxBindMembers {
		return nil, BadRequest(fmt.Sprintf("Up to %d members can be added in one request with 'members@odata.bind'; got %d.", maxBindMembers, len(ids)))
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		_, m, err := s.Find(id, false)
		if err != nil {
			return nil, err // bindMembers resolved it under the lock
		}
		if m.ID == group.ID {
			return nil, BadRequest("A group cannot be a member of itself.")
		}
		if slices.Contains(out, m.ID) {
			continue
		}
		if _, err := s.Store.Get(GroupMembers, group.ID+"_"+m.ID); err == nil {
			return nil, BadRequest(msgMemberExists)
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		out = append(out, m.ID)
	}
	return out, nil
}

func (s *API) deleteGroup(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.getObject(Groups, p["id"], false)
	if err != nil {
		return err
	}
	if err := s.Store.Delete(Groups, rec.ID); err != nil {
		return err
	}
	if err := s.deleteLinks(rec.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ---- members ----

// groupMember is one member of a group: the collection it lives in and its record.
// seq orders and pages member lists (the link's seq for static members).
type groupMember struct {
	coll string
	rec  *store.Record
	seq  int64
}

func (s *API) groupMembers(group *store.Record) ([]groupMember, error) {
	var out []groupMember
	if isDynamic(group.Body) {
		rule, err := ParseRule(strOf(group.Body["membershipRule"]))
		if err != nil {
			return nil, nil //nolint:nilerr // a rule broken out of band matches nobody
		}
		users, err := s.Store.List(Users)
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			if rule.Match(u.Body) {
				out = append(out, groupMember{coll: Users, rec: u, seq: u.Seq})
			}
		}
		return out, nil
	}
	links, err := s.Store.List(GroupMembers)
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		if strOf(l.Body["groupId"]) != group.ID {
			continue
		}
		coll, rec, err := s.Find(strOf(l.Body["memberId"]), false)
		if errors.Is(err, store.ErrNotFound) {
			continue // deleted out of band
		}
		if err != nil {
			return nil, err
		}
		out = append(out, groupMember{coll: coll, rec: rec, seq: l.Seq})
	}
	return out, nil
}

// GroupMemberIDs returns the ids of a group's direct members in the order they were
// added (for a dynamic group: the users its membershipRule matches). An unknown group
// is an error matching store.ErrNotFound. It does not take the server's write lock, so it
// can be called from a handler that holds it.
func (s *API) GroupMemberIDs(groupID string) ([]string, error) {
	g, err := s.Store.Get(Groups, groupID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound(groupID)
	}
	if err != nil {
		return nil, err
	}
	members, err := s.groupMembers(g)
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
// store.ErrNotFound (unknown group or member), ErrAlreadyMember or ErrDynamicGroup with
// errors.Is. It does not take the server's write lock, so it can be called from a
// handler that holds it.
func (s *API) AddGroupMember(groupID, memberID string) error {
	g, err := s.Store.Get(Groups, groupID)
	if errors.Is(err, store.ErrNotFound) {
		return notFound(groupID)
	}
	if err != nil {
		return err
	}
	if isDynamic(g.Body) {
		return &wire.SentinelError{API: BadRequest(msgDynamicMembers), Sentinel: ErrDynamicGroup}
	}
	coll, m, err := s.Find(memberID, false)
	if errors.Is(err, store.ErrNotFound) {
		return notFound(memberID)
	}
	if err != nil {
		return err
	}
	if m.ID == g.ID {
		return BadRequest("A group cannot be a member of itself.")
	}
	linkID := g.ID + "_" + m.ID
	if _, err := s.Store.Get(GroupMembers, linkID); err == nil {
		return &wire.SentinelError{API: BadRequest(msgMemberExists), Sentinel: ErrAlreadyMember}
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	memberType := ""
	for _, k := range memberKinds {
		if k.coll == coll {
			memberType = k.memberType
		}
	}
	err = s.Store.Insert(GroupMembers, linkID, map[string]any{"groupId": g.ID, "memberId": m.ID, "memberType": memberType}, s.Now())
	if err != nil && strings.Contains(err.Error(), "UNIQUE") { // lost a race with a concurrent add
		return &wire.SentinelError{API: BadRequest(msgMemberExists), Sentinel: ErrAlreadyMember}
	}
	return err
}

// RemoveGroupMember removes a static member. Errors are Graph errors that also match
// store.ErrNotFound (unknown group), ErrNotMember or ErrDynamicGroup with errors.Is. It does
// not take the server's write lock.
func (s *API) RemoveGroupMember(groupID, memberID string) error {
	g, err := s.Store.Get(Groups, groupID)
	if errors.Is(err, store.ErrNotFound) {
		return notFound(groupID)
	}
	if err != nil {
		return err
	}
	if isDynamic(g.Body) {
		return &wire.SentinelError{API: BadRequest(msgDynamicMembers), Sentinel: ErrDynamicGroup}
	}
	err = s.Store.Delete(GroupMembers, g.ID+"_"+store.NormID(memberID))
	if errors.Is(err, store.ErrNotFound) {
		return &wire.SentinelError{API: &wire.Error{Status: http.StatusNotFound, Code: CodeNotFound,
			Message: "Resource '" + memberID + "' does not exist or one of its queried reference-property objects are not present."}, Sentinel: ErrNotMember}
	}
	return err
}

func (s *API) listGroupMembers(w http.ResponseWriter, r *http.Request, p route.Params) error {
	g, err := s.getObject(Groups, p["id"], true)
	if err != nil {
		return err
	}
	cq, err := s.parseQuery(r, MemberFilterable)
	if err != nil {
		return err
	}
	members, err := s.groupMembers(g)
	if err != nil {
		return err
	}
	recs := make([]*store.Record, 0, len(members))
	for _, m := range members {
		var body map[string]any
		if m.coll == Users {
			body = userOut(m.rec.Body, cq.Selects)
		} else {
			body = make(map[string]any, len(m.rec.Body)+1)
			for k, v := range m.rec.Body {
				body[k] = v
			}
		}
		body["@odata.type"] = oDataType(m.coll)
		recs = append(recs, &store.Record{Seq: m.seq, ID: m.rec.ID, Body: body, CreatedAt: m.rec.CreatedAt})
	}
	odata.WriteCollection(w, r, cq, recs, "directoryObjects", nil)
	return nil
}

func (s *API) addGroupMemberRef(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	g, err := s.getObject(Groups, p["id"], false)
	if err != nil {
		return err
	}
	coll, id, err := ParseRef(body)
	if err != nil {
		return err
	}
	if _, _, err := s.ResolveRef(coll, id); err != nil {
		return err
	}
	if err := s.AddGroupMember(g.ID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *API) removeGroupMemberRef(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	g, err := s.getObject(Groups, p["id"], false)
	if err != nil {
		return err
	}
	if _, err := uuid.Parse(p["memberId"]); err != nil {
		return invalidObjectID(p["memberId"])
	}
	if err := s.RemoveGroupMember(g.ID, p["memberId"]); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
