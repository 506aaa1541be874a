package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

const connectedOrganizationsPath = emPath + "/connectedOrganizations"

// ConnectedOrganization is a partner organization whose users may request access (spec 1.8).
type ConnectedOrganization struct {
	ID               string           `json:"id,omitempty"`
	DisplayName      string           `json:"displayName"`
	Description      string           `json:"description"`
	IdentitySources  []IdentitySource `json:"identitySources"`
	State            string           `json:"state,omitempty"`
	CreatedDateTime  string           `json:"createdDateTime,omitempty"`
	ModifiedDateTime string           `json:"modifiedDateTime,omitempty"`
}

// IdentitySource is one member of Graph's polymorphic identitySource. Type is the @odata.type leaf;
// only the fields of that type are sent.
type IdentitySource struct {
	Type                     string
	TenantID                 string
	DomainName               string
	DisplayName              string
	IssuerURI                string
	CloudInstance            string
	SocialIdentitySourceType string
}

// Identity source types and the fields each carries (spec 1.8).
const (
	IdentitySourceTenant           = "azureActiveDirectoryTenant"
	IdentitySourceCrossCloudTenant = "crossCloudAzureActiveDirectoryTenant"
	IdentitySourceDomain           = "domainIdentitySource"
	IdentitySourceFederation       = "externalDomainFederation"
	IdentitySourceSocial           = "socialIdentitySource"
)

// IdentitySourceTypes lists them.
var IdentitySourceTypes = []string{
	IdentitySourceTenant, IdentitySourceCrossCloudTenant, IdentitySourceDomain, IdentitySourceFederation, IdentitySourceSocial,
}

// ConnectedOrganizationStates are the states a configuration may set: configured (users may request)
// and proposed, as the create and update pages list them. Reads accept any member, including
// unknownFutureValue and members added after v1.0's connectedOrganizationState
// (https://learn.microsoft.com/graph/api/resources/connectedorganization?view=graph-rest-1.0).
var ConnectedOrganizationStates = []string{"configured", "proposed"}

// SocialIdentitySourceTypes are the socialIdentitySourceType members a configuration may set; reads
// accept any (the enum also has unknownFutureValue).
// https://learn.microsoft.com/graph/api/resources/socialidentitysource?view=graph-rest-1.0
var SocialIdentitySourceTypes = []string{"facebook"}

