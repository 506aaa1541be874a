package isoduration_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entragov/terraform-provider-entragov/internal/framework/isoduration"
)

// These tests run the type through the framework's own server, to prove the wiring the unit tests
// assume: validation happens at plan on the attribute path, and a read keeps the configured spelling.

type testProvider struct{ graphAnswers string }

func (testProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "test"
}
func (testProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (testProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (testProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
func (p testProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return testResource(p) }}
}

type testResource struct{ graphAnswers string }

func (testResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "test_policy"
}

func (testResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"duration": schema.StringAttribute{
			Optional:   true,
			CustomType: isoduration.DurationType{},
			Validators: []validator.String{isoduration.Edm(), isoduration.AtMost("P5Y")},
		},
	}}
}

func (testResource) Create(context.Context, resource.CreateRequest, *resource.CreateResponse) {}
func (testResource) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {}
func (testResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// Read stores what Graph would echo.
func (r testResource) Read(ctx context.Context, _ resource.ReadRequest, resp *resource.ReadResponse) {
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, pathDuration, isoduration.NewDurationValue(r.graphAnswers))...)
}

var pathDuration = path.Root("duration")

var objectType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"duration": tftypes.String}}

func dynamicValue(t *testing.T, duration string) *tfprotov6.DynamicValue {
	t.Helper()
	v, err := tfprotov6.NewDynamicValue(objectType, tftypes.NewValue(objectType, map[string]tftypes.Value{
		"duration": tftypes.NewValue(tftypes.String, duration),
	}))
	if err != nil {
		t.Fatal(err)
	}
	return &v
}

func server(t *testing.T, graphAnswers string) tfprotov6.ProviderServer {
	t.Helper()
	s, err := providerserver.NewProtocol6WithError(testProvider{graphAnswers: graphAnswers})()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFrameworkValidatesAtPlan(t *testing.T) {
	ctx := context.Background()
	for value, wantErr := range map[string]string{
		"P1X":    `"P1X" is not an ISO 8601 duration`,
		"P1900D": "must be at most P5Y",
		"P14D":   "",
		"P2W":    "",
		// Edm.Duration has no months or years; the message suggests days.
		"P1M":   `"P1M" is not an Edm.Duration: months have no fixed length; write days, e.g. "P30D"`,
		"P6Y":   `"P6Y" is not an Edm.Duration: years have no fixed length; write days, e.g. "P365D"`,
		"P1Y2M": `"P1Y2M" is not an Edm.Duration: years and months have no fixed length`,
	} {
		resp, err := server(t, "").ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{
			TypeName: "test_policy", Config: dynamicValue(t, value),
		})
		if err != nil {
			t.Fatal(err)
		}
		if wantErr == "" {
			if len(resp.Diagnostics) != 0 {
				t.Errorf("%s: unexpected %+v", value, resp.Diagnostics[0])
			}
			continue
		}
		if len(resp.Diagnostics) != 1 {
			t.Fatalf("%s: want one diagnostic, got %d", value, len(resp.Diagnostics))
		}
		d := resp.Diagnostics[0]
		if !strings.Contains(d.Detail, wantErr) || d.Attribute == nil || d.Attribute.String() != `AttributeName("duration")` {
			t.Errorf("%s: diagnostic %q on %v", value, d.Detail, d.Attribute)
		}
	}
}

func TestFrameworkKeepsConfiguredSpelling(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ prior, graphAnswers, want string }{
		{"P1D", "PT24H", "P1D"},
		{"P2W", "P14D", "P2W"},
		{"P1M", "P30D", "P30D"}, // a real difference shows, and a state holding months still reads
	} {
		resp, err := server(t, tc.graphAnswers).ReadResource(ctx, &tfprotov6.ReadResourceRequest{
			TypeName: "test_policy", CurrentState: dynamicValue(t, tc.prior),
		})
		if err != nil || len(resp.Diagnostics) != 0 {
			t.Fatalf("read: %v %+v", err, resp.Diagnostics)
		}
		state, err := resp.NewState.Unmarshal(objectType)
		if err != nil {
			t.Fatal(err)
		}
		var attrs map[string]tftypes.Value
		var got string
		if err := state.As(&attrs); err != nil {
			t.Fatal(err)
		}
		if err := attrs["duration"].As(&got); err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("prior %s, Graph %s: state %s, want %s", tc.prior, tc.graphAnswers, got, tc.want)
		}
	}
}
