package reviews

import (
	"errors"
	"regexp"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/entitlement"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Who an instance reviews: the principals in the definition's scope when the instance opens.
// The scope forms read here are the ones of
// https://learn.microsoft.com/en-us/graph/accessreviews-scope-concept: the members (or transitive
// members) of one group, the same relative to each group instanceEnumerationScope names, and the
// assignments of an access package. Any other scope opens an instance without decision items
// (our choice: README, "Access review instances and decisions").

var (
	// groupMembersRE: /groups/{id}/members or /transitiveMembers, optionally cast to users, with a query.
	groupMembersRE = regexp.MustCompile(`(?i)^(?:/v1\.0|/beta)?/groups/([0-9a-f-]{36})/(members|transitiveMembers)(/microsoft\.graph\.user)?/?(?:\?(.*))?$`)
	// relativeMembersRE is the same relative to the groups of instanceEnumerationScope.
	relativeMembersRE = regexp.MustCompile(`(?i)^\./(members|transitiveMembers)(/microsoft\.graph\.user)?/?(?:\?(.*))?$`)
	// oneGroupRE and groupsRE are the instanceEnumerationScope forms: one group, or groups (all, or Microsoft 365 ones).
	oneGroupRE = regexp.MustCompile(`(?i)^(?:/v1\.0|/beta)?/groups/([0-9a-f-]{36})/?$`)
	groupsRE   = regexp.MustCompile(`(?i)^(?:/v1\.0|/beta)?/groups/?(?:\?(.*))?$`)
	unifiedRE  = regexp.MustCompile(`(?i)groupTypes/any\(\w+:\s*\w+\s+eq\s+'Unified'\)`)
	guestRE    = regexp.MustCompile(`(?i)userType\s+eq\s+'Guest'`)
	// packageAssignmentsRE: the assignments of an access package (and of one of its policies).
	packageAssignmentsRE = regexp.MustCompile(`(?i)^(?:/v1\.0|/beta)?/identityGovernance/entitlementManagement/accessPackageAssignments\?\$filter=(.*)$`)
	packageIDRE          = regexp.MustCompile(`(?i)accessPackageId\s+eq\s+'([0-9a-f-]{36})'`)
	policyIDRE           = regexp.MustCompile(`(?i)assignmentPolicyId\s+eq\s+'([0-9a-f-]{36})'`)
)

// principal is one identity under review.
type principal struct {
	id, displayName, upn string
	servicePrincipal     bool
	// assignmentID is the access package assignment under review (access package scopes).
	assignmentID string
}

// instanceTarget is what one instance reviews.
type instanceTarget struct {
	scope      map[string]any
	groupID    string
	resource   map[string]any // the decision items' resource
	principals []principal
}

// instanceTargets resolves a definition's scope into the instances of one occurrence: one per group
// of instanceEnumerationScope for a relative scope, one otherwise.
func (s *API) instanceTargets(def map[string]any) []instanceTarget {
	scope, _ := def["scope"].(map[string]any)
	query := wire.StrField(scope, "query")
	if m := relativeMembersRE.FindStringSubmatch(query); m != nil {
		ies, _ := def["instanceEnumerationScope"].(map[string]any)
		var out []instanceTarget
		for _, gid := range s.enumerateGroups(wire.StrField(ies, "query")) {
			abs := copyMap(scope)
			abs["query"] = "/groups/" + gid + strings.TrimPrefix(query, ".")
			out = append(out, s.groupTarget(abs, gid, strings.EqualFold(m[1], "transitiveMembers"), m[2] != "", guestRE.MatchString(m[3])))
		}
		return out
	}
	if m := groupMembersRE.FindStringSubmatch(query); m != nil {
		return []instanceTarget{s.groupTarget(scope, strings.ToLower(m[1]), strings.EqualFold(m[2], "transitiveMembers"), m[3] != "", guestRE.MatchString(m[4]))}
	}
	if m := packageAssignmentsRE.FindStringSubmatch(query); m != nil {
		if pkg := packageIDRE.FindStringSubmatch(m[1]); pkg != nil {
			policy := ""
			if pol := policyIDRE.FindStringSubmatch(m[1]); pol != nil {
				policy = pol[1]
			}
			return []instanceTarget{s.packageTarget(scope, strings.ToLower(pkg[1]), strings.ToLower(policy))}
		}
	}
	return []instanceTarget{{scope: scope}}
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// enumerateGroups lists the groups an instanceEnumerationScope query names.
func (s *API) enumerateGroups(query string) []string {
	if m := oneGroupRE.FindStringSubmatch(query); m != nil {
		if _, err := s.Store.Get(directory.Groups, m[1]); err == nil {
			return []string{strings.ToLower(m[1])}
		}
		return nil
	}
	m := groupsRE.FindStringSubmatch(query)
	if m == nil {
		return nil
	}
	onlyUnified := unifiedRE.MatchString(m[1])
	groups, err := s.Store.List(directory.Groups)
	if err != nil {
		return nil
	}
	var out []string
	for _, g := range groups {
		if onlyUnified && !containsFold(wire.StrList(g.Body["groupTypes"]), "Unified") {
			continue
		}
		out = append(out, g.ID)
	}
	return out
}

func containsFold(l []string, s string) bool {
	for _, x := range l {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// groupTarget is a review of a group's members: users (and service principals unless cast to
// users), guests only when the query filters on userType eq 'Guest'; nested groups' members for
// transitiveMembers.
func (s *API) groupTarget(scope map[string]any, groupID string, transitive, usersOnly, guestsOnly bool) instanceTarget {
	t := instanceTarget{scope: scope, groupID: groupID,
		resource: map[string]any{"id": groupID, "displayName": "", "type": "group"}}
	g, err := s.Store.Get(directory.Groups, groupID)
	if err != nil {
		return t
	}
	t.resource["displayName"] = wire.StrField(g.Body, "displayName")
	seen := map[string]bool{}
	var walk func(gid string, depth int)
	walk = func(gid string, depth int) {
		ids, err := s.dir.GroupMemberIDs(gid)
		if err != nil || depth > 20 {
			return
		}
		for _, id := range ids {
			coll, rec, err := s.dir.Find(id, false)
			if err != nil || seen[rec.ID] {
				continue
			}
			seen[rec.ID] = true
			switch coll {
			case directory.Groups:
				if transitive {
					walk(rec.ID, depth+1)
				}
			case directory.Users:
				if guestsOnly && !strings.EqualFold(wire.StrField(rec.Body, "userType"), "Guest") {
					continue
				}
				t.principals = append(t.principals, principal{id: rec.ID, displayName: wire.StrField(rec.Body, "displayName"), upn: wire.StrField(rec.Body, "userPrincipalName")})
			default:
				if !usersOnly && !guestsOnly {
					t.principals = append(t.principals, principal{id: rec.ID, displayName: wire.StrField(rec.Body, "displayName"), servicePrincipal: true})
				}
			}
		}
	}
	walk(groupID, 0)
	return t
}

// packageTarget is a review of an access package's live assignments (of one policy when named).
func (s *API) packageTarget(scope map[string]any, packageID, policyID string) instanceTarget {
	t := instanceTarget{scope: scope,
		resource: map[string]any{"id": packageID, "displayName": "", "type": "accessPackage"}}
	if pkg, err := s.Store.Get(entitlement.AccessPackages, packageID); err == nil {
		t.resource["displayName"] = wire.StrField(pkg.Body, "displayName")
	}
	if s.ent == nil {
		return t
	}
	asgs, err := s.ent.LiveAssignmentsOf(packageID, policyID)
	if err != nil {
		return t
	}
	for _, a := range asgs {
		u, err := s.Store.Get(directory.Users, a.TargetID)
		if errors.Is(err, store.ErrNotFound) || err != nil {
			continue
		}
		t.principals = append(t.principals, principal{id: u.ID, displayName: wire.StrField(u.Body, "displayName"),
			upn: wire.StrField(u.Body, "userPrincipalName"), assignmentID: a.ID})
	}
	return t
}
