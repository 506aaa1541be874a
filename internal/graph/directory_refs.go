package graph

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// addUserOrGroupRef adds a user or group to a collection of directory objects by a $ref link: refPath is
// the collection's path ending in /$ref, the body the full URI of the user or group. The caller knows only
// an object id, so the user URI is sent first and, when Graph answers 404 (no user has that id), the
// group URI: no directory read permission is needed to learn the object's type. list reads the
// collection, to settle a lost answer; what names the collection in errors.
func (c *Client) addUserOrGroupRef(ctx context.Context, refPath, objectID string, list func(context.Context) ([]DirectoryObject, error), what string) error {
	err := c.addRef(ctx, refPath, "/users/", objectID, list)
	if IsNotFound(err) {
		if groupErr := c.addRef(ctx, refPath, "/groups/", objectID, list); !IsNotFound(groupErr) {
			return groupErr
		}
		return fmt.Errorf("adding %s to %s: Graph answered 404 for both its user and its group URI: %w", objectID, what, err)
	}
	return err
}

func (c *Client) addRef(ctx context.Context, refPath, collection, objectID string, list func(context.Context) ([]DirectoryObject, error)) error {
	body := odataRef{ID: c.absoluteURL(collection + url.PathEscape(objectID))}
	err := c.do(ctx, request{method: http.MethodPost, path: refPath, body: body}, nil)
	if IsAmbiguous(err) {
		// The answer was lost. Sending the link again tells: Graph refuses a link that exists ("already
		// exist"), answers 404 when the URI names no such object (the caller then tries the group URI), and
		// adds it when the first attempt never arrived.
		retryErr := c.do(ctx, request{method: http.MethodPost, path: refPath, body: body}, nil)
		switch {
		case retryErr == nil:
			return nil
		case IsBadRequest(retryErr) && strings.Contains(strings.ToLower(retryErr.Error()), "already exist"):
			return nil
		case IsNotFound(retryErr):
			return retryErr
		}
		objects, listErr := list(ctx)
		if listErr == nil {
			for _, o := range objects {
				if strings.EqualFold(o.ID, objectID) {
					return nil
				}
			}
		}
	}
	return err
}
