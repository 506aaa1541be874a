package entitlement

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework/isoduration"
	"github.com/entragov/terraform-provider-entragov/internal/framework/subjectset"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var _ resource.ResourceWithMoveState = &assignmentPolicyResource{}

var policyFromAzureadMove = azureadMove{sourceType: "azuread_access_package_assignment_policy", targetType: "entragov_assignment_policy"}

// azureadLocalizedContent is azuread's text / display_value block.
func azureadLocalizedContent() schema.ListNestedBlock {
	return schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{
		Attributes: map[string]schema.Attribute{"default_text": sourceString()},
		Blocks: map[string]schema.Block{"localized_text": schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{
			Attributes: map[string]schema.Attribute{"language_code": sourceString(), "content": sourceString()},
		}}},
	}}
}

// azureadPolicySchema is azuread_access_package_assignment_policy as documented (2.x and 3.x).
func azureadPolicySchema() *schema.Schema {
	return &schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":                sourceID(),
			"access_package_id": sourceString(),
			"display_name":      sourceString(),
			"description":       sourceString(),
			"duration_in_days":  sourceInt(),
			"expiration_date":   sourceString(),
			"extension_enabled": sourceBool(),
		},
		Blocks: map[string]schema.Block{
			"timeouts": sourceTimeouts("create", "read", "update", "delete"),
			"requestor_settings": schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{
				Attributes: map[string]schema.Attribute{"requests_accepted": sourceBool(), "scope_type": sourceString()},
				Blocks:     map[string]schema.Block{"requestor": sourceUserSet()},
			}},
			"approval_settings": schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{
				Attributes: map[string]schema.Attribute{
					"approval_required": sourceBool(), "approval_required_for_extension": sourceBool(),
					"requestor_justification_required": sourceBool(),
				},
				Blocks: map[string]schema.Block{"approval_stage": schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"approval_timeout_in_days": sourceInt(), "approver_justification_required": sourceBool(),
						"alternative_approval_enabled": sourceBool(), "enable_alternative_approval_in_days": sourceInt(),
					},
					Blocks: map[string]schema.Block{"primary_approver": sourceUserSet(), "alternative_approver": sourceUserSet()},
				}}},
			}},
			"assignment_review_settings": schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{
				Attributes: map[string]schema.Attribute{
					"enabled": sourceBool(), "review_frequency": sourceString(), "review_type": sourceString(),
					"starting_on": sourceString(), "duration_in_days": sourceInt(), "access_recommendation_enabled": sourceBool(),
					"approver_justification_required": sourceBool(), "access_review_timeout_behavior": sourceString(),
				},
				Blocks: map[string]schema.Block{"reviewer": sourceUserSet()},
			}},
			"question": schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{
				Attributes: map[string]schema.Attribute{"required": sourceBool(), "sequence": sourceInt()},
				Blocks: map[string]schema.Block{
					"text": azureadLocalizedContent(),
					"choice": schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{
						Attributes: map[string]schema.Attribute{"actual_value": sourceString()},
						Blocks:     map[string]schema.Block{"display_value": azureadLocalizedContent()},
					}},
				},
			}},
		},
	}
}

type azureadPolicyModel struct {
	ID               types.String       `tfsdk:"id"`
	AccessPackageID  types.String       `tfsdk:"access_package_id"`
	DisplayName      types.String       `tfsdk:"display_name"`
	Description      types.String       `tfsdk:"description"`
	DurationInDays   types.Int64        `tfsdk:"duration_in_days"`
	ExpirationDate   types.String       `tfsdk:"expiration_date"`
	ExtensionEnabled types.Bool         `tfsdk:"extension_enabled"`
	Requestor        []azureadRequestor `tfsdk:"requestor_settings"`
	Approval         []azureadApproval  `tfsdk:"approval_settings"`
	Review           []azureadReview    `tfsdk:"assignment_review_settings"`
	Questions        []azureadQuestion  `tfsdk:"question"`
	Timeouts         types.Object       `tfsdk:"timeouts"`
}

type azureadRequestor struct {
	RequestsAccepted types.Bool       `tfsdk:"requests_accepted"`
	ScopeType        types.String     `tfsdk:"scope_type"`
	Requestors       []azureadUserSet `tfsdk:"requestor"`
}

