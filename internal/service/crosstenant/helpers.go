package crosstenant

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// The settings blocks shared by the default and the partner configurations. Each B2B setting
// (https://learn.microsoft.com/en-us/graph/api/resources/crosstenantaccesspolicyb2bsetting?view=graph-rest-1.0)
// has a users_and_groups and an applications target configuration
// (https://learn.microsoft.com/en-us/graph/api/resources/crosstenantaccesspolicytargetconfiguration?view=graph-rest-1.0).

// b2bBlocks are the B2B settings attributes with their Graph property and what they govern.
var b2bBlocks = []struct{ attr, graph, what string }{
	{"b2b_collaboration_inbound", "b2bCollaborationInbound", "users from other organizations accessing your resources through B2B collaboration"},
	{"b2b_collaboration_outbound", "b2bCollaborationOutbound", "your users accessing resources of other organizations through B2B collaboration"},
	{"b2b_direct_connect_inbound", "b2bDirectConnectInbound", "users from other organizations accessing your resources through B2B direct connect"},
	{"b2b_direct_connect_outbound", "b2bDirectConnectOutbound", "your users accessing resources of other organizations through B2B direct connect"},
	{"tenant_restrictions", "tenantRestrictions", "which external organizations your users may sign in to from your network or devices (tenant restrictions; the devices filter, which Graph does not support yet, is not managed)"},
}

// Target keywords (https://learn.microsoft.com/en-us/graph/api/resources/crosstenantaccesspolicytarget?view=graph-rest-1.0):
// AllUsers targets users; AllApplications and the reserved values AllMicrosoftApps and Office365 target applications.
var (
	userKeywords        = []string{"AllUsers"}
	applicationKeywords = []string{"AllApplications", "AllMicrosoftApps", "Office365"}
)

type targetModel struct {
	Target     types.String `tfsdk:"target"`
	TargetType types.String `tfsdk:"target_type"`
}

type targetConfigurationModel struct {
	AccessType types.String `tfsdk:"access_type"`
	Targets    types.List   `tfsdk:"targets"`
}

type b2bSettingModel struct {
	UsersAndGroups types.Object `tfsdk:"users_and_groups"`
	Applications   types.Object `tfsdk:"applications"`
}

type inboundTrustModel struct {
	MfaAccepted                       types.Bool `tfsdk:"mfa_accepted"`
	CompliantDeviceAccepted           types.Bool `tfsdk:"compliant_device_accepted"`
	HybridAzureADJoinedDeviceAccepted types.Bool `tfsdk:"hybrid_azure_ad_joined_device_accepted"`
}

type consentModel struct {
	InboundAllowed  types.Bool `tfsdk:"inbound_allowed"`
	OutboundAllowed types.Bool `tfsdk:"outbound_allowed"`
}

var (
	targetAttrTypes              = map[string]attr.Type{"target": types.StringType, "target_type": types.StringType}
	targetConfigurationAttrTypes = map[string]attr.Type{"access_type": types.StringType, "targets": types.ListType{ElemType: types.ObjectType{AttrTypes: targetAttrTypes}}}
	b2bSettingAttrTypes          = map[string]attr.Type{
		"users_and_groups": types.ObjectType{AttrTypes: targetConfigurationAttrTypes},
		"applications":     types.ObjectType{AttrTypes: targetConfigurationAttrTypes},
	}
	inboundTrustAttrTypes = map[string]attr.Type{"mfa_accepted": types.BoolType, "compliant_device_accepted": types.BoolType, "hybrid_azure_ad_joined_device_accepted": types.BoolType}
	consentAttrTypes      = map[string]attr.Type{"inbound_allowed": types.BoolType, "outbound_allowed": types.BoolType}
)

// targetConfigurationAttribute is a users_and_groups (apps false) or applications (apps true) target
// configuration; required in the default configuration, which always has both.
func targetConfigurationAttribute(apps, required bool, inherit string) schema.SingleNestedAttribute {
	kind, types_, keywords := "users and groups", "`user` or `group`", "`AllUsers` (target type `user`)"
	if apps {
		kind, types_, keywords = "applications", "`application`", "`AllApplications`, `AllMicrosoftApps` or `Office365` (target type `application`)"
	}
	return schema.SingleNestedAttribute{
		Required: required, Optional: !required,
		MarkdownDescription: "Which " + kind + " the setting allows or blocks (Graph `crossTenantAccessPolicyTargetConfiguration`)." + inherit,
		Attributes: map[string]schema.Attribute{
			"access_type": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "`allowed` or `blocked`: what happens to the targets.",
				Validators:          []validator.String{stringvalidator.OneOf(graph.CrossTenantAccessTypes...)},
			},
			"targets": schema.ListNestedAttribute{
				Required: true,
				MarkdownDescription: "The targets, at least one: an object id with its target type (" + types_ + "), or the keyword " +
					keywords + ".",
				Validators: []validator.List{listvalidator.SizeAtLeast(1), targetsValidator{apps: apps}},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"target": schema.StringAttribute{
						Required:            true,
						MarkdownDescription: "The object id of a user, group or application (its app id), or a keyword.",
					},
					"target_type": schema.StringAttribute{
						Required:            true,
						MarkdownDescription: "`user`, `group` or `application`.",
						Validators:          []validator.String{stringvalidator.OneOf(graph.CrossTenantAccessTargetTypes...)},
					},
				}},
			},
		},
	}
}

