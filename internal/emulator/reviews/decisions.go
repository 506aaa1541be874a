package reviews

import (
	"net/http"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Decision items of an instance
// (https://learn.microsoft.com/en-us/graph/api/resources/accessreviewinstancedecisionitem?view=graph-rest-1.0):
// one per principal in scope when the instance opened, recorded with PATCH while the instance is
// InProgress (https://learn.microsoft.com/en-us/graph/api/accessreviewinstancedecisionitem-update?view=graph-rest-1.0).

const (
	// ifAssignmentID is the access package assignment a decision reviews (access package scopes).
	ifAssignmentID = "_assignmentId"

	decisionNotReviewed = "NotReviewed"
	decisionApprove     = "Approve"
	decisionDeny        = "Deny"

	applyNew              = "New"
	applySuccess          = "AppliedSuccessfully"
	applyObjectNotFound   = "AppliedSuccessfullyButObjectNotFound"
	applyNotSupported     = "ApplyNotSupported"
	recommendationNoInfo  = "NoInfoAvailable"
	graphLink             = "https://graph.microsoft.com/v1.0/"
	typeUserIdentity      = "#microsoft.graph.userIdentity"
	typeServicePrincipal  = "#microsoft.graph.servicePrincipalIdentity"
	typeDecisionItem      = "accessReviewInstanceDecisionItem"
	zeroID                = "00000000-0000-0000-0000-000000000000"
	decisionsContextInner = "/decisions"
)

// recordable are the decisions a PATCH may record (the update page's request body).
var recordable = []string{decisionApprove, decisionDeny, decisionNotReviewed, "DontKnow"}

// nobody is the userIdentity of a decision not reviewed or applied yet (the list decisions page's answer).
func nobody() map[string]any {
	return map[string]any{"id": zeroID, "displayName": "", "userPrincipalName": ""}
}

func newDecision(defID, instID string, p principal, resource map[string]any) map[string]any {
	pr := map[string]any{"@odata.type": typeUserIdentity, "id": p.id, "displayName": p.displayName, "userPrincipalName": p.upn}
	link := graphLink + "users/" + p.id
	if p.servicePrincipal {
		pr = map[string]any{"@odata.type": typeServicePrincipal, "id": p.id, "displayName": p.displayName}
		link = graphLink + "servicePrincipals/" + p.id
	}
	resourceLink := any(nil)
	if resource["type"] == "group" {
		resourceLink = graphLink + "groups/" + wire.StrField(resource, "id")
	}
	doc := map[string]any{
		"accessReviewId":   instID,
		"reviewedDateTime": nil,
		"decision":         decisionNotReviewed,
		"justification":    "",
		"appliedDateTime":  nil,
		"applyResult":      applyNew,
		"recommendation":   recommendationNoInfo,
		"principalLink":    link,
		"resourceLink":     resourceLink,
		"resource":         copyMap(resource),
		"reviewedBy":       nobody(),
		"appliedBy":        nobody(),
		"principal":        pr,
		ifDefinitionID:     defID,
		ifInstanceID:       instID,
	}
	if p.assignmentID != "" {
		doc[ifAssignmentID] = p.assignmentID
	}
	return doc
}

// decisionsOf lists an instance's decision items, in the order they were made.
func (s *API) decisionsOf(instID string) ([]*store.Record, error) {
	recs, err := s.Store.List(Decisions)
	if err != nil {
		return nil, err
	}
	var out []*store.Record
	for _, rec := range recs {
		if strings.EqualFold(wire.StrField(rec.Body, ifInstanceID), instID) {
			out = append(out, rec)
		}
	}
	return out, nil
}

func decisionsContext(defID, instID string) string {
	return instancesContext(defID) + "('" + instID + "')" + decisionsContextInner
}

// listDecisions serves an instance's decisions ($filter on decision, applyResult, recommendation;
// $top, $skip, $count, $select; default page size 100, the list decisions page).
func (s *API) listDecisions(w http.ResponseWriter, r *http.Request, p route.Params) error {
	inst, err := s.instanceOf(p["id"], p["instanceId"])
	if err != nil {
		return err
	}
	recs, err := s.decisionsOf(inst.ID)
	if err != nil {
		return err
	}
	return s.writeCollection(w, r, recs, []string{"decision", "applyResult", "recommendation", "accessReviewId"},
		decisionsContext(wire.StrField(inst.Body, ifDefinitionID), inst.ID))
}

// decisionOf reads a decision of an instance (404 unless all three match).
func (s *API) decisionOf(p route.Params) (*store.Record, *store.Record, error) {
	inst, err := s.instanceOf(p["id"], p["instanceId"])
	if err != nil {
		return nil, nil, err
	}
	rec, err := s.Store.Get(Decisions, p["decisionId"])
	if err != nil || !strings.EqualFold(wire.StrField(rec.Body, ifInstanceID), inst.ID) {
		return nil, nil, wire.NotFound(p["decisionId"])
	}
	return inst, rec, nil
}

func (s *API) getDecision(w http.ResponseWriter, r *http.Request, p route.Params) error {
	inst, rec, err := s.decisionOf(p)
	if err != nil {
		return err
	}
	ctx := wire.BaseURL(r) + "/v1.0/$metadata#" + decisionsContext(wire.StrField(inst.Body, ifDefinitionID), inst.ID) + "/$entity"
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(odata.ApplySelect(wire.Public(rec.Body), odata.SelectList(r)), ctx))
	return nil
}

