package entitlement

import (
	"errors"
	"net/http"
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

// Assignment policies (spec 1.6): created through EM/assignmentPolicies with
// accessPackage{id} (stored as the internal _accessPackageId, bound for life), replaced
// whole with PUT, deleted unless assignments still use them. The package, its catalog,
// the questions and the custom extension stage settings are returned only when
// expanded ([I]/[U]: the safe reading); $select=questions and
// $select=customExtensionStageSettings return those two as well ([I]).

const (
	typePolicyFull         = wire.GraphNamespace + typePolicyLeaf // "microsoft.graph.accessPackageAssignmentPolicy"
	typePolicyQuestion     = "microsoft.graph.accessPackageQuestion"
	typePolicyStageSetting = "microsoft.graph.customExtensionStageSetting"
	typeCustomExtension    = "microsoft.graph.customCalloutExtension"

	// policyCreateHold is how long a policy create waits before committing while the
	// PolicyCreateConflict fault is on, so parallel creates overlap observably.
	policyCreateHold = 100 * time.Millisecond

	codeDuplicateKey = "DuplicateKey"
	msgDuplicateKey  = "There is already a duplicated entity."
)

var policyFilterable = []string{"id", "displayName", "description", "allowedTargetScope", "accessPackage/id",
	"createdDateTime", "modifiedDateTime"}

func (s *API) policyRoutes(t *route.Table) {
	t.Add(route.Graph, permission, prefix+"/assignmentPolicies", map[string]route.Handler{
		http.MethodGet:  s.listPolicies,
		http.MethodPost: s.createPolicy,
	})
	t.Add(route.Graph, permission, prefix+"/assignmentPolicies/{id}", map[string]route.Handler{
		http.MethodGet:    s.getPolicy,
		http.MethodPut:    s.replacePolicy,
		http.MethodDelete: s.deletePolicy,
	})
	// In metadata but answered 404 by the service (spec 1 path pitfalls [I]).
	noResource := map[string]route.Handler{}
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		noResource[m] = s.noHTTPResource
	}
	t.Add(route.Graph, permission, prefix+"/accessPackages/{id}/assignmentPolicies", noResource)
	t.Add(route.Graph, permission, prefix+"/accessPackages/{id}/assignmentPolicies/{policyId}", noResource)
}

func (s *API) noHTTPResource(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	return &wire.Error{Status: http.StatusNotFound, Code: "",
		Message: "No HTTP resource was found that matches the request URI '" + wire.BaseURL(r) + r.URL.RequestURI() + "'."}
}

func (s *API) policyContext(r *http.Request) string {
	return wire.EntityContext(r, "identityGovernance/entitlementManagement/assignmentPolicies")
}

// PolicyFieldPackageID is the internal field of a stored policy holding its access
// package id (read by PolicyPackageID).
const PolicyFieldPackageID = ifAccessPackageID

// PolicyPackageID is the package a stored policy belongs to (documents written by tests
// may carry accessPackage{id} or accessPackageId instead of the internal field).
func PolicyPackageID(doc map[string]any) string {
	if id := wire.StrField(doc, ifAccessPackageID); id != "" {
		return id
	}
	if id := wire.StrField(doc, "accessPackageId"); id != "" {
		return id
	}
	if ap, ok := doc["accessPackage"].(map[string]any); ok {
		return wire.StrField(ap, "id")
	}
	return ""
}

// policyFilterView adds accessPackage{id} so $filter=accessPackage/id eq '…' works.
func policyFilterView(rec *store.Record) map[string]any {
	v := make(map[string]any, len(rec.Body)+1)
	for k, x := range rec.Body {
		v[k] = x
	}
	v["accessPackage"] = map[string]any{"id": PolicyPackageID(rec.Body)}
	return v
}

// stageSettingsOut renders stage settings; withExtension keeps the customExtension
// reference ({@odata.type, id}).
func stageSettingsOut(v any, withExtension bool) []any {
	out := []any{}
	for _, x := range wire.AnySlice(v) {
		m, ok := x.(map[string]any)
		if !ok {
			continue
		}
		c := make(map[string]any, len(m))
		for k, y := range m {
			if k != "customExtension" || withExtension {
				c[k] = y
			}
		}
		out = append(out, c)
	}
	return out
}

