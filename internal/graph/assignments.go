package graph

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

const (
	assignmentRequestsPath = emPath + "/assignmentRequests"
	assignmentsPath        = emPath + "/assignments"
)

// AssignmentRequest is an accessPackageAssignmentRequest (spec 1.10).
type AssignmentRequest struct {
	ID                string                         `json:"id,omitempty"`
	RequestType       string                         `json:"requestType"`
	State             string                         `json:"state,omitempty"`
	Status            string                         `json:"status,omitempty"`
	Justification     string                         `json:"justification,omitempty"`
	Schedule          *EntitlementManagementSchedule `json:"schedule,omitempty"`
	CreatedDateTime   string                         `json:"createdDateTime,omitempty"`
	CompletedDateTime string                         `json:"completedDateTime,omitempty"`
}

// Request states that end a request.
var finalRequestStates = map[string]bool{
	"delivered": true, "deliveryFailed": true, "denied": true, "canceled": true, "partiallyDelivered": true,
}

// IsFinal reports whether the request has finished, successfully or not.
func (r *AssignmentRequest) IsFinal() bool { return finalRequestStates[r.State] }

// Assignment is an accessPackageAssignment: a user's access granted by a package through a policy.
type Assignment struct {
	ID               string                         `json:"id"`
	State            string                         `json:"state"`
	Status           string                         `json:"status"`
	Schedule         *EntitlementManagementSchedule `json:"schedule"`
	ExpiredDateTime  string                         `json:"expiredDateTime"`
	Target           *AccessPackageSubject          `json:"target"`
	AccessPackage    *IDRef                         `json:"accessPackage"`
	AssignmentPolicy *IDRef                         `json:"assignmentPolicy"`
}

// AccessPackageSubject is who an assignment is for.
type AccessPackageSubject struct {
	ID            string `json:"id"`
	ObjectID      string `json:"objectId"`
	DisplayName   string `json:"displayName"`
	Email         string `json:"email"`
	PrincipalName string `json:"principalName"`
	SubjectType   string `json:"subjectType"`
}

// AssignAccessPackage issues an adminAdd request for a user.
func (c *Client) AssignAccessPackage(ctx context.Context, targetID, accessPackageID, policyID, justification string, schedule *EntitlementManagementSchedule) (*AssignmentRequest, error) {
	body := map[string]any{
		"requestType": "adminAdd",
		"assignment":  map[string]string{"targetId": targetID, "assignmentPolicyId": policyID, "accessPackageId": accessPackageID},
	}
	return c.sendAdminAdd(ctx, body, justification, schedule)
}

// AssignAccessPackageByEmail issues an adminAdd request for someone who may not be in the directory
// yet, named by email (Example 5 of
// https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-post-assignmentrequests?view=graph-rest-1.0):
// Graph invites them, and the assignment is delivered once they redeem the invitation.
func (c *Client) AssignAccessPackageByEmail(ctx context.Context, email, accessPackageID, policyID, justification string, schedule *EntitlementManagementSchedule) (*AssignmentRequest, error) {
	body := map[string]any{
		"requestType": "adminAdd",
		"assignment": map[string]any{
			"target":             map[string]string{"email": email},
			"assignmentPolicyId": policyID,
			"accessPackageId":    accessPackageID,
		},
	}
	return c.sendAdminAdd(ctx, body, justification, schedule)
}

