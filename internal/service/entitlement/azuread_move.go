package entitlement

// Moving resources from the hashicorp/azuread provider (Terraform >= 1.8 "moved" blocks across
// providers). Each target resource has one StateMover (in <resource>_move.go) whose SourceSchema
// describes the azuread resource's documented schema, so the source state is decoded with
// types; the mapping functions are pure and unit-tested. A move writes what the azuread state
// knows; the values our schema has and azuread's lacks (ids of the v1.0 objects, timestamps,
// computed lists) are left null, and the refresh Terraform runs right after the move fills
// them from Graph, so the first plan compares the configuration with the object as it is.

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entragov/terraform-provider-entragov/internal/framework/subjectset"
	"github.com/entragov/terraform-provider-entragov/internal/framework/validators"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// azureadMove names one accepted source: the azuread type a target resource moves from.
type azureadMove struct {
	sourceType string // e.g. "azuread_access_package_catalog"
	targetType string // e.g. "entragov_catalog"
}

// isAzureadAddress accepts the hashicorp/azuread provider as Terraform sends it
// (registry.terraform.io/hashicorp/azuread), as OpenTofu sends it (registry.opentofu.org/...),
// and the short form without a host.
func isAzureadAddress(addr string) bool {
	parts := strings.Split(strings.ToLower(strings.TrimSpace(addr)), "/")
	switch len(parts) {
	case 2:
		return parts[0] == "hashicorp" && parts[1] == "azuread"
	case 3:
		return (parts[0] == "registry.terraform.io" || parts[0] == "registry.opentofu.org") &&
			parts[1] == "hashicorp" && parts[2] == "azuread"
	}
	return false
}

// accepts checks that a MoveState request is the move m handles and that its source state
// was decoded, adding a diagnostic that says what can be moved otherwise.
func (m azureadMove) accepts(req resource.MoveStateRequest, diags *diag.Diagnostics) bool {
	if req.SourceTypeName != m.sourceType || !isAzureadAddress(req.SourceProviderAddress) {
		diags.AddError("Unsupported move source",
			fmt.Sprintf("%s can be moved only from %s of the hashicorp/azuread provider (registry.terraform.io/hashicorp/azuread); "+
				"this moved block names %s of %s. Check the \"from\" address of the moved block, or import the object "+
				"with an import block instead.", m.targetType, m.sourceType, req.SourceTypeName, req.SourceProviderAddress))
		return false
	}
	if req.SourceState == nil {
		diags.AddError("Unable to read the azuread state",
			fmt.Sprintf("The state of %s (schema version %d) does not have the shape of the documented azuread schema, so it "+
				"cannot be moved to %s. Upgrade the azuread provider to a 2.x or 3.x release that documents this resource, run "+
				"terraform apply once, then move again.", m.sourceType, req.SourceSchemaVersion, m.targetType))
		return false
	}
	return true
}

// ---- pieces of the azuread source schemas ----

// sourceTimeouts is the "timeouts" block the SDKv2 provider declares for the given operations.
func sourceTimeouts(ops ...string) schema.SingleNestedBlock {
	attrs := map[string]schema.Attribute{}
	for _, op := range ops {
		attrs[op] = schema.StringAttribute{Optional: true}
	}
	return schema.SingleNestedBlock{Attributes: attrs}
}

func sourceString() schema.StringAttribute { return schema.StringAttribute{Optional: true} }
func sourceBool() schema.BoolAttribute     { return schema.BoolAttribute{Optional: true} }
func sourceInt() schema.Int64Attribute     { return schema.Int64Attribute{Optional: true} }
func sourceID() schema.StringAttribute     { return schema.StringAttribute{Computed: true} }

// sourceUserSet is azuread's subject block (requestor, primary_approver, alternative_approver,
// reviewer): subject_type, object_id and backup.
func sourceUserSet() schema.ListNestedBlock {
	return schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
		"subject_type": sourceString(),
		"object_id":    sourceString(),
		"backup":       sourceBool(),
	}}}
}

