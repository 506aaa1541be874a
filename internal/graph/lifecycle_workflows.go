package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

const (
	lwPath               = "/identityGovernance/lifecycleWorkflows"
	workflowsPath        = lwPath + "/workflows"
	deletedWorkflowsPath = lwPath + "/deletedItems/workflows"
	lifecycleTypePrefix  = "#microsoft.graph.identityGovernance."
)

// MaxTasksPerWorkflow is Graph's task limit per workflow (spec 2.1).
const MaxTasksPerWorkflow = 25

// Workflow categories (spec 2.1; mover is an evolvable member, returned thanks to the Prefer header).
var WorkflowCategories = []string{"joiner", "leaver", "mover"}

// Execution condition, scope and trigger types: the @odata.type leaves of spec 2.1.
const (
	ConditionsTriggerAndScope = "triggerAndScopeBasedConditions"
	ConditionsOnDemandOnly    = "onDemandExecutionOnly"

	ScopeRuleBased  = "ruleBasedSubjectSet"
	ScopeGroupBased = "groupBasedSubjectSet"

	TriggerTimeBasedAttribute = "timeBasedAttributeTrigger"
	TriggerAttributeChange    = "attributeChangeTrigger"
	TriggerMembershipChange   = "membershipChangeTrigger"
	TriggerUserInactivity     = "userInactivityTrigger"
)

// Enumerations of workflow execution conditions (spec 2.1).
var (
	ExecutionConditionTypes = []string{ConditionsTriggerAndScope, ConditionsOnDemandOnly}
	WorkflowScopeTypes      = []string{ScopeRuleBased, ScopeGroupBased}
	WorkflowTriggerTypes    = []string{TriggerTimeBasedAttribute, TriggerAttributeChange, TriggerMembershipChange, TriggerUserInactivity}
	TimeBasedAttributes     = []string{"employeeHireDate", "employeeLeaveDateTime", "createdDateTime"}
	MembershipChangeTypes   = []string{"add", "remove"}
)

// Offset bounds of a time-based trigger (spec 2.1).
const (
	MinOffsetInDays = -180
	MaxOffsetInDays = 180
)

// WorkflowDefinition is what a caller sets on a workflow: the body of a create and of createNewVersion.
type WorkflowDefinition struct {
	Category            string               `json:"category"`
	DisplayName         string               `json:"displayName"`
	Description         string               `json:"description"`
	IsEnabled           bool                 `json:"isEnabled"`
	IsSchedulingEnabled bool                 `json:"isSchedulingEnabled"`
	ExecutionConditions *ExecutionConditions `json:"executionConditions"`
	Tasks               []WorkflowTask       `json:"tasks"`
}

// Workflow is a lifecycle workflow as Graph returns it (spec 2.1): the definition plus read-only fields.
type Workflow struct {
	WorkflowDefinition
	ID                      string  `json:"id"`
	Version                 int     `json:"version"`
	CreatedDateTime         string  `json:"createdDateTime"`
	LastModifiedDateTime    string  `json:"lastModifiedDateTime"`
	DeletedDateTime         *string `json:"deletedDateTime"`
	NextScheduleRunDateTime *string `json:"nextScheduleRunDateTime"`
}

// WorkflowVersion is one read-only earlier (or the current) version of a workflow.
type WorkflowVersion struct {
	VersionNumber        int                  `json:"versionNumber"`
	Category             string               `json:"category"`
	DisplayName          string               `json:"displayName"`
	Description          string               `json:"description"`
	IsEnabled            bool                 `json:"isEnabled"`
	IsSchedulingEnabled  bool                 `json:"isSchedulingEnabled"`
	ExecutionConditions  *ExecutionConditions `json:"executionConditions"`
	Tasks                []WorkflowTask       `json:"tasks"`
	CreatedDateTime      string               `json:"createdDateTime"`
	LastModifiedDateTime string               `json:"lastModifiedDateTime"`
}

// WorkflowTask is one task of a workflow (spec 2.2). ID, ExecutionSequence and Category are read-only
// and never sent (omitted when empty).
type WorkflowTask struct {
	ID                string         `json:"id,omitempty"`
	DisplayName       string         `json:"displayName"`
	Description       string         `json:"description"`
	TaskDefinitionID  string         `json:"taskDefinitionId"`
	Arguments         []KeyValuePair `json:"arguments"`
	IsEnabled         bool           `json:"isEnabled"`
	ContinueOnError   bool           `json:"continueOnError"`
	ExecutionSequence int            `json:"executionSequence,omitempty"`
	Category          string         `json:"category,omitempty"`
}