// sendAdminAdd sends an adminAdd request body with the optional justification and schedule.
func (c *Client) sendAdminAdd(ctx context.Context, body map[string]any, justification string, schedule *EntitlementManagementSchedule) (*AssignmentRequest, error) {
	if justification != "" {
		body["justification"] = justification
	}
	if schedule != nil {
		body["schedule"] = schedule
	}
	var out AssignmentRequest
	if err := c.do(ctx, request{method: http.MethodPost, path: assignmentRequestsPath, body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// RemoveAssignment issues an adminRemove request for an assignment.
func (c *Client) RemoveAssignment(ctx context.Context, assignmentID string) (*AssignmentRequest, error) {
	body := map[string]any{"requestType": "adminRemove", "assignment": map[string]string{"id": assignmentID}}
	var out AssignmentRequest
	if err := c.do(ctx, request{method: http.MethodPost, path: assignmentRequestsPath, body: body}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetAssignmentRequest reads a request.
func (c *Client) GetAssignmentRequest(ctx context.Context, id string) (*AssignmentRequest, error) {
	var out AssignmentRequest
	if err := c.do(ctx, request{method: http.MethodGet, path: assignmentRequestsPath + "/" + url.PathEscape(id)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetAssignmentRequestWithAssignment reads a request with the assignment it made ($expand=assignment,
// a navigation property of the v1.0 accessPackageAssignmentRequest), expanded with its target, package
// and policy; Assignment is nil until the request has made one.
func (c *Client) GetAssignmentRequestWithAssignment(ctx context.Context, id string) (*AssignmentRequest, *Assignment, error) {
	var out struct {
		AssignmentRequest
		Assignment *Assignment `json:"assignment"`
	}
	q := url.Values{"$expand": {requestAssignmentExpand}}
	if err := c.do(ctx, request{method: http.MethodGet, path: assignmentRequestsPath + "/" + url.PathEscape(id), query: q}, &out); err != nil {
		return nil, nil, err
	}
	if out.Assignment != nil && out.Assignment.ID == "" {
		out.Assignment = nil
	}
	return &out.AssignmentRequest, out.Assignment, nil
}

// WaitForRequestAssignment polls a request until it has made its assignment (which may still be
// delivering: one for a guest who has not redeemed an invitation yet) or has reached a final state. It
// returns the request and the assignment, nil when the request ended without one.
func (c *Client) WaitForRequestAssignment(ctx context.Context, id string) (*AssignmentRequest, *Assignment, error) {
	var last *AssignmentRequest
	var made *Assignment
	err := c.poll(ctx, "to make its assignment", c.consecutiveReads, func(ctx context.Context) (bool, error) {
		r, a, err := c.GetAssignmentRequestWithAssignment(ctx, id)
		if IsNotFound(err) {
			return false, nil // not replicated yet
		}
		if err != nil {
			return false, err
		}
		last, made = r, a
		return a != nil || r.IsFinal(), nil
	})
	if err != nil {
		if last != nil {
			return last, nil, fmt.Errorf("request %s is still %s: %w", id, last.State, err)
		}
		return nil, nil, err
	}
	return last, made, nil
}

// WaitForRequest polls a request until it reaches a final state and returns it. Assignment requests
// are processed asynchronously (spec 1.10).
func (c *Client) WaitForRequest(ctx context.Context, id string) (*AssignmentRequest, error) {
	var last *AssignmentRequest
	err := c.poll(ctx, "to be processed", c.consecutiveReads, func(ctx context.Context) (bool, error) {
		r, err := c.GetAssignmentRequest(ctx, id)
		if IsNotFound(err) {
			return false, nil // not replicated yet
		}
		if err != nil {
			return false, err
		}
		last = r
		return r.IsFinal(), nil
	})
	if err != nil {
		if last != nil {
			return last, fmt.Errorf("request %s is still %s: %w", id, last.State, err)
		}
		return nil, err
	}
	return last, nil
}

const assignmentExpand = "target,accessPackage,assignmentPolicy"

// requestAssignmentExpand is a request's assignment with what assignmentExpand expands.
const requestAssignmentExpand = "assignment($expand=target,accessPackage,assignmentPolicy)"

// GetAssignment reads an assignment with its target, package and policy.
func (c *Client) GetAssignment(ctx context.Context, id string) (*Assignment, error) {
	var out Assignment
	q := url.Values{"$expand": {assignmentExpand}}
	if err := c.do(ctx, request{method: http.MethodGet, path: assignmentsPath + "/" + url.PathEscape(id), query: q}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// AssignmentFilter selects assignments; empty fields are not filtered on.
type AssignmentFilter struct {
	AccessPackageID    string
	AssignmentPolicyID string
	TargetObjectID     string
	State              string
}

// ListAssignments lists the assignments that match every set field of f.
func (c *Client) ListAssignments(ctx context.Context, f AssignmentFilter) ([]Assignment, error) {
	var clauses []string
	for prop, v := range map[string]string{
		"accessPackage/id": f.AccessPackageID, "assignmentPolicy/id": f.AssignmentPolicyID,
		"target/objectId": f.TargetObjectID, "state": f.State,
	} {
		if v != "" {
			clauses = append(clauses, prop+" eq "+ODataString(v))
		}
	}
	q := url.Values{"$expand": {assignmentExpand}}
	if len(clauses) > 0 {
		slices.Sort(clauses)
		q.Set("$filter", strings.Join(clauses, " and "))
	}
	return listAll[Assignment](ctx, c, assignmentsPath, q)
}

// ReprocessAssignment reevaluates and enforces a delivered assignment: the access it grants is
// delivered again. Graph answers 202 with no body:
// https://learn.microsoft.com/graph/api/accesspackageassignment-reprocess?view=graph-rest-1.0.
func (c *Client) ReprocessAssignment(ctx context.Context, id string) error {
	return c.do(ctx, request{method: http.MethodPost, path: assignmentsPath + "/" + url.PathEscape(id) + "/reprocess"}, nil)
}
