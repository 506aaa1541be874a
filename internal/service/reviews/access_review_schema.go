package reviews

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework/isoduration"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// The model of entragov_access_review: an accessReviewScheduleDefinition
// (https://learn.microsoft.com/en-us/graph/api/resources/accessreviewscheduledefinition?view=graph-rest-1.0).

type accessReviewModel struct {
	ID                               types.String     `tfsdk:"id"`
	DisplayName                      types.String     `tfsdk:"display_name"`
	DescriptionForAdmins             types.String     `tfsdk:"description_for_admins"`
	DescriptionForReviewers          types.String     `tfsdk:"description_for_reviewers"`
	Scope                            *scopeModel      `tfsdk:"scope"`
	InstanceEnumerationScope         *subScopeModel   `tfsdk:"instance_enumeration_scope"`
	Reviewers                        []reviewerModel  `tfsdk:"reviewers"`
	FallbackReviewers                []reviewerModel  `tfsdk:"fallback_reviewers"`
	BackupReviewers                  []reviewerModel  `tfsdk:"backup_reviewers"`
	AdditionalNotificationRecipients []recipientModel `tfsdk:"additional_notification_recipients"`
	Settings                         *settingsModel   `tfsdk:"settings"`
	StageSettings                    []stageModel     `tfsdk:"stage_settings"`
	Status                           types.String     `tfsdk:"status"`
	CreatedDateTime                  types.String     `tfsdk:"created_date_time"`
	LastModifiedDateTime             types.String     `tfsdk:"last_modified_date_time"`
	CreatedBy                        types.Object     `tfsdk:"created_by"`
}

// scopeModel is one accessReviewScope member: type is the @odata.type leaf, beside it the fields of that type.
type scopeModel struct {
	Type             types.String         `tfsdk:"type"`
	Query            types.String         `tfsdk:"query"`
	QueryType        types.String         `tfsdk:"query_type"`
	QueryRoot        types.String         `tfsdk:"query_root"`
	InactiveDuration isoduration.Duration `tfsdk:"inactive_duration"`
	PrincipalScopes  []subScopeModel      `tfsdk:"principal_scopes"`
	ResourceScopes   []subScopeModel      `tfsdk:"resource_scopes"`
}

// subScopeModel is a query scope (accessReviewQueryScope or accessReviewInactiveUsersQueryScope): the
// principal and resource scopes of a principalResourceMembershipsScope, and instance_enumeration_scope.
type subScopeModel struct {
	Type             types.String         `tfsdk:"type"`
	Query            types.String         `tfsdk:"query"`
	QueryType        types.String         `tfsdk:"query_type"`
	QueryRoot        types.String         `tfsdk:"query_root"`
	InactiveDuration isoduration.Duration `tfsdk:"inactive_duration"`
}

type reviewerModel struct {
	Query     types.String `tfsdk:"query"`
	QueryType types.String `tfsdk:"query_type"`
	QueryRoot types.String `tfsdk:"query_root"`
}

type recipientModel struct {
	NotificationTemplateType   types.String         `tfsdk:"notification_template_type"`
	NotificationRecipientScope *recipientScopeModel `tfsdk:"notification_recipient_scope"`
}

type recipientScopeModel struct {
	Type      types.String `tfsdk:"type"`
	Query     types.String `tfsdk:"query"`
	QueryType types.String `tfsdk:"query_type"`
	QueryRoot types.String `tfsdk:"query_root"`
}