// KeyValuePair is a task argument; a multi-valued argument is one comma-separated value.
type KeyValuePair struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// WorkflowUpdate is the PATCH body of a workflow: the only four properties Graph lets PATCH change.
type WorkflowUpdate struct {
	DisplayName         *string `json:"displayName,omitempty"`
	Description         *string `json:"description,omitempty"`
	IsEnabled           *bool   `json:"isEnabled,omitempty"`
	IsSchedulingEnabled *bool   `json:"isSchedulingEnabled,omitempty"`
}

// WorkflowTaskUpdate is the PATCH body of a task: only displayName and description.
type WorkflowTaskUpdate struct {
	DisplayName *string `json:"displayName,omitempty"`
	Description *string `json:"description,omitempty"`
}

// ExecutionConditions say when a workflow runs and for whom. Type is the @odata.type leaf; Scope and
// Trigger are set for triggerAndScopeBasedConditions only.
type ExecutionConditions struct {
	Type    string
	Scope   *WorkflowScope
	Trigger *WorkflowTrigger
}

// WorkflowScope is the subject set a workflow runs for: a rule over user properties or groups.
type WorkflowScope struct {
	Type     string
	Rule     string
	GroupIDs []string
}

// WorkflowTrigger is what starts a workflow run. Only the fields of Type are sent.
type WorkflowTrigger struct {
	Type                   string
	TimeBasedAttribute     string
	OffsetInDays           int
	TriggerAttributes      []string
	ChangeType             string
	InactivityPeriodInDays int
}