// MarshalJSON writes the @odata.type and the fields of the source's type only.
func (s IdentitySource) MarshalJSON() ([]byte, error) {
	m := map[string]any{"@odata.type": graphTypePrefix + s.Type, "displayName": s.DisplayName}
	switch s.Type {
	case IdentitySourceTenant:
		m["tenantId"] = s.TenantID
	case IdentitySourceCrossCloudTenant:
		m["tenantId"], m["cloudInstance"] = s.TenantID, s.CloudInstance
	case IdentitySourceDomain:
		m["domainName"] = s.DomainName
	case IdentitySourceFederation:
		m["domainName"], m["issuerUri"] = s.DomainName, s.IssuerURI
	case IdentitySourceSocial:
		m["socialIdentitySourceType"] = s.SocialIdentitySourceType
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads any identity source, with or without the leading '#' on @odata.type.
func (s *IdentitySource) UnmarshalJSON(b []byte) error {
	var raw struct {
		Type                     string `json:"@odata.type"`
		TenantID                 string `json:"tenantId"`
		DomainName               string `json:"domainName"`
		DisplayName              string `json:"displayName"`
		IssuerURI                string `json:"issuerUri"`
		CloudInstance            string `json:"cloudInstance"`
		SocialIdentitySourceType string `json:"socialIdentitySourceType"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*s = IdentitySource{
		Type: ODataTypeLeaf(raw.Type), TenantID: raw.TenantID, DomainName: raw.DomainName, DisplayName: raw.DisplayName,
		IssuerURI: raw.IssuerURI, CloudInstance: raw.CloudInstance, SocialIdentitySourceType: raw.SocialIdentitySourceType,
	}
	return nil
}

// SameIdentitySource reports whether a and b name the same identity source: the same type and the same
// identifying fields (tenant ids, domains and cloud instances without regard to case, a domain without its
// trailing dot). displayName is not compared: Graph documents it as read-only and sets it itself.
func SameIdentitySource(a, b IdentitySource) bool {
	return strings.EqualFold(a.Type, b.Type) && strings.EqualFold(a.TenantID, b.TenantID) &&
		NormalizeDomain(a.DomainName) == NormalizeDomain(b.DomainName) && a.IssuerURI == b.IssuerURI &&
		strings.EqualFold(a.CloudInstance, b.CloudInstance) && strings.EqualFold(a.SocialIdentitySourceType, b.SocialIdentitySourceType)
}

// ResolvesDomainToTenant reports whether held is the form Graph documents for sent: a domainIdentitySource
// whose domain is registered to a Microsoft Entra tenant is stored as that tenant's azureActiveDirectoryTenant
// source (https://learn.microsoft.com/graph/api/resources/domainidentitysource?view=graph-rest-1.0). Which
// tenant owns the domain is not in either object: the caller decides whether the tenant is the right one.
func ResolvesDomainToTenant(sent, held IdentitySource) bool {
	return sent.Type == IdentitySourceDomain && held.Type == IdentitySourceTenant && held.TenantID != ""
}

// ConnectedOrganizationUpdate is a PATCH body.
type ConnectedOrganizationUpdate struct {
	DisplayName     *string          `json:"displayName,omitempty"`
	Description     *string          `json:"description,omitempty"`
	State           *string          `json:"state,omitempty"`
	IdentitySources []IdentitySource `json:"identitySources,omitempty"`
}

// CreateConnectedOrganization creates a connected organization with its one identity source.
func (c *Client) CreateConnectedOrganization(ctx context.Context, in ConnectedOrganization) (*ConnectedOrganization, error) {
	in.ID, in.CreatedDateTime, in.ModifiedDateTime = "", "", ""
	var out ConnectedOrganization
	if err := c.do(ctx, request{method: http.MethodPost, path: connectedOrganizationsPath, body: in}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetConnectedOrganization reads one connected organization.
func (c *Client) GetConnectedOrganization(ctx context.Context, id string) (*ConnectedOrganization, error) {
	var out ConnectedOrganization
	if bulkRead(ctx, c, bulkConnectedOrganizations, id, &out) {
		return &out, nil
	}
	if err := c.do(ctx, request{method: http.MethodGet, path: connectedOrganizationsPath + "/" + url.PathEscape(id)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetConnectedOrganizationWithSponsors reads an organization and both sponsor lists with the
// documented reads only: the object, then GET .../internalSponsors and GET .../externalSponsors, each
// followed through its pages. Graph documents no $expand of the sponsor collections on connectedOrganization
// (https://learn.microsoft.com/graph/api/connectedorganization-get?view=graph-rest-1.0), and expanded
// directory object collections are truncated by Graph without a nextLink, so an expansion could either fail
// (400) or silently drop sponsors.
// https://learn.microsoft.com/graph/api/connectedorganization-list-internalsponsors?view=graph-rest-1.0
// https://learn.microsoft.com/graph/api/connectedorganization-list-externalsponsors?view=graph-rest-1.0
//
// The two lists are read at once, after the object: a refresh waits one round trip for them instead of
// two, and an organization that is gone (404) still costs one request, not three.
func (c *Client) GetConnectedOrganizationWithSponsors(ctx context.Context, id string) (org *ConnectedOrganization, internal, external []DirectoryObject, err error) {
	if org, err = c.GetConnectedOrganization(ctx, id); err != nil {
		return nil, nil, nil, err
	}
	var internalErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		internal, internalErr = c.ListSponsors(ctx, id, InternalSponsors)
	}()
	external, err = c.ListSponsors(ctx, id, ExternalSponsors)
	<-done
	if internalErr != nil {
		return nil, nil, nil, internalErr
	}
	if err != nil {
		return nil, nil, nil, err
	}
	return org, internal, external, nil
}

// UpdateConnectedOrganization patches a connected organization. The reference answers 202 Accepted
// with the connectedOrganization in the body
// (https://learn.microsoft.com/graph/api/connectedorganization-update?view=graph-rest-1.0); any 2xx,
// with or without a body, is success, and the body is not decoded: the caller reads the object again.
func (c *Client) UpdateConnectedOrganization(ctx context.Context, id string, in ConnectedOrganizationUpdate) error {
	return c.do(ctx, request{method: http.MethodPatch, path: connectedOrganizationsPath + "/" + url.PathEscape(id), body: in}, nil)
}

// DeleteConnectedOrganization deletes one; one that is already gone counts as deleted.
func (c *Client) DeleteConnectedOrganization(ctx context.Context, id string) error {
	err := c.do(ctx, request{method: http.MethodDelete, path: connectedOrganizationsPath + "/" + url.PathEscape(id)}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// ListConnectedOrganizations returns every connected organization, following paging.
func (c *Client) ListConnectedOrganizations(ctx context.Context) ([]ConnectedOrganization, error) {
	return listAll[ConnectedOrganization](ctx, c, connectedOrganizationsPath, nil)
}

// ListConnectedOrganizationsByName returns those named exactly name.
func (c *Client) ListConnectedOrganizationsByName(ctx context.Context, name string) ([]ConnectedOrganization, error) {
	found, err := listAll[ConnectedOrganization](ctx, c, connectedOrganizationsPath, url.Values{"$filter": {"displayName eq " + ODataString(name)}})
	if err != nil {
		return nil, err
	}
	exact := found[:0]
	for _, o := range found {
		if o.DisplayName == name {
			exact = append(exact, o)
		}
	}
	return exact, nil
}

// Sponsor kinds of a connected organization.
const (
	InternalSponsors = "internalSponsors"
	ExternalSponsors = "externalSponsors"
)

// DirectoryObject is a user or group as a sponsor list returns it.
type DirectoryObject struct {
	Type        string `json:"@odata.type"`
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
}

func sponsorsPath(orgID, kind string) string {
	return connectedOrganizationsPath + "/" + url.PathEscape(orgID) + "/" + kind
}

// ListSponsors lists the internal or external sponsors (users and groups) of a connected organization.
func (c *Client) ListSponsors(ctx context.Context, orgID, kind string) ([]DirectoryObject, error) {
	return listAll[DirectoryObject](ctx, c, sponsorsPath(orgID, kind), nil)
}

// AddSponsor adds a user or group as a sponsor (a $ref link). The reference's body is the full URI of the
// user or group (https://learn.microsoft.com/graph/api/connectedorganization-post-internalsponsors?view=graph-rest-1.0,
// https://learn.microsoft.com/graph/api/connectedorganization-post-externalsponsors?view=graph-rest-1.0);
// addUserOrGroupRef (directory_refs.go) says how the id's type is found and how a lost answer is settled.
func (c *Client) AddSponsor(ctx context.Context, orgID, kind, objectID string) error {
	list := func(ctx context.Context) ([]DirectoryObject, error) { return c.ListSponsors(ctx, orgID, kind) }
	return c.addUserOrGroupRef(ctx, sponsorsPath(orgID, kind)+"/$ref", objectID, list,
		fmt.Sprintf("the %s of connected organization %s", kind, orgID))
}

// RemoveSponsor removes a sponsor; one that is already gone counts as removed.
func (c *Client) RemoveSponsor(ctx context.Context, orgID, kind, objectID string) error {
	err := c.do(ctx, request{method: http.MethodDelete, path: sponsorsPath(orgID, kind) + "/" + url.PathEscape(objectID) + "/$ref"}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// NormalizeDomain lower-cases a domain name for comparison.
func NormalizeDomain(d string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
}