// renderPolicy writes a stored policy (or its filter view) with the requested
// expansions; gated navigation properties appear only when expanded or selected.
func (s *API) renderPolicy(doc map[string]any, items []odata.ExpandItem, sel []string) map[string]any {
	pub := wire.Public(doc)
	questions, settings := pub["questions"], pub["customExtensionStageSettings"]
	for _, k := range []string{"accessPackage", "accessPackageId", "catalog", "questions", "customExtensionStageSettings"} {
		delete(pub, k)
	}
	out := odata.ApplySelect(pub, sel)
	if odata.Selects(sel, "questions") {
		out["questions"] = append([]any{}, wire.AnySlice(questions)...)
	}
	if odata.Selects(sel, "customExtensionStageSettings") {
		out["customExtensionStageSettings"] = stageSettingsOut(settings, false)
	}
	pkgID := PolicyPackageID(doc)
	for _, it := range items {
		switch it.Name {
		case "accessPackage":
			out["accessPackage"] = nil
			if rec, err := s.Store.Get(AccessPackages, pkgID); err == nil {
				out["accessPackage"] = s.renderAccessPackage(accessPackageView(rec), it.Nested, it.Selects)
			}
		case "catalog":
			out["catalog"] = nil
			if rec, err := s.Store.Get(AccessPackages, pkgID); err == nil {
				if cat, err := s.Store.Get(Catalogs, wire.StrField(rec.Body, ifCatalogID)); err == nil {
					out["catalog"] = odata.ApplySelect(wire.Public(cat.Body), it.Selects)
				}
			}
		case "questions":
			list := []any{}
			for _, q := range wire.AnySlice(questions) {
				if m, ok := q.(map[string]any); ok {
					list = append(list, odata.ApplySelect(m, it.Selects))
				}
			}
			out["questions"] = list
		case "customExtensionStageSettings":
			expandExt := false
			var extSel []string
			for _, n := range it.Nested {
				if n.Name == "customExtension" {
					expandExt, extSel = true, n.Selects
				}
			}
			list := stageSettingsOut(settings, expandExt)
			for _, x := range list {
				m := x.(map[string]any)
				if expandExt {
					if ref, ok := m["customExtension"].(map[string]any); ok {
						if ext, err := s.Store.Get(collCustomWorkflowExtensions, wire.StrField(ref, "id")); err == nil {
							m["customExtension"] = odata.ApplySelect(wire.Public(ext.Body), extSel)
						}
					}
				}
			}
			out["customExtensionStageSettings"] = applySelectEach(list, it.Selects)
		}
	}
	return out
}

// applySelectEach applies a nested $select to each object of a list.
func applySelectEach(list []any, sel []string) []any {
	if len(sel) == 0 {
		return list
	}
	out := make([]any, 0, len(list))
	for _, x := range list {
		m := x.(map[string]any)
		o := odata.ApplySelect(m, sel)
		if v, ok := m["customExtension"]; ok {
			o["customExtension"] = v // an expansion is never dropped by $select
		}
		out = append(out, o)
	}
	return out
}

// policyResponse is the body of a create or replace: the whole written policy with its
// questions and stage settings (extensions as {@odata.type, id} references), without
// the package binding (spec 1.6 [U]).
func (s *API) policyResponse(doc map[string]any) map[string]any {
	out := s.renderPolicy(doc, nil, nil)
	out["questions"] = append([]any{}, wire.AnySlice(doc["questions"])...)
	out["customExtensionStageSettings"] = stageSettingsOut(doc["customExtensionStageSettings"], true)
	return out
}

func (s *API) listPolicies(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	cq, err := s.ParseQuery(r, policyFilterable)
	if err != nil {
		return err
	}
	items, err := expandQuery(r, typePolicyFull)
	if err != nil {
		return err
	}
	recs, err := s.Store.List(AssignmentPolicies)
	if err != nil {
		return err
	}
	s.writeList(w, r, cq, s.Visible(recs), policyFilterView, func(v map[string]any, sel []string) map[string]any {
		return s.renderPolicy(v, items, sel)
	}, "identityGovernance/entitlementManagement/assignmentPolicies")
	return nil
}

func (s *API) getPolicy(w http.ResponseWriter, r *http.Request, p route.Params) error {
	items, err := expandQuery(r, typePolicyFull)
	if err != nil {
		return err
	}
	rec, err := s.GetVisible(AssignmentPolicies, p["id"])
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(s.renderPolicy(rec.Body, items, odata.SelectList(r)), s.policyContext(r)))
	return nil
}

// inflightSet tracks the access packages with a policy create in progress (used only
// while the PolicyCreateConflict fault is on).
type inflightSet struct {
	mu   sync.Mutex
	keys map[string]bool
}

// enter marks key busy; false when it already was.
func (f *inflightSet) enter(key string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.keys == nil {
		f.keys = map[string]bool{}
	}
	if f.keys[key] {
		return false
	}
	f.keys[key] = true
	return true
}

func (f *inflightSet) leave(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.keys, key)
}

