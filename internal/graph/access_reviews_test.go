package graph_test

import (
	"context"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// TestAccessReviewDefinitionRoundTrip writes every polymorphic member the client sends and reads it back.
func TestAccessReviewDefinitionRoundTrip(t *testing.T) {
	c, _ := newEmulatorClient(t, nil)
	ctx := context.Background()
	yes := true
	days := int64(14)
	in := graph.AccessReviewDefinition{
		DisplayName: "Guests of every Microsoft 365 group",
		Scope: &graph.AccessReviewScope{Type: graph.AccessReviewInactiveUsersScope, Query: "./members/microsoft.graph.user/?$filter=(userType eq 'Guest')",
			QueryType: "MicrosoftGraph", InactiveDuration: "P30D"},
		InstanceEnumerationScope: &graph.AccessReviewScope{Type: graph.AccessReviewQueryScope, Query: "/groups?$filter=(groupTypes/any(c:c eq 'Unified'))"},
		Reviewers:                []graph.AccessReviewReviewerScope{{Query: "./sponsors", QueryType: "MicrosoftGraph", QueryRoot: "decisions"}},
		FallbackReviewers:        []graph.AccessReviewReviewerScope{{Query: "/users/0d8a7f2c-6a31-4c55-9a2e-0b7d3c1e4f51"}},
		AdditionalNotificationRecipients: []graph.AccessReviewRecipient{{NotificationTemplateType: "CompletedAdditionalRecipients",
			NotificationRecipientScope: graph.AccessReviewRecipientScope{Query: "/groups/4c1b6a49-2a57-4d4d-9d49-0f8c4f0e4a11/transitiveMembers/microsoft.graph.user"}}},
		Settings: &graph.AccessReviewScheduleSettings{
			InstanceDurationInDays: &days, AutoApplyDecisionsEnabled: &yes, DefaultDecisionEnabled: &yes, DefaultDecision: "Deny",
			ApplyActions:                  []graph.AccessReviewAction{{Type: graph.DisableAndDeleteUserAction}},
			RecommendationInsightSettings: []graph.AccessReviewInsight{{Type: graph.UserLastSignInInsight, SignInScope: "tenant", RecommendationLookBackDuration: "P30D"}},
			Recurrence: &graph.AccessReviewRecurrence{
				Pattern: &graph.RecurrencePattern{Type: "absoluteMonthly", Interval: 3, DayOfMonth: 5},
				Range:   &graph.RecurrenceRange{Type: "noEnd", StartDate: "2026-01-05"},
			},
		},
	}
	created, err := c.CreateAccessReviewDefinition(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.GetAccessReviewDefinition(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Scope.Type != graph.AccessReviewInactiveUsersScope || got.Scope.InactiveDuration != "P30D" ||
		got.Settings.ApplyActions[0].Type != graph.DisableAndDeleteUserAction || got.Settings.RecommendationInsightSettings[0].SignInScope != "tenant" ||
		got.Settings.Recurrence.Pattern.DayOfMonth != 5 || got.Status != "NotStarted" || got.Reviewers[0].QueryRoot != "decisions" {
		t.Fatalf("read back: %+v", got)
	}
	got.DisplayName = "Renamed"
	if err := c.ReplaceAccessReviewDefinition(ctx, created.ID, *got); err != nil {
		t.Fatal(err)
	}
	named, err := c.ListAccessReviewDefinitionsByName(ctx, "Renamed")
	if err != nil || len(named) != 1 {
		t.Fatalf("by name: %v %v", named, err)
	}
	if err := c.DeleteAccessReviewDefinition(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteAccessReviewDefinition(ctx, created.ID); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := c.GetAccessReviewDefinition(ctx, created.ID); !graph.IsNotFound(err) {
		t.Fatalf("after delete: %v", err)
	}
}