type settingsModel struct {
	MailNotificationsEnabled             types.Bool           `tfsdk:"mail_notifications_enabled"`
	ReminderNotificationsEnabled         types.Bool           `tfsdk:"reminder_notifications_enabled"`
	JustificationRequiredOnApproval      types.Bool           `tfsdk:"justification_required_on_approval"`
	DefaultDecisionEnabled               types.Bool           `tfsdk:"default_decision_enabled"`
	DefaultDecision                      types.String         `tfsdk:"default_decision"`
	InstanceDurationInDays               types.Int64          `tfsdk:"instance_duration_in_days"`
	AutoApplyDecisionsEnabled            types.Bool           `tfsdk:"auto_apply_decisions_enabled"`
	RecommendationsEnabled               types.Bool           `tfsdk:"recommendations_enabled"`
	DecisionHistoriesForReviewersEnabled types.Bool           `tfsdk:"decision_histories_for_reviewers_enabled"`
	RecommendationLookBackDuration       isoduration.Duration `tfsdk:"recommendation_look_back_duration"`
	RecommendationInsightSettings        []insightModel       `tfsdk:"recommendation_insight_settings"`
	ApplyActions                         []applyActionModel   `tfsdk:"apply_actions"`
	Recurrence                           *recurrenceModel     `tfsdk:"recurrence"`
}

// stageModel is one stage of a multi-stage review (accessReviewStageSettings).
type stageModel struct {
	StageID                          types.String    `tfsdk:"stage_id"`
	DependsOn                        []types.String  `tfsdk:"depends_on"`
	DurationInDays                   types.Int64     `tfsdk:"duration_in_days"`
	RecommendationsEnabled           types.Bool      `tfsdk:"recommendations_enabled"`
	DecisionsThatWillMoveToNextStage []types.String  `tfsdk:"decisions_that_will_move_to_next_stage"`
	Reviewers                        []reviewerModel `tfsdk:"reviewers"`
	FallbackReviewers                []reviewerModel `tfsdk:"fallback_reviewers"`
	RecommendationInsightSettings    []insightModel  `tfsdk:"recommendation_insight_settings"`
}

type insightModel struct {
	Type                           types.String         `tfsdk:"type"`
	RecommendationLookBackDuration isoduration.Duration `tfsdk:"recommendation_look_back_duration"`
	SignInScope                    types.String         `tfsdk:"sign_in_scope"`
}

type applyActionModel struct {
	Type types.String `tfsdk:"type"`
}

type recurrenceModel struct {
	Pattern *patternModel `tfsdk:"pattern"`
	Range   *rangeModel   `tfsdk:"range"`
}

type patternModel struct {
	Type       types.String `tfsdk:"type"`
	Interval   types.Int64  `tfsdk:"interval"`
	DayOfMonth types.Int64  `tfsdk:"day_of_month"`
}

type rangeModel struct {
	Type                types.String `tfsdk:"type"`
	StartDate           types.String `tfsdk:"start_date"`
	EndDate             types.String `tfsdk:"end_date"`
	NumberOfOccurrences types.Int64  `tfsdk:"number_of_occurrences"`
	RecurrenceTimeZone  types.String `tfsdk:"recurrence_time_zone"`
}

// createdByTypes are the attribute types of created_by (a userIdentity).
var createdByTypes = map[string]attr.Type{"id": types.StringType, "display_name": types.StringType, "user_principal_name": types.StringType}

// Values Graph documents for these fields.
var (
	queryTypes            = []string{"MicrosoftGraph", "ARM"} // accessReviewQueryScope, queryType
	queryRoots            = []string{"decisions"}             // accessReviewReviewerScope, queryRoot
	defaultDecisions      = []string{"None", "Approve", "Deny", "Recommendation"}
	patternTypes          = []string{"weekly", "absoluteMonthly"} // accessReviewScheduleSettings, recurrence
	rangeTypes            = []string{"endDate", "noEnd", "numbered"}
	signInScopes          = []string{"tenant", "application"}
	notificationTemplates = []string{"CompletedAdditionalRecipients"}
	subScopeTypes         = []string{graph.AccessReviewQueryScope, graph.AccessReviewInactiveUsersScope}
)

