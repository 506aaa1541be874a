package graph

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// User holds the user properties governance configurations refer to (spec 4).
type User struct {
	ID                    string   `json:"id"`
	DisplayName           string   `json:"displayName"`
	UserPrincipalName     string   `json:"userPrincipalName"`
	Mail                  string   `json:"mail"`
	OtherMails            []string `json:"otherMails"`
	UserType              string   `json:"userType"`
	AccountEnabled        *bool    `json:"accountEnabled"`
	Department            string   `json:"department"`
	JobTitle              string   `json:"jobTitle"`
	CompanyName           string   `json:"companyName"`
	EmployeeID            string   `json:"employeeId"`
	EmployeeHireDate      string   `json:"employeeHireDate"`
	EmployeeLeaveDateTime string   `json:"employeeLeaveDateTime"`
	ExternalUserState     string   `json:"externalUserState"`
}

// userSelect names every property User carries: employeeHireDate and employeeLeaveDateTime are not in
// Graph's default property set.
const userSelect = "id,displayName,userPrincipalName,mail,otherMails,userType,accountEnabled,department," +
	"jobTitle,companyName,employeeId,employeeHireDate,employeeLeaveDateTime,externalUserState"

// Group holds the group properties governance configurations refer to.
type Group struct {
	ID              string   `json:"id"`
	DisplayName     string   `json:"displayName"`
	Description     string   `json:"description"`
	Mail            string   `json:"mail"`
	MailEnabled     bool     `json:"mailEnabled"`
	SecurityEnabled bool     `json:"securityEnabled"`
	GroupTypes      []string `json:"groupTypes"`
	MembershipRule  string   `json:"membershipRule"`
}

// GetUser reads a user by object id or user principal name.
func (c *Client) GetUser(ctx context.Context, idOrUPN string) (*User, error) {
	var out User
	q := url.Values{"$select": {userSelect}}
	if err := c.do(ctx, request{method: http.MethodGet, path: "/users/" + url.PathEscape(idOrUPN), query: q}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// FindUsers lists the users whose property equals value (property is a Graph name such as "mail").
func (c *Client) FindUsers(ctx context.Context, property, value string) ([]User, error) {
	q := url.Values{"$filter": {property + " eq " + ODataString(value)}, "$select": {userSelect}}
	return listAll[User](ctx, c, "/users", q)
}

// GetGroup reads a group by object id.
func (c *Client) GetGroup(ctx context.Context, id string) (*Group, error) {
	var out Group
	if err := c.do(ctx, request{method: http.MethodGet, path: "/groups/" + url.PathEscape(id)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// FindGroupsByName lists the groups named exactly name.
func (c *Client) FindGroupsByName(ctx context.Context, name string) ([]Group, error) {
	q := url.Values{"$filter": {"displayName eq " + ODataString(name)}}
	found, err := listAll[Group](ctx, c, "/groups", q)
	if err != nil {
		return nil, err
	}
	exact := found[:0]
	for _, g := range found {
		if g.DisplayName == name {
			exact = append(exact, g)
		}
	}
	return exact, nil
}

// ListGroupMemberIDs lists the object ids of a group's direct members.
func (c *Client) ListGroupMemberIDs(ctx context.Context, groupID string) ([]string, error) {
	type member struct {
		ID string `json:"id"`
	}
	members, err := listAll[member](ctx, c, "/groups/"+url.PathEscape(groupID)+"/members", url.Values{"$select": {"id"}})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = strings.ToLower(m.ID)
	}
	return ids, nil
}
