package graph

import (
	"encoding/json"
	"testing"
)

func TestSubjectSetRoundTrip(t *testing.T) {
	for _, s := range []SubjectSet{
		{Type: SubjectSingleUser, UserID: "u1"},
		{Type: SubjectGroupMembers, GroupID: "g1", Description: "Approvers"},
		{Type: SubjectRequestorManager, ManagerLevel: 2},
		{Type: SubjectInternalSponsors},
		{Type: SubjectConnectedOrganizationMembers, ConnectedOrganizationID: "c1"},
		{Type: SubjectAttributeRuleMembers, MembershipRule: `(user.department -eq "Sales")`},
	} {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back SubjectSet
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if back != s {
			t.Errorf("round trip of %+v gave %+v (JSON %s)", s, back, b)
		}
	}
}

func TestSubjectSetSendsOnlyItsTypesFields(t *testing.T) {
	b, _ := json.Marshal(SubjectSet{Type: SubjectInternalSponsors, UserID: "stray", ManagerLevel: 3})
	if string(b) != `{"@odata.type":"#microsoft.graph.internalSponsors"}` {
		t.Fatalf("got %s", b)
	}
}

func TestSubjectSetReadsGraphVariants(t *testing.T) {
	var s SubjectSet
	// Without the leading '#', and with managerLevel as a string as some doc examples send it.
	if err := json.Unmarshal([]byte(`{"@odata.type":"microsoft.graph.requestorManager","managerLevel":"1"}`), &s); err != nil {
		t.Fatal(err)
	}
	if s.Type != SubjectRequestorManager || s.ManagerLevel != 1 {
		t.Fatalf("got %+v", s)
	}
}

func TestQuestionCarriesItsType(t *testing.T) {
	single := true
	q := Question{Type: QuestionTextInput, Sequence: 1, Text: "Why?", IsSingleLineQuestion: &single, Localizations: []Localization{}}
	b, err := json.Marshal(q)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	if m["@odata.type"] != "#microsoft.graph.accessPackageTextInputQuestion" || m["isSingleLineQuestion"] != true {
		t.Fatalf("got %s", b)
	}
	var back Question
	if err := json.Unmarshal(b, &back); err != nil || back.Type != QuestionTextInput || back.Text != "Why?" {
		t.Fatalf("round trip: %+v %v", back, err)
	}
}
