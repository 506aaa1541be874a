package graph

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// A user's sponsors: the users and groups responsible for a guest.
// https://learn.microsoft.com/graph/api/user-list-sponsors?view=graph-rest-1.0
// https://learn.microsoft.com/graph/api/user-post-sponsors?view=graph-rest-1.0
// https://learn.microsoft.com/graph/api/user-delete-sponsors?view=graph-rest-1.0

func userSponsorsPath(userID string) string { return "/users/" + url.PathEscape(userID) + "/sponsors" }

// ListUserSponsors lists a user's sponsors (users and groups), following paging.
func (c *Client) ListUserSponsors(ctx context.Context, userID string) ([]DirectoryObject, error) {
	return listAll[DirectoryObject](ctx, c, userSponsorsPath(userID), url.Values{"$select": {"id,displayName"}})
}

// AddUserSponsor makes a user or group a sponsor of a user: a $ref link whose body is the read URL of the
// user or group, found as addUserOrGroupRef says.
func (c *Client) AddUserSponsor(ctx context.Context, userID, sponsorID string) error {
	list := func(ctx context.Context) ([]DirectoryObject, error) { return c.ListUserSponsors(ctx, userID) }
	return c.addUserOrGroupRef(ctx, userSponsorsPath(userID)+"/$ref", sponsorID, list, fmt.Sprintf("the sponsors of user %s", userID))
}

// RemoveUserSponsor removes a sponsor of a user (the link only: without /$ref Graph would delete the
// sponsor object itself); one that is already gone counts as removed.
func (c *Client) RemoveUserSponsor(ctx context.Context, userID, sponsorID string) error {
	err := c.do(ctx, request{method: http.MethodDelete, path: userSponsorsPath(userID) + "/" + url.PathEscape(sponsorID) + "/$ref"}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}
