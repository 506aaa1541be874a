package lifecycle

import (
	"time"

	"github.com/google/uuid"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// The outbox: the mails the email tasks of lifecycle workflows send (welcome, onboarding
// reminder, TAP, before / on / after the last day, user move). The local API sends no
// mail; it keeps each one, readable at GET /_emulator/outbox (our choice, README
// "Lifecycle workflows over time"). It lives in the store, so a reset empties it.

// CollOutbox holds the mails, oldest first.
const CollOutbox = "_outbox"

// mail is one message of the outbox.
type mail struct {
	To, Cc, Subject      string
	Task, TaskDefinition string
	Workflow, UserID     string
	RunID                string
	At                   time.Time
}

func (s *API) sendMail(m mail) error {
	id := uuid.NewString()
	doc := map[string]any{
		"id": id, "to": m.To, "cc": m.Cc, "subject": m.Subject,
		"taskId": m.Task, "taskDefinitionId": m.TaskDefinition, "workflowId": m.Workflow,
		"userId": m.UserID, "runId": m.RunID, "dateTime": wire.FormatTimestamp(m.At),
	}
	return s.Store.Insert(CollOutbox, id, doc, m.At)
}

// Outbox returns the mails sent so far, oldest first.
func (s *API) Outbox() ([]map[string]any, error) {
	recs, err := s.Store.List(CollOutbox)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(recs))
	for _, r := range recs {
		out = append(out, r.Body)
	}
	return out, nil
}