type azureadApproval struct {
	ApprovalRequired               types.Bool     `tfsdk:"approval_required"`
	ApprovalRequiredForExtension   types.Bool     `tfsdk:"approval_required_for_extension"`
	RequestorJustificationRequired types.Bool     `tfsdk:"requestor_justification_required"`
	Stages                         []azureadStage `tfsdk:"approval_stage"`
}

type azureadStage struct {
	TimeoutInDays                 types.Int64      `tfsdk:"approval_timeout_in_days"`
	ApproverJustificationRequired types.Bool       `tfsdk:"approver_justification_required"`
	AlternativeApprovalEnabled    types.Bool       `tfsdk:"alternative_approval_enabled"`
	AlternativeApprovalInDays     types.Int64      `tfsdk:"enable_alternative_approval_in_days"`
	PrimaryApprovers              []azureadUserSet `tfsdk:"primary_approver"`
	AlternativeApprovers          []azureadUserSet `tfsdk:"alternative_approver"`
}

type azureadReview struct {
	Enabled                       types.Bool       `tfsdk:"enabled"`
	ReviewFrequency               types.String     `tfsdk:"review_frequency"`
	ReviewType                    types.String     `tfsdk:"review_type"`
	StartingOn                    types.String     `tfsdk:"starting_on"`
	DurationInDays                types.Int64      `tfsdk:"duration_in_days"`
	AccessRecommendationEnabled   types.Bool       `tfsdk:"access_recommendation_enabled"`
	ApproverJustificationRequired types.Bool       `tfsdk:"approver_justification_required"`
	TimeoutBehavior               types.String     `tfsdk:"access_review_timeout_behavior"`
	Reviewers                     []azureadUserSet `tfsdk:"reviewer"`
}

type azureadQuestion struct {
	Required types.Bool       `tfsdk:"required"`
	Sequence types.Int64      `tfsdk:"sequence"`
	Text     []azureadContent `tfsdk:"text"`
	Choices  []azureadChoice  `tfsdk:"choice"`
}

type azureadChoice struct {
	ActualValue  types.String     `tfsdk:"actual_value"`
	DisplayValue []azureadContent `tfsdk:"display_value"`
}

type azureadContent struct {
	DefaultText   types.String           `tfsdk:"default_text"`
	LocalizedText []azureadLocalizedText `tfsdk:"localized_text"`
}

type azureadLocalizedText struct {
	LanguageCode types.String `tfsdk:"language_code"`
	Content      types.String `tfsdk:"content"`
}

// MoveState moves azuread_access_package_assignment_policy to entragov_assignment_policy.
func (r *assignmentPolicyResource) MoveState(context.Context) []resource.StateMover {
	return []resource.StateMover{{
		SourceSchema: azureadPolicySchema(),
		StateMover: func(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
			if !policyFromAzureadMove.accepts(req, &resp.Diagnostics) {
				return
			}
			var src azureadPolicyModel
			resp.Diagnostics.Append(req.SourceState.Get(ctx, &src)...)
			if resp.Diagnostics.HasError() {
				return
			}
			m, at, err := policyFromAzuread(src)
			if err != nil {
				resp.Diagnostics.AddAttributeError(at, "Unable to move the assignment policy", err.Error())
				return
			}
			resp.Diagnostics.Append(resp.TargetState.Set(ctx, m)...)
		},
	}}
}

// azureadScopeTypes maps requestor_settings.scope_type to allowed_target_scope.
var azureadScopeTypes = map[string]string{
	"nosubjects":                                 "notSpecified",
	"specificdirectorysubjects":                  "specificDirectoryUsers",
	"specificconnectedorganizationsubjects":      "specificConnectedOrganizationUsers",
	"allexistingdirectorymemberusers":            "allMemberUsers",
	"allexistingdirectorysubjects":               "allDirectoryUsers",
	"allconfiguredconnectedorganizationsubjects": "allConfiguredConnectedOrganizationUsers",
	"allexistingconnectedorganizationsubjects":   "allConfiguredConnectedOrganizationUsers",
	"allexternalsubjects":                        "allExternalUsers",
}