// b2bSettingAttribute is one B2B settings block. In a partner configuration the block and its parts
// are optional (null inherits the default configuration); in the default configuration the block is
// Optional+Computed and, when set, holds both parts.
func b2bSettingAttribute(what string, partner bool) schema.SingleNestedAttribute {
	a := schema.SingleNestedAttribute{
		MarkdownDescription: "Settings for " + what + ".",
		Attributes: map[string]schema.Attribute{
			"users_and_groups": targetConfigurationAttribute(false, !partner, inheritNote(partner)),
			"applications":     targetConfigurationAttribute(true, !partner, inheritNote(partner)),
		},
	}
	if partner {
		a.Optional = true
		a.MarkdownDescription += " Null inherits the default configuration."
	} else {
		a.Optional, a.Computed = true, true
		a.MarkdownDescription += " When omitted, Graph's value is kept (the system default in a new tenant)."
		a.PlanModifiers = []planmodifier.Object{objectplanmodifier.UseStateForUnknown()}
	}
	return a
}

func inheritNote(partner bool) string {
	if partner {
		return " Null inherits the default configuration."
	}
	return ""
}

// targetsValidator checks each target against the rules of the reference: users_and_groups target users
// and groups, applications target applications; a target is an object id or a keyword of its kind,
// written as the reference spells it, with the target type that goes with it.
type targetsValidator struct{ apps bool }

func (v targetsValidator) Description(context.Context) string {
	if v.apps {
		return "application targets: an application id or AllApplications, AllMicrosoftApps, Office365, with target type application"
	}
	return "user and group targets: an object id with target type user or group, or AllUsers with target type user"
}

