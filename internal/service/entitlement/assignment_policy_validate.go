package entitlement

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework/isoduration"
	"github.com/entragov/terraform-provider-entragov/internal/framework/subjectset"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// targetTypesByScope lists the subject set types each specific target scope takes (spec 1.6).
var targetTypesByScope = map[string][]string{
	"specificDirectoryUsers":             {graph.SubjectSingleUser, graph.SubjectGroupMembers, graph.SubjectAttributeRuleMembers},
	"specificConnectedOrganizationUsers": {graph.SubjectConnectedOrganizationMembers},
	"specificDirectoryServicePrincipals": {graph.SubjectSingleServicePrincipal, graph.SubjectGroupMembers},
}

// ValidateConfig checks the rules that span several attributes, each with a diagnostic on the attribute
// to change, so that what Graph would reject at apply fails at plan without any API call. Values not
// known yet are skipped; single-attribute rules (enums, durations, ids) live on the attributes.
func (r *assignmentPolicyResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m policyModel
	if diags := req.Config.Get(ctx, &m); diags.HasError() {
		// A whole nested list or object is unknown (it comes from another resource): its rules run at apply.
		return
	}
	v := policyValidator{ctx: ctx, diags: &resp.Diagnostics}
	v.targets(m)
	v.expiration(m.Expiration)
	v.requestor(m)
	v.approval(m.RequestApprovalSettings)
	v.review(m.ReviewSettings)
	v.automatic(m)
	v.questions(m.Questions)
	v.extensions(m.CustomExtensionStageSettings)
}

type policyValidator struct {
	ctx   context.Context
	diags *diag.Diagnostics
}

// fail reports a rule broken at an attribute. The path is repeated in the text because Terraform can
// point at nested list elements only by their enclosing block.
func (v policyValidator) fail(at path.Path, summary, detail string, args ...any) {
	v.diags.AddAttributeError(at, summary, fmt.Sprintf("Attribute %s: ", at)+fmt.Sprintf(detail, args...))
}

// subjects reads a subject set list; ok is false while the list is unknown.
func (v policyValidator) subjects(l types.List) (sets []subjectset.Model, ok bool) {
	if l.IsUnknown() {
		return nil, false
	}
	if l.IsNull() {
		return nil, true
	}
	if d := l.ElementsAs(v.ctx, &sets, false); d.HasError() {
		return nil, false
	}
	return sets, true
}

func (v policyValidator) targets(m policyModel) {
	if m.AllowedTargetScope.IsUnknown() {
		return
	}
	scope := stringOr(m.AllowedTargetScope, "notSpecified")
	targets, ok := v.subjects(m.SpecificAllowedTargets)
	if !ok {
		return
	}
	at := path.Root("specific_allowed_targets")
	allowed, specific := targetTypesByScope[scope]
	if !specific {
		if len(targets) > 0 {
			v.fail(at, "Targets not used by this scope",
				"specific_allowed_targets is used only with allowed_target_scope specificDirectoryUsers, specificConnectedOrganizationUsers "+
					"or specificDirectoryServicePrincipals; allowed_target_scope is %q. Remove the targets or choose a specific scope.", scope)
		}
		return
	}
	if len(targets) == 0 {
		v.fail(at, "Targets missing", "allowed_target_scope %q needs at least one entry in specific_allowed_targets.", scope)
		return
	}
	for i, t := range targets {
		typ := t.Type.ValueString()
		if !known(t.Type) {
			continue
		}
		if !slices.Contains(allowed, typ) {
			v.fail(at.AtListIndex(i).AtName("type"), "Target type not allowed for this scope",
				"type %q cannot be a target of allowed_target_scope %q; use %s.", typ, scope, strings.Join(allowed, " or "))
			continue
		}
		if typ == graph.SubjectAttributeRuleMembers && m.AutomaticRequestSettings == nil {
			v.fail(at.AtListIndex(i).AtName("type"), "Attribute rules need automatic assignment",
				"attributeRuleMembers targets are used by auto-assignment policies only; add automatic_request_settings or use singleUser or groupMembers.")
		}
	}
}