// azureadReviewFrequencies maps review_frequency to a recurrence pattern type and interval.
var azureadReviewFrequencies = map[string]struct {
	pattern  string
	interval int64
}{
	"weekly": {"weekly", 1}, "monthly": {"absoluteMonthly", 1}, "quarterly": {"absoluteMonthly", 3},
	"halfyearly": {"absoluteMonthly", 6}, "annual": {"absoluteYearly", 1},
}

// policyFromAzuread maps the azuread (beta-shaped) state to the v1.0 model. Nested objects are
// written where the mapping table of the migration guide says the configuration has them, so
// that the refresh, which keeps left-out objects null as long as Graph holds only defaults,
// shows the same shape the configuration plans. On error it returns the source path at fault.
func policyFromAzuread(src azureadPolicyModel) (policyModel, path.Path, error) {
	m := policyModel{
		ID:                     src.ID,
		AccessPackageID:        src.AccessPackageID,
		DisplayName:            src.DisplayName,
		Description:            src.Description,
		AllowedTargetScope:     types.StringValue("notSpecified"),
		SpecificAllowedTargets: types.ListNull(subjectset.ObjectType()),
		CreatedDateTime:        types.StringNull(),
		ModifiedDateTime:       types.StringNull(),
	}
	if m.Description.IsNull() {
		m.Description = types.StringValue("")
	}

	// Expiration: duration_in_days or expiration_date; neither is "no expiration".
	switch {
	case src.DurationInDays.ValueInt64() > 0:
		m.Expiration = &expirationModel{Type: types.StringValue("afterDuration"), EndDateTime: types.StringNull(),
			Duration: isoduration.NewDurationValue(daysDuration(src.DurationInDays.ValueInt64()))}
	case src.ExpirationDate.ValueString() != "":
		m.Expiration = &expirationModel{Type: types.StringValue("afterDateTime"), EndDateTime: src.ExpirationDate,
			Duration: isoduration.NewDurationNull()}
	default:
		m.Expiration = &expirationModel{Type: types.StringValue("noExpiration"), EndDateTime: types.StringNull(),
			Duration: isoduration.NewDurationNull()}
	}

	// Requestors: scope_type is allowed_target_scope, requestors the specific targets,
	// requests_accepted self-add, extension_enabled self-update.
	selfAdd := false
	if len(src.Requestor) > 0 {
		rs := src.Requestor[0]
		if st := rs.ScopeType.ValueString(); st != "" {
			scope, ok := azureadScopeTypes[strings.ToLower(st)]
			if !ok {
				return m, path.Root("requestor_settings").AtListIndex(0).AtName("scope_type"),
					fmt.Errorf("scope_type %q is not one the azuread provider documents", st)
			}
			m.AllowedTargetScope = types.StringValue(scope)
		}
		primary, backup, err := subjectListsFromAzuread(rs.Requestors, "requestor_settings[0].requestor")
		if err != nil {
			return m, path.Root("requestor_settings").AtListIndex(0).AtName("requestor"), err
		}
		m.SpecificAllowedTargets = concatSubjects(primary, backup)
		selfAdd = rs.RequestsAccepted.ValueBool() && m.AllowedTargetScope.ValueString() != "notSpecified"
	}
	selfUpdate := src.ExtensionEnabled.ValueBool()
	if selfAdd || selfUpdate {
		m.RequestorSettings = &requestorSettingsModel{
			EnableTargetsToSelfAddAccess:           types.BoolValue(selfAdd),
			EnableTargetsToSelfUpdateAccess:        types.BoolValue(selfUpdate),
			EnableTargetsToSelfRemoveAccess:        types.BoolValue(false),
			AllowCustomAssignmentSchedule:          types.BoolValue(false),
			EnableOnBehalfRequestorsToAddAccess:    types.BoolValue(false),
			EnableOnBehalfRequestorsToUpdateAccess: types.BoolValue(false),
			EnableOnBehalfRequestorsToRemoveAccess: types.BoolValue(false),
			OnBehalfRequestors:                     types.ListNull(subjectset.ObjectType()),
		}
	}

	if len(src.Approval) > 0 {
		approval, at, err := approvalFromAzuread(src.Approval[0])
		if err != nil {
			return m, at, err
		}
		m.RequestApprovalSettings = approval
	}

	// Reviews: an all-default block is no review settings, as azuread sends it.
	if len(src.Review) > 0 {
		rv, err := reviewFromAzuread(src.Review[0])
		if err != nil {
			return m, path.Root("assignment_review_settings").AtListIndex(0), err
		}
		m.ReviewSettings = rv
	}

	for i, q := range src.Questions {
		out, err := questionFromAzuread(q)
		if err != nil {
			return m, path.Root("question").AtListIndex(i), err
		}
		m.Questions = append(m.Questions, out)
	}
	return m, path.Empty(), nil
}

