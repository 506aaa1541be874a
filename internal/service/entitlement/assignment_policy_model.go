package entitlement

import (
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework/isoduration"
)

// policyModel is entragov_assignment_policy. Nested objects are pointers (nil = omitted) and nested
// lists are slices; leaves are framework values so that unknown values survive planning.
type policyModel struct {
	ID                           types.String                `tfsdk:"id"`
	AccessPackageID              types.String                `tfsdk:"access_package_id"`
	DisplayName                  types.String                `tfsdk:"display_name"`
	Description                  types.String                `tfsdk:"description"`
	AllowedTargetScope           types.String                `tfsdk:"allowed_target_scope"`
	SpecificAllowedTargets       types.List                  `tfsdk:"specific_allowed_targets"`
	Expiration                   *expirationModel            `tfsdk:"expiration"`
	RequestorSettings            *requestorSettingsModel     `tfsdk:"requestor_settings"`
	RequestApprovalSettings      *approvalSettingsModel      `tfsdk:"request_approval_settings"`
	ReviewSettings               *reviewSettingsModel        `tfsdk:"review_settings"`
	AutomaticRequestSettings     *automaticRequestModel      `tfsdk:"automatic_request_settings"`
	NotificationSettings         *notificationSettingsModel  `tfsdk:"notification_settings"`
	Questions                    []questionModel             `tfsdk:"questions"`
	CustomExtensionStageSettings []customExtensionStageModel `tfsdk:"custom_extension_stage_settings"`
	CreatedDateTime              types.String                `tfsdk:"created_date_time"`
	ModifiedDateTime             types.String                `tfsdk:"modified_date_time"`
}

type expirationModel struct {
	Type        types.String         `tfsdk:"type"`
	EndDateTime types.String         `tfsdk:"end_date_time"`
	Duration    isoduration.Duration `tfsdk:"duration"`
}

type requestorSettingsModel struct {
	EnableTargetsToSelfAddAccess           types.Bool `tfsdk:"enable_targets_to_self_add_access"`
	EnableTargetsToSelfUpdateAccess        types.Bool `tfsdk:"enable_targets_to_self_update_access"`
	EnableTargetsToSelfRemoveAccess        types.Bool `tfsdk:"enable_targets_to_self_remove_access"`
	AllowCustomAssignmentSchedule          types.Bool `tfsdk:"allow_custom_assignment_schedule"`
	EnableOnBehalfRequestorsToAddAccess    types.Bool `tfsdk:"enable_on_behalf_requestors_to_add_access"`
	EnableOnBehalfRequestorsToUpdateAccess types.Bool `tfsdk:"enable_on_behalf_requestors_to_update_access"`
	EnableOnBehalfRequestorsToRemoveAccess types.Bool `tfsdk:"enable_on_behalf_requestors_to_remove_access"`
	OnBehalfRequestors                     types.List `tfsdk:"on_behalf_requestors"`
}

type approvalSettingsModel struct {
	ApprovalRequiredForAdd         types.Bool           `tfsdk:"approval_required_for_add"`
	ApprovalRequiredForUpdate      types.Bool           `tfsdk:"approval_required_for_update"`
	RequestorJustificationRequired types.Bool           `tfsdk:"requestor_justification_required"`
	Stages                         []approvalStageModel `tfsdk:"stages"`
}

type approvalStageModel struct {
	DurationBeforeAutomaticDenial isoduration.Duration `tfsdk:"duration_before_automatic_denial"`
	ApproverJustificationRequired types.Bool           `tfsdk:"approver_justification_required"`
	EscalationEnabled             types.Bool           `tfsdk:"escalation_enabled"`
	DurationBeforeEscalation      isoduration.Duration `tfsdk:"duration_before_escalation"`
	PrimaryApprovers              types.List           `tfsdk:"primary_approvers"`
	FallbackPrimaryApprovers      types.List           `tfsdk:"fallback_primary_approvers"`
	EscalationApprovers           types.List           `tfsdk:"escalation_approvers"`
	FallbackEscalationApprovers   types.List           `tfsdk:"fallback_escalation_approvers"`
	ApproverInformationVisibility types.String         `tfsdk:"approver_information_visibility"`
}