func (v policyValidator) expiration(e *expirationModel) {
	v.expirationAt(path.Root("expiration"), e)
}

// expirationAt checks an expiration pattern's fields against its type.
func (v policyValidator) expirationAt(at path.Path, e *expirationModel) {
	if e == nil || !known(e.Type) {
		return
	}
	hasEnd, hasDuration := !e.EndDateTime.IsNull(), !e.Duration.IsNull()
	switch e.Type.ValueString() {
	case "afterDateTime":
		if !hasEnd {
			v.fail(at.AtName("end_date_time"), "End missing", "expiration type afterDateTime needs end_date_time.")
		}
		if hasDuration {
			v.fail(at.AtName("duration"), "Duration not used", "expiration type afterDateTime ends at end_date_time; remove duration or use type afterDuration.")
		}
	case "afterDuration":
		if !hasDuration {
			v.fail(at.AtName("duration"), "Duration missing", "expiration type afterDuration needs duration, e.g. \"P180D\" or \"PT8H\".")
		} else if durationSign(e.Duration) == 0 {
			v.fail(at.AtName("duration"), "Duration must be positive", "expiration duration must be longer than zero.")
		}
		if hasEnd {
			v.fail(at.AtName("end_date_time"), "End not used", "expiration type afterDuration is relative to the grant; remove end_date_time or use type afterDateTime.")
		}
	default:
		if hasEnd || hasDuration {
			v.fail(at.AtName("type"), "Expiration fields not used",
				"expiration type %q takes neither end_date_time nor duration; remove them or use afterDateTime or afterDuration.", e.Type.ValueString())
		}
	}
}

func (v policyValidator) requestor(m policyModel) {
	r := m.RequestorSettings
	if r == nil {
		return
	}
	at := path.Root("requestor_settings")
	onBehalf := r.EnableOnBehalfRequestorsToAddAccess.ValueBool() || r.EnableOnBehalfRequestorsToUpdateAccess.ValueBool() ||
		r.EnableOnBehalfRequestorsToRemoveAccess.ValueBool()
	if requestors, ok := v.subjects(r.OnBehalfRequestors); ok && onBehalf && len(requestors) == 0 {
		v.fail(at.AtName("on_behalf_requestors"), "On-behalf requestors missing",
			"enable_on_behalf_requestors_to_* is on, so on_behalf_requestors needs at least one entry.")
	}
	selfService := map[string]types.Bool{
		"enable_targets_to_self_add_access":    r.EnableTargetsToSelfAddAccess,
		"enable_targets_to_self_update_access": r.EnableTargetsToSelfUpdateAccess,
		"enable_targets_to_self_remove_access": r.EnableTargetsToSelfRemoveAccess,
	}
	for _, name := range sortedKeys(selfService) {
		if !selfService[name].ValueBool() {
			continue
		}
		if known(m.AllowedTargetScope) || m.AllowedTargetScope.IsNull() {
			if stringOr(m.AllowedTargetScope, "notSpecified") == "notSpecified" {
				v.fail(at.AtName(name), "Self-service needs a target scope",
					"allowed_target_scope notSpecified allows only direct assignment by an administrator; set allowed_target_scope to let targets request for themselves, or turn %s off.", name)
			}
		}
		if name == "enable_targets_to_self_add_access" && m.AutomaticRequestSettings != nil && boolOrDefault(m.AutomaticRequestSettings.RequestAccessForAllowedTargets, true) {
			v.fail(at.AtName(name), "Self-service not available with automatic assignment",
				"an auto-assignment policy assigns its targets itself; turn enable_targets_to_self_add_access off.")
		}
	}
}