// approvalFromAzuread maps azuread's approval_settings block; an all-default block is no approval
// settings. On error it returns the source path at fault.
func approvalFromAzuread(a azureadApproval) (*approvalSettingsModel, path.Path, error) {
	out := &approvalSettingsModel{
		ApprovalRequiredForAdd:         types.BoolValue(a.ApprovalRequired.ValueBool()),
		ApprovalRequiredForUpdate:      types.BoolValue(a.ApprovalRequiredForExtension.ValueBool()),
		RequestorJustificationRequired: types.BoolValue(a.RequestorJustificationRequired.ValueBool()),
	}
	for i, s := range a.Stages {
		at := path.Root("approval_settings").AtListIndex(0).AtName("approval_stage").AtListIndex(i)
		primary, fallback, err := subjectListsFromAzuread(s.PrimaryApprovers, fmt.Sprintf("approval_stage[%d].primary_approver", i))
		if err != nil {
			return nil, at.AtName("primary_approver"), err
		}
		escalation, escFallback, err := subjectListsFromAzuread(s.AlternativeApprovers, fmt.Sprintf("approval_stage[%d].alternative_approver", i))
		if err != nil {
			return nil, at.AtName("alternative_approver"), err
		}
		stage := approvalStageModel{
			DurationBeforeAutomaticDenial: isoduration.NewDurationValue(daysDuration(s.TimeoutInDays.ValueInt64())),
			ApproverJustificationRequired: types.BoolValue(s.ApproverJustificationRequired.ValueBool()),
			EscalationEnabled:             types.BoolValue(s.AlternativeApprovalEnabled.ValueBool()),
			DurationBeforeEscalation:      isoduration.NewDurationNull(),
			PrimaryApprovers:              primary,
			FallbackPrimaryApprovers:      fallback,
			EscalationApprovers:           escalation,
			FallbackEscalationApprovers:   escFallback,
			ApproverInformationVisibility: types.StringValue("default"),
		}
		if d := s.AlternativeApprovalInDays.ValueInt64(); d > 0 {
			stage.DurationBeforeEscalation = isoduration.NewDurationValue(daysDuration(d))
		}
		out.Stages = append(out.Stages, stage)
	}
	if out.ApprovalRequiredForAdd.ValueBool() || out.ApprovalRequiredForUpdate.ValueBool() ||
		out.RequestorJustificationRequired.ValueBool() || len(out.Stages) > 0 {
		return out, path.Empty(), nil
	}
	return nil, path.Empty(), nil
}

func concatSubjects(a, b types.List) types.List {
	var all []subjectset.Model
	for _, l := range []types.List{a, b} {
		if l.IsNull() {
			continue
		}
		var ms []subjectset.Model
		l.ElementsAs(context.Background(), &ms, false)
		all = append(all, ms...)
	}
	return subjectList(all)
}

