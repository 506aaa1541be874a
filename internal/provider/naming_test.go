package provider_test

import (
	"context"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/entragov/terraform-provider-entragov/internal/provider"
)

// TestRegisteredNamesFollowTheNamingRule checks the rule in CONTRIBUTING.md ("Names"): the resource
// entragov_<name> is built by New<Name>Resource in <name>.go, the data source entragov_<name> by
// New<Name>DataSource in <name>_data_source.go, its list resource by New<Name>ListResource in
// <name>_list.go, the action entragov_<name> by New<Name>Action in <name>.go, where <Name> is <name> in
// CamelCase.
func TestRegisteredNamesFollowTheNamingRule(t *testing.T) {
	ctx := context.Background()
	p := provider.New("test")()

	for _, newResource := range p.Resources(ctx) {
		var resp resource.MetadataResponse
		newResource().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "entragov"}, &resp)
		checkName(t, newResource, resp.TypeName, "Resource", ".go")
	}
	for _, newDataSource := range p.DataSources(ctx) {
		var resp datasource.MetadataResponse
		newDataSource().Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "entragov"}, &resp)
		checkName(t, newDataSource, resp.TypeName, "DataSource", "_data_source.go")
	}
	actions := p.(interface {
		Actions(context.Context) []func() action.Action
	}).Actions(ctx)
	if len(actions) == 0 {
		t.Error("the provider registers no action")
	}
	for _, newAction := range actions {
		var resp action.MetadataResponse
		newAction().Metadata(ctx, action.MetadataRequest{ProviderTypeName: "entragov"}, &resp)
		checkName(t, newAction, resp.TypeName, "Action", ".go")
	}
	listing, ok := p.(interface {
		ListResources(context.Context) []func() list.ListResource
	})
	if !ok {
		t.Fatal("the provider serves no list resources")
	}
	for _, newList := range listing.ListResources(ctx) {
		var resp resource.MetadataResponse
		newList().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "entragov"}, &resp)
		checkName(t, newList, resp.TypeName, "ListResource", "_list.go")
	}
}

func checkName(t *testing.T, constructor any, typeName, kind, fileSuffix string) {
	t.Helper()
	name, ok := strings.CutPrefix(typeName, "entragov_")
	if !ok {
		t.Errorf("type name %q does not start with entragov_", typeName)
		return
	}
	fn := runtime.FuncForPC(reflect.ValueOf(constructor).Pointer())
	file, _ := fn.FileLine(fn.Entry())
	gotFunc := fn.Name()[strings.LastIndex(fn.Name(), ".")+1:]

	if want := "New" + camel(name) + kind; gotFunc != want {
		t.Errorf("%s: constructor is %s, want %s", typeName, gotFunc, want)
	}
	if want := name + fileSuffix; filepath.Base(file) != want {
		t.Errorf("%s: constructor is in %s, want %s", typeName, filepath.Base(file), want)
	}
}

func camel(snake string) string {
	var b strings.Builder
	for _, part := range strings.Split(snake, "_") {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}
