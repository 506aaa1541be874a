package directory

import (
	"errors"
	"net/http"
	"net/mail"
	"net/url"
	"strings"

	"github.com/google/uuid"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Invitations add external users to the tenant: POST /invitations creates a guest user
// (userType Guest, externalUserState PendingAcceptance) and answers the invitation
// (https://learn.microsoft.com/graph/api/invitation-post?view=graph-rest-1.0,
// https://learn.microsoft.com/graph/api/resources/invitation?view=graph-rest-1.0).
// Invitations are not stored: Graph has no GET of an invitation.

// invitationPermission is the least-privileged User.Invite.All and the higher
// User.ReadWrite.All and Directory.ReadWrite.All of the reference page.
var invitationPermission = route.Permission{AnyOf: []string{"User.Invite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"}, Denied: denied}

// invitedUserTypes are the userType values an invitation accepts; Guest is the default.
var invitedUserTypes = []string{"Guest", "Member"}

// maxCCRecipients is the one additional recipient invitedUserMessageInfo supports.
const maxCCRecipients = 1

func (s *API) invitationRoutes(t *route.Table) {
	t.Add(route.Graph, func(string) route.Permission { return invitationPermission }, v1+"/invitations",
		map[string]route.Handler{http.MethodPost: s.createInvitation})
}

// invitation is a validated invitation request.
type invitation struct {
	email, redirect, userType string
	displayName, messageInfo  any
	send, resetRedemption     bool
}

func parseInvitation(body map[string]any) (*invitation, error) {
	o, _ := wire.NewObject("", "invitation", body)
	o.Ignore("inviteRedeemUrl", "status", "invitedUser", "id")
	in := &invitation{}
	var err error
	if in.email, _, err = o.Str("invitedUserEmailAddress", true, true); err != nil {
		return nil, err
	}
	if a, perr := mail.ParseAddress(in.email); perr != nil || a.Address != in.email || a.Name != "" {
		return nil, wire.PathError("invitedUserEmailAddress", "'%s' is not a valid email address.", in.email)
	}
	if in.redirect, _, err = o.Str("inviteRedirectUrl", true, true); err != nil {
		return nil, err
	}
	if u, perr := url.Parse(in.redirect); perr != nil || !u.IsAbs() || u.Host == "" {
		return nil, wire.PathError("inviteRedirectUrl", "'%s' is not an absolute URL.", in.redirect)
	}
	if in.displayName, err = o.NullableStr("invitedUserDisplayName"); err != nil {
		return nil, err
	}
	if in.userType, err = o.Enum("invitedUserType", invitedUserTypes, "Guest"); err != nil {
		return nil, err
	}
	if in.send, err = o.Boolean("sendInvitationMessage", false); err != nil {
		return nil, err
	}
	if in.resetRedemption, err = o.Boolean("resetRedemption", false); err != nil {
		return nil, err
	}
	if in.messageInfo, err = parseMessageInfo(o); err != nil {
		return nil, err
	}
	return in, o.Done()
}

// parseMessageInfo reads invitedUserMessageInfo; absent, it is answered with null fields.
func parseMessageInfo(parent *wire.Object) (map[string]any, error) {
	info := map[string]any{"messageLanguage": nil, "customizedMessageBody": nil, "ccRecipients": []any{}}
	o, err := parent.Object("invitedUserMessageInfo", "invitedUserMessageInfo")
	if err != nil || o == nil {
		return info, err
	}
	for _, k := range []string{"messageLanguage", "customizedMessageBody"} {
		if info[k], err = o.NullableStr(k); err != nil {
			return nil, err
		}
	}
	cc, err := o.Array("ccRecipients")
	if err != nil {
		return nil, err
	}
	if len(cc) > maxCCRecipients {
		return nil, wire.PathError(o.At("ccRecipients"), "only %d additional recipient is supported, got %d.", maxCCRecipients, len(cc))
	}
	recipients := []any{}
	for i, x := range cc {
		r, err := parseRecipient(wire.Index(o.At("ccRecipients"), i), x)
		if err != nil {
			return nil, err
		}
		recipients = append(recipients, r)
	}
	info["ccRecipients"] = recipients
	return info, o.Done()
}

// parseRecipient reads a recipient {emailAddress: {name, address}}.
func parseRecipient(path string, v any) (map[string]any, error) {
	o, err := wire.NewObject(path, "recipient", v)
	if err != nil {
		return nil, err
	}
	ea, err := o.Object("emailAddress", "emailAddress")
	if err != nil {
		return nil, err
	}
	if ea == nil {
		return nil, wire.PathError(o.At("emailAddress"), "the property is required on type 'microsoft.graph.recipient'.")
	}
	name, err := ea.NullableStr("name")
	if err != nil {
		return nil, err
	}
	address, _, err := ea.Str("address", true, true)
	if err != nil {
		return nil, err
	}
	if a, perr := mail.ParseAddress(address); perr != nil || a.Address != address {
		return nil, wire.PathError(ea.At("address"), "'%s' is not a valid email address.", address)
	}
	if err := ea.Done(); err != nil {
		return nil, err
	}
	return map[string]any{"emailAddress": map[string]any{"name": name, "address": address}}, o.Done()
}

// GuestUserPrincipalName is the UPN Entra gives an invited user: the email with '@' as '_',
// then #EXT#@ and the tenant's default domain.
func GuestUserPrincipalName(email, tenantDomain string) string {
	return strings.ReplaceAll(email, "@", "_") + "#EXT#@" + tenantDomain
}

// userByEmail finds the user an email address names: its mail or one of its otherMails.
func (s *API) userByEmail(email string) (*store.Record, error) {
	recs, err := s.Store.List(Users)
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		if strings.EqualFold(strOf(rec.Body["mail"]), email) {
			return rec, nil
		}
		for _, m := range wire.StrList(rec.Body["otherMails"]) {
			if strings.EqualFold(m, email) {
				return rec, nil
			}
		}
	}
	return nil, store.ErrNotFound
}

