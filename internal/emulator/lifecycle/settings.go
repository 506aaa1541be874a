package lifecycle

import (
	"errors"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Lifecycle settings singleton (spec 2.6): GET / PATCH LW/settings. Stored in collection
// "lifecycleSettings" under id "settings" as
// {"workflowScheduleIntervalInHours": 3, "emailSettings": {"senderDomain": "", "useCompanyBranding": false}};
// seeded with these defaults (Reset restores them), and a missing document reads as
// the defaults too (stores seeded before this existed).

const (
	collLifecycleSettings = "lifecycleSettings"
	settingsID            = "settings"
	typeSettings          = nS + "lifecycleManagementSettings"

	scheduleMin     = 1
	scheduleMax     = 24
	scheduleDefault = 3
)

var domainRE = regexp.MustCompile(`^(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$`)

// defaultSettings are the service defaults: interval 3 hours ([D]); no custom sender
// domain ("" [U]) and no company branding ([U]).
func defaultSettings() map[string]any {
	return map[string]any{
		"workflowScheduleIntervalInHours": scheduleDefault,
		"emailSettings":                   map[string]any{"senderDomain": "", "useCompanyBranding": false},
	}
}

// Seed writes the settings singleton with its defaults.
func (s *API) Seed() error {
	// A reset dropped the clock's effects, the next scheduled evaluation with them.
	s.forgetSchedule()
	return s.Store.Insert(collLifecycleSettings, settingsID, defaultSettings(), time.Unix(0, 0))
}

func (s *API) settingsRoutes(t *route.Table) {
	t.Add(route.Graph, perm(areaSettings), basePath+"/settings", map[string]route.Handler{
		http.MethodGet:   s.getSettings,
		http.MethodPatch: s.updateSettings,
	})
}

func (s *API) settingsDoc() (map[string]any, error) {
	rec, err := s.Store.Get(collLifecycleSettings, settingsID)
	if errors.Is(err, store.ErrNotFound) {
		return defaultSettings(), nil
	}
	if err != nil {
		return nil, err
	}
	return rec.Body, nil
}

func (s *API) getSettings(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	doc, err := s.settingsDoc()
	if err != nil {
		return err
	}
	out := wire.Public(doc)
	// The settings are an entity with an id (keyProperty of
	// https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-lifecyclemanagementsettings?view=graph-rest-1.0);
	// its value is not documented: ours is the document's key.
	out["id"] = settingsID
	out["@odata.context"] = wire.BaseURL(r) + "/v1.0/$metadata#identityGovernance/lifecycleWorkflows/settings/$entity"
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(out, odata.SelectList(r)))
	return nil
}

// updateSettings applies a PATCH, which must send both properties; emailSettings members
// not sent keep their values [U].
func (s *API) updateSettings(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	o, _ := wire.NewObject("", typeSettings, body)
	if _, err := o.FixedType(); err != nil {
		return err
	}
	o.Ignore("id")
	set := map[string]any{}
	if _, ok := body["workflowScheduleIntervalInHours"]; ok {
		n, err := o.Integer("workflowScheduleIntervalInHours", 0)
		if err != nil {
			return err
		}
		if n < scheduleMin || n > scheduleMax {
			return wire.PathError("workflowScheduleIntervalInHours", "%d is out of range; the interval must be between %d and %d hours.", n, scheduleMin, scheduleMax)
		}
		set["workflowScheduleIntervalInHours"] = n
	}
	email := map[string]any{}
	if _, present := body["emailSettings"]; present {
		eo, err := o.Object("emailSettings", "emailSettings")
		if err != nil {
			return err
		}
		if eo == nil {
			return wire.PathError("emailSettings", "a null value is not allowed.")
		}
		if _, err := eo.FixedType(); err != nil {
			return err
		}
		if v, ok := eo.Values["senderDomain"]; ok {
			d, _, err := eo.Str("senderDomain", v == nil, false)
			if err != nil {
				return err
			}
			d = strings.TrimSpace(d)
			if d != "" && !domainRE.MatchString(d) {
				return wire.PathError(eo.At("senderDomain"), "'%s' is not a valid domain name.", d)
			}
			email["senderDomain"] = d
		}
		if _, ok := eo.Values["useCompanyBranding"]; ok {
			b, err := eo.Boolean("useCompanyBranding", false)
			if err != nil {
				return err
			}
			email["useCompanyBranding"] = b
		}
		if err := eo.Done(); err != nil {
			return err
		}
	}
	if err := o.Done(); err != nil {
		return err
	}
	// Both properties are required in an update:
	// https://learn.microsoft.com/en-us/graph/api/identitygovernance-lifecyclemanagementsettings-update?view=graph-rest-1.0
	for _, k := range []string{"workflowScheduleIntervalInHours", "emailSettings"} {
		if _, ok := body[k]; !ok {
			return wire.PathError(k, "the property is required in an update of the lifecycle workflow settings; send workflowScheduleIntervalInHours and emailSettings.")
		}
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if _, err := s.Store.Get(collLifecycleSettings, settingsID); errors.Is(err, store.ErrNotFound) {
		if err := s.Seed(); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	err = s.Store.Update(collLifecycleSettings, settingsID, func(doc map[string]any) error {
		for k, v := range set {
			doc[k] = v
		}
		cur, _ := doc["emailSettings"].(map[string]any)
		if cur == nil {
			cur = map[string]any{"senderDomain": "", "useCompanyBranding": false}
		}
		for k, v := range email {
			cur[k] = v
		}
		doc["emailSettings"] = cur
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
