package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// The B2B management policy exists in Graph beta only
// (https://learn.microsoft.com/en-us/graph/api/resources/b2bmanagementpolicy?view=graph-rest-beta): it is
// the one place Graph holds the invitation domain allow or block list. These are the client's only beta
// calls; every other call is v1.0 (APIVersion). The paths are absolute URLs under /beta of the
// configured Graph endpoint, so they go through the same transport, retries, logging and error handling.

// b2bPoliciesPath is relative to /beta.
const b2bPoliciesPath = "/policies/b2bManagementPolicies"

// B2BManagementPolicy is a b2bManagementPolicy (beta). Definition holds one JSON text; its
// "B2BManagementPolicy" object holds the B2B features, among them the invitation domain list.
type B2BManagementPolicy struct {
	ID                    string   `json:"id,omitempty"`
	DisplayName           string   `json:"displayName,omitempty"`
	Description           string   `json:"description,omitempty"`
	Definition            []string `json:"definition,omitempty"`
	IsOrganizationDefault any      `json:"isOrganizationDefault,omitempty"` // a bool; see IsDefault
}

// IsDefault reads isOrganizationDefault, which Graph may write as a JSON string: the beta pages' get,
// list and update examples answer "true".
func (p *B2BManagementPolicy) IsDefault() bool {
	switch v := p.IsOrganizationDefault.(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(strings.TrimSpace(v), "true")
	}
	return false
}

// betaURL is the absolute URL of a path under /beta of the configured endpoint.
func (c *Client) betaURL(path string) string {
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + "/beta" + path
	u.RawPath, u.RawQuery = "", ""
	return u.String()
}

// ListB2BManagementPolicies lists the tenant's B2B management policies (beta; a tenant has at most one).
func (c *Client) ListB2BManagementPolicies(ctx context.Context) ([]B2BManagementPolicy, error) {
	return listAll[B2BManagementPolicy](ctx, c, c.betaURL(b2bPoliciesPath), nil)
}

// GetB2BManagementPolicy reads one policy (beta).
func (c *Client) GetB2BManagementPolicy(ctx context.Context, id string) (*B2BManagementPolicy, error) {
	if err := requireIDs("GetB2BManagementPolicy", id); err != nil {
		return nil, err
	}
	var out B2BManagementPolicy
	if err := c.do(ctx, request{method: http.MethodGet, path: c.betaURL(b2bPoliciesPath + "/" + url.PathEscape(id))}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateB2BManagementPolicy creates the tenant's policy (beta; 201 with the policy).
func (c *Client) CreateB2BManagementPolicy(ctx context.Context, in B2BManagementPolicy) (*B2BManagementPolicy, error) {
	in.ID = ""
	var out B2BManagementPolicy
	if err := c.do(ctx, request{method: http.MethodPost, path: c.betaURL(b2bPoliciesPath), body: in}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateB2BManagementPolicy patches a policy with the fields that are set (beta; 200 with the policy).
func (c *Client) UpdateB2BManagementPolicy(ctx context.Context, id string, in B2BManagementPolicy) error {
	if err := requireIDs("UpdateB2BManagementPolicy", id); err != nil {
		return err
	}
	in.ID = ""
	return c.do(ctx, request{method: http.MethodPatch, path: c.betaURL(b2bPoliciesPath + "/" + url.PathEscape(id)), body: in}, nil)
}

// DeleteB2BManagementPolicy deletes a policy (beta; 204).
func (c *Client) DeleteB2BManagementPolicy(ctx context.Context, id string) error {
	if err := requireIDs("DeleteB2BManagementPolicy", id); err != nil {
		return err
	}
	return c.do(ctx, request{method: http.MethodDelete, path: c.betaURL(b2bPoliciesPath + "/" + url.PathEscape(id))}, nil)
}

// InvitationDomains is the invitation domain part of a B2B management policy definition
// (B2BManagementPolicy.InvitationsAllowedAndBlockedDomainsPolicy): either an allow list (Allowed, the only
// domains guests may be invited from) or a block list (Blocked, possibly empty: any domain).
type InvitationDomains struct {
	Allowed []string
	Blocked []string
	// IsAllowList says which list is in force.
	IsAllowList bool
}

const (
	b2bPolicyKey         = "B2BManagementPolicy"
	invitationDomainsKey = "InvitationsAllowedAndBlockedDomainsPolicy"
)

// MaxB2BPolicyDefinitionLength is the size limit of a policy definition (25,000 characters: Microsoft
// Entra "Allow or block invitations", https://learn.microsoft.com/en-us/entra/external-id/allow-deny-list).
const MaxB2BPolicyDefinitionLength = 25000

// decodeB2BDefinition reads a definition's JSON; the reference's examples write it with single quotes,
// which are read as double ones when the text is not JSON as it is.
func decodeB2BDefinition(definition []string) (map[string]any, error) {
	if len(definition) == 0 || strings.TrimSpace(definition[0]) == "" {
		return map[string]any{}, nil
	}
	text := definition[0]
	var doc map[string]any
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil || doc == nil {
		dec = json.NewDecoder(strings.NewReader(strings.ReplaceAll(text, "'", `"`)))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil || doc == nil {
			return nil, fmt.Errorf("graph: the B2B management policy definition is not a JSON object: %q", text)
		}
	}
	return doc, nil
}

// InvitationDomainsOf reads the invitation domain part of a definition; nil when it has none. A list
// that is present but empty or absent is empty; a non-empty AllowedDomains makes it an allow list.
func InvitationDomainsOf(definition []string) (*InvitationDomains, error) {
	doc, err := decodeB2BDefinition(definition)
	if err != nil {
		return nil, err
	}
	policy, _ := doc[b2bPolicyKey].(map[string]any)
	part, ok := policy[invitationDomainsKey].(map[string]any)
	if !ok {
		return nil, nil
	}
	strs := func(v any) []string {
		out := []string{}
		list, _ := v.([]any)
		for _, item := range list {
			if s, ok := item.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	d := &InvitationDomains{Allowed: strs(part["AllowedDomains"]), Blocked: strs(part["BlockedDomains"])}
	d.IsAllowList = len(d.Allowed) > 0
	return d, nil
}

// WithInvitationDomains returns the definition with its invitation domain part replaced by d (removed
// when d is nil), every other feature kept as it was. rest reports whether the B2BManagementPolicy
// object holds anything besides its Version afterwards.
func WithInvitationDomains(definition []string, d *InvitationDomains) (out []string, rest bool, err error) {
	doc, err := decodeB2BDefinition(definition)
	if err != nil {
		return nil, false, err
	}
	policy, _ := doc[b2bPolicyKey].(map[string]any)
	if policy == nil {
		policy = map[string]any{}
	}
	if d == nil {
		delete(policy, invitationDomainsKey)
	} else if d.IsAllowList {
		policy[invitationDomainsKey] = map[string]any{"AllowedDomains": nonNil(d.Allowed)}
	} else {
		policy[invitationDomainsKey] = map[string]any{"BlockedDomains": nonNil(d.Blocked)}
	}
	doc[b2bPolicyKey] = policy
	for k := range policy {
		if k != "Version" {
			rest = true
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, false, err
	}
	return []string{strings.TrimSpace(buf.String())}, rest, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
