package lifecycle

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/entitlement"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
	"github.com/google/uuid"
)

// Custom task extensions: the Logic Apps that the task "Run a Custom Task Extension"
// (taskDefinitionId 4262b724-8dba-4fad-afc3-43fcbb497a0e, argument customTaskExtensionID)
// calls. Paths, bodies and answers follow
// https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-customtaskextension?view=graph-rest-1.0
// and its create, get, update (PATCH, 204) and delete pages. The delete page says an extension
// that a task of a workflow names cannot be deleted; a task naming a missing extension is
// refused by the workflow's own validation (validation.go, checkReferences).

const (
	collCustomTaskExtensions = "customTaskExtensions"
	typeCustomTaskExtension  = nS + "customTaskExtension"
	typeTaskCallback         = nS + "customTaskExtensionCallbackConfiguration"

	// Documented callback timeout range for lifecycle workflows: five minutes to three hours
	// (https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-customtaskextensioncallbackconfiguration?view=graph-rest-1.0).
	taskCallbackMaxSeconds = 3 * 3600
)

var customTaskExtensionFilterable = []string{"id", "displayName", "createdDateTime", "lastModifiedDateTime"}

// customTaskExtensionPermission: the permission tables of the pages name the broad
// LifecycleWorkflows permissions only.
func customTaskExtensionPermission(method string) route.Permission {
	roles := []string{"LifecycleWorkflows.ReadWrite.All"}
	if route.IsRead(method) {
		roles = append(roles, "LifecycleWorkflows.Read.All")
	}
	return route.Permission{AnyOf: roles}
}

func (s *API) customTaskExtensionRoutes(t *route.Table) {
	t.Add(route.Graph, customTaskExtensionPermission, basePath+"/customTaskExtensions", map[string]route.Handler{
		http.MethodGet:  s.listCustomTaskExtensions,
		http.MethodPost: s.createCustomTaskExtension,
	})
	t.Add(route.Graph, customTaskExtensionPermission, basePath+"/customTaskExtensions/{id}", map[string]route.Handler{
		http.MethodGet:    s.getCustomTaskExtension,
		http.MethodPatch:  s.updateCustomTaskExtension,
		http.MethodDelete: s.deleteCustomTaskExtension,
	})
}

// parseCustomTaskExtension validates a create body (cur nil) or a PATCH body, and returns the
// properties to write.
func parseCustomTaskExtension(body map[string]any, create bool) (map[string]any, error) {
	o, err := wire.NewObject("", typeCustomTaskExtension, body)
	if err != nil {
		return nil, err
	}
	if _, err := o.FixedType(); err != nil {
		return nil, err
	}
	o.Ignore("id", "createdBy", "lastModifiedBy", "createdDateTime", "lastModifiedDateTime")
	out := map[string]any{}
	if _, present := o.Values["displayName"]; present || create {
		if out["displayName"], _, err = o.Str("displayName", true, true); err != nil {
			return nil, err
		}
	}
	if _, present := o.Values["description"]; present {
		if out["description"], err = o.NullableStr("description"); err != nil {
			return nil, err
		}
	}
	// The create page marks the endpoint optional; the resource page marks the authentication required.
	if v, present := o.Values["endpointConfiguration"]; present && v != nil {
		if out["endpointConfiguration"], err = entitlement.ParseCalloutEndpoint(o); err != nil {
			return nil, err
		}
	} else if present {
		o.Ignore("endpointConfiguration")
		out["endpointConfiguration"] = nil
	}
	if _, present := o.Values["authenticationConfiguration"]; present || create {
		if out["authenticationConfiguration"], err = entitlement.ParseCalloutAuthentication(o); err != nil {
			return nil, err
		}
	}
	if _, present := o.Values["clientConfiguration"]; present {
		if out["clientConfiguration"], err = entitlement.ParseCalloutClient(o); err != nil {
			return nil, err
		}
	}
	if _, present := o.Values["callbackConfiguration"]; present {
		if out["callbackConfiguration"], err = parseTaskCallback(o); err != nil {
			return nil, err
		}
	}
	return out, o.Done()
}

