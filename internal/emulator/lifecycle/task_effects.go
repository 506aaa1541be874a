package lifecycle

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/directory"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// The directory effects of the built-in tasks in a scheduled run
// (https://learn.microsoft.com/en-us/entra/id-governance/lifecycle-workflow-tasks,
// https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-task?view=graph-rest-1.0).
// Each change is recorded in the audit trail. A task whose object is gone (the user, a
// group, an access package) fails with the reason. Access package assignments are
// requested and removed through entitlement management's own assignmentRequests
// (adminAdd, adminRemove), so they are delivered as any admin request is.

// Task definition ids (taskdefinitions.go), lower-case.
const (
	tdWelcomeMail        = "70b29d51-b59a-4773-9280-8841dfd3f2ea"
	tdOnboardingReminder = "3c860712-2d37-42a4-928f-5c93935d26a1"
	tdGenerateTAP        = "1b555e50-7f65-41d5-b514-5894a026d10d"
	tdAddToGroups        = "22085229-5809-45e8-97fd-270d28d66910"
	tdAddToTeams         = "e440ed8d-25a1-4618-84ce-091ed5be5594"
	tdEnableAccount      = "6fc52c9d-398b-4305-9763-15f42c1676fc"
	tdDisableAccount     = "1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950"
	tdRemoveFromGroups   = "1953a66c-751c-45e5-8bfe-01462c70da3c"
	tdRemoveFromAllGroup = "b3a31406-2a15-4c9a-b25b-a658fa5f07fc"
	tdRemoveFromTeams    = "06aa7acb-01af-4824-8899-b14e5ed788d6"
	tdRemoveFromAllTeams = "81f7b200-2816-4b3b-8c5d-dc556f07b024"
	tdRemoveAllLicenses  = "8fa97d28-3e52-4985-b3a9-a1126f9b8b4e"
	tdDeleteAccount      = "8d18588d-9ad3-4c0f-99d0-ec215f0e3dff"
	tdCustomExtension    = "4262b724-8dba-4fad-afc3-43fcbb497a0e"
	tdMailBeforeLastDay  = "52853a3e-f4e5-4eb8-bb24-1ac09a1da935"
	tdMailOnLastDay      = "9c0a1eaf-5bda-4392-9d9e-6e155bb57411"
	tdMailAfterLastDay   = "6f22ddd4-b3a5-47a4-a846-0d7c201a49ce"
	tdRequestPackage     = "c1ec1e76-f374-4375-aaa6-0bb6bd4c60be"
	tdRemovePackage      = "4a0b64f2-c7ec-46ba-b117-18f262946c50"
	tdRemoveAllPackages  = "42ae2956-193d-4f39-be06-691b8ac4fa1d"
	tdCancelRequests     = "498770d9-bab7-4e4c-b73d-5ded82a1d0b3"
	tdMailUserMove       = "aab41899-9972-422a-9d97-f626014578b7"
	tdAssignLicenses     = "683c87a4-2ad4-420b-97d4-220d90afcd24"
	tdRemoveLicenses     = "5fc402a8-daaf-4b7b-9203-da868b05fc5f"
	tdRevokeTokens       = "509589a4-0466-4471-829e-49c5e502bdee"
)

// mailSubjects are the subjects of the email tasks' mails (our choice; customSubject
// replaces them) and whether the mail goes to the user's manager rather than the user.
var mailSubjects = map[string]struct {
	subject   string
	toManager bool
}{
	tdWelcomeMail:        {"Welcome to the organization", false},
	tdOnboardingReminder: {"Onboarding reminder for your new employee", true},
	tdGenerateTAP:        {"Temporary Access Pass for your new employee", true},
	tdMailBeforeLastDay:  {"Your employee's last day is coming up", true},
	tdMailOnLastDay:      {"Today is your employee's last day", true},
	tdMailAfterLastDay:   {"Your employee's last day has passed", true},
	tdMailUserMove:       {"Your employee is moving", true},
}

// taskRun is one task of a scheduled run for one user.
type taskRun struct {
	wf     *store.Record
	task   map[string]any
	userID string
	runID  string
	at     time.Time
}

// argument is the value of a task argument ("" when absent).
func (t taskRun) argument(name string) string {
	for _, a := range wire.AnySlice(t.task["arguments"]) {
		m, _ := a.(map[string]any)
		if strings.EqualFold(wire.StrField(m, "name"), name) {
			return wire.StrField(m, "value")
		}
	}
	return ""
}

