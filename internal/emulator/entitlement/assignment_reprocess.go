package entitlement

import (
	"errors"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// ifReprocessedAt is when an assignment was last reprocessed (internal; the control API shows it).
const ifReprocessedAt = "_reprocessedDateTime"

// Reprocess reevaluates and enforces a delivered assignment: its group memberships and its
// application and site roles (delivery.go) are granted again and its status becomes Delivered; Graph answers 202 with no body, 404 for
// an assignment that does not exist and 400 for an id that is not valid
// (https://learn.microsoft.com/graph/api/accesspackageassignment-reprocess?view=graph-rest-1.0).
// The v1.0 path is .../assignments/{id}/reprocess; the action also answers under its
// namespace-qualified name, as every Graph action does.
func (s *API) assignmentReprocessRoutes(t *route.Table) {
	for _, name := range []string{"reprocess", "microsoft.graph.reprocess"} {
		t.Add(route.Graph, permission, prefix+"/assignments/{id}/"+name, map[string]route.Handler{http.MethodPost: s.reprocessAssignment})
	}
}

func (s *API) reprocessAssignment(w http.ResponseWriter, _ *http.Request, p route.Params) error {
	id := p["id"]
	if _, err := uuid.Parse(id); err != nil {
		return wire.BadRequest("'" + id + "' is not a valid accessPackageAssignment id.")
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if err := s.deliverDueLocked(); err != nil {
		return err
	}
	rec, err := s.Store.Get(collAssignments, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && s.Fault.Hidden(rec.CreatedAt)) {
		return wire.NotFound(id)
	}
	if err != nil {
		return err
	}
	// The reference: the assignment must be delivered to be reprocessed.
	if state := wire.StrField(rec.Body, "state"); !strings.EqualFold(state, "delivered") {
		return wire.BadRequest("The access package assignment is '" + state + "'; only a delivered assignment can be reprocessed.")
	}
	target := assignmentTargetID(rec.Body)
	memberOf, _ := s.packageGroupRoles(PolicyPackageID(rec.Body))
	var regranted []string
	for _, gid := range memberOf {
		// A membership removed out of band is granted again; one that is there stays as it is.
		if err := s.dir.AddGroupMember(gid, target); err == nil {
			regranted = append(regranted, gid)
		}
	}
	appRoles, siteRoles, err := s.regrantRolesLocked(rec.Body) // delivery.go
	if err != nil {
		return err
	}
	err = s.Store.Update(collAssignments, rec.ID, func(obj map[string]any) error {
		obj[ifGrantedAppRoles], obj[ifGrantedSiteRoles] = wire.AnyList(appRoles), wire.AnyList(siteRoles)
		granted := wire.StrList(obj[ifGrantedGroups])
		for _, gid := range regranted {
			if !containsID(granted, gid) {
				granted = append(granted, gid)
			}
		}
		obj[ifGrantedGroups] = wire.AnyList(granted)
		obj["status"] = "Delivered"
		obj[ifReprocessedAt] = s.Timestamp()
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}
