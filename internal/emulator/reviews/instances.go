package reviews

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// Access review instances on the local API's clock
// (https://learn.microsoft.com/en-us/graph/api/resources/accessreviewinstance?view=graph-rest-1.0).
// Each occurrence of a definition's recurrence opens an instance at its start (the decision
// items of the principals then in scope are made), and closes it instanceDurationInDays later
// (close.go). Effects re-read the store when they run: a definition deleted or changed in
// between is honoured. The rules, with their sources, are in internal/emulator/README.md
// ("Access review instances and decisions").

const (
	// Instances and Decisions are the store collections of instances and decision items.
	Instances = "accessReviewInstances"
	Decisions = "accessReviewDecisions"

	// ifDefinitionID ties an instance or decision to its definition, ifInstanceID a decision to
	// its instance; ifOccurrence numbers an instance within its definition's recurrence (from 1).
	ifDefinitionID = "_definitionId"
	ifInstanceID   = "_instanceId"
	ifOccurrence   = "_occurrence"
	// ifResourceGroupID is the group an instance reviews the members of (empty for other scopes).
	ifResourceGroupID = "_groupId"

	// Instance statuses (accessReviewInstance.status; Applied: the list instances page's answer).
	statusInProgress = "InProgress"
	statusCompleted  = "Completed"
	statusApplied    = "Applied"

	// auditActor is who the time-driven access review changes are made by.
	auditActor = "access reviews"
)

func (s *API) instanceRoutes(t *route.Table) {
	base := prefix + "/definitions/{id}/instances"
	t.Add(route.Graph, permission, base, map[string]route.Handler{http.MethodGet: s.listInstances})
	t.Add(route.Graph, permission, base+"/{instanceId}", map[string]route.Handler{http.MethodGet: s.getInstance})
	t.Add(route.Graph, permission, base+"/{instanceId}/stop", map[string]route.Handler{http.MethodPost: s.stopInstance})
	t.Add(route.Graph, permission, base+"/{instanceId}/applyDecisions", map[string]route.Handler{http.MethodPost: s.applyDecisions})
	t.Add(route.Graph, permission, base+"/{instanceId}/decisions", map[string]route.Handler{http.MethodGet: s.listDecisions})
	t.Add(route.Graph, permission, base+"/{instanceId}/decisions/{decisionId}", map[string]route.Handler{
		http.MethodGet:   s.getDecision,
		http.MethodPatch: s.recordDecision,
	})
}

// ---- the schedule ----

// firstStart is when a definition's first instance opens: its range's startDate (midnight UTC),
// or its creation when that date is past (our choice: a review created late starts at once).
func firstStart(def map[string]any, created time.Time) time.Time {
	start, ok := rangeStart(def)
	if !ok || start.Before(created) {
		return created
	}
	return start
}

func recurrenceOf(def map[string]any) (pattern, rng map[string]any) {
	settings, _ := def["settings"].(map[string]any)
	rec, _ := settings["recurrence"].(map[string]any)
	pattern, _ = rec["pattern"].(map[string]any)
	rng, _ = rec["range"].(map[string]any)
	return pattern, rng
}

func rangeStart(def map[string]any) (time.Time, bool) {
	_, rng := recurrenceOf(def)
	t, err := time.Parse(time.DateOnly, wire.StrField(rng, "startDate"))
	return t, err == nil
}

// instanceDuration is how long an instance runs: the stages' durations together for a
// multi-stage review, else instanceDurationInDays; 0 days is one day (our choice).
func instanceDuration(def map[string]any) time.Duration {
	days := 0
	if stages, ok := def["stageSettings"].([]any); ok && len(stages) > 0 {
		for _, x := range stages {
			st, _ := x.(map[string]any)
			days += intOf(st["durationInDays"])
		}
	} else {
		settings, _ := def["settings"].(map[string]any)
		days = intOf(settings["instanceDurationInDays"])
	}
	if days < 1 {
		days = 1
	}
	return time.Duration(days) * 24 * time.Hour
}

func intOf(v any) int {
	switch n := v.(type) {
	case int:
		return n
	case float64:
		return int(n)
	case int64:
		return int(n)
	}
	return 0
}