// argumentList splits a list argument (ids separated by commas).
func (t taskRun) argumentList(name string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(t.argument(name), func(r rune) bool { return r == ',' || r == ';' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (t taskRun) audit(s *API, activity, objectType, objectID string, details map[string]any) error {
	if details == nil {
		details = map[string]any{}
	}
	details["workflowId"], details["runId"], details["taskId"], details["userId"] = t.wf.ID, t.runID, wire.StrField(t.task, "id"), t.userID
	return s.Audit(route.AuditEntry{At: t.at, Activity: activity, ObjectType: objectType, ObjectID: objectID, InitiatedBy: auditActor,
		Reason:  fmt.Sprintf("task '%s' of workflow '%s'", wire.StrField(t.task, "displayName"), wire.StrField(t.wf.Body, "displayName")),
		Details: details})
}

func done(info string) taskOutcome { return taskOutcome{status: "completed", info: info} }
func failed(format string, a ...any) taskOutcome {
	return taskOutcome{status: "failed", failure: fmt.Sprintf(format, a...)}
}

const typeUser = "microsoft.graph.user"

// runTask applies one task's effect and says how it went.
func (s *API) runTask(t taskRun) taskOutcome {
	def := strings.ToLower(wire.StrField(t.task, "taskDefinitionId"))
	// Entitlement management takes the write lock itself.
	switch def {
	case tdRemoveAllPackages:
		return s.removePackages(t, "")
	case tdRemovePackage:
		return s.removePackages(t, t.argument(tdArgAccessPackage))
	case tdRequestPackage:
		return s.requestPackage(t)
	case tdCancelRequests:
		return s.cancelRequests(t)
	}
	out := s.directoryTask(t, def)
	if (def == tdEnableAccount || def == tdDisableAccount) && out.status == "completed" {
		// accountEnabled can be in an automatic assignment policy's rule: a leaver disabled by the
		// workflow stops matching it. The hooks run outside the write lock.
		s.dir.UserChanged(t.userID)
	}
	return out
}

// directoryTask applies a task whose effect is on the user's directory object, under the write lock.
func (s *API) directoryTask(t taskRun, def string) taskOutcome {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	user, err := s.Store.Get(directory.Users, t.userID)
	if errors.Is(err, store.ErrNotFound) {
		return failed("The user '%s' no longer exists.", t.userID)
	} else if err != nil {
		return failed("%s", err)
	}
	if m, ok := mailSubjects[def]; ok {
		return s.mailTask(t, def, user, m.subject, m.toManager)
	}
	switch def {
	case tdEnableAccount, tdDisableAccount:
		enable := def == tdEnableAccount
		if err := s.Store.Update(directory.Users, user.ID, func(o map[string]any) error { o["accountEnabled"] = enable; return nil }); err != nil {
			return failed("%s", err)
		}
		activity := map[bool]string{true: "userEnabled", false: "userDisabled"}[enable]
		return s.outcome(t.audit(s, activity, typeUser, user.ID, nil), fmt.Sprintf("accountEnabled set to %t.", enable))
	case tdDeleteAccount:
		if err := s.dir.DeleteUser(user.ID); err != nil {
			return failed("%s", err)
		}
		return s.outcome(t.audit(s, "userDeleted", typeUser, user.ID, nil), "The user was deleted.")
	case tdAddToGroups, tdAddToTeams, tdRemoveFromGroups, tdRemoveFromTeams:
		return s.groupTask(t, def, user.ID)
	case tdRemoveFromAllGroup, tdRemoveFromAllTeams:
		return s.leaveAllGroups(t, user.ID, def == tdRemoveFromAllTeams)
	case tdRemoveAllLicenses, tdRemoveLicenses, tdAssignLicenses:
		return s.licenseTask(t, def, user)
	case tdRevokeTokens:
		stamp := wire.FormatTimestamp(t.at)
		if err := s.Store.Update(directory.Users, user.ID, func(o map[string]any) error { o["signInSessionsValidFromDateTime"] = stamp; return nil }); err != nil {
			return failed("%s", err)
		}
		return s.outcome(t.audit(s, "refreshTokensRevoked", typeUser, user.ID, nil), "signInSessionsValidFromDateTime set to "+stamp+".")
	case tdCustomExtension:
		ext := t.argument(tdArgCustomTaskExt)
		// The extension's callout is recorded, not made (the local API calls no Logic App).
		return s.outcome(t.audit(s, "customTaskExtensionCalloutSent", "microsoft.graph.identityGovernance.customTaskExtension", ext,
			map[string]any{"customTaskExtensionId": ext}), "Callout to custom task extension "+ext+" recorded.")
	}
	return done("The local API models no directory effect for this task definition.")
}

func (s *API) outcome(err error, info string) taskOutcome {
	if err != nil {
		return failed("%s", err)
	}
	return done(info)
}

// mailTask puts the task's mail in the outbox: to the user's mail, or their manager's.
func (s *API) mailTask(t taskRun, def string, user *store.Record, subject string, toManager bool) taskOutcome {
	recipient := user
	if toManager {
		mgrID, err := s.dir.UserManagerID(user.ID)
		if err != nil {
			return failed("%s", err)
		}
		if mgrID == "" {
			return failed("The user '%s' has no manager to send the mail to.", user.ID)
		}
		if recipient, err = s.Store.Get(directory.Users, mgrID); err != nil {
			return failed("The manager '%s' no longer exists.", mgrID)
		}
	}
	to := wire.StrField(recipient.Body, "mail")
	if to == "" {
		return failed("The user '%s' has no mail address.", recipient.ID)
	}
	if custom := t.argument("customSubject"); custom != "" {
		subject = custom
	}
	m := mail{To: to, Cc: t.argument("cc"), Subject: subject, Task: wire.StrField(t.task, "id"), TaskDefinition: def,
		Workflow: t.wf.ID, UserID: user.ID, RunID: t.runID, At: t.at}
	if err := s.sendMail(m); err != nil {
		return failed("%s", err)
	}
	return s.outcome(t.audit(s, "mailSent", typeUser, user.ID, map[string]any{"to": to, "subject": subject}), "Mail sent to "+to+".")
}

// groupTask adds the user to, or removes them from, the groups (or Teams) the task names.
// Adding a member already there and removing one already gone are no-ops.
func (s *API) groupTask(t taskRun, def, userID string) taskOutcome {
	arg, add := tdArgGroupID, def == tdAddToGroups || def == tdAddToTeams
	if def == tdAddToTeams || def == tdRemoveFromTeams {
		arg = tdArgTeamID
	}
	ids := t.argumentList(arg)
	var changed []string
	for _, gid := range ids {
		var err error
		if add {
			err = s.dir.AddGroupMember(gid, userID)
			if errors.Is(err, directory.ErrAlreadyMember) {
				continue
			}
		} else {
			err = s.dir.RemoveGroupMember(gid, userID)
			if errors.Is(err, directory.ErrNotMember) {
				continue
			}
		}
		if errors.Is(err, store.ErrNotFound) {
			return failed("The group '%s' no longer exists.", gid)
		}
		if err != nil {
			return failed("Group '%s': %s", gid, err)
		}
		activity := map[bool]string{true: "groupMemberAdded", false: "groupMemberRemoved"}[add]
		if err := t.audit(s, activity, "microsoft.graph.group", gid, nil); err != nil {
			return failed("%s", err)
		}
		changed = append(changed, gid)
	}
	verb := map[bool]string{true: "Added to", false: "Removed from"}[add]
	return done(fmt.Sprintf("%s %d of %d groups.", verb, len(changed), len(ids)))
}

// leaveAllGroups removes the user from every group with static membership (only Teams:
// the groups whose resourceProvisioningOptions has Team).
func (s *API) leaveAllGroups(t taskRun, userID string, teamsOnly bool) taskOutcome {
	links, err := s.Store.List(directory.GroupMembers)
	if err != nil {
		return failed("%s", err)
	}
	n := 0
	for _, l := range links {
		if !strings.EqualFold(wire.StrField(l.Body, "memberId"), userID) {
			continue
		}
		gid := wire.StrField(l.Body, "groupId")
		if teamsOnly {
			g, err := s.Store.Get(directory.Groups, gid)
			if err != nil || !slices.Contains(wire.StrList(g.Body["resourceProvisioningOptions"]), "Team") {
				continue
			}
		}
		if err := s.dir.RemoveGroupMember(gid, userID); err != nil {
			continue // a dynamic group, or gone in between
		}
		if err := t.audit(s, "groupMemberRemoved", "microsoft.graph.group", gid, nil); err != nil {
			return failed("%s", err)
		}
		n++
	}
	return done(fmt.Sprintf("Removed from %d groups.", n))
}

// licenseTask changes the user's assignedLicenses (the local API keeps no subscriptions:
// a skuId is taken as given).
func (s *API) licenseTask(t taskRun, def string, user *store.Record) taskOutcome {
	skus := t.argumentList(tdArgLicenses)
	var before, after []string
	err := s.Store.Update(directory.Users, user.ID, func(o map[string]any) error {
		var kept []any
		for _, l := range wire.AnySlice(o["assignedLicenses"]) {
			m, _ := l.(map[string]any)
			sku := wire.StrField(m, "skuId")
			before = append(before, sku)
			if def == tdRemoveAllLicenses || (def == tdRemoveLicenses && containsFold(skus, sku)) {
				continue
			}
			kept = append(kept, l)
			after = append(after, sku)
		}
		if def == tdAssignLicenses {
			for _, sku := range skus {
				if !containsFold(after, sku) {
					kept = append(kept, map[string]any{"skuId": sku, "disabledPlans": []any{}})
					after = append(after, sku)
				}
			}
		}
		if kept == nil {
			kept = []any{}
		}
		o["assignedLicenses"] = kept
		return nil
	})
	if err != nil {
		return failed("%s", err)
	}
	activity := "licensesRemoved"
	if def == tdAssignLicenses {
		activity = "licensesAssigned"
	}
	return s.outcome(t.audit(s, activity, typeUser, user.ID, map[string]any{"skuIdsBefore": wire.AnyList(before), "skuIdsAfter": wire.AnyList(after)}),
		fmt.Sprintf("assignedLicenses: %d before, %d after.", len(before), len(after)))
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}

// ---- through entitlement management ----

const emPath = "/v1.0/identityGovernance/entitlementManagement"

// entitlementCall serves one Graph request of entitlement management in process (its
// route table's handler for method and path) and returns the status and JSON answer.
func (s *API) entitlementCall(method, path string, body any) (int, map[string]any, error) {
	u, err := url.Parse(path)
	if err != nil {
		return 0, nil, err
	}
	for _, rt := range s.entRoutes {
		params, ok := matchPattern(rt.Pattern, u.Path)
		if !ok || rt.Method != method {
			continue
		}
		var buf bytes.Buffer
		if body != nil {
			if err := json.NewEncoder(&buf).Encode(body); err != nil {
				return 0, nil, err
			}
		}
		req := httptest.NewRequest(method, "https://graph.microsoft.com"+path, &buf)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		if err := rt.Handler(rec, req, params); err != nil {
			var gerr *wire.Error
			if errors.As(err, &gerr) {
				return gerr.Status, nil, errors.New(gerr.Message)
			}
			return http.StatusInternalServerError, nil, err
		}
		var out map[string]any
		_ = json.Unmarshal(rec.Body.Bytes(), &out)
		return rec.Code, out, nil
	}
	return 0, nil, fmt.Errorf("no entitlement management route serves %s %s", method, u.Path)
}

// matchPattern matches a route pattern's {name} segments against a path.
func matchPattern(pattern, path string) (route.Params, bool) {
	ps, xs := route.SplitPath(pattern), route.SplitPath(path)
	if len(ps) != len(xs) {
		return nil, false
	}
	params := route.Params{}
	for i, p := range ps {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			params[p[1:len(p)-1]] = xs[i]
		} else if !strings.EqualFold(p, xs[i]) {
			return nil, false
		}
	}
	return params, true
}

// entitlementList reads every page of an entitlement management collection.
func (s *API) entitlementList(path string) ([]map[string]any, error) {
	var out []map[string]any
	for path != "" {
		status, body, err := s.entitlementCall(http.MethodGet, path, nil)
		if err != nil {
			return nil, err
		}
		if status != http.StatusOK {
			return nil, fmt.Errorf("%s answered %d", path, status)
		}
		for _, x := range wire.AnySlice(body["value"]) {
			if m, ok := x.(map[string]any); ok {
				out = append(out, m)
			}
		}
		path = ""
		if next, _ := body["@odata.nextLink"].(string); next != "" {
			if u, err := url.Parse(next); err == nil {
				path = u.RequestURI()
			}
		}
	}
	return out, nil
}

func (s *API) userExists(id string) bool {
	_, err := s.Store.Get(directory.Users, id)
	return err == nil
}

// removePackages asks for the removal (adminRemove) of the user's delivered assignments,
// of one access package or of all.
func (s *API) removePackages(t taskRun, packageID string) taskOutcome {
	if !s.userExists(t.userID) {
		return failed("The user '%s' no longer exists.", t.userID)
	}
	filter := fmt.Sprintf("target/objectId eq '%s'", t.userID)
	if packageID != "" {
		if status, _, _ := s.entitlementCall(http.MethodGet, emPath+"/accessPackages/"+url.PathEscape(packageID), nil); status == http.StatusNotFound {
			return failed("The access package '%s' no longer exists.", packageID)
		}
		filter += fmt.Sprintf(" and accessPackage/id eq '%s'", packageID)
	}
	asgs, err := s.entitlementList(emPath + "/assignments?$filter=" + url.QueryEscape(filter))
	if err != nil {
		return failed("%s", err)
	}
	n := 0
	for _, a := range asgs {
		switch wire.StrField(a, "state") {
		case "delivered", "partiallyDelivered":
		default:
			continue
		}
		status, req, err := s.entitlementCall(http.MethodPost, emPath+"/assignmentRequests",
			map[string]any{"requestType": "adminRemove", "assignment": map[string]any{"id": wire.StrField(a, "id")}})
		if err != nil || status != http.StatusCreated {
			return failed("Removing assignment '%s': %v", wire.StrField(a, "id"), err)
		}
		if err := s.auditLocked(t, "accessPackageAssignmentRemovalRequested", "microsoft.graph.accessPackageAssignment", wire.StrField(a, "id"),
			map[string]any{"assignmentRequestId": wire.StrField(req, "id")}); err != nil {
			return failed("%s", err)
		}
		n++
	}
	return done(fmt.Sprintf("Removal requested for %d assignments.", n))
}

// requestPackage asks for an assignment of the package under the policy (adminAdd).
func (s *API) requestPackage(t taskRun) taskOutcome {
	if !s.userExists(t.userID) {
		return failed("The user '%s' no longer exists.", t.userID)
	}
	pkg, pol := t.argument(tdArgAccessPackage), t.argument(tdArgAssignmentPol)
	status, req, err := s.entitlementCall(http.MethodPost, emPath+"/assignmentRequests", map[string]any{
		"requestType": "adminAdd",
		"assignment":  map[string]any{"targetId": t.userID, "assignmentPolicyId": pol, "accessPackageId": pkg},
	})
	if err != nil || status != http.StatusCreated {
		return failed("Requesting access package '%s': %v", pkg, err)
	}
	if err := s.auditLocked(t, "accessPackageAssignmentRequested", "microsoft.graph.accessPackageAssignmentRequest", wire.StrField(req, "id"),
		map[string]any{"accessPackageId": pkg, "assignmentPolicyId": pol}); err != nil {
		return failed("%s", err)
	}
	return done("Assignment requested (request " + wire.StrField(req, "id") + ").")
}

// cancelRequests cancels the user's requests still waiting (submitted, pending approval)
// through entitlement management's cancel action. Which requests target the user is read
// from entitlement management's store (its collection "assignmentRequests", field
// "_targetId", internal/emulator/entitlement/assignments.go): Graph answers no target
// on a request before delivery.
func (s *API) cancelRequests(t taskRun) taskOutcome {
	if !s.userExists(t.userID) {
		return failed("The user '%s' no longer exists.", t.userID)
	}
	reqs, err := s.Store.List("assignmentRequests")
	if err != nil {
		return failed("%s", err)
	}
	n := 0
	for _, r := range reqs {
		st := wire.StrField(r.Body, "state")
		if (st != "submitted" && st != "pendingApproval") || wire.StrField(r.Body, "requestType") == "adminRemove" ||
			!strings.EqualFold(wire.StrField(r.Body, "_targetId"), t.userID) {
			continue
		}
		if status, _, err := s.entitlementCall(http.MethodPost, emPath+"/assignmentRequests/"+r.ID+"/cancel", nil); err != nil || status >= 300 {
			return failed("Cancelling request '%s': %v", r.ID, err)
		}
		if err := s.auditLocked(t, "accessPackageAssignmentRequestCancelled", "microsoft.graph.accessPackageAssignmentRequest", r.ID, nil); err != nil {
			return failed("%s", err)
		}
		n++
	}
	return done(fmt.Sprintf("Cancelled %d requests.", n))
}

func (s *API) auditLocked(t taskRun, activity, objectType, objectID string, details map[string]any) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	return t.audit(s, activity, objectType, objectID, details)
}
