// Package provider defines the entragov provider: its configuration, authentication and the lists of
// resources and data sources it serves.
package provider

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
	"github.com/entragov/terraform-provider-entragov/internal/service/crosstenant"
	"github.com/entragov/terraform-provider-entragov/internal/service/directory"
	"github.com/entragov/terraform-provider-entragov/internal/service/entitlement"
	"github.com/entragov/terraform-provider-entragov/internal/service/lifecycle"
	"github.com/entragov/terraform-provider-entragov/internal/service/policies"
	"github.com/entragov/terraform-provider-entragov/internal/service/reviews"
)

var (
	_ provider.Provider                  = &entragovProvider{}
	_ provider.ProviderWithActions       = &entragovProvider{}
	_ provider.ProviderWithListResources = &entragovProvider{}
)

type entragovProvider struct {
	version string
}

// New returns a constructor of the provider, as providerserver and the acceptance tests expect.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &entragovProvider{version: version}
	}
}

type providerModel struct {
	TenantID                  types.String `tfsdk:"tenant_id"`
	ClientID                  types.String `tfsdk:"client_id"`
	ClientSecret              types.String `tfsdk:"client_secret"`
	ClientCertificate         types.String `tfsdk:"client_certificate"`
	ClientCertificatePath     types.String `tfsdk:"client_certificate_path"`
	ClientCertificatePassword types.String `tfsdk:"client_certificate_password"`
	OIDCToken                 types.String `tfsdk:"oidc_token"`
	OIDCTokenFilePath         types.String `tfsdk:"oidc_token_file_path"`
	OIDCRequestURL            types.String `tfsdk:"oidc_request_url"`
	OIDCRequestToken          types.String `tfsdk:"oidc_request_token"`
	AccessToken               types.String `tfsdk:"access_token"`
	GraphEndpoint             types.String `tfsdk:"graph_endpoint"`
	LoginEndpoint             types.String `tfsdk:"login_endpoint"`
	PreventDuplicateNames     types.Bool   `tfsdk:"prevent_duplicate_names"`
	ADOServiceConnectionID    types.String `tfsdk:"ado_pipeline_service_connection_id"`
	UseMSI                    types.Bool   `tfsdk:"use_msi"`
	MSIEndpoint               types.String `tfsdk:"msi_endpoint"`
	MSIObjectID               types.String `tfsdk:"msi_object_id"`
	UseCLI                    types.Bool   `tfsdk:"use_cli"`
	GraphTokenScope           types.String `tfsdk:"graph_token_scope"`
	BulkRefresh               types.Bool   `tfsdk:"bulk_refresh"`
}

func (p *entragovProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "entragov"
	resp.Version = p.version
}

func (p *entragovProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	attrs := map[string]schema.Attribute{}
	for _, s := range settings {
		if s.boolean {
			attrs[s.attribute] = schema.BoolAttribute{Optional: true, MarkdownDescription: s.markdownDescription()}
			continue
		}
		attr := schema.StringAttribute{
			Optional:            true,
			Sensitive:           s.sensitive,
			MarkdownDescription: s.markdownDescription(),
		}
		if s.check != nil {
			attr.Validators = []validator.String{settingCheck{check: s.check}}
		}
		attrs[s.attribute] = attr
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages Microsoft Entra ID Governance (entitlement management and lifecycle workflows) " +
			"through Microsoft Graph v1.0. Every argument can also be set by an environment variable; the argument wins.",
		Attributes: attrs,
	}
}

func (p *entragovProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	values, diags := resolveSettings(cfg)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	graphEndpoint, err := graph.CheckEndpoint(values.get("graph_endpoint"))
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("graph_endpoint"), "Invalid Graph endpoint",
			err.Error()+". Set graph_endpoint (or ENTRAGOV_GRAPH_ENDPOINT) to an https URL such as "+graph.DefaultEndpoint+".")
	}
	loginEndpoint, err := graph.CheckEndpoint(values.get("login_endpoint"))
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("login_endpoint"), "Invalid login endpoint",
			err.Error()+". Set login_endpoint (or ENTRAGOV_LOGIN_ENDPOINT) to an https URL such as "+graph.DefaultLoginEndpoint+".")
	}
	if resp.Diagnostics.HasError() {
		return
	}

	preventDuplicates := values.boolSetting("prevent_duplicate_names", &resp.Diagnostics)
	bulkRefresh := values.boolSetting("bulk_refresh", &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	httpClient := cleanhttp.DefaultPooledClient()
	credential, diags := newTokenSource(values, graphEndpoint.String(), loginEndpoint.String(), httpClient)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(credential.probe(ctx, values)...)
	if resp.Diagnostics.HasError() {
		return
	}
	tokens := credential.tokens

	client, err := graph.New(graph.Config{
		Endpoint:   graphEndpoint.String(),
		Token:      tokens,
		HTTPClient: httpClient,
		Logger:     tflogAdapter{},
		UserAgent:  userAgent(req.TerraformVersion, p.version),

		PreventDuplicateNames: preventDuplicates,
		BulkRefresh:           bulkRefresh,
	})
	if err != nil {
		resp.Diagnostics.AddError("Unable to create the Graph client", err.Error())
		return
	}
	// One ProviderData per Configure, that is per provider process: its caches live as long as the client.
	data := framework.NewProviderData(client)
	data.TenantID = tenantOf(values.get("tenant_id"), values.get("access_token"))
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.ActionData = data
	resp.ListResourceData = data
}

