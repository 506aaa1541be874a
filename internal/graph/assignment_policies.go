package graph

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

const assignmentPoliciesPath = emPath + "/assignmentPolicies"

// AssignmentPolicy is an accessPackageAssignmentPolicy in its complete v1.0 shape (spec 1.6). Updates
// replace the whole object with PUT, so every field is always sent.
type AssignmentPolicy struct {
	ID                           string                        `json:"id,omitempty"`
	DisplayName                  string                        `json:"displayName"`
	Description                  string                        `json:"description"`
	AllowedTargetScope           string                        `json:"allowedTargetScope"`
	SpecificAllowedTargets       []SubjectSet                  `json:"specificAllowedTargets"`
	AutomaticRequestSettings     *AutomaticRequestSettings     `json:"automaticRequestSettings"`
	Expiration                   *ExpirationPattern            `json:"expiration,omitempty"`
	RequestorSettings            *RequestorSettings            `json:"requestorSettings,omitempty"`
	RequestApprovalSettings      *ApprovalSettings             `json:"requestApprovalSettings,omitempty"`
	ReviewSettings               *ReviewSettings               `json:"reviewSettings"`
	NotificationSettings         *NotificationSettings         `json:"notificationSettings,omitempty"`
	Questions                    []Question                    `json:"questions"`
	CustomExtensionStageSettings []CustomExtensionStageSetting `json:"customExtensionStageSettings"`
	AccessPackage                *IDRef                        `json:"accessPackage,omitempty"`
	CreatedDateTime              string                        `json:"createdDateTime,omitempty"`
	ModifiedDateTime             string                        `json:"modifiedDateTime,omitempty"`
}

// ExpirationPattern says how long something lasts: notSpecified, noExpiration, afterDateTime or
// afterDuration.
type ExpirationPattern struct {
	Type        string  `json:"type"`
	EndDateTime *string `json:"endDateTime"`
	Duration    *string `json:"duration"`
}

// RequestorSettings are who may request, update and remove, for themselves or on behalf of others.
type RequestorSettings struct {
	EnableTargetsToSelfAddAccess           bool         `json:"enableTargetsToSelfAddAccess"`
	EnableTargetsToSelfUpdateAccess        bool         `json:"enableTargetsToSelfUpdateAccess"`
	EnableTargetsToSelfRemoveAccess        bool         `json:"enableTargetsToSelfRemoveAccess"`
	AllowCustomAssignmentSchedule          bool         `json:"allowCustomAssignmentSchedule"`
	EnableOnBehalfRequestorsToAddAccess    bool         `json:"enableOnBehalfRequestorsToAddAccess"`
	EnableOnBehalfRequestorsToUpdateAccess bool         `json:"enableOnBehalfRequestorsToUpdateAccess"`
	EnableOnBehalfRequestorsToRemoveAccess bool         `json:"enableOnBehalfRequestorsToRemoveAccess"`
	OnBehalfRequestors                     []SubjectSet `json:"onBehalfRequestors"`
}

// ApprovalSettings are the approval stages of requests.
type ApprovalSettings struct {
	IsApprovalRequiredForAdd         bool            `json:"isApprovalRequiredForAdd"`
	IsApprovalRequiredForUpdate      bool            `json:"isApprovalRequiredForUpdate"`
	IsRequestorJustificationRequired bool            `json:"isRequestorJustificationRequired"`
	Stages                           []ApprovalStage `json:"stages"`
}

// ApprovalStage is one accessPackageApprovalStage.
type ApprovalStage struct {
	DurationBeforeAutomaticDenial   string       `json:"durationBeforeAutomaticDenial"`
	IsApproverJustificationRequired bool         `json:"isApproverJustificationRequired"`
	IsEscalationEnabled             bool         `json:"isEscalationEnabled"`
	DurationBeforeEscalation        string       `json:"durationBeforeEscalation"`
	PrimaryApprovers                []SubjectSet `json:"primaryApprovers"`
	FallbackPrimaryApprovers        []SubjectSet `json:"fallbackPrimaryApprovers"`
	EscalationApprovers             []SubjectSet `json:"escalationApprovers"`
	FallbackEscalationApprovers     []SubjectSet `json:"fallbackEscalationApprovers"`
	ApproverInformationVisibility   string       `json:"approverInformationVisibility,omitempty"`
}

