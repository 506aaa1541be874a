package reviews_test

import (
	"strings"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/emulatortest"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/reviews"
)

const defsPath = "/v1.0/identityGovernance/accessReviews/definitions"

// guestReview is a quarterly review of the guests of every Microsoft 365 group by the groups' owners
// (https://learn.microsoft.com/en-us/graph/accessreviews-scope-concept, example 5).
func guestReview() map[string]any {
	return map[string]any{
		"displayName":             "Guests in Microsoft 365 groups",
		"descriptionForAdmins":    "Quarterly guest review",
		"descriptionForReviewers": "Do these guests still need access?",
		"instanceEnumerationScope": map[string]any{
			"query": "/groups?$filter=(groupTypes/any(c:c eq 'Unified'))", "queryType": "MicrosoftGraph",
		},
		"scope": map[string]any{"@odata.type": "#microsoft.graph.accessReviewQueryScope",
			"query": "./members/microsoft.graph.user/?$filter=(userType eq 'Guest')", "queryType": "MicrosoftGraph"},
		"reviewers":       []any{map[string]any{"query": "./owners", "queryType": "MicrosoftGraph"}},
		"backupReviewers": []any{map[string]any{"query": "/users/0d8a7f2c-6a31-4c55-9a2e-0b7d3c1e4f51", "queryType": "MicrosoftGraph"}},
		"settings": map[string]any{
			"instanceDurationInDays": 14, "autoApplyDecisionsEnabled": true, "defaultDecisionEnabled": true, "defaultDecision": "deny",
			"applyActions": []any{map[string]any{"@odata.type": "microsoft.graph.disableAndDeleteUserApplyAction"}},
			"recurrence": map[string]any{
				"pattern": map[string]any{"type": "absoluteMonthly", "interval": 3, "dayOfMonth": 5},
				"range":   map[string]any{"type": "noEnd", "startDate": "2026-01-05T09:00:00Z"},
			},
		},
	}
}

