package graph

import (
	"context"
	"net/http"
	"net/url"
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
