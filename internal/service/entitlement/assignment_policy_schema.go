package entitlement

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework/isoduration"
	"github.com/entragov/terraform-provider-entragov/internal/framework/subjectset"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// Subject set types Graph accepts in each role of a policy (spec 1.6). The sponsors or owners of an agent
// identity approve and request on its behalf, as a user's sponsors and an application's owners do.
// https://learn.microsoft.com/en-us/graph/api/resources/targetagentidentitysponsorsorowners?view=graph-rest-1.0
var (
	targetSubjectTypes = []string{
		graph.SubjectSingleUser, graph.SubjectGroupMembers, graph.SubjectConnectedOrganizationMembers,
		graph.SubjectAttributeRuleMembers, graph.SubjectSingleServicePrincipal,
	}
	approverSubjectTypes = []string{
		graph.SubjectSingleUser, graph.SubjectGroupMembers, graph.SubjectRequestorManager,
		graph.SubjectInternalSponsors, graph.SubjectExternalSponsors, graph.SubjectTargetUserSponsors,
		graph.SubjectTargetAgentIdentitySponsorsOrOwners,
	}
	onBehalfSubjectTypes = []string{
		graph.SubjectSingleUser, graph.SubjectGroupMembers, graph.SubjectTargetManager,
		graph.SubjectTargetApplicationOwners, graph.SubjectRequestorManager, graph.SubjectTargetAgentIdentitySponsorsOrOwners,
	}
	reviewerSubjectTypes = []string{graph.SubjectSingleUser, graph.SubjectGroupMembers, graph.SubjectRequestorManager}
)

// optionalBool is a switch inside a nested object: false unless set, so that a partly written object
// is complete when it is sent with PUT.
func optionalBool(description string, def bool) schema.BoolAttribute {
	return schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(def), MarkdownDescription: description}
}

func localizationsAttribute() schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		Optional:            true,
		MarkdownDescription: "The text in other languages.",
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"language_code": schema.StringAttribute{
				Required: true, MarkdownDescription: "A language tag such as `fr` or `fr-CA`.",
				Validators: []validator.String{stringvalidator.RegexMatches(languageCodePattern, "must be a language tag such as fr or fr-CA")},
			},
			"text": schema.StringAttribute{Required: true, MarkdownDescription: "The text in that language.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
		}},
	}
}

func policySchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Manages an access package assignment policy (Graph `accessPackageAssignmentPolicy`, the " +
			"complete v1.0 model): who may request or is assigned automatically, who approves and in how many stages, how long " +
			"access lasts, how it is reviewed, which questions requestors answer and which custom extensions run. Updates " +
			"replace the whole policy (Graph's PUT), so removing a nested object from the configuration removes it from the " +
			"policy. Rules Graph enforces are checked at plan time. Needs `EntitlementManagement.ReadWrite.All`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The policy's object id, also the import id.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"access_package_id": schema.StringAttribute{
				Required: true, MarkdownDescription: "The access package the policy belongs to. Graph binds it at creation: changing it replaces the policy.",
				Validators:    []validator.String{validators.GUID()},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"display_name": schema.StringAttribute{
				Required: true, MarkdownDescription: "The policy's name as requestors see it.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"description": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(""),
				MarkdownDescription: "What the policy is for. Defaults to an empty string.",
			},
			"allowed_target_scope": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString("notSpecified"),
				MarkdownDescription: "Who can be assigned through the policy (`allowedTargetScope`). `notSpecified` (the default) allows " +
					"only direct assignment by an administrator; the `specific…` scopes need `specific_allowed_targets`; `allDirectoryAgentIdentities` targets agent identities.",
				Validators: []validator.String{stringvalidator.OneOf(graph.AllowedTargetScopes...)},
			},
			"specific_allowed_targets": subjectset.ListAttribute(
				"The users, groups, connected organizations, attribute rules or service principals the policy targets, for a `specific…` `allowed_target_scope`.",
				targetSubjectTypes),
			"expiration":                 policyExpirationAttribute(),
			"requestor_settings":         requestorSettingsAttribute(),
			"request_approval_settings":  approvalSettingsAttribute(),
			"review_settings":            reviewSettingsAttribute(),
			"automatic_request_settings": automaticRequestSettingsAttribute(),
			"notification_settings": schema.SingleNestedAttribute{
				Optional:            true,
				MarkdownDescription: "Notifications (`notificationSettings`). Omitted: assignment notifications are sent.",
				Attributes: map[string]schema.Attribute{
					"assignment_notification_disabled": optionalBool("Do not notify users when they are assigned.", false),
				},
			},
			"questions":                       questionsAttribute(),
			"custom_extension_stage_settings": customExtensionStageSettingsAttribute(),
			"created_date_time": schema.StringAttribute{
				Computed: true, MarkdownDescription: "When the policy was created (RFC 3339, UTC).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"modified_date_time": schema.StringAttribute{Computed: true, MarkdownDescription: "When the policy was last changed (RFC 3339, UTC)."},
		},
	}
}

func policyExpirationAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional:            true,
		MarkdownDescription: "How long assignments last (`expiration`). Omitted: `notSpecified`.",
		Attributes: map[string]schema.Attribute{
			"type": enumAttribute("`notSpecified`, `noExpiration`, `afterDateTime` (needs `end_date_time`) or `afterDuration` (needs `duration`).", graph.ExpirationTypes, true),
			"end_date_time": schema.StringAttribute{
				Optional: true, MarkdownDescription: "When assignments end, RFC 3339 (e.g. `2027-06-30T00:00:00Z`), for `afterDateTime`.",
				Validators: []validator.String{validators.RFC3339()},
			},
			"duration": durationAttribute("How long each assignment lasts, for `afterDuration`. Sub-day values such as `PT8H` are allowed.", false),
		},
	}
}

func requestorSettingsAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional:            true,
		MarkdownDescription: "Who may request, extend and remove access, for themselves or on behalf of others (`requestorSettings`). Omitted: everything off.",
		Attributes: map[string]schema.Attribute{
			"enable_targets_to_self_add_access":            optionalBool("Targets may request access for themselves.", false),
			"enable_targets_to_self_update_access":         optionalBool("Targets may extend or update their access.", false),
			"enable_targets_to_self_remove_access":         optionalBool("Targets may remove their own access.", false),
			"allow_custom_assignment_schedule":             optionalBool("Requestors may choose the start and end of their assignment.", false),
			"enable_on_behalf_requestors_to_add_access":    optionalBool("`on_behalf_requestors` may request access for others.", false),
			"enable_on_behalf_requestors_to_update_access": optionalBool("`on_behalf_requestors` may update others' access.", false),
			"enable_on_behalf_requestors_to_remove_access": optionalBool("`on_behalf_requestors` may remove others' access.", false),
			"on_behalf_requestors":                         subjectset.ListAttribute("Who may request on behalf of others.", onBehalfSubjectTypes),
		},
	}
}

func approvalSettingsAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional:            true,
		MarkdownDescription: "Whether requests need approval, and the approval stages (`requestApprovalSettings`). Omitted: no approval.",
		Attributes: map[string]schema.Attribute{
			"approval_required_for_add":        optionalBool("Requests for new access need approval.", false),
			"approval_required_for_update":     optionalBool("Requests to extend or update access need approval.", false),
			"requestor_justification_required": optionalBool("Requestors must give a justification.", false),
			"stages": schema.ListNestedAttribute{
				Optional:            true,
				MarkdownDescription: "The approval stages, in order (at most three).",
				Validators:          []validator.List{listvalidator.SizeBetween(1, graph.MaxApprovalStages)},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"duration_before_automatic_denial": durationAttribute("How long approvers have before the request is denied.", true, isoduration.AtLeast("PT1S")),
					"approver_justification_required":  optionalBool("Approvers must give a justification.", false),
					"escalation_enabled":               optionalBool("Escalate to `escalation_approvers` after `duration_before_escalation`.", false),
					"duration_before_escalation":       durationAttribute("How long before the request escalates; required with escalation and shorter than `duration_before_automatic_denial`. While escalation is off, a value Graph still holds shows only if configured.", false),
					"primary_approvers":                subjectset.ListAttribute("Who approves in this stage. May be empty (`[]`) when `fallback_primary_approvers` has approvers, as in Graph's two-stage policy example.", approverSubjectTypes),
					"fallback_primary_approvers":       subjectset.ListAttribute("Who approves when the primary approvers cannot be resolved (e.g. no manager).", approverSubjectTypes),
					"escalation_approvers":             subjectset.ListAttribute("Who approves after escalation. While escalation is off, approvers Graph still holds show only if configured.", approverSubjectTypes),
					"fallback_escalation_approvers":    subjectset.ListAttribute("Who approves after escalation when the escalation approvers cannot be resolved.", approverSubjectTypes),
					"approver_information_visibility": schema.StringAttribute{
						Optional: true, Computed: true, Default: stringdefault.StaticString("default"),
						MarkdownDescription: "Whether requestors see who their approvers are: `default`, `notVisible` or `visible`.",
						Validators:          []validator.String{stringvalidator.OneOf(graph.ApproverInformationVisibility...)},
					},
				}},
			},
		},
	}
}

func reviewSettingsAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional:            true,
		MarkdownDescription: "Recurring access reviews of the policy's assignments (`reviewSettings`). Omitted: no reviews.",
		Attributes: map[string]schema.Attribute{
			"enabled":                         optionalBool("Reviews take place.", true),
			"expiration_behavior":             enumAttribute("What happens when reviewers do not answer: `keepAccess`, `removeAccess` or `acceptAccessRecommendation`.", graph.ReviewExpirationBehaviors, true),
			"recommendation_enabled":          optionalBool("Reviewers see recommendations.", true),
			"reviewer_justification_required": optionalBool("Reviewers must justify their decision.", true),
			"self_review":                     optionalBool("Assigned users review their own access.", false),
			"primary_reviewers":               subjectset.ListAttribute("Who reviews; needed unless `self_review` is true.", reviewerSubjectTypes),
			"fallback_reviewers":              subjectset.ListAttribute("Who reviews when the primary reviewers cannot be resolved.", reviewerSubjectTypes),
			"schedule": schema.SingleNestedAttribute{
				Required:            true,
				MarkdownDescription: "When reviews start, how long each lasts and how often they recur.",
				Attributes: map[string]schema.Attribute{
					"start_date_time": schema.StringAttribute{
						Required: true, MarkdownDescription: "When the first review starts, RFC 3339.",
						Validators: []validator.String{validators.RFC3339()},
					},
					"duration": durationAttribute("How long each review is open.", true, isoduration.AtLeast("PT1S")),
					"recurrence": schema.SingleNestedAttribute{
						Required:            true,
						MarkdownDescription: "How often reviews recur (Graph's `patternedRecurrence`). Quarterly: `pattern = { type = \"absoluteMonthly\", interval = 3 }`.",
						Attributes: map[string]schema.Attribute{
							"pattern": schema.SingleNestedAttribute{
								Required: true, MarkdownDescription: "The recurrence pattern.",
								Attributes: map[string]schema.Attribute{
									"type":     enumAttribute("`daily`, `weekly`, `absoluteMonthly`, `relativeMonthly`, `absoluteYearly` or `relativeYearly`.", graph.RecurrencePatternTypes, true),
									"interval": schema.Int64Attribute{Optional: true, Computed: true, Default: int64Default(1), MarkdownDescription: "Units of the pattern between reviews (3 with `absoluteMonthly` = quarterly).", Validators: []validator.Int64{int64validator.AtLeast(1)}},
									"month": schema.Int64Attribute{Optional: true, Computed: true, Default: int64Default(0), MarkdownDescription: "Month of the year (1–12) for yearly patterns; 0 (the default) when unused. " +
										"A yearly review may keep 0: access reviews use only `type`, `interval` and `day_of_month` of a pattern and take the rest from `start_date_time`. " +
										"The azuread provider's `review_frequency = \"annual\"` is stored by Graph as `type = \"absoluteYearly\"`, `interval = 1`, `month = 0`; write it that way to match such a policy.",
										Validators: []validator.Int64{int64validator.Between(0, 12)}},
									"day_of_month": schema.Int64Attribute{Optional: true, Computed: true, Default: int64Default(0), MarkdownDescription: "Day of the month (1–31) for absolute patterns; 0 when unused.", Validators: []validator.Int64{int64validator.Between(0, 31)}},
									"days_of_week": schema.ListAttribute{
										ElementType: types.StringType, Optional: true, MarkdownDescription: "Days for weekly and relative patterns: `sunday` … `saturday`.",
										Validators: []validator.List{listvalidator.ValueStringsAre(stringvalidator.OneOf(graph.DaysOfWeek...)), listvalidator.UniqueValues()},
									},
									"first_day_of_week": enumAttribute("First day of the week for weekly patterns.", graph.DaysOfWeek, false),
									"index":             enumAttribute("Which week of the month for relative patterns: `first` … `last`.", graph.WeekIndexes, false),
								},
							},
							"range": schema.SingleNestedAttribute{
								Optional: true, MarkdownDescription: "How long the recurrence lasts. Omitted: no end.",
								Attributes: map[string]schema.Attribute{
									"type":                  enumAttribute("`noEnd`, `endDate` (needs `end_date`) or `numbered` (needs `number_of_occurrences`).", graph.RecurrenceRangeTypes, true),
									"start_date":            schema.StringAttribute{Optional: true, MarkdownDescription: "First date, `YYYY-MM-DD`.", Validators: []validator.String{validators.Date()}},
									"end_date":              schema.StringAttribute{Optional: true, MarkdownDescription: "Last date, `YYYY-MM-DD`, for `endDate`.", Validators: []validator.String{validators.Date()}},
									"number_of_occurrences": schema.Int64Attribute{Optional: true, Computed: true, Default: int64Default(0), MarkdownDescription: "How many reviews, for `numbered`.", Validators: []validator.Int64{int64validator.AtLeast(0)}},
									"recurrence_time_zone":  schema.StringAttribute{Optional: true, MarkdownDescription: "Time zone of the dates."},
								},
							},
						},
					},
				},
			},
		},
	}
}

func automaticRequestSettingsAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional: true,
		MarkdownDescription: "Makes this an auto-assignment policy (`automaticRequestSettings`): everyone who matches the " +
			"`attributeRuleMembers` targets is assigned. Needs `allowed_target_scope = \"specificDirectoryUsers\"`.",
		Attributes: map[string]schema.Attribute{
			"request_access_for_allowed_targets":               optionalBool("Assign everyone who matches the targets.", true),
			"remove_access_when_target_leaves_allowed_targets": optionalBool("Remove the assignment when a user stops matching.", true),
			"grace_period_before_access_removal":               durationAttribute("How long after a user stops matching the assignment is removed. While removal is off, a value Graph still holds shows only if configured.", false),
		},
	}
}

func questionsAttribute() schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		Optional:            true,
		MarkdownDescription: "Questions requestors answer, in the order shown (their `sequence`).",
		PlanModifiers:       []planmodifier.List{questionIDs()},
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The question's id. It follows the question, not its position: a question keeps its id when " +
					"others are added, removed or reordered, and when only its text or only its settings change; a new question gets a new id.",
			},
			"type":            enumAttribute("`accessPackageTextInputQuestion` or `accessPackageMultipleChoiceQuestion`.", graph.QuestionTypes, true),
			"text":            schema.StringAttribute{Required: true, MarkdownDescription: "The question.", Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
			"required":        optionalBool("An answer is required.", false),
			"answer_editable": optionalBool("Requestors may change their answer later.", false),
			"localizations":   localizationsAttribute(),
			"single_line_question": schema.BoolAttribute{
				Optional: true, MarkdownDescription: "Text input only: a single-line answer.",
			},
			"regex_pattern": schema.StringAttribute{
				Optional: true, MarkdownDescription: "Text input only: a regular expression the answer must match.",
				Validators: []validator.String{validators.Regexp()},
			},
			"multiple_selection_allowed": schema.BoolAttribute{
				Optional: true, MarkdownDescription: "Multiple choice only: several choices may be selected.",
			},
			"choices": schema.ListNestedAttribute{
				Optional: true, MarkdownDescription: "Multiple choice only: the choices, in order.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"actual_value":  schema.StringAttribute{Required: true, MarkdownDescription: "The value recorded when chosen.", Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
					"text":          schema.StringAttribute{Required: true, MarkdownDescription: "The text shown.", Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
					"localizations": localizationsAttribute(),
				}},
			},
		}},
	}
}

func customExtensionStageSettingsAttribute() schema.ListNestedAttribute {
	return schema.ListNestedAttribute{
		Optional:            true,
		MarkdownDescription: "Custom extensions (Logic Apps) of the package's catalog that run at stages of a request or assignment.",
		PlanModifiers:       []planmodifier.List{extensionStageIDs()},
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The setting's id. It follows the setting's stage, not its position in the list.",
			},
			"stage": enumAttribute("When the extension runs: a request stage (`assignmentRequestCreated`, `assignmentRequestApproved`, "+
				"`assignmentRequestGranted`, `assignmentRequestRemoved`; needs a request workflow extension) or an expiration stage "+
				"(`assignmentFourteenDaysBeforeExpiration`, `assignmentOneDayBeforeExpiration`; needs an assignment workflow extension).",
				append(append([]string{}, graph.CustomExtensionRequestStages...), graph.CustomExtensionExpirationStage...), true),
			"custom_extension_id": schema.StringAttribute{
				Required: true, MarkdownDescription: "The id of a custom workflow extension in the package's catalog.",
				Validators: []validator.String{validators.GUID()},
			},
		}},
	}
}

// languageCodePattern accepts BCP 47 tags as Graph uses them: "fr", "fr-CA", "zh-Hant".
var languageCodePattern = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$`)

func int64Default(v int64) defaults.Int64 { return int64default.StaticInt64(v) }
