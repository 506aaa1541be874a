package framework

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/entragov/terraform-provider-entragov/internal/framework/diagnostics"
	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// NamedCreate describes a create that the provider setting prevent_duplicate_names guards: catalogs,
// access packages, assignment policies, connected organizations and lifecycle workflows have no unique
// key in Graph, so a create that reached Graph from an apply killed before it saved state would
// otherwise be made again, silently, by the next apply.
type NamedCreate struct {
	// ResourceType is the Terraform type, for the import block in the message (e.g. "entragov_catalog").
	ResourceType string
	// Kind is the Graph object in words, for the error summary (e.g. "access package").
	Kind string
	// What names the object for a person, e.g. `access package "Sales" in catalog 1234`.
	What string
	// ImportID turns a found object's id into the resource's import id (nil: the id itself).
	ImportID func(id string) string
	// Find lists the ids of the objects that already have the name in the same parent.
	Find func(context.Context) ([]string, error)
	// InFreshParent says the parent was created by this provider run and the name is claimed in it for
	// the first time (graph.Client.ClaimNameInFreshParent): no other object can hold it there, so the
	// look-up before the create is skipped (the one after it is not: CheckCreatedAlone).
	InFreshParent bool
}

// CheckNoDuplicate runs before a create: with prevent_duplicate_names on (the default) it refuses to
// make a second object with the same name in the same parent, and names the import block that brings
// the existing one under management. It returns false when the create must not go ahead.
func CheckNoDuplicate(ctx context.Context, c *graph.Client, diags *diag.Diagnostics, nc NamedCreate) bool {
	if c == nil || !c.PreventDuplicateNames() || nc.InFreshParent {
		return true
	}
	ids, err := nc.Find(ctx)
	if graph.IsNotFound(err) {
		// The parent is not readable yet (created moments ago, not replicated): nothing can be under it.
		return true
	}
	if err != nil {
		diagnostics.AddAPIError(diags, "Unable to create "+nc.Kind+": the look-up of "+nc.What+" (prevent_duplicate_names) failed", err)
		return false
	}
	if len(ids) == 0 {
		return true
	}
	addDuplicateError(diags, nc, ids, "")
	return false
}

// CheckCreatedAlone runs after a create that CheckNoDuplicate let through, once the new object (id) is
// readable. Graph's lists lag behind its creates as its reads do (a new object can be missing for a
// while), so the look-up before the create misses an object Graph made moments earlier: one made by an
// apply killed just before this one started, for example (issue 13, item 7: "Crash package 1" made
// 1.4 s apart by a killed apply and the apply that recovered it, both in one catalog). Once the new object
// is readable, one made before it is listed too, so the name is looked up again. When another object holds
// it, the new one is removed (remove deletes it and waits until it is gone) and the create fails with the
// import block, as CheckNoDuplicate's does. alone is true when no other object holds the name; when it is
// false, removed says whether the new object is gone (the resource then leaves state; otherwise it stays,
// tainted, and the next apply deletes it).
func CheckCreatedAlone(ctx context.Context, c *graph.Client, diags *diag.Diagnostics, nc NamedCreate, id string,
	remove func(context.Context) error,
) (alone, removed bool) {
	// Not skipped in a fresh parent: the look-up after the create is the safety net for every way a
	// second namesake can appear (a lost answer, an orphaned provider process of a killed apply still
	// finishing its creates), so it stays whatever the parent.
	if c == nil || !c.PreventDuplicateNames() {
		return true, false
	}
	found, err := nc.Find(ctx)
	if graph.IsNotFound(err) {
		return true, false // the parent is not readable yet: nothing else is listed under it
	}
	if err != nil {
		diagnostics.AddAPIError(diags, "Created "+nc.Kind+" "+id+", but the look-up of "+nc.What+" after the create (prevent_duplicate_names) failed", err)
		return false, false
	}
	var others []string
	for _, other := range found {
		if other != id {
			others = append(others, other)
		}
	}
	if len(others) == 0 {
		return true, false
	}
	if err := remove(ctx); err != nil {
		diagnostics.AddAPIError(diags, "Unable to delete the duplicate "+nc.Kind+" "+id+" this apply created", err)
		addDuplicateError(diags, nc, others, fmt.Sprintf("Graph listed it only after this apply had created another, %s, "+
			"which could not be deleted: it stays in state as tainted, and the next apply deletes it.", id))
		return false, false
	}
	addDuplicateError(diags, nc, others, fmt.Sprintf("Graph listed it only after this apply had created another, %s, "+
		"which was deleted again.", id))
	return false, true
}

