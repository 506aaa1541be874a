package graph

import (
	"encoding/json"
	"slices"
	"testing"
)

// The members of each enum type the policy uses, as the v1.0 metadata declares them
// (schemas/v1.0-Prod.csdl of microsoftgraph/msgraph-metadata), without unknownFutureValue. The client's
// lists must hold every one, so that a plan-time check never refuses what Graph takes.
var metadataEnums = map[string]struct {
	got     []string
	members []string
}{
	"allowedTargetScope": {AllowedTargetScopes, []string{"notSpecified", "specificDirectoryUsers",
		"specificConnectedOrganizationUsers", "specificDirectoryServicePrincipals", "allMemberUsers", "allDirectoryUsers",
		"allDirectoryServicePrincipals", "allConfiguredConnectedOrganizationUsers", "allExternalUsers",
		"allDirectoryAgentIdentities"}},
	"expirationPatternType":          {ExpirationTypes, []string{"notSpecified", "noExpiration", "afterDateTime", "afterDuration"}},
	"approverInformationVisibility":  {ApproverInformationVisibility, []string{"default", "notVisible", "visible"}},
	"accessReviewExpirationBehavior": {ReviewExpirationBehaviors, []string{"keepAccess", "removeAccess", "acceptAccessRecommendation"}},
	"recurrencePatternType": {RecurrencePatternTypes, []string{"daily", "weekly", "absoluteMonthly", "relativeMonthly",
		"absoluteYearly", "relativeYearly"}},
	"recurrenceRangeType": {RecurrenceRangeTypes, []string{"endDate", "noEnd", "numbered"}},
	"dayOfWeek":           {DaysOfWeek, []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}},
	"weekIndex":           {WeekIndexes, []string{"first", "second", "third", "fourth", "last"}},
	"accessPackageCustomExtensionStage": {append(append([]string{}, CustomExtensionRequestStages...), CustomExtensionExpirationStage...),
		[]string{"assignmentRequestCreated", "assignmentRequestApproved", "assignmentRequestGranted", "assignmentRequestRemoved",
			"assignmentFourteenDaysBeforeExpiration", "assignmentOneDayBeforeExpiration"}},
}

func TestPolicyEnumsMatchMetadata(t *testing.T) {
	for name, e := range metadataEnums {
		if !slices.Equal(e.got, e.members) {
			t.Errorf("%s: client has %v, metadata has %v", name, e.got, e.members)
		}
	}
}

// The subject set types of the microsoft.graph namespace in the v1.0 metadata (the identityGovernance
// ones belong to lifecycle workflows), each with the properties it declares.
var metadataSubjectSets = map[string][]string{
	"attributeRuleMembers":                {"description", "membershipRule"},
	"connectedOrganizationMembers":        {"connectedOrganizationId", "description"},
	"externalSponsors":                    nil,
	"groupMembers":                        {"description", "groupId"},
	"internalSponsors":                    nil,
	"requestorManager":                    {"managerLevel"},
	"singleServicePrincipal":              {"description", "servicePrincipalId"},
	"singleUser":                          {"description", "userId"},
	"targetAgentIdentitySponsorsOrOwners": nil,
	"targetApplicationOwners":             nil,
	"targetManager":                       {"managerLevel"},
	"targetUserSponsors":                  nil,
}

func TestSubjectSetTypesMatchMetadata(t *testing.T) {
	for typ, props := range metadataSubjectSets {
		if !slices.Contains(SubjectSetTypes, typ) {
			t.Errorf("%s is missing from SubjectSetTypes", typ)
			continue
		}
		// Every property set, so the JSON shows which ones the type sends.
		b, err := json.Marshal(SubjectSet{Type: typ, UserID: "u", GroupID: "g", ConnectedOrganizationID: "c",
			ServicePrincipalID: "s", MembershipRule: "r", ManagerLevel: 1, Description: "d"})
		if err != nil {
			t.Fatal(err)
		}
		var sent map[string]any
		if err := json.Unmarshal(b, &sent); err != nil {
			t.Fatal(err)
		}
		delete(sent, "@odata.type")
		for k := range sent {
			if !slices.Contains(props, k) {
				t.Errorf("%s sends %s, which the metadata does not declare", typ, k)
			}
		}
	}
	if len(SubjectSetTypes) != len(metadataSubjectSets) {
		t.Errorf("SubjectSetTypes has %d types, the metadata %d", len(SubjectSetTypes), len(metadataSubjectSets))
	}
}

// A policy for agent identities as Graph returns it reads, including the isBackup its reference page shows
// on targetAgentIdentitySponsorsOrOwners; what is sent back is what the metadata declares.
// https://learn.microsoft.com/en-us/graph/api/resources/targetagentidentitysponsorsorowners?view=graph-rest-1.0
func TestAgentIdentityPolicyReads(t *testing.T) {
	var p AssignmentPolicy
	err := json.Unmarshal([]byte(`{
	  "id": "9d8f2361-39be-482e-b267-34ad6baef4d3",
	  "allowedTargetScope": "allDirectoryAgentIdentities",
	  "specificAllowedTargets": [],
	  "requestorSettings": {
	    "enableOnBehalfRequestorsToAddAccess": true,
	    "onBehalfRequestors": [{"@odata.type": "#microsoft.graph.targetAgentIdentitySponsorsOrOwners", "isBackup": false}]
	  }
	}`), &p)
	if err != nil {
		t.Fatal(err)
	}
	if p.AllowedTargetScope != "allDirectoryAgentIdentities" || len(p.RequestorSettings.OnBehalfRequestors) != 1 ||
		p.RequestorSettings.OnBehalfRequestors[0].Type != SubjectTargetAgentIdentitySponsorsOrOwners {
		t.Fatalf("read %+v", p)
	}
	b, _ := json.Marshal(p.RequestorSettings.OnBehalfRequestors[0])
	if string(b) != `{"@odata.type":"#microsoft.graph.targetAgentIdentitySponsorsOrOwners"}` {
		t.Errorf("sent %s", b)
	}
}
