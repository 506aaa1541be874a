package graph

import (
	"context"
	"encoding/json"
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

// ConnectedOrganizationStates are configured (users may request) and proposed.
var ConnectedOrganizationStates = []string{"configured", "proposed"}

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
	if err := c.do(ctx, request{method: http.MethodGet, path: connectedOrganizationsPath + "/" + url.PathEscape(id)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetConnectedOrganizationWithSponsors reads an organization and both sponsor lists in one request
// with $expand. Graph does not document this expansion (spec 1.8 lists the sponsor collections only),
// so expanded is false when the reply lacks the lists and the caller must list them separately.
func (c *Client) GetConnectedOrganizationWithSponsors(ctx context.Context, id string) (org *ConnectedOrganization, internal, external []DirectoryObject, expanded bool, err error) {
	var out struct {
		ConnectedOrganization
		InternalSponsors *[]DirectoryObject `json:"internalSponsors"`
		ExternalSponsors *[]DirectoryObject `json:"externalSponsors"`
	}
	q := url.Values{"$expand": {InternalSponsors + "," + ExternalSponsors}}
	if err := c.do(ctx, request{method: http.MethodGet, path: connectedOrganizationsPath + "/" + url.PathEscape(id), query: q}, &out); err != nil {
		return nil, nil, nil, false, err
	}
	org = &out.ConnectedOrganization
	if out.InternalSponsors == nil || out.ExternalSponsors == nil {
		return org, nil, nil, false, nil
	}
	return org, *out.InternalSponsors, *out.ExternalSponsors, true, nil
}

// UpdateConnectedOrganization patches a connected organization. Graph's docs disagree on 202 with a
// body or 204 (spec 1.8); any 2xx is success and the caller reads the object again.
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

// AddSponsor adds a user or group as a sponsor (a $ref link). It is referenced as a directory object,
// so the caller need not know whether the id is a user or a group.
func (c *Client) AddSponsor(ctx context.Context, orgID, kind, objectID string) error {
	body := odataRef{ID: c.absoluteURL("/directoryObjects/" + url.PathEscape(objectID))}
	err := c.do(ctx, request{method: http.MethodPost, path: sponsorsPath(orgID, kind) + "/$ref", body: body}, nil)
	if IsAmbiguous(err) {
		// The answer was lost: the link is what counts.
		sponsors, listErr := c.ListSponsors(ctx, orgID, kind)
		if listErr == nil {
			for _, s := range sponsors {
				if strings.EqualFold(s.ID, objectID) {
					return nil
				}
			}
		}
	}
	return err
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