func queryAttributes(what string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"query": schema.StringAttribute{Optional: true, MarkdownDescription: "The Graph query that selects " + what +
			", absolute (`/groups/{id}/transitiveMembers`) or relative to each reviewed object (`./members`)."},
		"query_type": schema.StringAttribute{Optional: true, MarkdownDescription: "`queryType`: `MicrosoftGraph` or `ARM`. Graph's default when omitted.",
			Validators: []validator.String{stringvalidator.OneOf(queryTypes...)}},
		"query_root": schema.StringAttribute{Optional: true, MarkdownDescription: "`queryRoot`: what a relative query starts from; `decisions` is the one documented value.",
			Validators: []validator.String{stringvalidator.OneOf(queryRoots...)}},
		"inactive_duration": schema.StringAttribute{Optional: true, CustomType: isoduration.DurationType{},
			MarkdownDescription: "`inactiveDuration` of an `accessReviewInactiveUsersQueryScope` (required for that type, refused for others): how long without sign-in makes a user inactive, an ISO 8601 duration such as `P30D`.",
			Validators:          []validator.String{isoduration.Edm()}},
	}
}

func subScopeAttributes(what string) map[string]schema.Attribute {
	a := queryAttributes(what)
	a["type"] = schema.StringAttribute{Required: true, MarkdownDescription: "The scope's `@odata.type` without `#microsoft.graph.`: `accessReviewQueryScope` or `accessReviewInactiveUsersQueryScope`.",
		Validators: []validator.String{stringvalidator.OneOf(subScopeTypes...)}}
	return a
}

func reviewerAttribute(description string) schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		Optional: true, Computed: true, MarkdownDescription: description,
		Default:      listdefault.StaticValue(types.ListValueMust(types.ObjectType{AttrTypes: reviewerAttrTypes}, nil)),
		NestedObject: schema.NestedAttributeObject{Attributes: reviewerAttributes()},
	}
}

var reviewerAttrTypes = map[string]attr.Type{"query": types.StringType, "query_type": types.StringType, "query_root": types.StringType}

func reviewerAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"query": schema.StringAttribute{Required: true, MarkdownDescription: "Who reviews: `/users/{id}` (a user), `/groups/{id}/transitiveMembers` (a group's members), " +
			"`./owners` (the reviewed group's owners), `./manager` (each reviewed user's manager; needs `query_root = \"decisions\"`) or `./sponsors` " +
			"(each reviewed guest's sponsors; needs `query_root = \"decisions\"`)."},
		"query_type": schema.StringAttribute{Optional: true, MarkdownDescription: "`queryType`: `MicrosoftGraph` (or `ARM`).",
			Validators: []validator.String{stringvalidator.OneOf(queryTypes...)}},
		"query_root": schema.StringAttribute{Optional: true, MarkdownDescription: "`queryRoot`: `decisions` for the relative queries `./manager` and `./sponsors`.",
			Validators: []validator.String{stringvalidator.OneOf(queryRoots...)}},
	}
}

func insightSettingsAttribute(description string) schema.ListNestedAttribute {
	return schema.ListNestedAttribute{Optional: true, Computed: true, MarkdownDescription: description,
		Default: listdefault.StaticValue(types.ListValueMust(types.ObjectType{AttrTypes: insightAttrTypes}, nil)),
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"type": schema.StringAttribute{Required: true, MarkdownDescription: "`userLastSignInRecommendationInsightSetting` or `groupPeerOutlierRecommendationInsightSettings`.",
				Validators: []validator.String{stringvalidator.OneOf(graph.AccessReviewInsightTypes...)}},
			"recommendation_look_back_duration": schema.StringAttribute{Optional: true, CustomType: isoduration.DurationType{},
				MarkdownDescription: "`recommendationLookBackDuration` of a last sign-in insight.", Validators: []validator.String{isoduration.Edm()}},
			"sign_in_scope": schema.StringAttribute{Optional: true, MarkdownDescription: "`signInScope` of a last sign-in insight: `tenant` or `application`.",
				Validators: []validator.String{stringvalidator.OneOf(signInScopes...)}},
		}}}
}

