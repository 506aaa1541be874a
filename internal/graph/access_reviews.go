package graph

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
)

// Access review schedule definitions
// (https://learn.microsoft.com/en-us/graph/api/resources/accessreviewscheduledefinition?view=graph-rest-1.0).
const accessReviewDefinitionsPath = "/identityGovernance/accessReviews/definitions"

// AccessReviewDefinition is an accessReviewScheduleDefinition as created (POST), replaced (PUT) and read.
// The read-only properties are cleared before a write.
type AccessReviewDefinition struct {
	ID                               string                        `json:"id,omitempty"`
	DisplayName                      string                        `json:"displayName"`
	DescriptionForAdmins             *string                       `json:"descriptionForAdmins,omitempty"`
	DescriptionForReviewers          *string                       `json:"descriptionForReviewers,omitempty"`
	Scope                            *AccessReviewScope            `json:"scope,omitempty"`
	InstanceEnumerationScope         *AccessReviewScope            `json:"instanceEnumerationScope,omitempty"`
	Reviewers                        []AccessReviewReviewerScope   `json:"reviewers"`
	FallbackReviewers                []AccessReviewReviewerScope   `json:"fallbackReviewers"`
	AdditionalNotificationRecipients []AccessReviewRecipient       `json:"additionalNotificationRecipients,omitempty"`
	Settings                         *AccessReviewScheduleSettings `json:"settings,omitempty"`
	StageSettings                    []AccessReviewStageSettings   `json:"stageSettings,omitempty"`
	Status                           string                        `json:"status,omitempty"`
	CreatedDateTime                  string                        `json:"createdDateTime,omitempty"`
	LastModifiedDateTime             string                        `json:"lastModifiedDateTime,omitempty"`
	CreatedBy                        *UserIdentity                 `json:"createdBy,omitempty"`
}

// UserIdentity is who created a definition (userIdentity).
type UserIdentity struct {
	ID                string `json:"id,omitempty"`
	DisplayName       string `json:"displayName,omitempty"`
	UserPrincipalName string `json:"userPrincipalName,omitempty"`
}

// Access review scope types (the @odata.type leaves of accessReviewScope's members in v1.0).
const (
	AccessReviewQueryScope         = "accessReviewQueryScope"
	AccessReviewInactiveUsersScope = "accessReviewInactiveUsersQueryScope"
	PrincipalResourceMemberships   = "principalResourceMembershipsScope"
	NotificationRecipientQuery     = "accessReviewNotificationRecipientQueryScope"
	RemoveAccessApplyAction        = "removeAccessApplyAction"
	DisableAndDeleteUserAction     = "disableAndDeleteUserApplyAction"
	UserLastSignInInsight          = "userLastSignInRecommendationInsightSetting"
	GroupPeerOutlierInsight        = "groupPeerOutlierRecommendationInsightSettings"
)

// AccessReviewScopeTypes, AccessReviewActionTypes and AccessReviewInsightTypes are the members of
// accessReviewScope, accessReviewApplyAction and accessReviewRecommendationInsightSetting in v1.0.
var (
	AccessReviewScopeTypes   = []string{AccessReviewQueryScope, AccessReviewInactiveUsersScope, PrincipalResourceMemberships}
	AccessReviewActionTypes  = []string{RemoveAccessApplyAction, DisableAndDeleteUserAction}
	AccessReviewInsightTypes = []string{UserLastSignInInsight, GroupPeerOutlierInsight}
)

// AccessReviewScope is one member of the polymorphic accessReviewScope: Type is the @odata.type leaf,
// and only the fields of that type are sent.
type AccessReviewScope struct {
	Type             string
	Query            string
	QueryType        string
	QueryRoot        string
	InactiveDuration string
	PrincipalScopes  []AccessReviewScope
	ResourceScopes   []AccessReviewScope
}