func reviewFromAzuread(r azureadReview) (*reviewSettingsModel, error) {
	if !r.Enabled.ValueBool() && r.ReviewFrequency.ValueString() == "" && r.ReviewType.ValueString() == "" &&
		r.DurationInDays.ValueInt64() == 0 && !r.AccessRecommendationEnabled.ValueBool() &&
		!r.ApproverJustificationRequired.ValueBool() && r.TimeoutBehavior.ValueString() == "" && len(r.Reviewers) == 0 {
		return nil, nil
	}
	out := &reviewSettingsModel{
		Enabled:                       types.BoolValue(r.Enabled.ValueBool()),
		ExpirationBehavior:            types.StringValue("keepAccess"),
		RecommendationEnabled:         types.BoolValue(r.AccessRecommendationEnabled.ValueBool()),
		ReviewerJustificationRequired: types.BoolValue(r.ApproverJustificationRequired.ValueBool()),
		SelfReview:                    types.BoolValue(false),
		PrimaryReviewers:              types.ListNull(subjectset.ObjectType()),
		FallbackReviewers:             types.ListNull(subjectset.ObjectType()),
	}
	if b := r.TimeoutBehavior.ValueString(); b != "" {
		out.ExpirationBehavior = types.StringValue(b)
	}
	primary, fallback, err := subjectListsFromAzuread(r.Reviewers, "reviewer")
	if err != nil {
		return nil, err
	}
	out.FallbackReviewers = fallback
	switch strings.ToLower(r.ReviewType.ValueString()) {
	case "", "self":
		out.SelfReview = types.BoolValue(true)
	case "manager":
		out.PrimaryReviewers = subjectList([]subjectset.Model{{
			Type: types.StringValue(graph.SubjectRequestorManager), ManagerLevel: types.Int64Value(1),
			UserID: types.StringNull(), GroupID: types.StringNull(), ConnectedOrganizationID: types.StringNull(),
			ServicePrincipalID: types.StringNull(), MembershipRule: types.StringNull(), Description: types.StringNull(),
		}})
	case "reviewers":
		out.PrimaryReviewers = primary
	default:
		return nil, fmt.Errorf("review_type %q is not one the azuread provider documents (Self, Manager, Reviewers)", r.ReviewType.ValueString())
	}
	schedule := &reviewScheduleModel{StartDateTime: types.StringNull(), Duration: isoduration.NewDurationNull()}
	if s := r.StartingOn.ValueString(); s != "" {
		schedule.StartDateTime = types.StringValue(s)
	}
	if d := r.DurationInDays.ValueInt64(); d > 0 {
		schedule.Duration = isoduration.NewDurationValue(daysDuration(d))
	}
	if f := r.ReviewFrequency.ValueString(); f != "" {
		freq, ok := azureadReviewFrequencies[strings.ToLower(f)]
		if !ok {
			return nil, fmt.Errorf("review_frequency %q is not one the azuread provider documents", f)
		}
		days := types.ListNull(types.StringType)
		if freq.pattern == "weekly" {
			// Graph needs a day for a weekly review: the day the first review starts.
			if t, err := time.Parse(time.RFC3339, r.StartingOn.ValueString()); err == nil {
				days = types.ListValueMust(types.StringType, []attr.Value{types.StringValue(strings.ToLower(t.Weekday().String()))})
			}
		}
		schedule.Recurrence = &recurrenceModel{Pattern: &recurrencePatternModel{
			Type: types.StringValue(freq.pattern), Interval: types.Int64Value(freq.interval), Month: types.Int64Value(0),
			DayOfMonth: types.Int64Value(0), DaysOfWeek: days, FirstDayOfWeek: types.StringNull(), Index: types.StringNull(),
		}}
	}
	out.Schedule = schedule
	return out, nil
}

func localizationsFromAzuread(ls []azureadLocalizedText) []localizationModel {
	if len(ls) == 0 {
		return nil
	}
	out := make([]localizationModel, len(ls))
	for i, l := range ls {
		out[i] = localizationModel{LanguageCode: l.LanguageCode, Text: l.Content}
	}
	return out
}

func questionFromAzuread(q azureadQuestion) (questionModel, error) {
	if len(q.Text) == 0 {
		return questionModel{}, fmt.Errorf("the question has no text")
	}
	out := questionModel{
		ID:                       types.StringNull(),
		Type:                     types.StringValue(graph.QuestionTextInput),
		Text:                     q.Text[0].DefaultText,
		Required:                 types.BoolValue(q.Required.ValueBool()),
		AnswerEditable:           types.BoolValue(false),
		Localizations:            localizationsFromAzuread(q.Text[0].LocalizedText),
		SingleLineQuestion:       types.BoolNull(),
		RegexPattern:             types.StringNull(),
		MultipleSelectionAllowed: types.BoolNull(),
	}
	if len(q.Choices) > 0 {
		out.Type = types.StringValue(graph.QuestionMultipleChoice)
		for _, c := range q.Choices {
			ch := choiceModel{ActualValue: c.ActualValue, Text: types.StringNull()}
			if len(c.DisplayValue) > 0 {
				ch.Text = c.DisplayValue[0].DefaultText
				ch.Localizations = localizationsFromAzuread(c.DisplayValue[0].LocalizedText)
			}
			out.Choices = append(out.Choices, ch)
		}
	}
	return out, nil
}
