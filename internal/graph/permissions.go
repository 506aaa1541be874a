package graph

import (
	"net/url"
	"strings"
)

// Permission is the application permission a Graph area needs, for the hint shown on a 403.
type Permission struct {
	// Area names the part of Graph, as a user would look for it in the Entra admin centre.
	Area string
	// Name is the least-privileged application permission that covers every call the provider makes there.
	Name string
}

// governancePermissions and directoryPermissions map a segment of a request path to its permission. The
// names are from each call's "Permissions" section of the Graph v1.0 reference, e.g.
// https://learn.microsoft.com/graph/api/entitlementmanagement-post-catalogs,
// https://learn.microsoft.com/graph/api/identitygovernance-lifecycleworkflowscontainer-post-workflows,
// https://learn.microsoft.com/graph/api/user-get, https://learn.microsoft.com/graph/api/group-get and
// https://learn.microsoft.com/graph/api/invitation-post.
// The provider writes in both governance areas, so their ReadWrite permission is the one to grant.
var (
	governancePermissions = map[string]Permission{
		"entitlementManagement": {"Entitlement management", "EntitlementManagement.ReadWrite.All"},
		"lifecycleWorkflows":    {"Lifecycle workflows", "LifecycleWorkflows.ReadWrite.All"},
		// Under /policies; found by its own segment, so it wins over a permission for /policies as a whole
		// (https://learn.microsoft.com/graph/api/crosstenantaccesspolicy-post-partners).
		"crossTenantAccessPolicy": {"Cross-tenant access settings", "Policy.ReadWrite.CrossTenantAccess"},
		"accessReviews":           {"Access reviews", "AccessReview.ReadWrite.All"},
	}
	directoryPermissions = map[string]Permission{
		"users":            {"Reading users", "User.Read.All"},
		"groups":           {"Reading groups", "Group.Read.All"},
		"directoryObjects": {"Reading directory objects", "Directory.Read.All"},
		"invitations":      {"Inviting guest users", "User.Invite.All"},
	}
)

// PermissionFor returns the permission of the area a request URL (absolute, or a path relative to the
// Graph version) belongs to. The governance areas are found anywhere in the path, since their objects
// hold users and groups (".../connectedOrganizations/{id}/internalSponsors" is entitlement
// management); the directory areas only as the first segment after the version.
func PermissionFor(rawURL string) (Permission, bool) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return Permission{}, false
	}
	segments := strings.Split(strings.Trim(u.Path, "/"), "/")
	for _, s := range segments {
		if p, ok := governancePermissions[s]; ok {
			return p, true
		}
	}
	first := 0
	for i, s := range segments {
		if s == APIVersion || s == "beta" {
			first = i + 1
			break
		}
	}
	if first < len(segments) {
		if p, ok := directoryPermissions[segments[first]]; ok {
			return p, true
		}
	}
	return Permission{}, false
}
