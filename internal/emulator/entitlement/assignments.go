package entitlement

import (
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// Assignment requests and assignments (spec 1.10). An admin request is answered
// submitted/Accepted and delivered asynchronously after the delivery delay: a timer
// commits it when it is due, and every read of requests or assignments first commits
// the requests that are due, so the transition is observable without races. Delivery
// of an adminAdd creates an accessPackageAssignment, adds the target user to the
// groups of the package's AadGroup Member_<gid> role scopes and delivers its application
// and site roles (delivery.go); delivery of an adminRemove deletes the assignment and
// removes the memberships and roles it added.

const (
	collAssignmentRequests = "assignmentRequests"

	typeAssignmentRequest = "microsoft.graph.accessPackageAssignmentRequest"
	typeAssignment        = "microsoft.graph.accessPackageAssignment"
	typeSubject           = "microsoft.graph.accessPackageSubject"

	// DefaultDeliveryDelay is the delivery delay when Config.DeliveryDelay is zero.
	DefaultDeliveryDelay = 300 * time.Millisecond

	// MsgDeliveryFault is the status of a request failed by the DeliveryFailure fault.
	MsgDeliveryFault = "Fault: delivery failed by the emulator"

	msgDuplicateAssignment = "The user already has an assignment for this access package."
	msgCannotCancel        = "The request cannot be cancelled in its current state."
)

// Internal fields of requests and assignments.
const (
	ifAssignmentPolicyID = "_assignmentPolicyId"
	ifTargetID           = "_targetId"
	ifAssignmentID       = "_assignmentId"
	ifDeliverAt          = "_deliverAt"
	ifFailStatus         = "_failStatus"
	ifTarget             = "_target"
	ifGrantedGroups      = "_grantedGroups"
	ifOwnerRoles         = "_ownerRoles"
	ifRequestID          = "_requestId"
)

var requestTypeMembers = append([]string{"notSpecified"}, append(append([]string{}, allRequestTypes...), "approverRemove")...)

// completedRequestStates are the states in which a request can be deleted.
var completedRequestStates = []string{"delivered", "deliveryFailed", "denied", "canceled", "partiallyDelivered"}

// deliverySettings is the server's runtime state for entitlement management deliveries.
type deliverySettings struct {
	mu       sync.Mutex
	delay    time.Duration
	delaySet bool
}

// SetDeliveryDelay changes the delivery delay of assignment requests created from now
// on; zero or negative means immediate delivery.
func (s *API) SetDeliveryDelay(d time.Duration) {
	s.em.mu.Lock()
	defer s.em.mu.Unlock()
	if d < 0 {
		d = 0
	}
	s.em.delay, s.em.delaySet = d, true
}

// DeliveryDelay returns the current delivery delay (see Config.DeliveryDelay).
func (s *API) DeliveryDelay() time.Duration {
	s.em.mu.Lock()
	defer s.em.mu.Unlock()
	if s.em.delaySet {
		return s.em.delay
	}
	switch d := s.configuredDelay; {
	case d == 0:
		return DefaultDeliveryDelay
	case d < 0:
		return 0
	default:
		return d
	}
}

func (s *API) assignmentRoutes(t *route.Table) {
	t.Add(route.Graph, permission, prefix+"/assignmentRequests", map[string]route.Handler{
		http.MethodGet:  s.listAssignmentRequests,
		http.MethodPost: s.createAssignmentRequest,
	})
	t.Add(route.Graph, permission, prefix+"/assignmentRequests/{id}", map[string]route.Handler{
		http.MethodGet:    s.getAssignmentRequest,
		http.MethodDelete: s.deleteAssignmentRequest,
	})
	t.Add(route.Graph, permission, prefix+"/assignmentRequests/{id}/cancel", map[string]route.Handler{http.MethodPost: s.cancelAssignmentRequest})
	t.Add(route.Graph, permission, prefix+"/assignments", map[string]route.Handler{http.MethodGet: s.listAssignments})
	// No DELETE: removal is always an adminRemove request (405 from the router).
	t.Add(route.Graph, permission, prefix+"/assignments/{id}", map[string]route.Handler{http.MethodGet: s.getAssignment})
}

// ---- delivery ----

// deliverDue commits the requests whose delivery time has come.
func (s *API) deliverDue() {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	// A failure here (the store closed under a late timer) is retried by the next read.
	_ = s.deliverDueLocked()
}

// BeforeControlRead lets the control reads see deliveries that are due.
func (s *API) BeforeControlRead(collection string) {
	if collection == collAssignmentRequests || collection == collAssignments {
		s.deliverDue()
	}
}

// deliverDueLocked commits due requests. Callers hold the write lock (Deps.WriteMu).
func (s *API) deliverDueLocked() error {
	recs, err := s.Store.List(collAssignmentRequests)
	if err != nil {
		return err
	}
	now := s.Now()
	for _, rec := range recs {
		if wire.StrField(rec.Body, "state") != "submitted" {
			continue
		}
		at, err := time.Parse(time.RFC3339Nano, wire.StrField(rec.Body, ifDeliverAt))
		if err == nil && at.After(now) {
			continue
		}
		if err := s.deliverLocked(rec); err != nil {
			return err
		}
	}
	return nil
}

// deliverLocked completes one submitted request. Callers hold the write lock (Deps.WriteMu).
func (s *API) deliverLocked(rec *store.Record) error {
	doc := rec.Body
	status, state, assignmentID := "Delivered", "delivered", wire.StrField(doc, ifAssignmentID)
	switch wire.StrField(doc, "requestType") {
	case "adminAdd":
		fail := wire.StrField(doc, ifFailStatus)
		if fail == "" {
			fail = s.recheckAdd(doc)
		}
		if fail != "" {
			status, state = fail, "deliveryFailed"
			break
		}
		if s.awaitsRedemption(doc) {
			id, err := s.createPendingAssignmentLocked(doc)
			if err != nil {
				return err
			}
			assignmentID, state, status = id, stateDelivering, statusPendingRedemption
			break
		}
		id, err := s.createAssignmentLocked(doc)
		if err != nil {
			return err
		}
		assignmentID = id
	case "adminRemove":
		removed, _ := s.Store.Get(collAssignments, assignmentID)
		// An assignment already gone (deleted out of band) counts as removed.
		if err := s.removeAssignmentLocked(assignmentID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if removed != nil {
			if err := s.afterAssignmentEndedLocked(removed.Body, s.Now(), "their last access package assignment was removed"); err != nil {
				return err
			}
		}
	}
	return s.Store.Update(collAssignmentRequests, rec.ID, func(obj map[string]any) error {
		obj["state"], obj["status"] = state, status
		obj["completedDateTime"] = s.Timestamp()
		obj[ifAssignmentID] = assignmentID
		return nil
	})
}

// recheckAdd verifies at delivery what the request named at creation still exists.
func (s *API) recheckAdd(doc map[string]any) string {
	if _, err := s.Store.Get(directory.Users, wire.StrField(doc, ifTargetID)); err != nil {
		return "The target user no longer exists."
	}
	pol, err := s.Store.Get(AssignmentPolicies, wire.StrField(doc, ifAssignmentPolicyID))
	if err != nil {
		return "The assignment policy no longer exists."
	}
	if _, err := s.Store.Get(AccessPackages, PolicyPackageID(pol.Body)); err != nil {
		return "The access package no longer exists."
	}
	if s.liveAssignment(wire.StrField(doc, ifTargetID), wire.StrField(doc, ifAccessPackageID), wire.StrField(doc, ifAssignmentPolicyID)) != nil {
		return msgDuplicateAssignment
	}
	return ""
}

// packageGroupRoles lists the groups a package grants membership of (AadGroup
// Member_<gid> roles) and its Owner_<gid> role origin ids.
func (s *API) packageGroupRoles(packageID string) (memberOf, owners []string) {
	rss, err := s.childRecords(collRoleScopes, ifAccessPackageID, packageID)
	if err != nil {
		return nil, nil
	}
	for _, rs := range rss {
		role, err := s.Store.Get(collCatalogRoles, wire.StrField(rs.Body, ifRoleID))
		if err != nil || !strings.EqualFold(wire.StrField(role.Body, "originSystem"), originAadGroup) {
			continue
		}
		origin := wire.StrField(role.Body, "originId")
		switch {
		case len(origin) > len("Member_") && strings.EqualFold(origin[:len("Member_")], "Member_"):
			if gid := store.NormID(origin[len("Member_"):]); !containsID(memberOf, gid) {
				memberOf = append(memberOf, gid)
			}
		case len(origin) > len("Owner_") && strings.EqualFold(origin[:len("Owner_")], "Owner_"):
			owners = append(owners, origin)
		}
	}
	return memberOf, owners
}

// subjectFor is the accessPackageSubject of a user: one per user, so the id of an
// existing assignment's subject is reused.
func (s *API) subjectFor(user *store.Record) map[string]any {
	id := uuid.NewString()
	if recs, err := s.childRecords(collAssignments, ifTargetID, user.ID); err == nil {
		for _, a := range recs {
			if t, ok := a.Body[ifTarget].(map[string]any); ok && wire.StrField(t, "id") != "" {
				id = wire.StrField(t, "id")
				break
			}
		}
	}
	var email any
	if m := wire.StrField(user.Body, "mail"); m != "" {
		email = m
	}
	return map[string]any{
		"id":                           id,
		"objectId":                     user.ID,
		"displayName":                  user.Body["displayName"],
		"email":                        email,
		"principalName":                user.Body["userPrincipalName"],
		"onPremisesSecurityIdentifier": nil,
		"subjectType":                  "user",
	}
}

// createAssignmentLocked writes the assignment of a delivered adminAdd request and
// grants the package's group memberships. Callers hold the write lock (Deps.WriteMu).
func (s *API) createAssignmentLocked(req map[string]any) (string, error) {
	user, err := s.Store.Get(directory.Users, wire.StrField(req, ifTargetID))
	if err != nil {
		return "", err
	}
	pkgID := wire.StrField(req, ifAccessPackageID)
	connectedOrg := ""
	if pol, err := s.Store.Get(AssignmentPolicies, wire.StrField(req, ifAssignmentPolicyID)); err == nil {
		connectedOrg = s.connectedOrgOfGuest(user.Body, pol.Body)
	}
	memberOf, owners := s.packageGroupRoles(pkgID)
	granted := []string{}
	for _, gid := range memberOf {
		// Already a member (by hand or through another assignment): not ours to remove.
		// Other failures (group gone, dynamic group) leave the role ungranted.
		if err := s.dir.AddGroupMember(gid, user.ID); err == nil {
			granted = append(granted, gid)
		}
	}
	appRoles, siteRoles, err := s.grantPackageRolesLocked(pkgID, user.ID) // delivery.go
	if err != nil {
		return "", err
	}
	id := uuid.NewString()
	doc := map[string]any{
		"id":                              id,
		"state":                           "delivered",
		"status":                          "Delivered",
		"schedule":                        req["schedule"],
		"expiredDateTime":                 nil,
		"customExtensionCalloutInstances": []any{},
		ifAccessPackageID:                 pkgID,
		ifAssignmentPolicyID:              wire.StrField(req, ifAssignmentPolicyID),
		ifTargetID:                        user.ID,
		ifTarget:                          s.subjectFor(user),
		ifGrantedGroups:                   wire.AnyList(granted),
		ifGrantedAppRoles:                 wire.AnyList(appRoles),
		ifGrantedSiteRoles:                wire.AnyList(siteRoles),
		ifOwnerRoles:                      wire.AnyList(owners),
		ifRequestID:                       wire.StrField(req, "id"),
		ifConnectedOrgID:                  connectedOrg,
	}
	if err := s.Store.Insert(collAssignments, id, doc, s.Now()); err != nil {
		return "", err
	}
	s.scheduleAssignmentEffects(id, doc, s.Now())
	return id, nil
}

// assignmentTargetID reads the target user of an assignment document (documents
// written by tests may carry target{objectId} instead of the internal field).
func assignmentTargetID(doc map[string]any) string {
	if id := wire.StrField(doc, ifTargetID); id != "" {
		return id
	}
	for _, k := range []string{ifTarget, "target"} {
		if t, ok := doc[k].(map[string]any); ok {
			if id := wire.StrField(t, "objectId"); id != "" {
				return id
			}
		}
	}
	return ""
}

// assignmentPolicyID reads the policy of an assignment document.
func assignmentPolicyID(doc map[string]any) string {
	if id := wire.StrField(doc, ifAssignmentPolicyID); id != "" {
		return id
	}
	if id := wire.StrField(doc, "assignmentPolicyId"); id != "" {
		return id
	}
	if ap, ok := doc["assignmentPolicy"].(map[string]any); ok {
		return wire.StrField(ap, "id")
	}
	return ""
}

// liveAssignment finds a not-expired assignment of target to package through policy.
func (s *API) liveAssignment(targetID, packageID, policyID string) *store.Record {
	recs, err := s.Store.List(collAssignments)
	if err != nil {
		return nil
	}
	for _, a := range recs {
		if strings.EqualFold(assignmentTargetID(a.Body), targetID) &&
			strings.EqualFold(PolicyPackageID(a.Body), packageID) &&
			strings.EqualFold(assignmentPolicyID(a.Body), policyID) &&
			!strings.EqualFold(wire.StrField(a.Body, "state"), "expired") {
			return a
		}
	}
	return nil
}

// removeAssignmentLocked deletes an assignment and removes the group memberships
// (releaseGroupsLocked) and the application and site roles (releaseRolesLocked, delivery.go)
// it added. Callers hold the write lock (Deps.WriteMu).
func (s *API) removeAssignmentLocked(id string) error {
	rec, err := s.Store.Get(collAssignments, id)
	if err != nil {
		return err
	}
	if err := s.Store.Delete(collAssignments, rec.ID); err != nil {
		return err
	}
	if _, err = s.releaseGroupsLocked(rec.ID, rec.Body); err != nil {
		return err
	}
	_, _, err = s.releaseRolesLocked(rec.ID, rec.Body)
	return err
}

// ---- requests ----

// targetFitReason checks the user against the policy's allowedTargetScope where that
// is cheap; a non-empty reason makes the request end deliveryFailed.
func (s *API) targetFitReason(policy, user map[string]any) string {
	scope := wire.StrField(policy, "allowedTargetScope")
	userType := wire.StrField(user, "userType")
	isGuest := strings.EqualFold(userType, "Guest")
	reason := fmt.Sprintf("The target user does not fit the policy's allowedTargetScope '%s'.", scope)
	switch scope {
	case "allMemberUsers":
		if isGuest {
			return reason + " Only member users can be assigned."
		}
	case "allExternalUsers", "allConfiguredConnectedOrganizationUsers", "specificConnectedOrganizationUsers":
		if !isGuest {
			return reason + " Only external (guest) users can be assigned."
		}
	case "specificDirectoryServicePrincipals", "allDirectoryServicePrincipals", "allDirectoryAgentIdentities":
		return reason + " Only service principals can be assigned."
	case "specificDirectoryUsers":
		uid := wire.StrField(user, "id")
		for _, x := range wire.AnySlice(policy["specificAllowedTargets"]) {
			m, ok := x.(map[string]any)
			if !ok {
				continue
			}
			leaf, _ := wire.ODataLeaf(m["@odata.type"])
			switch {
			case strings.EqualFold(leaf, "singleUser") && strings.EqualFold(wire.StrField(m, "userId"), uid):
				return ""
			case strings.EqualFold(leaf, "groupMembers"):
				if ids, err := s.dir.GroupMemberIDs(wire.StrField(m, "groupId")); err == nil && containsID(ids, uid) {
					return ""
				}
			case strings.EqualFold(leaf, "attributeRuleMembers"):
				if rule, err := directory.ParseRule(wire.StrField(m, "membershipRule")); err == nil && rule.Match(user) {
					return ""
				}
			}
		}
		return reason + " The user is not one of its specificAllowedTargets."
	}
	return ""
}

func isAutoPolicy(policy map[string]any) bool {
	ars, ok := policy["automaticRequestSettings"].(map[string]any)
	return ok && ars["requestAccessForAllowedTargets"] == true
}

// typeSchedule is the @odata.type of request and assignment schedules: the examples of
// https://learn.microsoft.com/graph/api/accesspackageassignmentrequest-get?view=graph-rest-1.0 and
// https://learn.microsoft.com/graph/api/entitlementmanagement-list-assignments?view=graph-rest-1.0
// answer it inside the schedule.
const typeSchedule = "#microsoft.graph.entitlementManagementSchedule"

// newSchedule is a schedule starting now, without expiration or recurrence.
func newSchedule(now time.Time) map[string]any {
	return map[string]any{"@odata.type": typeSchedule, "startDateTime": wire.FormatTimestamp(now), "expiration": defaultExpiration(), "recurrence": nil}
}

// parseRequestSchedule reads an entitlementManagementSchedule; the expiration defaults
// to the policy's (copied) when the request has none [U].
func parseRequestSchedule(v any, present bool, policyExpiration any, now time.Time) (map[string]any, error) {
	out := newSchedule(now)
	if pe, ok := policyExpiration.(map[string]any); ok {
		c := map[string]any{}
		for k, x := range pe {
			c[k] = x
		}
		out["expiration"] = c
	}
	if !present || v == nil {
		return out, nil
	}
	o, err := wire.NewObject("schedule", "entitlementManagementSchedule", v)
	if err != nil {
		return nil, err
	}
	if _, err := o.FixedType(); err != nil {
		return nil, err
	}
	start, err := o.DateTime("startDateTime")
	if err != nil {
		return nil, err
	}
	if start != nil {
		out["startDateTime"] = wire.FormatTimestamp(*start)
	}
	eo, err := o.Object("expiration", "expirationPattern")
	if err != nil {
		return nil, err
	}
	if eo != nil {
		e, err := parseExpiration(eo)
		if err != nil {
			return nil, err
		}
		if e.end != nil && start != nil && !e.end.After(*start) {
			return nil, wire.PathError("schedule.expiration.endDateTime", "must be after schedule.startDateTime.")
		}
		out["expiration"] = e.out
	}
	if _, ok := o.Get("recurrence"); ok {
		return nil, wire.PathError("schedule.recurrence", "recurring assignment schedules are not supported; send null.")
	}
	return out, o.Done()
}

// assignmentRequestInput is a validated request body.
type assignmentRequestInput struct {
	requestType   string
	justification any
	answers       []any
	schedule      any
	hasSchedule   bool
	// adminAdd
	targetID, policyID, packageID string
	targetEmail                   string // a target known only by email (assignment_by_email.go)
	// adminRemove
	assignmentID string
}

// parseAssignmentRequest validates an accessPackageAssignmentRequest body: its top-level
// properties, then the assignment of its request type (adminAdd or adminRemove).
func parseAssignmentRequest(body map[string]any) (*assignmentRequestInput, error) {
	in := &assignmentRequestInput{}
	asg, err := parseAssignmentRequestProps(body, in)
	if err != nil {
		return nil, err
	}
	if in.requestType == "" {
		return nil, wire.RequiredProperty("requestType", typeAssignmentRequest)
	}
	switch in.requestType {
	case "adminAdd", "adminRemove":
	default:
		return nil, wire.BadRequest(fmt.Sprintf("The request type '%s' is not supported for application callers: use adminAdd or adminRemove.", in.requestType))
	}
	if asg == nil {
		return nil, wire.RequiredProperty("assignment", typeAssignmentRequest)
	}
	o, err := wire.NewObject("assignment", "accessPackageAssignment", asg)
	if err != nil {
		return nil, err
	}
	if _, err := o.FixedType(); err != nil {
		return nil, err
	}
	if in.requestType == "adminRemove" {
		return in, parseAssignmentToRemove(o, in)
	}
	return in, parseAssignmentToAdd(o, in)
}

// parseAssignmentRequestProps reads the top-level properties of a request body into in
// (requestType, justification, answers, schedule) and returns the assignment object sent
// as 'assignment' or 'accessPackageAssignment'.
func parseAssignmentRequestProps(body map[string]any, in *assignmentRequestInput) (any, error) {
	var asg any
	asgKey := ""
	var err error
	for k, v := range body {
		if strings.Contains(k, "@") {
			continue
		}
		switch k {
		case "requestType":
			if v == nil {
				return nil, wire.BadRequest("Invalid value for property 'requestType': a null value is not allowed.")
			}
			if in.requestType, err = wire.Enum("requestType", v, requestTypeMembers); err != nil {
				return nil, err
			}
		case "assignment", "accessPackageAssignment":
			if asgKey != "" {
				return nil, wire.BadRequest("Send the assignment once: 'assignment' and 'accessPackageAssignment' name the same navigation property.")
			}
			asg, asgKey = v, k
		case "justification":
			if v != nil {
				if _, ok := v.(string); !ok {
					return nil, wire.TypeError(k, v, "Edm.String")
				}
			}
			in.justification = v
		case "answers":
			if v == nil {
				continue
			}
			if in.answers, err = parseRequestAnswers(v); err != nil {
				return nil, err
			}
		case "schedule":
			in.schedule, in.hasSchedule = v, true
		case "id", "state", "status", "requestState", "requestStatus", "createdDateTime", "completedDateTime":
			// read-only, ignored (spec 7: older examples show requestState/requestStatus)
		default:
			return nil, wire.UnknownProperty(k, typeAssignmentRequest)
		}
	}
	return asg, nil
}

// parseRequestAnswers reads the answers array: each item must be a JSON object (an
// accessPackageAnswer, kept as sent).
func parseRequestAnswers(v any) ([]any, error) {
	l, ok := v.([]any)
	if !ok {
		return nil, wire.PathError("answers", "expected a JSON array, got '%s'.", wire.Literal(v))
	}
	for i, x := range l {
		if _, ok := x.(map[string]any); !ok {
			return nil, wire.PathError(wire.Index("answers", i), "expected a JSON object of type 'microsoft.graph.accessPackageAnswer'.")
		}
	}
	return l, nil
}

// parseAssignmentToRemove reads the assignment of an adminRemove request: its id (the
// other assignment properties are accepted and ignored).
func parseAssignmentToRemove(o *wire.Object, in *assignmentRequestInput) error {
	id, _, err := o.Str("id", true, true)
	if err != nil {
		return err
	}
	in.assignmentID = id
	o.Ignore("targetId", "assignmentPolicyId", "accessPackageId", "state", "status", "schedule", "target", "accessPackage", "assignmentPolicy")
	return o.Done()
}

// parseAssignmentToAdd reads the assignment of an adminAdd request: the target (targetId,
// else target.objectId), assignmentPolicyId and accessPackageId.
func parseAssignmentToAdd(o *wire.Object, in *assignmentRequestInput) error {
	var err error
	if in.targetID, _, err = o.Str("targetId", false, true); err != nil {
		return err
	}
	oid, email, err := parseAssignmentTarget(o)
	if err != nil {
		return err
	}
	if in.targetID == "" && oid == "" && email != "" {
		in.targetEmail = email
	}
	if in.targetID == "" {
		in.targetID = oid
	}
	o.Ignore("id", "state", "status", "schedule")
	if in.policyID, _, err = o.Str("assignmentPolicyId", true, true); err != nil {
		return err
	}
	if in.packageID, _, err = o.Str("accessPackageId", true, true); err != nil {
		return err
	}
	if in.targetID == "" && in.targetEmail != "" {
		return o.Done()
	}
	if in.targetID == "" {
		return wire.PathError("assignment.targetId", "the property is required on type 'microsoft.graph.accessPackageAssignment' for an adminAdd request.")
	}
	if _, perr := uuid.Parse(in.targetID); perr != nil {
		return wire.PathError("assignment.targetId", "'%s' is not a valid object id.", in.targetID)
	}
	return o.Done()
}

// parseAssignmentTarget reads assignment.target (an accessPackageSubject) and returns its
// objectId and email ("" when absent). A target known only by email is someone not yet in the
// directory (Example 5 of the create page; assignment_by_email.go).
func parseAssignmentTarget(o *wire.Object) (oid, email string, err error) {
	to, err := o.Object("target", "accessPackageSubject")
	if err != nil || to == nil {
		return "", "", err
	}
	if oid, _, err = to.Str("objectId", false, true); err != nil {
		return "", "", err
	}
	if email, _, err = to.Str("email", false, true); err != nil {
		return "", "", err
	}
	if oid == "" && email != "" {
		if a, perr := mail.ParseAddress(email); perr != nil || a.Address != email || a.Name != "" {
			return "", "", wire.PathError("assignment.target.email", "'%s' is not a valid email address.", email)
		}
	}
	to.Ignore("id", "displayName", "principalName", "subjectType", "onPremisesSecurityIdentifier", "subjectLifecycle")
	if err := to.Done(); err != nil {
		return "", "", err
	}
	return oid, email, nil
}

func (s *API) assignmentRequestContext(r *http.Request) string {
	return wire.EntityContext(r, "identityGovernance/entitlementManagement/assignmentRequests")
}

func (s *API) createAssignmentRequest(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := parseAssignmentRequest(body)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if err := s.deliverDueLocked(); err != nil {
		return err
	}
	now := s.Now()
	doc := map[string]any{
		"id":                              uuid.NewString(),
		"requestType":                     in.requestType,
		"state":                           "submitted",
		"status":                          "Accepted",
		"justification":                   in.justification,
		"answers":                         append([]any{}, in.answers...),
		"createdDateTime":                 s.Timestamp(),
		"completedDateTime":               nil,
		"customExtensionCalloutInstances": []any{},
		ifDeliverAt:                       now.Add(s.DeliveryDelay()).UTC().Format(time.RFC3339Nano),
	}
	if in.requestType == "adminAdd" {
		if err := s.prepareAdd(in, doc, now); err != nil {
			return err
		}
	} else if err := s.prepareRemove(in, doc, now); err != nil {
		return err
	}
	id := doc["id"].(string)
	if err := s.Store.Insert(collAssignmentRequests, id, doc, now); err != nil {
		return err
	}
	out := wire.WithContext(wire.Public(doc), s.assignmentRequestContext(r))
	if d := s.DeliveryDelay(); d <= 0 {
		rec, err := s.Store.Get(collAssignmentRequests, id)
		if err != nil {
			return err
		}
		if err := s.deliverLocked(rec); err != nil {
			return err
		}
	} else {
		// Real time delivers it (the timer), and so does a move of the clock past its time.
		time.AfterFunc(d+5*time.Millisecond, s.deliverDue)
		s.At(now.Add(d), "delivery of assignment request "+id, func(time.Time) { s.deliverDue() })
	}
	w.Header().Set("Location", wire.BaseURL(r)+prefix+"/assignmentRequests/"+id)
	wire.WriteJSON(w, http.StatusCreated, out)
	return nil
}

// prepareAdd checks an adminAdd against the store and fills the request document.
// Callers hold the write lock (Deps.WriteMu).
func (s *API) prepareAdd(in *assignmentRequestInput, doc map[string]any, now time.Time) error {
	if in.targetEmail != "" {
		if err := s.resolveEmailTargetLocked(in, doc); err != nil {
			return err
		}
	}
	user, err := s.Store.Get(directory.Users, in.targetID)
	if errors.Is(err, store.ErrNotFound) {
		return &wire.Error{Status: http.StatusNotFound, Code: directory.CodeNotFound,
			Message: "Resource '" + in.targetID + "' does not exist or one of its queried reference-property objects are not present."}
	}
	if err != nil {
		return err
	}
	pol, err := s.Store.Get(AssignmentPolicies, in.policyID)
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(in.policyID)
	}
	if err != nil {
		return err
	}
	pkgID := PolicyPackageID(pol.Body)
	if !strings.EqualFold(pkgID, in.packageID) {
		if _, err := s.Store.Get(AccessPackages, in.packageID); errors.Is(err, store.ErrNotFound) {
			return wire.NotFound(in.packageID)
		}
		return wire.PathError("assignment.assignmentPolicyId", "policy '%s' does not belong to access package '%s'.", in.policyID, in.packageID)
	}
	pkg, err := s.Store.Get(AccessPackages, pkgID)
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(in.packageID)
	}
	if err != nil {
		return err
	}
	if isAutoPolicy(pol.Body) {
		return wire.BadRequest("Automatic assignment policies cannot be used for direct assignment.")
	}
	if s.liveAssignment(user.ID, pkg.ID, pol.ID) != nil {
		return wire.BadRequest(msgDuplicateAssignment)
	}
	if s.pendingRequest(func(d map[string]any) bool {
		return wire.StrField(d, "requestType") == "adminAdd" && strings.EqualFold(wire.StrField(d, ifTargetID), user.ID) &&
			strings.EqualFold(wire.StrField(d, ifAccessPackageID), pkg.ID) && strings.EqualFold(wire.StrField(d, ifAssignmentPolicyID), pol.ID)
	}) {
		return wire.BadRequest("A request for this user and access package is already being processed.")
	}
	schedule, err := parseRequestSchedule(in.schedule, in.hasSchedule, pol.Body["expiration"], now)
	if err != nil {
		return err
	}
	doc["schedule"] = schedule
	doc[ifTargetID], doc[ifAccessPackageID], doc[ifAssignmentPolicyID] = user.ID, pkg.ID, pol.ID
	doc[ifAssignmentID] = ""
	fail := s.targetFitReason(pol.Body, user.Body)
	if s.Fault.DeliveryFailure() {
		fail = MsgDeliveryFault
	}
	doc[ifFailStatus] = fail
	return nil
}