// ReviewSettings are the recurring access reviews of assignments.
type ReviewSettings struct {
	IsEnabled                       bool                           `json:"isEnabled"`
	ExpirationBehavior              string                         `json:"expirationBehavior"`
	IsRecommendationEnabled         bool                           `json:"isRecommendationEnabled"`
	IsReviewerJustificationRequired bool                           `json:"isReviewerJustificationRequired"`
	IsSelfReview                    bool                           `json:"isSelfReview"`
	PrimaryReviewers                []SubjectSet                   `json:"primaryReviewers"`
	FallbackReviewers               []SubjectSet                   `json:"fallbackReviewers"`
	Schedule                        *EntitlementManagementSchedule `json:"schedule"`
}

// EntitlementManagementSchedule is a start, a duration (as an expiration pattern) and a recurrence.
type EntitlementManagementSchedule struct {
	StartDateTime *string              `json:"startDateTime"`
	Expiration    *ExpirationPattern   `json:"expiration"`
	Recurrence    *PatternedRecurrence `json:"recurrence"`
}

// PatternedRecurrence is Graph's recurrence: a pattern and a range.
type PatternedRecurrence struct {
	Pattern RecurrencePattern `json:"pattern"`
	Range   RecurrenceRange   `json:"range"`
}

// RecurrencePattern is how often a review recurs. Graph wants the integers even when unused (0).
type RecurrencePattern struct {
	Type           string   `json:"type"`
	Interval       int      `json:"interval"`
	Month          int      `json:"month"`
	DayOfMonth     int      `json:"dayOfMonth"`
	DaysOfWeek     []string `json:"daysOfWeek"`
	FirstDayOfWeek string   `json:"firstDayOfWeek,omitempty"`
	Index          string   `json:"index,omitempty"`
}

// RecurrenceRange is how long a recurrence lasts.
type RecurrenceRange struct {
	Type                string `json:"type"`
	StartDate           string `json:"startDate,omitempty"`
	EndDate             string `json:"endDate,omitempty"`
	NumberOfOccurrences int    `json:"numberOfOccurrences"`
	RecurrenceTimeZone  string `json:"recurrenceTimeZone,omitempty"`
}

// AutomaticRequestSettings make a policy assign everyone who matches its targets.
type AutomaticRequestSettings struct {
	RequestAccessForAllowedTargets             bool    `json:"requestAccessForAllowedTargets"`
	RemoveAccessWhenTargetLeavesAllowedTargets bool    `json:"removeAccessWhenTargetLeavesAllowedTargets"`
	GracePeriodBeforeAccessRemoval             *string `json:"gracePeriodBeforeAccessRemoval"`
}

// NotificationSettings of a policy.
type NotificationSettings struct {
	IsAssignmentNotificationDisabled bool `json:"isAssignmentNotificationDisabled"`
}

// Question is a text-input or multiple-choice question asked of requestors. Type is the @odata.type leaf.
type Question struct {
	Type                       string         `json:"-"`
	ID                         string         `json:"id,omitempty"`
	Sequence                   int            `json:"sequence"`
	IsRequired                 bool           `json:"isRequired"`
	IsAnswerEditable           bool           `json:"isAnswerEditable"`
	Text                       string         `json:"text"`
	Localizations              []Localization `json:"localizations"`
	IsSingleLineQuestion       *bool          `json:"isSingleLineQuestion,omitempty"`
	RegexPattern               *string        `json:"regexPattern,omitempty"`
	IsMultipleSelectionAllowed *bool          `json:"isMultipleSelectionAllowed,omitempty"`
	Choices                    []AnswerChoice `json:"choices,omitempty"`
}

// Question types.
const (
	QuestionTextInput      = "accessPackageTextInputQuestion"
	QuestionMultipleChoice = "accessPackageMultipleChoiceQuestion"
)