type reviewSettingsModel struct {
	Enabled                       types.Bool           `tfsdk:"enabled"`
	ExpirationBehavior            types.String         `tfsdk:"expiration_behavior"`
	RecommendationEnabled         types.Bool           `tfsdk:"recommendation_enabled"`
	ReviewerJustificationRequired types.Bool           `tfsdk:"reviewer_justification_required"`
	SelfReview                    types.Bool           `tfsdk:"self_review"`
	PrimaryReviewers              types.List           `tfsdk:"primary_reviewers"`
	FallbackReviewers             types.List           `tfsdk:"fallback_reviewers"`
	Schedule                      *reviewScheduleModel `tfsdk:"schedule"`
}

type reviewScheduleModel struct {
	StartDateTime types.String         `tfsdk:"start_date_time"`
	Duration      isoduration.Duration `tfsdk:"duration"`
	Recurrence    *recurrenceModel     `tfsdk:"recurrence"`
}

type recurrenceModel struct {
	Pattern *recurrencePatternModel `tfsdk:"pattern"`
	Range   *recurrenceRangeModel   `tfsdk:"range"`
}

type recurrencePatternModel struct {
	Type           types.String `tfsdk:"type"`
	Interval       types.Int64  `tfsdk:"interval"`
	Month          types.Int64  `tfsdk:"month"`
	DayOfMonth     types.Int64  `tfsdk:"day_of_month"`
	DaysOfWeek     types.List   `tfsdk:"days_of_week"`
	FirstDayOfWeek types.String `tfsdk:"first_day_of_week"`
	Index          types.String `tfsdk:"index"`
}

type recurrenceRangeModel struct {
	Type                types.String `tfsdk:"type"`
	StartDate           types.String `tfsdk:"start_date"`
	EndDate             types.String `tfsdk:"end_date"`
	NumberOfOccurrences types.Int64  `tfsdk:"number_of_occurrences"`
	RecurrenceTimeZone  types.String `tfsdk:"recurrence_time_zone"`
}

type automaticRequestModel struct {
	RequestAccessForAllowedTargets             types.Bool           `tfsdk:"request_access_for_allowed_targets"`
	RemoveAccessWhenTargetLeavesAllowedTargets types.Bool           `tfsdk:"remove_access_when_target_leaves_allowed_targets"`
	GracePeriodBeforeAccessRemoval             isoduration.Duration `tfsdk:"grace_period_before_access_removal"`
}

type notificationSettingsModel struct {
	AssignmentNotificationDisabled types.Bool `tfsdk:"assignment_notification_disabled"`
}

type questionModel struct {
	ID                       types.String        `tfsdk:"id"`
	Type                     types.String        `tfsdk:"type"`
	Text                     types.String        `tfsdk:"text"`
	Required                 types.Bool          `tfsdk:"required"`
	AnswerEditable           types.Bool          `tfsdk:"answer_editable"`
	Localizations            []localizationModel `tfsdk:"localizations"`
	SingleLineQuestion       types.Bool          `tfsdk:"single_line_question"`
	RegexPattern             types.String        `tfsdk:"regex_pattern"`
	MultipleSelectionAllowed types.Bool          `tfsdk:"multiple_selection_allowed"`
	Choices                  []choiceModel       `tfsdk:"choices"`
}

type localizationModel struct {
	LanguageCode types.String `tfsdk:"language_code"`
	Text         types.String `tfsdk:"text"`
}

type choiceModel struct {
	ActualValue   types.String        `tfsdk:"actual_value"`
	Text          types.String        `tfsdk:"text"`
	Localizations []localizationModel `tfsdk:"localizations"`
}

type customExtensionStageModel struct {
	ID                types.String `tfsdk:"id"`
	Stage             types.String `tfsdk:"stage"`
	CustomExtensionID types.String `tfsdk:"custom_extension_id"`
}
