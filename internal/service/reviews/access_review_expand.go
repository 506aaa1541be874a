package reviews

import (
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework/isoduration"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// Expand (model -> Graph body) and flatten (Graph object -> model) of entragov_access_review.

// noEndDate is the end date Graph answers for a series without end (the list page's example 1).
const noEndDate = "9999-12-31"

func strPtr(v types.String) *string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	s := v.ValueString()
	return &s
}

func boolPtr(v types.Bool) *bool {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	b := v.ValueBool()
	return &b
}

func durationText(d isoduration.Duration) string {
	if d.IsNull() || d.IsUnknown() {
		return ""
	}
	s, err := isoduration.ToEdm(d.ValueString())
	if err != nil {
		return d.ValueString()
	}
	return s
}

func expandAccessReview(m accessReviewModel) graph.AccessReviewDefinition {
	out := graph.AccessReviewDefinition{
		DisplayName:             m.DisplayName.ValueString(),
		DescriptionForAdmins:    strPtr(m.DescriptionForAdmins),
		DescriptionForReviewers: strPtr(m.DescriptionForReviewers),
		Reviewers:               expandReviewers(m.Reviewers),
		FallbackReviewers:       expandReviewers(m.FallbackReviewers),
	}
	// backup_reviewers is sent under its current name: the v1.0 metadata no longer has backupReviewers.
	if m.BackupReviewers != nil && len(out.FallbackReviewers) == 0 {
		out.FallbackReviewers = expandReviewers(m.BackupReviewers)
	}
	if s := m.Scope; s != nil {
		sc := graph.AccessReviewScope{Type: s.Type.ValueString(), Query: s.Query.ValueString(), QueryType: s.QueryType.ValueString(),
			QueryRoot: s.QueryRoot.ValueString(), InactiveDuration: durationText(s.InactiveDuration)}
		for _, p := range s.PrincipalScopes {
			sc.PrincipalScopes = append(sc.PrincipalScopes, expandSubScope(p))
		}
		for _, p := range s.ResourceScopes {
			sc.ResourceScopes = append(sc.ResourceScopes, expandSubScope(p))
		}
		out.Scope = &sc
	}
	if m.InstanceEnumerationScope != nil {
		ies := expandSubScope(*m.InstanceEnumerationScope)
		out.InstanceEnumerationScope = &ies
	}
	for _, r := range m.AdditionalNotificationRecipients {
		item := graph.AccessReviewRecipient{NotificationTemplateType: r.NotificationTemplateType.ValueString()}
		if sc := r.NotificationRecipientScope; sc != nil {
			item.NotificationRecipientScope = graph.AccessReviewRecipientScope{Query: sc.Query.ValueString(), QueryType: sc.QueryType.ValueString(), QueryRoot: sc.QueryRoot.ValueString()}
		}
		out.AdditionalNotificationRecipients = append(out.AdditionalNotificationRecipients, item)
	}
	for _, st := range m.StageSettings {
		out.StageSettings = append(out.StageSettings, graph.AccessReviewStageSettings{
			StageID: st.StageID.ValueString(), DependsOn: stringsOf(st.DependsOn), DurationInDays: st.DurationInDays.ValueInt64(),
			RecommendationsEnabled: st.RecommendationsEnabled.ValueBool(), DecisionsThatWillMoveToNextStage: stringsOf(st.DecisionsThatWillMoveToNextStage),
			Reviewers: expandReviewers(st.Reviewers), FallbackReviewers: expandReviewers(st.FallbackReviewers),
			RecommendationInsightSettings: expandInsights(st.RecommendationInsightSettings),
		})
	}
	if s := m.Settings; s != nil {
		st := &graph.AccessReviewScheduleSettings{
			MailNotificationsEnabled:             boolPtr(s.MailNotificationsEnabled),
			ReminderNotificationsEnabled:         boolPtr(s.ReminderNotificationsEnabled),
			JustificationRequiredOnApproval:      boolPtr(s.JustificationRequiredOnApproval),
			DefaultDecisionEnabled:               boolPtr(s.DefaultDecisionEnabled),
			DefaultDecision:                      s.DefaultDecision.ValueString(),
			AutoApplyDecisionsEnabled:            boolPtr(s.AutoApplyDecisionsEnabled),
			RecommendationsEnabled:               boolPtr(s.RecommendationsEnabled),
			DecisionHistoriesForReviewersEnabled: boolPtr(s.DecisionHistoriesForReviewersEnabled),
			RecommendationLookBackDuration:       durationText(s.RecommendationLookBackDuration),
		}
		if !s.InstanceDurationInDays.IsNull() && !s.InstanceDurationInDays.IsUnknown() {
			n := s.InstanceDurationInDays.ValueInt64()
			st.InstanceDurationInDays = &n
		}
		st.RecommendationInsightSettings = expandInsights(s.RecommendationInsightSettings)
		for _, a := range s.ApplyActions {
			st.ApplyActions = append(st.ApplyActions, graph.AccessReviewAction{Type: a.Type.ValueString()})
		}
		if rc := s.Recurrence; rc != nil {
			rec := &graph.AccessReviewRecurrence{}
			if p := rc.Pattern; p != nil {
				rec.Pattern = &graph.RecurrencePattern{Type: p.Type.ValueString(), Interval: int(p.Interval.ValueInt64()), DayOfMonth: int(p.DayOfMonth.ValueInt64())}
			}
			if rg := rc.Range; rg != nil {
				rec.Range = &graph.RecurrenceRange{Type: rg.Type.ValueString(), StartDate: rg.StartDate.ValueString(), EndDate: rg.EndDate.ValueString(),
					NumberOfOccurrences: int(rg.NumberOfOccurrences.ValueInt64()), RecurrenceTimeZone: rg.RecurrenceTimeZone.ValueString()}
			}
			st.Recurrence = rec
		}
		out.Settings = st
	}
	return out
}

