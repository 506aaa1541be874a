package graph

import (
	"context"
	"net/url"
)

// Whole collections under a parent, for tools that look at everything a tenant holds (make sweep).
// Resources read their own objects by id; these lists serve the tools that do not know the ids.

// ListCatalogAccessPackages lists the access packages of a catalog
// (https://learn.microsoft.com/en-us/graph/api/accesspackagecatalog-list-accesspackages?view=graph-rest-1.0).
func (c *Client) ListCatalogAccessPackages(ctx context.Context, catalogID string) ([]AccessPackage, error) {
	if err := requireID("catalog", catalogID); err != nil {
		return nil, err
	}
	return listAll[AccessPackage](ctx, c, catalogsPath+"/"+url.PathEscape(catalogID)+"/accessPackages", nil)
}

// ListCatalogResources lists the resources onboarded to a catalog
// (https://learn.microsoft.com/en-us/graph/api/accesspackagecatalog-list-resources?view=graph-rest-1.0).
func (c *Client) ListCatalogResources(ctx context.Context, catalogID string) ([]CatalogResource, error) {
	if err := requireID("catalog", catalogID); err != nil {
		return nil, err
	}
	return listAll[CatalogResource](ctx, c, catalogsPath+"/"+url.PathEscape(catalogID)+"/resources", nil)
}

// ListCustomWorkflowExtensions lists the custom workflow extensions of a catalog
// (https://learn.microsoft.com/en-us/graph/api/accesspackagecatalog-list-customworkflowextensions?view=graph-rest-1.0).
func (c *Client) ListCustomWorkflowExtensions(ctx context.Context, catalogID string) ([]CustomWorkflowExtension, error) {
	if err := requireID("catalog", catalogID); err != nil {
		return nil, err
	}
	return listAll[CustomWorkflowExtension](ctx, c, customExtensionsPath(catalogID), nil)
}

// ListAccessPackagePolicies lists the assignment policies of an access package, filtered as the list
// page documents (https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-list-assignmentpolicies?view=graph-rest-1.0).
func (c *Client) ListAccessPackagePolicies(ctx context.Context, accessPackageID string) ([]AssignmentPolicy, error) {
	if err := requireID("access package", accessPackageID); err != nil {
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

// requireID refuses an empty id before a request is built: with it, the path would name the whole
// collection instead of one object's children.
func requireID(what, id string) error {
	if id == "" {
		return &emptyIDError{what: what}
	}
	return nil
}

type emptyIDError struct{ what string }

func (e *emptyIDError) Error() string { return "graph: empty " + e.what + " id" }
