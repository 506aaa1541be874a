package entitlement

import (
	"errors"
	"strings"

	"github.com/google/uuid"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Delivery of the application and SharePoint site roles of an access package (group roles are
// packageGroupRoles, assignments.go). An assignment delivers each resource role scope of its
// package (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageresourcerolescope?view=graph-rest-1.0):
//
//   - an AadApplication role (originId the app role id, or 00000000-0000-0000-0000-000000000000 for
//     an application without app roles) becomes an appRoleAssignment of the user to the resource's
//     service principal (https://learn.microsoft.com/en-us/graph/api/resources/approleassignment?view=graph-rest-1.0),
//     read at GET /users/{id}/appRoleAssignments and GET /servicePrincipals/{id}/appRoleAssignedTo;
//   - a SharePointOnline role (originId the site group's id: 3 Owners, 4 Visitors, 5 Members) becomes a
//     membership of that site group. Graph v1.0 has no read of SharePoint group members, so the local
//     API keeps them in the collection siteRoleMemberships, read through the control API
//     (GET /_emulator/objects/siteRoleMemberships; our choice, internal/emulator/README.md).
//
// As with groups, a role the user already held is not the assignment's to take away; when the
// assignment ends (expiry, adminRemove, automatic removal, a control-API delete) a role it granted is
// handed over to another not-expired assignment of the same user whose package grants it too, and is
// removed otherwise.

const (
	// SiteRoleMemberships holds one document per delivered site role:
	// {id, siteUrl, siteGroupId, siteGroupName, userId, userPrincipalName, createdDateTime}.
	SiteRoleMemberships = "siteRoleMemberships"

	// ifGrantedAppRoles and ifGrantedSiteRoles are the roles an assignment granted, as roleGrant keys.
	ifGrantedAppRoles  = "_grantedAppRoles"
	ifGrantedSiteRoles = "_grantedSiteRoles"

	grantKeySep = "|"
)

// roleGrant is an application or site role a package delivers.
type roleGrant struct {
	system   string // originAadApplication or originSharePoint
	resource string // the service principal id, or the site URL
	role     string // the app role id, or the site group id
	roleName string // the catalog role's displayName (the site group's name)
}

// key is how an assignment records the grant: "<resource>|<role>".
func (g roleGrant) key() string { return g.resource + grantKeySep + g.role }

// packageRoleGrants lists the application and site roles of a package's resource role scopes.
func (s *API) packageRoleGrants(packageID string) []roleGrant {
	rss, err := s.childRecords(collRoleScopes, ifAccessPackageID, packageID)
	if err != nil {
		return nil
	}
	var out []roleGrant
	for _, rs := range rss {
		role, err := s.Store.Get(collCatalogRoles, wire.StrField(rs.Body, ifRoleID))
		if err != nil {
			continue
		}
		system := wire.StrField(role.Body, "originSystem")
		if !strings.EqualFold(system, originAadApplication) && !strings.EqualFold(system, originSharePoint) {
			continue
		}
		res, err := s.Store.Get(collCatalogResources, wire.StrField(role.Body, ifResourceID))
		if err != nil {
			continue
		}
		g := roleGrant{system: originAadApplication, resource: store.NormID(wire.StrField(res.Body, "originId")),
			role: strings.ToLower(wire.StrField(role.Body, "originId")), roleName: wire.StrField(role.Body, "displayName")}
		if strings.EqualFold(system, originSharePoint) {
			g.system, g.resource, g.role = originSharePoint, wire.StrField(res.Body, "originId"), wire.StrField(role.Body, "originId")
		}
		if !containsGrant(out, g) {
			out = append(out, g)
		}
	}
	return out
}

func containsGrant(list []roleGrant, g roleGrant) bool {
	for _, x := range list {
		if x.system == g.system && strings.EqualFold(x.key(), g.key()) {
			return true
		}
	}
	return false
}

// grantPackageRolesLocked delivers a package's application and site roles to a user and returns
// the keys of those it granted (a role the user already held, or one that cannot be granted any
// more because the service principal or its app role is gone, is left out). Callers hold the
// write lock (Deps.WriteMu).
func (s *API) grantPackageRolesLocked(packageID, userID string) (appRoles, siteRoles []string, err error) {
	appRoles, siteRoles = []string{}, []string{}
	for _, g := range s.packageRoleGrants(packageID) {
		granted, err := s.grantRoleLocked(g, userID)
		if err != nil {
			return nil, nil, err
		}
		if !granted {
			continue
		}
		if g.system == originSharePoint {
			siteRoles = append(siteRoles, g.key())
		} else {
			appRoles = append(appRoles, g.key())
		}
	}
	return appRoles, siteRoles, nil
}

// grantRoleLocked gives a user one role; false when the user held it already or it cannot be granted.
func (s *API) grantRoleLocked(g roleGrant, userID string) (bool, error) {
	if g.system == originAadApplication {
		_, err := s.dir.AddAppRoleAssignment(userID, g.resource, g.role)
		var refused *wire.Error
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, directory.ErrAlreadyAssigned), errors.Is(err, store.ErrNotFound), errors.As(err, &refused):
			return false, nil // held already, the user or service principal is gone, or the role is no longer offered
		}
		return false, err
	}
	if m, err := s.siteRoleMembership(g, userID); err != nil || m != nil {
		return false, err
	}
	user, err := s.Store.Get(directory.Users, userID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil // the user is gone: nothing to grant
	} else if err != nil {
		return false, err
	}
	id := uuid.NewString()
	doc := map[string]any{
		"id":                id,
		"siteUrl":           g.resource,
		"siteGroupId":       g.role,
		"siteGroupName":     g.roleName,
		"userId":            user.ID,
		"userPrincipalName": user.Body["userPrincipalName"],
		"createdDateTime":   s.Timestamp(),
	}
	return true, s.Store.Insert(SiteRoleMemberships, id, doc, s.Now())
}