// prepareRemove checks an adminRemove against the store. Callers hold the write lock (Deps.WriteMu).
func (s *API) prepareRemove(in *assignmentRequestInput, doc map[string]any, now time.Time) error {
	asg, err := s.Store.Get(collAssignments, in.assignmentID)
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(in.assignmentID)
	}
	if err != nil {
		return err
	}
	if st := wire.StrField(asg.Body, "state"); !removableState(asg.Body) {
		return wire.BadRequest(fmt.Sprintf("The assignment cannot be removed in its current state '%s'.", st))
	}
	if s.pendingRequest(func(d map[string]any) bool {
		return wire.StrField(d, "requestType") == "adminRemove" && strings.EqualFold(wire.StrField(d, ifAssignmentID), asg.ID)
	}) {
		return wire.BadRequest("A request to remove this assignment is already being processed.")
	}
	if in.hasSchedule && in.schedule != nil {
		return wire.PathError("schedule", "an adminRemove request takes no schedule.")
	}
	doc["schedule"] = asg.Body["schedule"]
	if doc["schedule"] == nil {
		doc["schedule"] = newSchedule(now)
	}
	doc[ifAssignmentID] = asg.ID
	doc[ifTargetID] = assignmentTargetID(asg.Body)
	doc[ifAccessPackageID] = PolicyPackageID(asg.Body)
	doc[ifAssignmentPolicyID] = assignmentPolicyID(asg.Body)
	return nil
}

