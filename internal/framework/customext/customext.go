// Package customext holds the schema, checks, expand and flatten of the parts every Graph custom
// extension shares (customCalloutExtension): the Logic App endpoint, the authentication and the client
// configuration. Catalog custom workflow extensions (entitlement) and custom task extensions (lifecycle)
// use it.
// https://learn.microsoft.com/en-us/graph/api/resources/customcalloutextension?view=graph-rest-1.0
package customext

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// EndpointModel is endpoint_configuration: the Logic App Graph calls.
type EndpointModel struct {
	Type                 types.String `tfsdk:"type"`
	SubscriptionID       types.String `tfsdk:"subscription_id"`
	ResourceGroupName    types.String `tfsdk:"resource_group_name"`
	LogicAppWorkflowName types.String `tfsdk:"logic_app_workflow_name"`
	URL                  types.String `tfsdk:"url"`
}

// AuthenticationModel is authentication_configuration.
type AuthenticationModel struct {
	Type       types.String `tfsdk:"type"`
	ResourceID types.String `tfsdk:"resource_id"`
}

// ClientModel is client_configuration.
type ClientModel struct {
	MaximumRetries        types.Int64 `tfsdk:"maximum_retries"`
	TimeoutInMilliseconds types.Int64 `tfsdk:"timeout_in_milliseconds"`
}

// EndpointAttribute is the schema of endpoint_configuration.
func EndpointAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Required: true,
		MarkdownDescription: "The Azure Logic App Graph calls (`endpointConfiguration`, a " +
			"`logicAppTriggerEndpointConfiguration`). The caller needs the Logic App Contributor, Contributor or Owner " +
			"role on the Logic App.",
		Attributes: map[string]schema.Attribute{
			"type": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(graph.LogicAppEndpointType),
				MarkdownDescription: "The endpoint type: `" + graph.LogicAppEndpointType + "` (the default and the only one).",
				Validators:          []validator.String{stringvalidator.OneOf(graph.LogicAppEndpointType)},
			},
			"subscription_id": schema.StringAttribute{
				Required: true, MarkdownDescription: "The Azure subscription of the Logic App (`subscriptionId`).",
				Validators: []validator.String{validators.GUID()},
			},
			"resource_group_name": schema.StringAttribute{
				Required: true, MarkdownDescription: "The resource group of the Logic App (`resourceGroupName`).",
				Validators: []validator.String{stringvalidator.LengthBetween(1, 90)},
			},
			"logic_app_workflow_name": schema.StringAttribute{
				Required: true, MarkdownDescription: "The Logic App's name (`logicAppWorkflowName`).",
				Validators: []validator.String{stringvalidator.LengthBetween(1, 80)},
			},
			"url": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The Logic App trigger URL Graph resolved (`url`, read-only).",
				PlanModifiers: []planmodifier.String{sameLogicAppURL{}},
			},
		},
	}
}

// AuthenticationAttribute is the schema of authentication_configuration.
func AuthenticationAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Required: true,
		MarkdownDescription: "How Graph authenticates to the Logic App (`authenticationConfiguration`): " +
			"`azureAdPopTokenAuthentication` (a proof-of-possession token) or `azureAdTokenAuthentication` (a token for " +
			"the application `resource_id`).",
		Attributes: map[string]schema.Attribute{
			"type": schema.StringAttribute{
				Required: true, MarkdownDescription: "`azureAdPopTokenAuthentication` or `azureAdTokenAuthentication`.",
				Validators: []validator.String{stringvalidator.OneOf(graph.AuthenticationTypes...)},
			},
			"resource_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The application id (or identifier URI) the token is issued for (`resourceId`); " +
					"required with `azureAdTokenAuthentication`, not allowed with `azureAdPopTokenAuthentication`.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

// ClientAttribute is the schema of client_configuration, with the documented ranges
// (https://learn.microsoft.com/en-us/graph/api/resources/customextensionclientconfiguration?view=graph-rest-1.0).
func ClientAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		Optional: true,
		MarkdownDescription: "HTTP settings of the call (`clientConfiguration`). When omitted, nothing is sent and the " +
			"service's defaults apply; a field left out is left to the service too.",
		Attributes: map[string]schema.Attribute{
			"maximum_retries": schema.Int64Attribute{
				Optional: true, MarkdownDescription: "How many times a timed-out call is retried (`maximumRetries`): `0` or `1`.",
				Validators: []validator.Int64{int64validator.Between(0, 1)},
			},
			"timeout_in_milliseconds": schema.Int64Attribute{
				Optional: true, MarkdownDescription: "How long Graph waits for the Logic App to answer (`timeoutInMilliseconds`): " +
					"200 to 2000 milliseconds (the service's default is 1000).",
				Validators: []validator.Int64{int64validator.Between(200, 2000)},
			},
		},
	}
}

// ValidateAuthentication checks resource_id against the authentication type; unknown values are not judged.
func ValidateAuthentication(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) {
	var a *AuthenticationModel
	at := path.Root("authentication_configuration")
	if config.GetAttribute(ctx, at, &a).HasError() || a == nil || a.Type.IsNull() || a.Type.IsUnknown() || a.ResourceID.IsUnknown() {
		return
	}
	switch typ := a.Type.ValueString(); {
	case typ == graph.AuthenticationToken && a.ResourceID.IsNull():
		diags.AddAttributeError(at.AtName("resource_id"), "Missing resource_id",
			fmt.Sprintf("Attribute %s: type %q needs the resource_id of the application the token is for.", at.AtName("resource_id"), typ))
	case typ == graph.AuthenticationPopToken && !a.ResourceID.IsNull():
		diags.AddAttributeError(at.AtName("resource_id"), "resource_id not used by this authentication type",
			fmt.Sprintf("Attribute %s: type %q takes no resource_id; remove it.", at.AtName("resource_id"), typ))
	}
}