// nextStart is when the occurrence after the one opened at `after` (the occurrence-th) opens: the
// pattern's next date from startDate (weekly: 7 x interval days; absoluteMonthly: interval months,
// on dayOfMonth when set; and for the policies' reviews, daily, relative monthly and yearly patterns), within the range (endDate, numberOfOccurrences). False when the
// review does not recur or its range is over.
func nextStart(def map[string]any, after time.Time, occurrence int) (time.Time, bool) {
	pattern, rng := recurrenceOf(def)
	if pattern == nil {
		return time.Time{}, false
	}
	anchor, ok := rangeStart(def)
	if !ok {
		return time.Time{}, false
	}
	if wire.StrField(rng, "type") == "numbered" && occurrence >= intOf(rng["numberOfOccurrences"]) {
		return time.Time{}, false
	}
	interval := intOf(pattern["interval"])
	if interval < 1 {
		interval = 1
	}
	var next time.Time
	for k := 1; k < 100000; k++ {
		switch wire.StrField(pattern, "type") {
		case "absoluteMonthly", "relativeMonthly":
			next = anchor.AddDate(0, k*interval, 0)
			if dm := intOf(pattern["dayOfMonth"]); dm > 0 {
				next = time.Date(next.Year(), next.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, dm-1)
			}
		case "absoluteYearly", "relativeYearly":
			next = anchor.AddDate(k*interval, 0, 0)
		case "daily":
			next = anchor.AddDate(0, 0, k*interval)
		default: // weekly
			next = anchor.AddDate(0, 0, 7*k*interval)
		}
		if next.After(after) {
			break
		}
	}
	if wire.StrField(rng, "type") == "endDate" {
		if end, err := time.Parse(time.DateOnly, wire.StrField(rng, "endDate")); err == nil && !next.Before(end.Add(24*time.Hour)) {
			return time.Time{}, false
		}
	}
	return next, true
}

// scheduleOpening registers the opening of a definition's occurrence-th instance.
func (s *API) scheduleOpening(defID string, at time.Time, occurrence int) {
	s.At(at, "access review instance "+strconv.Itoa(occurrence)+" of definition "+defID, func(at time.Time) {
		s.runLocked(func() error { return s.openInstanceLocked(defID, occurrence, at) })
	})
}

func (s *API) scheduleClosing(instanceID string, at time.Time) {
	s.At(at, "end of access review instance "+instanceID, func(at time.Time) {
		s.runLocked(func() error { return s.closeInstanceLocked(instanceID, at, "the instance reached its endDateTime") })
	})
}

// runLocked runs an effect under the write lock; a failure (the store closed under a late
// effect) has nobody to answer to.
func (s *API) runLocked(effect func() error) {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	_ = effect()
}

// ScheduleFromStore registers the effects of the definitions and instances already in the store
// (a server opening an existing database): the end of each running instance and the opening of
// each definition's next occurrence.
func (s *API) ScheduleFromStore() error {
	defs, err := s.Store.List(Definitions)
	if err != nil {
		return err
	}
	insts, err := s.Store.List(Instances)
	if err != nil {
		return err
	}
	latest := map[string]*store.Record{}
	for _, in := range insts {
		defID := wire.StrField(in.Body, ifDefinitionID)
		if l := latest[defID]; l == nil || intOf(in.Body[ifOccurrence]) > intOf(l.Body[ifOccurrence]) {
			latest[defID] = in
		}
		if wire.StrField(in.Body, "status") == statusInProgress {
			if end, err := time.Parse(time.RFC3339Nano, wire.StrField(in.Body, "endDateTime")); err == nil {
				s.scheduleClosing(in.ID, end)
			}
		}
	}
	marks, err := s.Store.List(collGuestDeletions)
	if err != nil {
		return err
	}
	for _, m := range marks {
		if at, err := time.Parse(time.RFC3339Nano, wire.StrField(m.Body, "deleteDateTime")); err == nil {
			s.scheduleGuestDeletion(m.ID, at)
		}
	}
	for _, d := range defs {
		l := latest[d.ID]
		if l == nil {
			created, _ := time.Parse(time.RFC3339Nano, wire.StrField(d.Body, "createdDateTime"))
			s.scheduleOpening(d.ID, firstStart(d.Body, created), 1)
			continue
		}
		start, _ := time.Parse(time.RFC3339Nano, wire.StrField(l.Body, "startDateTime"))
		if next, ok := nextStart(d.Body, start, intOf(l.Body[ifOccurrence])); ok {
			s.scheduleOpening(d.ID, next, intOf(l.Body[ifOccurrence])+1)
		}
	}
	return nil
}

