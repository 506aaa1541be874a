package directory

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// A user's sponsors are the users and groups responsible for a guest
// (https://learn.microsoft.com/en-us/graph/api/user-list-sponsors?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/user-post-sponsors?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/user-delete-sponsors?view=graph-rest-1.0).

// UserSponsors holds one document per sponsor link, id "<userId>_<sponsorId>":
// {"userId", "sponsorId", "sponsorType": "user"|"group"}, in the order they were added.
const UserSponsors = "userSponsors"

// MaxUserSponsors is the number of sponsors a user can have: Entra documents five sponsors per guest
// (https://learn.microsoft.com/en-us/entra/external-id/b2b-sponsors); the Graph pages state no limit.
const MaxUserSponsors = 5

const msgSponsorExists = "One or more added object references already exist for the following modified properties: 'sponsors'."

func (s *API) sponsorRoutes(t *route.Table) {
	handle(t, areaUsers, "/users/{id}/sponsors", map[string]route.Handler{http.MethodGet: s.listUserSponsors})
	handle(t, areaUsers, "/users/{id}/sponsors/$ref", map[string]route.Handler{http.MethodPost: s.addUserSponsor})
	handle(t, areaUsers, "/users/{id}/sponsors/{sponsorId}/$ref", map[string]route.Handler{http.MethodDelete: s.removeUserSponsor})
}

func sponsorLinkID(userID, sponsorID string) string {
	return store.NormID(userID) + "_" + store.NormID(sponsorID)
}

// sponsorLinks returns a user's sponsor links whose sponsor still exists, in insertion order.
func (s *API) sponsorLinks(userID string) ([]*store.Record, error) {
	recs, err := s.Store.List(UserSponsors)
	if err != nil {
		return nil, err
	}
	var out []*store.Record
	for _, rec := range recs {
		if store.NormID(strOf(rec.Body["userId"])) != store.NormID(userID) {
			continue
		}
		if _, _, err := s.Find(strOf(rec.Body["sponsorId"]), false); errors.Is(err, store.ErrNotFound) {
			continue // the sponsor was deleted out of band
		} else if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// UserSponsorIDs returns the ids of a user's sponsors; store.ErrNotFound when the user does not exist.
func (s *API) UserSponsorIDs(userID string) ([]string, error) {
	if _, err := s.Store.Get(Users, userID); err != nil {
		return nil, err
	}
	links, err := s.sponsorLinks(userID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(links))
	for _, l := range links {
		ids = append(ids, strOf(l.Body["sponsorId"]))
	}
	return ids, nil
}

func (s *API) listUserSponsors(w http.ResponseWriter, r *http.Request, p route.Params) error {
	user, err := s.getUser(p["id"], true)
	if err != nil {
		return err
	}
	links, err := s.sponsorLinks(user.ID)
	if err != nil {
		return err
	}
	selects := odata.SelectList(r)
	value := make([]any, 0, len(links))
	for _, l := range links {
		coll, rec, err := s.Find(strOf(l.Body["sponsorId"]), false)
		if err != nil {
			return err
		}
		value = append(value, odata.ApplySelect(ObjectOut(coll, rec.Body), selects))
	}
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(map[string]any{"value": value}, s.contextURL(r, "directoryObjects")))
	return nil
}

func (s *API) addUserSponsor(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	coll, id, err := ParseRef(body)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	user, err := s.getUser(p["id"], false)
	if err != nil {
		return err
	}
	found, _, err := s.ResolveRef(coll, id)
	if err != nil {
		return err
	}
	kind := map[string]string{Users: "user", Groups: "group"}[found]
	if kind == "" {
		return BadRequest(fmt.Sprintf("The object '%s' cannot be a sponsor: a sponsor must be a user or a group.", id))
	}
	if store.NormID(id) == store.NormID(user.ID) {
		return BadRequest("A user cannot be their own sponsor.")
	}
	if _, err := s.Store.Get(UserSponsors, sponsorLinkID(user.ID, id)); err == nil {
		return BadRequest(msgSponsorExists)
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	links, err := s.sponsorLinks(user.ID)
	if err != nil {
		return err
	}
	if len(links) >= MaxUserSponsors {
		return BadRequest(fmt.Sprintf("A user can have at most %d sponsors.", MaxUserSponsors))
	}
	link := map[string]any{"userId": store.NormID(user.ID), "sponsorId": store.NormID(id), "sponsorType": kind}
	if err := s.Store.Insert(UserSponsors, sponsorLinkID(user.ID, id), link, s.Now()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *API) removeUserSponsor(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	user, err := s.getUser(p["id"], false)
	if err != nil {
		return err
	}
	if err := s.Store.Delete(UserSponsors, sponsorLinkID(user.ID, p["sponsorId"])); errors.Is(err, store.ErrNotFound) {
		return notFound(p["sponsorId"])
	} else if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// deleteSponsorLinks removes the sponsor links that mention id, as user or as sponsor.
func (s *API) deleteSponsorLinks(id string) error {
	id = store.NormID(id)
	links, err := s.Store.List(UserSponsors)
	if err != nil {
		return err
	}
	for _, l := range links {
		if store.NormID(strOf(l.Body["userId"])) == id || store.NormID(strOf(l.Body["sponsorId"])) == id {
			if err := s.Store.Delete(UserSponsors, l.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
	}
	return nil
}