func expandInsights(l []insightModel) []graph.AccessReviewInsight {
	var out []graph.AccessReviewInsight
	for _, in := range l {
		out = append(out, graph.AccessReviewInsight{Type: in.Type.ValueString(),
			RecommendationLookBackDuration: durationText(in.RecommendationLookBackDuration), SignInScope: in.SignInScope.ValueString()})
	}
	return out
}

func stringsOf(l []types.String) []string {
	out := []string{}
	for _, v := range l {
		out = append(out, v.ValueString())
	}
	return out
}

func stringValues(l []string) []types.String {
	out := []types.String{}
	for _, v := range l {
		out = append(out, types.StringValue(v))
	}
	return out
}

func expandSubScope(s subScopeModel) graph.AccessReviewScope {
	return graph.AccessReviewScope{Type: s.Type.ValueString(), Query: s.Query.ValueString(), QueryType: s.QueryType.ValueString(),
		QueryRoot: s.QueryRoot.ValueString(), InactiveDuration: durationText(s.InactiveDuration)}
}

func expandReviewers(l []reviewerModel) []graph.AccessReviewReviewerScope {
	out := []graph.AccessReviewReviewerScope{}
	for _, r := range l {
		out = append(out, graph.AccessReviewReviewerScope{Query: r.Query.ValueString(), QueryType: r.QueryType.ValueString(), QueryRoot: r.QueryRoot.ValueString()})
	}
	return out
}

// optionalString is Graph's value, or null when Graph holds nothing. When the configuration (prior)
// left the field out and Graph answers the value it fills by itself (fill), null is kept.
func optionalString(got string, prior types.String, fills ...string) types.String {
	if got == "" {
		return types.StringNull()
	}
	if prior.IsNull() {
		for _, f := range fills {
			if got == f {
				return types.StringNull()
			}
		}
	}
	return types.StringValue(got)
}

func optionalDuration(got string, prior isoduration.Duration) isoduration.Duration {
	if got == "" {
		return isoduration.NewDurationNull()
	}
	if !prior.IsNull() && !prior.IsUnknown() {
		if a, err := isoduration.ToEdm(prior.ValueString()); err == nil {
			if b, err := isoduration.ToEdm(got); err == nil && a == b {
				return prior // the same duration as written
			}
		}
	}
	return isoduration.NewDurationValue(got)
}

