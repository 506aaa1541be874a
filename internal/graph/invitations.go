package graph

import (
	"context"
	"net/http"
	"net/url"
)

const invitationsPath = "/invitations"

// Invitation is an invitation of an external user
// (https://learn.microsoft.com/graph/api/resources/invitation?view=graph-rest-1.0): what a caller sets
// and, in the answer, the redemption URL, the status and the invited user.
type Invitation struct {
	ID                      string                  `json:"id,omitempty"`
	InvitedUserEmailAddress string                  `json:"invitedUserEmailAddress"`
	InviteRedirectURL       string                  `json:"inviteRedirectUrl"`
	InvitedUserDisplayName  string                  `json:"invitedUserDisplayName,omitempty"`
	InvitedUserType         string                  `json:"invitedUserType,omitempty"`
	SendInvitationMessage   bool                    `json:"sendInvitationMessage"`
	ResetRedemption         bool                    `json:"resetRedemption,omitempty"`
	InvitedUserMessageInfo  *InvitedUserMessageInfo `json:"invitedUserMessageInfo,omitempty"`
	InviteRedeemURL         string                  `json:"inviteRedeemUrl,omitempty"`
	Status                  string                  `json:"status,omitempty"`
	InvitedUser             *IDRef                  `json:"invitedUser,omitempty"`
}

// InvitedUserMessageInfo customises the invitation email.
type InvitedUserMessageInfo struct {
	CustomizedMessageBody string      `json:"customizedMessageBody,omitempty"`
	MessageLanguage       string      `json:"messageLanguage,omitempty"`
	CCRecipients          []Recipient `json:"ccRecipients,omitempty"`
}

// Recipient is an email recipient.
type Recipient struct {
	EmailAddress EmailAddress `json:"emailAddress"`
}

// EmailAddress is a recipient's address and optional name.
type EmailAddress struct {
	Address string `json:"address"`
	Name    string `json:"name,omitempty"`
}

// MaxInvitationCCRecipients is the number of additional recipients an invitation message supports.
const MaxInvitationCCRecipients = 1

// InvitedUserTypes are the userType values an invitation accepts (Member needs an administrator).
var InvitedUserTypes = []string{"Guest", "Member"}

// CreateInvitation invites an external user: Graph creates the guest user (or finds the user the email
// already names), sends the email when SendInvitationMessage is set, and answers 201 with the invitation
// (https://learn.microsoft.com/graph/api/invitation-post?view=graph-rest-1.0). Not idempotent: each call
// is a new invitation, and a new email when one is sent.
func (c *Client) CreateInvitation(ctx context.Context, in Invitation) (*Invitation, error) {
	in.ID, in.InviteRedeemURL, in.Status, in.InvitedUser = "", "", "", nil
	var out Invitation
	if err := c.do(ctx, request{method: http.MethodPost, path: invitationsPath, body: in}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UserUpdate is the part of a user the invitation resource changes in place: the invited user's display
// name and user type (https://learn.microsoft.com/graph/api/user-update?view=graph-rest-1.0).
type UserUpdate struct {
	DisplayName string `json:"displayName,omitempty"`
	UserType    string `json:"userType,omitempty"`
}

// UpdateUser patches a user; Graph answers 204.
func (c *Client) UpdateUser(ctx context.Context, id string, in UserUpdate) error {
	return c.do(ctx, request{method: http.MethodPatch, path: "/users/" + url.PathEscape(id), body: in}, nil)
}

// DeleteUser deletes a user (https://learn.microsoft.com/graph/api/user-delete?view=graph-rest-1.0); one
// that is already gone counts as deleted.
func (c *Client) DeleteUser(ctx context.Context, id string) error {
	err := c.do(ctx, request{method: http.MethodDelete, path: "/users/" + url.PathEscape(id)}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}