// revokeRoleLocked takes a role away from a user; false when the user no longer held it.
func (s *API) revokeRoleLocked(g roleGrant, userID string) (bool, error) {
	if g.system == originAadApplication {
		err := s.dir.RemoveAppRoleAssignment(userID, g.resource, g.role)
		if errors.Is(err, store.ErrNotFound) {
			return false, nil
		}
		return err == nil, err
	}
	m, err := s.siteRoleMembership(g, userID)
	if err != nil || m == nil {
		return false, err
	}
	if err := s.Store.Delete(SiteRoleMemberships, m.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	return true, nil
}

// siteRoleMembership finds the user's membership of a site group (nil when none).
func (s *API) siteRoleMembership(g roleGrant, userID string) (*store.Record, error) {
	recs, err := s.Store.List(SiteRoleMemberships)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		if strings.EqualFold(wire.StrField(r.Body, "userId"), userID) && strings.EqualFold(wire.StrField(r.Body, "siteUrl"), g.resource) &&
			wire.StrField(r.Body, "siteGroupId") == g.role {
			return r, nil
		}
	}
	return nil, nil
}

// grantFromKey rebuilds a recorded grant.
func grantFromKey(system, key string) roleGrant {
	i := strings.LastIndex(key, grantKeySep)
	if i < 0 {
		return roleGrant{system: system, resource: key}
	}
	return roleGrant{system: system, resource: key[:i], role: key[i+1:]}
}

// releaseRolesLocked ends the application and site roles an assignment (no longer live, or deleted)
// granted: a role another not-expired assignment of the same user also grants is handed over to it,
// the others are taken away. It returns the keys of the roles taken away, by kind. Callers hold the
// write lock (Deps.WriteMu).
func (s *API) releaseRolesLocked(id string, doc map[string]any) (appRoles, siteRoles []string, err error) {
	target := assignmentTargetID(doc)
	others, err := s.Store.List(collAssignments)
	if err != nil {
		return nil, nil, err
	}
	appRoles, siteRoles = []string{}, []string{}
	for _, kind := range []struct{ system, field string }{{originAadApplication, ifGrantedAppRoles}, {originSharePoint, ifGrantedSiteRoles}} {
		for _, key := range wire.StrList(doc[kind.field]) {
			g := grantFromKey(kind.system, key)
			heir := ""
			for _, o := range others {
				if strings.EqualFold(o.ID, id) || !strings.EqualFold(assignmentTargetID(o.Body), target) || strings.EqualFold(wire.StrField(o.Body, "state"), "expired") {
					continue
				}
				if containsGrant(s.packageRoleGrants(PolicyPackageID(o.Body)), g) {
					heir = o.ID
					break
				}
			}
			if heir != "" {
				err := s.Store.Update(collAssignments, heir, func(obj map[string]any) error {
					if !containsKey(wire.StrList(obj[kind.field]), key) {
						obj[kind.field] = wire.AnyList(append(wire.StrList(obj[kind.field]), key))
					}
					return nil
				})
				if err != nil {
					return nil, nil, err
				}
				continue
			}
			removed, err := s.revokeRoleLocked(g, target)
			if err != nil {
				return nil, nil, err
			}
			if !removed { // removed by hand, or the user or service principal is gone
				continue
			}
			if kind.system == originSharePoint {
				siteRoles = append(siteRoles, key)
			} else {
				appRoles = append(appRoles, key)
			}
		}
	}
	return appRoles, siteRoles, nil
}

// regrantRolesLocked gives the user again the package's roles removed out of band (reprocess) and
// returns the assignment's grant lists with those added.
func (s *API) regrantRolesLocked(doc map[string]any) (appRoles, siteRoles []string, err error) {
	appRoles, siteRoles = wire.StrList(doc[ifGrantedAppRoles]), wire.StrList(doc[ifGrantedSiteRoles])
	newApp, newSite, err := s.grantPackageRolesLocked(PolicyPackageID(doc), assignmentTargetID(doc))
	if err != nil {
		return nil, nil, err
	}
	for _, k := range newApp {
		if !containsKey(appRoles, k) {
			appRoles = append(appRoles, k)
		}
	}
	for _, k := range newSite {
		if !containsKey(siteRoles, k) {
			siteRoles = append(siteRoles, k)
		}
	}
	return appRoles, siteRoles, nil
}

func containsKey(list []string, key string) bool {
	for _, x := range list {
		if strings.EqualFold(x, key) {
			return true
		}
	}
	return false
}
