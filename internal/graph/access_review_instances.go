package graph

import (
	"context"
	"net/http"
	"net/url"
)

// Access review instances and their decision items
// (https://learn.microsoft.com/en-us/graph/api/resources/accessreviewinstance?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/resources/accessreviewinstancedecisionitem?view=graph-rest-1.0).

// AccessReviewInstance is one occurrence of a definition (read-only).
type AccessReviewInstance struct {
	ID            string             `json:"id"`
	StartDateTime string             `json:"startDateTime"`
	EndDateTime   string             `json:"endDateTime"`
	Status        string             `json:"status"`
	Scope         *AccessReviewScope `json:"scope,omitempty"`
}

// AccessReviewDecision is a decision item of an instance: one principal's access under review.
type AccessReviewDecision struct {
	ID               string                 `json:"id"`
	AccessReviewID   string                 `json:"accessReviewId"`
	Decision         string                 `json:"decision"`
	Justification    string                 `json:"justification"`
	ApplyResult      string                 `json:"applyResult"`
	Recommendation   string                 `json:"recommendation"`
	ReviewedDateTime string                 `json:"reviewedDateTime"`
	AppliedDateTime  string                 `json:"appliedDateTime"`
	Principal        *AccessReviewPrincipal `json:"principal,omitempty"`
	ReviewedBy       *UserIdentity          `json:"reviewedBy,omitempty"`
}

// AccessReviewPrincipal is who a decision is about (an identity: userIdentity or servicePrincipalIdentity).
type AccessReviewPrincipal struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
}

// Access review decisions a reviewer records (accessReviewInstanceDecisionItem.decision).
var AccessReviewDecisions = []string{"Approve", "Deny", "NotReviewed", "DontKnow"}

func accessReviewInstancesPath(definitionID string) string {
	return accessReviewDefinitionPath(definitionID) + "/instances"
}

// ListAccessReviewInstances returns a definition's instances, following paging
// (https://learn.microsoft.com/en-us/graph/api/accessreviewscheduledefinition-list-instances?view=graph-rest-1.0).
func (c *Client) ListAccessReviewInstances(ctx context.Context, definitionID string) ([]AccessReviewInstance, error) {
	if definitionID == "" {
		return nil, ErrEmptyID
	}
	return listAll[AccessReviewInstance](ctx, c, accessReviewInstancesPath(definitionID), nil)
}

// ListAccessReviewDecisions returns an instance's decision items, following paging
// (https://learn.microsoft.com/en-us/graph/api/accessreviewinstance-list-decisions?view=graph-rest-1.0).
func (c *Client) ListAccessReviewDecisions(ctx context.Context, definitionID, instanceID string) ([]AccessReviewDecision, error) {
	if definitionID == "" || instanceID == "" {
		return nil, ErrEmptyID
	}
	return listAll[AccessReviewDecision](ctx, c, accessReviewInstancesPath(definitionID)+"/"+url.PathEscape(instanceID)+"/decisions", nil)
}

// AccessReviewDecisionUpdate is the body of a decision's PATCH.
type AccessReviewDecisionUpdate struct {
	Decision      string `json:"decision"`
	Justification string `json:"justification,omitempty"`
}

// RecordAccessReviewDecision records a decision with its justification; Graph answers 204
// (https://learn.microsoft.com/en-us/graph/api/accessreviewinstancedecisionitem-update?view=graph-rest-1.0).
// Recording the same decision again changes nothing, so a retried PATCH is harmless.
func (c *Client) RecordAccessReviewDecision(ctx context.Context, definitionID, instanceID, decisionID, decision, justification string) error {
	if definitionID == "" || instanceID == "" || decisionID == "" {
		return ErrEmptyID
	}
	path := accessReviewInstancesPath(definitionID) + "/" + url.PathEscape(instanceID) + "/decisions/" + url.PathEscape(decisionID)
	return c.do(ctx, request{method: http.MethodPatch, path: path, body: AccessReviewDecisionUpdate{Decision: decision, Justification: justification}}, nil)
}

func accessReviewInstancePath(definitionID, instanceID string) string {
	return accessReviewInstancesPath(definitionID) + "/" + url.PathEscape(instanceID)
}

// GetAccessReviewInstance reads one instance
// (https://learn.microsoft.com/en-us/graph/api/accessreviewinstance-get?view=graph-rest-1.0).
func (c *Client) GetAccessReviewInstance(ctx context.Context, definitionID, instanceID string) (*AccessReviewInstance, error) {
	if definitionID == "" || instanceID == "" {
		return nil, ErrEmptyID
	}
	var out AccessReviewInstance
	if err := c.do(ctx, request{method: http.MethodGet, path: accessReviewInstancePath(definitionID, instanceID)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetAccessReviewDecision reads one decision item
// (https://learn.microsoft.com/en-us/graph/api/accessreviewinstancedecisionitem-get?view=graph-rest-1.0).
func (c *Client) GetAccessReviewDecision(ctx context.Context, definitionID, instanceID, decisionID string) (*AccessReviewDecision, error) {
	if definitionID == "" || instanceID == "" || decisionID == "" {
		return nil, ErrEmptyID
	}
	var out AccessReviewDecision
	path := accessReviewInstancePath(definitionID, instanceID) + "/decisions/" + url.PathEscape(decisionID)
	if err := c.do(ctx, request{method: http.MethodGet, path: path}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// StopAccessReviewInstance ends an instance in progress; Graph answers 204
// (https://learn.microsoft.com/en-us/graph/api/accessreviewinstance-stop?view=graph-rest-1.0).
func (c *Client) StopAccessReviewInstance(ctx context.Context, definitionID, instanceID string) error {
	if definitionID == "" || instanceID == "" {
		return ErrEmptyID
	}
	return c.do(ctx, request{method: http.MethodPost, path: accessReviewInstancePath(definitionID, instanceID) + "/stop"}, nil)
}

// ApplyAccessReviewDecisions applies a completed instance's decisions; Graph answers 204
// (https://learn.microsoft.com/en-us/graph/api/accessreviewinstance-applydecisions?view=graph-rest-1.0).
func (c *Client) ApplyAccessReviewDecisions(ctx context.Context, definitionID, instanceID string) error {
	if definitionID == "" || instanceID == "" {
		return ErrEmptyID
	}
	return c.do(ctx, request{method: http.MethodPost, path: accessReviewInstancePath(definitionID, instanceID) + "/applyDecisions"}, nil)
}