// pendingRequest reports whether a submitted or pending request matches.
func (s *API) pendingRequest(match func(map[string]any) bool) bool {
	recs, err := s.Store.List(collAssignmentRequests)
	if err != nil {
		return false
	}
	for _, rec := range recs {
		if st := wire.StrField(rec.Body, "state"); (st == "submitted" || st == "pendingApproval") && match(rec.Body) {
			return true
		}
	}
	return false
}

var assignmentRequestFilterable = []string{"id", "state", "status", "requestType", "justification", "createdDateTime",
	"completedDateTime", "accessPackage/id", "assignment/id"}

func assignmentRequestView(rec *store.Record) map[string]any {
	v := make(map[string]any, len(rec.Body)+2)
	for k, x := range rec.Body {
		v[k] = x
	}
	v["accessPackage"] = map[string]any{"id": wire.StrField(rec.Body, ifAccessPackageID)}
	v["assignment"] = map[string]any{"id": wire.StrField(rec.Body, ifAssignmentID)}
	return v
}

func (s *API) renderAssignmentRequest(doc map[string]any, items []odata.ExpandItem, sel []string) map[string]any {
	pub := wire.Public(doc)
	delete(pub, "accessPackage")
	delete(pub, "assignment")
	out := odata.ApplySelect(pub, sel)
	for _, it := range items {
		switch it.Name {
		case "accessPackage":
			out["accessPackage"] = nil
			if rec, err := s.Store.Get(AccessPackages, wire.StrField(doc, ifAccessPackageID)); err == nil {
				out["accessPackage"] = s.renderAccessPackage(accessPackageView(rec), it.Nested, it.Selects)
			}
		case "assignment":
			out["assignment"] = nil
			if id := wire.StrField(doc, ifAssignmentID); id != "" {
				if rec, err := s.Store.Get(collAssignments, id); err == nil {
					out["assignment"] = s.renderAssignment(assignmentView(rec), it.Nested, it.Selects)
				}
			}
		}
	}
	return out
}