// tenantOf is the tenant the provider works in: the tenant_id setting, or the tid claim of a static access
// token (read, not verified: Graph verifies the token; this only names the tenant in singletons' identities).
func tenantOf(tenantID, accessToken string) string {
	if tenantID != "" || accessToken == "" {
		return tenantID
	}
	parts := strings.Split(accessToken, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return ""
	}
	var claims struct {
		TenantID string `json:"tid"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return ""
	}
	return claims.TenantID
}

func userAgent(terraformVersion, providerVersion string) string {
	return "Terraform/" + terraformVersion + " terraform-provider-entragov/" + providerVersion
}

func (p *entragovProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		entitlement.NewCatalogResource,
		entitlement.NewCatalogResourceResource,
		entitlement.NewAccessPackageResource,
		entitlement.NewAccessPackageResourceRoleScopeResource,
		entitlement.NewAccessPackageIncompatibilityResource,
		entitlement.NewAssignmentPolicyResource,
		entitlement.NewConnectedOrganizationResource,
		entitlement.NewEntitlementManagementSettingsResource,
		entitlement.NewAccessPackageAssignmentResource,
		lifecycle.NewLifecycleWorkflowResource,
		lifecycle.NewLifecycleWorkflowSettingsResource,
		crosstenant.NewCrossTenantAccessPartnerResource,
		crosstenant.NewCrossTenantAccessDefaultResource,
		entitlement.NewCatalogRoleAssignmentResource,
		directory.NewInvitationResource,
		directory.NewUserSponsorsResource,
		policies.NewExternalCollaborationSettingsResource,
		policies.NewInvitationDomainPolicyResource,
		entitlement.NewCatalogCustomExtensionResource,
		lifecycle.NewCustomTaskExtensionResource,
		reviews.NewAccessReviewResource,
	}
}

func (p *entragovProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		entitlement.NewCatalogDataSource,
		entitlement.NewCatalogResourceRolesDataSource,
		entitlement.NewAccessPackageDataSource,
		entitlement.NewAssignmentPolicyDataSource,
		entitlement.NewConnectedOrganizationDataSource,
		entitlement.NewAccessPackageAssignmentsDataSource,
		directory.NewUserDataSource,
		directory.NewGroupDataSource,
		lifecycle.NewLifecycleWorkflowDataSource,
		lifecycle.NewTaskDefinitionsDataSource,
		directory.NewExternalUsersDataSource,
		entitlement.NewConnectedOrganizationsDataSource,
		entitlement.NewCatalogRoleDefinitionsDataSource,
		policies.NewExternalCollaborationSettingsDataSource,
		entitlement.NewCatalogCustomExtensionDataSource,
		lifecycle.NewCustomTaskExtensionDataSource,
		reviews.NewAccessReviewDataSource,
		lifecycle.NewLifecycleWorkflowRunsDataSource,
		reviews.NewAccessReviewInstancesDataSource,
	}
}

// Actions are the operations that are not objects (Terraform 1.14 and later: action blocks,
// action_trigger and terraform apply -invoke).
func (p *entragovProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{
		lifecycle.NewLifecycleWorkflowActivateAction,
		entitlement.NewAccessPackageAssignmentReprocessAction,
		directory.NewInvitationSendAction,
	}
}

// ListResources are the list resources of terraform query (Terraform 1.14 and later), each named after
// the resource whose objects it lists.
func (p *entragovProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		entitlement.NewCatalogListResource,
		entitlement.NewCatalogResourceListResource,
		entitlement.NewAccessPackageListResource,
		entitlement.NewAssignmentPolicyListResource,
		entitlement.NewConnectedOrganizationListResource,
		lifecycle.NewLifecycleWorkflowListResource,
		reviews.NewAccessReviewListResource,
	}
}
