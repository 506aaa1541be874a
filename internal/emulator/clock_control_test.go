package emulator

import "testing"

// The text form of the audit trail (GET /_emulator/audit?format=text, what make demo prints): one line
// per change with its time, activity, object and reason.
func TestAuditText(t *testing.T) {
	got := auditText([]map[string]any{
		{"dateTime": "2027-06-05T00:00:00Z", "activity": "assignmentExpired", "objectType": "microsoft.graph.accessPackageAssignment", "objectId": "a1", "reason": "the assignment's schedule ended"},
		{"dateTime": "2027-06-05T00:00:00Z", "activity": "externalUserBlocked", "objectType": "microsoft.graph.user", "objectId": "u1", "reason": "their last access package assignment expired"},
	})
	want := "2027-06-05T00:00:00Z  assignmentExpired           accessPackageAssignment a1: the assignment's schedule ended\n" +
		"2027-06-05T00:00:00Z  externalUserBlocked         user u1: their last access package assignment expired\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