func (s *API) createPolicy(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	pi, err := parsePolicy(body, s.Now())
	if err != nil {
		return err
	}
	if s.Fault.PolicyCreateConflict() {
		key := store.NormID(pi.packageID)
		if !s.policyCreates.enter(key) {
			return &wire.Error{Status: http.StatusConflict, Code: codeDuplicateKey, Message: msgDuplicateKey}
		}
		defer s.policyCreates.leave(key)
		time.Sleep(policyCreateHold)
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	pkg, err := s.Store.Get(AccessPackages, pi.packageID)
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(pi.packageID)
	}
	if err != nil {
		return err
	}
	if err := s.checkPolicyStore(pi, pkg, ""); err != nil {
		return err
	}
	now := s.Timestamp()
	doc := pi.doc
	doc["id"] = uuid.NewString()
	doc["createdDateTime"], doc["modifiedDateTime"] = now, now
	doc[ifAccessPackageID] = pkg.ID
	for _, q := range pi.questions {
		q["id"] = uuid.NewString()
	}
	for _, st := range pi.settings {
		st["id"] = uuid.NewString()
	}
	if err := s.Store.Insert(AssignmentPolicies, doc["id"].(string), doc, s.Now()); err != nil {
		return err
	}
	if err := s.evaluateAutoPolicyByIDLocked(doc["id"].(string)); err != nil {
		return err
	}
	if err := s.policyChangedLocked(doc["id"].(string), doc); err != nil {
		return err
	}
	w.Header().Set("Location", wire.BaseURL(r)+prefix+"/assignmentPolicies/"+doc["id"].(string))
	wire.WriteJSON(w, http.StatusCreated, wire.WithContext(s.policyResponse(doc), s.policyContext(r)))
	return nil
}

// keepIDs gives each new item the id it was sent with when that id belongs to an item
// of the stored policy (each at most once), and a new GUID otherwise (spec 1.6 [U]).
func keepIDs(items []map[string]any, sent []string, stored any) {
	existing := map[string]string{}
	for _, x := range wire.AnySlice(stored) {
		if m, ok := x.(map[string]any); ok {
			if id := wire.StrField(m, "id"); id != "" {
				existing[strings.ToLower(id)] = id
			}
		}
	}
	for i, it := range items {
		key := strings.ToLower(sent[i])
		if id, ok := existing[key]; ok && key != "" {
			it["id"] = id
			delete(existing, key)
			continue
		}
		it["id"] = uuid.NewString()
	}
}