// parseTaskCallback reads a customTaskExtensionCallbackConfiguration: timeoutDuration (five
// minutes to three hours, required: our choice, a callback without a timeout is meaningless) and
// authorizedApps, written as [{"id": ...}] (our choice: the page gives the type, a collection of
// applications, not the request form), each id a GUID (an application's object id or appId, as
// the page allows both), answered as {"@odata.type": "#microsoft.graph.application", "id": ...}.
func parseTaskCallback(o *wire.Object) (any, error) {
	co, err := o.Object("callbackConfiguration", typeTaskCallback)
	if err != nil || co == nil {
		return nil, err
	}
	if _, err := co.FixedType(); err != nil {
		return nil, err
	}
	d, err := entitlement.CalloutDuration(co, "timeoutDuration")
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, wire.PathError(co.At("timeoutDuration"), "the property is required (e.g. \"PT5M\").")
	}
	if d.Seconds < entitlement.CallbackMinSeconds || d.Seconds > taskCallbackMaxSeconds {
		return nil, wire.PathError(co.At("timeoutDuration"), "must be between PT5M and PT3H, got '%s'.", d.Text)
	}
	out := map[string]any{"@odata.type": "#" + wire.GraphNamespace + typeTaskCallback, "timeoutDuration": d.Text, "authorizedApps": []any{}}
	apps, err := co.Array("authorizedApps")
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var list []any
	for i, x := range apps {
		at := wire.Index(co.At("authorizedApps"), i)
		ao, err := wire.NewObject(at, "application", x)
		if err != nil {
			return nil, err
		}
		if _, err := ao.FixedType(); err != nil {
			return nil, err
		}
		raw, _, err := ao.Str("id", true, true)
		if err != nil {
			return nil, err
		}
		id, err := guid(ao.At("id"), raw)
		if err != nil {
			return nil, err
		}
		if seen[strings.ToLower(id)] {
			return nil, wire.PathError(at, "application '%s' is listed twice.", id)
		}
		seen[strings.ToLower(id)] = true
		if err := ao.Done(); err != nil {
			return nil, err
		}
		list = append(list, map[string]any{"@odata.type": "#microsoft.graph.application", "id": id})
	}
	if list != nil {
		out["authorizedApps"] = list
	}
	return out, co.Done()
}

func customTaskExtensionContext(r *http.Request) string {
	return wire.EntityContext(r, "identityGovernance/lifecycleWorkflows/customTaskExtensions")
}

func (s *API) listCustomTaskExtensions(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	cq, err := s.ParseQuery(r, customTaskExtensionFilterable)
	if err != nil {
		return err
	}
	recs, err := s.Store.List(collCustomTaskExtensions)
	if err != nil {
		return err
	}
	odata.WriteCollection(w, r, cq, s.Visible(recs), "identityGovernance/lifecycleWorkflows/customTaskExtensions", wire.Public)
	return nil
}

// customTaskExtensionNameTaken reports whether another extension has the display name: the
// resource page calls it "a unique string" (the refusal, 400, is our choice).
func (s *API) customTaskExtensionNameTaken(name, except string) (bool, error) {
	recs, err := s.Store.List(collCustomTaskExtensions)
	if err != nil {
		return false, err
	}
	for _, rec := range recs {
		if rec.ID != except && strings.EqualFold(wire.StrField(rec.Body, "displayName"), name) {
			return true, nil
		}
	}
	return false, nil
}

