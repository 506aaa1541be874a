package schemaconv

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestDataSourceMirrorsTheResource(t *testing.T) {
	r := rschema.Schema{Attributes: map[string]rschema.Attribute{
		"id":   rschema.StringAttribute{Computed: true},
		"name": rschema.StringAttribute{Required: true, MarkdownDescription: "The name."},
		"settings": rschema.SingleNestedAttribute{Optional: true, Attributes: map[string]rschema.Attribute{
			"enabled": rschema.BoolAttribute{Optional: true},
			"items": rschema.ListNestedAttribute{Optional: true, NestedObject: rschema.NestedAttributeObject{Attributes: map[string]rschema.Attribute{
				"count": rschema.Int64Attribute{Required: true},
			}}},
			"tags": rschema.SetAttribute{Optional: true, ElementType: types.StringType},
		}},
		"arguments": rschema.MapAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: "By name. Changes in place."},
		"by_key": rschema.MapNestedAttribute{Optional: true, NestedObject: rschema.NestedAttributeObject{Attributes: map[string]rschema.Attribute{
			"value": rschema.StringAttribute{Required: true},
		}}},
	}}
	d := DataSource(r, "Reads it.", map[string][]validator.String{"name": {stringvalidator.LengthAtLeast(1)}})
	if err := d.ValidateImplementation(context.Background()); err != nil {
		t.Fatalf("invalid data source schema: %v", err)
	}
	name := d.Attributes["name"].(dschema.StringAttribute)
	if !name.Optional || !name.Computed || len(name.Validators) != 1 || name.MarkdownDescription != "The name." {
		t.Fatalf("lookup attribute: %+v", name)
	}
	settings := d.Attributes["settings"].(dschema.SingleNestedAttribute)
	items := settings.Attributes["items"].(dschema.ListNestedAttribute)
	count := items.NestedObject.Attributes["count"].(dschema.Int64Attribute)
	if !settings.Computed || settings.Optional || !count.Computed || count.Required {
		t.Fatalf("nested attributes must be computed only: %+v %+v", settings, count)
	}
	arguments := d.Attributes["arguments"].(dschema.MapAttribute)
	if !arguments.Computed || arguments.Optional || arguments.ElementType != types.StringType || arguments.MarkdownDescription != "By name." {
		t.Fatalf("map attribute: %+v", arguments)
	}
	byKey := d.Attributes["by_key"].(dschema.MapNestedAttribute)
	value := byKey.NestedObject.Attributes["value"].(dschema.StringAttribute)
	if !byKey.Computed || byKey.Optional || !value.Computed || value.Required {
		t.Fatalf("map of nested objects: %+v %+v", byKey, value)
	}
}

func TestReadOnlyDescription(t *testing.T) {
	for in, want := range map[string]string{
		"The policy's object id, also the import id.":                                                                                                                       "The policy's object id.",
		"The access package the policy belongs to. Graph binds it at creation: changing it replaces the policy.":                                                            "The access package the policy belongs to.",
		"What the workflow does (`description`). Defaults to an empty string. Changes in place.":                                                                            "What the workflow does (`description`).",
		"The workflow's version: 1 at creation, + 1 for each change that Graph cannot make in place. Planned as unknown exactly when the change will create a new version.": "The workflow's version: 1 at creation, + 1 for each change that Graph cannot make in place.",
		"Who the workflow is for (`category`): `joiner`, `leaver`, `mover`.":                                                                                                "Who the workflow is for (`category`): `joiner`, `leaver`, `mover`.",
	} {
		if got := readOnlyDescription(in); got != want {
			t.Errorf("readOnlyDescription(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}
