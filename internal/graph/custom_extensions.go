package graph

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// CustomWorkflowExtension is a catalog's custom extension (spec 1.7): a Logic App that assignment
// policies call at stages of a request or an assignment. Type is the @odata.type leaf
// (RequestWorkflowExtensionType or AssignmentWorkflowExtensionType).
// https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentrequestworkflowextension?view=graph-rest-1.0
type CustomWorkflowExtension struct {
	Type                        string                         `json:"@odata.type"`
	ID                          string                         `json:"id,omitempty"`
	DisplayName                 string                         `json:"displayName"`
	Description                 string                         `json:"description"`
	EndpointConfiguration       *LogicAppEndpointConfiguration `json:"endpointConfiguration"`
	AuthenticationConfiguration *ExtensionAuthentication       `json:"authenticationConfiguration"`
	// Sent as null when nil: an update that keeps what the body leaves out (PUT as the update pages
	// show it) clears them.
	ClientConfiguration   *ExtensionClientConfiguration   `json:"clientConfiguration"`
	CallbackConfiguration *ExtensionCallbackConfiguration `json:"callbackConfiguration"`
	// Read-only.
	CreatedBy            string `json:"createdBy,omitempty"`
	LastModifiedBy       string `json:"lastModifiedBy,omitempty"`
	CreatedDateTime      string `json:"createdDateTime,omitempty"`
	LastModifiedDateTime string `json:"lastModifiedDateTime,omitempty"`
}

// ExtensionAuthentication is how Graph proves itself to the Logic App: azureAdPopTokenAuthentication
// (no fields) or azureAdTokenAuthentication (with the resource id).
type ExtensionAuthentication struct {
	Type       string `json:"@odata.type"`
	ResourceID string `json:"resourceId,omitempty"`
}

// Authentication configuration types (customExtensionAuthenticationConfiguration members).
const (
	AuthenticationPopToken = "azureAdPopTokenAuthentication"
	AuthenticationToken    = "azureAdTokenAuthentication"
)

// AuthenticationTypes lists them.
var AuthenticationTypes = []string{AuthenticationPopToken, AuthenticationToken}

// LogicAppEndpointType is the one endpoint configuration type the provider writes.
const LogicAppEndpointType = "logicAppTriggerEndpointConfiguration"

// LogicAppEndpointConfiguration names the Logic App an extension triggers. URL is read-only.
type LogicAppEndpointConfiguration struct {
	Type                 string `json:"@odata.type"`
	SubscriptionID       string `json:"subscriptionId"`
	ResourceGroupName    string `json:"resourceGroupName"`
	LogicAppWorkflowName string `json:"logicAppWorkflowName"`
	URL                  string `json:"url,omitempty"`
}

// ExtensionClientConfiguration is customExtensionClientConfiguration: how long Graph waits for the
// Logic App and how often it retries. Nil fields are the service's defaults.
type ExtensionClientConfiguration struct {
	Type                  string `json:"@odata.type,omitempty"`
	MaximumRetries        *int64 `json:"maximumRetries"`
	TimeoutInMilliseconds *int64 `json:"timeoutInMilliseconds"`
}

// ExtensionCallbackConfiguration is a customExtensionCallbackConfiguration: how long Graph waits for the
// Logic App to call back. AuthorizedApps belongs to the lifecycle workflows subtype only.
type ExtensionCallbackConfiguration struct {
	Type            string  `json:"@odata.type,omitempty"`
	TimeoutDuration string  `json:"timeoutDuration,omitempty"`
	AuthorizedApps  []IDRef `json:"authorizedApps,omitempty"`
}

// Timeout is the callback timeout Graph answered.
func (c *ExtensionCallbackConfiguration) Timeout() string {
	if c == nil {
		return ""
	}
	return c.TimeoutDuration
}

// callbackDurationAlias is the name the create and update pages' examples of catalog extensions send and
// answer for the callback timeout; the v1.0 metadata has timeoutDuration only. It is read (never sent)
// when timeoutDuration is absent, without a struct field, since the client's types hold metadata names.
const callbackDurationAlias = "durationBeforeTimeout"

// readCallbackAlias fills out.CallbackConfiguration.TimeoutDuration from the alias in raw (the object
// answered, already unwrapped) when Graph answered only the alias.
func readCallbackAlias(raw json.RawMessage, out *CustomWorkflowExtension) {
	if out.CallbackConfiguration == nil || out.CallbackConfiguration.TimeoutDuration != "" {
		return
	}
	var m map[string]json.RawMessage
	var callback map[string]any
	if json.Unmarshal(raw, &m) != nil || json.Unmarshal(m["callbackConfiguration"], &callback) != nil {
		return
	}
	if d, ok := callback[callbackDurationAlias].(string); ok {
		out.CallbackConfiguration.TimeoutDuration = d
	}
}

// CatalogExtensionCallbackType is the @odata.type sent with a catalog extension's callback configuration:
// the one the create page's example sends.
// https://learn.microsoft.com/en-us/graph/api/accesspackagecatalog-post-accesspackagecustomworkflowextensions?view=graph-rest-1.0
const CatalogExtensionCallbackType = "#microsoft.graph.customExtensionCallbackConfiguration"

// CustomWorkflowExtensionTypes are the two kinds of catalog extension.
var CustomWorkflowExtensionTypes = []string{RequestWorkflowExtensionType, AssignmentWorkflowExtensionType}

func customExtensionsPath(catalogID string) string {
	return catalogsPath + "/" + url.PathEscape(catalogID) + "/customWorkflowExtensions"
}