func (v policyValidator) approval(a *approvalSettingsModel) {
	if a == nil {
		return
	}
	at := path.Root("request_approval_settings")
	required := a.ApprovalRequiredForAdd.ValueBool() || a.ApprovalRequiredForUpdate.ValueBool()
	if required && len(a.Stages) == 0 {
		v.fail(at.AtName("stages"), "Approval stages missing", "approval is required, so add at least one stage with approvers.")
	}
	if !required && len(a.Stages) > 0 && known2(a.ApprovalRequiredForAdd, a.ApprovalRequiredForUpdate) {
		// Not an error: the reference states no such rule. It only says that an empty array is present when
		// no approval is required, so Graph may answer without the stages.
		// https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentapprovalsettings?view=graph-rest-1.0
		at := at.AtName("stages")
		v.diags.AddAttributeWarning(at, "Approval stages without approval",
			fmt.Sprintf("Attribute %s: neither approval_required_for_add nor approval_required_for_update is true, so the stages "+
				"apply to no request. Graph documents an empty stages array for a policy without approval; if it drops the "+
				"stages, Terraform reports an inconsistent result after apply. Require approval or remove the stages.", at))
	}
	for i, s := range a.Stages {
		sat := at.AtName("stages").AtListIndex(i)
		// A stage may have no primary approvers when it has fallback primary approvers: Example 2 of "Create
		// assignmentPolicy" has such a second stage, answered 201.
		// https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-post-assignmentpolicies?view=graph-rest-1.0
		primary, primaryKnown := v.subjects(s.PrimaryApprovers)
		fallback, fallbackKnown := v.subjects(s.FallbackPrimaryApprovers)
		if primaryKnown && fallbackKnown && len(primary) == 0 && len(fallback) == 0 {
			v.fail(sat.AtName("primary_approvers"), "Approvers missing",
				"an approval stage needs at least one approver in primary_approvers or fallback_primary_approvers.")
		}
		escalationApprovers, escalationKnown := v.subjects(s.EscalationApprovers)
		fallbackEscalation, fallbackKnown := v.subjects(s.FallbackEscalationApprovers)
		if !s.EscalationEnabled.ValueBool() {
			if !s.DurationBeforeEscalation.IsNull() && durationSign(s.DurationBeforeEscalation) > 0 {
				v.fail(sat.AtName("duration_before_escalation"), "Escalation is off",
					"duration_before_escalation is used only with escalation_enabled = true.")
			}
			if escalationKnown && len(escalationApprovers) > 0 {
				v.fail(sat.AtName("escalation_approvers"), "Escalation is off", "escalation_approvers are used only with escalation_enabled = true.")
			}
			if fallbackKnown && len(fallbackEscalation) > 0 {
				v.fail(sat.AtName("fallback_escalation_approvers"), "Escalation is off", "fallback_escalation_approvers are used only with escalation_enabled = true.")
			}
			continue
		}
		if s.DurationBeforeEscalation.IsNull() || durationSign(s.DurationBeforeEscalation) == 0 {
			v.fail(sat.AtName("duration_before_escalation"), "Escalation duration missing",
				"escalation_enabled needs duration_before_escalation longer than zero, e.g. \"P2D\".")
		} else if cmp, ok := compareDurations(s.DurationBeforeEscalation, s.DurationBeforeAutomaticDenial); ok && cmp >= 0 {
			v.fail(sat.AtName("duration_before_escalation"), "Escalation after denial",
				"duration_before_escalation (%s) must be shorter than duration_before_automatic_denial (%s), or the request is denied before it escalates.",
				s.DurationBeforeEscalation.ValueString(), s.DurationBeforeAutomaticDenial.ValueString())
		}
		if escalationKnown && len(escalationApprovers) == 0 {
			v.fail(sat.AtName("escalation_approvers"), "Escalation approvers missing", "escalation_enabled needs at least one escalation approver.")
		}
	}
}