func TestAccessReviewDefinitions(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	created := e.MustDo("POST", defsPath, guestReview(), 201)
	id, _ := created["id"].(string)
	if created["status"] != "NotStarted" || created["createdDateTime"] == nil || created["createdBy"] == nil {
		t.Fatalf("create answer: %v", created)
	}
	settings := created["settings"].(map[string]any)
	rng := settings["recurrence"].(map[string]any)["range"].(map[string]any)
	if rng["startDate"] != "2026-01-05" || settings["defaultDecision"] != "Deny" || settings["mailNotificationsEnabled"] != false {
		t.Errorf("settings not canonical: %v", settings)
	}
	// backupReviewers fills fallbackReviewers.
	if fb := created["fallbackReviewers"].([]any); len(fb) != 1 {
		t.Errorf("fallbackReviewers: %v", created["fallbackReviewers"])
	}
	got := e.MustDo("GET", defsPath+"/"+id, nil, 200)
	if got["displayName"] != "Guests in Microsoft 365 groups" {
		t.Errorf("get: %v", got)
	}

	// PUT replaces the updatable properties and answers 204; a left-out description is cleared.
	put := guestReview()
	put["displayName"] = "Guests (renamed)"
	delete(put, "descriptionForAdmins")
	delete(put, "scope")
	e.MustDo("PUT", defsPath+"/"+id, put, 204)
	got = e.MustDo("GET", defsPath+"/"+id, nil, 200)
	if got["displayName"] != "Guests (renamed)" || got["descriptionForAdmins"] != nil || got["scope"] == nil {
		t.Errorf("after PUT: %v", got)
	}
	// Bound properties and non-user reviewers cannot change.
	bad := guestReview()
	bad["scope"] = map[string]any{"query": "./members", "queryType": "MicrosoftGraph"}
	if obj := e.MustDo("PUT", defsPath+"/"+id, bad, 400); !strings.Contains(emulatortest.ErrMessage(obj), "cannot be updated") {
		t.Errorf("scope change: %v", obj)
	}
	bad = guestReview()
	bad["reviewers"] = []any{map[string]any{"query": "./manager", "queryRoot": "decisions"}}
	if obj := e.MustDo("PUT", defsPath+"/"+id, bad, 400); !strings.Contains(emulatortest.ErrMessage(obj), "reviewers can only be updated") {
		t.Errorf("reviewers change: %v", obj)
	}

	list := e.MustDo("GET", defsPath+"?$filter=contains(scope/microsoft.graph.accessReviewQueryScope/query,%20'./members')&$top=100&$skip=0", nil, 200)
	if ids := emulatortest.IDsOf(t, list); len(ids) != 1 || ids[0] != id {
		t.Errorf("list: %v", ids)
	}
	list = e.MustDo("GET", defsPath+"?$skip=1", nil, 200)
	if ids := emulatortest.IDsOf(t, list); len(ids) != 0 {
		t.Errorf("$skip=1: %v", ids)
	}

	for name, mutate := range map[string]func(b map[string]any) string{
		"missing name": func(b map[string]any) string {
			delete(b, "displayName")
			return "displayName: the property is required"
		},
		"relative alone": func(b map[string]any) string {
			delete(b, "instanceEnumerationScope")
			return "needs instanceEnumerationScope"
		},
		"bad scope type": func(b map[string]any) string {
			b["scope"].(map[string]any)["@odata.type"] = "#microsoft.graph.user"
			return "scope.@odata.type"
		},
		"manager root": func(b map[string]any) string {
			b["reviewers"] = []any{map[string]any{"query": "./manager"}}
			return "reviewers[0].queryRoot"
		},
		"unknown property": func(b map[string]any) string { b["colour"] = "red"; return "'colour' does not exist" },
		"bad decision": func(b map[string]any) string {
			b["settings"].(map[string]any)["defaultDecision"] = "Maybe"
			return "settings.defaultDecision"
		},
		"daily pattern": func(b map[string]any) string {
			b["settings"].(map[string]any)["recurrence"].(map[string]any)["pattern"] = map[string]any{"type": "daily", "interval": 1}
			return "settings.recurrence.pattern.type"
		},
		"one-time without end": func(b map[string]any) string {
			b["settings"].(map[string]any)["recurrence"].(map[string]any)["pattern"] = nil
			return "cannot be noEnd"
		},
		"end before start": func(b map[string]any) string {
			b["settings"].(map[string]any)["recurrence"].(map[string]any)["range"] = map[string]any{"type": "endDate", "startDate": "2026-01-05", "endDate": "2025-01-05"}
			return "is before the start date"
		},
		"unknown action": func(b map[string]any) string {
			b["settings"].(map[string]any)["applyActions"] = []any{map[string]any{"@odata.type": "#microsoft.graph.emailApplyAction"}}
			return "settings.applyActions[0].@odata.type"
		},
	} {
		b := guestReview()
		want := mutate(b)
		if obj := e.MustDo("POST", defsPath, b, 400); !strings.Contains(emulatortest.ErrMessage(obj), want) {
			t.Errorf("%s: want %q in %v", name, want, obj)
		}
	}

	// Out-of-band change and delete through the control API.
	if err := e.Srv.ChangeObject(reviews.Definitions, id, map[string]any{"displayName": "changed"}); err != nil {
		t.Fatal(err)
	}
	if got := e.MustDo("GET", defsPath+"/"+id, nil, 200); got["displayName"] != "changed" {
		t.Errorf("control change: %v", got)
	}
	e.MustDo("DELETE", defsPath+"/"+id, nil, 204)
	e.MustDo("GET", defsPath+"/"+id, nil, 404)
	e.MustDo("DELETE", defsPath+"/"+id, nil, 404)

	// Reset leaves the collection empty (nothing is seeded).
	e.MustDo("POST", defsPath, guestReview(), 201)
	if err := e.Srv.Reset(); err != nil {
		t.Fatal(err)
	}
	if ids := emulatortest.IDsOf(t, e.MustDo("GET", defsPath, nil, 200)); len(ids) != 0 {
		t.Errorf("after reset: %v", ids)
	}
}

func TestAccessReviewDefinitionsPermissions(t *testing.T) {
	e := emulatortest.New(t, emulator.Config{})
	reader := e.GetToken(emulator.ReaderClientID, emulator.ReaderClientSecret)
	if resp, _ := e.DoWith(reader, "GET", defsPath, nil, nil); resp.StatusCode != 200 {
		t.Errorf("reader list: %d", resp.StatusCode)
	}
	if resp, _ := e.DoWith(reader, "POST", defsPath, guestReview(), nil); resp.StatusCode != 403 {
		t.Errorf("reader create: %d", resp.StatusCode)
	}
}