func (s *API) listAssignmentRequests(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	cq, err := s.ParseQuery(r, assignmentRequestFilterable)
	if err != nil {
		return err
	}
	items, err := expandQuery(r, typeAssignmentRequest)
	if err != nil {
		return err
	}
	s.deliverDue()
	recs, err := s.Store.List(collAssignmentRequests)
	if err != nil {
		return err
	}
	s.writeList(w, r, cq, s.Visible(recs), assignmentRequestView, func(v map[string]any, sel []string) map[string]any {
		return s.renderAssignmentRequest(v, items, sel)
	}, "identityGovernance/entitlementManagement/assignmentRequests")
	return nil
}

func (s *API) getAssignmentRequest(w http.ResponseWriter, r *http.Request, p route.Params) error {
	items, err := expandQuery(r, typeAssignmentRequest)
	if err != nil {
		return err
	}
	s.deliverDue()
	rec, err := s.GetVisible(collAssignmentRequests, p["id"])
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(s.renderAssignmentRequest(rec.Body, items, odata.SelectList(r)), s.assignmentRequestContext(r)))
	return nil
}

func (s *API) deleteAssignmentRequest(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if err := s.deliverDueLocked(); err != nil {
		return err
	}
	rec, err := s.Store.Get(collAssignmentRequests, p["id"])
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(p["id"])
	}
	if err != nil {
		return err
	}
	st := wire.StrField(rec.Body, "state")
	completed := false
	for _, c := range completedRequestStates {
		completed = completed || c == st
	}
	if !completed {
		return wire.BadRequest(fmt.Sprintf("Only completed requests can be deleted; this request is '%s'. Cancel it first.", st))
	}
	if err := s.Store.Delete(collAssignmentRequests, rec.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *API) cancelAssignmentRequest(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if err := s.deliverDueLocked(); err != nil {
		return err
	}
	rec, err := s.Store.Get(collAssignmentRequests, p["id"])
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(p["id"])
	}
	if err != nil {
		return err
	}
	if st := wire.StrField(rec.Body, "state"); st != "submitted" && st != "pendingApproval" {
		return wire.BadRequest(msgCannotCancel)
	}
	err = s.Store.Update(collAssignmentRequests, rec.ID, func(obj map[string]any) error {
		obj["state"], obj["status"] = "canceled", "Canceled"
		obj["completedDateTime"] = s.Timestamp()
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// ---- assignments ----

var assignmentFilterable = []string{"id", "state", "status", "expiredDateTime", "accessPackage/id", "assignmentPolicy/id",
	"target/id", "target/objectId", "target/displayName", "target/email", "target/principalName", "target/subjectType"}

// assignmentView adds accessPackage{id}, assignmentPolicy{id} and target for $filter.
func assignmentView(rec *store.Record) map[string]any {
	v := make(map[string]any, len(rec.Body)+3)
	for k, x := range rec.Body {
		v[k] = x
	}
	v["accessPackage"] = map[string]any{"id": PolicyPackageID(rec.Body)}
	v["assignmentPolicy"] = map[string]any{"id": assignmentPolicyID(rec.Body)}
	target, ok := rec.Body[ifTarget].(map[string]any)
	if !ok {
		if target, ok = rec.Body["target"].(map[string]any); !ok {
			target = map[string]any{"objectId": assignmentTargetID(rec.Body)}
		}
	}
	v["target"] = target
	return v
}

// renderAssignment writes an assignment (its view) with the requested expansions;
// the navigations appear only when expanded.
func (s *API) renderAssignment(view map[string]any, items []odata.ExpandItem, sel []string) map[string]any {
	pub := wire.Public(view)
	for _, k := range []string{"accessPackage", "assignmentPolicy", "target", "accessPackageId", "assignmentPolicyId"} {
		delete(pub, k)
	}
	out := odata.ApplySelect(pub, sel)
	out["@odata.type"] = "#" + typeAssignment
	for _, it := range items {
		switch it.Name {
		case "target":
			t, _ := view["target"].(map[string]any)
			t = odata.ApplySelect(wire.Public(t), it.Selects)
			for _, n := range it.Nested {
				if n.Name == "connectedOrganization" {
					// The organization an external target came in through (assignment_expiry.go).
					t["connectedOrganization"] = nil
					if org, err := s.Store.Get(collConnectedOrgs, wire.StrField(view, ifConnectedOrgID)); err == nil {
						t["connectedOrganization"] = odata.ApplySelect(wire.Public(org.Body), n.Selects)
					}
				}
			}
			out["target"] = t
		case "accessPackage":
			out["accessPackage"] = nil
			if rec, err := s.Store.Get(AccessPackages, PolicyPackageID(view)); err == nil {
				out["accessPackage"] = s.renderAccessPackage(accessPackageView(rec), it.Nested, it.Selects)
			}
		case "assignmentPolicy":
			out["assignmentPolicy"] = nil
			if rec, err := s.Store.Get(AssignmentPolicies, assignmentPolicyID(view)); err == nil {
				out["assignmentPolicy"] = s.renderPolicy(rec.Body, it.Nested, it.Selects)
			}
		}
	}
	return out
}

func (s *API) listAssignments(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	cq, err := s.ParseQuery(r, assignmentFilterable)
	if err != nil {
		return err
	}
	items, err := expandQuery(r, typeAssignment)
	if err != nil {
		return err
	}
	s.deliverDue()
	recs, err := s.Store.List(collAssignments)
	if err != nil {
		return err
	}
	s.writeList(w, r, cq, s.Visible(recs), assignmentView, func(v map[string]any, sel []string) map[string]any {
		return s.renderAssignment(v, items, sel)
	}, "identityGovernance/entitlementManagement/assignments")
	return nil
}

func (s *API) getAssignment(w http.ResponseWriter, r *http.Request, p route.Params) error {
	items, err := expandQuery(r, typeAssignment)
	if err != nil {
		return err
	}
	s.deliverDue()
	rec, err := s.GetVisible(collAssignments, p["id"])
	if err != nil {
		return err
	}
	out := s.renderAssignment(assignmentView(rec), items, odata.SelectList(r))
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(out, wire.EntityContext(r, "identityGovernance/entitlementManagement/assignments")))
	return nil
}
