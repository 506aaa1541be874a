package graph_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// TestEmptyIDIsRefusedBeforeAnyRequest: an empty id must not turn ".../catalogs/{id}" into the collection,
// whose GET answers 200 (read as an object without an id) and whose PATCH or DELETE hits the collection.
func TestEmptyIDIsRefusedBeforeAnyRequest(t *testing.T) {
	const id = "00000000-0000-0000-0000-000000000001"
	calls := map[string]func(context.Context, *graph.Client) error{
		"GetCatalog": func(ctx context.Context, c *graph.Client) error { _, err := c.GetCatalog(ctx, ""); return err },
		"UpdateCatalog": func(ctx context.Context, c *graph.Client) error {
			return c.UpdateCatalog(ctx, "", graph.CatalogUpdate{})
		},
		"DeleteCatalog": func(ctx context.Context, c *graph.Client) error { return c.DeleteCatalog(ctx, "") },
		"GetCatalogResource(catalog)": func(ctx context.Context, c *graph.Client) error {
			_, err := c.GetCatalogResource(ctx, "", id)
			return err
		},
		"GetCatalogResource(resource)": func(ctx context.Context, c *graph.Client) error {
			_, err := c.GetCatalogResource(ctx, id, "")
			return err
		},
		"ListCatalogResourceRoles": func(ctx context.Context, c *graph.Client) error {
			_, err := c.ListCatalogResourceRoles(ctx, id, "AadGroup", "")
			return err
		},
		"GetAccessPackage": func(ctx context.Context, c *graph.Client) error { _, err := c.GetAccessPackage(ctx, ""); return err },
		"UpdateAccessPackage": func(ctx context.Context, c *graph.Client) error {
			return c.UpdateAccessPackage(ctx, "", graph.AccessPackageUpdate{})
		},
		"DeleteAccessPackage":              func(ctx context.Context, c *graph.Client) error { return c.DeleteAccessPackage(ctx, "") },
		"RemoveIncompatibleGroup(package)": func(ctx context.Context, c *graph.Client) error { return c.RemoveIncompatibleGroup(ctx, "", id) },
		"RemoveIncompatibleGroup(group)":   func(ctx context.Context, c *graph.Client) error { return c.RemoveIncompatibleGroup(ctx, id, "") },
		"RemoveIncompatibleAccessPackage(other)": func(ctx context.Context, c *graph.Client) error {
			return c.RemoveIncompatibleAccessPackage(ctx, id, "")
		},
		"AddIncompatibleGroup(group)": func(ctx context.Context, c *graph.Client) error { return c.AddIncompatibleGroup(ctx, id, "") },
		"GetRoleScope": func(ctx context.Context, c *graph.Client) error {
			_, err := c.GetRoleScope(ctx, "", id)
			return err
		},
		"GetRoleScope, empty role scope id": func(ctx context.Context, c *graph.Client) error {
			_, err := c.GetRoleScope(ctx, id, "")
			return err
		},
		"DeleteRoleScope":        func(ctx context.Context, c *graph.Client) error { return c.DeleteRoleScope(ctx, "", id) },
		"GetAssignmentPolicy":    func(ctx context.Context, c *graph.Client) error { _, err := c.GetAssignmentPolicy(ctx, ""); return err },
		"DeleteAssignmentPolicy": func(ctx context.Context, c *graph.Client) error { return c.DeleteAssignmentPolicy(ctx, "") },
		"GetConnectedOrganization": func(ctx context.Context, c *graph.Client) error {
			_, err := c.GetConnectedOrganization(ctx, "")
			return err
		},
		"UpdateConnectedOrganization": func(ctx context.Context, c *graph.Client) error {
			return c.UpdateConnectedOrganization(ctx, "", graph.ConnectedOrganizationUpdate{})
		},
		"DeleteConnectedOrganization": func(ctx context.Context, c *graph.Client) error { return c.DeleteConnectedOrganization(ctx, "") },
		"GetAssignment":               func(ctx context.Context, c *graph.Client) error { _, err := c.GetAssignment(ctx, ""); return err },
		"GetAssignmentRequest": func(ctx context.Context, c *graph.Client) error {
			_, err := c.GetAssignmentRequest(ctx, "")
			return err
		},
		"DeleteCustomWorkflowExtension": func(ctx context.Context, c *graph.Client) error {
			return c.DeleteCustomWorkflowExtension(ctx, id, "")
		},
		"GetUser":  func(ctx context.Context, c *graph.Client) error { _, err := c.GetUser(ctx, ""); return err },
		"GetGroup": func(ctx context.Context, c *graph.Client) error { _, err := c.GetGroup(ctx, ""); return err },
		"ListGroupMemberIDs": func(ctx context.Context, c *graph.Client) error {
			_, err := c.ListGroupMemberIDs(ctx, "")
			return err
		},
		"GetTaskDefinition": func(ctx context.Context, c *graph.Client) error { _, err := c.GetTaskDefinition(ctx, ""); return err },
		"GetWorkflow":       func(ctx context.Context, c *graph.Client) error { _, err := c.GetWorkflow(ctx, ""); return err },
		"UpdateWorkflow": func(ctx context.Context, c *graph.Client) error {
			return c.UpdateWorkflow(ctx, "", graph.WorkflowUpdate{})
		},
		"UpdateWorkflowTask": func(ctx context.Context, c *graph.Client) error {
			return c.UpdateWorkflowTask(ctx, id, "", graph.WorkflowTaskUpdate{})
		},
		"DeleteWorkflow":         func(ctx context.Context, c *graph.Client) error { return c.DeleteWorkflow(ctx, "") },
		"GetDeletedWorkflow":     func(ctx context.Context, c *graph.Client) error { _, err := c.GetDeletedWorkflow(ctx, ""); return err },
		"RestoreDeletedWorkflow": func(ctx context.Context, c *graph.Client) error { return c.RestoreDeletedWorkflow(ctx, "") },
		"ListWorkflowVersions": func(ctx context.Context, c *graph.Client) error {
			_, err := c.ListWorkflowVersions(ctx, "")
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			// Without the guard each of these reaches the server and, for a GET, succeeds on the collection.
			collection := scriptedReply{status: http.StatusOK, body: `{"value":[{"id":"` + id + `"}]}`}
			c, s := newScriptedClient(t, []scriptedReply{collection, collection, collection}, nil)
			err := call(context.Background(), c)
			if !errors.Is(err, graph.ErrEmptyID) {
				t.Errorf("err = %v, want graph.ErrEmptyID", err)
			}
			if n := len(s.received); n != 0 {
				t.Errorf("%d requests sent for an empty id, want none", n)
			}
		})
	}
}
