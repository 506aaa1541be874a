package policies

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/google/uuid"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/route"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// B2B management policies (Graph beta only:
// https://learn.microsoft.com/en-us/graph/api/resources/b2bmanagementpolicy?view=graph-rest-beta): the
// policy whose definition holds, among other B2B features, the invitation domain allow or block list
// (InvitationsAllowedAndBlockedDomainsPolicy). Served natively under /beta: v1.0 has no such path, so
// nothing is translated to v1.0 calls (unlike package beta). Stored in collection B2BPolicyCollection.

const (
	// B2BPolicyCollection names the policies in the store (control API).
	B2BPolicyCollection = "b2bManagementPolicies"

	typeB2BPolicy  = "microsoft.graph.b2bManagementPolicy"
	b2bPoliciesURL = "/beta/policies/b2bManagementPolicies"

	// maxDefinitionLength is the size limit of a policy: 25,000 characters (Microsoft Entra "Allow or
	// block invitations", https://learn.microsoft.com/en-us/entra/external-id/allow-deny-list).
	maxDefinitionLength = 25000

	domainsKey = "InvitationsAllowedAndBlockedDomainsPolicy"
)

var domainName = regexp.MustCompile(`^(?i)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

// b2bPermission: reads need Policy.Read.B2BManagementPolicy or Policy.ReadWrite.B2BManagementPolicy,
// writes the latter (the permission tables of the beta pages).
func b2bPermission(method string) route.Permission {
	if route.IsRead(method) {
		return route.Permission{AnyOf: []string{"Policy.Read.B2BManagementPolicy", "Policy.ReadWrite.B2BManagementPolicy"}}
	}
	return route.Permission{AnyOf: []string{"Policy.ReadWrite.B2BManagementPolicy"}}
}

func (s *API) b2bPolicyRoutes(t *route.Table) {
	t.Add(route.Graph, b2bPermission, b2bPoliciesURL, map[string]route.Handler{
		http.MethodGet:  s.listB2BPolicies,
		http.MethodPost: s.createB2BPolicy,
	})
	t.Add(route.Graph, b2bPermission, b2bPoliciesURL+"/{id}", map[string]route.Handler{
		http.MethodGet:    s.getB2BPolicy,
		http.MethodPatch:  s.updateB2BPolicy,
		http.MethodDelete: s.deleteB2BPolicy,
	})
}

func b2bView(doc map[string]any) map[string]any {
	out := wire.Public(doc)
	out["@odata.type"] = "#" + typeB2BPolicy
	if _, ok := out["deletedDateTime"]; !ok {
		out["deletedDateTime"] = nil
	}
	return out
}

func (s *API) listB2BPolicies(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	recs, err := s.Store.List(B2BPolicyCollection)
	if err != nil {
		return err
	}
	sel := odata.SelectList(r)
	value := []any{}
	for _, rec := range s.Visible(recs) {
		value = append(value, odata.ApplySelect(b2bView(rec.Body), sel))
	}
	wire.WriteJSON(w, http.StatusOK, map[string]any{
		"@odata.context": wire.BaseURL(r) + "/beta/$metadata#policies/b2bManagementPolicies",
		"value":          value,
	})
	return nil
}

func (s *API) getB2BPolicy(w http.ResponseWriter, r *http.Request, p route.Params) error {
	rec, err := s.GetVisible(B2BPolicyCollection, strings.ToLower(p["id"]))
	if err != nil {
		return err
	}
	s.writeB2BPolicy(w, r, http.StatusOK, rec.Body)
	return nil
}

func (s *API) writeB2BPolicy(w http.ResponseWriter, r *http.Request, status int, doc map[string]any) {
	out := wire.WithContext(b2bView(doc), wire.BaseURL(r)+"/beta/$metadata#policies/b2bManagementPolicies/$entity")
	wire.WriteJSON(w, status, odata.ApplySelect(out, odata.SelectList(r)))
}

func (s *API) createB2BPolicy(w http.ResponseWriter, r *http.Request, _ route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := parseB2BPolicy(body, true)
	if err != nil {
		return err
	}
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	existing, err := s.Store.List(B2BPolicyCollection)
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		return wire.BadRequest(fmt.Sprintf("A B2B management policy already exists (%s); a tenant holds one: update it, or delete it first.", existing[0].ID))
	}
	in["id"] = uuid.NewString()
	if _, ok := in["isOrganizationDefault"]; !ok {
		in["isOrganizationDefault"] = false
	}
	if err := s.Store.Insert(B2BPolicyCollection, in["id"].(string), in, s.Now()); err != nil {
		return err
	}
	w.Header().Set("Location", wire.BaseURL(r)+b2bPoliciesURL+"/"+in["id"].(string))
	s.writeB2BPolicy(w, r, http.StatusCreated, in)
	return nil
}

func (s *API) updateB2BPolicy(w http.ResponseWriter, r *http.Request, p route.Params) error {
	body, err := wire.ReadBody(r)
	if err != nil {
		return err
	}
	in, err := parseB2BPolicy(body, false)
	if err != nil {
		return err
	}
	id := strings.ToLower(p["id"])
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if _, err := s.GetVisible(B2BPolicyCollection, id); err != nil {
		return err
	}
	var out map[string]any
	err = s.Store.Update(B2BPolicyCollection, id, func(obj map[string]any) error {
		for k, v := range in {
			obj[k] = v
		}
		out = obj
		return nil
	})
	if err != nil {
		return err
	}
	s.writeB2BPolicy(w, r, http.StatusOK, out)
	return nil
}

func (s *API) deleteB2BPolicy(w http.ResponseWriter, _ *http.Request, p route.Params) error {
	id := strings.ToLower(p["id"])
	s.WriteMu.Lock()
	defer s.WriteMu.Unlock()
	if _, err := s.GetVisible(B2BPolicyCollection, id); err != nil {
		return err
	}
	if err := s.Store.Delete(B2BPolicyCollection, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// parseB2BPolicy checks a create (displayName, description and definition required) or update body.
func parseB2BPolicy(body map[string]any, create bool) (map[string]any, error) {
	out := map[string]any{}
	for k, v := range body {
		if strings.Contains(k, "@") {
			continue
		}
		switch k {
		case "id", "deletedDateTime":
			// read-only; ignored (the create example sends deletedDateTime: null)
		case "displayName", "description":
			str, ok := v.(string)
			if !ok {
				return nil, wire.TypeError(k, v, "Edm.String")
			}
			if strings.TrimSpace(str) == "" {
				return nil, wire.BadRequest(fmt.Sprintf("Invalid value for property '%s': it must not be empty.", k))
			}
			out[k] = str
		case "isOrganizationDefault":
			b, err := wire.Bool(k, v) // the update example sends "true"
			if err != nil {
				return nil, err
			}
			out[k] = b
		case "definition":
			def, err := parseDefinition(v)
			if err != nil {
				return nil, err
			}
			out[k] = []any{def}
		default:
			return nil, wire.UnknownProperty(k, typeB2BPolicy)
		}
	}
	if create {
		for _, k := range []string{"displayName", "description", "definition"} {
			if _, ok := out[k]; !ok {
				return nil, wire.RequiredProperty(k, typeB2BPolicy)
			}
		}
	}
	return out, nil
}

// parseDefinition checks a definition: one string holding a JSON object with a B2BManagementPolicy
// object; its invitation domain part, when present, holds either allowed or blocked domain names.
func parseDefinition(v any) (string, error) {
	list, ok := v.([]any)
	if !ok || len(list) != 1 {
		return "", wire.BadRequest("Invalid value for property 'definition': it must hold exactly one JSON string.")
	}
	def, ok := list[0].(string)
	if !ok {
		return "", wire.TypeError("definition[0]", list[0], "Edm.String")
	}
	if len(def) > maxDefinitionLength {
		return "", wire.BadRequest(fmt.Sprintf("Invalid value for property 'definition': the policy is %d characters long, more than the %d allowed.", len(def), maxDefinitionLength))
	}
	doc, err := decodeDefinition(def)
	if err != nil {
		return "", wire.BadRequest("Invalid value for property 'definition': " + err.Error())
	}
	policy, ok := doc["B2BManagementPolicy"].(map[string]any)
	if !ok {
		return "", wire.BadRequest("Invalid value for property 'definition': it must hold a 'B2BManagementPolicy' object.")
	}
	raw, present := policy[domainsKey]
	if !present {
		return def, nil
	}
	domains, ok := raw.(map[string]any)
	if !ok {
		return "", wire.BadRequest("Invalid value for property 'definition': '" + domainsKey + "' must be an object.")
	}
	counts := map[string]int{}
	for k, list := range domains {
		if k != "AllowedDomains" && k != "BlockedDomains" {
			return "", wire.BadRequest(fmt.Sprintf("Invalid value for property 'definition': '%s.%s' is not known; use AllowedDomains or BlockedDomains.", domainsKey, k))
		}
		items, ok := list.([]any)
		if !ok {
			return "", wire.BadRequest(fmt.Sprintf("Invalid value for property 'definition': '%s.%s' must be an array of domain names.", domainsKey, k))
		}
		for i, item := range items {
			d, ok := item.(string)
			if !ok || !domainName.MatchString(d) {
				return "", wire.BadRequest(fmt.Sprintf("Invalid value for property 'definition': '%s.%s[%d]' (%v) is not a domain name.", domainsKey, k, i, item))
			}
		}
		counts[k] = len(items)
	}
	if counts["AllowedDomains"] > 0 && counts["BlockedDomains"] > 0 {
		return "", wire.BadRequest("Invalid value for property 'definition': a tenant holds either an allow list or a block list of invitation domains, not both.")
	}
	return def, nil
}

// decodeDefinition reads the JSON of a definition. The reference's examples write it with single
// quotes ({'B2BManagementPolicy':{'Version':1}}); such a text is read with the quotes made double.
func decodeDefinition(def string) (map[string]any, error) {
	var doc map[string]any
	if err := json.Unmarshal([]byte(def), &doc); err == nil && doc != nil {
		return doc, nil
	}
	if err := json.Unmarshal([]byte(strings.ReplaceAll(def, "'", `"`)), &doc); err != nil || doc == nil {
		return nil, fmt.Errorf("it is not a JSON object")
	}
	return doc, nil
}