func stageSettingsAttribute() schema.ListNestedAttribute {
	emptyStrings := listdefault.StaticValue(types.ListValueMust(types.StringType, nil))
	return schema.ListNestedAttribute{Optional: true,
		MarkdownDescription: "`stageSettings`: the stages of a multi-stage review, in order. A stage's reviewers, fallback reviewers, " +
			"duration and recommendations replace the definition's own for that stage. Stages run one after the other and together " +
			"last no longer than one recurrence. Changes in place.",
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"stage_id": schema.StringAttribute{Required: true, MarkdownDescription: "`stageId`: the stage's id (`1`, `2`, ...), unique in the review.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
			"depends_on": schema.ListAttribute{ElementType: types.StringType, Optional: true, Computed: true, Default: emptyStrings,
				MarkdownDescription: "`dependsOn`: the stage this one follows: none for the first stage, the previous stage's id for the others."},
			"duration_in_days": schema.Int64Attribute{Required: true, MarkdownDescription: "`durationInDays`: how long the stage stays open.",
				Validators: []validator.Int64{int64validator.AtLeast(1)}},
			"recommendations_enabled": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "`recommendationsEnabled`: show this stage's reviewers recommendations. Defaults to `false`."},
			"decisions_that_will_move_to_next_stage": schema.ListAttribute{ElementType: types.StringType, Optional: true, Computed: true, Default: emptyStrings,
				MarkdownDescription: "`decisionsThatWillMoveToNextStage`: which of `Approve`, `Deny`, `Recommendation`, `NotReviewed` go on to the next stage; none listed (the default) passes every decision.",
				Validators:          []validator.List{listvalidator.ValueStringsAre(stringvalidator.OneOf(graph.AccessReviewStageDecisions...))}},
			"reviewers":                       reviewerAttribute("`reviewers` of the stage; empty (the default) is a self-review."),
			"fallback_reviewers":              reviewerAttribute("`fallbackReviewers` of the stage. Defaults to none."),
			"recommendation_insight_settings": insightSettingsAttribute("`recommendationInsightSettings` of the stage. Defaults to none."),
		}},
	}
}

func optionalBool(description string) schema.BoolAttribute {
	return schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false), MarkdownDescription: description + " Defaults to `false`."}
}

