package acctest

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// Sweep finds what failed live runs left in a tenant, by display-name prefix, and with apply deletes it,
// children first (assignments, role scopes, policies, packages, extensions, resources, then the
// catalog; connected organizations; lifecycle workflows, also from deleted items, then custom task
// extensions; access reviews). It reports every
// object through say, and returns the errors of what it could not delete.
func Sweep(ctx context.Context, c *graph.Client, prefix string, apply bool, say func(string)) error {
	if len(prefix) < 3 {
		return fmt.Errorf("sweep: the prefix %q is too short to be safe", prefix)
	}
	s := sweeper{c: c, apply: apply, say: say}
	s.catalogs(ctx, prefix)
	s.connectedOrganizations(ctx, prefix)
	s.workflows(ctx, prefix)
	s.customTaskExtensions(ctx, prefix)
	s.accessReviews(ctx, prefix)
	return errors.Join(s.errs...)
}

type sweeper struct {
	c     *graph.Client
	apply bool
	say   func(string)
	errs  []error
}

// remove reports an object and, when applying, deletes it; a failure is kept and the sweep goes on.
func (s *sweeper) remove(what string, del func() error) {
	if !s.apply {
		s.say("would delete " + what)
		return
	}
	if err := del(); err != nil && !graph.IsNotFound(err) {
		s.errs = append(s.errs, fmt.Errorf("deleting %s: %w", what, err))
		s.say("FAILED to delete " + what + ": " + err.Error())
		return
	}
	s.say("deleted " + what)
}

func (s *sweeper) fail(what string, err error) {
	s.errs = append(s.errs, fmt.Errorf("listing %s: %w", what, err))
}

func (s *sweeper) catalogs(ctx context.Context, prefix string) {
	catalogs, err := s.c.ListCatalogs(ctx)
	if err != nil {
		s.fail("catalogs", err)
		return
	}
	for _, cat := range catalogs {
		if !strings.HasPrefix(cat.DisplayName, prefix) {
			continue
		}
		packages, err := s.c.ListCatalogAccessPackages(ctx, cat.ID)
		if err != nil {
			s.fail("the packages of catalog "+cat.ID, err)
			continue
		}
		for _, pkg := range packages {
			s.accessPackage(ctx, pkg)
		}
		extensions, err := s.c.ListCustomWorkflowExtensions(ctx, cat.ID)
		if err != nil {
			s.fail("the extensions of catalog "+cat.ID, err)
		}
		for _, ext := range extensions {
			s.remove(fmt.Sprintf("custom extension %q (%s)", ext.DisplayName, ext.ID), func() error {
				return s.c.DeleteCustomWorkflowExtension(ctx, cat.ID, ext.ID)
			})
		}
		resources, err := s.c.ListCatalogResources(ctx, cat.ID)
		if err != nil {
			s.fail("the resources of catalog "+cat.ID, err)
		}
		for _, res := range resources {
			s.remove(fmt.Sprintf("catalog resource %s (%s)", res.OriginID, res.ID), func() error {
				_, err := s.c.RemoveCatalogResource(ctx, cat.ID, res.ID)
				return err
			})
		}
		s.remove(fmt.Sprintf("catalog %q (%s)", cat.DisplayName, cat.ID), func() error { return s.c.DeleteCatalog(ctx, cat.ID) })
	}
}

// accessPackage removes a package of a swept catalog with what hangs off it.
func (s *sweeper) accessPackage(ctx context.Context, pkg graph.AccessPackage) {
	assignments, err := s.c.ListAssignments(ctx, graph.AssignmentFilter{AccessPackageID: pkg.ID, State: "delivered"})
	if err != nil {
		s.fail("the assignments of package "+pkg.ID, err)
	}
	for _, a := range assignments {
		s.remove("assignment "+a.ID, func() error {
			_, err := s.c.RemoveAssignment(ctx, a.ID)
			return err
		})
	}
	full, err := s.c.GetAccessPackage(ctx, pkg.ID, "resourceRoleScopes($expand=role,scope)")
	if err != nil {
		s.fail("the role scopes of package "+pkg.ID, err)
	} else {
		for _, rs := range full.ResourceRoleScopes {
			s.remove("role scope "+rs.ID, func() error { return s.c.DeleteRoleScope(ctx, pkg.ID, rs.ID) })
		}
	}
	policies, err := s.c.ListAccessPackagePolicies(ctx, pkg.ID)
	if err != nil {
		s.fail("the policies of package "+pkg.ID, err)
	}
	for _, p := range policies {
		s.remove(fmt.Sprintf("assignment policy %q (%s)", p.DisplayName, p.ID), func() error { return s.c.DeleteAssignmentPolicy(ctx, p.ID) })
	}
	s.remove(fmt.Sprintf("access package %q (%s)", pkg.DisplayName, pkg.ID), func() error { return s.c.DeleteAccessPackage(ctx, pkg.ID) })
}

func (s *sweeper) connectedOrganizations(ctx context.Context, prefix string) {
	orgs, err := s.c.ListConnectedOrganizations(ctx)
	if err != nil {
		s.fail("connected organizations", err)
		return
	}
	for _, o := range orgs {
		if strings.HasPrefix(o.DisplayName, prefix) {
			s.remove(fmt.Sprintf("connected organization %q (%s)", o.DisplayName, o.ID), func() error {
				return s.c.DeleteConnectedOrganization(ctx, o.ID)
			})
		}
	}
}

func (s *sweeper) accessReviews(ctx context.Context, prefix string) {
	defs, err := s.c.ListAccessReviewDefinitions(ctx)
	if err != nil {
		s.fail("access reviews", err)
		return
	}
	for _, d := range defs {
		if strings.HasPrefix(d.DisplayName, prefix) {
			s.remove(fmt.Sprintf("access review %q (%s)", d.DisplayName, d.ID), func() error {
				return s.c.DeleteAccessReviewDefinition(ctx, d.ID)
			})
		}
	}
}

func (s *sweeper) workflows(ctx context.Context, prefix string) {
	workflows, err := s.c.ListWorkflows(ctx)
	if err != nil {
		s.fail("lifecycle workflows", err)
		return
	}
	for _, w := range workflows {
		if strings.HasPrefix(w.DisplayName, prefix) {
			// A deleted workflow stays restorable (and counts against the tenant's limit) until it is
			// deleted from deletedItems too.
			s.remove(fmt.Sprintf("lifecycle workflow %q (%s)", w.DisplayName, w.ID), func() error {
				if err := s.c.DeleteWorkflow(ctx, w.ID); err != nil {
					return err
				}
				return s.c.PermanentlyDeleteWorkflow(ctx, w.ID)
			})
		}
	}
}
