package azuread

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// resourceDef is one azuread resource: its schema and its CRUD on plain Go values.
type resourceDef struct {
	name   string
	schema schema.Schema
	// create returns the Terraform id.
	create func(ctx context.Context, c *client, plan map[string]any) (string, error)
	// read returns the state for id, or nil when the object is gone.
	read   func(ctx context.Context, c *client, id string) (map[string]any, error)
	update func(ctx context.Context, c *client, id string, plan map[string]any) error // nil: every argument is ForceNew
	delete func(ctx context.Context, c *client, id string) error
	// keepOutIfAbsent names blocks the refresh leaves out of state while the configuration
	// (or the prior state) has none: the real provider suppresses their diff.
	keepOutIfAbsent []string
}

type genericResource struct {
	def    resourceDef
	client *client
}

var (
	_ resource.ResourceWithConfigure   = &genericResource{}
	_ resource.ResourceWithImportState = &genericResource{}
)

func (r *genericResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.def.name
}

func (r *genericResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.def.schema
}

func (r *genericResource) Configure(_ context.Context, req resource.ConfigureRequest, _ *resource.ConfigureResponse) {
	if c, ok := req.ProviderData.(*client); ok {
		r.client = c
	}
}

func (r *genericResource) get(ctx context.Context, raw tftypes.Value) (map[string]any, error) {
	g, err := toGo(raw)
	if err != nil {
		return nil, err
	}
	m, _ := g.(map[string]any)
	return m, nil
}

func (r *genericResource) set(ctx context.Context, st *tfsdk.State, m map[string]any) error {
	v, err := fromGo(m, st.Schema.Type().TerraformType(ctx))
	if err != nil {
		return err
	}
	st.Raw = v
	return nil
}

// refresh reads the object and keeps the timeouts block, which is configuration only.
func (r *genericResource) refresh(ctx context.Context, id string, prior map[string]any) (map[string]any, error) {
	m, err := r.def.read(ctx, r.client, id)
	if err != nil || m == nil {
		return m, err
	}
	m["id"] = id
	m["timeouts"] = prior["timeouts"]
	for _, k := range r.def.keepOutIfAbsent {
		if len(list(prior, k)) == 0 {
			m[k] = []any{}
		}
	}
	return m, nil
}

func (r *genericResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, err := r.get(ctx, req.Plan.Raw)
	if err != nil {
		resp.Diagnostics.AddError("Reading the plan", err.Error())
		return
	}
	id, err := r.def.create(ctx, r.client, plan)
	if err != nil {
		resp.Diagnostics.AddError("Creating azuread_"+r.def.name, err.Error())
		return
	}
	// Like the real provider, wait until the new object is readable (Graph replicates).
	var st map[string]any
	err = waitFor(ctx, func() (bool, error) {
		var err error
		st, err = r.refresh(ctx, id, plan)
		return st != nil, err
	})
	if err == nil && st == nil {
		resp.Diagnostics.AddError("Creating azuread_"+r.def.name, "the new object "+id+" could not be read back")
		return
	}
	if err == nil {
		err = r.set(ctx, &resp.State, st)
	}
	if err != nil {
		resp.Diagnostics.AddError("Reading azuread_"+r.def.name+" "+id, err.Error())
	}
}

func (r *genericResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	prior, err := r.get(ctx, req.State.Raw)
	if err != nil {
		resp.Diagnostics.AddError("Reading the state", err.Error())
		return
	}
	id := str(prior, "id")
	st, err := r.refresh(ctx, id, prior)
	if err != nil {
		resp.Diagnostics.AddError("Reading azuread_"+r.def.name+" "+id, err.Error())
		return
	}
	if st == nil {
		resp.State.RemoveResource(ctx)
		return
	}
	if err := r.set(ctx, &resp.State, st); err != nil {
		resp.Diagnostics.AddError("Reading azuread_"+r.def.name+" "+id, err.Error())
	}
}

func (r *genericResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, err := r.get(ctx, req.Plan.Raw)
	if err != nil {
		resp.Diagnostics.AddError("Reading the plan", err.Error())
		return
	}
	prior, err := r.get(ctx, req.State.Raw)
	if err != nil {
		resp.Diagnostics.AddError("Reading the state", err.Error())
		return
	}
	id := str(prior, "id")
	if r.def.update != nil {
		if err := r.def.update(ctx, r.client, id, plan); err != nil {
			resp.Diagnostics.AddError("Updating azuread_"+r.def.name+" "+id, err.Error())
			return
		}
	}
	st, err := r.refresh(ctx, id, plan)
	if err == nil && st != nil {
		err = r.set(ctx, &resp.State, st)
	}
	if err != nil {
		resp.Diagnostics.AddError("Reading azuread_"+r.def.name+" "+id, err.Error())
	}
}

func (r *genericResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	prior, err := r.get(ctx, req.State.Raw)
	if err != nil {
		resp.Diagnostics.AddError("Reading the state", err.Error())
		return
	}
	if err := r.def.delete(ctx, r.client, str(prior, "id")); err != nil && !notFound(err) {
		resp.Diagnostics.AddError("Deleting azuread_"+r.def.name, err.Error())
	}
}

func (r *genericResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

// ---- schema helpers shaped like the SDKv2 schema the real provider declares ----

// idAttribute is SDKv2's implicit "id".
func idAttribute() schema.StringAttribute {
	return schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
}

// timeoutsBlock is SDKv2's "timeouts" block for the given operations.
func timeoutsBlock(ops ...string) schema.SingleNestedBlock {
	attrs := map[string]schema.Attribute{}
	for _, op := range ops {
		attrs[op] = schema.StringAttribute{Optional: true}
	}
	return schema.SingleNestedBlock{Attributes: attrs}
}

// forceNew is ForceNew on a string.
var forceNew = []planmodifier.String{stringplanmodifier.RequiresReplace()}