func accessReviewSchema() schema.Schema {
	scopeAttrs := queryAttributes("the principals whose access is reviewed")
	scopeAttrs["type"] = schema.StringAttribute{Required: true,
		MarkdownDescription: "The scope's `@odata.type` without `#microsoft.graph.`: `accessReviewQueryScope` (a query), `accessReviewInactiveUsersQueryScope` " +
			"(a query limited to inactive users) or `principalResourceMembershipsScope` (principals' access to resources).",
		Validators: []validator.String{stringvalidator.OneOf(graph.AccessReviewScopeTypes...)}}
	for _, k := range []string{"principal_scopes", "resource_scopes"} {
		scopeAttrs[k] = schema.ListNestedAttribute{Optional: true,
			MarkdownDescription: "`" + k + "` of a `principalResourceMembershipsScope` (required for that type, refused for others): query scopes of the " +
				map[string]string{"principal_scopes": "principals", "resource_scopes": "resources"}[k] + " reviewed.",
			NestedObject: schema.NestedAttributeObject{Attributes: subScopeAttributes("them")}}
	}
	return schema.Schema{
		MarkdownDescription: "An access review series (Graph `accessReviewScheduleDefinition`, " +
			"`/identityGovernance/accessReviews/definitions`): who is reviewed, by whom, how often and what happens to those denied. " +
			"Needs `AccessReview.ReadWrite.All`. Updates send the whole definition (PUT); `scope`, `instance_enumeration_scope` and " +
			"`additional_notification_recipients` are set at creation, and `reviewers` can change in place only between lists of individual users.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "The definition's id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
			"display_name": schema.StringAttribute{Required: true, MarkdownDescription: "`displayName`: the review series' name.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
			"description_for_admins": schema.StringAttribute{Optional: true, MarkdownDescription: "`descriptionForAdmins`: context for administrators."},
			"description_for_reviewers": schema.StringAttribute{Optional: true,
				MarkdownDescription: "`descriptionForReviewers`: context for reviewers, shown in their emails (at most 256 characters).",
				Validators:          []validator.String{stringvalidator.LengthAtMost(256)}},
			"scope": schema.SingleNestedAttribute{Required: true, Attributes: scopeAttrs,
				MarkdownDescription: "`scope`: whose access is reviewed. Set at creation: a change replaces the review.",
				PlanModifiers:       []planmodifier.Object{objectplanmodifier.RequiresReplace()}},
			"instance_enumeration_scope": schema.SingleNestedAttribute{Optional: true, Attributes: subScopeAttributes("the groups reviewed"),
				MarkdownDescription: "`instanceEnumerationScope`: the groups a review of all Microsoft 365 groups covers (one instance per group), e.g. " +
					"`/groups?$filter=(groupTypes/any(c:c eq 'Unified'))`. Required when `scope.query` is relative (`./members...`). Set at creation.",
				PlanModifiers: []planmodifier.Object{objectplanmodifier.RequiresReplace()}},
			"reviewers": func() schema.ListNestedAttribute {
				a := reviewerAttribute("`reviewers`: who reviews. Empty (the default) is a self-review: each user reviews their own access. " +
					"Graph updates reviewers in place only when individual users (`/users/{id}`) review, before and after; other changes replace the review.")
				a.PlanModifiers = []planmodifier.List{reviewersReplace()}
				return a
			}(),
			"fallback_reviewers": reviewerAttribute("`fallbackReviewers`: who reviews when the reviewers cannot be found (a group without owners, a user without manager). Defaults to none."),
			"backup_reviewers": schema.ListNestedAttribute{Optional: true,
				MarkdownDescription: "`backupReviewers`, the former name of `fallback_reviewers`: sent as `fallbackReviewers`. Use `fallback_reviewers`.",
				DeprecationMessage:  "backup_reviewers is the deprecated name Graph kept for fallbackReviewers; use fallback_reviewers.",
				NestedObject:        schema.NestedAttributeObject{Attributes: reviewerAttributes()}},
			"additional_notification_recipients": schema.ListNestedAttribute{Optional: true, Computed: true,
				MarkdownDescription: "`additionalNotificationRecipients`: users or groups told when a review completes. Set at creation. Defaults to none.",
				Default:             listdefault.StaticValue(types.ListValueMust(types.ObjectType{AttrTypes: recipientAttrTypes}, nil)),
				PlanModifiers:       []planmodifier.List{listplanmodifier.RequiresReplace()},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"notification_template_type": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("CompletedAdditionalRecipients"),
						MarkdownDescription: "`notificationTemplateType`: `CompletedAdditionalRecipients` (the one documented template, the default).",
						Validators:          []validator.String{stringvalidator.OneOf(notificationTemplates...)}},
					"notification_recipient_scope": schema.SingleNestedAttribute{Required: true,
						MarkdownDescription: "`notificationRecipientScope`: who is told.",
						Attributes: map[string]schema.Attribute{
							"type": schema.StringAttribute{Required: true, MarkdownDescription: "`accessReviewNotificationRecipientQueryScope`.",
								Validators: []validator.String{stringvalidator.OneOf(graph.NotificationRecipientQuery)}},
							"query": schema.StringAttribute{Required: true, MarkdownDescription: "The recipients' query, e.g. `/users/{id}` or `/groups/{id}/transitiveMembers/microsoft.graph.user`."},
							"query_type": schema.StringAttribute{Optional: true, MarkdownDescription: "`queryType`: `MicrosoftGraph`.",
								Validators: []validator.String{stringvalidator.OneOf(queryTypes...)}},
							"query_root": schema.StringAttribute{Optional: true, MarkdownDescription: "`queryRoot`.",
								Validators: []validator.String{stringvalidator.OneOf(queryRoots...)}},
						}},
				}}},
			"settings": schema.SingleNestedAttribute{Required: true, MarkdownDescription: "`settings`: the series' schedule and behaviour (accessReviewScheduleSettings).",
				Attributes: settingsAttributes()},
			"stage_settings": stageSettingsAttribute(),
			"status": schema.StringAttribute{Computed: true, MarkdownDescription: "`status` of the series: `NotStarted`, `InProgress`, `Completed`, ... (read-only).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
			"created_date_time": schema.StringAttribute{Computed: true, MarkdownDescription: "`createdDateTime` (read-only).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
			"last_modified_date_time": schema.StringAttribute{Computed: true, MarkdownDescription: "`lastModifiedDateTime` (read-only)."},
			"created_by": schema.SingleNestedAttribute{Computed: true, MarkdownDescription: "`createdBy`: who created the review (read-only).",
				PlanModifiers: []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
				Attributes: map[string]schema.Attribute{
					"id":                  schema.StringAttribute{Computed: true, MarkdownDescription: "The creator's object id."},
					"display_name":        schema.StringAttribute{Computed: true, MarkdownDescription: "The creator's name."},
					"user_principal_name": schema.StringAttribute{Computed: true, MarkdownDescription: "The creator's user principal name."},
				}},
		},
	}
}

