package entitlement

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// stopOnSponsorRead plays what an interrupted apply met under throttling (issue 13, item 7): the read
// of the new organization's external sponsors is answered 429 with Retry-After, and Terraform is
// stopped (SIGTERM cancels the operation's context) during that wait.
type stopOnSponsorRead struct {
	base http.RoundTripper
	stop context.CancelFunc
}

func (s stopOnSponsorRead) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/"+graph.ExternalSponsors) {
		s.stop()
		return &http.Response{
			StatusCode: http.StatusTooManyRequests, Request: r,
			Header: http.Header{"Retry-After": {"1"}, "Content-Type": {"application/json"}},
			Body:   io.NopCloser(strings.NewReader(`{"error":{"code":"TooManyRequests","message":"Please retry again later."}}`)),
		}, nil
	}
	return s.base.RoundTrip(r)
}

// A create that is stopped after Graph made the organization, while it reads the organization back,
// must still return the new id in state (a tainted resource), never an unknown id: Terraform turns that
// into null, the next refresh drops the resource and the organization is orphaned.
func TestConnectedOrganizationCreate_interruptedReadBackKeepsID(t *testing.T) {
	srv, err := emulator.New(emulator.Config{DBPath: ":memory:"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(srv.Handler())
	t.Cleanup(func() {
		ts.Close()
		_ = srv.Close()
	})
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	tokens, err := graph.NewClientSecretSource(graph.CredentialOptions{
		TenantID: emulator.DefaultTenantID, ClientID: emulator.DefaultClientID,
		LoginEndpoint: ts.URL, GraphEndpoint: ts.URL, HTTPClient: ts.Client(),
	}, emulator.DefaultClientSecret)
	if err != nil {
		t.Fatal(err)
	}
	hc := ts.Client()
	hc.Transport = stopOnSponsorRead{base: hc.Transport, stop: stop}
	client, err := graph.New(graph.Config{
		Endpoint: ts.URL, Token: tokens, HTTPClient: hc, PreventDuplicateNames: true,
		PollInterval: 10 * time.Millisecond, ConsistencyTimeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}

	r := NewConnectedOrganizationResource().(*connectedOrganizationResource)
	var configured resource.ConfigureResponse
	r.Configure(ctx, resource.ConfigureRequest{ProviderData: client}, &configured)
	var sch resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sch)
	if configured.Diagnostics.HasError() || sch.Diagnostics.HasError() {
		t.Fatal(configured.Diagnostics, sch.Diagnostics)
	}
	plan := tfsdk.Plan{Schema: sch.Schema}
	diags := plan.Set(ctx, &connectedOrganizationModel{
		ID: types.StringUnknown(), DisplayName: types.StringValue("Crash partner"), Description: types.StringValue(""),
		State: types.StringUnknown(),
		IdentitySources: []identitySourceModel{{
			Type: types.StringValue(graph.IdentitySourceDomain), DisplayName: types.StringValue("Crash"),
			DomainName: types.StringValue("crash.example.com"), TenantID: types.StringNull(), IssuerURI: types.StringNull(),
			CloudInstance: types.StringNull(), SocialIdentitySourceType: types.StringNull(),
		}},
		ResolvedSources: types.ListUnknown(identitySourceObjectType),
		// A sponsor to add: the create reads the organization back after the write (without one, its
		// confirming read is the answer and no read-back follows).
		InternalSponsorIDs: types.SetValueMust(types.StringType, nil),
		ExternalSponsorIDs: types.SetValueMust(types.StringType, []attr.Value{types.StringValue(emulator.SeedGuestBenID)}),
		CreatedDateTime:    types.StringUnknown(), ModifiedDateTime: types.StringUnknown(),
	})
	if diags.HasError() {
		t.Fatal(diags)
	}
	resp := resource.CreateResponse{State: tfsdk.State{Schema: sch.Schema, Raw: tftypes.NewValue(sch.Schema.Type().TerraformType(ctx), nil)}}
	r.Create(ctx, resource.CreateRequest{Plan: plan}, &resp)

	orgs, err := srv.ListObjects("connectedOrganizations")
	if err != nil || len(orgs) != 1 {
		t.Fatalf("the API holds %d connected organizations (%v), want the one created", len(orgs), err)
	}
	if !resp.Diagnostics.HasError() {
		t.Fatal("the create reported success although it was stopped during the read-back")
	}
	if !resp.State.Raw.IsFullyKnown() {
		t.Fatalf("the create returned unknown values in state; Terraform saves them as null, losing the id: %v", resp.State.Raw)
	}
	var id types.String
	if diags := resp.State.GetAttribute(ctx, path.Root("id"), &id); diags.HasError() {
		t.Fatal(diags)
	}
	if want := orgs[0]["id"]; id.ValueString() != want {
		t.Fatalf("state holds id %s, want the created organization %v (diagnostics: %v)", id, want, resp.Diagnostics)
	}
}
