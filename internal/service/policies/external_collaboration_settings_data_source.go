package policies

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/schemaconv"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ datasource.DataSource              = &externalCollaborationSettingsDataSource{}
	_ datasource.DataSourceWithConfigure = &externalCollaborationSettingsDataSource{}
)

// NewExternalCollaborationSettingsDataSource is the constructor registered with the provider.
func NewExternalCollaborationSettingsDataSource() datasource.DataSource {
	return &externalCollaborationSettingsDataSource{}
}

type externalCollaborationSettingsDataSource struct {
	client *graph.Client
}

func (d *externalCollaborationSettingsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_external_collaboration_settings"
}

func (d *externalCollaborationSettingsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schemaconv.DataSource(externalCollaborationSettingsSchema(""),
		"Reads the tenant's external collaboration settings: the Graph v1.0 `authorizationPolicy` singleton "+
			"(`/policies/authorizationPolicy`), with who may invite guests, the guests' role and what the default user role "+
			"may do. It takes no arguments (there is one per tenant). Needs `Policy.Read.All`.", nil)
}

func (d *externalCollaborationSettingsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *externalCollaborationSettingsDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m externalCollaborationSettingsModel
	readAuthorizationPolicy(ctx, d.client, &m, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
