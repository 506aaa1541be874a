package reviews

// Reading and checking accessReviewScheduleDefinition bodies. Every property and type is the
// v1.0 metadata's (schemas/v1.0-Prod.csdl of microsoftgraph/msgraph-metadata); the rules are
// the reference pages', each cited where it is checked. Where the pages are silent the choice is
// recorded in internal/emulator/README.md ("Access reviews").

import (
	"regexp"
	"strings"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

const (
	typeDefinition = "accessReviewScheduleDefinition"

	scopeQuery        = "accessReviewQueryScope"
	scopeInactive     = "accessReviewInactiveUsersQueryScope"
	scopeMemberships  = "principalResourceMembershipsScope"
	recipientQuery    = "accessReviewNotificationRecipientQueryScope"
	actionRemove      = "removeAccessApplyAction"
	actionDisable     = "disableAndDeleteUserApplyAction"
	insightLastSignIn = "userLastSignInRecommendationInsightSetting"
	insightPeer       = "groupPeerOutlierRecommendationInsightSettings"
)

var (
	scopeTypes      = []string{scopeQuery, scopeInactive, scopeMemberships}
	queryScopeTypes = []string{scopeQuery, scopeInactive}
	applyTypes      = []string{actionRemove, actionDisable}
	insightTypes    = []string{insightLastSignIn, insightPeer}

	// defaultDecisions: https://learn.microsoft.com/en-us/graph/api/resources/accessreviewschedulesettings?view=graph-rest-1.0
	// lists Approve, Deny and Recommendation; the create page's example 1 sends None.
	defaultDecisions = []string{"None", "Approve", "Deny", "Recommendation"}
	// Only weekly and absoluteMonthly patterns are supported (accessReviewScheduleSettings, recurrence).
	patternTypes = []string{"weekly", "absoluteMonthly"}
	rangeTypes   = []string{"endDate", "noEnd", "numbered"}
	daysOfWeek   = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}
	weekIndexes  = []string{"first", "second", "third", "fourth", "last"}
	signInScopes = []string{"tenant", "application"}
)

// usersQueryRE is a reviewer given as one user (the form the update page lets PUT change):
// /users/{id}, with or without the version segment the get page's answer shows.
var usersQueryRE = regexp.MustCompile(`(?i)^(/v1\.0|/beta)?/users/[0-9a-f-]{36}$`)

// definition is a parsed body: the stored form of each property that was sent.
type definition struct {
	props map[string]any
}

