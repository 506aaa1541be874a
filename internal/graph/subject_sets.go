package graph

import (
	"encoding/json"
	"fmt"
	"strings"
)

// SubjectSet is one member of Graph's polymorphic subjectSet (spec 1.6): who may request, approve,
// review or be targeted. Type is the @odata.type leaf (e.g. "singleUser"); only the fields of that type
// are sent.
type SubjectSet struct {
	Type                    string
	UserID                  string
	GroupID                 string
	ConnectedOrganizationID string
	ServicePrincipalID      string
	MembershipRule          string
	ManagerLevel            int
	Description             string
}

// Subject set types and the fields each carries.
const (
	SubjectSingleUser                   = "singleUser"
	SubjectGroupMembers                 = "groupMembers"
	SubjectConnectedOrganizationMembers = "connectedOrganizationMembers"
	SubjectAttributeRuleMembers         = "attributeRuleMembers"
	SubjectRequestorManager             = "requestorManager"
	SubjectInternalSponsors             = "internalSponsors"
	SubjectExternalSponsors             = "externalSponsors"
	SubjectTargetUserSponsors           = "targetUserSponsors"
	SubjectSingleServicePrincipal       = "singleServicePrincipal"
	SubjectTargetManager                = "targetManager"
	SubjectTargetApplicationOwners      = "targetApplicationOwners"
	// SubjectTargetAgentIdentitySponsorsOrOwners is the sponsors or owners of the agent identity a request
	// is for. The v1.0 metadata (schemas/v1.0-Prod.csdl of microsoftgraph/msgraph-metadata) declares it with
	// no properties; its reference page shows an isBackup that the metadata lacks, so none is sent.
	// https://learn.microsoft.com/en-us/graph/api/resources/targetagentidentitysponsorsorowners?view=graph-rest-1.0
	SubjectTargetAgentIdentitySponsorsOrOwners = "targetAgentIdentitySponsorsOrOwners"
)

// SubjectSetTypes lists every subject set type entragov writes.
var SubjectSetTypes = []string{
	SubjectSingleUser, SubjectGroupMembers, SubjectConnectedOrganizationMembers, SubjectAttributeRuleMembers,
	SubjectRequestorManager, SubjectInternalSponsors, SubjectExternalSponsors, SubjectTargetUserSponsors,
	SubjectSingleServicePrincipal, SubjectTargetManager, SubjectTargetApplicationOwners, SubjectTargetAgentIdentitySponsorsOrOwners,
}

const graphTypePrefix = "#microsoft.graph."

// MarshalJSON writes the @odata.type and the fields of the set's type only.
func (s SubjectSet) MarshalJSON() ([]byte, error) {
	m := map[string]any{"@odata.type": graphTypePrefix + s.Type}
	switch s.Type {
	case SubjectSingleUser:
		m["userId"] = s.UserID
	case SubjectGroupMembers:
		m["groupId"] = s.GroupID
	case SubjectConnectedOrganizationMembers:
		m["connectedOrganizationId"] = s.ConnectedOrganizationID
	case SubjectAttributeRuleMembers:
		m["membershipRule"] = s.MembershipRule
	case SubjectSingleServicePrincipal:
		m["servicePrincipalId"] = s.ServicePrincipalID
	case SubjectRequestorManager, SubjectTargetManager:
		m["managerLevel"] = s.ManagerLevel
	}
	switch s.Type {
	case SubjectSingleUser, SubjectGroupMembers, SubjectConnectedOrganizationMembers, SubjectAttributeRuleMembers, SubjectSingleServicePrincipal:
		if s.Description != "" {
			m["description"] = s.Description
		}
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads any subject set, with or without the leading '#' on @odata.type.
func (s *SubjectSet) UnmarshalJSON(b []byte) error {
	var raw struct {
		Type                    string          `json:"@odata.type"`
		UserID                  string          `json:"userId"`
		GroupID                 string          `json:"groupId"`
		ConnectedOrganizationID string          `json:"connectedOrganizationId"`
		ServicePrincipalID      string          `json:"servicePrincipalId"`
		MembershipRule          string          `json:"membershipRule"`
		ManagerLevel            json.RawMessage `json:"managerLevel"`
		Description             string          `json:"description"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*s = SubjectSet{
		Type: ODataTypeLeaf(raw.Type), UserID: raw.UserID, GroupID: raw.GroupID,
		ConnectedOrganizationID: raw.ConnectedOrganizationID, ServicePrincipalID: raw.ServicePrincipalID,
		MembershipRule: raw.MembershipRule, Description: raw.Description,
	}
	if len(raw.ManagerLevel) > 0 && string(raw.ManagerLevel) != "null" {
		level, err := flexibleInt(raw.ManagerLevel)
		if err != nil {
			return fmt.Errorf("managerLevel: %w", err)
		}
		s.ManagerLevel = level
	}
	return nil
}

// ODataTypeLeaf strips "#microsoft.graph." (and a following "identityGovernance.") from an @odata.type.
func ODataTypeLeaf(t string) string {
	t = strings.TrimPrefix(t, "#")
	t = strings.TrimPrefix(t, "microsoft.graph.")
	return strings.TrimPrefix(t, "identityGovernance.")
}

// flexibleInt reads an integer that some Graph examples send as a string.
func flexibleInt(raw json.RawMessage) (int, error) {
	var n int
	if err := json.Unmarshal(raw, &n); err == nil {
		return n, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, err
	}
	_, err := fmt.Sscan(s, &n)
	return n, err
}
