package subjectset

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/entragov/terraform-provider-entragov/internal/framework/schemadoc"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// Option adjusts the list ListAttribute builds.
type Option func(*listSettings)

type listSettings struct {
	required bool
	minItems int
	maxItems int // 0: no limit
}

// Required makes the list required instead of optional.
func Required() Option { return func(s *listSettings) { s.required = true } }

// MinItems requires at least n subject sets.
func MinItems(n int) Option { return func(s *listSettings) { s.minItems = n } }

// MaxItems allows at most n subject sets.
func MaxItems(n int) Option { return func(s *listSettings) { s.maxItems = n } }

// ListAttribute is a resource's list of subject sets. allowed are the types Graph accepts in this place
// (e.g. approvers take singleUser, groupMembers, requestorManager, ...); it panics on a type this package
// does not know, which the resource's schema test catches.
func ListAttribute(markdownDescription string, allowed []string, opts ...Option) schema.ListNestedAttribute {
	checkAllowed(allowed)
	var settings listSettings
	for _, opt := range opts {
		opt(&settings)
	}
	var listValidators []validator.List
	if settings.minItems > 0 {
		listValidators = append(listValidators, listvalidator.SizeAtLeast(settings.minItems))
	}
	if settings.maxItems > 0 {
		listValidators = append(listValidators, listvalidator.SizeAtMost(settings.maxItems))
	}
	idAttribute := func(field string) schema.StringAttribute {
		return schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: fieldDescription(field, allowed),
			Validators:          []validator.String{validators.GUID()},
		}
	}
	return schema.ListNestedAttribute{
		MarkdownDescription: fmt.Sprintf("%s Allowed types: %s.", markdownDescription, schemadoc.CodeList(allowed)),
		Required:            settings.required,
		Optional:            !settings.required,
		Validators:          listValidators,
		NestedObject: schema.NestedAttributeObject{
			Attributes: map[string]schema.Attribute{
				attrType: schema.StringAttribute{
					Required:            true,
					MarkdownDescription: fmt.Sprintf("%s One of %s.", fieldDescriptions[attrType], schemadoc.CodeList(allowed)),
					Validators:          []validator.String{stringvalidator.OneOf(allowed...)},
				},
				attrUserID:                  idAttribute(attrUserID),
				attrGroupID:                 idAttribute(attrGroupID),
				attrConnectedOrganizationID: idAttribute(attrConnectedOrganizationID),
				attrServicePrincipalID:      idAttribute(attrServicePrincipalID),
				attrMembershipRule: schema.StringAttribute{
					Optional:            true,
					MarkdownDescription: fieldDescription(attrMembershipRule, allowed),
					Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
				},
				attrManagerLevel: schema.Int64Attribute{
					Optional:            true,
					MarkdownDescription: fieldDescription(attrManagerLevel, allowed),
					Validators:          []validator.Int64{int64validator.AtLeast(1)},
				},
				attrDescription: schema.StringAttribute{
					Optional:            true,
					MarkdownDescription: fieldDescription(attrDescription, allowed),
				},
			},
			Validators: []validator.Object{typeFieldsValidator{}},
		},
	}
}

// DataSourceListAttribute is the same shape, read-only, for data sources.
func DataSourceListAttribute(markdownDescription string) dschema.ListNestedAttribute {
	computed := func(field string) dschema.StringAttribute {
		return dschema.StringAttribute{Computed: true, MarkdownDescription: fieldDescription(field, graph.SubjectSetTypes)}
	}
	return dschema.ListNestedAttribute{
		MarkdownDescription: markdownDescription,
		Computed:            true,
		NestedObject: dschema.NestedAttributeObject{
			Attributes: map[string]dschema.Attribute{
				attrType:                    dschema.StringAttribute{Computed: true, MarkdownDescription: fieldDescriptions[attrType]},
				attrUserID:                  computed(attrUserID),
				attrGroupID:                 computed(attrGroupID),
				attrConnectedOrganizationID: computed(attrConnectedOrganizationID),
				attrServicePrincipalID:      computed(attrServicePrincipalID),
				attrMembershipRule:          computed(attrMembershipRule),
				attrManagerLevel: dschema.Int64Attribute{
					Computed:            true,
					MarkdownDescription: fieldDescription(attrManagerLevel, graph.SubjectSetTypes),
				},
				attrDescription: computed(attrDescription),
			},
		},
	}
}

// typeFieldsValidator checks, per subject set, that its type's required field is there and that no field
// of another type is: Graph would silently drop the stray field, and the plan would never settle.
type typeFieldsValidator struct{}

func (typeFieldsValidator) Description(context.Context) string {
	return "each subject set sets exactly the fields its type uses"
}

func (v typeFieldsValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (typeFieldsValidator) ValidateObject(ctx context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var m Model
	resp.Diagnostics.Append(req.ConfigValue.As(ctx, &m, basetypes.ObjectAsOptions{})...)
	if resp.Diagnostics.HasError() || m.Type.IsUnknown() || m.Type.IsNull() {
		return
	}
	typ := m.Type.ValueString()
	rule, known := typeRules[typ]
	if !known {
		return // the type's OneOf reports it, with the allowed list
	}
	values := m.fieldValues()
	for _, field := range fieldNames {
		value := values[field]
		switch {
		case field == rule.required && value.IsNull():
			resp.Diagnostics.AddAttributeError(req.Path.AtName(field), "Missing subject set field",
				fmt.Sprintf("Attribute %s: type %q needs %s.", req.Path.AtName(field), typ, field))
		case !rule.uses(field) && !value.IsNull() && !value.IsUnknown():
			resp.Diagnostics.AddAttributeError(req.Path.AtName(field), "Field not used by this subject set type",
				fmt.Sprintf("Attribute %s: %s is not used by type %q; remove it.", req.Path.AtName(field), field, typ))
		}
	}
}
