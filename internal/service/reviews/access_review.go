package reviews

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/framework/identity"
	"github.com/entragov/terraform-provider-entragov/internal/framework/schematypes"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

var (
	_ resource.Resource                   = &accessReviewResource{}
	_ resource.ResourceWithConfigure      = &accessReviewResource{}
	_ resource.ResourceWithImportState    = &accessReviewResource{}
	_ resource.ResourceWithIdentity       = &accessReviewResource{}
	_ resource.ResourceWithValidateConfig = &accessReviewResource{}
)

// accessReviewIdentity is the resource identity (Terraform 1.12 and later).
var accessReviewIdentity = identity.ByID("access review")

// NewAccessReviewResource is the constructor registered with the provider.
func NewAccessReviewResource() resource.Resource {
	return &accessReviewResource{}
}

type accessReviewResource struct {
	client *graph.Client
}

func (r *accessReviewResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_access_review"
}

func (r *accessReviewResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schematypes.Cache(accessReviewSchema())
}

func (r *accessReviewResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = accessReviewIdentity.Schema()
}

func (r *accessReviewResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ClientFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *accessReviewResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer accessReviewIdentity.Create(ctx, resp)
	var plan accessReviewModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in := expandAccessReview(plan)
	start := time.Now()
	created, err := r.client.CreateAccessReviewDefinition(ctx, in)
	if graph.IsAmbiguous(err) {
		// The answer was lost: adopt the one definition of that name created since the request.
		var id string
		id, err = r.client.AdoptAfterAmbiguousCreate(ctx, fmt.Sprintf("access review %q", in.DisplayName), err, func(ctx context.Context) ([]string, error) {
			found, err := r.client.ListAccessReviewDefinitionsByName(ctx, in.DisplayName)
			var ids []string
			for _, d := range found {
				if graph.CreatedSince(d.CreatedDateTime, start) {
					ids = append(ids, d.ID)
				}
			}
			return ids, err
		})
		if err == nil {
			created = &graph.AccessReviewDefinition{ID: id}
		}
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to create access review", err)
		return
	}
	// Keep the id before waiting, so a failure after the create leaves a tainted resource, not an orphan.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), created.ID)...)
	var got *graph.AccessReviewDefinition
	err = r.client.WaitForExistence(ctx, func(ctx context.Context) (err error) {
		got, err = r.client.GetAccessReviewDefinition(ctx, created.ID)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Access review "+created.ID+" was created but could not be read back", err)
		return
	}
	flattenAccessReview(got, &plan)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *accessReviewResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer accessReviewIdentity.Read(ctx, req, resp)
	var state accessReviewModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	var got *graph.AccessReviewDefinition
	gone, err := r.client.RefreshRead(ctx, state.CreatedDateTime.ValueString(), func(ctx context.Context) (err error) {
		got, err = r.client.GetAccessReviewDefinition(ctx, id)
		return err
	})
	if gone {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to read access review "+id, err)
		return
	}
	flattenAccessReview(got, &state)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update sends the whole definition with PUT, as the update page requires; the bound fields are sent
// as they are (a change of them replaces the resource instead).
func (r *accessReviewResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer accessReviewIdentity.Update(ctx, resp)
	var plan, state accessReviewModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	if err := r.client.ReplaceAccessReviewDefinition(ctx, id, expandAccessReview(plan)); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to update access review "+id, err)
		return
	}
	got, err := r.client.GetAccessReviewDefinition(ctx, id)
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Access review "+id+" was updated but could not be read back", err)
		return
	}
	flattenAccessReview(got, &plan)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *accessReviewResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state accessReviewModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	if err := r.client.DeleteAccessReviewDefinition(ctx, id); err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Unable to delete access review "+id, err)
		return
	}
	err := r.client.WaitForDeletion(ctx, func(ctx context.Context) error {
		_, err := r.client.GetAccessReviewDefinition(ctx, id)
		return err
	})
	if err != nil {
		diagnostics.AddAPIError(&resp.Diagnostics, "Access review "+id+" was deleted but is still readable", err)
	}
}

func (r *accessReviewResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("id"), req, resp)
}
