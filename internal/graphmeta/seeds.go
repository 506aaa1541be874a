package graphmeta

// Seeds are the Graph types the client (internal/graph) reads or writes. The digest holds them, their base
// types, the complex and enum types of their properties and every type derived from them, so that the
// polymorphic bases (subjectSet, identitySource, accessPackageQuestion, customCalloutExtension,
// customExtensionAuthenticationConfiguration, customExtensionEndpointConfiguration and the lifecycle
// workflowExecutionConditions and workflowExecutionTrigger) come with all their members. Changing this
// list needs a regenerated digest (make graph-metadata).
var Seeds = []string{
	"microsoft.graph.accessPackage",
	"microsoft.graph.accessPackageAssignment",
	"microsoft.graph.accessPackageAssignmentPolicy",
	"microsoft.graph.accessPackageAssignmentRequest",
	"microsoft.graph.accessPackageCatalog",
	"microsoft.graph.accessPackageQuestion",
	"microsoft.graph.accessPackageResource",
	"microsoft.graph.accessPackageResourceRequest",
	"microsoft.graph.accessPackageResourceRole",
	"microsoft.graph.accessPackageResourceRoleScope",
	"microsoft.graph.accessPackageResourceScope",
	"microsoft.graph.accessPackageSubject",
	"microsoft.graph.connectedOrganization",
	"microsoft.graph.customCalloutExtension",
	"microsoft.graph.customExtensionStageSetting",
	"microsoft.graph.entitlementManagementSettings",
	"microsoft.graph.identityGovernance.lifecycleManagementSettings",
	"microsoft.graph.identityGovernance.task",
	"microsoft.graph.identityGovernance.taskDefinition",
	"microsoft.graph.identityGovernance.run",
	"microsoft.graph.identityGovernance.taskProcessingResult",
	"microsoft.graph.identityGovernance.userProcessingResult",
	"microsoft.graph.identityGovernance.workflow",
	"microsoft.graph.identityGovernance.workflowVersion",
	"microsoft.graph.subjectSet",
	"microsoft.graph.identitySource",
	"microsoft.graph.invitation",
	"microsoft.graph.crossTenantAccessPolicyConfigurationDefault",
	"microsoft.graph.crossTenantAccessPolicyConfigurationPartner",
	"microsoft.graph.unifiedRoleAssignment",
	"microsoft.graph.unifiedRoleDefinition",
	"microsoft.graph.authorizationPolicy",
	"microsoft.graph.accessReviewScheduleDefinition",
	"microsoft.graph.accessReviewInstance",
	"microsoft.graph.accessReviewInstanceDecisionItem",
}

// Shallow are types the client reads a few properties of (directory objects that governance objects point
// at): their properties are listed, nothing they refer to is followed.
var Shallow = []string{
	"microsoft.graph.directoryObject",
	"microsoft.graph.group",
	"microsoft.graph.user",
}