func (v policyValidator) review(r *reviewSettingsModel) {
	if r == nil || !boolOrDefault(r.Enabled, true) {
		return
	}
	at := path.Root("review_settings")
	if reviewers, ok := v.subjects(r.PrimaryReviewers); ok && len(reviewers) == 0 && !r.SelfReview.IsUnknown() && !boolOrDefault(r.SelfReview, false) {
		v.fail(at.AtName("primary_reviewers"), "Reviewers missing", "reviews need primary_reviewers, or self_review = true.")
	}
	if r.Schedule == nil || r.Schedule.Recurrence == nil {
		return
	}
	rat := at.AtName("schedule").AtName("recurrence")
	if p := r.Schedule.Recurrence.Pattern; p != nil && known(p.Type) {
		pat := rat.AtName("pattern")
		typ := p.Type.ValueString()
		days := 0
		if !p.DaysOfWeek.IsNull() && !p.DaysOfWeek.IsUnknown() {
			days = len(p.DaysOfWeek.Elements())
		}
		switch typ {
		case "weekly", "relativeMonthly", "relativeYearly":
			if days == 0 && !p.DaysOfWeek.IsUnknown() {
				v.fail(pat.AtName("days_of_week"), "Days missing", "a %s pattern needs days_of_week.", typ)
			}
		default:
			if days > 0 {
				v.fail(pat.AtName("days_of_week"), "Days not used", "days_of_week is used by weekly and relative patterns only, not by %s.", typ)
			}
		}
		if strings.HasPrefix(typ, "relative") && p.Index.IsNull() {
			v.fail(pat.AtName("index"), "Week index missing", "a %s pattern needs index (first, second, third, fourth or last).", typ)
		}
		// A yearly pattern may leave month at 0: access reviews use only type, interval and dayOfMonth of a
		// pattern, the rest coming from the schedule's start, and Graph stores the azuread provider's "annual"
		// reviews as absoluteYearly with month 0.
		// https://learn.microsoft.com/en-us/graph/api/resources/recurrencepattern?view=graph-rest-1.0
	}
	if rg := r.Schedule.Recurrence.Range; rg != nil && known(rg.Type) {
		rgat := rat.AtName("range")
		switch rg.Type.ValueString() {
		case "endDate":
			if rg.EndDate.IsNull() {
				v.fail(rgat.AtName("end_date"), "End date missing", "range type endDate needs end_date.")
			}
		case "numbered":
			if !rg.NumberOfOccurrences.IsUnknown() && rg.NumberOfOccurrences.ValueInt64() < 1 {
				v.fail(rgat.AtName("number_of_occurrences"), "Occurrences missing", "range type numbered needs number_of_occurrences of at least 1.")
			}
		case "noEnd":
			if !rg.EndDate.IsNull() {
				v.fail(rgat.AtName("end_date"), "End date not used", "range type noEnd takes no end_date; use type endDate.")
			}
		}
		if known(rg.StartDate) && known(rg.EndDate) && rg.EndDate.ValueString() < rg.StartDate.ValueString() {
			v.fail(rgat.AtName("end_date"), "End before start", "end_date %s is before start_date %s.", rg.EndDate.ValueString(), rg.StartDate.ValueString())
		}
	}
}

func (v policyValidator) automatic(m policyModel) {
	a := m.AutomaticRequestSettings
	if a == nil {
		return
	}
	at := path.Root("automatic_request_settings")
	if boolOrDefault(a.RequestAccessForAllowedTargets, true) {
		if known(m.AllowedTargetScope) && m.AllowedTargetScope.ValueString() != "specificDirectoryUsers" || m.AllowedTargetScope.IsNull() {
			v.fail(path.Root("allowed_target_scope"), "Automatic assignment needs specificDirectoryUsers",
				"an auto-assignment policy assigns the users matched by attribute rules: set allowed_target_scope = \"specificDirectoryUsers\".")
		}
		if targets, ok := v.subjects(m.SpecificAllowedTargets); ok {
			for i, t := range targets {
				if known(t.Type) && t.Type.ValueString() != graph.SubjectAttributeRuleMembers {
					v.fail(path.Root("specific_allowed_targets").AtListIndex(i).AtName("type"), "Automatic assignment needs attribute rules",
						"an auto-assignment policy targets attributeRuleMembers only; type %q cannot be used here.", t.Type.ValueString())
				}
			}
		}
	}
	if !a.GracePeriodBeforeAccessRemoval.IsNull() && !a.RemoveAccessWhenTargetLeavesAllowedTargets.IsUnknown() && !boolOrDefault(a.RemoveAccessWhenTargetLeavesAllowedTargets, true) {
		v.fail(at.AtName("grace_period_before_access_removal"), "Grace period not used",
			"grace_period_before_access_removal applies only with remove_access_when_target_leaves_allowed_targets = true.")
	}
}

