package directory_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
)

// TestInvitationCreatesGuest: POST /invitations answers 201 with the documented invitation and
// creates the guest user; inviting the same email again answers with that user, not a second one.
func TestInvitationCreatesGuest(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	body := map[string]any{
		"invitedUserEmailAddress": "Ada@Example.com", "inviteRedirectUrl": "https://myapps.microsoft.com",
		"invitedUserDisplayName": "Ada Lovelace", "sendInvitationMessage": true,
		"invitedUserMessageInfo": map[string]any{"customizedMessageBody": "Welcome", "messageLanguage": "fr-FR",
			"ccRecipients": []any{map[string]any{"emailAddress": map[string]any{"address": "sponsor@contoso.com"}}}},
	}
	resp, inv := e.Do("POST", "/v1.0/invitations", body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("%d %v", resp.StatusCode, inv)
	}
	for k, want := range map[string]any{"status": "PendingAcceptance", "invitedUserType": "Guest", "invitedUserEmailAddress": "Ada@Example.com",
		"sendInvitationMessage": true, "inviteRedirectUrl": "https://myapps.microsoft.com", "invitedUserDisplayName": "Ada Lovelace"} {
		if inv[k] != want {
			t.Errorf("%s = %v, want %v", k, inv[k], want)
		}
	}
	if !strings.HasPrefix(inv["inviteRedeemUrl"].(string), "https://login.microsoftonline.com/redeem?") || inv["id"] == "" ||
		!strings.HasSuffix(inv["@odata.context"].(string), "$metadata#invitations/$entity") {
		t.Errorf("invitation %v", inv)
	}
	userID := inv["invitedUser"].(map[string]any)["id"].(string)
	_, user := e.Do("GET", "/v1.0/users/"+userID, nil)
	for k, want := range map[string]any{"userType": "Guest", "externalUserState": "PendingAcceptance", "creationType": "Invitation",
		"mail": "Ada@Example.com", "displayName": "Ada Lovelace", "userPrincipalName": "Ada_Example.com#EXT#@contoso.onmicrosoft.com"} {
		if user[k] != want {
			t.Errorf("user %s = %v, want %v", k, user[k], want)
		}
	}

	resp, again := e.Do("POST", "/v1.0/invitations", map[string]any{"invitedUserEmailAddress": "ada@example.com", "inviteRedirectUrl": "https://contoso.com"})
	if resp.StatusCode != http.StatusCreated || again["invitedUser"].(map[string]any)["id"] != userID || again["id"] == inv["id"] ||
		again["sendInvitationMessage"] != false {
		t.Errorf("again: %d %v", resp.StatusCode, again)
	}
	// An accepted guest (seeded Ben) invited again: the same user, the invitation completed.
	_, ben := e.Do("POST", "/v1.0/invitations", map[string]any{"invitedUserEmailAddress": "ben@fabrikam.com", "inviteRedirectUrl": "https://contoso.com"})
	if ben["invitedUser"].(map[string]any)["id"] != emulator.SeedGuestBenID || ben["status"] != "Completed" {
		t.Errorf("ben: %v", ben)
	}
	users, err := e.Srv.ListObjects("users")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, u := range users {
		if strings.EqualFold(fmtMail(u), "ada@example.com") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d users for the invited email", n)
	}
}

// TestInvitationValidation: the required properties, the email and URL forms, the single cc
// recipient and the invited user type are checked; an app without User.Invite.All (or a higher
// permission) gets 403.
func TestInvitationValidation(t *testing.T) {
	t.Parallel()
	e := emulatortest.New(t, emulator.Config{})
	ok := func() map[string]any {
		return map[string]any{"invitedUserEmailAddress": "x@example.com", "inviteRedirectUrl": "https://contoso.com"}
	}
	cc := map[string]any{"emailAddress": map[string]any{"address": "a@contoso.com"}}
	for name, c := range map[string]struct {
		key  string
		val  any
		want string
	}{
		"no email":       {"invitedUserEmailAddress", nil, "invitedUserEmailAddress"},
		"bad email":      {"invitedUserEmailAddress", "not an email", "not a valid email"},
		"no redirect":    {"inviteRedirectUrl", nil, "inviteRedirectUrl"},
		"relative url":   {"inviteRedirectUrl", "/home", "absolute URL"},
		"user type":      {"invitedUserType", "Owner", "invitedUserType"},
		"two cc":         {"invitedUserMessageInfo", map[string]any{"ccRecipients": []any{cc, cc}}, "only 1 additional recipient"},
		"unknown":        {"colour", "blue", "colour"},
		"cc without one": {"invitedUserMessageInfo", map[string]any{"ccRecipients": []any{map[string]any{}}}, "emailAddress"},
	} {
		body := ok()
		if c.val == nil {
			delete(body, c.key)
		} else {
			body[c.key] = c.val
		}
		resp, got := e.Do("POST", "/v1.0/invitations", body)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(emulatortest.ErrMessage(got), c.want) {
			t.Errorf("%s: %d %v", name, resp.StatusCode, got)
		}
	}
	reader := e.GetToken(emulator.ReaderClientID, emulator.ReaderClientSecret)
	if resp, got := e.DoWith(reader, "POST", "/v1.0/invitations", ok(), nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("reader: %d %v", resp.StatusCode, got)
	}
}

func fmtMail(u map[string]any) string {
	s, _ := u["mail"].(string)
	return s
}
