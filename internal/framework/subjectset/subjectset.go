// Package subjectset is the one schema every subject set uses (targets, requestors, approvers, reviewers,
// on-behalf requestors): a list of { type = "<@odata.type leaf>", <that type's fields> }, checked at plan,
// with the expand and flatten that move it to and from graph.SubjectSet.
package subjectset

import (
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework/schemadoc"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// Model is one subject set in Terraform data.
type Model struct {
	Type                    types.String `tfsdk:"type"`
	UserID                  types.String `tfsdk:"user_id"`
	GroupID                 types.String `tfsdk:"group_id"`
	ConnectedOrganizationID types.String `tfsdk:"connected_organization_id"`
	ServicePrincipalID      types.String `tfsdk:"service_principal_id"`
	MembershipRule          types.String `tfsdk:"membership_rule"`
	ManagerLevel            types.Int64  `tfsdk:"manager_level"`
	Description             types.String `tfsdk:"description"`
}

const (
	attrType                    = "type"
	attrUserID                  = "user_id"
	attrGroupID                 = "group_id"
	attrConnectedOrganizationID = "connected_organization_id"
	attrServicePrincipalID      = "service_principal_id"
	attrMembershipRule          = "membership_rule"
	attrManagerLevel            = "manager_level"
	attrDescription             = "description"
)

// fieldNames are the attributes beside type, in schema order (the order diagnostics come in).
var fieldNames = []string{
	attrUserID, attrGroupID, attrConnectedOrganizationID, attrServicePrincipalID, attrMembershipRule,
	attrManagerLevel, attrDescription,
}

// typeRule is what spec 1.6 says a subject set type carries.
type typeRule struct {
	required    string // the attribute the type cannot do without; "" for types with no fields
	description bool   // whether the type has Graph's optional description
}

var typeRules = map[string]typeRule{
	graph.SubjectSingleUser:                   {required: attrUserID, description: true},
	graph.SubjectGroupMembers:                 {required: attrGroupID, description: true},
	graph.SubjectConnectedOrganizationMembers: {required: attrConnectedOrganizationID, description: true},
	graph.SubjectAttributeRuleMembers:         {required: attrMembershipRule, description: true},
	graph.SubjectSingleServicePrincipal:       {required: attrServicePrincipalID, description: true},
	graph.SubjectRequestorManager:             {required: attrManagerLevel},
	graph.SubjectTargetManager:                {required: attrManagerLevel},
	graph.SubjectInternalSponsors:             {},
	graph.SubjectExternalSponsors:             {},
	graph.SubjectTargetUserSponsors:           {},
	graph.SubjectTargetApplicationOwners:      {},
	// No properties in the v1.0 metadata (see graph.SubjectTargetAgentIdentitySponsorsOrOwners).
	graph.SubjectTargetAgentIdentitySponsorsOrOwners: {},
}

// uses reports whether the type carries the attribute named field.
func (r typeRule) uses(field string) bool {
	return field == r.required || (field == attrDescription && r.description)
}

// AttrTypes is the object type of one subject set, for building types.Object and types.List values.
func AttrTypes() map[string]attr.Type {
	return map[string]attr.Type{
		attrType:                    types.StringType,
		attrUserID:                  types.StringType,
		attrGroupID:                 types.StringType,
		attrConnectedOrganizationID: types.StringType,
		attrServicePrincipalID:      types.StringType,
		attrMembershipRule:          types.StringType,
		attrManagerLevel:            types.Int64Type,
		attrDescription:             types.StringType,
	}
}

// ObjectType is the element type of a subject set list.
func ObjectType() types.ObjectType { return types.ObjectType{AttrTypes: AttrTypes()} }

// fieldValues pairs each attribute name beside type with its value in m.
func (m Model) fieldValues() map[string]attr.Value {
	return map[string]attr.Value{
		attrUserID:                  m.UserID,
		attrGroupID:                 m.GroupID,
		attrConnectedOrganizationID: m.ConnectedOrganizationID,
		attrServicePrincipalID:      m.ServicePrincipalID,
		attrMembershipRule:          m.MembershipRule,
		attrManagerLevel:            m.ManagerLevel,
		attrDescription:             m.Description,
	}
}

// typesUsing lists the types among allowed that carry field, for attribute descriptions.
func typesUsing(field string, allowed []string) []string {
	var users []string
	for _, typ := range allowed {
		if typeRules[typ].uses(field) {
			users = append(users, typ)
		}
	}
	return users
}

// fieldDescriptions say what each attribute holds in Graph terms; usedBy is appended per schema.
var fieldDescriptions = map[string]string{
	attrType:    "The kind of subject set: the Graph `@odata.type` without `#microsoft.graph.`.",
	attrUserID:  "Object id of the user (Graph `userId`).",
	attrGroupID: "Object id of the group whose members are meant (Graph `groupId`).",
	attrConnectedOrganizationID: "Id of the connected organization whose users are meant " +
		"(Graph `connectedOrganizationId`).",
	attrServicePrincipalID: "Object id of the service principal (Graph `servicePrincipalId`).",
	attrMembershipRule: "Dynamic-group style rule selecting users, e.g. `(user.department -eq \"Sales\")` " +
		"(Graph `membershipRule`).",
	attrManagerLevel: "How far up the manager chain to go; 1 is the direct manager (Graph `managerLevel`).",
	attrDescription: "Free text Graph keeps with the subject set. Graph may fill it on read (e.g. with a " +
		"display name); that is ignored unless you set it.",
}

// fieldDescription is the attribute's description plus which of the allowed types use it.
func fieldDescription(field string, allowed []string) string {
	users := typesUsing(field, allowed)
	if len(users) == 0 {
		return fieldDescriptions[field] + " Not used by the types allowed here."
	}
	required := ""
	for _, typ := range users {
		if typeRules[typ].required == field {
			required = " (required)"
			break
		}
	}
	return fmt.Sprintf("%s Used by %s%s; must be omitted for other types.", fieldDescriptions[field], schemadoc.CodeList(users), required)
}

// checkAllowed catches a schema that names a type this package does not know, at provider start-up
// rather than as a missing check at plan.
func checkAllowed(allowed []string) {
	if len(allowed) == 0 {
		panic("subjectset: no allowed types")
	}
	for _, typ := range allowed {
		if _, ok := typeRules[typ]; !ok {
			panic(fmt.Sprintf("subjectset: unknown subject set type %q", typ))
		}
	}
	if len(slices.Compact(slices.Sorted(slices.Values(allowed)))) != len(allowed) {
		panic(fmt.Sprintf("subjectset: allowed types repeat: %v", allowed))
	}
}
