package entitlement

// Internals the external tests use.
const (
	CollAssignmentRequests       = collAssignmentRequests
	CollAssignments              = collAssignments
	CollCatalogResources         = collCatalogResources
	CollCatalogRoles             = collCatalogRoles
	CollCatalogScopes            = collCatalogScopes
	CollConnectedOrgs            = collConnectedOrgs
	CollCustomWorkflowExtensions = collCustomWorkflowExtensions
	CollEMSettings               = collEMSettings
	CollRoleScopes               = collRoleScopes
	DefaultAccessRoleID          = defaultAccessRoleID
	ExtTypeAssignment            = extTypeAssignment
	ExtTypeRequest               = extTypeRequest
	IfAccessPackageID            = ifAccessPackageID
	IfAssignmentPolicyID         = ifAssignmentPolicyID
	IfCatalogID                  = ifCatalogID
	IfExternalSponsors           = ifExternalSponsors
	IfGrantedGroups              = ifGrantedGroups
	IfIncompatiblePackages       = ifIncompatiblePackages
	IfOwnerRoles                 = ifOwnerRoles
	IfTargetID                   = ifTargetID
	MsgCannotCancel              = msgCannotCancel
	MsgDuplicateAssignment       = msgDuplicateAssignment
	MsgDuplicateIdentitySource   = msgDuplicateIdentitySource
	PolicyCollConnectedOrgs      = policyCollConnectedOrgs
)

var (
	CatalogFilterable      = catalogFilterable
	ContainsID             = containsID
	DefaultSiteGroups      = defaultSiteGroups
	ParseSharePointSiteURL = parseSharePointSiteURL
	RequestorOnBehalfFlags = requestorOnBehalfFlags
	RequestorSelfFlags     = requestorSelfFlags
)
