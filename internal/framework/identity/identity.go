// Package identity gives resources their Terraform resource identity (Terraform 1.12 and later): the
// identity schema, the identity set after every create, read and update, and import by identity.
//
// Every identity attribute is a string. Most mirror the state attribute of the same name (the Graph id and
// the ids of the parent the object is addressed under); a singleton's tenant_id comes from the provider.
package identity

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Attribute is one string attribute of an identity.
type Attribute struct {
	// Name is the identity attribute and, unless Value is set, the state attribute it mirrors.
	Name        string
	Description string
	// Optional makes the attribute optional in an import block's identity (a singleton's tenant_id);
	// otherwise it is required.
	Optional bool
	// Value, when set, gives the attribute's value instead of the state (nil before Configure).
	Value func() string
}

// Spec is the identity of a resource type.
type Spec []Attribute

// Schema is the identity schema.
func (s Spec) Schema() identityschema.Schema {
	attrs := make(map[string]identityschema.Attribute, len(s))
	for _, a := range s {
		attrs[a.Name] = identityschema.StringAttribute{
			Description:       a.Description,
			RequiredForImport: !a.Optional,
			OptionalForImport: a.Optional,
		}
	}
	return identityschema.Schema{Attributes: attrs}
}

// Create sets the identity from what Create put in state: defer it at the start of Create, so that a
// resource kept in state by a failed create (tainted) has its identity too.
func (s Spec) Create(ctx context.Context, resp *resource.CreateResponse) {
	resp.Diagnostics.Append(s.fromState(ctx, resp.State, resp.Identity)...)
}

// Update sets the identity from what Update put in state; defer it at the start of Update.
func (s Spec) Update(ctx context.Context, resp *resource.UpdateResponse) {
	resp.Diagnostics.Append(s.fromState(ctx, resp.State, resp.Identity)...)
}

// Read sets the identity from what Read put in state; defer it at the start of Read. When Read removed
// the resource (gone from Graph), the identity comes from the prior state: state written before the
// provider had identities (or by Terraform before 1.12) holds none, and the framework refuses a read
// that answers without one.
func (s Spec) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state := resp.State
	if state.Raw.IsNull() {
		if resp.Identity == nil || !resp.Identity.Raw.IsFullyNull() {
			return
		}
		state = req.State
	}
	resp.Diagnostics.Append(s.fromState(ctx, state, resp.Identity)...)
}

// fromState copies each identity attribute from state; values not known yet (a create that failed
// before Graph answered) leave the identity as it was.
func (s Spec) fromState(ctx context.Context, state tfsdk.State, id *tfsdk.ResourceIdentity) (diags diag.Diagnostics) {
	if id == nil || state.Raw.IsNull() {
		return nil
	}
	values := make(map[string]types.String, len(s))
	for _, a := range s {
		if a.Value != nil {
			values[a.Name] = types.StringValue(a.Value())
			continue
		}
		var v types.String
		diags.Append(state.GetAttribute(ctx, path.Root(a.Name), &v)...)
		if diags.HasError() {
			return diags
		}
		if v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
			return diags
		}
		values[a.Name] = v
	}
	for _, a := range s {
		diags.Append(id.SetAttribute(ctx, path.Root(a.Name), values[a.Name])...)
	}
	return diags
}

// Values reads an import block's identity: the value of each attribute, "" for an optional one left
// out. It is for ImportState when req.ID is empty.
func (s Spec) Values(ctx context.Context, req resource.ImportStateRequest) (map[string]string, diag.Diagnostics) {
	var diags diag.Diagnostics
	if req.Identity == nil {
		diags.AddError("Missing import identity", "Import needs an id or an identity; this Terraform sent neither.")
		return nil, diags
	}
	out := make(map[string]string, len(s))
	for _, a := range s {
		var v types.String
		diags.Append(req.Identity.GetAttribute(ctx, path.Root(a.Name), &v)...)
		if diags.HasError() {
			return nil, diags
		}
		if !a.Optional && v.ValueString() == "" {
			diags.AddAttributeError(path.Root(a.Name), "Missing identity attribute",
				fmt.Sprintf("The import block's identity must set %s.", a.Name))
			continue
		}
		out[a.Name] = v.ValueString()
	}
	return out, diags
}

// ByID is the identity of an object Graph addresses by its id alone; what names it ("catalog").
func ByID(what string) Spec {
	return Spec{{Name: "id", Description: "The " + what + "'s Graph object id."}}
}

// Singleton is the identity of a tenant-wide singleton (settings): the tenant it belongs to, as
// terraform-provider-aws gives its singletons the account (and region) they belong to. tenant is the
// provider's tenant id. The attribute is optional in an import block; when set, it must be the
// provider's tenant.
func Singleton(what string, tenant func() string) Spec {
	return Spec{{
		Name:        "tenant_id",
		Description: "The id of the tenant whose " + what + " these are (one per tenant); the provider's tenant.",
		Optional:    true,
		Value:       tenant,
	}}
}

// CheckTenant is ImportState's check of a singleton's identity: a tenant_id that is set must be the
// provider's tenant (compared without regard to case).
func CheckTenant(ctx context.Context, req resource.ImportStateRequest, tenant string, diags *diag.Diagnostics) {
	if req.ID != "" || req.Identity == nil {
		return
	}
	var v types.String
	diags.Append(req.Identity.GetAttribute(ctx, path.Root("tenant_id"), &v)...)
	if diags.HasError() || v.ValueString() == "" {
		return
	}
	if !strings.EqualFold(v.ValueString(), tenant) {
		diags.AddAttributeError(path.Root("tenant_id"), "Wrong tenant",
			fmt.Sprintf("The provider is configured for tenant %q and cannot import the settings of tenant %q.", tenant, v.ValueString()))
	}
}
