package graph

import (
	"context"
	"net/url"
)

// Whole collections under a parent, for tools that look at everything a tenant holds (make sweep).
// Resources read their own objects by id; these lists serve the tools that do not know the ids. An empty
// parent id is refused before any request (ErrEmptyID), as everywhere in this package.

// ListCatalogAccessPackages lists the access packages of a catalog
// (https://learn.microsoft.com/en-us/graph/api/accesspackagecatalog-list-accesspackages?view=graph-rest-1.0).
func (c *Client) ListCatalogAccessPackages(ctx context.Context, catalogID string) ([]AccessPackage, error) {
	return listAll[AccessPackage](ctx, c, catalogsPath+"/"+url.PathEscape(catalogID)+"/accessPackages", nil)
}

// ListCatalogResources lists the resources onboarded to a catalog
// (https://learn.microsoft.com/en-us/graph/api/accesspackagecatalog-list-resources?view=graph-rest-1.0).
func (c *Client) ListCatalogResources(ctx context.Context, catalogID string) ([]CatalogResource, error) {
	return listAll[CatalogResource](ctx, c, catalogsPath+"/"+url.PathEscape(catalogID)+"/resources", nil)
}

// ListCustomWorkflowExtensions lists the custom workflow extensions of a catalog
// (https://learn.microsoft.com/en-us/graph/api/accesspackagecatalog-list-customworkflowextensions?view=graph-rest-1.0).
func (c *Client) ListCustomWorkflowExtensions(ctx context.Context, catalogID string) ([]CustomWorkflowExtension, error) {
	return listAll[CustomWorkflowExtension](ctx, c, customExtensionsPath(catalogID), nil)
}

// ListAccessPackagePolicies lists the assignment policies of an access package, filtered as the list
// page documents (https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-list-assignmentpolicies?view=graph-rest-1.0).
func (c *Client) ListAccessPackagePolicies(ctx context.Context, accessPackageID string) ([]AssignmentPolicy, error) {
	if err := requireIDs("ListAccessPackagePolicies", accessPackageID); err != nil {
		return nil, err
	}
	q := url.Values{"$filter": {"accessPackage/id eq " + ODataString(accessPackageID)}}
	return listAll[AssignmentPolicy](ctx, c, assignmentPoliciesPath, q)
}

// ListWorkflows lists the tenant's lifecycle workflows
// (https://learn.microsoft.com/en-us/graph/api/identitygovernance-lifecycleworkflowscontainer-list-workflows?view=graph-rest-1.0).
func (c *Client) ListWorkflows(ctx context.Context) ([]Workflow, error) {
	return listAll[Workflow](ctx, c, workflowsPath, nil)
}
