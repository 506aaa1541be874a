package graph

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// page is one page of a Graph collection.
type page[T any] struct {
	Value    []T    `json:"value"`
	NextLink string `json:"@odata.nextLink"`
}

// maxPages stops a misbehaving server from paging us forever.
const maxPages = 10000

// listAll follows @odata.nextLink verbatim until the collection ends (spec 3.4). A page may be empty.
func listAll[T any](ctx context.Context, c *Client, path string, query url.Values) ([]T, error) {
	var all []T
	next := request{method: http.MethodGet, path: path, query: query}
	for range maxPages {
		var p page[T]
		if err := c.do(ctx, next, &p); err != nil {
			return nil, err
		}
		all = append(all, p.Value...)
		if p.NextLink == "" {
			return all, nil
		}
		next = request{method: http.MethodGet, path: p.NextLink}
	}
	return all, nil
}

// ODataString quotes a value as an OData string literal: single quotes, with embedded quotes doubled.
func ODataString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