// Localization is a text in another language.
type Localization struct {
	LanguageCode string `json:"languageCode"`
	Text         string `json:"text"`
}

// AnswerChoice is one choice of a multiple-choice question.
type AnswerChoice struct {
	ActualValue   string         `json:"actualValue"`
	Text          string         `json:"text"`
	Localizations []Localization `json:"localizations"`
}

// CustomExtensionStageSetting hooks a catalog custom extension into a stage of the request lifecycle.
type CustomExtensionStageSetting struct {
	ID              string      `json:"id,omitempty"`
	Stage           string      `json:"stage"`
	CustomExtension *TypedIDRef `json:"customExtension"`
}

// TypedIDRef is a reference with its @odata.type, as custom extensions need.
type TypedIDRef struct {
	Type string `json:"@odata.type,omitempty"`
	ID   string `json:"id"`
}

// policyExpand is what a policy read needs besides the plain object (spec 1.6: questions and stage
// settings are navigation properties, and the package is needed for import).
const policyExpand = "accessPackage,questions,customExtensionStageSettings($expand=customExtension)"

// CreateAssignmentPolicy creates a policy for a package; Graph answers 201 with the policy. Creates for
// one package are serialised in this process, and a 409 DuplicateKey caused by another process's
// parallel create is retried, so that for_each over many policies of one package works.
func (c *Client) CreateAssignmentPolicy(ctx context.Context, accessPackageID string, in AssignmentPolicy) (*AssignmentPolicy, error) {
	in.AccessPackage = &IDRef{ID: accessPackageID}
	in.ID, in.CreatedDateTime, in.ModifiedDateTime = "", "", ""
	unlock := c.parentLocks.lock("accessPackage/" + strings.ToLower(accessPackageID))
	defer unlock()
	var out AssignmentPolicy
	err := c.retryConflicts(ctx, func() error {
		return c.do(ctx, request{method: http.MethodPost, path: assignmentPoliciesPath, body: in}, &out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// GetAssignmentPolicy reads a policy with its package, questions and custom extension stages.
func (c *Client) GetAssignmentPolicy(ctx context.Context, id string) (*AssignmentPolicy, error) {
	var out AssignmentPolicy
	if bulkRead(ctx, c, bulkAssignmentPolicies, id, &out) && out.AccessPackage != nil {
		return &out, nil
	}
	out = AssignmentPolicy{}
	q := url.Values{"$expand": {policyExpand}}
	if err := c.do(ctx, request{method: http.MethodGet, path: assignmentPoliciesPath + "/" + url.PathEscape(id), query: q}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ReplaceAssignmentPolicy updates a policy with PUT of the whole object (Graph's only update method for
// policies); the package must be sent again.
func (c *Client) ReplaceAssignmentPolicy(ctx context.Context, id, accessPackageID string, in AssignmentPolicy) (*AssignmentPolicy, error) {
	in.AccessPackage = &IDRef{ID: accessPackageID}
	in.ID, in.CreatedDateTime, in.ModifiedDateTime = id, "", ""
	var out AssignmentPolicy
	if err := c.do(ctx, request{method: http.MethodPut, path: assignmentPoliciesPath + "/" + url.PathEscape(id), body: in}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteAssignmentPolicy deletes a policy; one that is already gone counts as deleted.
func (c *Client) DeleteAssignmentPolicy(ctx context.Context, id string) error {
	err := c.do(ctx, request{method: http.MethodDelete, path: assignmentPoliciesPath + "/" + url.PathEscape(id)}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// ListAssignmentPoliciesByName lists the policies named exactly name, optionally of one package.
//
// One package's policies are read with the package ($expand=assignmentPolicies, documented on
// https://learn.microsoft.com/en-us/graph/api/accesspackage-get?view=graph-rest-1.0), one request
// whatever the tenant holds. The tenant-wide list filtered by name would also return every other
// package's policy of that name ("Direct assignment" in each of a thousand packages), page after page on
// each look-up. A package that is gone (or not listed yet) has no policies to find.
func (c *Client) ListAssignmentPoliciesByName(ctx context.Context, accessPackageID, name string) ([]AssignmentPolicy, error) {
	var found []AssignmentPolicy
	if accessPackageID != "" {
		var pkg struct {
			AssignmentPolicies []AssignmentPolicy `json:"assignmentPolicies"`
		}
		err := c.do(ctx, request{method: http.MethodGet, path: accessPackagesPath + "/" + url.PathEscape(accessPackageID),
			query: url.Values{"$expand": {"assignmentPolicies"}}}, &pkg)
		if IsNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		found = pkg.AssignmentPolicies
		for i := range found {
			found[i].AccessPackage = &IDRef{ID: accessPackageID}
		}
	} else {
		q := url.Values{"$filter": {"displayName eq " + ODataString(name)}, "$expand": {"accessPackage"}}
		var err error
		if found, err = listAll[AssignmentPolicy](ctx, c, assignmentPoliciesPath, q); err != nil {
			return nil, err
		}
	}
	exact := found[:0]
	for _, p := range found {
		if p.DisplayName != name {
			continue
		}
		if accessPackageID != "" && (p.AccessPackage == nil || !strings.EqualFold(p.AccessPackage.ID, accessPackageID)) {
			continue
		}
		exact = append(exact, p)
	}
	return exact, nil
}

// MarshalJSON adds the question's @odata.type.
func (q Question) MarshalJSON() ([]byte, error) {
	type plain Question
	b, err := json.Marshal(plain(q))
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	m["@odata.type"] = graphTypePrefix + q.Type
	return json.Marshal(m)
}

// UnmarshalJSON reads the @odata.type into Type.
func (q *Question) UnmarshalJSON(b []byte) error {
	type plain Question
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	var t struct {
		Type string `json:"@odata.type"`
	}
	if err := json.Unmarshal(b, &t); err != nil {
		return err
	}
	*q = Question(p)
	q.Type = ODataTypeLeaf(t.Type)
	return nil
}

// Enumerations of the policy model, in Graph's camelCase: the members of the v1.0 metadata's enum types
// (schemas/v1.0-Prod.csdl of microsoftgraph/msgraph-metadata) other than unknownFutureValue. A member
// before unknownFutureValue (allDirectoryAgentIdentities) is returned even without the
// Prefer: include-unknown-enum-members header. Reads accept any value; only plans check these lists.
var (
	AllowedTargetScopes = []string{
		"notSpecified", "specificDirectoryUsers", "specificConnectedOrganizationUsers",
		"specificDirectoryServicePrincipals", "allMemberUsers", "allDirectoryUsers", "allDirectoryServicePrincipals",
		"allConfiguredConnectedOrganizationUsers", "allExternalUsers", "allDirectoryAgentIdentities",
	}
	ExpirationTypes                = []string{"notSpecified", "noExpiration", "afterDateTime", "afterDuration"}
	ApproverInformationVisibility  = []string{"default", "notVisible", "visible"}
	ReviewExpirationBehaviors      = []string{"keepAccess", "removeAccess", "acceptAccessRecommendation"}
	RecurrencePatternTypes         = []string{"daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly", "relativeYearly"}
	RecurrenceRangeTypes           = []string{"endDate", "noEnd", "numbered"}
	DaysOfWeek                     = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}
	WeekIndexes                    = []string{"first", "second", "third", "fourth", "last"}
	QuestionTypes                  = []string{QuestionTextInput, QuestionMultipleChoice}
	CustomExtensionRequestStages   = []string{"assignmentRequestCreated", "assignmentRequestApproved", "assignmentRequestGranted", "assignmentRequestRemoved"}
	CustomExtensionExpirationStage = []string{"assignmentFourteenDaysBeforeExpiration", "assignmentOneDayBeforeExpiration"}
)

// Custom extension types that pair with request stages and with expiration stages.
const (
	RequestWorkflowExtensionType    = "accessPackageAssignmentRequestWorkflowExtension"
	AssignmentWorkflowExtensionType = "accessPackageAssignmentWorkflowExtension"
)

// MaxApprovalStages is Graph's stage limit (spec 1.6, assumed 3).
const MaxApprovalStages = 3