func (s *API) createInvitation(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := parseInvitation(body)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	user, err := s.invitedUser(in)
	if err != nil {
		return err
	}
	status := "PendingAcceptance"
	if strOf(user.Body["externalUserState"]) == "Accepted" && !in.resetRedemption {
		status = "Completed"
	}
	id := uuid.NewString()
	redeem := "https://login.microsoftonline.com/redeem?rd=" + url.QueryEscape("https://invitations.microsoft.com/redeem/?tenant="+
		SeedTenantDomain+"&user="+id+"&ticket="+uuid.NewString()+"&ver=2.0")
	out := map[string]any{
		"id":                      id,
		"inviteRedeemUrl":         redeem,
		"invitedUserDisplayName":  in.displayName,
		"invitedUserType":         strOf(user.Body["userType"]),
		"invitedUserEmailAddress": in.email,
		"sendInvitationMessage":   in.send,
		"resetRedemption":         in.resetRedemption,
		"inviteRedirectUrl":       in.redirect,
		"status":                  status,
		"invitedUserMessageInfo":  in.messageInfo,
		"invitedUser":             map[string]any{"id": user.ID},
	}
	wire.WriteJSON(w, http.StatusCreated, wire.WithContext(out, s.contextURL(r, "invitations/$entity")))
	return nil
}

// invitedUser returns the user an invitation is for: the existing user with that email (an
// invitation sent again), or a new guest. Callers hold the write lock.
func (s *API) invitedUser(in *invitation) (*store.Record, error) {
	if rec, err := s.userByEmail(in.email); err == nil {
		if in.resetRedemption {
			err := s.Store.Update(Users, rec.ID, func(obj map[string]any) error {
				obj["externalUserState"] = "PendingAcceptance"
				obj["externalUserStateChangeDateTime"] = s.timestamp()
				return nil
			})
			if err != nil {
				return nil, err
			}
			return s.Store.Get(Users, rec.ID)
		}
		return rec, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	upn := GuestUserPrincipalName(in.email, SeedTenantDomain)
	display := in.displayName
	if display == nil {
		display = in.email[:strings.LastIndex(in.email, "@")]
	}
	fields := map[string]any{
		"displayName":       display,
		"userPrincipalName": upn,
		"mailNickname":      strings.TrimSuffix(upn, "@"+SeedTenantDomain),
		"mail":              in.email,
		"otherMails":        []any{in.email},
		"accountEnabled":    true,
		"userType":          in.userType,
		"externalUserState": "PendingAcceptance",
		"creationType":      "Invitation",
		// Graph sets it when the invitation is sent
		// (https://learn.microsoft.com/en-us/graph/api/resources/user?view=graph-rest-1.0).
		"externalUserStateChangeDateTime": s.timestamp(),
		"identities":                      []any{map[string]any{"signInType": "federated", "issuer": "ExternalAzureAD", "issuerAssignedId": nil}},
	}
	id := uuid.NewString()
	obj := newUser(fields, id, s.timestamp())
	if err := s.Store.Insert(Users, id, obj, s.Now()); err != nil {
		return nil, err
	}
	return s.Store.Get(Users, id)
}