// openInstanceLocked opens a definition's occurrence-th instance at `at`: InProgress until
// instanceDurationInDays later, with one decision item per principal in scope; then registers its
// end and the next occurrence.
func (s *API) openInstanceLocked(defID string, occurrence int, at time.Time) error {
	def, err := s.Store.Get(Definitions, defID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // deleted since
	}
	if err != nil {
		return err
	}
	end := at.Add(instanceDuration(def.Body))
	targets := s.instanceTargets(def.Body)
	for _, tg := range targets {
		inst := map[string]any{
			"id":                uuid.NewString(),
			"startDateTime":     wire.FormatTimestamp(at),
			"endDateTime":       wire.FormatTimestamp(end),
			"status":            statusInProgress,
			"scope":             tg.scope,
			"reviewers":         def.Body["reviewers"],
			"fallbackReviewers": def.Body["fallbackReviewers"],
			ifDefinitionID:      def.ID,
			ifOccurrence:        occurrence,
			ifResourceGroupID:   tg.groupID,
		}
		id := inst["id"].(string)
		if err := s.Store.Insert(Instances, id, inst, at); err != nil {
			return err
		}
		for _, p := range tg.principals {
			dec := newDecision(def.ID, id, p, tg.resource)
			dec["id"] = uuid.NewString()
			if err := s.Store.Insert(Decisions, dec["id"].(string), dec, at); err != nil {
				return err
			}
		}
		s.scheduleClosing(id, end)
		if err := s.Audit(route.AuditEntry{At: at, Activity: "accessReviewInstanceStarted", ObjectType: "microsoft.graph.accessReviewInstance", ObjectID: id,
			InitiatedBy: auditActor, Reason: "occurrence " + strconv.Itoa(occurrence) + " of access review " + def.ID + " started",
			Details: map[string]any{"definitionId": def.ID, "endDateTime": inst["endDateTime"], "decisions": len(tg.principals)}}); err != nil {
			return err
		}
	}
	if next, ok := nextStart(def.Body, at, occurrence); ok {
		s.scheduleOpening(def.ID, next, occurrence+1)
	}
	return nil
}

// ---- reads ----

// instanceOf reads an instance of a definition (404 when either is unknown or they do not match).
func (s *API) instanceOf(defID, instID string) (*store.Record, error) {
	def, err := s.GetVisible(Definitions, defID)
	if err != nil {
		return nil, err
	}
	inst, err := s.Store.Get(Instances, instID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !strings.EqualFold(wire.StrField(inst.Body, ifDefinitionID), def.ID)) {
		return nil, wire.NotFound(instID)
	}
	return inst, err
}

func instancesContext(defID string) string {
	return contextPath + "('" + defID + "')/instances"
}

// listInstances serves a definition's instances, oldest first ($filter on status, $top, $skip,
// $count, $select).
func (s *API) listInstances(w http.ResponseWriter, r *http.Request, p route.Params) error {
	def, err := s.GetVisible(Definitions, p["id"])
	if err != nil {
		return err
	}
	recs, err := s.Store.List(Instances)
	if err != nil {
		return err
	}
	var mine []*store.Record
	for _, rec := range recs {
		if strings.EqualFold(wire.StrField(rec.Body, ifDefinitionID), def.ID) {
			mine = append(mine, rec)
		}
	}
	return s.writeCollection(w, r, mine, []string{"status", "startDateTime", "endDateTime"}, instancesContext(def.ID))
}

func (s *API) getInstance(w http.ResponseWriter, r *http.Request, p route.Params) error {
	inst, err := s.instanceOf(p["id"], p["instanceId"])
	if err != nil {
		return err
	}
	ctx := wire.BaseURL(r) + "/v1.0/$metadata#" + instancesContext(wire.StrField(inst.Body, ifDefinitionID)) + "/$entity"
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(odata.ApplySelect(wire.Public(inst.Body), odata.SelectList(r)), ctx))
	return nil
}

// writeCollection answers a collection with $filter, $top, $skip, $count and $select.
func (s *API) writeCollection(w http.ResponseWriter, r *http.Request, recs []*store.Record, filterable []string, ctxPath string) error {
	q := r.URL.Query()
	skip := 0
	for k, vals := range q {
		if strings.EqualFold(k, "$skip") && len(vals) > 0 {
			n, err := parseSkip(vals[0])
			if err != nil {
				return err
			}
			skip = n
			delete(q, k)
		}
	}
	r2 := r.Clone(r.Context())
	r2.URL.RawQuery = q.Encode()
	cq, err := s.ParseQuery(r2, filterable)
	if err != nil {
		return err
	}
	var matched []*store.Record
	for _, rec := range recs {
		if cq.Filter == nil || cq.Filter.Eval(rec.Body) {
			matched = append(matched, rec)
		}
	}
	cq.Filter = nil
	if skip > len(matched) {
		skip = len(matched)
	}
	odata.WriteCollection(w, r, cq, matched[skip:], ctxPath, wire.Public)
	return nil
}

func parseSkip(v string) (int, error) {
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, wire.BadRequest("Invalid value for $skip: '" + v + "'.")
		}
		n = n*10 + int(c-'0')
	}
	if v == "" {
		return 0, wire.BadRequest("Invalid value for $skip: ''.")
	}
	return n, nil
}
