package reviews

import (
	"errors"
	"math"
	"strings"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/entitlement"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// The reviews of an access package assignment policy's reviewSettings
// (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentreviewsettings?view=graph-rest-1.0).
// Graph exposes them in the access reviews API as read-only definitions whose scope is the policy's
// assignments (https://learn.microsoft.com/en-us/graph/accessreviews-scope-concept: "only READ is
// supported for Access Package Assignment Reviews"). The local API keeps one such definition per
// policy with an enabled review, made, changed and deleted with the policy; its instances run on the
// clock like any other. The mapping is our choice (README, "Access review instances and decisions").

// ifPolicyID marks a definition that an assignment policy's reviewSettings made.
const ifPolicyID = "_assignmentPolicyId"

// SyncPolicyReviewLocked makes, changes or deletes the definition of a policy's review (policy nil:
// the policy was deleted). It is the entitlement area's PolicyHook; callers hold the write lock.
func (s *API) SyncPolicyReviewLocked(policyID string, policy map[string]any) error {
	existing, err := s.policyDefinition(policyID)
	if err != nil {
		return err
	}
	rs, _ := policy["reviewSettings"].(map[string]any)
	if policy == nil || rs == nil || rs["isEnabled"] != true {
		if existing == nil {
			return nil
		}
		if err := s.Store.Delete(Definitions, existing.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return s.deleteInstancesOf(existing.ID)
	}
	doc := policyReviewDefinition(policyID, entitlement.PolicyPackageID(policy), policy, rs)
	now := s.Now()
	if existing != nil {
		return s.Store.Update(Definitions, existing.ID, func(obj map[string]any) error {
			for k, v := range doc {
				obj[k] = v
			}
			obj["lastModifiedDateTime"] = wire.FormatTimestamp(now)
			return nil
		})
	}
	id := uuid.NewString()
	doc["id"] = id
	doc["status"] = statusNotStarted
	doc["createdDateTime"], doc["lastModifiedDateTime"] = wire.FormatTimestamp(now), wire.FormatTimestamp(now)
	doc["createdBy"] = map[string]any{"id": nil, "displayName": "", "userPrincipalName": ""}
	if err := s.Store.Insert(Definitions, id, doc, now); err != nil {
		return err
	}
	s.scheduleOpening(id, firstStart(doc, now), 1)
	return nil
}

// policyDefinition finds the definition a policy's review made (nil when none).
func (s *API) policyDefinition(policyID string) (*store.Record, error) {
	recs, err := s.Store.List(Definitions)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		if strings.EqualFold(wire.StrField(r.Body, ifPolicyID), policyID) {
			return r, nil
		}
	}
	return nil, nil
}

// policyReviewDefinition maps reviewSettings to a definition's properties: the assignments of the
// policy reviewed; the primary and fallback reviewers as reviewer queries (none for a self-review);
// the schedule's start, expiration (the instance's duration) and recurrence; expirationBehavior as
// the default decision (keepAccess: Approve, removeAccess: Deny, acceptAccessRecommendation:
// Recommendation), applied automatically.
func policyReviewDefinition(policyID, packageID string, policy, rs map[string]any) map[string]any {
	reviewers := []any{}
	if rs["isSelfReview"] != true {
		reviewers = reviewerQueries(rs["primaryReviewers"])
	}
	fallback := reviewerQueries(rs["fallbackReviewers"])
	schedule, _ := rs["schedule"].(map[string]any)
	start, _ := time.Parse(time.RFC3339Nano, wire.StrField(schedule, "startDateTime"))
	days := 0
	if exp, ok := schedule["expiration"].(map[string]any); ok {
		if d, err := wire.ParseDuration("duration", exp["duration"]); err == nil {
			days = int(math.Ceil(d.Seconds / 86400))
		}
	}
	recurrence := map[string]any{"pattern": nil, "range": map[string]any{"type": "numbered", "numberOfOccurrences": 1,
		"startDate": start.UTC().Format(time.DateOnly), "endDate": nil, "recurrenceTimeZone": nil}}
	if rec, ok := schedule["recurrence"].(map[string]any); ok {
		if p, ok := rec["pattern"].(map[string]any); ok {
			recurrence["pattern"] = p
		}
		if rg, ok := rec["range"].(map[string]any); ok {
			r := copyMap(rg)
			r["startDate"] = start.UTC().Format(time.DateOnly)
			recurrence["range"] = r
		}
	}
	decision := map[string]string{"keepAccess": "Approve", "removeAccess": "Deny", "acceptAccessRecommendation": "Recommendation"}[wire.StrField(rs, "expirationBehavior")]
	if decision == "" {
		decision = "Approve"
	}
	return map[string]any{
		"displayName":             "Review of " + wire.StrField(policy, "displayName"),
		"descriptionForAdmins":    "The access review of access package assignment policy " + policyID + ".",
		"descriptionForReviewers": nil,
		"scope": map[string]any{"@odata.type": "#microsoft.graph.accessReviewQueryScope",
			"query":     "/identityGovernance/entitlementManagement/accessPackageAssignments?$filter=(accessPackageId eq '" + packageID + "' and assignmentPolicyId eq '" + policyID + "')",
			"queryType": "MicrosoftGraph", "queryRoot": nil},
		"instanceEnumerationScope":         nil,
		"reviewers":                        reviewers,
		"fallbackReviewers":                fallback,
		"backupReviewers":                  fallback,
		"additionalNotificationRecipients": []any{},
		"settings": map[string]any{
			"mailNotificationsEnabled": true, "reminderNotificationsEnabled": true,
			"justificationRequiredOnApproval": rs["isReviewerJustificationRequired"] == true,
			"defaultDecisionEnabled":          true, "defaultDecision": decision,
			"autoApplyDecisionsEnabled": true, "recommendationsEnabled": rs["isRecommendationEnabled"] == true,
			"decisionHistoriesForReviewersEnabled": false,
			"instanceDurationInDays":               days, "recommendationLookBackDuration": nil,
			"recommendationInsightSettings": []any{}, "applyActions": []any{},
			"recurrence": recurrence,
		},
		ifPolicyID: policyID,
	}
}

// reviewerQueries maps policy reviewers (subject sets) to reviewer scopes: a user, a group's
// members, the requestor's manager.
func reviewerQueries(v any) []any {
	out := []any{}
	for _, x := range wire.AnySlice(v) {
		m, _ := x.(map[string]any)
		typ := wire.StrField(m, "@odata.type")
		switch {
		case strings.HasSuffix(typ, ".singleUser"):
			out = append(out, map[string]any{"query": "/users/" + wire.StrField(m, "userId"), "queryType": "MicrosoftGraph", "queryRoot": nil})
		case strings.HasSuffix(typ, ".groupMembers"):
			out = append(out, map[string]any{"query": "/groups/" + wire.StrField(m, "groupId") + "/transitiveMembers", "queryType": "MicrosoftGraph", "queryRoot": nil})
		case strings.HasSuffix(typ, ".requestorManager"):
			out = append(out, map[string]any{"query": "./manager", "queryType": "MicrosoftGraph", "queryRoot": "decisions"})
		}
	}
	return out
}

// refusePolicyReview refuses writes to a definition a policy made: Graph serves such reviews read-only.
func refusePolicyReview(def map[string]any) error {
	if id := wire.StrField(def, ifPolicyID); id != "" {
		return wire.BadRequest("This access review belongs to access package assignment policy " + id + " (its reviewSettings); change or delete it through the policy.")
	}
	return nil
}