// addDuplicateError explains that ids already hold the name and names the import blocks; note, when set,
// says what became of an object this apply made.
func addDuplicateError(diags *diag.Diagnostics, nc NamedCreate, ids []string, note string) {
	var blocks []string
	for _, id := range ids {
		if nc.ImportID != nil {
			id = nc.ImportID(id)
		}
		blocks = append(blocks, fmt.Sprintf("import {\n  to = %s.<name>\n  id = %q\n}", nc.ResourceType, id))
	}
	if note != "" {
		note = " " + note
	}
	diags.AddAttributeError(path.Root("display_name"), "An object with this name already exists",
		fmt.Sprintf("Graph already holds %s (%d found), and no Terraform state here manages it.%s Creating would make a "+
			"second one with the same name, which Graph allows. This usually means an earlier apply was stopped after Graph "+
			"made the object but before Terraform saved it. Bring it under management with an import block (the resource's "+
			"address in place of %s.<name>), then apply again:\n\n%s\n\nIf another configuration manages it, give this one "+
			"another name. To create objects that share a name on purpose, set prevent_duplicate_names = false in the "+
			"provider block.", nc.What, len(ids), note, nc.ResourceType, strings.Join(blocks, "\n\n")))
}

// refusedWindow bounds how long RefusedAsDuplicate waits for Graph to list the object it says exists.
const refusedWindow = 30 * time.Second

// RefusedAsDuplicate handles a create that Graph refused with 400 because an object with the same key
// already exists, as it does for a second connected organization for one identity source. Graph checks
// that key at once, while its lists lag behind creates, so the object an apply killed moments earlier
// made is refused before CheckNoDuplicate can see it (issue 13, item 7: the recovery of a killed apply
// failed with "A connected organization for this identity source already exists."). The name is looked
// up for a while; when an object holds it, the create fails naming the import, as CheckNoDuplicate's
// does, and RefusedAsDuplicate returns true. It returns false, adding nothing, for any other error or when
// no object with the name shows, so that the caller reports Graph's error.
func RefusedAsDuplicate(ctx context.Context, c *graph.Client, diags *diag.Diagnostics, nc NamedCreate, err error) bool {
	if c == nil || !c.PreventDuplicateNames() {
		return false
	}
	var ids []string
	refusal, listed := ListedAfterRefusal(ctx, err, func(ctx context.Context) (bool, error) {
		var findErr error
		ids, findErr = nc.Find(ctx)
		return len(ids) > 0, findErr
	})
	if !listed {
		return false
	}
	addDuplicateError(diags, nc, ids, "Graph refused the create: "+refusal)
	return true
}

// ListedAfterRefusal handles a create Graph refused with 400 because the object already exists (its
// message says "already"): Graph checks that at once, while its lists lag behind creates, so an object a
// killed apply made moments earlier is refused before a list shows it. It calls find for up to
// refusedWindow until find reports the object and returns Graph's message and true; it returns false at
// once for any other error, and when find fails or the object never shows, so that the caller reports
// Graph's error.
func ListedAfterRefusal(ctx context.Context, err error, find func(context.Context) (bool, error)) (string, bool) {
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.Status != http.StatusBadRequest || !strings.Contains(strings.ToLower(ge.Message), "already") {
		return "", false
	}
	waited, pause := time.Duration(0), time.Second
	for {
		found, findErr := find(ctx)
		if findErr == nil && found {
			return ge.Message, true
		}
		if findErr != nil || waited+pause > refusedWindow || !pauseFor(ctx, pause) {
			return "", false
		}
		waited += pause
		pause = min(2*pause, 8*time.Second)
	}
}

// pauseFor waits d, or less when ctx ends (then it returns false). Tests replace it to count the pauses.
var pauseFor = func(ctx context.Context, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

// PresentAfterRefusal tells whether a create Graph refused left the object in place anyway (one with the
// same key, made by an apply killed before it saved state). A refusal that says "already" is given
// refusedWindow for the object to be listed (ListedAfterRefusal); any other error gets one look. find
// reports whether the object exists; its not-found is false with a nil error.
func PresentAfterRefusal(ctx context.Context, err error, find func(context.Context) (bool, error)) bool {
	if _, listed := ListedAfterRefusal(ctx, err, find); listed {
		return true
	}
	found, findErr := find(ctx)
	return findErr == nil && found
}

// Found turns the error of a read by key into what PresentAfterRefusal's find reports: a 404 is "not
// there" (false, no error), any other error stays an error.
func Found(err error) (bool, error) {
	if graph.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}
