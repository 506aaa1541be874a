package graph

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

const customTaskExtensionsPath = lwPath + "/customTaskExtensions"

// CustomTaskExtension is a lifecycle workflows custom task extension: a Logic App that the task "Run a
// Custom Task Extension" (CustomTaskExtensionDefinitionID) calls.
// https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-customtaskextension?view=graph-rest-1.0
type CustomTaskExtension struct {
	ID                          string                          `json:"id,omitempty"`
	DisplayName                 string                          `json:"displayName"`
	Description                 string                          `json:"description"`
	EndpointConfiguration       *LogicAppEndpointConfiguration  `json:"endpointConfiguration"`
	AuthenticationConfiguration *ExtensionAuthentication        `json:"authenticationConfiguration"`
	ClientConfiguration         *ExtensionClientConfiguration   `json:"clientConfiguration"`
	CallbackConfiguration       *ExtensionCallbackConfiguration `json:"callbackConfiguration"`
	// Read-only.
	CreatedDateTime      string `json:"createdDateTime,omitempty"`
	LastModifiedDateTime string `json:"lastModifiedDateTime,omitempty"`
	CreatedBy            *IDRef `json:"createdBy,omitempty"`
	LastModifiedBy       *IDRef `json:"lastModifiedBy,omitempty"`
}

// CustomTaskExtensionDefinitionID is the task definition "Run a Custom Task Extension"; its argument
// CustomTaskExtensionArgument names the extension.
// https://learn.microsoft.com/en-us/graph/identitygovernance-lifecycleworkflows-task-arguments
const (
	CustomTaskExtensionDefinitionID = "4262b724-8dba-4fad-afc3-43fcbb497a0e"
	CustomTaskExtensionArgument     = "customTaskExtensionID"
)

// TaskCallbackType is the @odata.type of a custom task extension's callback configuration.
const TaskCallbackType = "#microsoft.graph.identityGovernance.customTaskExtensionCallbackConfiguration"

// prepare fills the @odata.type values and drops the read-only values of a write.
func (in *CustomTaskExtension) prepare() {
	in.ID, in.CreatedDateTime, in.LastModifiedDateTime, in.CreatedBy, in.LastModifiedBy = "", "", "", nil, nil
	if e := in.EndpointConfiguration; e != nil {
		e.Type, e.URL = graphTypePrefix+LogicAppEndpointType, ""
	}
	if a := in.AuthenticationConfiguration; a != nil {
		a.Type = graphTypePrefix + ODataTypeLeaf(a.Type)
	}
	if c := in.CallbackConfiguration; c != nil {
		c.Type = TaskCallbackType
	}
}

func (out *CustomTaskExtension) finish() {
	if out.AuthenticationConfiguration != nil {
		out.AuthenticationConfiguration.Type = ODataTypeLeaf(out.AuthenticationConfiguration.Type)
	}
	if out.EndpointConfiguration != nil {
		out.EndpointConfiguration.Type = ODataTypeLeaf(out.EndpointConfiguration.Type)
	}
}

func customTaskExtensionPath(id string) string {
	return customTaskExtensionsPath + "/" + url.PathEscape(id)
}

// CreateCustomTaskExtension creates a custom task extension; Graph answers 201 with it.
func (c *Client) CreateCustomTaskExtension(ctx context.Context, in CustomTaskExtension) (*CustomTaskExtension, error) {
	in.prepare()
	var out CustomTaskExtension
	if err := c.do(ctx, request{method: http.MethodPost, path: customTaskExtensionsPath, body: in}, &out); err != nil {
		return nil, err
	}
	out.finish()
	return &out, nil
}

// GetCustomTaskExtension reads a custom task extension.
func (c *Client) GetCustomTaskExtension(ctx context.Context, id string) (*CustomTaskExtension, error) {
	var out CustomTaskExtension
	if err := c.do(ctx, request{method: http.MethodGet, path: customTaskExtensionPath(id)}, &out); err != nil {
		return nil, err
	}
	out.finish()
	return &out, nil
}

// UpdateCustomTaskExtension sends the whole extension with PATCH (Graph answers 204); configurations
// left out are sent as null, so that they are cleared.
// https://learn.microsoft.com/en-us/graph/api/identitygovernance-customtaskextension-update?view=graph-rest-1.0
func (c *Client) UpdateCustomTaskExtension(ctx context.Context, id string, in CustomTaskExtension) error {
	in.prepare()
	return c.do(ctx, request{method: http.MethodPatch, path: customTaskExtensionPath(id), body: in}, nil)
}

// DeleteCustomTaskExtension deletes a custom task extension; one that is already gone counts as deleted.
func (c *Client) DeleteCustomTaskExtension(ctx context.Context, id string) error {
	err := c.do(ctx, request{method: http.MethodDelete, path: customTaskExtensionPath(id)}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// ListCustomTaskExtensionsByName lists the custom task extensions with a display name.
func (c *Client) ListCustomTaskExtensionsByName(ctx context.Context, name string) ([]CustomTaskExtension, error) {
	out, err := listAll[CustomTaskExtension](ctx, c, customTaskExtensionsPath, url.Values{"$filter": {"displayName eq " + ODataString(name)}})
	for i := range out {
		out[i].finish()
	}
	return out, err
}

// WorkflowsUsingCustomTaskExtension lists the workflows with a task that runs the extension: Graph keeps an
// extension a task names, so a delete names them.
func (c *Client) WorkflowsUsingCustomTaskExtension(ctx context.Context, id string) ([]Workflow, error) {
	all, err := c.ListWorkflows(ctx)
	if err != nil {
		return nil, err
	}
	var out []Workflow
	for _, listed := range all {
		// A workflow is read on its own for its tasks, which a list may leave out.
		w, err := c.GetWorkflow(ctx, listed.ID)
		if IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if workflowRunsExtension(*w, id) {
			out = append(out, *w)
		}
	}
	return out, nil
}

// workflowRunsExtension reports whether a task of w names the extension (argument names compare
// without regard to case, as the task arguments page spells them CustomTaskExtensionID).
func workflowRunsExtension(w Workflow, id string) bool {
	for _, t := range w.Tasks {
		for _, a := range t.Arguments {
			if strings.EqualFold(a.Name, CustomTaskExtensionArgument) && strings.EqualFold(strings.TrimSpace(a.Value), id) {
				return true
			}
		}
	}
	return false
}

// ListCustomTaskExtensions lists every custom task extension of the tenant (for make sweep).
func (c *Client) ListCustomTaskExtensions(ctx context.Context) ([]CustomTaskExtension, error) {
	out, err := listAll[CustomTaskExtension](ctx, c, customTaskExtensionsPath, nil)
	for i := range out {
		out[i].finish()
	}
	return out, err
}
