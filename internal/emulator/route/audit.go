package route

import (
	"time"

	"github.com/google/uuid"
)

// AuditCollection holds the audit trail of time-driven changes: what the local API did
// on its own when its clock reached a due time (GET /_emulator/audit). It lives in the
// store, so a reset clears it with everything else.
const AuditCollection = "_auditTrail"

// AuditEntry is one time-driven change.
type AuditEntry struct {
	At          time.Time // on the local API's clock
	Activity    string    // what happened, e.g. "assignmentExpired"
	ObjectType  string    // the Graph type of the object changed
	ObjectID    string
	InitiatedBy string // who, e.g. "entitlement management"
	Reason      string // why
	Details     map[string]any
}

// Audit records a time-driven change in the audit trail.
func (d *Deps) Audit(e AuditEntry) error {
	doc := map[string]any{
		"id":          uuid.NewString(),
		"dateTime":    e.At.UTC().Format(time.RFC3339Nano),
		"activity":    e.Activity,
		"objectType":  e.ObjectType,
		"objectId":    e.ObjectID,
		"initiatedBy": e.InitiatedBy,
		"reason":      e.Reason,
	}
	if len(e.Details) > 0 {
		doc["details"] = e.Details
	}
	return d.Store.Insert(AuditCollection, doc["id"].(string), doc, e.At)
}
