package directory

import (
	"errors"
	"net/http"
	"sort"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
)

// $expand on users. The reference documents one navigation the provider expands on the user
// collection: sponsors, with $select inside it (`$expand=sponsors($select=id,displayName)`,
// https://learn.microsoft.com/en-us/graph/api/user-list-sponsors?view=graph-rest-1.0; List users
// supports $expand, https://learn.microsoft.com/en-us/graph/api/user-list?view=graph-rest-1.0).
// Any other navigation answers 400 as an unknown property does.

// userNavigations are the navigations of user that $expand accepts here.
var userNavigations = odata.Navigations{"microsoft.graph.user": {{"sponsors", "microsoft.graph.directoryObject"}}}

// parseUserExpand reads the request's $expand against userNavigations.
func parseUserExpand(r *http.Request) ([]odata.ExpandItem, error) {
	return userNavigations.ParseExpand(r, "microsoft.graph.user")
}

// userExpander adds the expanded navigations to users as they go out. It reads the sponsor links
// once per request, so a collection page costs one pass over them.
type userExpander struct {
	items    []odata.ExpandItem
	sponsors map[string][]any // user id -> sponsor objects, when sponsors is expanded
}

func (s *API) newUserExpander(items []odata.ExpandItem) (*userExpander, error) {
	x := &userExpander{items: items}
	for _, it := range items {
		if it.Name != "sponsors" {
			continue
		}
		m, err := s.sponsorObjects(it.Selects)
		if err != nil {
			return nil, err
		}
		x.sponsors = m
	}
	return x, nil
}

// apply returns out with the expanded navigations (out is a copy the caller owns).
func (x *userExpander) apply(out map[string]any) map[string]any {
	if x.sponsors != nil {
		list := x.sponsors[store.NormID(strOf(out["id"]))]
		if list == nil {
			list = []any{}
		}
		out["sponsors"] = list
	}
	return out
}

// sponsorObjects lists every user's sponsors as directory objects (users and groups), each with its
// @odata.type and the properties the nested $select names (all when it names none), ordered by id.
func (s *API) sponsorObjects(selects []string) (map[string][]any, error) {
	links, err := s.Store.List(UserSponsors) // kept by the sponsor routes (sponsors.go); $expand only reads it
	if err != nil {
		return nil, err
	}
	sort.Slice(links, func(i, j int) bool { return strOf(links[i].Body["sponsorId"]) < strOf(links[j].Body["sponsorId"]) })
	out := map[string][]any{}
	for _, l := range links {
		coll, rec, err := s.Find(strOf(l.Body["sponsorId"]), false)
		if errors.Is(err, store.ErrNotFound) {
			continue // a sponsor deleted out of band is no longer listed
		}
		if err != nil {
			return nil, err
		}
		uid := store.NormID(strOf(l.Body["userId"]))
		out[uid] = append(out[uid], odata.ApplySelect(ObjectOut(coll, rec.Body), selects))
	}
	return out, nil
}

// withExpanded makes sure a $select keeps the expanded navigations.
func withExpanded(selects []string, items []odata.ExpandItem) []string {
	if len(selects) == 0 {
		return selects
	}
	out := append([]string(nil), selects...)
	for _, it := range items {
		if !containsFold(out, it.Name) {
			out = append(out, it.Name)
		}
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
