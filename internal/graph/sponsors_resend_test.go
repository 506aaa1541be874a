package graph_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// A sponsor link whose answer was lost is sent again, and Graph's answer to the second attempt tells
// what happened to the first: made, refused as already there, or never sent.
func TestAddSponsorAfterLostAnswer(t *testing.T) {
	t.Parallel()
	lost := scriptedReply{hangUp: true}
	noContent := scriptedReply{status: http.StatusNoContent}
	exists := scriptedReply{status: http.StatusBadRequest, body: `{"error":{"code":"Request_BadRequest",` +
		`"message":"One or more added object references already exist for the following modified properties: 'internalSponsors'."}}`}
	noUser := scriptedReply{status: http.StatusNotFound, body: `{"error":{"code":"Request_ResourceNotFound","message":"Resource 'g1' does not exist."}}`}
	refused := scriptedReply{status: http.StatusBadRequest, body: `{"error":{"code":"Request_BadRequest","message":"Invalid object identifier."}}`}
	cases := []struct {
		name    string
		replies []scriptedReply
		// paths are the user or group URIs the links named, in order.
		paths   []string
		wantErr string
	}{
		{"the first link was made", []scriptedReply{lost, exists}, []string{"/users/u1", "/users/u1"}, ""},
		{"the first link never arrived", []scriptedReply{lost, noContent}, []string{"/users/u1", "/users/u1"}, ""},
		{"the id is a group", []scriptedReply{lost, noUser, noContent}, []string{"/users/u1", "/users/u1", "/groups/u1"}, ""},
		{"another refusal is not taken for success", []scriptedReply{lost, refused, {status: http.StatusOK, body: `{"value":[]}`}},
			[]string{"/users/u1", "/users/u1", ""}, "u1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, s := newScriptedClient(t, tc.replies, nil)
			err := c.AddSponsor(context.Background(), "o1", graph.InternalSponsors, "u1")
			if tc.wantErr == "" && err != nil {
				t.Fatalf("want the link counted as made, got %v", err)
			}
			if tc.wantErr != "" && err == nil {
				t.Fatal("want an error: nothing shows the link was made")
			}
			if s.count() != len(tc.paths) {
				t.Fatalf("%d requests, want %d", s.count(), len(tc.paths))
			}
			for i, want := range tc.paths {
				if want == "" {
					if r := s.request(i); r.Method != http.MethodGet {
						t.Fatalf("request %d: %s %s, want the sponsor list read", i, r.Method, r.URL.Path)
					}
					continue
				}
				if !strings.HasSuffix(strings.TrimSuffix(strings.Split(s.bodies[i], `"`)[3], "/"), want) {
					t.Fatalf("request %d linked %s, want a URI ending in %s", i, s.bodies[i], want)
				}
			}
		})
	}
}