// settingsAttributes are the attributes of settings (accessReviewScheduleSettings).
func settingsAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"mail_notifications_enabled":         optionalBool("`mailNotificationsEnabled`: email reviewers."),
		"reminder_notifications_enabled":     optionalBool("`reminderNotificationsEnabled`: remind reviewers."),
		"justification_required_on_approval": optionalBool("`justificationRequiredOnApproval`: reviewers must justify approvals."),
		"default_decision_enabled":           optionalBool("`defaultDecisionEnabled`: apply `default_decision` to those nobody reviewed."),
		"default_decision": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("None"),
			MarkdownDescription: "`defaultDecision`: `Approve`, `Deny` or `Recommendation` when `default_decision_enabled` is true; `None` (the default) otherwise.",
			Validators:          []validator.String{stringvalidator.OneOf(defaultDecisions...)}},
		"instance_duration_in_days": schema.Int64Attribute{Required: true, MarkdownDescription: "`instanceDurationInDays`: how long each review instance stays open.",
			Validators: []validator.Int64{int64validator.AtLeast(0)}},
		"auto_apply_decisions_enabled": optionalBool("`autoApplyDecisionsEnabled`: apply the decisions when an instance ends, answered or not."),
		"recommendations_enabled":      optionalBool("`recommendationsEnabled`: show reviewers recommendations."),
		"decision_histories_for_reviewers_enabled": optionalBool(
			"`decisionHistoriesForReviewersEnabled`: reviewers of later stages see earlier stages' decisions."),
		"recommendation_look_back_duration": schema.StringAttribute{Optional: true, Computed: true, CustomType: isoduration.DurationType{},
			MarkdownDescription: "`recommendationLookBackDuration`: the inactivity period recommendations look at (Graph uses 30 days when unset).",
			Validators:          []validator.String{isoduration.Edm()},
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
		"recommendation_insight_settings": insightSettingsAttribute("`recommendationInsightSettings`: insights shown to reviewers. Defaults to none."),
		"apply_actions": schema.ListNestedAttribute{Optional: true, Computed: true,
			MarkdownDescription: "`applyActions`: what happens to denied principals. `removeAccessApplyAction` (Graph's default when none is listed) removes their access; " +
				"`disableAndDeleteUserApplyAction` disables denied guests for 30 days, then deletes them (guest reviews only).",
			Default: listdefault.StaticValue(types.ListValueMust(types.ObjectType{AttrTypes: applyActionAttrTypes}, nil)),
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"type": schema.StringAttribute{Required: true, MarkdownDescription: "`removeAccessApplyAction` or `disableAndDeleteUserApplyAction`.",
					Validators: []validator.String{stringvalidator.OneOf(graph.AccessReviewActionTypes...)}},
			}}},
		"recurrence": schema.SingleNestedAttribute{Required: true,
			MarkdownDescription: "`recurrence`: when instances start. Without `pattern` the review happens once (its range is `numbered` with an `end_date`).",
			Attributes: map[string]schema.Attribute{
				"pattern": schema.SingleNestedAttribute{Optional: true, MarkdownDescription: "`pattern`: how often a recurring review starts.",
					Attributes: map[string]schema.Attribute{
						"type": schema.StringAttribute{Required: true, MarkdownDescription: "`weekly` or `absoluteMonthly` (the types access reviews support).",
							Validators: []validator.String{stringvalidator.OneOf(patternTypes...)}},
						"interval": schema.Int64Attribute{Required: true, MarkdownDescription: "Every how many weeks or months (`3` with `absoluteMonthly`: quarterly).",
							Validators: []validator.Int64{int64validator.AtLeast(1)}},
						"day_of_month": schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(0),
							MarkdownDescription: "`dayOfMonth` of an `absoluteMonthly` pattern (1 to 31); `0` (the default) uses the start date's day.",
							Validators:          []validator.Int64{int64validator.Between(0, 31)}},
					}},
				"range": schema.SingleNestedAttribute{Required: true, MarkdownDescription: "`range`: when the series starts and ends.",
					Attributes: map[string]schema.Attribute{
						"type": schema.StringAttribute{Required: true, MarkdownDescription: "`noEnd`, `endDate` (ends on `end_date`) or `numbered`.",
							Validators: []validator.String{stringvalidator.OneOf(rangeTypes...)}},
						"start_date": schema.StringAttribute{Required: true, MarkdownDescription: "`startDate` (YYYY-MM-DD): the first instance's day.",
							Validators: []validator.String{validators.Date()}},
						"end_date": schema.StringAttribute{Optional: true, MarkdownDescription: "`endDate` (YYYY-MM-DD): required for `endDate` ranges and one-time reviews, refused for `noEnd`.",
							Validators: []validator.String{validators.Date()}},
						"number_of_occurrences": schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(0),
							MarkdownDescription: "`numberOfOccurrences` of a `numbered` range. Defaults to `0`.",
							Validators:          []validator.Int64{int64validator.AtLeast(0)}},
						"recurrence_time_zone": schema.StringAttribute{Optional: true, MarkdownDescription: "`recurrenceTimeZone`: the time zone of the dates."},
					}},
			}},
	}
}

