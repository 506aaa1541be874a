package graph

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"time"
)

const taskDefinitionsPath = lwPath + "/taskDefinitions"

// TaskDefinition is one built-in lifecycle task (spec 2.5). Category is a flags enum, e.g. "joiner,leaver".
type TaskDefinition struct {
	ID              string                    `json:"id"`
	DisplayName     string                    `json:"displayName"`
	Description     string                    `json:"description"`
	Category        string                    `json:"category"`
	ContinueOnError bool                      `json:"continueOnError"`
	Version         int                       `json:"version"`
	Parameters      []TaskDefinitionParameter `json:"parameters"`
}

// TaskDefinitionParameter is an argument a task takes; Values lists the allowed values ([] = free).
type TaskDefinitionParameter struct {
	Name      string   `json:"name"`
	Values    []string `json:"values"`
	ValueType string   `json:"valueType"`
}

// ListTaskDefinitions lists the built-in task definitions, all or those of one category
// (`$filter=category has 'joiner'`).
func (c *Client) ListTaskDefinitions(ctx context.Context, category string) ([]TaskDefinition, error) {
	var q url.Values
	if category != "" {
		q = url.Values{"$filter": {"category has " + ODataString(category)}}
	}
	return listAll[TaskDefinition](ctx, c, taskDefinitionsPath, q)
}

// GetTaskDefinition reads one task definition.
func (c *Client) GetTaskDefinition(ctx context.Context, id string) (*TaskDefinition, error) {
	var out TaskDefinition
	if err := c.do(ctx, request{method: http.MethodGet, path: taskDefinitionsPath + "/" + url.PathEscape(id)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// taskDefinitionsReadTimeout bounds the one read of a TaskDefinitionCache, whoever asked first.
const taskDefinitionsReadTimeout = 2 * time.Minute

// TaskDefinitionCache reads the tenant's task definitions (all pages) once and gives every caller the
// same answer, error included, so that many resources planned at once cost one listing. The read runs
// on a context detached from the first caller's cancellation (bounded by taskDefinitionsReadTimeout);
// each caller stops waiting when its own context ends. The zero value is not usable: see
// NewTaskDefinitionCache.
type TaskDefinitionCache struct {
	list func(context.Context) ([]TaskDefinition, error)
	once sync.Once
	done chan struct{}
	defs []TaskDefinition
	err  error
}

// NewTaskDefinitionCache is a cache over GET /identityGovernance/lifecycleWorkflows/taskDefinitions.
func NewTaskDefinitionCache(c *Client) *TaskDefinitionCache {
	return NewTaskDefinitionCacheFunc(func(ctx context.Context) ([]TaskDefinition, error) {
		return c.ListTaskDefinitions(ctx, "")
	})
}

// NewTaskDefinitionCacheFunc is a cache over any listing, for tests.
func NewTaskDefinitionCacheFunc(list func(context.Context) ([]TaskDefinition, error)) *TaskDefinitionCache {
	return &TaskDefinitionCache{list: list}
}

// TaskDefinitions returns the cached definitions, reading them on the first call. The slice is shared:
// callers must not modify it.
func (c *TaskDefinitionCache) TaskDefinitions(ctx context.Context) ([]TaskDefinition, error) {
	c.once.Do(func() {
		c.done = make(chan struct{})
		readCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), taskDefinitionsReadTimeout)
		go func() {
			defer close(c.done)
			defer cancel()
			c.defs, c.err = c.list(readCtx)
		}()
	})
	select {
	case <-c.done:
		return c.defs, c.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
