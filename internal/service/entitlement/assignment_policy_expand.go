package entitlement

import (
	"context"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework/isoduration"
	"github.com/entragov/terraform-provider-entragov/internal/framework/subjectset"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// expandPolicy builds the whole Graph object. PUT replaces the policy, so everything the configuration
// leaves out is sent with Graph's default; that is how removing a block removes it from the policy.
func expandPolicy(ctx context.Context, m policyModel) (graph.AssignmentPolicy, diag.Diagnostics) {
	x := &policyExpander{ctx: ctx}
	p := graph.AssignmentPolicy{
		DisplayName:                  m.DisplayName.ValueString(),
		Description:                  m.Description.ValueString(),
		AllowedTargetScope:           stringOr(m.AllowedTargetScope, "notSpecified"),
		SpecificAllowedTargets:       x.subjects(m.SpecificAllowedTargets),
		Expiration:                   expandExpiration(m.Expiration),
		RequestorSettings:            x.requestorSettings(m.RequestorSettings),
		RequestApprovalSettings:      x.approvalSettings(m.RequestApprovalSettings),
		ReviewSettings:               x.reviewSettings(m.ReviewSettings),
		NotificationSettings:         &graph.NotificationSettings{},
		Questions:                    expandQuestions(m.Questions),
		CustomExtensionStageSettings: expandExtensionStages(m.CustomExtensionStageSettings),
	}
	if a := m.AutomaticRequestSettings; a != nil {
		p.AutomaticRequestSettings = &graph.AutomaticRequestSettings{
			RequestAccessForAllowedTargets:             a.RequestAccessForAllowedTargets.ValueBool(),
			RemoveAccessWhenTargetLeavesAllowedTargets: a.RemoveAccessWhenTargetLeavesAllowedTargets.ValueBool(),
			GracePeriodBeforeAccessRemoval:             a.GracePeriodBeforeAccessRemoval.EdmPointer(),
		}
	}
	if n := m.NotificationSettings; n != nil {
		p.NotificationSettings.IsAssignmentNotificationDisabled = n.AssignmentNotificationDisabled.ValueBool()
	}
	return p, x.diags
}

// policyExpander carries what the blocks of a policy share while they are expanded: subject sets
// report their diagnostics into one list.
type policyExpander struct {
	ctx   context.Context
	diags diag.Diagnostics
}

func (x *policyExpander) subjects(l types.List) []graph.SubjectSet {
	s, d := subjectset.Expand(x.ctx, l)
	x.diags.Append(d...)
	return s
}

// requestorSettings is always sent, with the defaults where the configuration has none: updates PUT the
// whole policy.
func (x *policyExpander) requestorSettings(r *requestorSettingsModel) *graph.RequestorSettings {
	if r == nil {
		return &graph.RequestorSettings{OnBehalfRequestors: []graph.SubjectSet{}}
	}
	return &graph.RequestorSettings{
		EnableTargetsToSelfAddAccess:           r.EnableTargetsToSelfAddAccess.ValueBool(),
		EnableTargetsToSelfUpdateAccess:        r.EnableTargetsToSelfUpdateAccess.ValueBool(),
		EnableTargetsToSelfRemoveAccess:        r.EnableTargetsToSelfRemoveAccess.ValueBool(),
		AllowCustomAssignmentSchedule:          r.AllowCustomAssignmentSchedule.ValueBool(),
		EnableOnBehalfRequestorsToAddAccess:    r.EnableOnBehalfRequestorsToAddAccess.ValueBool(),
		EnableOnBehalfRequestorsToUpdateAccess: r.EnableOnBehalfRequestorsToUpdateAccess.ValueBool(),
		EnableOnBehalfRequestorsToRemoveAccess: r.EnableOnBehalfRequestorsToRemoveAccess.ValueBool(),
		OnBehalfRequestors:                     x.subjects(r.OnBehalfRequestors),
	}
}

func (x *policyExpander) approvalSettings(a *approvalSettingsModel) *graph.ApprovalSettings {
	as := &graph.ApprovalSettings{Stages: []graph.ApprovalStage{}}
	if a == nil {
		return as
	}
	as.IsApprovalRequiredForAdd = a.ApprovalRequiredForAdd.ValueBool()
	as.IsApprovalRequiredForUpdate = a.ApprovalRequiredForUpdate.ValueBool()
	as.IsRequestorJustificationRequired = a.RequestorJustificationRequired.ValueBool()
	for _, s := range a.Stages {
		as.Stages = append(as.Stages, graph.ApprovalStage{
			DurationBeforeAutomaticDenial:   s.DurationBeforeAutomaticDenial.EdmValue(),
			IsApproverJustificationRequired: s.ApproverJustificationRequired.ValueBool(),
			IsEscalationEnabled:             s.EscalationEnabled.ValueBool(),
			DurationBeforeEscalation:        durationOr(s.DurationBeforeEscalation, "PT0S"),
			PrimaryApprovers:                x.subjects(s.PrimaryApprovers),
			FallbackPrimaryApprovers:        x.subjects(s.FallbackPrimaryApprovers),
			EscalationApprovers:             x.subjects(s.EscalationApprovers),
			FallbackEscalationApprovers:     x.subjects(s.FallbackEscalationApprovers),
			ApproverInformationVisibility:   stringOr(s.ApproverInformationVisibility, "default"),
		})
	}
	return as
}

func (x *policyExpander) reviewSettings(r *reviewSettingsModel) *graph.ReviewSettings {
	if r == nil {
		return nil
	}
	return &graph.ReviewSettings{
		IsEnabled:                       r.Enabled.ValueBool(),
		ExpirationBehavior:              r.ExpirationBehavior.ValueString(),
		IsRecommendationEnabled:         r.RecommendationEnabled.ValueBool(),
		IsReviewerJustificationRequired: r.ReviewerJustificationRequired.ValueBool(),
		IsSelfReview:                    r.SelfReview.ValueBool(),
		PrimaryReviewers:                x.subjects(r.PrimaryReviewers),
		FallbackReviewers:               x.subjects(r.FallbackReviewers),
		Schedule:                        expandReviewSchedule(x.ctx, r.Schedule, &x.diags),
	}
}

func expandQuestions(questions []questionModel) []graph.Question {
	out := []graph.Question{}
	for i, q := range questions {
		gq := graph.Question{
			Type: q.Type.ValueString(), Sequence: i + 1, Text: q.Text.ValueString(),
			IsRequired: q.Required.ValueBool(), IsAnswerEditable: q.AnswerEditable.ValueBool(),
			Localizations: expandLocalizations(q.Localizations),
		}
		if known(q.ID) {
			// Sending the id asks Graph to keep the question (and the answers given to it).
			gq.ID = q.ID.ValueString()
		}
		switch gq.Type {
		case graph.QuestionTextInput:
			gq.IsSingleLineQuestion = boolPointer(q.SingleLineQuestion, false)
			if known(q.RegexPattern) {
				gq.RegexPattern = q.RegexPattern.ValueStringPointer()
			}
		case graph.QuestionMultipleChoice:
			gq.IsMultipleSelectionAllowed = boolPointer(q.MultipleSelectionAllowed, false)
			gq.Choices = []graph.AnswerChoice{}
			for _, c := range q.Choices {
				gq.Choices = append(gq.Choices, graph.AnswerChoice{
					ActualValue: c.ActualValue.ValueString(), Text: c.Text.ValueString(), Localizations: expandLocalizations(c.Localizations),
				})
			}
		}
		out = append(out, gq)
	}
	return out
}

func expandExtensionStages(stages []customExtensionStageModel) []graph.CustomExtensionStageSetting {
	out := []graph.CustomExtensionStageSetting{}
	for _, s := range stages {
		setting := graph.CustomExtensionStageSetting{
			Stage:           s.Stage.ValueString(),
			CustomExtension: &graph.TypedIDRef{Type: "#microsoft.graph." + extensionTypeFor(s.Stage.ValueString()), ID: s.CustomExtensionID.ValueString()},
		}
		if known(s.ID) {
			setting.ID = s.ID.ValueString()
		}
		out = append(out, setting)
	}
	return out
}

func expandReviewSchedule(ctx context.Context, s *reviewScheduleModel, diags *diag.Diagnostics) *graph.EntitlementManagementSchedule {
	if s == nil {
		return nil
	}
	out := &graph.EntitlementManagementSchedule{
		StartDateTime: s.StartDateTime.ValueStringPointer(),
		Expiration:    &graph.ExpirationPattern{Type: "afterDuration", Duration: s.Duration.EdmPointer()},
	}
	if r := s.Recurrence; r != nil && r.Pattern != nil {
		pattern := graph.RecurrencePattern{
			Type: r.Pattern.Type.ValueString(), Interval: int(r.Pattern.Interval.ValueInt64()),
			Month: int(r.Pattern.Month.ValueInt64()), DayOfMonth: int(r.Pattern.DayOfMonth.ValueInt64()),
			DaysOfWeek: []string{}, FirstDayOfWeek: r.Pattern.FirstDayOfWeek.ValueString(), Index: r.Pattern.Index.ValueString(),
		}
		if !r.Pattern.DaysOfWeek.IsNull() && !r.Pattern.DaysOfWeek.IsUnknown() {
			diags.Append(r.Pattern.DaysOfWeek.ElementsAs(ctx, &pattern.DaysOfWeek, false)...)
		}
		rng := graph.RecurrenceRange{Type: "noEnd"}
		if r.Range != nil {
			rng = graph.RecurrenceRange{
				Type: r.Range.Type.ValueString(), StartDate: r.Range.StartDate.ValueString(), EndDate: r.Range.EndDate.ValueString(),
				NumberOfOccurrences: int(r.Range.NumberOfOccurrences.ValueInt64()), RecurrenceTimeZone: r.Range.RecurrenceTimeZone.ValueString(),
			}
		}
		out.Recurrence = &graph.PatternedRecurrence{Pattern: pattern, Range: rng}
	}
	return out
}

func expandLocalizations(ls []localizationModel) []graph.Localization {
	out := []graph.Localization{}
	for _, l := range ls {
		out = append(out, graph.Localization{LanguageCode: l.LanguageCode.ValueString(), Text: l.Text.ValueString()})
	}
	return out
}

// extensionTypeFor pairs a stage with the custom extension type Graph expects there (spec 1.6).
func extensionTypeFor(stage string) string {
	for _, s := range graph.CustomExtensionExpirationStage {
		if s == stage {
			return graph.AssignmentWorkflowExtensionType
		}
	}
	return graph.RequestWorkflowExtensionType
}

// flattenPolicy copies a Graph policy into the model. prior (the plan, or the state) decides how
// values equal to Graph's defaults are shown: an object the configuration left out stays null as long
// as Graph holds only its defaults, so omitted blocks never diff, while anything else shows as drift.
func flattenPolicy(ctx context.Context, p *graph.AssignmentPolicy, prior policyModel) (policyModel, diag.Diagnostics) {
	f := &policyFlattener{ctx: ctx}
	m := policyModel{
		ID:                 types.StringValue(p.ID),
		AccessPackageID:    prior.AccessPackageID,
		DisplayName:        types.StringValue(p.DisplayName),
		Description:        types.StringValue(p.Description),
		AllowedTargetScope: types.StringValue(p.AllowedTargetScope),
		CreatedDateTime:    types.StringValue(p.CreatedDateTime),
		ModifiedDateTime:   types.StringValue(p.ModifiedDateTime),
	}
	if p.AccessPackage != nil && p.AccessPackage.ID != "" {
		m.AccessPackageID = types.StringValue(p.AccessPackage.ID)
	}
	m.SpecificAllowedTargets = f.subjects(p.SpecificAllowedTargets, prior.SpecificAllowedTargets)
	m.Expiration = flattenPolicyExpiration(p.Expiration, prior.Expiration)
	m.RequestorSettings = f.requestorSettings(p.RequestorSettings, prior.RequestorSettings)
	m.RequestApprovalSettings = f.approvalSettings(p.RequestApprovalSettings, prior.RequestApprovalSettings)
	m.ReviewSettings = f.reviewSettings(p.ReviewSettings, prior.ReviewSettings)
	m.AutomaticRequestSettings = flattenAutomaticRequest(p.AutomaticRequestSettings, prior.AutomaticRequestSettings)
	if n := p.NotificationSettings; n != nil && (n.IsAssignmentNotificationDisabled || prior.NotificationSettings != nil) {
		m.NotificationSettings = &notificationSettingsModel{AssignmentNotificationDisabled: types.BoolValue(n.IsAssignmentNotificationDisabled)}
	}
	m.Questions = flattenQuestions(p.Questions, prior.Questions)
	m.CustomExtensionStageSettings = flattenExtensionStages(p.CustomExtensionStageSettings, prior.CustomExtensionStageSettings)
	return m, f.diags
}

// policyFlattener carries what the blocks of a policy share while they are flattened: subject sets
// report their diagnostics into one list.
type policyFlattener struct {
	ctx   context.Context
	diags diag.Diagnostics
}

func (f *policyFlattener) subjects(sets []graph.SubjectSet, prior types.List) types.List {
	l, d := subjectset.Flatten(f.ctx, sets, prior)
	f.diags.Append(d...)
	return l
}

func flattenPolicyExpiration(e *graph.ExpirationPattern, prior *expirationModel) *expirationModel {
	if e == nil || (e.Type == "notSpecified" && prior == nil) {
		return nil
	}
	var pe expirationModel
	if prior != nil {
		pe = *prior
	}
	return &expirationModel{
		Type:        types.StringValue(e.Type),
		EndDateTime: timestampValue(e.EndDateTime, pe.EndDateTime),
		Duration:    isoduration.NewDurationPointerValue(nonEmpty(e.Duration)),
	}
}

func (f *policyFlattener) requestorSettings(r *graph.RequestorSettings, prior *requestorSettingsModel) *requestorSettingsModel {
	if r == nil {
		return nil
	}
	nonDefault := r.EnableTargetsToSelfAddAccess || r.EnableTargetsToSelfUpdateAccess || r.EnableTargetsToSelfRemoveAccess ||
		r.AllowCustomAssignmentSchedule || r.EnableOnBehalfRequestorsToAddAccess || r.EnableOnBehalfRequestorsToUpdateAccess ||
		r.EnableOnBehalfRequestorsToRemoveAccess || len(r.OnBehalfRequestors) > 0
	if !nonDefault && prior == nil {
		return nil
	}
	var pr requestorSettingsModel
	if prior != nil {
		pr = *prior
	}
	return &requestorSettingsModel{
		EnableTargetsToSelfAddAccess:           types.BoolValue(r.EnableTargetsToSelfAddAccess),
		EnableTargetsToSelfUpdateAccess:        types.BoolValue(r.EnableTargetsToSelfUpdateAccess),
		EnableTargetsToSelfRemoveAccess:        types.BoolValue(r.EnableTargetsToSelfRemoveAccess),
		AllowCustomAssignmentSchedule:          types.BoolValue(r.AllowCustomAssignmentSchedule),
		EnableOnBehalfRequestorsToAddAccess:    types.BoolValue(r.EnableOnBehalfRequestorsToAddAccess),
		EnableOnBehalfRequestorsToUpdateAccess: types.BoolValue(r.EnableOnBehalfRequestorsToUpdateAccess),
		EnableOnBehalfRequestorsToRemoveAccess: types.BoolValue(r.EnableOnBehalfRequestorsToRemoveAccess),
		OnBehalfRequestors:                     f.subjects(r.OnBehalfRequestors, pr.OnBehalfRequestors),
	}
}

func (f *policyFlattener) approvalSettings(a *graph.ApprovalSettings, prior *approvalSettingsModel) *approvalSettingsModel {
	if a == nil {
		return nil
	}
	nonDefault := a.IsApprovalRequiredForAdd || a.IsApprovalRequiredForUpdate || a.IsRequestorJustificationRequired || len(a.Stages) > 0
	if !nonDefault && prior == nil {
		return nil
	}
	var pa approvalSettingsModel
	if prior != nil {
		pa = *prior
	}
	out := &approvalSettingsModel{
		ApprovalRequiredForAdd:         types.BoolValue(a.IsApprovalRequiredForAdd),
		ApprovalRequiredForUpdate:      types.BoolValue(a.IsApprovalRequiredForUpdate),
		RequestorJustificationRequired: types.BoolValue(a.IsRequestorJustificationRequired),
	}
	for i, s := range a.Stages {
		var ps approvalStageModel
		if i < len(pa.Stages) {
			ps = pa.Stages[i]
		}
		out.Stages = append(out.Stages, f.approvalStage(s, ps))
	}
	return out
}

func (f *policyFlattener) approvalStage(s graph.ApprovalStage, ps approvalStageModel) approvalStageModel {
	escalation := isoduration.NewDurationValue(s.DurationBeforeEscalation)
	if isZeroDuration(s.DurationBeforeEscalation) && ps.DurationBeforeEscalation.IsNull() {
		escalation = isoduration.NewDurationNull()
	}
	escalationApprovers := f.subjects(s.EscalationApprovers, ps.EscalationApprovers)
	fallbackEscalationApprovers := f.subjects(s.FallbackEscalationApprovers, ps.FallbackEscalationApprovers)
	if !s.IsEscalationEnabled {
		// Escalation switched off keeps its delay and approvers in Graph, where they do nothing. They
		// show only where the configuration holds them, so that the configuration of an imported
		// policy does not set what ValidateConfig refuses with escalation off.
		if ps.DurationBeforeEscalation.IsNull() {
			escalation = isoduration.NewDurationNull()
		}
		if ps.EscalationApprovers.IsNull() {
			escalationApprovers = types.ListNull(subjectset.ObjectType())
		}
		if ps.FallbackEscalationApprovers.IsNull() {
			fallbackEscalationApprovers = types.ListNull(subjectset.ObjectType())
		}
	}
	return approvalStageModel{
		DurationBeforeAutomaticDenial: isoduration.NewDurationValue(s.DurationBeforeAutomaticDenial),
		ApproverJustificationRequired: types.BoolValue(s.IsApproverJustificationRequired),
		EscalationEnabled:             types.BoolValue(s.IsEscalationEnabled),
		DurationBeforeEscalation:      escalation,
		PrimaryApprovers:              f.subjects(s.PrimaryApprovers, ps.PrimaryApprovers),
		FallbackPrimaryApprovers:      f.subjects(s.FallbackPrimaryApprovers, ps.FallbackPrimaryApprovers),
		EscalationApprovers:           escalationApprovers,
		FallbackEscalationApprovers:   fallbackEscalationApprovers,
		ApproverInformationVisibility: types.StringValue(orString(s.ApproverInformationVisibility, "default")),
	}
}

func (f *policyFlattener) reviewSettings(r *graph.ReviewSettings, prior *reviewSettingsModel) *reviewSettingsModel {
	if r == nil {
		return nil
	}
	var pr reviewSettingsModel
	if prior != nil {
		pr = *prior
	}
	return &reviewSettingsModel{
		Enabled:                       types.BoolValue(r.IsEnabled),
		ExpirationBehavior:            types.StringValue(r.ExpirationBehavior),
		RecommendationEnabled:         types.BoolValue(r.IsRecommendationEnabled),
		ReviewerJustificationRequired: types.BoolValue(r.IsReviewerJustificationRequired),
		SelfReview:                    types.BoolValue(r.IsSelfReview),
		PrimaryReviewers:              f.subjects(r.PrimaryReviewers, pr.PrimaryReviewers),
		FallbackReviewers:             f.subjects(r.FallbackReviewers, pr.FallbackReviewers),
		Schedule:                      flattenReviewSchedule(r.Schedule, pr.Schedule),
	}
}

func flattenAutomaticRequest(a *graph.AutomaticRequestSettings, prior *automaticRequestModel) *automaticRequestModel {
	if a == nil {
		return nil
	}
	grace := isoduration.NewDurationPointerValue(nonEmpty(a.GracePeriodBeforeAccessRemoval))
	// Like escalation: a grace period kept in Graph after removal was switched off does nothing, and
	// shows only where the configuration holds one.
	if !a.RemoveAccessWhenTargetLeavesAllowedTargets && (prior == nil || prior.GracePeriodBeforeAccessRemoval.IsNull()) {
		grace = isoduration.NewDurationNull()
	}
	return &automaticRequestModel{
		RequestAccessForAllowedTargets:             types.BoolValue(a.RequestAccessForAllowedTargets),
		RemoveAccessWhenTargetLeavesAllowedTargets: types.BoolValue(a.RemoveAccessWhenTargetLeavesAllowedTargets),
		GracePeriodBeforeAccessRemoval:             grace,
	}
}

func flattenQuestions(questions []graph.Question, prior []questionModel) []questionModel {
	var out []questionModel
	for i, q := range questions {
		var pq questionModel
		if i < len(prior) {
			pq = prior[i]
		}
		out = append(out, flattenQuestion(q, pq))
	}
	if len(out) == 0 && prior != nil {
		return []questionModel{}
	}
	return out
}

func flattenQuestion(q graph.Question, pq questionModel) questionModel {
	out := questionModel{
		ID: types.StringValue(q.ID), Type: types.StringValue(q.Type), Text: types.StringValue(q.Text),
		Required: types.BoolValue(q.IsRequired), AnswerEditable: types.BoolValue(q.IsAnswerEditable),
		Localizations:            flattenLocalizations(q.Localizations, pq.Localizations),
		SingleLineQuestion:       optionalBoolValue(q.IsSingleLineQuestion, pq.SingleLineQuestion),
		RegexPattern:             optionalStringValue(q.RegexPattern, pq.RegexPattern),
		MultipleSelectionAllowed: optionalBoolValue(q.IsMultipleSelectionAllowed, pq.MultipleSelectionAllowed),
	}
	for j, c := range q.Choices {
		var pc choiceModel
		if j < len(pq.Choices) {
			pc = pq.Choices[j]
		}
		out.Choices = append(out.Choices, choiceModel{
			ActualValue: types.StringValue(c.ActualValue), Text: types.StringValue(c.Text),
			Localizations: flattenLocalizations(c.Localizations, pc.Localizations),
		})
	}
	if len(out.Choices) == 0 && pq.Choices != nil {
		out.Choices = []choiceModel{}
	}
	return out
}

func flattenExtensionStages(stages []graph.CustomExtensionStageSetting, prior []customExtensionStageModel) []customExtensionStageModel {
	// One setting per stage, a set to Graph (no Core.Ordered in the v1.0 metadata): the prior order of the
	// stages stands.
	priorStages := make([]string, 0, len(prior))
	for _, s := range prior {
		priorStages = append(priorStages, s.Stage.ValueString())
	}
	var out []customExtensionStageModel
	for _, s := range inPriorOrder(stages, priorStages, func(s graph.CustomExtensionStageSetting) string { return s.Stage }) {
		id := ""
		if s.CustomExtension != nil {
			id = s.CustomExtension.ID
		}
		out = append(out, customExtensionStageModel{
			ID: types.StringValue(s.ID), Stage: types.StringValue(s.Stage), CustomExtensionID: types.StringValue(id),
		})
	}
	if len(out) == 0 && prior != nil {
		return []customExtensionStageModel{}
	}
	return out
}

func flattenReviewSchedule(s *graph.EntitlementManagementSchedule, prior *reviewScheduleModel) *reviewScheduleModel {
	if s == nil {
		return nil
	}
	var ps reviewScheduleModel
	if prior != nil {
		ps = *prior
	}
	out := &reviewScheduleModel{StartDateTime: timestampValue(s.StartDateTime, ps.StartDateTime), Duration: isoduration.NewDurationNull()}
	if s.Expiration != nil {
		out.Duration = isoduration.NewDurationPointerValue(nonEmpty(s.Expiration.Duration))
	}
	if r := s.Recurrence; r != nil {
		var pr recurrenceModel
		if ps.Recurrence != nil {
			pr = *ps.Recurrence
		}
		var pp recurrencePatternModel
		if pr.Pattern != nil {
			pp = *pr.Pattern
		}
		// Days of the week are a set to Graph (no Core.Ordered in the v1.0 metadata): the prior order stands.
		var priorDays []string
		if !pp.DaysOfWeek.IsNull() && !pp.DaysOfWeek.IsUnknown() {
			for _, e := range pp.DaysOfWeek.Elements() {
				if d, ok := e.(types.String); ok {
					priorDays = append(priorDays, d.ValueString())
				}
			}
		}
		days := []attr.Value{}
		for _, d := range inPriorOrder(r.Pattern.DaysOfWeek, priorDays, func(d string) string { return d }) {
			days = append(days, types.StringValue(d))
		}
		daysList := types.ListValueMust(types.StringType, days)
		if len(days) == 0 && pp.DaysOfWeek.IsNull() {
			daysList = types.ListNull(types.StringType)
		}
		out.Recurrence = &recurrenceModel{Pattern: &recurrencePatternModel{
			Type: types.StringValue(r.Pattern.Type), Interval: types.Int64Value(int64(r.Pattern.Interval)),
			Month: types.Int64Value(int64(r.Pattern.Month)), DayOfMonth: types.Int64Value(int64(r.Pattern.DayOfMonth)),
			DaysOfWeek: daysList, FirstDayOfWeek: emptyAsNull(r.Pattern.FirstDayOfWeek, pp.FirstDayOfWeek),
			Index: emptyAsNull(r.Pattern.Index, pp.Index),
		}}
		rng := r.Range
		if rng.Type != "noEnd" || rng.StartDate != "" || rng.EndDate != "" || rng.NumberOfOccurrences != 0 || rng.RecurrenceTimeZone != "" || pr.Range != nil {
			var prr recurrenceRangeModel
			if pr.Range != nil {
				prr = *pr.Range
			}
			out.Recurrence.Range = &recurrenceRangeModel{
				Type: types.StringValue(rng.Type), StartDate: emptyAsNull(rng.StartDate, prr.StartDate),
				EndDate: emptyAsNull(rng.EndDate, prr.EndDate), NumberOfOccurrences: types.Int64Value(int64(rng.NumberOfOccurrences)),
				RecurrenceTimeZone: emptyAsNull(rng.RecurrenceTimeZone, prr.RecurrenceTimeZone),
			}
		}
	}
	return out
}

func flattenLocalizations(ls []graph.Localization, prior []localizationModel) []localizationModel {
	if len(ls) == 0 {
		if prior != nil {
			return []localizationModel{}
		}
		return nil
	}
	// Localizations are keyed by language and a set to Graph (no Core.Ordered in the v1.0 metadata): the
	// prior order stands.
	priorCodes := make([]string, 0, len(prior))
	for _, p := range prior {
		priorCodes = append(priorCodes, p.LanguageCode.ValueString())
	}
	ls = inPriorOrder(ls, priorCodes, func(l graph.Localization) string { return l.LanguageCode })
	out := make([]localizationModel, len(ls))
	for i, l := range ls {
		out[i] = localizationModel{LanguageCode: types.StringValue(l.LanguageCode), Text: types.StringValue(l.Text)}
	}
	return out
}

// inPriorOrder returns values with those whose key matches a prior key (without regard to case) in the
// prior order, then the others in Graph's order: for collections Graph keeps as sets and may answer in
// any order, so that only a real change shows in a plan.
func inPriorOrder[T any](values []T, prior []string, key func(T) string) []T {
	if len(prior) == 0 {
		return values
	}
	used := make([]bool, len(values))
	out := make([]T, 0, len(values))
	for _, p := range prior {
		for i, v := range values {
			if !used[i] && strings.EqualFold(key(v), p) {
				used[i] = true
				out = append(out, v)
				break
			}
		}
	}
	for i, v := range values {
		if !used[i] {
			out = append(out, v)
		}
	}
	return out
}

// timestampValue keeps the configured spelling of an instant Graph echoes in another form (for example
// with fractional seconds), so that equal instants never diff.
func timestampValue(v *string, prior types.String) types.String {
	if v == nil || *v == "" {
		return types.StringNull()
	}
	if known(prior) {
		a, errA := time.Parse(time.RFC3339Nano, *v)
		b, errB := time.Parse(time.RFC3339Nano, prior.ValueString())
		if errA == nil && errB == nil && a.Equal(b) {
			return prior
		}
	}
	return types.StringValue(*v)
}

// optionalBoolValue shows a type-specific switch only when the configuration set it or it is on.
func optionalBoolValue(v *bool, prior types.Bool) types.Bool {
	if v == nil || (!*v && prior.IsNull()) {
		return types.BoolNull()
	}
	return types.BoolValue(*v)
}

func optionalStringValue(v *string, prior types.String) types.String {
	if v == nil || (*v == "" && prior.IsNull()) {
		return types.StringNull()
	}
	return types.StringValue(*v)
}

func emptyAsNull(v string, prior types.String) types.String {
	if v == "" && prior.IsNull() {
		return types.StringNull()
	}
	return types.StringValue(v)
}

func orString(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// durationOr is the duration to send to Graph (weeks as days, see isoduration.ToEdm), or def.
func durationOr(v isoduration.Duration, def string) string {
	if v.IsNull() || v.IsUnknown() {
		return def
	}
	return v.EdmValue()
}

func boolPointer(v types.Bool, def bool) *bool {
	b := def
	if !v.IsNull() && !v.IsUnknown() {
		b = v.ValueBool()
	}
	return &b
}

func nonEmpty(s *string) *string {
	if s == nil || *s == "" {
		return nil
	}
	return s
}

func isZeroDuration(s string) bool {
	if s == "" {
		return true
	}
	p, err := isoduration.Parse(s)
	return err == nil && p.IsZero()
}