// flattenAccessReview sets m from d; m holds the prior values (plan or state), which decide where the
// configuration's own spelling is kept.
func flattenAccessReview(d *graph.AccessReviewDefinition, m *accessReviewModel) {
	m.ID = types.StringValue(d.ID)
	m.DisplayName = types.StringValue(d.DisplayName)
	m.DescriptionForAdmins = optionalString(deref(d.DescriptionForAdmins), m.DescriptionForAdmins, "")
	m.DescriptionForReviewers = optionalString(deref(d.DescriptionForReviewers), m.DescriptionForReviewers, "")
	if d.Scope != nil {
		prior := m.Scope
		if prior == nil {
			prior = &scopeModel{}
		}
		s := &scopeModel{Type: types.StringValue(d.Scope.Type)}
		if d.Scope.Type == graph.PrincipalResourceMemberships {
			s.Query, s.QueryType, s.QueryRoot, s.InactiveDuration = types.StringNull(), types.StringNull(), types.StringNull(), isoduration.NewDurationNull()
			s.PrincipalScopes = flattenSubScopes(d.Scope.PrincipalScopes, prior.PrincipalScopes)
			s.ResourceScopes = flattenSubScopes(d.Scope.ResourceScopes, prior.ResourceScopes)
		} else {
			sub := flattenSubScope(*d.Scope, subScopeModel{Query: prior.Query, QueryType: prior.QueryType, InactiveDuration: prior.InactiveDuration})
			s.Query, s.QueryType, s.QueryRoot, s.InactiveDuration = sub.Query, sub.QueryType, sub.QueryRoot, sub.InactiveDuration
		}
		m.Scope = s
	}
	priorIES := subScopeModel{QueryType: types.StringNull(), InactiveDuration: isoduration.NewDurationNull()}
	if m.InstanceEnumerationScope != nil {
		priorIES = *m.InstanceEnumerationScope
	}
	m.InstanceEnumerationScope = nil
	if d.InstanceEnumerationScope != nil && d.InstanceEnumerationScope.Query != "" {
		ies := flattenSubScope(*d.InstanceEnumerationScope, priorIES)
		m.InstanceEnumerationScope = &ies
	}
	m.Reviewers = flattenReviewers(d.Reviewers, m.Reviewers)
	if m.BackupReviewers != nil {
		// Configured under the former name: Graph's fallbackReviewers are shown there.
		m.BackupReviewers = flattenReviewers(d.FallbackReviewers, m.BackupReviewers)
		m.FallbackReviewers = []reviewerModel{}
	} else {
		m.FallbackReviewers = flattenReviewers(d.FallbackReviewers, m.FallbackReviewers)
	}
	priorRecipients := m.AdditionalNotificationRecipients
	m.AdditionalNotificationRecipients = []recipientModel{}
	for i, r := range d.AdditionalNotificationRecipients {
		var prior recipientModel
		if i < len(priorRecipients) {
			prior = priorRecipients[i]
		}
		priorScope := recipientScopeModel{QueryType: types.StringNull()}
		if prior.NotificationRecipientScope != nil {
			priorScope = *prior.NotificationRecipientScope
		}
		m.AdditionalNotificationRecipients = append(m.AdditionalNotificationRecipients, recipientModel{
			NotificationTemplateType: types.StringValue(r.NotificationTemplateType),
			NotificationRecipientScope: &recipientScopeModel{
				Type:      types.StringValue(graph.NotificationRecipientQuery),
				Query:     types.StringValue(r.NotificationRecipientScope.Query),
				QueryType: optionalString(r.NotificationRecipientScope.QueryType, priorScope.QueryType),
				QueryRoot: optionalString(r.NotificationRecipientScope.QueryRoot, types.StringNull()),
			},
		})
	}
	if d.Settings != nil {
		m.Settings = flattenSettings(d.Settings, m.Settings)
	}
	priorStages := m.StageSettings
	m.StageSettings = nil
	for i, st := range d.StageSettings {
		var prior stageModel
		if i < len(priorStages) {
			prior = priorStages[i]
		}
		m.StageSettings = append(m.StageSettings, stageModel{
			StageID: types.StringValue(st.StageID), DependsOn: stringValues(st.DependsOn), DurationInDays: types.Int64Value(st.DurationInDays),
			RecommendationsEnabled: types.BoolValue(st.RecommendationsEnabled), DecisionsThatWillMoveToNextStage: stringValues(st.DecisionsThatWillMoveToNextStage),
			Reviewers: flattenReviewers(st.Reviewers, prior.Reviewers), FallbackReviewers: flattenReviewers(st.FallbackReviewers, prior.FallbackReviewers),
			RecommendationInsightSettings: flattenInsights(st.RecommendationInsightSettings, prior.RecommendationInsightSettings),
		})
	}
	m.Status = types.StringValue(d.Status)
	m.CreatedDateTime = types.StringValue(d.CreatedDateTime)
	m.LastModifiedDateTime = types.StringValue(d.LastModifiedDateTime)
	cb := map[string]attr.Value{"id": types.StringNull(), "display_name": types.StringNull(), "user_principal_name": types.StringNull()}
	if d.CreatedBy != nil {
		cb["id"] = optionalString(d.CreatedBy.ID, types.StringValue(""))
		cb["display_name"] = optionalString(d.CreatedBy.DisplayName, types.StringValue(""))
		cb["user_principal_name"] = optionalString(d.CreatedBy.UserPrincipalName, types.StringValue(""))
	}
	m.CreatedBy = types.ObjectValueMust(createdByTypes, cb)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// sameQuery reports whether Graph's query is the written one: Graph adds $count=true to the query options
// of the scopes it stores (https://learn.microsoft.com/en-us/graph/api/accessreviewset-post-definitions?view=graph-rest-1.0,
// example 2: ./members/microsoft.graph.user/?$filter=... is answered ./members/microsoft.graph.user/?$count=true&$filter=...).
func sameQuery(written, held string) bool {
	strip := func(q string) string {
		path, opts, found := strings.Cut(q, "?")
		if !found {
			return q
		}
		var kept []string
		for _, o := range strings.Split(opts, "&") {
			if o != "" && !strings.EqualFold(o, "$count=true") {
				kept = append(kept, o)
			}
		}
		if len(kept) == 0 {
			return path
		}
		return path + "?" + strings.Join(kept, "&")
	}
	return written == held || strip(written) == strip(held)
}

// query is Graph's query, or the written one when Graph holds it in a form it rewrites it to.
func query(held string, prior types.String) types.String {
	if !prior.IsNull() && !prior.IsUnknown() && sameQuery(prior.ValueString(), held) {
		return prior
	}
	return types.StringValue(held)
}

func flattenSubScope(s graph.AccessReviewScope, prior subScopeModel) subScopeModel {
	out := subScopeModel{
		Type:             types.StringValue(s.Type),
		Query:            query(s.Query, prior.Query),
		QueryType:        optionalString(s.QueryType, prior.QueryType),
		QueryRoot:        optionalString(s.QueryRoot, types.StringValue("")),
		InactiveDuration: isoduration.NewDurationNull(),
	}
	if s.Type == graph.AccessReviewInactiveUsersScope {
		out.InactiveDuration = optionalDuration(s.InactiveDuration, prior.InactiveDuration)
	}
	return out
}

func flattenSubScopes(l []graph.AccessReviewScope, prior []subScopeModel) []subScopeModel {
	out := []subScopeModel{}
	for i, s := range l {
		p := subScopeModel{QueryType: types.StringNull(), InactiveDuration: isoduration.NewDurationNull()}
		if i < len(prior) {
			p = prior[i]
		}
		out = append(out, flattenSubScope(s, p))
	}
	return out
}

func flattenReviewers(l []graph.AccessReviewReviewerScope, prior []reviewerModel) []reviewerModel {
	out := []reviewerModel{}
	for i, r := range l {
		pq, pqt := types.StringNull(), types.StringNull()
		if i < len(prior) {
			pq, pqt = prior[i].Query, prior[i].QueryType
		}
		out = append(out, reviewerModel{
			Query:     query(r.Query, pq),
			QueryType: optionalString(r.QueryType, pqt),
			QueryRoot: optionalString(r.QueryRoot, types.StringValue("")),
		})
	}
	return out
}

func flattenSettings(s *graph.AccessReviewScheduleSettings, prior *settingsModel) *settingsModel {
	if prior == nil {
		prior = &settingsModel{RecommendationLookBackDuration: isoduration.NewDurationNull()}
	}
	b := func(p *bool) types.Bool { return types.BoolValue(p != nil && *p) }
	out := &settingsModel{
		MailNotificationsEnabled:             b(s.MailNotificationsEnabled),
		ReminderNotificationsEnabled:         b(s.ReminderNotificationsEnabled),
		JustificationRequiredOnApproval:      b(s.JustificationRequiredOnApproval),
		DefaultDecisionEnabled:               b(s.DefaultDecisionEnabled),
		DefaultDecision:                      types.StringValue(orNone(s.DefaultDecision)),
		AutoApplyDecisionsEnabled:            b(s.AutoApplyDecisionsEnabled),
		RecommendationsEnabled:               b(s.RecommendationsEnabled),
		DecisionHistoriesForReviewersEnabled: b(s.DecisionHistoriesForReviewersEnabled),
		RecommendationLookBackDuration:       optionalDuration(s.RecommendationLookBackDuration, prior.RecommendationLookBackDuration),
		RecommendationInsightSettings:        []insightModel{},
		ApplyActions:                         []applyActionModel{},
	}
	out.InstanceDurationInDays = types.Int64Value(0)
	if s.InstanceDurationInDays != nil {
		out.InstanceDurationInDays = types.Int64Value(*s.InstanceDurationInDays)
	}
	out.RecommendationInsightSettings = flattenInsights(s.RecommendationInsightSettings, prior.RecommendationInsightSettings)
	for _, a := range s.ApplyActions {
		out.ApplyActions = append(out.ApplyActions, applyActionModel{Type: types.StringValue(a.Type)})
	}
	// removeAccessApplyAction is the default and "doesn't need to be specified"
	// (https://learn.microsoft.com/en-us/graph/api/resources/accessreviewapplyaction?view=graph-rest-1.0):
	// Graph answering it for a configuration that lists none is the same setting.
	if prior.ApplyActions != nil && len(prior.ApplyActions) == 0 && len(out.ApplyActions) == 1 && out.ApplyActions[0].Type.ValueString() == graph.RemoveAccessApplyAction {
		out.ApplyActions = []applyActionModel{}
	}
	if rc := s.Recurrence; rc != nil {
		r := &recurrenceModel{}
		if p := rc.Pattern; p != nil && p.Type != "" {
			r.Pattern = &patternModel{Type: types.StringValue(p.Type), Interval: types.Int64Value(int64(p.Interval)), DayOfMonth: types.Int64Value(int64(p.DayOfMonth))}
		}
		if rg := rc.Range; rg != nil {
			priorEnd, priorTZ := types.StringNull(), types.StringNull()
			if prior.Recurrence != nil && prior.Recurrence.Range != nil {
				priorEnd, priorTZ = prior.Recurrence.Range.EndDate, prior.Recurrence.Range.RecurrenceTimeZone
			}
			r.Range = &rangeModel{
				Type:                types.StringValue(rg.Type),
				StartDate:           types.StringValue(rg.StartDate),
				EndDate:             optionalString(rg.EndDate, priorEnd, noEndDate, "null"),
				NumberOfOccurrences: types.Int64Value(int64(rg.NumberOfOccurrences)),
				RecurrenceTimeZone:  optionalString(rg.RecurrenceTimeZone, priorTZ),
			}
		}
		out.Recurrence = r
	}
	return out
}

func flattenInsights(l []graph.AccessReviewInsight, prior []insightModel) []insightModel {
	out := []insightModel{}
	for i, in := range l {
		pd := isoduration.NewDurationNull()
		if i < len(prior) {
			pd = prior[i].RecommendationLookBackDuration
		}
		out = append(out, insightModel{
			Type: types.StringValue(in.Type), RecommendationLookBackDuration: optionalDuration(in.RecommendationLookBackDuration, pd),
			SignInScope: optionalString(in.SignInScope, types.StringValue("")),
		})
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "None"
	}
	return s
}