var (
	recipientAttrTypes = map[string]attr.Type{
		"notification_template_type": types.StringType,
		"notification_recipient_scope": types.ObjectType{AttrTypes: map[string]attr.Type{
			"type": types.StringType, "query": types.StringType, "query_type": types.StringType, "query_root": types.StringType}},
	}
	insightAttrTypes     = map[string]attr.Type{"type": types.StringType, "recommendation_look_back_duration": isoduration.DurationType{}, "sign_in_scope": types.StringType}
	applyActionAttrTypes = map[string]attr.Type{"type": types.StringType}
)

// reviewersReplace replaces the review when reviewers change, unless both the old and the new list
// name individual users only: the one case the update page lets PUT change
// (https://learn.microsoft.com/en-us/graph/api/accessreviewscheduledefinition-update?view=graph-rest-1.0).
func reviewersReplace() planmodifier.List {
	return listplanmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.ListRequest, resp *listplanmodifier.RequiresReplaceIfFuncResponse) {
		var before, after []reviewerModel
		if req.StateValue.IsNull() || req.PlanValue.IsUnknown() {
			return
		}
		resp.Diagnostics.Append(req.StateValue.ElementsAs(ctx, &before, false)...)
		resp.Diagnostics.Append(req.PlanValue.ElementsAs(ctx, &after, false)...)
		resp.RequiresReplace = !onlyUsers(before) || !onlyUsers(after)
	}, "Replaces the review unless individual users review before and after the change.",
		"Replaces the review unless individual users (`/users/{id}`) review before and after the change.")
}
