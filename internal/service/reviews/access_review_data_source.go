package reviews

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/schemaconv"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ datasource.DataSource                     = &accessReviewDataSource{}
	_ datasource.DataSourceWithConfigure        = &accessReviewDataSource{}
	_ datasource.DataSourceWithConfigValidators = &accessReviewDataSource{}
)

func (d *accessReviewDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.AtLeastOneOf(path.MatchRoot("id"))}
}

// NewAccessReviewDataSource is the constructor registered with the provider.
func NewAccessReviewDataSource() datasource.DataSource {
	return &accessReviewDataSource{}
}

type accessReviewDataSource struct {
	client *graph.Client
}

func (d *accessReviewDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_review"
}

// Schema mirrors the resource's schema, read-only, looked up by id. The list page documents no filter
// on the display name, so there is no look-up by name.
func (d *accessReviewDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schemaconv.DataSource(accessReviewSchema(),
		"Reads an access review series (Graph `accessReviewScheduleDefinition`) by id, with the same attributes as the "+
			"`entragov_access_review` resource. Needs `AccessReview.Read.All`.",
		map[string][]validator.String{"id": {validators.GUID()}})
}

func (d *accessReviewDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *accessReviewDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var id types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := d.client.GetAccessReviewDefinition(ctx, id.ValueString())
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Access review not found", fmt.Sprintf("No access review has the id %q.", id.ValueString()))
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read access review "+id.ValueString(), err)
		return
	}
	var m accessReviewModel
	flattenAccessReview(got, &m)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
