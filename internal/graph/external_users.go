package graph

import (
	"context"
	"net/url"
	"sort"
	"strings"
)

// ExternalUser is a user from outside the tenant: a guest, or a member invited through B2B (its
// externalUserState is set). Sponsors come from $expand=sponsors($select=id) on the list.
type ExternalUser struct {
	ID                string            `json:"id"`
	DisplayName       string            `json:"displayName"`
	Mail              string            `json:"mail"`
	UserPrincipalName string            `json:"userPrincipalName"`
	CompanyName       string            `json:"companyName"`
	CreatedDateTime   string            `json:"createdDateTime"`
	ExternalUserState string            `json:"externalUserState"`
	UserType          string            `json:"userType"`
	CreationType      string            `json:"creationType"`
	Sponsors          []DirectoryObject `json:"sponsors"`
}

// ExternalUserFilter narrows the inventory on the server. Empty fields do not filter.
type ExternalUserFilter struct {
	UserType          string // Guest or Member
	ExternalUserState string // PendingAcceptance or Accepted
	CompanyName       string
}

// ExternalUserStates are the values of user.externalUserState for invited users
// (https://learn.microsoft.com/en-us/graph/api/resources/user?view=graph-rest-1.0).
var ExternalUserStates = []string{"PendingAcceptance", "Accepted"}

// UserTypes are the values of user.userType.
var UserTypes = []string{"Member", "Guest"}

// externalUserSelect: createdDateTime, companyName, externalUserState, creationType and userType are
// returned only on $select (https://learn.microsoft.com/en-us/graph/api/resources/user?view=graph-rest-1.0).
const externalUserSelect = "id,displayName,mail,userPrincipalName,companyName,createdDateTime,externalUserState,userType,creationType"

// externalUsersPageSize: with $expand, a page of directory objects holds at most 100 objects whatever
// $top asks (https://developer.microsoft.com/en-us/graph/known-issues/?search=13635).
const externalUsersPageSize = "100"

// ExternalUsersFilter is the $filter of ListExternalUsers. It uses eq, and and or only: those work on
// userType, externalUserState and companyName without the advanced query parameters (ConsistencyLevel:
// eventual and $count=true), which $expand cannot be combined with
// (https://learn.microsoft.com/en-us/graph/aad-advanced-queries). `in` would do as well, but or of eq
// says the same.
func ExternalUsersFilter(f ExternalUserFilter) string {
	invited := make([]string, 0, len(ExternalUserStates))
	for _, s := range ExternalUserStates {
		if f.ExternalUserState == "" || f.ExternalUserState == s {
			invited = append(invited, "externalUserState eq "+ODataString(s))
		}
	}
	var who string
	switch {
	case f.ExternalUserState != "" && f.UserType != "":
		who = "userType eq " + ODataString(f.UserType) + " and " + invited[0]
	case f.ExternalUserState != "":
		who = invited[0]
	case f.UserType == "Guest":
		who = "userType eq 'Guest'"
	case f.UserType != "":
		who = "userType eq " + ODataString(f.UserType) + " and (" + strings.Join(invited, " or ") + ")"
	default:
		who = "userType eq 'Guest' or " + strings.Join(invited, " or ")
	}
	if f.CompanyName == "" {
		return who
	}
	return "(" + who + ") and companyName eq " + ODataString(f.CompanyName)
}

// ListExternalUsers lists the tenant's external users with their sponsors' ids, in pages, with one
// request per page: sponsors are expanded on the list, never read per user.
func (c *Client) ListExternalUsers(ctx context.Context, f ExternalUserFilter) ([]ExternalUser, error) {
	q := url.Values{
		"$filter": {ExternalUsersFilter(f)},
		"$select": {externalUserSelect},
		"$expand": {"sponsors($select=id)"},
		"$top":    {externalUsersPageSize},
	}
	return listAll[ExternalUser](ctx, c, "/users", q)
}

// UserDomain is the home domain of an external user: the domain of its mail, else the one encoded in
// a B2B user principal name (alias_domain#EXT#@tenant), lower case; "" when neither has one.
func UserDomain(mail, upn string) string {
	if i := strings.LastIndex(mail, "@"); i >= 0 && i < len(mail)-1 {
		return NormalizeDomain(mail[i+1:])
	}
	if i := strings.Index(strings.ToUpper(upn), "#EXT#"); i > 0 {
		local := upn[:i]
		if j := strings.LastIndex(local, "_"); j >= 0 && j < len(local)-1 {
			return NormalizeDomain(local[j+1:])
		}
	}
	return ""
}

// IsExternalUPN reports whether a user principal name is a B2B one (it holds #EXT#).
func IsExternalUPN(upn string) bool {
	return strings.Contains(strings.ToUpper(upn), "#EXT#")
}

// Domains lists the domains a connected organization's identity sources name (domain and federation
// sources), lower case, sorted. Tenant sources name no domain: their domains are not in the object.
func (o ConnectedOrganization) Domains() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range o.IdentitySources {
		if s.Type != IdentitySourceDomain && s.Type != IdentitySourceFederation {
			continue
		}
		if d := NormalizeDomain(s.DomainName); d != "" && !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	sort.Strings(out)
	return out
}

// TenantIDs lists the tenant ids of a connected organization's tenant sources, lower case, sorted.
func (o ConnectedOrganization) TenantIDs() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range o.IdentitySources {
		if s.Type != IdentitySourceTenant && s.Type != IdentitySourceCrossCloudTenant {
			continue
		}
		if t := strings.ToLower(s.TenantID); t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// OrganizationsByDomain maps each domain the organizations' identity sources name to the organization
// that covers it; where several do, the one with the lowest id, so that the answer is stable.
func OrganizationsByDomain(orgs []ConnectedOrganization) map[string]string {
	out := map[string]string{}
	for _, o := range orgs {
		for _, d := range o.Domains() {
			if cur, ok := out[d]; !ok || strings.ToLower(o.ID) < strings.ToLower(cur) {
				out[d] = o.ID
			}
		}
	}
	return out
}