// MarshalJSON writes the @odata.type and the fields of the scope's type.
func (s AccessReviewScope) MarshalJSON() ([]byte, error) {
	m := map[string]any{"@odata.type": graphTypePrefix + s.Type}
	if s.Type == PrincipalResourceMemberships {
		m["principalScopes"], m["resourceScopes"] = nonNilScopes(s.PrincipalScopes), nonNilScopes(s.ResourceScopes)
		return json.Marshal(m)
	}
	m["query"] = s.Query
	if s.QueryType != "" {
		m["queryType"] = s.QueryType
	}
	if s.QueryRoot != "" {
		m["queryRoot"] = s.QueryRoot
	}
	if s.Type == AccessReviewInactiveUsersScope && s.InactiveDuration != "" {
		m["inactiveDuration"] = s.InactiveDuration
	}
	return json.Marshal(m)
}

func nonNilScopes(l []AccessReviewScope) []AccessReviewScope {
	if l == nil {
		return []AccessReviewScope{}
	}
	return l
}

// UnmarshalJSON reads any scope; a scope answered without @odata.type is a query scope (the type
// accessReviewQueryScope's page recommends sending but the guest tutorial leaves out).
func (s *AccessReviewScope) UnmarshalJSON(b []byte) error {
	var raw struct {
		Type             string              `json:"@odata.type"`
		Query            string              `json:"query"`
		QueryType        string              `json:"queryType"`
		QueryRoot        string              `json:"queryRoot"`
		InactiveDuration string              `json:"inactiveDuration"`
		PrincipalScopes  []AccessReviewScope `json:"principalScopes"`
		ResourceScopes   []AccessReviewScope `json:"resourceScopes"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	t := ODataTypeLeaf(raw.Type)
	if t == "" {
		t = AccessReviewQueryScope
	}
	*s = AccessReviewScope{Type: t, Query: raw.Query, QueryType: raw.QueryType, QueryRoot: raw.QueryRoot,
		InactiveDuration: raw.InactiveDuration, PrincipalScopes: raw.PrincipalScopes, ResourceScopes: raw.ResourceScopes}
	return nil
}

// AccessReviewReviewerScope names reviewers by a query (accessReviewReviewerScope).
type AccessReviewReviewerScope struct {
	Query     string `json:"query"`
	QueryType string `json:"queryType,omitempty"`
	QueryRoot string `json:"queryRoot,omitempty"`
}

// AccessReviewRecipient is an accessReviewNotificationRecipientItem.
type AccessReviewRecipient struct {
	NotificationTemplateType   string                     `json:"notificationTemplateType,omitempty"`
	NotificationRecipientScope AccessReviewRecipientScope `json:"notificationRecipientScope"`
}

// AccessReviewRecipientScope is an accessReviewNotificationRecipientQueryScope, the one member of
// accessReviewNotificationRecipientScope.
type AccessReviewRecipientScope struct {
	Query     string
	QueryType string
	QueryRoot string
}

// MarshalJSON writes the scope with its @odata.type.
func (s AccessReviewRecipientScope) MarshalJSON() ([]byte, error) {
	m := map[string]any{"@odata.type": graphTypePrefix + NotificationRecipientQuery, "query": s.Query}
	if s.QueryType != "" {
		m["queryType"] = s.QueryType
	}
	if s.QueryRoot != "" {
		m["queryRoot"] = s.QueryRoot
	}
	return json.Marshal(m)
}

// AccessReviewScheduleSettings are a definition's settings (accessReviewScheduleSettings). Pointers
// are left out of a write when the configuration leaves them to Graph.
type AccessReviewScheduleSettings struct {
	MailNotificationsEnabled             *bool                   `json:"mailNotificationsEnabled,omitempty"`
	ReminderNotificationsEnabled         *bool                   `json:"reminderNotificationsEnabled,omitempty"`
	JustificationRequiredOnApproval      *bool                   `json:"justificationRequiredOnApproval,omitempty"`
	DefaultDecisionEnabled               *bool                   `json:"defaultDecisionEnabled,omitempty"`
	DefaultDecision                      string                  `json:"defaultDecision,omitempty"`
	InstanceDurationInDays               *int64                  `json:"instanceDurationInDays,omitempty"`
	AutoApplyDecisionsEnabled            *bool                   `json:"autoApplyDecisionsEnabled,omitempty"`
	RecommendationsEnabled               *bool                   `json:"recommendationsEnabled,omitempty"`
	DecisionHistoriesForReviewersEnabled *bool                   `json:"decisionHistoriesForReviewersEnabled,omitempty"`
	RecommendationLookBackDuration       string                  `json:"recommendationLookBackDuration,omitempty"`
	RecommendationInsightSettings        []AccessReviewInsight   `json:"recommendationInsightSettings,omitempty"`
	ApplyActions                         []AccessReviewAction    `json:"applyActions,omitempty"`
	Recurrence                           *AccessReviewRecurrence `json:"recurrence,omitempty"`
}

// AccessReviewStageSettings is one stage of a multi-stage review (accessReviewStageSettings).
type AccessReviewStageSettings struct {
	StageID                          string                      `json:"stageId"`
	DependsOn                        []string                    `json:"dependsOn"`
	DurationInDays                   int64                       `json:"durationInDays"`
	RecommendationsEnabled           bool                        `json:"recommendationsEnabled"`
	DecisionsThatWillMoveToNextStage []string                    `json:"decisionsThatWillMoveToNextStage"`
	Reviewers                        []AccessReviewReviewerScope `json:"reviewers"`
	FallbackReviewers                []AccessReviewReviewerScope `json:"fallbackReviewers"`
	RecommendationInsightSettings    []AccessReviewInsight       `json:"recommendationInsightSettings,omitempty"`
}

// AccessReviewStageDecisions are the decisions a stage can pass to the next
// (https://learn.microsoft.com/en-us/graph/api/resources/accessreviewstagesettings?view=graph-rest-1.0).
var AccessReviewStageDecisions = []string{"Approve", "Deny", "Recommendation", "NotReviewed"}

// AccessReviewAction is an accessReviewApplyAction member; Type is its @odata.type leaf.
type AccessReviewAction struct {
	Type string
}

// MarshalJSON writes the @odata.type only (neither member has properties).
func (a AccessReviewAction) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{"@odata.type": graphTypePrefix + a.Type})
}

// UnmarshalJSON reads the @odata.type.
func (a *AccessReviewAction) UnmarshalJSON(b []byte) error {
	var raw struct {
		Type string `json:"@odata.type"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	a.Type = ODataTypeLeaf(raw.Type)
	return nil
}

// AccessReviewInsight is an accessReviewRecommendationInsightSetting member.
type AccessReviewInsight struct {
	Type                           string
	RecommendationLookBackDuration string
	SignInScope                    string
}

// MarshalJSON writes the @odata.type and, for the last sign-in insight, its two properties.
func (i AccessReviewInsight) MarshalJSON() ([]byte, error) {
	m := map[string]any{"@odata.type": graphTypePrefix + i.Type}
	if i.Type == UserLastSignInInsight {
		if i.RecommendationLookBackDuration != "" {
			m["recommendationLookBackDuration"] = i.RecommendationLookBackDuration
		}
		if i.SignInScope != "" {
			m["signInScope"] = i.SignInScope
		}
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads any insight setting.
func (i *AccessReviewInsight) UnmarshalJSON(b []byte) error {
	var raw struct {
		Type                           string `json:"@odata.type"`
		RecommendationLookBackDuration string `json:"recommendationLookBackDuration"`
		SignInScope                    string `json:"signInScope"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*i = AccessReviewInsight{Type: ODataTypeLeaf(raw.Type), RecommendationLookBackDuration: raw.RecommendationLookBackDuration, SignInScope: raw.SignInScope}
	return nil
}

// AccessReviewRecurrence is a patternedRecurrence of a review series; a nil Pattern is a one-time
// review (the get page's answer). Access reviews use the pattern's type, interval and dayOfMonth
// (https://learn.microsoft.com/en-us/graph/api/resources/accessreviewschedulesettings?view=graph-rest-1.0).
type AccessReviewRecurrence struct {
	Pattern *RecurrencePattern `json:"pattern"`
	Range   *RecurrenceRange   `json:"range,omitempty"`
}

func accessReviewDefinitionPath(id string) string {
	return accessReviewDefinitionsPath + "/" + url.PathEscape(id)
}

// CreateAccessReviewDefinition creates a definition; Graph answers 201 with it
// (https://learn.microsoft.com/en-us/graph/api/accessreviewset-post-definitions?view=graph-rest-1.0).
func (c *Client) CreateAccessReviewDefinition(ctx context.Context, in AccessReviewDefinition) (*AccessReviewDefinition, error) {
	in = writable(in)
	var out AccessReviewDefinition
	if err := c.do(ctx, request{method: http.MethodPost, path: accessReviewDefinitionsPath, body: in}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetAccessReviewDefinition reads one definition.
func (c *Client) GetAccessReviewDefinition(ctx context.Context, id string) (*AccessReviewDefinition, error) {
	if id == "" {
		return nil, ErrEmptyID
	}
	var out AccessReviewDefinition
	if err := c.do(ctx, request{method: http.MethodGet, path: accessReviewDefinitionPath(id)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ReplaceAccessReviewDefinition sends the whole object with PUT; Graph answers 204
// (https://learn.microsoft.com/en-us/graph/api/accessreviewscheduledefinition-update?view=graph-rest-1.0).
func (c *Client) ReplaceAccessReviewDefinition(ctx context.Context, id string, in AccessReviewDefinition) error {
	if id == "" {
		return ErrEmptyID
	}
	in = writable(in)
	in.ID = id // the update page's example sends the id in the body
	return c.do(ctx, request{method: http.MethodPut, path: accessReviewDefinitionPath(id), body: in}, nil)
}

// DeleteAccessReviewDefinition deletes one; one already gone counts as deleted.
func (c *Client) DeleteAccessReviewDefinition(ctx context.Context, id string) error {
	if id == "" {
		return ErrEmptyID
	}
	err := c.do(ctx, request{method: http.MethodDelete, path: accessReviewDefinitionPath(id)}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// ListAccessReviewDefinitions returns every definition, following paging.
func (c *Client) ListAccessReviewDefinitions(ctx context.Context) ([]AccessReviewDefinition, error) {
	return listAll[AccessReviewDefinition](ctx, c, accessReviewDefinitionsPath, nil)
}

// ListAccessReviewDefinitionsByName returns those named exactly name. The list page documents $filter
// on the scope and the status only, so the names are compared here.
func (c *Client) ListAccessReviewDefinitionsByName(ctx context.Context, name string) ([]AccessReviewDefinition, error) {
	all, err := c.ListAccessReviewDefinitions(ctx)
	if err != nil {
		return nil, err
	}
	var out []AccessReviewDefinition
	for _, d := range all {
		if d.DisplayName == name {
			out = append(out, d)
		}
	}
	return out, nil
}

// writable clears the read-only properties.
func writable(in AccessReviewDefinition) AccessReviewDefinition {
	in.ID, in.Status, in.CreatedDateTime, in.LastModifiedDateTime, in.CreatedBy = "", "", "", "", nil
	if in.Reviewers == nil {
		in.Reviewers = []AccessReviewReviewerScope{}
	}
	return in
}

// WalkAccessReviewDefinitions yields the definitions that match every clause; the list page documents
// $filter on status (eq) and on the scope's query (contains)
// (https://learn.microsoft.com/en-us/graph/api/accessreviewset-list-definitions?view=graph-rest-1.0).
func (c *Client) WalkAccessReviewDefinitions(ctx context.Context, eqs ...Eq) iter.Seq2[AccessReviewDefinition, error] {
	return walk[AccessReviewDefinition](ctx, c, accessReviewDefinitionsPath, filterQuery(eqs))
}