// ExpandEndpoint is the Graph endpoint configuration of the model.
func ExpandEndpoint(m *EndpointModel) *graph.LogicAppEndpointConfiguration {
	if m == nil {
		return nil
	}
	return &graph.LogicAppEndpointConfiguration{
		Type: "#microsoft.graph." + graph.LogicAppEndpointType, SubscriptionID: m.SubscriptionID.ValueString(),
		ResourceGroupName: m.ResourceGroupName.ValueString(), LogicAppWorkflowName: m.LogicAppWorkflowName.ValueString(),
	}
}

// FlattenEndpoint is the model of Graph's endpoint configuration.
func FlattenEndpoint(e *graph.LogicAppEndpointConfiguration) *EndpointModel {
	if e == nil {
		return nil
	}
	typ := graph.ODataTypeLeaf(e.Type)
	if typ == "" {
		typ = graph.LogicAppEndpointType
	}
	return &EndpointModel{
		Type: types.StringValue(typ), SubscriptionID: types.StringValue(e.SubscriptionID),
		ResourceGroupName: types.StringValue(e.ResourceGroupName), LogicAppWorkflowName: types.StringValue(e.LogicAppWorkflowName),
		URL: types.StringValue(e.URL),
	}
}

// ExpandAuthentication is the Graph authentication configuration of the model.
func ExpandAuthentication(m *AuthenticationModel) *graph.ExtensionAuthentication {
	if m == nil {
		return nil
	}
	out := &graph.ExtensionAuthentication{Type: "#microsoft.graph." + m.Type.ValueString()}
	if m.Type.ValueString() == graph.AuthenticationToken {
		out.ResourceID = m.ResourceID.ValueString()
	}
	return out
}

// FlattenAuthentication is the model of Graph's authentication configuration.
func FlattenAuthentication(a *graph.ExtensionAuthentication) *AuthenticationModel {
	if a == nil {
		return nil
	}
	m := &AuthenticationModel{Type: types.StringValue(graph.ODataTypeLeaf(a.Type)), ResourceID: types.StringNull()}
	if a.ResourceID != "" {
		m.ResourceID = types.StringValue(a.ResourceID)
	}
	return m
}

// ExpandClient is the Graph client configuration of the model; nil when not configured.
func ExpandClient(m *ClientModel) *graph.ExtensionClientConfiguration {
	if m == nil {
		return nil
	}
	return &graph.ExtensionClientConfiguration{
		Type:                  "#microsoft.graph.customExtensionClientConfiguration",
		MaximumRetries:        m.MaximumRetries.ValueInt64Pointer(),
		TimeoutInMilliseconds: m.TimeoutInMilliseconds.ValueInt64Pointer(),
	}
}

// FlattenClient is the model of Graph's client configuration. configured is what the configuration (or
// the prior state) holds: a field it leaves out stays out even when the service fills a default, so that
// an omitted setting never fails an apply; a configured field takes what Graph holds (drift shows).
// After an import (configured nil, imported true) Graph's values are taken as they are.
func FlattenClient(c *graph.ExtensionClientConfiguration, configured *ClientModel, imported bool) *ClientModel {
	if c == nil || (c.MaximumRetries == nil && c.TimeoutInMilliseconds == nil) {
		if configured == nil {
			return nil
		}
		return &ClientModel{MaximumRetries: types.Int64Null(), TimeoutInMilliseconds: types.Int64Null()}
	}
	if configured == nil && !imported {
		return nil
	}
	out := &ClientModel{MaximumRetries: types.Int64PointerValue(c.MaximumRetries), TimeoutInMilliseconds: types.Int64PointerValue(c.TimeoutInMilliseconds)}
	if configured != nil {
		if configured.MaximumRetries.IsNull() {
			out.MaximumRetries = types.Int64Null()
		}
		if configured.TimeoutInMilliseconds.IsNull() {
			out.TimeoutInMilliseconds = types.Int64Null()
		}
	}
	return out
}

// sameLogicAppURL plans url as the one in state while the endpoint names the same Logic App; a new
// Logic App's URL is unknown until Graph resolves it.
type sameLogicAppURL struct{}

func (sameLogicAppURL) Description(context.Context) string {
	return "Keeps the resolved URL while the endpoint names the same Logic App."
}

func (m sameLogicAppURL) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (sameLogicAppURL) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.StateValue.IsUnknown() || !req.PlanValue.IsUnknown() {
		return
	}
	parent := req.Path.ParentPath()
	for _, name := range []string{"subscription_id", "resource_group_name", "logic_app_workflow_name"} {
		var planned, prior types.String
		if req.Plan.GetAttribute(ctx, parent.AtName(name), &planned).HasError() ||
			req.State.GetAttribute(ctx, parent.AtName(name), &prior).HasError() || !planned.Equal(prior) {
			return
		}
	}
	resp.PlanValue = req.StateValue
}