func customExtensionPath(catalogID, id string) string {
	return customExtensionsPath(catalogID) + "/" + url.PathEscape(id)
}

// prepare fills the @odata.type values Graph requires on a write.
func (in *CustomWorkflowExtension) prepare() {
	in.Type = graphTypePrefix + ODataTypeLeaf(in.Type)
	if in.EndpointConfiguration != nil && in.EndpointConfiguration.Type == "" {
		in.EndpointConfiguration.Type = graphTypePrefix + LogicAppEndpointType
	}
	if a := in.AuthenticationConfiguration; a != nil && !strings.HasPrefix(a.Type, "#") {
		a.Type = graphTypePrefix + ODataTypeLeaf(a.Type)
	}
	if in.EndpointConfiguration != nil {
		in.EndpointConfiguration.URL = "" // read-only
	}
	if c := in.CallbackConfiguration; c != nil && c.Type == "" {
		c.Type = CatalogExtensionCallbackType
	}
}

// finish turns @odata.type values into leaves after a read.
func (out *CustomWorkflowExtension) finish() {
	out.Type = ODataTypeLeaf(out.Type)
	if out.AuthenticationConfiguration != nil {
		out.AuthenticationConfiguration.Type = ODataTypeLeaf(out.AuthenticationConfiguration.Type)
	}
	if out.EndpointConfiguration != nil {
		out.EndpointConfiguration.Type = ODataTypeLeaf(out.EndpointConfiguration.Type)
	}
}

// decodeEntity decodes an object that Graph may answer wrapped in {"value": {...}}: the create and
// update pages of catalog extensions show that form, the metadata the plain one; both are read.
func decodeEntity(raw json.RawMessage, out any) (json.RawMessage, error) {
	var wrapped map[string]json.RawMessage
	if err := json.Unmarshal(raw, &wrapped); err == nil && len(wrapped["value"]) > 0 && wrapped["value"][0] == '{' {
		raw = wrapped["value"]
	}
	return raw, json.Unmarshal(raw, out)
}

// decodeCustomWorkflowExtension reads an extension Graph answered.
func decodeCustomWorkflowExtension(raw json.RawMessage) (*CustomWorkflowExtension, error) {
	var out CustomWorkflowExtension
	raw, err := decodeEntity(raw, &out)
	if err != nil {
		return nil, err
	}
	readCallbackAlias(raw, &out)
	out.finish()
	return &out, nil
}

// CreateCustomWorkflowExtension creates a custom extension in a catalog.
func (c *Client) CreateCustomWorkflowExtension(ctx context.Context, catalogID string, in CustomWorkflowExtension) (*CustomWorkflowExtension, error) {
	in.prepare()
	var raw json.RawMessage
	if err := c.do(ctx, request{method: http.MethodPost, path: customExtensionsPath(catalogID), body: in}, &raw); err != nil {
		return nil, err
	}
	return decodeCustomWorkflowExtension(raw)
}

// GetCustomWorkflowExtension reads one custom extension of a catalog.
func (c *Client) GetCustomWorkflowExtension(ctx context.Context, catalogID, id string) (*CustomWorkflowExtension, error) {
	var raw json.RawMessage
	if err := c.do(ctx, request{method: http.MethodGet, path: customExtensionPath(catalogID, id)}, &raw); err != nil {
		return nil, err
	}
	return decodeCustomWorkflowExtension(raw)
}

// UpdateCustomWorkflowExtension writes the whole extension with PUT, the method the update pages of both
// kinds document (https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequestworkflowextension-update?view=graph-rest-1.0).
// The whole object is sent, so the answer is the same whether the service replaces or merges.
func (c *Client) UpdateCustomWorkflowExtension(ctx context.Context, catalogID, id string, in CustomWorkflowExtension) error {
	in.prepare()
	in.ID = ""
	in.CreatedBy, in.LastModifiedBy, in.CreatedDateTime, in.LastModifiedDateTime = "", "", "", ""
	return c.do(ctx, request{method: http.MethodPut, path: customExtensionPath(catalogID, id), body: in}, nil)
}

// DeleteCustomWorkflowExtension deletes a custom extension; one that is already gone counts as deleted.
func (c *Client) DeleteCustomWorkflowExtension(ctx context.Context, catalogID, id string) error {
	err := c.do(ctx, request{method: http.MethodDelete, path: customExtensionPath(catalogID, id)}, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// ListCustomWorkflowExtensionsByName lists a catalog's extensions with a display name.
func (c *Client) ListCustomWorkflowExtensionsByName(ctx context.Context, catalogID, name string) ([]CustomWorkflowExtension, error) {
	out, err := listAll[CustomWorkflowExtension](ctx, c, customExtensionsPath(catalogID), url.Values{"$filter": {"displayName eq " + ODataString(name)}})
	for i := range out {
		out[i].finish()
	}
	return out, err
}

// PoliciesUsingCustomWorkflowExtension lists the assignment policies whose custom extension stage
// settings name the extension: Graph keeps an extension such policies use, so a delete names them.
func (c *Client) PoliciesUsingCustomWorkflowExtension(ctx context.Context, id string) ([]AssignmentPolicy, error) {
	q := url.Values{"$expand": {"customExtensionStageSettings($expand=customExtension)"}}
	all, err := listAll[AssignmentPolicy](ctx, c, assignmentPoliciesPath, q)
	if err != nil {
		return nil, err
	}
	var out []AssignmentPolicy
	for _, p := range all {
		for _, s := range p.CustomExtensionStageSettings {
			if s.CustomExtension != nil && strings.EqualFold(s.CustomExtension.ID, id) {
				out = append(out, p)
				break
			}
		}
	}
	return out, nil
}
