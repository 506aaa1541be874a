// Package lifecycle is the lifecycle workflows area of the emulator's Graph API (spec
// section 2): workflows with their tasks and versions, deleted items, task
// definitions, the settings singleton and the scope rule language. It registers its
// own routes (naming the broad and granular LifecycleWorkflows permissions they
// need). It imports store, wire, odata, route, identity, directory (groups and users
// tasks name) and entitlement (access packages and policies tasks name, and the
// assignments tasks of scheduled runs request or remove).
package lifecycle

import (
	"net/http"
	"sync"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/entitlement"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
)

// API serves the lifecycle workflows routes.
type API struct {
	*route.Deps

	// Set by Connect: what the tasks of scheduled runs act through (scheduled_runs.go).
	dir       *directory.API
	ent       *entitlement.API
	entRoutes route.Table

	tickMu   sync.Mutex
	nextTick time.Time // the pending scheduled evaluation; zero when none
}

// New returns the lifecycle area of a server.
func New(d *route.Deps) *API { return &API{Deps: d} }

// Routes is the area's route table; each file adds the routes of its entity.
func (s *API) Routes() route.Table {
	var t route.Table
	s.workflowRoutes(&t)
	s.runRoutes(&t)
	s.settingsRoutes(&t)
	s.taskDefinitionControlRoutes(&t)
	s.customTaskExtensionRoutes(&t)
	// A write may schedule a workflow or change the interval: make sure the next
	// scheduled evaluation is registered (scheduled_runs.go).
	for i := range t {
		if t[i].Method != http.MethodGet {
			h := t[i].Handler
			t[i].Handler = func(w http.ResponseWriter, r *http.Request, p route.Params) error {
				err := h(w, r, p)
				if err == nil {
					s.ensureSchedule()
				}
				return err
			}
		}
	}
	return t
}