func (v targetsValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v targetsValidator) ValidateList(ctx context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var targets []targetModel
	resp.Diagnostics.Append(req.ConfigValue.ElementsAs(ctx, &targets, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	own, other := userKeywords, applicationKeywords
	if v.apps {
		own, other = applicationKeywords, userKeywords
	}
	seen := map[string]int{}
	for i, t := range targets {
		at := req.Path.AtListIndex(i)
		tt := t.TargetType.ValueString()
		if !t.TargetType.IsUnknown() && !t.TargetType.IsNull() {
			if v.apps && tt != "application" {
				resp.Diagnostics.AddAttributeError(at.AtName("target_type"), "Wrong target type",
					fmt.Sprintf("Attribute %s: applications target applications; use target_type = \"application\", not %q.", at.AtName("target_type"), tt))
			}
			if !v.apps && tt == "application" {
				resp.Diagnostics.AddAttributeError(at.AtName("target_type"), "Wrong target type",
					fmt.Sprintf("Attribute %s: users_and_groups targets users and groups; put applications under applications.", at.AtName("target_type")))
			}
		}
		if t.Target.IsUnknown() || t.Target.IsNull() {
			continue
		}
		target := t.Target.ValueString()
		if j, dup := seen[strings.ToLower(target)]; dup {
			resp.Diagnostics.AddAttributeError(at.AtName("target"), "Duplicate target",
				fmt.Sprintf("Attribute %s: %q is already targets[%d].", at.AtName("target"), target, j))
		}
		seen[strings.ToLower(target)] = i
		if kw, ok := keyword(target, own); ok {
			wantType := "user"
			if v.apps {
				wantType = "application"
			}
			switch {
			case kw != target:
				resp.Diagnostics.AddAttributeError(at.AtName("target"), "Keyword spelled differently",
					fmt.Sprintf("Attribute %s: write the keyword as Graph does, %q (Graph answers it so).", at.AtName("target"), kw))
			case !t.TargetType.IsUnknown() && tt != wantType:
				resp.Diagnostics.AddAttributeError(at.AtName("target_type"), "Wrong target type for the keyword",
					fmt.Sprintf("Attribute %s: the keyword %s goes with target_type = %q.", at.AtName("target_type"), kw, wantType))
			}
			continue
		}
		if kw, ok := keyword(target, other); ok {
			resp.Diagnostics.AddAttributeError(at.AtName("target"), "Keyword of the other kind",
				fmt.Sprintf("Attribute %s: %s is a keyword of %s; it cannot be a target here.", at.AtName("target"), kw,
					map[bool]string{true: "users_and_groups", false: "applications"}[v.apps]))
			continue
		}
		if !validators.IsGUID(target) {
			resp.Diagnostics.AddAttributeError(at.AtName("target"), "Invalid target",
				fmt.Sprintf("Attribute %s: %q is neither an object id (a GUID) nor one of the keywords %s.", at.AtName("target"), target, strings.Join(own, ", ")))
		}
	}
}

// keyword finds s among the keywords without regard to case.
func keyword(s string, keywords []string) (string, bool) {
	for _, k := range keywords {
		if strings.EqualFold(s, k) {
			return k, true
		}
	}
	return "", false
}

// ---- expand: model -> Graph ----

func expandTargetConfiguration(ctx context.Context, o types.Object, diags *diag.Diagnostics) *graph.CrossTenantAccessTargetConfiguration {
	if o.IsNull() || o.IsUnknown() {
		return nil
	}
	var m targetConfigurationModel
	diags.Append(o.As(ctx, &m, basetypes.ObjectAsOptions{})...)
	var targets []targetModel
	diags.Append(m.Targets.ElementsAs(ctx, &targets, false)...)
	out := &graph.CrossTenantAccessTargetConfiguration{AccessType: m.AccessType.ValueString(), Targets: []graph.CrossTenantAccessTarget{}}
	for _, t := range targets {
		out.Targets = append(out.Targets, graph.CrossTenantAccessTarget{Target: t.Target.ValueString(), TargetType: t.TargetType.ValueString()})
	}
	return out
}

func expandB2BSetting(ctx context.Context, o types.Object, diags *diag.Diagnostics) *graph.CrossTenantAccessB2BSetting {
	if o.IsNull() || o.IsUnknown() {
		return nil
	}
	var m b2bSettingModel
	diags.Append(o.As(ctx, &m, basetypes.ObjectAsOptions{})...)
	return &graph.CrossTenantAccessB2BSetting{
		UsersAndGroups: expandTargetConfiguration(ctx, m.UsersAndGroups, diags),
		Applications:   expandTargetConfiguration(ctx, m.Applications, diags),
	}
}

func expandInboundTrust(ctx context.Context, o types.Object, diags *diag.Diagnostics) *graph.CrossTenantAccessInboundTrust {
	if o.IsNull() || o.IsUnknown() {
		return nil
	}
	var m inboundTrustModel
	diags.Append(o.As(ctx, &m, basetypes.ObjectAsOptions{})...)
	return &graph.CrossTenantAccessInboundTrust{
		IsMfaAccepted: boolPtr(m.MfaAccepted), IsCompliantDeviceAccepted: boolPtr(m.CompliantDeviceAccepted),
		IsHybridAzureADJoinedDeviceAccepted: boolPtr(m.HybridAzureADJoinedDeviceAccepted),
	}
}

func expandConsent(ctx context.Context, o types.Object, diags *diag.Diagnostics) *graph.InboundOutboundPolicyConfiguration {
	if o.IsNull() || o.IsUnknown() {
		return nil
	}
	var m consentModel
	diags.Append(o.As(ctx, &m, basetypes.ObjectAsOptions{})...)
	return &graph.InboundOutboundPolicyConfiguration{InboundAllowed: boolPtr(m.InboundAllowed), OutboundAllowed: boolPtr(m.OutboundAllowed)}
}

func boolPtr(b types.Bool) *bool {
	if b.IsNull() || b.IsUnknown() {
		return nil
	}
	v := b.ValueBool()
	return &v
}

func boolValue(b *bool) types.Bool {
	if b == nil {
		return types.BoolNull()
	}
	return types.BoolValue(*b)
}

// ---- flatten: Graph -> model ----

// flattenTargetConfiguration keeps what the prior value wrote where Graph holds the same targets: the
// spelling of an id (Graph may answer it in another case) and the order of the list (Graph keeps no
// documented order).
func flattenTargetConfiguration(ctx context.Context, g *graph.CrossTenantAccessTargetConfiguration, prior types.Object, diags *diag.Diagnostics) types.Object {
	if g == nil {
		return types.ObjectNull(targetConfigurationAttrTypes)
	}
	got := make([]targetModel, 0, len(g.Targets))
	for _, t := range g.Targets {
		got = append(got, targetModel{Target: types.StringValue(t.Target), TargetType: types.StringValue(t.TargetType)})
	}
	if !prior.IsNull() && !prior.IsUnknown() {
		var pm targetConfigurationModel
		diags.Append(prior.As(ctx, &pm, basetypes.ObjectAsOptions{})...)
		var before []targetModel
		if !pm.Targets.IsNull() && !pm.Targets.IsUnknown() {
			diags.Append(pm.Targets.ElementsAs(ctx, &before, false)...)
		}
		if sameTargets(before, got) {
			got = before
		}
	}
	targets, d := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: targetAttrTypes}, got)
	diags.Append(d...)
	o, d := types.ObjectValue(targetConfigurationAttrTypes, map[string]attr.Value{
		"access_type": types.StringValue(g.AccessType), "targets": targets,
	})
	diags.Append(d...)
	return o
}