func (s *API) createCustomTaskExtension(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := parseCustomTaskExtension(body, true)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if taken, err := s.customTaskExtensionNameTaken(in["displayName"].(string), ""); err != nil {
		return err
	} else if taken {
		return wire.BadRequest("A custom task extension with the same display name already exists.")
	}
	now, caller := s.Timestamp(), map[string]any{"@odata.type": "#microsoft.graph.user", "id": callerID(r)}
	doc := map[string]any{
		"@odata.type": "#" + wire.GraphNamespace + typeCustomTaskExtension,
		"id":          uuid.NewString(), "description": nil, "endpointConfiguration": nil,
		"clientConfiguration": nil, "callbackConfiguration": nil,
		"createdDateTime": now, "lastModifiedDateTime": now, "createdBy": caller, "lastModifiedBy": caller,
	}
	for k, v := range in {
		doc[k] = v
	}
	id := doc["id"].(string)
	if err := s.Store.Insert(collCustomTaskExtensions, id, doc, s.Now()); err != nil {
		return err
	}
	w.Header().Set("Location", wire.BaseURL(r)+basePath+"/customTaskExtensions/"+id)
	wire.WriteJSON(w, http.StatusCreated, wire.WithContext(wire.Public(doc), customTaskExtensionContext(r)))
	return nil
}

func (s *API) getCustomTaskExtension(w http.ResponseWriter, r *http.Request, p route.Params) error {
	rec, err := s.GetVisible(collCustomTaskExtensions, p["id"])
	if err != nil {
		return err
	}
	wire.WriteJSON(w, http.StatusOK, odata.ApplySelect(wire.WithContext(wire.Public(rec.Body), customTaskExtensionContext(r)), odata.SelectList(r)))
	return nil
}

// updateCustomTaskExtension answers 204 with no body, as the update page shows.
func (s *API) updateCustomTaskExtension(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := parseCustomTaskExtension(body, false)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.Store.Get(collCustomTaskExtensions, p["id"])
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(p["id"])
	}
	if err != nil {
		return err
	}
	if name, ok := in["displayName"].(string); ok {
		if taken, err := s.customTaskExtensionNameTaken(name, rec.ID); err != nil {
			return err
		} else if taken {
			return wire.BadRequest("A custom task extension with the same display name already exists.")
		}
	}
	err = s.Store.Update(collCustomTaskExtensions, rec.ID, func(obj map[string]any) error {
		for k, v := range in {
			obj[k] = v
		}
		obj["lastModifiedDateTime"] = s.Timestamp()
		obj["lastModifiedBy"] = map[string]any{"@odata.type": "#microsoft.graph.user", "id": callerID(r)}
		return nil
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// deleteCustomTaskExtension refuses while a task of a workflow names the extension: 400 (the
// delete page states the rule, not the status; our choice, as for the other refused deletes).
// Soft-deleted workflows do not count (our choice: deleting a workflow and then its extension, as
// a destroy does, must work; restoring such a workflow is not refused).
func (s *API) deleteCustomTaskExtension(w http.ResponseWriter, r *http.Request, p route.Params) error {
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	rec, err := s.Store.Get(collCustomTaskExtensions, p["id"])
	if errors.Is(err, store.ErrNotFound) {
		return wire.NotFound(p["id"])
	}
	if err != nil {
		return err
	}
	users, err := s.workflowsUsingCustomTaskExtension(rec.ID)
	if err != nil {
		return err
	}
	if len(users) > 0 {
		return wire.BadRequest(fmt.Sprintf("The custom task extension cannot be deleted because tasks of workflows use it: %s. Remove those tasks first.",
			strings.Join(users, ", ")))
	}
	if err := s.Store.Delete(collCustomTaskExtensions, rec.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// workflowsUsingCustomTaskExtension lists the ids of the workflows with a task whose
// customTaskExtensionID argument is extID.
func (s *API) workflowsUsingCustomTaskExtension(extID string) ([]string, error) {
	recs, err := s.Store.List(collWorkflows)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, rec := range recs {
		if workflowNamesExtension(rec.Body, extID) {
			out = append(out, rec.ID)
		}
	}
	return out, nil
}

func workflowNamesExtension(doc map[string]any, extID string) bool {
	for _, t := range wire.AnySlice(doc["tasks"]) {
		task, _ := t.(map[string]any)
		for _, a := range wire.AnySlice(task["arguments"]) {
			arg, _ := a.(map[string]any)
			if strings.EqualFold(wire.StrField(arg, "name"), tdArgCustomTaskExt) &&
				strings.EqualFold(strings.TrimSpace(wire.StrField(arg, "value")), extID) {
				return true
			}
		}
	}
	return false
}