// MarshalJSON writes the @odata.type and the fields of the type.
func (c ExecutionConditions) MarshalJSON() ([]byte, error) {
	m := map[string]any{"@odata.type": lifecycleTypePrefix + c.Type}
	if c.Type == ConditionsTriggerAndScope {
		m["scope"] = c.Scope
		m["trigger"] = c.Trigger
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads any execution conditions, with or without '#' on @odata.type.
func (c *ExecutionConditions) UnmarshalJSON(b []byte) error {
	var raw struct {
		Type    string           `json:"@odata.type"`
		Scope   *WorkflowScope   `json:"scope"`
		Trigger *WorkflowTrigger `json:"trigger"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*c = ExecutionConditions{Type: ODataTypeLeaf(raw.Type), Scope: raw.Scope, Trigger: raw.Trigger}
	return nil
}

// MarshalJSON writes the scope's @odata.type and its fields.
func (s WorkflowScope) MarshalJSON() ([]byte, error) {
	m := map[string]any{"@odata.type": lifecycleTypePrefix + s.Type}
	switch s.Type {
	case ScopeRuleBased:
		m["rule"] = s.Rule
	case ScopeGroupBased:
		groups := make([]map[string]string, 0, len(s.GroupIDs))
		for _, id := range s.GroupIDs {
			groups = append(groups, map[string]string{"id": id})
		}
		m["groups"] = groups
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads a rule- or group-based subject set.
func (s *WorkflowScope) UnmarshalJSON(b []byte) error {
	var raw struct {
		Type   string  `json:"@odata.type"`
		Rule   string  `json:"rule"`
		Groups []IDRef `json:"groups"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*s = WorkflowScope{Type: ODataTypeLeaf(raw.Type), Rule: raw.Rule}
	for _, g := range raw.Groups {
		s.GroupIDs = append(s.GroupIDs, g.ID)
	}
	return nil
}

type nameRef struct {
	Name string `json:"name"`
}

// MarshalJSON writes the trigger's @odata.type and the fields of its type only.
func (t WorkflowTrigger) MarshalJSON() ([]byte, error) {
	m := map[string]any{"@odata.type": lifecycleTypePrefix + t.Type}
	switch t.Type {
	case TriggerTimeBasedAttribute:
		m["timeBasedAttribute"] = t.TimeBasedAttribute
		m["offsetInDays"] = t.OffsetInDays
	case TriggerAttributeChange:
		attrs := make([]nameRef, 0, len(t.TriggerAttributes))
		for _, a := range t.TriggerAttributes {
			attrs = append(attrs, nameRef{Name: a})
		}
		m["triggerAttributes"] = attrs
	case TriggerMembershipChange:
		m["changeType"] = t.ChangeType
	case TriggerUserInactivity:
		m["inactivityPeriodInDays"] = t.InactivityPeriodInDays
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads any trigger; integers sent as strings are accepted.
func (t *WorkflowTrigger) UnmarshalJSON(b []byte) error {
	var raw struct {
		Type                   string          `json:"@odata.type"`
		TimeBasedAttribute     string          `json:"timeBasedAttribute"`
		OffsetInDays           json.RawMessage `json:"offsetInDays"`
		TriggerAttributes      []nameRef       `json:"triggerAttributes"`
		ChangeType             string          `json:"changeType"`
		InactivityPeriodInDays json.RawMessage `json:"inactivityPeriodInDays"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*t = WorkflowTrigger{Type: ODataTypeLeaf(raw.Type), TimeBasedAttribute: raw.TimeBasedAttribute, ChangeType: raw.ChangeType}
	for _, a := range raw.TriggerAttributes {
		t.TriggerAttributes = append(t.TriggerAttributes, a.Name)
	}
	var err error
	if t.OffsetInDays, err = optionalInt(raw.OffsetInDays); err != nil {
		return fmt.Errorf("offsetInDays: %w", err)
	}
	if t.InactivityPeriodInDays, err = optionalInt(raw.InactivityPeriodInDays); err != nil {
		return fmt.Errorf("inactivityPeriodInDays: %w", err)
	}
	return nil
}

func optionalInt(raw json.RawMessage) (int, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	return flexibleInt(raw)
}

func workflowPath(id string) string { return workflowsPath + "/" + url.PathEscape(id) }

// normalise makes the lists Graph requires present even when empty.
func (d WorkflowDefinition) normalise() WorkflowDefinition {
	tasks := make([]WorkflowTask, len(d.Tasks))
	for i, t := range d.Tasks {
		t.ID, t.ExecutionSequence, t.Category = "", 0, ""
		if t.Arguments == nil {
			t.Arguments = []KeyValuePair{}
		}
		tasks[i] = t
	}
	d.Tasks = tasks
	return d
}

// CreateWorkflow creates a workflow; Graph answers 201 with it (tasks with ids and sequence numbers).
func (c *Client) CreateWorkflow(ctx context.Context, in WorkflowDefinition) (*Workflow, error) {
	var out Workflow
	if err := c.do(ctx, request{method: http.MethodPost, path: workflowsPath, body: in.normalise()}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetWorkflow reads a workflow; its tasks come expanded by default (spec 2, checklist 6).
func (c *Client) GetWorkflow(ctx context.Context, id string) (*Workflow, error) {
	var out Workflow
	if err := c.do(ctx, request{method: http.MethodGet, path: workflowPath(id)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateWorkflow patches the four patchable properties; Graph answers 204.
func (c *Client) UpdateWorkflow(ctx context.Context, id string, in WorkflowUpdate) error {
	return c.do(ctx, request{method: http.MethodPatch, path: workflowPath(id), body: in}, nil)
}

// UpdateWorkflowTask patches a task's display name and description; Graph answers 204.
func (c *Client) UpdateWorkflowTask(ctx context.Context, workflowID, taskID string, in WorkflowTaskUpdate) error {
	p := workflowPath(workflowID) + "/tasks/" + url.PathEscape(taskID)
	return c.do(ctx, request{method: http.MethodPatch, path: p, body: in}, nil)
}

// CreateNewWorkflowVersion replaces the definition of a workflow with a new version (same id, version
// + 1). The documented replies disagree on their shape (spec 7), so the new version is read with a GET.
//
// fromVersion is the workflow's version before the request (0 when unknown). An answer lost after Graph
// applied the request is settled by reading the workflow: a version past fromVersion means it applied.
// When the version does not move within the consistency window, the request is sent once more.
func (c *Client) CreateNewWorkflowVersion(ctx context.Context, id string, fromVersion int, in WorkflowDefinition) (*Workflow, error) {
	body := map[string]any{"workflow": in.normalise()}
	err := c.do(ctx, request{method: http.MethodPost, path: workflowPath(id) + "/createNewVersion", body: body}, nil)
	if IsAmbiguous(err) && fromVersion > 0 {
		var current *Workflow
		waitErr := c.poll(ctx, "to show its new version", c.consecutiveReads, func(ctx context.Context) (bool, error) {
			w, err := c.GetWorkflow(ctx, id)
			if err != nil {
				return false, err
			}
			current = w
			return w.Version > fromVersion, nil
		})
		switch {
		case waitErr == nil:
			return current, nil
		case current != nil && current.Version == fromVersion:
			err = c.do(ctx, request{method: http.MethodPost, path: workflowPath(id) + "/createNewVersion", body: body}, nil)
		}
	}
	if err != nil {
		return nil, err
	}
	return c.GetWorkflow(ctx, id)
}

// DeleteWorkflow soft-deletes a workflow: it moves to deletedItems, restorable for 30 days. A workflow
// that is already gone counts as deleted.
func (c *Client) DeleteWorkflow(ctx context.Context, id string) error {
	err := c.do(ctx, request{method: http.MethodDelete, path: workflowPath(id)}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// GetDeletedWorkflow reads a soft-deleted workflow from deletedItems.
func (c *Client) GetDeletedWorkflow(ctx context.Context, id string) (*Workflow, error) {
	var out Workflow
	if err := c.do(ctx, request{method: http.MethodGet, path: deletedWorkflowsPath + "/" + url.PathEscape(id)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// RestoreDeletedWorkflow brings a soft-deleted workflow back.
func (c *Client) RestoreDeletedWorkflow(ctx context.Context, id string) error {
	return c.do(ctx, request{method: http.MethodPost, path: deletedWorkflowsPath + "/" + url.PathEscape(id) + "/restore"}, nil)
}

// PermanentlyDeleteWorkflow deletes a soft-deleted workflow for good. One already gone counts as deleted.
func (c *Client) PermanentlyDeleteWorkflow(ctx context.Context, id string) error {
	err := c.do(ctx, request{method: http.MethodDelete, path: deletedWorkflowsPath + "/" + url.PathEscape(id)}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// ListWorkflowVersions lists the versions of a workflow.
func (c *Client) ListWorkflowVersions(ctx context.Context, id string) ([]WorkflowVersion, error) {
	return listAll[WorkflowVersion](ctx, c, workflowPath(id)+"/versions", nil)
}

// ListWorkflowsByName returns the workflows whose display name equals name exactly.
func (c *Client) ListWorkflowsByName(ctx context.Context, name string) ([]Workflow, error) {
	q := url.Values{"$filter": {"displayName eq " + ODataString(name)}}
	found, err := listAll[Workflow](ctx, c, workflowsPath, q)
	if err != nil {
		return nil, err
	}
	exact := found[:0]
	for _, w := range found {
		if w.DisplayName == name {
			exact = append(exact, w)
		}
	}
	return exact, nil
}

// ActivateWorkflow runs a workflow on demand for the users (spec 2; Graph answers 204):
// https://learn.microsoft.com/graph/api/identitygovernance-workflow-activate?view=graph-rest-1.0.
// The tasks run whether or not the users match the workflow's scope and trigger.
func (c *Client) ActivateWorkflow(ctx context.Context, id string, userIDs []string) error {
	subjects := make([]IDRef, len(userIDs))
	for i, u := range userIDs {
		subjects[i] = IDRef{ID: u}
	}
	body := map[string]any{"subjects": subjects}
	return c.do(ctx, request{method: http.MethodPost, path: workflowPath(id) + "/microsoft.graph.identityGovernance.activate", body: body}, nil)
}

// UserProcessingResult is the outcome of a workflow for one user in one run.
type UserProcessingResult struct {
	ID                    string `json:"id"`
	ProcessingStatus      string `json:"processingStatus"`
	WorkflowExecutionType string `json:"workflowExecutionType"`
	WorkflowVersion       int    `json:"workflowVersion"`
	Subject               IDRef  `json:"subject"`
	CompletedDateTime     string `json:"completedDateTime"`
}

// ListWorkflowUserProcessingResults lists the per-user results of a workflow's runs.
func (c *Client) ListWorkflowUserProcessingResults(ctx context.Context, id string) ([]UserProcessingResult, error) {
	return listAll[UserProcessingResult](ctx, c, workflowPath(id)+"/userProcessingResults", nil)
}