type azureadUserSet struct {
	SubjectType types.String `tfsdk:"subject_type"`
	ObjectID    types.String `tfsdk:"object_id"`
	Backup      types.Bool   `tfsdk:"backup"`
}

// subjectSetFromAzuread maps an azuread subject to our subject set. subject_type is matched
// case-insensitively (the provider stores "GroupMembers" and accepts "groupMembers").
func subjectSetFromAzuread(u azureadUserSet, at string) (subjectset.Model, error) {
	m := subjectset.Model{
		UserID: types.StringNull(), GroupID: types.StringNull(), ConnectedOrganizationID: types.StringNull(),
		ServicePrincipalID: types.StringNull(), MembershipRule: types.StringNull(), ManagerLevel: types.Int64Null(),
		Description: types.StringNull(),
	}
	id := u.ObjectID.ValueString()
	switch strings.ToLower(u.SubjectType.ValueString()) {
	case "singleuser":
		m.Type, m.UserID = types.StringValue(graph.SubjectSingleUser), types.StringValue(id)
	case "groupmembers":
		m.Type, m.GroupID = types.StringValue(graph.SubjectGroupMembers), types.StringValue(id)
	case "connectedorganizationmembers":
		m.Type, m.ConnectedOrganizationID = types.StringValue(graph.SubjectConnectedOrganizationMembers), types.StringValue(id)
	case "requestormanager":
		m.Type, m.ManagerLevel = types.StringValue(graph.SubjectRequestorManager), types.Int64Value(1)
	case "internalsponsors":
		m.Type = types.StringValue(graph.SubjectInternalSponsors)
	case "externalsponsors":
		m.Type = types.StringValue(graph.SubjectExternalSponsors)
	case "targetusersponsors":
		m.Type = types.StringValue(graph.SubjectTargetUserSponsors)
	default:
		return m, fmt.Errorf("%s: subject_type %q is not one the azuread provider documents", at, u.SubjectType.ValueString())
	}
	return m, nil
}

// subjectListsFromAzuread splits azuread subjects into our primary and fallback lists (backup
// subjects are Graph v1.0's fallback approvers / reviewers). Empty lists are null, as the
// refresh shows lists the configuration leaves out.
func subjectListsFromAzuread(in []azureadUserSet, at string) (primary, fallback types.List, err error) {
	var p, f []subjectset.Model
	for i, u := range in {
		m, err := subjectSetFromAzuread(u, fmt.Sprintf("%s[%d]", at, i))
		if err != nil {
			return types.ListNull(subjectset.ObjectType()), types.ListNull(subjectset.ObjectType()), err
		}
		if u.Backup.ValueBool() {
			f = append(f, m)
		} else {
			p = append(p, m)
		}
	}
	return subjectList(p), subjectList(f), nil
}

func subjectList(ms []subjectset.Model) types.List {
	if len(ms) == 0 {
		return types.ListNull(subjectset.ObjectType())
	}
	l, _ := types.ListValueFrom(context.Background(), subjectset.ObjectType(), ms)
	return l
}

// daysDuration writes a number of days as an ISO 8601 duration.
func daysDuration(days int64) string { return "P" + strconv.FormatInt(days, 10) + "D" }

// azureadRoleScopeID reads the access package id and the role scope id from the id of an
// azuread_access_package_resource_package_association: "<package id>/<role scope id>/<origin
// id>/<access type>", with ":" instead of "/" in releases before the go-azure-sdk rewrite, or
// "<package id>/<role scope id>" in the newest releases. The origin id may itself hold "/" (a
// SharePoint site URL), so only the first two parts are read.
func azureadRoleScopeID(id string) (packageID, roleScopeID string, ok bool) {
	const guidLen = 36
	if len(id) <= guidLen+1 || (id[guidLen] != '/' && id[guidLen] != ':') {
		return "", "", false
	}
	packageID, rest := id[:guidLen], id[guidLen+1:]
	roleScopeID, _, _ = strings.Cut(rest, string(id[guidLen]))
	return packageID, roleScopeID, validators.IsGUID(packageID) && roleScopeID != ""
}
