package conformance

// Endpoint is one method and path template the provider calls (internal/graph/*.go).
type Endpoint struct {
	Method string
	// Path is relative to /v1.0, with {placeholders} for ids.
	Path string
	// Caller names the internal/graph function or file that sends it.
	Caller string
}

// Key is "<METHOD> <path template>", the form corpus cases name their endpoint in.
func (e Endpoint) Key() string { return e.Method + " " + e.Path }

const (
	em = "/identityGovernance/entitlementManagement"
	lw = "/identityGovernance/lifecycleWorkflows"
	rm = "/roleManagement/entitlementManagement"
	ar = "/identityGovernance/accessReviews"
)

// Endpoints is every request the provider sends to Graph, listed from internal/graph/*.go
// (request{method, path} literals and listAll calls). Every endpoint must have at least one
// documented case in testdata/ (TestEveryEndpointHasACase).
var Endpoints = []Endpoint{
	// catalogs.go
	{"POST", em + "/catalogs", "CreateCatalog"},
	{"GET", em + "/catalogs/{catalogId}", "GetCatalog"},
	{"PATCH", em + "/catalogs/{catalogId}", "UpdateCatalog"},
	{"DELETE", em + "/catalogs/{catalogId}", "DeleteCatalog"},
	{"GET", em + "/catalogs", "FindCatalogByName, ListCatalogs ($filter)"},
	// access_packages.go
	{"POST", em + "/accessPackages", "CreateAccessPackage"},
	{"GET", em + "/accessPackages/{accessPackageId}", "GetAccessPackage ($expand), ListAssignmentPoliciesByName ($expand=assignmentPolicies)"},
	{"PATCH", em + "/accessPackages/{accessPackageId}", "UpdateAccessPackage"},
	{"DELETE", em + "/accessPackages/{accessPackageId}", "DeleteAccessPackage"},
	{"GET", em + "/accessPackages", "FindAccessPackage ($filter, $expand=catalog)"},
	{"GET", em + "/catalogs/{catalogId}/accessPackages", "FindAccessPackage in a catalog"},
	{"POST", em + "/accessPackages/{accessPackageId}/incompatibleAccessPackages/$ref", "AddIncompatibleAccessPackage"},
	{"DELETE", em + "/accessPackages/{accessPackageId}/incompatibleAccessPackages/{otherId}/$ref", "RemoveIncompatibleAccessPackage"},
	{"POST", em + "/accessPackages/{accessPackageId}/incompatibleGroups/$ref", "AddIncompatibleGroup"},
	{"DELETE", em + "/accessPackages/{accessPackageId}/incompatibleGroups/{groupId}/$ref", "RemoveIncompatibleGroup"},
	// assignment_policies.go
	{"POST", em + "/assignmentPolicies", "CreateAssignmentPolicy"},
	{"GET", em + "/assignmentPolicies/{policyId}", "GetAssignmentPolicy ($expand)"},
	{"PUT", em + "/assignmentPolicies/{policyId}", "UpdateAssignmentPolicy"},
	{"DELETE", em + "/assignmentPolicies/{policyId}", "DeleteAssignmentPolicy"},
	{"GET", em + "/assignmentPolicies", "ListAssignmentPoliciesByName without a package ($filter)"},
	// assignments.go
	{"POST", em + "/assignmentRequests", "RequestAssignment, RequestRemoval"},
	{"GET", em + "/assignmentRequests/{requestId}", "GetAssignmentRequest"},
	{"GET", em + "/assignments/{assignmentId}", "GetAssignment"},
	{"GET", em + "/assignments", "ListAssignments ($filter, $expand)"},
	{"POST", em + "/assignments/{assignmentId}/reprocess", "ReprocessAssignment"},
	// catalog_resources.go
	{"POST", em + "/resourceRequests", "AddCatalogResource, RemoveCatalogResource"},
	{"GET", em + "/catalogs/{catalogId}/resources", "ListCatalogResources"},
	{"GET", em + "/catalogs/{catalogId}/resourceRoles", "ListCatalogResourceRoles"},
	// role_scopes.go
	{"POST", em + "/accessPackages/{accessPackageId}/resourceRoleScopes", "CreateRoleScope"},
	{"DELETE", em + "/accessPackages/{accessPackageId}/resourceRoleScopes/{roleScopeId}", "DeleteRoleScope"},
	// connected_organizations.go
	{"POST", em + "/connectedOrganizations", "CreateConnectedOrganization"},
	{"GET", em + "/connectedOrganizations/{connectedOrganizationId}", "GetConnectedOrganization"},
	{"PATCH", em + "/connectedOrganizations/{connectedOrganizationId}", "UpdateConnectedOrganization"},
	{"DELETE", em + "/connectedOrganizations/{connectedOrganizationId}", "DeleteConnectedOrganization"},
	{"GET", em + "/connectedOrganizations", "ListConnectedOrganizations, FindConnectedOrganization ($filter)"},
	{"GET", em + "/connectedOrganizations/{connectedOrganizationId}/internalSponsors", "ListSponsors"},
	{"GET", em + "/connectedOrganizations/{connectedOrganizationId}/externalSponsors", "ListSponsors"},
	{"POST", em + "/connectedOrganizations/{connectedOrganizationId}/internalSponsors/$ref", "AddSponsor"},
	{"POST", em + "/connectedOrganizations/{connectedOrganizationId}/externalSponsors/$ref", "AddSponsor"},
	{"DELETE", em + "/connectedOrganizations/{connectedOrganizationId}/internalSponsors/{id}/$ref", "RemoveSponsor"},
	{"DELETE", em + "/connectedOrganizations/{connectedOrganizationId}/externalSponsors/{id}/$ref", "RemoveSponsor"},
	// custom_extensions.go
	{"POST", em + "/catalogs/{catalogId}/customWorkflowExtensions", "CreateCustomExtension"},
	{"GET", em + "/catalogs/{catalogId}/customWorkflowExtensions/{customExtensionId}", "GetCustomWorkflowExtension"},
	{"PUT", em + "/catalogs/{catalogId}/customWorkflowExtensions/{customExtensionId}", "UpdateCustomWorkflowExtension"},
	{"GET", em + "/catalogs/{catalogId}/customWorkflowExtensions", "ListCustomWorkflowExtensionsByName ($filter)"},
	{"DELETE", em + "/catalogs/{catalogId}/customWorkflowExtensions/{customExtensionId}", "DeleteCustomExtension"},
	// custom_task_extensions.go
	{"POST", lw + "/customTaskExtensions", "CreateCustomTaskExtension"},
	{"GET", lw + "/customTaskExtensions/{customTaskExtensionId}", "GetCustomTaskExtension"},
	{"PATCH", lw + "/customTaskExtensions/{customTaskExtensionId}", "UpdateCustomTaskExtension"},
	{"DELETE", lw + "/customTaskExtensions/{customTaskExtensionId}", "DeleteCustomTaskExtension"},
	{"GET", lw + "/customTaskExtensions", "ListCustomTaskExtensions, ListCustomTaskExtensionsByName ($filter)"},
	// em_settings.go
	{"GET", em + "/settings", "GetEntitlementManagementSettings"},
	{"PATCH", em + "/settings", "UpdateEntitlementManagementSettings"},
	// lifecycle_workflows.go
	{"POST", lw + "/workflows", "CreateWorkflow"},
	{"GET", lw + "/workflows/{workflowId}", "GetWorkflow"},
	{"PATCH", lw + "/workflows/{workflowId}", "UpdateWorkflow"},
	{"PATCH", lw + "/workflows/{workflowId}/tasks/{taskId}", "UpdateWorkflowTask"},
	{"POST", lw + "/workflows/{workflowId}/createNewVersion", "CreateWorkflowVersion"},
	{"DELETE", lw + "/workflows/{workflowId}", "DeleteWorkflow"},
	{"GET", lw + "/deletedItems/workflows/{workflowId}", "GetDeletedWorkflow"},
	{"POST", lw + "/deletedItems/workflows/{workflowId}/restore", "RestoreWorkflow"},
	{"DELETE", lw + "/deletedItems/workflows/{workflowId}", "PurgeWorkflow"},
	{"GET", lw + "/workflows/{workflowId}/versions", "ListWorkflowVersions"},
	{"GET", lw + "/workflows", "FindWorkflow ($filter)"},
	{"POST", lw + "/workflows/{workflowId}/microsoft.graph.identityGovernance.activate", "ActivateWorkflow"},
	{"GET", lw + "/workflows/{workflowId}/userProcessingResults", "ListWorkflowUserProcessingResults"},
	// lifecycle_runs.go
	{"GET", lw + "/workflows/{workflowId}/runs", "ListWorkflowRuns"},
	{"GET", lw + "/workflows/{workflowId}/runs/{runId}/userProcessingResults", "ListRunUserProcessingResults"},
	{"GET", lw + "/workflows/{workflowId}/runs/{runId}/userProcessingResults/{userProcessingResultId}/taskProcessingResults", "ListRunUserTaskProcessingResults"},
	// lifecycle_task_definitions.go
	{"GET", lw + "/taskDefinitions", "ListTaskDefinitions"},
	{"GET", lw + "/taskDefinitions/{taskDefinitionId}", "GetTaskDefinition"},
	// lifecycle_settings.go
	{"GET", lw + "/settings", "GetLifecycleSettings"},
	{"PATCH", lw + "/settings", "UpdateLifecycleSettings"},
	// directory.go
	{"GET", "/users/{id | userPrincipalName}", "GetUser"},
	{"GET", "/users", "FindUsers ($filter), ListExternalUsers ($filter, $expand=sponsors)"},
	{"GET", "/groups/{groupId}", "GetGroup"},
	{"GET", "/groups", "FindGroup ($filter)"},
	{"GET", "/groups/{groupId}/members", "groupMemberIDs ($select=id)"},
	// invitations.go
	{"POST", "/invitations", "CreateInvitation"},
	// cross_tenant_access.go
	{"POST", "/policies/crossTenantAccessPolicy/partners", "CreateCrossTenantAccessPartner"},
	{"GET", "/policies/crossTenantAccessPolicy/partners/{tenantId}", "GetCrossTenantAccessPartner"},
	{"PATCH", "/policies/crossTenantAccessPolicy/partners/{tenantId}", "UpdateCrossTenantAccessPartner"},
	{"DELETE", "/policies/crossTenantAccessPolicy/partners/{tenantId}", "DeleteCrossTenantAccessPartner"},
	{"GET", "/policies/crossTenantAccessPolicy/default", "GetCrossTenantAccessDefault"},
	{"PATCH", "/policies/crossTenantAccessPolicy/default", "UpdateCrossTenantAccessDefault"},
	{"POST", "/policies/crossTenantAccessPolicy/default/resetToSystemDefault", "ResetCrossTenantAccessDefault"},
	// role_management.go
	{"POST", rm + "/roleAssignments", "CreateRoleAssignment"},
	{"GET", rm + "/roleAssignments/{roleAssignmentId}", "GetRoleAssignment"},
	{"DELETE", rm + "/roleAssignments/{roleAssignmentId}", "DeleteRoleAssignment"},
	{"GET", rm + "/roleAssignments", "ListRoleAssignmentsOf ($filter)"},
	{"GET", rm + "/roleDefinitions", "ListRoleDefinitions ($filter)"},
	{"PATCH", "/users/{id}", "UpdateUser"},
	{"DELETE", "/users/{id}", "DeleteUser"},
	// user_sponsors.go
	{"GET", "/users/{id}/sponsors", "ListUserSponsors ($select)"},
	{"POST", "/users/{id}/sponsors/$ref", "AddUserSponsor"},
	{"DELETE", "/users/{id}/sponsors/{id}/$ref", "RemoveUserSponsor"},
	// authorization_policy.go
	{"GET", "/policies/authorizationPolicy", "GetAuthorizationPolicy"},
	{"PATCH", "/policies/authorizationPolicy", "UpdateAuthorizationPolicy"},
	// access_reviews.go
	{"POST", ar + "/definitions", "CreateAccessReviewDefinition"},
	{"GET", ar + "/definitions/{accessReviewScheduleDefinitionId}", "GetAccessReviewDefinition"},
	{"PUT", ar + "/definitions/{accessReviewScheduleDefinitionId}", "ReplaceAccessReviewDefinition"},
	{"DELETE", ar + "/definitions/{accessReviewScheduleDefinitionId}", "DeleteAccessReviewDefinition"},
	{"GET", ar + "/definitions", "ListAccessReviewDefinitions, WalkAccessReviewDefinitions ($filter)"},
	// access_review_instances.go
	{"GET", ar + "/definitions/{accessReviewScheduleDefinitionId}/instances", "ListAccessReviewInstances"},
	{"GET", ar + "/definitions/{accessReviewScheduleDefinitionId}/instances/{accessReviewInstanceId}/decisions", "ListAccessReviewDecisions"},
	{"PATCH", ar + "/definitions/{accessReviewScheduleDefinitionId}/instances/{accessReviewInstanceId}/decisions/{accessReviewInstanceDecisionItemId}", "RecordAccessReviewDecision"},
	{"GET", ar + "/definitions/{accessReviewScheduleDefinitionId}/instances/{accessReviewInstanceId}", "GetAccessReviewInstance"},
	{"GET", ar + "/definitions/{accessReviewScheduleDefinitionId}/instances/{accessReviewInstanceId}/decisions/{accessReviewInstanceDecisionItemId}", "GetAccessReviewDecision"},
	{"POST", ar + "/definitions/{accessReviewScheduleDefinitionId}/instances/{accessReviewInstanceId}/stop", "StopAccessReviewInstance"},
	{"POST", ar + "/definitions/{accessReviewScheduleDefinitionId}/instances/{accessReviewInstanceId}/applyDecisions", "ApplyAccessReviewDecisions"},
}

// EndpointByKey finds an endpoint by its Key.
func EndpointByKey(key string) (Endpoint, bool) {
	for _, e := range Endpoints {
		if e.Key() == key {
			return e, true
		}
	}
	return Endpoint{}, false
}
