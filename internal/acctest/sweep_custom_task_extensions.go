package acctest

import (
	"context"
	"fmt"
	"strings"
)

// customTaskExtensions removes the custom task extensions a failed live run left. It runs after the
// workflows: Graph keeps an extension that a workflow's task names.
func (s *sweeper) customTaskExtensions(ctx context.Context, prefix string) {
	extensions, err := s.c.ListCustomTaskExtensions(ctx)
	if err != nil {
		s.fail("custom task extensions", err)
		return
	}
	for _, ext := range extensions {
		if strings.HasPrefix(ext.DisplayName, prefix) {
			s.remove(fmt.Sprintf("custom task extension %q (%s)", ext.DisplayName, ext.ID), func() error {
				return s.c.DeleteCustomTaskExtension(ctx, ext.ID)
			})
		}
	}
}