// recordDecision is PATCH: decision (required) and justification (required to approve when the
// definition's justificationRequiredOnApproval is true), only while the instance is InProgress.
// Answers 204.
func (s *API) recordDecision(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	o, err := wire.NewObject("", typeDecisionItem, body)
	if err != nil {
		return err
	}
	// Read-only properties a client may send back from a GET are ignored (our choice).
	o.Ignore("@odata.type", "id", "accessReviewId", "reviewedDateTime", "appliedDateTime", "applyResult", "recommendation",
		"principalLink", "resourceLink", "resource", "reviewedBy", "appliedBy", "principal")
	raw, ok := o.Get("decision")
	if !ok {
		return wire.PathError("decision", "the property is required: one of %s.", strings.Join(recordable, ", "))
	}
	decision, err := wire.Enum("decision", raw, recordable)
	if err != nil {
		return err
	}
	rawJustification, err := o.NullableStr("justification")
	if err != nil {
		return err
	}
	justification, _ := rawJustification.(string) // null: none
	if err := o.Done(); err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	inst, rec, err := s.decisionOf(p)
	if err != nil {
		return err
	}
	if st := wire.StrField(inst.Body, "status"); st != statusInProgress {
		return wire.BadRequest("Decisions can only be recorded while the access review instance is InProgress; it is " + st + ".")
	}
	if def, err := s.Store.Get(Definitions, wire.StrField(inst.Body, ifDefinitionID)); err == nil && decision == decisionApprove {
		settings, _ := def.Body["settings"].(map[string]any)
		if req, _ := settings["justificationRequiredOnApproval"].(bool); req && strings.TrimSpace(justification) == "" {
			return wire.PathError("justification", "a justification is required to approve: the access review's settings set justificationRequiredOnApproval.")
		}
	}
	caller, _ := callerID(r).(string)
	return s.writeDecision(w, rec.ID, decision, justification, caller)
}

func (s *API) writeDecision(w http.ResponseWriter, id, decision, justification, caller string) error {
	err := s.Store.Update(Decisions, id, func(obj map[string]any) error {
		obj["decision"], obj["justification"] = decision, justification
		obj["reviewedDateTime"] = s.Timestamp()
		// An application's call is recorded with its service principal id and empty names, like createdBy.
		obj["reviewedBy"] = map[string]any{"id": caller, "displayName": "", "userPrincipalName": ""}
		if decision == decisionNotReviewed {
			obj["reviewedDateTime"], obj["reviewedBy"] = nil, nobody()
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// stopInstance ends an InProgress instance now: Completed, and applied when the definition
// auto-applies (https://learn.microsoft.com/en-us/graph/api/accessreviewinstance-stop?view=graph-rest-1.0).
func (s *API) stopInstance(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	inst, err := s.instanceOf(p["id"], p["instanceId"])
	if err != nil {
		return err
	}
	if st := wire.StrField(inst.Body, "status"); st != statusInProgress {
		return wire.BadRequest("Only an access review instance that is InProgress can be stopped; it is " + st + ".")
	}
	if err := s.closeInstanceLocked(inst.ID, s.Now(), "the instance was stopped"); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// applyDecisions applies a Completed instance's decisions
// (https://learn.microsoft.com/en-us/graph/api/accessreviewinstance-applydecisions?view=graph-rest-1.0).
func (s *API) applyDecisions(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	inst, err := s.instanceOf(p["id"], p["instanceId"])
	if err != nil {
		return err
	}
	if st := wire.StrField(inst.Body, "status"); st != statusCompleted {
		return wire.BadRequest("The access review instance must be Completed to apply its decisions; it is " + st + ".")
	}
	caller, _ := callerID(r).(string)
	if err := s.applyLocked(inst.ID, s.Now(), caller, "decisions applied on request"); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