// sameTargets compares two target lists as sets, ids without regard to case.
func sameTargets(a, b []targetModel) bool {
	if len(a) != len(b) {
		return false
	}
	key := func(t targetModel) string {
		return strings.ToLower(t.Target.ValueString()) + "|" + t.TargetType.ValueString()
	}
	count := map[string]int{}
	for _, t := range a {
		count[key(t)]++
	}
	for _, t := range b {
		if count[key(t)] == 0 {
			return false
		}
		count[key(t)]--
	}
	return true
}

func flattenB2BSetting(ctx context.Context, g *graph.CrossTenantAccessB2BSetting, prior types.Object, diags *diag.Diagnostics) types.Object {
	if g == nil {
		return types.ObjectNull(b2bSettingAttrTypes)
	}
	var pm b2bSettingModel
	pm.UsersAndGroups, pm.Applications = types.ObjectNull(targetConfigurationAttrTypes), types.ObjectNull(targetConfigurationAttrTypes)
	if !prior.IsNull() && !prior.IsUnknown() {
		diags.Append(prior.As(ctx, &pm, basetypes.ObjectAsOptions{})...)
	}
	o, d := types.ObjectValue(b2bSettingAttrTypes, map[string]attr.Value{
		"users_and_groups": flattenTargetConfiguration(ctx, g.UsersAndGroups, pm.UsersAndGroups, diags),
		"applications":     flattenTargetConfiguration(ctx, g.Applications, pm.Applications, diags),
	})
	diags.Append(d...)
	return o
}

func flattenInboundTrust(g *graph.CrossTenantAccessInboundTrust, diags *diag.Diagnostics) types.Object {
	if g == nil {
		return types.ObjectNull(inboundTrustAttrTypes)
	}
	o, d := types.ObjectValue(inboundTrustAttrTypes, map[string]attr.Value{
		"mfa_accepted":                           boolValue(g.IsMfaAccepted),
		"compliant_device_accepted":              boolValue(g.IsCompliantDeviceAccepted),
		"hybrid_azure_ad_joined_device_accepted": boolValue(g.IsHybridAzureADJoinedDeviceAccepted),
	})
	diags.Append(d...)
	return o
}

// flattenConsent reads the automatic user consent settings. Graph answers them with both flags null
// when a partner configuration does not set them; that is null here unless the prior value held the
// block (written with both flags null).
func flattenConsent(g *graph.InboundOutboundPolicyConfiguration, prior types.Object, diags *diag.Diagnostics) types.Object {
	if g == nil || (g.InboundAllowed == nil && g.OutboundAllowed == nil && (prior.IsNull() || prior.IsUnknown())) {
		return types.ObjectNull(consentAttrTypes)
	}
	o, d := types.ObjectValue(consentAttrTypes, map[string]attr.Value{
		"inbound_allowed": boolValue(g.InboundAllowed), "outbound_allowed": boolValue(g.OutboundAllowed),
	})
	diags.Append(d...)
	return o
}

// settingsByAttr maps the B2B settings attributes to the fields of a Graph configuration.
func b2bFields(b2bCollabIn, b2bCollabOut, directIn, directOut, restrictions **graph.CrossTenantAccessB2BSetting) map[string]**graph.CrossTenantAccessB2BSetting {
	return map[string]**graph.CrossTenantAccessB2BSetting{
		"b2b_collaboration_inbound": b2bCollabIn, "b2b_collaboration_outbound": b2bCollabOut,
		"b2b_direct_connect_inbound": directIn, "b2b_direct_connect_outbound": directOut, "tenant_restrictions": restrictions,
	}
}
