package reviews

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// Plan-time rules of entragov_access_review, each from the reference page it cites. A rule is only
// checked on known values: an unknown one is checked by Graph at apply.

var (
	// usersQueryRE is one user as reviewer (/users/{id}); the get page's answer shows the form with /v1.0.
	usersQueryRE = regexp.MustCompile(`(?i)^(/v1\.0)?/users/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	// groupReviewersRE is a group's members or owners as reviewers.
	groupReviewersRE = regexp.MustCompile(`(?i)^(/v1\.0)?/groups/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/(transitiveMembers|members|owners)(/microsoft\.graph\.user)?$`)
	// guestFilterRE finds the guest filter of a scope query: `userType eq 'Guest'`
	// (https://learn.microsoft.com/en-us/graph/accessreviews-scope-concept, examples 2, 5 and 6).
	guestFilterRE = regexp.MustCompile(`(?i)userType\s+eq\s+'Guest'`)
)

// relativeReviewers are the documented relative reviewer queries and whether each needs queryRoot
// (https://learn.microsoft.com/en-us/graph/accessreviews-reviewers-concept; accessReviewReviewerScope:
// queryRoot is required for a relative query such as ./manager).
var relativeReviewers = map[string]bool{"./owners": false, "./manager": true, "./sponsors": true}

// onlyUsers reports whether reviewers are individual users only (and at least one).
func onlyUsers(l []reviewerModel) bool {
	if len(l) == 0 {
		return false
	}
	for _, r := range l {
		if r.Query.IsUnknown() || !usersQueryRE.MatchString(r.Query.ValueString()) {
			return false
		}
	}
	return true
}

func isKnown(v interface {
	IsNull() bool
	IsUnknown() bool
}) bool {
	return !v.IsNull() && !v.IsUnknown()
}

func (r *accessReviewResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m accessReviewModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for _, p := range accessReviewProblems(m) {
		// The path is also in the text: Terraform shows no attribute for a nested field that is missing.
		resp.Diagnostics.AddAttributeError(p.path, p.summary, p.path.String()+": "+p.detail)
	}
}

type problem struct {
	path            path.Path
	summary, detail string
}

// accessReviewProblems lists every rule the configuration breaks.
func accessReviewProblems(m accessReviewModel) []problem {
	var out []problem
	add := func(p path.Path, summary, format string, args ...any) {
		out = append(out, problem{p, summary, fmt.Sprintf(format, args...)})
	}
	out = append(out, scopeProblems(m)...)
	if ies := m.InstanceEnumerationScope; ies != nil {
		ip := path.Root("instance_enumeration_scope")
		if isKnown(ies.Type) && ies.Type.ValueString() != graph.AccessReviewQueryScope {
			add(ip.AtName("type"), "Invalid instance_enumeration_scope type", "instance_enumeration_scope is an accessReviewQueryScope (the groups reviewed).")
		}
		if !ies.InactiveDuration.IsNull() {
			add(ip.AtName("inactive_duration"), "Field not used by this scope type", "inactive_duration is not a field of instance_enumeration_scope.")
		}
		if isKnown(ies.Query) && !strings.HasPrefix(strings.ToLower(strings.TrimPrefix(ies.Query.ValueString(), "/v1.0")), "/groups") {
			add(ip.AtName("query"), "Invalid instance_enumeration_scope query",
				"instance_enumeration_scope lists groups: its query starts with /groups (e.g. /groups?$filter=(groupTypes/any(c:c eq 'Unified'))), got %q.", ies.Query.ValueString())
		}
		if ies.Query.IsNull() {
			add(ip.AtName("query"), "Missing query", "instance_enumeration_scope needs query.")
		}
	}
	out = append(out, reviewersProblems(path.Root("reviewers"), m.Reviewers)...)
	out = append(out, reviewersProblems(path.Root("fallback_reviewers"), m.FallbackReviewers)...)
	out = append(out, reviewersProblems(path.Root("backup_reviewers"), m.BackupReviewers)...)
	if m.BackupReviewers != nil && len(m.FallbackReviewers) > 0 {
		add(path.Root("backup_reviewers"), "Conflicting attributes", "backup_reviewers is the former name of fallback_reviewers: set one of them.")
	}
	for i, rc := range m.AdditionalNotificationRecipients {
		if rc.NotificationRecipientScope != nil && isKnown(rc.NotificationRecipientScope.Query) {
			out = append(out, queryFormProblems(path.Root("additional_notification_recipients").AtListIndex(i).AtName("notification_recipient_scope").AtName("query"),
				rc.NotificationRecipientScope.Query.ValueString())...)
		}
	}
	if m.Settings != nil {
		out = append(out, settingsProblems(m, path.Root("settings"))...)
	}
	out = append(out, stageProblems(m)...)
	return out
}

// stageProblems applies accessReviewStageSettings' rules
// (https://learn.microsoft.com/en-us/graph/api/resources/accessreviewstagesettings?view=graph-rest-1.0): only
// sequential stages, so the first depends on none and each other on the one before; together the stages
// last no longer than one recurrence (weekly: 7 days per interval; monthly: 28, the shortest month).
func stageProblems(m accessReviewModel) []problem {
	var out []problem
	seen := map[string]bool{}
	prev, total, allKnown := "", int64(0), true
	for i, st := range m.StageSettings {
		p := path.Root("stage_settings").AtListIndex(i)
		out = append(out, reviewersProblems(p.AtName("reviewers"), st.Reviewers)...)
		out = append(out, reviewersProblems(p.AtName("fallback_reviewers"), st.FallbackReviewers)...)
		if !isKnown(st.StageID) {
			allKnown = false
			continue
		}
		id := st.StageID.ValueString()
		if seen[id] {
			out = append(out, problem{p.AtName("stage_id"), "Duplicate stage id", fmt.Sprintf("stage_id %q is used twice.", id)})
		}
		seen[id] = true
		if st.DependsOn != nil {
			switch {
			case i == 0 && len(st.DependsOn) > 0:
				out = append(out, problem{p.AtName("depends_on"), "Invalid depends_on", "The first stage depends on no other stage."})
			case i > 0 && (len(st.DependsOn) != 1 || (isKnown(st.DependsOn[0]) && st.DependsOn[0].ValueString() != prev)):
				out = append(out, problem{p.AtName("depends_on"), "Invalid depends_on",
					fmt.Sprintf("Stages run one after the other: this stage depends on stage %q only (depends_on = [%q]).", prev, prev)})
			}
		} else if i > 0 {
			out = append(out, problem{p.AtName("depends_on"), "Missing depends_on", fmt.Sprintf("Every stage but the first depends on the one before it: depends_on = [%q].", prev)})
		}
		prev = id
		if isKnown(st.DurationInDays) {
			total += st.DurationInDays.ValueInt64()
		} else {
			allKnown = false
		}
	}
	if s := m.Settings; allKnown && len(m.StageSettings) > 0 && s != nil && s.Recurrence != nil && s.Recurrence.Pattern != nil {
		pt := s.Recurrence.Pattern
		if isKnown(pt.Type) && isKnown(pt.Interval) {
			days := 7 * pt.Interval.ValueInt64()
			if pt.Type.ValueString() == "absoluteMonthly" {
				days = 28 * pt.Interval.ValueInt64()
			}
			if total > days {
				out = append(out, problem{path.Root("stage_settings"), "Stages longer than the recurrence",
					fmt.Sprintf("The stages last %d days together, longer than one recurrence (%d days).", total, days)})
			}
		}
	}
	return out
}

// scopeProblems checks the scope: the fields of its type, its sub-scopes and the form of its query.
func scopeProblems(m accessReviewModel) []problem {
	var out []problem
	add := func(p path.Path, summary, format string, args ...any) {
		out = append(out, problem{p, summary, fmt.Sprintf(format, args...)})
	}
	if s := m.Scope; s != nil && isKnown(s.Type) {
		sp := path.Root("scope")
		t := s.Type.ValueString()
		set := map[string]bool{"query": isKnown(s.Query), "query_root": isKnown(s.QueryRoot), "query_type": isKnown(s.QueryType),
			"inactive_duration": !s.InactiveDuration.IsNull(), "principal_scopes": s.PrincipalScopes != nil, "resource_scopes": s.ResourceScopes != nil}
		var need, allow []string
		switch t {
		case graph.AccessReviewQueryScope:
			need, allow = []string{"query"}, []string{"query", "query_type", "query_root"}
		case graph.AccessReviewInactiveUsersScope:
			need, allow = []string{"query", "inactive_duration"}, []string{"query", "query_type", "query_root", "inactive_duration"}
		case graph.PrincipalResourceMemberships:
			need, allow = []string{"principal_scopes", "resource_scopes"}, []string{"principal_scopes", "resource_scopes"}
		}
		for _, k := range need {
			if !set[k] && (k != "query" || !s.Query.IsUnknown()) {
				add(sp.AtName(k), "Missing scope field", "A scope of type %q needs %s.", t, k)
			}
		}
		for k, isSet := range set {
			if isSet && !contains(allow, k) {
				add(sp.AtName(k), "Field not used by this scope type", "%s is not a field of a scope of type %q; it takes %s.", k, t, strings.Join(allow, ", "))
			}
		}
		if t == graph.PrincipalResourceMemberships {
			for _, k := range []string{"principal_scopes", "resource_scopes"} {
				l := s.PrincipalScopes
				if k == "resource_scopes" {
					l = s.ResourceScopes
				}
				if l != nil && len(l) == 0 {
					add(sp.AtName(k), "Empty scope list", "A principalResourceMembershipsScope needs at least one of %s.", k)
				}
				for i, sub := range l {
					out = append(out, subScopeProblems(sp.AtName(k).AtListIndex(i), sub)...)
				}
			}
		}
		if isKnown(s.Query) {
			out = append(out, queryFormProblems(sp.AtName("query"), s.Query.ValueString())...)
			// A relative scope (./members) is applied to each group instanceEnumerationScope lists
			// (https://learn.microsoft.com/en-us/graph/accessreviews-scope-concept, examples 4 to 6).
			if strings.HasPrefix(s.Query.ValueString(), "./") && m.InstanceEnumerationScope == nil {
				add(path.Root("instance_enumeration_scope"), "Missing instance_enumeration_scope",
					"scope.query %q is relative: instance_enumeration_scope must name the groups it applies to, e.g. "+
						"query = \"/groups?$filter=(groupTypes/any(c:c eq 'Unified'))\" for every Microsoft 365 group.", s.Query.ValueString())
			}
		}
	}
	return out
}

func subScopeProblems(p path.Path, s subScopeModel) []problem {
	var out []problem
	t := s.Type.ValueString()
	if s.Query.IsNull() {
		out = append(out, problem{p.AtName("query"), "Missing scope field", fmt.Sprintf("A scope of type %q needs query.", t)})
	}
	if isKnown(s.Type) && t == graph.AccessReviewInactiveUsersScope && s.InactiveDuration.IsNull() {
		out = append(out, problem{p.AtName("inactive_duration"), "Missing scope field", "A scope of type \"accessReviewInactiveUsersQueryScope\" needs inactive_duration."})
	}
	if isKnown(s.Type) && t == graph.AccessReviewQueryScope && !s.InactiveDuration.IsNull() {
		out = append(out, problem{p.AtName("inactive_duration"), "Field not used by this scope type", "inactive_duration is a field of accessReviewInactiveUsersQueryScope only."})
	}
	if isKnown(s.Query) {
		out = append(out, queryFormProblems(p.AtName("query"), s.Query.ValueString())...)
	}
	return out
}

// queryFormProblems checks that a query is a Graph path: absolute (/...) or relative (./...).
func queryFormProblems(p path.Path, q string) []problem {
	if strings.HasPrefix(q, "/") || strings.HasPrefix(q, "./") {
		if strings.ContainsAny(q, " \t") && !strings.Contains(q, "?") {
			return []problem{{p, "Invalid query", fmt.Sprintf("%q has spaces outside its query options ($filter).", q)}}
		}
		return nil
	}
	return []problem{{p, "Invalid query", fmt.Sprintf("%q is not a Graph query: it starts with / (absolute, e.g. /groups/{id}/transitiveMembers) or ./ (relative to each reviewed object, e.g. ./members).", q)}}
}

func reviewersProblems(p path.Path, l []reviewerModel) []problem {
	var out []problem
	for i, r := range l {
		rp := p.AtListIndex(i)
		if !isKnown(r.Query) {
			continue
		}
		q := r.Query.ValueString()
		if strings.HasPrefix(q, "./") {
			base := strings.ToLower(strings.SplitN(q, "?", 2)[0])
			needsRoot, ok := relativeReviewers[base]
			switch {
			case !ok:
				out = append(out, problem{rp.AtName("query"), "Invalid reviewer query",
					fmt.Sprintf("%q is not a documented relative reviewer: use ./owners, ./manager or ./sponsors.", q)})
			case needsRoot && r.QueryRoot.IsNull():
				out = append(out, problem{rp.AtName("query_root"), "Missing query_root",
					fmt.Sprintf("The relative reviewer %q needs query_root = \"decisions\" (the reviewed user's %s).", q, strings.TrimPrefix(base, "./"))})
			}
			continue
		}
		if !usersQueryRE.MatchString(q) && !groupReviewersRE.MatchString(q) {
			out = append(out, problem{rp.AtName("query"), "Invalid reviewer query",
				fmt.Sprintf("%q is not a reviewer query: use /users/{id}, /groups/{id}/transitiveMembers, /groups/{id}/owners, ./owners, ./manager or ./sponsors.", q)})
		}
		if isKnown(r.QueryRoot) {
			out = append(out, problem{rp.AtName("query_root"), "query_root not used",
				fmt.Sprintf("query_root applies to relative reviewers (./manager, ./sponsors); %q is absolute.", q)})
		}
	}
	return out
}

func settingsProblems(m accessReviewModel, p path.Path) []problem {
	var out []problem
	s := m.Settings
	// defaultDecision is "chosen if defaultDecisionEnabled is enabled"
	// (https://learn.microsoft.com/en-us/graph/api/resources/accessreviewschedulesettings?view=graph-rest-1.0).
	// Left out, they are the defaults: None and false.
	if !s.DefaultDecision.IsUnknown() && !s.DefaultDecisionEnabled.IsUnknown() {
		dd, enabled := orNone(s.DefaultDecision.ValueString()), s.DefaultDecisionEnabled.ValueBool()
		if dd != "None" && !enabled {
			out = append(out, problem{p.AtName("default_decision"), "default_decision without default_decision_enabled",
				fmt.Sprintf("default_decision = %q applies only when default_decision_enabled = true.", dd)})
		}
		if dd == "None" && enabled {
			out = append(out, problem{p.AtName("default_decision"), "Missing default_decision",
				"default_decision_enabled = true needs default_decision: Approve, Deny or Recommendation."})
		}
	}
	seen := map[string]bool{}
	for i, a := range s.ApplyActions {
		if !isKnown(a.Type) {
			continue
		}
		t := a.Type.ValueString()
		if seen[t] {
			out = append(out, problem{p.AtName("apply_actions").AtListIndex(i), "Duplicate apply action", fmt.Sprintf("%s is listed twice.", t)})
		}
		seen[t] = true
		// disableAndDeleteUserApplyAction disables and deletes denied B2B guests
		// (https://learn.microsoft.com/en-us/graph/api/resources/disableanddeleteuserapplyaction?view=graph-rest-1.0):
		// only a review of guests can use it.
		if t == graph.DisableAndDeleteUserAction && scopeKnown(m.Scope) && !reviewsGuests(m.Scope) {
			out = append(out, problem{p.AtName("apply_actions").AtListIndex(i), "disableAndDeleteUserApplyAction needs a guest review",
				"disableAndDeleteUserApplyAction disables and deletes denied guest users: the scope must review guests only " +
					"(its query filters userType eq 'Guest', e.g. ./members/microsoft.graph.user/?$filter=(userType eq 'Guest') with instance_enumeration_scope for all Microsoft 365 groups)."})
		}
	}
	for i, in := range s.RecommendationInsightSettings {
		if isKnown(in.Type) && in.Type.ValueString() == graph.GroupPeerOutlierInsight && (!in.RecommendationLookBackDuration.IsNull() || !in.SignInScope.IsNull()) {
			out = append(out, problem{p.AtName("recommendation_insight_settings").AtListIndex(i), "Field not used by this insight type",
				"groupPeerOutlierRecommendationInsightSettings has no fields: recommendation_look_back_duration and sign_in_scope belong to userLastSignInRecommendationInsightSetting."})
		}
	}
	if rc := s.Recurrence; rc != nil && rc.Range != nil {
		rp := p.AtName("recurrence").AtName("range")
		rg := rc.Range
		rt := rg.Type.ValueString()
		if isKnown(rg.Type) {
			switch {
			case rt == "endDate" && rg.EndDate.IsNull():
				out = append(out, problem{rp.AtName("end_date"), "Missing end_date", "A range of type endDate needs end_date."})
			case rt == "noEnd" && isKnown(rg.EndDate):
				out = append(out, problem{rp.AtName("end_date"), "end_date with a noEnd range", "A noEnd range has no end_date: use type = \"endDate\"."})
			}
			// A one-time review has no pattern; Graph answers it as a numbered range with start and end
			// (https://learn.microsoft.com/en-us/graph/api/accessreviewscheduledefinition-get?view=graph-rest-1.0).
			// The reference is silent on a numbered range of one occurrence without an end, which the local
			// API accepts (internal/emulator/README.md): it is accepted here too, so such a review imports.
			once := isKnown(rg.NumberOfOccurrences) && rg.NumberOfOccurrences.ValueInt64() == 1
			if rc.Pattern == nil && (rt != "numbered" || (rg.EndDate.IsNull() && !once)) {
				out = append(out, problem{rp.AtName("type"), "Invalid range for a one-time review",
					"Without a pattern the review happens once: its range is type = \"numbered\" with start_date and end_date (or number_of_occurrences = 1)."})
			}
		}
		if isKnown(rg.NumberOfOccurrences) && rg.NumberOfOccurrences.ValueInt64() > 0 && isKnown(rg.Type) && rt != "numbered" {
			out = append(out, problem{rp.AtName("number_of_occurrences"), "number_of_occurrences needs a numbered range",
				fmt.Sprintf("number_of_occurrences counts instances of a numbered range, not of a %s range.", rt)})
		}
		if isKnown(rg.StartDate) && isKnown(rg.EndDate) && rg.EndDate.ValueString() < rg.StartDate.ValueString() {
			out = append(out, problem{rp.AtName("end_date"), "end_date before start_date",
				fmt.Sprintf("end_date %s is before start_date %s.", rg.EndDate.ValueString(), rg.StartDate.ValueString())})
		}
		if pt := rc.Pattern; pt != nil && isKnown(pt.Type) && pt.Type.ValueString() == "weekly" && isKnown(pt.DayOfMonth) && pt.DayOfMonth.ValueInt64() != 0 {
			out = append(out, problem{p.AtName("recurrence").AtName("pattern").AtName("day_of_month"), "day_of_month with a weekly pattern",
				"day_of_month applies to absoluteMonthly patterns only."})
		}
	}
	return out
}

// scopeKnown reports whether the scope's queries are known at plan time.
func scopeKnown(s *scopeModel) bool {
	if s == nil || s.Type.IsUnknown() || s.Query.IsUnknown() {
		return false
	}
	for _, p := range s.PrincipalScopes {
		if p.Query.IsUnknown() {
			return false
		}
	}
	return true
}

// reviewsGuests reports whether a scope reviews guest users only: its query, or every principal scope's
// query, filters on userType eq 'Guest'.
func reviewsGuests(s *scopeModel) bool {
	if s == nil {
		return false
	}
	if s.Type.ValueString() == graph.PrincipalResourceMemberships {
		if len(s.PrincipalScopes) == 0 {
			return false
		}
		for _, p := range s.PrincipalScopes {
			if !guestFilterRE.MatchString(p.Query.ValueString()) {
				return false
			}
		}
		return true
	}
	return guestFilterRE.MatchString(s.Query.ValueString())
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