func (v policyValidator) questions(qs []questionModel) {
	for i, q := range qs {
		at := path.Root("questions").AtListIndex(i)
		if !known(q.Type) {
			continue
		}
		switch q.Type.ValueString() {
		case graph.QuestionMultipleChoice:
			if len(q.Choices) == 0 {
				v.fail(at.AtName("choices"), "Choices missing", "a multiple-choice question needs at least one choice.")
			}
			if !q.SingleLineQuestion.IsNull() {
				v.fail(at.AtName("single_line_question"), "Not a text question", "single_line_question is for accessPackageTextInputQuestion only.")
			}
			if !q.RegexPattern.IsNull() {
				v.fail(at.AtName("regex_pattern"), "Not a text question", "regex_pattern is for accessPackageTextInputQuestion only.")
			}
			seen := map[string]bool{}
			for j, c := range q.Choices {
				if known(c.ActualValue) && seen[c.ActualValue.ValueString()] {
					v.fail(at.AtName("choices").AtListIndex(j).AtName("actual_value"), "Duplicate choice",
						"actual_value %q is used by another choice of this question.", c.ActualValue.ValueString())
				}
				seen[c.ActualValue.ValueString()] = true
				v.localizations(at.AtName("choices").AtListIndex(j).AtName("localizations"), c.Localizations)
			}
		case graph.QuestionTextInput:
			if q.Choices != nil {
				v.fail(at.AtName("choices"), "Not a multiple-choice question", "choices are for accessPackageMultipleChoiceQuestion only.")
			}
			if !q.MultipleSelectionAllowed.IsNull() {
				v.fail(at.AtName("multiple_selection_allowed"), "Not a multiple-choice question", "multiple_selection_allowed is for accessPackageMultipleChoiceQuestion only.")
			}
		}
		v.localizations(at.AtName("localizations"), q.Localizations)
	}
}

func (v policyValidator) localizations(at path.Path, ls []localizationModel) {
	seen := map[string]bool{}
	for i, l := range ls {
		code := strings.ToLower(l.LanguageCode.ValueString())
		if known(l.LanguageCode) && seen[code] {
			v.fail(at.AtListIndex(i).AtName("language_code"), "Duplicate language", "language %q has another localization here.", l.LanguageCode.ValueString())
		}
		seen[code] = true
	}
}

func (v policyValidator) extensions(settings []customExtensionStageModel) {
	seen := map[string]bool{}
	for i, s := range settings {
		if !known(s.Stage) {
			continue
		}
		if seen[s.Stage.ValueString()] {
			v.fail(path.Root("custom_extension_stage_settings").AtListIndex(i).AtName("stage"), "Duplicate stage",
				"stage %q already has a custom extension; each stage takes one.", s.Stage.ValueString())
		}
		seen[s.Stage.ValueString()] = true
	}
}

// durationSign is 1 for a positive duration, 0 for a zero one and -1 when d is unknown or invalid
// (whose own validator reports it).
func durationSign(d isoduration.Duration) float64 {
	if d.IsNull() || d.IsUnknown() {
		return -1
	}
	p, err := isoduration.Parse(d.ValueString())
	if err != nil {
		return -1
	}
	if p.IsZero() {
		return 0
	}
	return 1
}

// compareDurations compares two known durations; ok is false when they cannot be compared.
func compareDurations(a, b isoduration.Duration) (int, bool) {
	if a.IsNull() || a.IsUnknown() || b.IsNull() || b.IsUnknown() {
		return 0, false
	}
	pa, errA := isoduration.Parse(a.ValueString())
	pb, errB := isoduration.Parse(b.ValueString())
	if errA != nil || errB != nil {
		return 0, false
	}
	return pa.Compare(pb)
}

func known2(a, b types.Bool) bool {
	return !a.IsUnknown() && !b.IsUnknown()
}

// boolOrDefault reads a switch from the configuration, where schema defaults are not applied yet.
func boolOrDefault(b types.Bool, def bool) bool {
	if b.IsNull() || b.IsUnknown() {
		return def
	}
	return b.ValueBool()
}