func (s *API) replacePolicy(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	pi, err := parsePolicy(body, s.Now())
	if err != nil {
		return err
	}
	if pi.bodyID != "" && !strings.EqualFold(pi.bodyID, p["id"]) {
		return wire.PathError("id", "the read-only id '%s' does not match the policy '%s' of the request URL.", pi.bodyID, p["id"])
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.Store.Get(AssignmentPolicies, p["id"])
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(p["id"])
	}
	if err != nil {
		return err
	}
	cur := PolicyPackageID(rec.Body)
	if !strings.EqualFold(pi.packageID, cur) {
		return wire.PathError("accessPackage.id", "a policy cannot be moved to another access package: policy '%s' belongs to access package '%s'.", p["id"], cur)
	}
	pkg, err := s.Store.Get(AccessPackages, cur)
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(cur)
	}
	if err != nil {
		return err
	}
	if err := s.checkPolicyStore(pi, pkg, rec.ID); err != nil {
		return err
	}
	keepIDs(pi.questions, pi.questionIDs, rec.Body["questions"])
	keepIDs(pi.settings, pi.settingIDs, rec.Body["customExtensionStageSettings"])
	doc := pi.doc
	for k, v := range rec.Body {
		if strings.HasPrefix(k, "_") {
			doc[k] = v
		}
	}
	doc["id"] = rec.Body["id"]
	if doc["id"] == nil {
		doc["id"] = rec.ID
	}
	doc["createdDateTime"] = rec.Body["createdDateTime"]
	doc["modifiedDateTime"] = s.Timestamp()
	doc[ifAccessPackageID] = pkg.ID
	err = s.Store.Update(AssignmentPolicies, rec.ID, func(obj map[string]any) error {
		for k := range obj {
			delete(obj, k)
		}
		for k, v := range doc {
			obj[k] = v
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := s.evaluateAutoPolicyByIDLocked(rec.ID); err != nil {
		return err
	}
	if err := s.policyChangedLocked(rec.ID, doc); err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, wire.WithContext(s.policyResponse(doc), s.policyContext(r)))
	return nil
}

func (s *API) deletePolicy(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.Store.Get(AssignmentPolicies, p["id"])
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(p["id"])
	}
	if err != nil {
		return err
	}
	// An automatic assignment policy takes the assignments it made along (auto_assignment.go).
	if err := s.removeAutoAssignmentsLocked(rec); err != nil {
		return err
	}
	if n := s.policyAssignmentCount(rec.ID); n > 0 {
		return wire.BadRequest("The policy cannot be deleted because it still has assignments. Remove the assignments first.")
	}
	if err := s.Store.Delete(AssignmentPolicies, rec.ID); err != nil {
		return err
	}
	if err := s.policyChangedLocked(rec.ID, nil); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// policyAssignmentCount counts the assignments (not expired) made through a policy,
// bound by _assignmentPolicyId, assignmentPolicyId or assignmentPolicy{id}.
func (s *API) policyAssignmentCount(policyID string) int {
	recs, err := s.Store.List(collAssignments)
	if err != nil {
		return 0
	}
	n := 0
	for _, a := range recs {
		ids := []string{wire.StrField(a.Body, "_assignmentPolicyId"), wire.StrField(a.Body, "assignmentPolicyId")}
		if ap, ok := a.Body["assignmentPolicy"].(map[string]any); ok {
			ids = append(ids, wire.StrField(ap, "id"))
		}
		for _, id := range ids {
			if id != "" && strings.EqualFold(id, policyID) && !strings.EqualFold(wire.StrField(a.Body, "state"), "expired") {
				n++
				break
			}
		}
	}
	return n
}

// policyRefNouns names the referenced collections in messages.
var policyRefNouns = map[string]string{directory.Users: "user", directory.Groups: "group", directory.ServicePrincipals: "service principal",
	policyCollConnectedOrgs: "connected organization"}

// checkPolicyStore checks what a policy names against the store: subject set objects,
// custom extensions (in the package's catalog, of the type the stage needs) and the
// single auto-assignment policy per package. selfID is the policy being replaced.
// Callers hold the write lock (Deps.WriteMu).
func (s *API) checkPolicyStore(pi *policyInput, pkg *store.Record, selfID string) error {
	orgsKnown := map[string]bool{}
	for _, ref := range pi.refs {
		if ref.coll == policyCollConnectedOrgs {
			// Connected organizations are checked once the tenant has any.
			known, ok := orgsKnown[ref.coll]
			if !ok {
				recs, err := s.Store.List(ref.coll)
				if err != nil {
					return err
				}
				known = len(recs) > 0
				orgsKnown[ref.coll] = known
			}
			if !known {
				continue
			}
		}
		_, err := s.Store.Get(ref.coll, ref.id)
		if errors.Is(err, store.ErrNotFound) {
			return wire.PathError(ref.path, "%s '%s' does not exist.", policyRefNouns[ref.coll], ref.id)
		}
		if err != nil {
			return err
		}
	}
	catalogID := wire.StrField(pkg.Body, ifCatalogID)
	for _, x := range pi.extensions {
		ext, err := s.Store.Get(collCustomWorkflowExtensions, x.id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && !strings.EqualFold(wire.StrField(ext.Body, ifCatalogID), catalogID)) {
			return wire.PathError(x.path+".id", "custom extension '%s' does not exist in catalog '%s' of the access package.", x.id, catalogID)
		}
		if err != nil {
			return err
		}
		actual, _ := wire.ODataLeaf(ext.Body["@odata.type"])
		if x.sentType != "" && x.sentType != "customCalloutExtension" && !strings.EqualFold(x.sentType, actual) {
			return wire.PathError(x.path+".@odata.type", "'#microsoft.graph.%s' does not match custom extension '%s', which is a '#microsoft.graph.%s'.", x.sentType, x.id, actual)
		}
		if want := extensionTypeForStage(x.stage); !strings.EqualFold(want, actual) {
			return wire.PathError(x.path, "stage %s needs a '#microsoft.graph.%s', but custom extension '%s' is a '#microsoft.graph.%s'.", x.stage, want, x.id, actual)
		}
		x.setting["customExtension"] = map[string]any{"@odata.type": "#" + wire.GraphNamespace + actual, "id": wire.StrField(ext.Body, "id")}
	}
	if pi.automatic {
		for _, rec := range s.packageDependents(AssignmentPolicies, pkg.ID) {
			if rec.ID == store.NormID(selfID) {
				continue
			}
			if ars, ok := rec.Body["automaticRequestSettings"].(map[string]any); ok && ars["requestAccessForAllowedTargets"] == true {
				return wire.PathError("automaticRequestSettings.requestAccessForAllowedTargets",
					"access package '%s' already has an auto-assignment policy ('%s'); only one is allowed per package.", pkg.ID, wire.StrField(rec.Body, "id"))
			}
		}
	}
	return nil
}
