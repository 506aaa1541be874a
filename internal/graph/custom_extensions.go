package graph

import (
	"context"
	"net/http"
	"net/url"
)

// CustomWorkflowExtension is a catalog's custom extension (spec 1.7): a Logic App that assignment
// policies call at stages of a request or an assignment. Type is the @odata.type leaf.
type CustomWorkflowExtension struct {
	Type                        string                         `json:"@odata.type"`
	ID                          string                         `json:"id,omitempty"`
	DisplayName                 string                         `json:"displayName"`
	Description                 string                         `json:"description,omitempty"`
	EndpointConfiguration       *LogicAppEndpointConfiguration `json:"endpointConfiguration"`
	AuthenticationConfiguration *ExtensionAuthentication       `json:"authenticationConfiguration"`
}

// ExtensionAuthentication is how Graph proves itself to the Logic App: azureAdPopTokenAuthentication
// (no fields) or azureAdTokenAuthentication (with the resource id).
type ExtensionAuthentication struct {
	Type       string `json:"@odata.type"`
	ResourceID string `json:"resourceId,omitempty"`
}

// LogicAppEndpointConfiguration names the Logic App an extension triggers.
type LogicAppEndpointConfiguration struct {
	Type                 string `json:"@odata.type"`
	SubscriptionID       string `json:"subscriptionId"`
	ResourceGroupName    string `json:"resourceGroupName"`
	LogicAppWorkflowName string `json:"logicAppWorkflowName"`
	URL                  string `json:"url,omitempty"`
}

func customExtensionsPath(catalogID string) string {
	return catalogsPath + "/" + url.PathEscape(catalogID) + "/customWorkflowExtensions"
}

// CreateCustomWorkflowExtension creates a custom extension in a catalog.
func (c *Client) CreateCustomWorkflowExtension(ctx context.Context, catalogID string, in CustomWorkflowExtension) (*CustomWorkflowExtension, error) {
	in.Type = graphTypePrefix + ODataTypeLeaf(in.Type)
	if in.EndpointConfiguration != nil && in.EndpointConfiguration.Type == "" {
		in.EndpointConfiguration.Type = graphTypePrefix + "logicAppTriggerEndpointConfiguration"
	}
	var out CustomWorkflowExtension
	if err := c.do(ctx, request{method: http.MethodPost, path: customExtensionsPath(catalogID), body: in}, &out); err != nil {
		return nil, err
	}
	out.Type = ODataTypeLeaf(out.Type)
	return &out, nil
}

// DeleteCustomWorkflowExtension deletes a custom extension; one that is already gone counts as deleted.
func (c *Client) DeleteCustomWorkflowExtension(ctx context.Context, catalogID, id string) error {
	err := c.do(ctx, request{method: http.MethodDelete, path: customExtensionsPath(catalogID) + "/" + url.PathEscape(id)}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}
