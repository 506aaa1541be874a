package entitlement

// Steps shared by the create and delete of several resources.

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/entragov/terraform-provider-entragov/internal/framework"
	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// adoptByName resolves a create whose answer was lost, for objects found by their display name: of the
// objects list returns, those the create may have made (start.MayHaveMade: not stamped before it was
// sent) are candidates; exactly one is adopted. The listed object is returned as is, because a GET right
// away may not see it yet (replication).
func adoptByName[T any](ctx context.Context, c *graph.Client, what string, cause error, start graph.CreateStart,
	list func(context.Context) ([]T, error), key func(T) (id, created string),
) (*T, error) {
	listed := map[string]T{}
	id, err := c.AdoptAfterAmbiguousCreate(ctx, what, cause, func(ctx context.Context) ([]string, error) {
		found, err := list(ctx)
		var ids []string
		for _, o := range found {
			if id, created := key(o); start.MayHaveMade(created) {
				ids = append(ids, id)
				listed[id] = o
			}
		}
		return ids, err
	})
	if err != nil {
		return nil, err
	}
	o := listed[id]
	return &o, nil
}

// createdAlone runs framework.CheckCreatedAlone after a create, once the new object id is readable: when
// an object made before it already held the name, the new one is deleted (del, then reads until read
// answers 404) and, once gone, leaves state. It reports whether the create may go on.
func createdAlone(ctx context.Context, c *graph.Client, resp *resource.CreateResponse, named framework.NamedCreate, id string,
	del, read func(context.Context) error,
) bool {
	alone, removed := framework.CheckCreatedAlone(ctx, c, &resp.Diagnostics, named, id, func(ctx context.Context) error {
		if err := del(ctx); err != nil {
			return err
		}
		return c.WaitForDeletion(ctx, read)
	})
	if removed {
		resp.State.RemoveResource(ctx)
	}
	return alone
}

// idsOf lists the ids of listed objects.
func idsOf[T any](objs []T, id func(T) string) []string {
	ids := make([]string, len(objs))
	for i, o := range objs {
		ids[i] = id(o)
	}
	return ids
}

// deleteAndWait deletes an object, then waits until reads answer 404 so that a delete is reported only
// once the object is gone everywhere (spec 3.5). what names the object in messages, e.g. "catalog <id>".
func deleteAndWait(ctx context.Context, c *graph.Client, diags *diag.Diagnostics, what string,
	del func(context.Context) error, read func(context.Context) error,
) {
	if err := del(ctx); err != nil {
		diagnostics.AddAPIError(diags, "Unable to delete "+what, err)
		return
	}
	if err := c.WaitForDeletion(ctx, read); err != nil {
		diagnostics.AddAPIError(diags, strings.ToUpper(what[:1])+what[1:]+" was deleted but is still readable", err)
	}
}
