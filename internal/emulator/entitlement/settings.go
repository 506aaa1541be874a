package entitlement

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Entitlement management settings (spec 1.9): a singleton stored as one document
// (collection collEMSettings, id settingsID) so the control methods can change it.
// Its id is the constant "settings" [U]: Graph documents the id only as constant.

const (
	collEMSettings = "emSettings"
	settingsID     = "settings"

	typeEMSettings = "microsoft.graph.entitlementManagementSettings"

	// Tenant defaults [U].
	defaultExternalUserLifecycleAction = "blockSignInAndDelete"
	defaultDurationUntilDeleted        = "P30D"
)

var externalUserLifecycleActions = []string{"none", "blockSignIn", "blockSignInAndDelete"}

func (s *API) settingsRoutes(t *route.Table) {
	t.Add(route.Graph, permission, prefix+"/settings", map[string]route.Handler{
		http.MethodGet:   s.getEMSettings,
		http.MethodPatch: s.updateEMSettings,
	})
}

func defaultEMSettings() map[string]any {
	return map[string]any{
		"id":                          settingsID,
		"externalUserLifecycleAction": defaultExternalUserLifecycleAction,
		"durationUntilExternalUserDeletedAfterBlocked": defaultDurationUntilDeleted,
	}
}

// SeedSettings writes the default settings document (part of the tenant seed).
func (s *API) SeedSettings() error {
	return s.Store.Insert(collEMSettings, settingsID, defaultEMSettings(), time.Unix(0, 0))
}

// settingsCollection reads the singleton, writing the defaults first when a store seeded by
// an older emulator has none. Callers hold the write lock (Deps.WriteMu).
func (s *API) settingsLocked() (map[string]any, error) {
	rec, err := s.Store.Get(collEMSettings, settingsID)
	if errors.Is(err, store.ErrNotFound) {
		if err := s.SeedSettings(); err != nil {
			return nil, err
		}
		return defaultEMSettings(), nil
	}
	if err != nil {
		return nil, err
	}
	return rec.Body, nil
}

func (s *API) getEMSettings(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	s.WriteMu.Lock()
	doc, err := s.settingsLocked()
	s.WriteMu.Unlock()
	if err != nil {
		return err
	}
	out := wire.WithContext(wire.Public(doc), wire.BaseURL(r)+"/v1.0/$metadata#identityGovernance/entitlementManagement/settings/$entity")
	out["@odata.type"] = "#" + typeEMSettings
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(out, odata.SelectList(r)))
	return nil
}

// parseEMSettingsPatch validates a PATCH body: the enum (any case) and an ISO 8601
// duration; null is refused for both, unknown properties too.
func parseEMSettingsPatch(body map[string]any) (map[string]any, error) {
	out := map[string]any{}
	for k, v := range body {
		if strings.Contains(k, "@") {
			continue
		}
		switch k {
		case "id":
			if v != nil && !strings.EqualFold(fmt.Sprint(v), settingsID) {
				return nil, wire.BadRequest(fmt.Sprintf("The read-only property 'id' cannot be changed (the settings id is '%s').", settingsID))
			}
		case "externalUserLifecycleAction":
			if v == nil {
				return nil, wire.BadRequest("Invalid value for property 'externalUserLifecycleAction': a null value is not allowed.")
			}
			s, ok := v.(string)
			if !ok {
				return nil, wire.TypeError(k, v, "microsoft.graph.accessPackageExternalUserLifecycleAction")
			}
			canon := ""
			for _, m := range externalUserLifecycleActions {
				if strings.EqualFold(m, strings.TrimSpace(s)) {
					canon = m
				}
			}
			if canon == "" {
				return nil, wire.BadEnum(k, s, externalUserLifecycleActions)
			}
			out[k] = canon
		case "durationUntilExternalUserDeletedAfterBlocked":
			if v == nil {
				return nil, wire.BadRequest("Invalid value for property 'durationUntilExternalUserDeletedAfterBlocked': a null value is not allowed.")
			}
			d, err := edmDuration(k, v)
			if err != nil {
				return nil, err
			}
			out[k] = d.Text
		default:
			return nil, wire.UnknownProperty(k, typeEMSettings)
		}
	}
	return out, nil
}

func (s *API) updateEMSettings(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := parseEMSettingsPatch(body)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if _, err := s.settingsLocked(); err != nil {
		return err
	}
	// The duration is meaningful only with blockSignInAndDelete; it is kept anyway.
	err = s.Store.Update(collEMSettings, settingsID, func(obj map[string]any) error {
		for k, v := range in {
			obj[k] = v
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