// parseDefinition reads a create (POST) or replace (PUT) body. Read-only properties are accepted and
// ignored: the update page's example sends id.
func parseDefinition(body map[string]any) (*definition, error) {
	o, err := wire.NewObject("", typeDefinition, body)
	if err != nil {
		return nil, err
	}
	o.Ignore("id", "createdDateTime", "lastModifiedDateTime", "status", "createdBy", "instances")
	out := map[string]any{}
	name, _, err := o.Str("displayName", true, true)
	if err != nil {
		return nil, err
	}
	out["displayName"] = name
	for _, k := range []string{"descriptionForAdmins", "descriptionForReviewers"} {
		v, err := o.NullableStr(k)
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	sv, ok := o.Get("scope")
	if !ok {
		return nil, wire.PathError("scope", "the property is required on type 'microsoft.graph.%s'.", typeDefinition)
	}
	scope, err := parseScope("scope", sv, scopeTypes)
	if err != nil {
		return nil, err
	}
	out["scope"] = scope
	out["instanceEnumerationScope"] = nil
	if v, ok := o.Get("instanceEnumerationScope"); ok {
		ies, err := parseScope("instanceEnumerationScope", v, []string{scopeQuery})
		if err != nil {
			return nil, err
		}
		out["instanceEnumerationScope"] = ies
	}
	// A relative scope (./members) is resolved against each group instanceEnumerationScope lists:
	// https://learn.microsoft.com/en-us/graph/accessreviews-scope-concept (examples 4 to 6).
	if q := wire.StrField(scope, "query"); strings.HasPrefix(q, "./") && out["instanceEnumerationScope"] == nil {
		return nil, wire.PathError("instanceEnumerationScope", "a scope with the relative query '%s' needs instanceEnumerationScope to name the groups it applies to.", q)
	}
	if err := parseAllReviewers(o, out); err != nil {
		return nil, err
	}
	recips, err := o.Array("additionalNotificationRecipients")
	if err != nil {
		return nil, err
	}
	rl := []any{}
	for i, r := range recips {
		item, err := parseRecipient(wire.Index("additionalNotificationRecipients", i), r)
		if err != nil {
			return nil, err
		}
		rl = append(rl, item)
	}
	out["additionalNotificationRecipients"] = rl
	stages, err := o.Array("stageSettings")
	if err != nil {
		return nil, err
	}
	if stages != nil {
		sl := []any{}
		for i, st := range stages {
			item, err := parseStage(wire.Index("stageSettings", i), st)
			if err != nil {
				return nil, err
			}
			sl = append(sl, item)
		}
		out["stageSettings"] = sl
	}
	setv, ok := o.Get("settings")
	if !ok {
		return nil, wire.PathError("settings", "the property is required on type 'microsoft.graph.%s'.", typeDefinition)
	}
	settings, err := parseSettings("settings", setv)
	if err != nil {
		return nil, err
	}
	out["settings"] = settings
	if st, ok := out["stageSettings"].([]any); ok {
		if err := checkStages(st, settings); err != nil {
			return nil, err
		}
	}
	if err := o.Done(); err != nil {
		return nil, err
	}
	return &definition{props: out}, nil
}

// parseAllReviewers reads reviewers, fallbackReviewers and backupReviewers into out. backupReviewers is
// the deprecated name of fallbackReviewers; either fills the other
// (https://learn.microsoft.com/en-us/graph/api/resources/accessreviewscheduledefinition?view=graph-rest-1.0).
func parseAllReviewers(o *wire.Object, out map[string]any) error {
	for _, k := range []string{"reviewers", "fallbackReviewers", "backupReviewers"} {
		l, err := parseReviewers(o, k)
		if err != nil {
			return err
		}
		if l != nil {
			out[k] = l
		}
	}
	fb, hasFB := out["fallbackReviewers"]
	bk, hasBK := out["backupReviewers"]
	switch {
	case hasFB && hasBK && len(fb.([]any)) > 0 && len(bk.([]any)) > 0 && !sameJSON(fb, bk):
		return wire.PathError("backupReviewers", "backupReviewers is the former name of fallbackReviewers; send one of them, or the same list in both.")
	case hasFB && len(fb.([]any)) > 0:
		out["backupReviewers"] = fb
	case hasBK:
		out["fallbackReviewers"] = bk
	}
	if _, ok := out["reviewers"]; !ok {
		out["reviewers"] = []any{} // no reviewers: a self-review (create page, reviewers)
	}
	if _, ok := out["fallbackReviewers"]; !ok {
		out["fallbackReviewers"] = []any{}
		out["backupReviewers"] = []any{}
	}
	return nil
}

// parseScope reads an accessReviewScope of one of the allowed subtypes. @odata.type may be left out
// for a plain query scope: the scope concept page's example 3 and the guest tutorial send none, and
// accessReviewQueryScope's page only recommends it. It is stored with the type always named.
func parseScope(path string, v any, allowed []string) (map[string]any, error) {
	o, err := wire.NewObject(path, "accessReviewScope", v)
	if err != nil {
		return nil, err
	}
	leaf := scopeQuery
	if raw, ok := o.Values["@odata.type"]; ok && raw != nil {
		if leaf, err = o.PolyType("accessReviewScope", allowed); err != nil {
			return nil, err
		}
	} else if !contains(allowed, scopeQuery) {
		return nil, wire.PathError(o.At("@odata.type"), "the type of this 'accessReviewScope' is required: set @odata.type to one of %s.", wire.TypeList(allowed))
	}
	o.Type = leaf
	out := map[string]any{"@odata.type": "#" + wire.GraphNamespace + leaf}
	if leaf == scopeMemberships {
		for _, k := range []string{"principalScopes", "resourceScopes"} {
			l, err := o.Array(k)
			if err != nil {
				return nil, err
			}
			if len(l) == 0 {
				return nil, wire.PathError(o.At(k), "at least one scope is required on type 'microsoft.graph.%s'.", leaf)
			}
			scopes := make([]any, 0, len(l))
			for i, x := range l {
				sc, err := parseScope(wire.Index(o.At(k), i), x, queryScopeTypes)
				if err != nil {
					return nil, err
				}
				scopes = append(scopes, sc)
			}
			out[k] = scopes
		}
		return out, o.Done()
	}
	if err := readQuery(o, out); err != nil {
		return nil, err
	}
	if leaf == scopeInactive {
		// inactiveDuration defaults to PT0S
		// (https://learn.microsoft.com/en-us/graph/api/resources/accessreviewinactiveusersqueryscope?view=graph-rest-1.0).
		d, err := o.Duration("inactiveDuration")
		if err != nil {
			return nil, err
		}
		out["inactiveDuration"] = "PT0S"
		if d != nil {
			out["inactiveDuration"] = d.Text
		}
	}
	return out, o.Done()
}

// readQuery reads query (required, absolute or relative), queryType and queryRoot.
func readQuery(o *wire.Object, out map[string]any) error {
	q, _, err := o.Str("query", true, true)
	if err != nil {
		return err
	}
	q = strings.TrimSpace(q)
	if !strings.HasPrefix(q, "/") && !strings.HasPrefix(q, "./") {
		return wire.PathError(o.At("query"), "'%s' is not a query: it starts with '/' (absolute) or './' (relative).", q)
	}
	out["query"] = q
	qt, err := o.NullableStr("queryType")
	if err != nil {
		return err
	}
	out["queryType"] = qt
	qr, err := o.NullableStr("queryRoot")
	if err != nil {
		return err
	}
	if s, ok := qr.(string); ok && !strings.EqualFold(s, "decisions") {
		// queryRoot's one documented value
		// (https://learn.microsoft.com/en-us/graph/api/resources/accessreviewreviewerscope?view=graph-rest-1.0).
		return wire.PathError(o.At("queryRoot"), "the value '%s' is not valid. Valid values: decisions.", s)
	}
	out["queryRoot"] = qr
	return nil
}

// parseReviewers reads a collection of accessReviewReviewerScope; nil when absent or null.
func parseReviewers(o *wire.Object, k string) ([]any, error) {
	l, err := o.Array(k)
	if err != nil || l == nil {
		return nil, err
	}
	out := make([]any, 0, len(l))
	for i, x := range l {
		r, err := parseReviewer(wire.Index(o.At(k), i), x)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func parseReviewer(path string, v any) (map[string]any, error) {
	o, err := wire.NewObject(path, "accessReviewReviewerScope", v)
	if err != nil {
		return nil, err
	}
	if _, err := o.FixedType(); err != nil {
		return nil, err
	}
	o.Ignore("@odata.type")
	out := map[string]any{}
	if err := readQuery(o, out); err != nil {
		return nil, err
	}
	// A relative reviewer query other than the groups' owners needs queryRoot
	// (https://learn.microsoft.com/en-us/graph/api/resources/accessreviewreviewerscope?view=graph-rest-1.0:
	// "only required if a relative query, for example, ./manager, is specified"; the create page's
	// example 2 sends ./owners without one).
	q := out["query"].(string)
	if strings.HasPrefix(q, "./") && !strings.HasPrefix(strings.ToLower(q), "./owners") && out["queryRoot"] == nil {
		return nil, wire.PathError(o.At("queryRoot"), "the relative query '%s' needs queryRoot 'decisions'.", q)
	}
	return out, o.Done()
}

func parseRecipient(path string, v any) (map[string]any, error) {
	o, err := wire.NewObject(path, "accessReviewNotificationRecipientItem", v)
	if err != nil {
		return nil, err
	}
	if _, err := o.FixedType(); err != nil {
		return nil, err
	}
	o.Ignore("@odata.type")
	tt, err := o.NullableStr("notificationTemplateType")
	if err != nil {
		return nil, err
	}
	sv, ok := o.Get("notificationRecipientScope")
	if !ok {
		return nil, wire.PathError(o.At("notificationRecipientScope"), "the property is required on type 'microsoft.graph.accessReviewNotificationRecipientItem'.")
	}
	so, err := wire.NewObject(o.At("notificationRecipientScope"), "accessReviewNotificationRecipientScope", sv)
	if err != nil {
		return nil, err
	}
	leaf, err := so.PolyType("accessReviewNotificationRecipientScope", []string{recipientQuery})
	if err != nil {
		return nil, err
	}
	so.Type = leaf
	scope := map[string]any{"@odata.type": "#" + wire.GraphNamespace + leaf}
	if err := readQuery(so, scope); err != nil {
		return nil, err
	}
	if err := so.Done(); err != nil {
		return nil, err
	}
	return map[string]any{"notificationTemplateType": tt, "notificationRecipientScope": scope}, o.Done()
}

// stageDecisions are the decisions a stage can pass on
// (https://learn.microsoft.com/en-us/graph/api/resources/accessreviewstagesettings?view=graph-rest-1.0).
var stageDecisions = []string{"Approve", "Deny", "Recommendation", "NotReviewed"}

// checkStages applies accessReviewStageSettings' rules: stage ids unique; stages are sequential, so the
// first has no dependsOn and every other depends on the one before it; together they last no longer
// than one recurrence (a weekly pattern's 7 x interval days; for a monthly one we take 28 x interval,
// the shortest months: our choice).
func checkStages(stages []any, settings map[string]any) error {
	seen := map[string]bool{}
	prev, total := "", 0
	for i, x := range stages {
		st := x.(map[string]any)
		path := wire.Index("stageSettings", i)
		id := st["stageId"].(string)
		if seen[id] {
			return wire.PathError(path+".stageId", "the stage id '%s' is used twice.", id)
		}
		seen[id] = true
		deps := wire.StrList(st["dependsOn"])
		switch {
		case i == 0 && len(deps) > 0:
			return wire.PathError(path+".dependsOn", "the first stage depends on no other stage.")
		case i > 0 && (len(deps) != 1 || deps[0] != prev):
			return wire.PathError(path+".dependsOn", "stages run one after the other: this stage depends on stage '%s' only.", prev)
		}
		for j, d := range wire.StrList(st["decisionsThatWillMoveToNextStage"]) {
			if _, err := wire.Enum(wire.Index(path+".decisionsThatWillMoveToNextStage", j), d, stageDecisions); err != nil {
				return err
			}
		}
		prev = id
		total += st["durationInDays"].(int)
	}
	rec, _ := settings["recurrence"].(map[string]any)
	if pat, ok := rec["pattern"].(map[string]any); ok {
		days := 7 * pat["interval"].(int)
		if pat["type"] == "absoluteMonthly" {
			days = 28 * pat["interval"].(int)
		}
		if total > days {
			return wire.PathError("stageSettings", "the stages last %d days together, longer than one recurrence (%d days).", total, days)
		}
	}
	return nil
}

func parseStage(path string, v any) (map[string]any, error) {
	o, err := wire.NewObject(path, "accessReviewStageSettings", v)
	if err != nil {
		return nil, err
	}
	id, _, err := o.Str("stageId", true, true)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"stageId": id}
	for _, k := range []string{"dependsOn", "decisionsThatWillMoveToNextStage"} {
		l, err := o.Array(k)
		if err != nil {
			return nil, err
		}
		strs := []any{}
		for i, x := range l {
			s, ok := x.(string)
			if !ok {
				return nil, wire.PathTypeError(wire.Index(o.At(k), i), x, "Edm.String")
			}
			strs = append(strs, s)
		}
		out[k] = strs
	}
	n, err := o.Integer("durationInDays", 0)
	if err != nil {
		return nil, err
	}
	out["durationInDays"] = n
	rec, err := o.Boolean("recommendationsEnabled", false)
	if err != nil {
		return nil, err
	}
	out["recommendationsEnabled"] = rec
	for _, k := range []string{"reviewers", "fallbackReviewers"} {
		l, err := parseReviewers(o, k)
		if err != nil {
			return nil, err
		}
		if l == nil {
			l = []any{}
		}
		out[k] = l
	}
	ins, err := parseInsights(o)
	if err != nil {
		return nil, err
	}
	out["recommendationInsightSettings"] = ins
	return out, o.Done()
}

func parseInsights(o *wire.Object) ([]any, error) {
	l, err := o.Array("recommendationInsightSettings")
	if err != nil {
		return nil, err
	}
	out := []any{}
	for i, x := range l {
		io, err := wire.NewObject(wire.Index(o.At("recommendationInsightSettings"), i), "accessReviewRecommendationInsightSetting", x)
		if err != nil {
			return nil, err
		}
		leaf, err := io.PolyType("accessReviewRecommendationInsightSetting", insightTypes)
		if err != nil {
			return nil, err
		}
		io.Type = leaf
		item := map[string]any{"@odata.type": "#" + wire.GraphNamespace + leaf}
		if leaf == insightLastSignIn {
			d, err := io.Duration("recommendationLookBackDuration")
			if err != nil {
				return nil, err
			}
			item["recommendationLookBackDuration"] = nil
			if d != nil {
				item["recommendationLookBackDuration"] = d.Text
			}
			sc, err := io.Enum("signInScope", signInScopes, "")
			if err != nil {
				return nil, err
			}
			item["signInScope"] = nil
			if sc != "" {
				item["signInScope"] = sc
			}
		}
		if err := io.Done(); err != nil {
			return nil, err
		}
		out = append(out, item)
	}
	return out, nil
}

// parseSettings reads accessReviewScheduleSettings with the defaults its page documents: every
// Boolean false, defaultDecision None (the create page's answers), applyActions empty.
func parseSettings(path string, v any) (map[string]any, error) {
	o, err := wire.NewObject(path, "accessReviewScheduleSettings", v)
	if err != nil {
		return nil, err
	}
	if _, err := o.FixedType(); err != nil {
		return nil, err
	}
	o.Ignore("@odata.type")
	out := map[string]any{}
	for _, k := range []string{"mailNotificationsEnabled", "reminderNotificationsEnabled", "justificationRequiredOnApproval",
		"defaultDecisionEnabled", "autoApplyDecisionsEnabled", "recommendationsEnabled", "decisionHistoriesForReviewersEnabled"} {
		b, err := o.Boolean(k, false)
		if err != nil {
			return nil, err
		}
		out[k] = b
	}
	dd, err := o.Enum("defaultDecision", defaultDecisions, "None")
	if err != nil {
		return nil, err
	}
	out["defaultDecision"] = dd
	n, err := o.Integer("instanceDurationInDays", 0)
	if err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, wire.PathError(o.At("instanceDurationInDays"), "the value must not be negative.")
	}
	out["instanceDurationInDays"] = n
	d, err := o.Duration("recommendationLookBackDuration")
	if err != nil {
		return nil, err
	}
	out["recommendationLookBackDuration"] = nil
	if d != nil {
		out["recommendationLookBackDuration"] = d.Text
	}
	ins, err := parseInsights(o)
	if err != nil {
		return nil, err
	}
	out["recommendationInsightSettings"] = ins
	acts, err := o.Array("applyActions")
	if err != nil {
		return nil, err
	}
	al := []any{}
	seen := map[string]bool{}
	for i, x := range acts {
		ao, err := wire.NewObject(wire.Index(o.At("applyActions"), i), "accessReviewApplyAction", x)
		if err != nil {
			return nil, err
		}
		leaf, err := ao.PolyType("accessReviewApplyAction", applyTypes)
		if err != nil {
			return nil, err
		}
		ao.Type = leaf
		if err := ao.Done(); err != nil {
			return nil, err
		}
		if seen[leaf] {
			return nil, wire.PathError(wire.Index(o.At("applyActions"), i), "the action '%s' is listed twice.", leaf)
		}
		seen[leaf] = true
		al = append(al, map[string]any{"@odata.type": "#" + wire.GraphNamespace + leaf})
	}
	out["applyActions"] = al
	out["recurrence"] = nil
	if rv, ok := o.Get("recurrence"); ok {
		rec, err := parseRecurrence(o.At("recurrence"), rv)
		if err != nil {
			return nil, err
		}
		out["recurrence"] = rec
	}
	return out, o.Done()
}

// parseRecurrence reads a patternedRecurrence. pattern may be null: a one-time review (the get
// page's answer). The pattern's properties not sent are answered with the values the create page's
// answers show (month 0, dayOfMonth 0, daysOfWeek [], firstDayOfWeek sunday, index first); the
// range's startDate may be sent as a timestamp (create page, example 1) and is kept as its date.
func parseRecurrence(path string, v any) (map[string]any, error) {
	o, err := wire.NewObject(path, "patternedRecurrence", v)
	if err != nil {
		return nil, err
	}
	out := map[string]any{"pattern": nil}
	if pv, ok := o.Get("pattern"); ok {
		p, err := parsePattern(o.At("pattern"), pv)
		if err != nil {
			return nil, err
		}
		out["pattern"] = p
	}
	rv, ok := o.Get("range")
	if !ok {
		return nil, wire.PathError(o.At("range"), "the property is required: a recurrence needs a range with its startDate.")
	}
	ro, err := wire.NewObject(o.At("range"), "recurrenceRange", rv)
	if err != nil {
		return nil, err
	}
	rt, err := ro.Enum("type", rangeTypes, "")
	if err != nil {
		return nil, err
	}
	if rt == "" {
		return nil, wire.PathError(ro.At("type"), "the property is required on type 'microsoft.graph.recurrenceRange'.")
	}
	rg := map[string]any{"type": rt}
	start, err := dateOf(ro, "startDate")
	if err != nil {
		return nil, err
	}
	if start == nil {
		return nil, wire.PathError(ro.At("startDate"), "the property is required on type 'microsoft.graph.recurrenceRange'.")
	}
	rg["startDate"] = *start
	end, err := dateOf(ro, "endDate")
	if err != nil {
		return nil, err
	}
	rg["endDate"] = nil
	if end != nil {
		if *end < *start {
			return nil, wire.PathError(ro.At("endDate"), "the end date %s is before the start date %s.", *end, *start)
		}
		rg["endDate"] = *end
	}
	if rt == "endDate" && end == nil {
		return nil, wire.PathError(ro.At("endDate"), "a range of type endDate needs endDate.")
	}
	if out["pattern"] == nil && rt == "noEnd" {
		return nil, wire.PathError(ro.At("type"), "a review without a recurrence pattern happens once: its range cannot be noEnd.")
	}
	occ, err := ro.Integer("numberOfOccurrences", 0)
	if err != nil {
		return nil, err
	}
	if occ < 0 {
		return nil, wire.PathError(ro.At("numberOfOccurrences"), "the value must not be negative.")
	}
	rg["numberOfOccurrences"] = occ
	tz, err := ro.NullableStr("recurrenceTimeZone")
	if err != nil {
		return nil, err
	}
	rg["recurrenceTimeZone"] = tz
	if err := ro.Done(); err != nil {
		return nil, err
	}
	out["range"] = rg
	return out, o.Done()
}

// parsePattern reads a recurrencePattern.
func parsePattern(path string, v any) (map[string]any, error) {
	po, err := wire.NewObject(path, "recurrencePattern", v)
	if err != nil {
		return nil, err
	}
	pt, err := po.Enum("type", patternTypes, "")
	if err != nil {
		return nil, err
	}
	if pt == "" {
		return nil, wire.PathError(po.At("type"), "the property is required on type 'microsoft.graph.recurrencePattern'.")
	}
	p := map[string]any{"type": pt}
	interval, err := po.Integer("interval", 1)
	if err != nil {
		return nil, err
	}
	if interval < 1 {
		return nil, wire.PathError(po.At("interval"), "the interval must be at least 1.")
	}
	p["interval"] = interval
	for _, k := range []string{"month", "dayOfMonth"} {
		n, err := po.Integer(k, 0)
		if err != nil {
			return nil, err
		}
		p[k] = n
	}
	if dm := p["dayOfMonth"].(int); dm < 0 || dm > 31 {
		return nil, wire.PathError(po.At("dayOfMonth"), "the day of the month must be between 0 and 31.")
	}
	days, err := po.Array("daysOfWeek")
	if err != nil {
		return nil, err
	}
	dl := []any{}
	for i, d := range days {
		s, err := wire.Enum(wire.Index(po.At("daysOfWeek"), i), d, daysOfWeek)
		if err != nil {
			return nil, err
		}
		dl = append(dl, s)
	}
	p["daysOfWeek"] = dl
	if p["firstDayOfWeek"], err = po.Enum("firstDayOfWeek", daysOfWeek, "sunday"); err != nil {
		return nil, err
	}
	if p["index"], err = po.Enum("index", weekIndexes, "first"); err != nil {
		return nil, err
	}
	if err := po.Done(); err != nil {
		return nil, err
	}
	return p, nil
}

// dateOf reads an Edm.Date, also accepting a timestamp (kept as its date).
func dateOf(o *wire.Object, k string) (*string, error) {
	v, ok := o.Get(k)
	if !ok {
		return nil, nil
	}
	s, isStr := v.(string)
	if !isStr {
		return nil, wire.PathTypeError(o.At(k), v, "Edm.Date")
	}
	s = strings.TrimSpace(s)
	if len(s) > 10 {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return nil, wire.PathError(o.At(k), "'%s' is not a valid date; use YYYY-MM-DD.", s)
		}
		d := t.UTC().Format("2006-01-02")
		return &d, nil
	}
	d, err := wire.Date(o.At(k), s)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
