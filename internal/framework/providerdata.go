package framework

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// ProviderData is what Configure hands to every resource and data source: the Graph client and what
// is read from the tenant once per provider process (the lifecycle task definitions).
type ProviderData struct {
	Client          *graph.Client
	TaskDefinitions *graph.TaskDefinitionCache
	// TenantID is the tenant the provider signs in to: the tenant_id setting, or with an access token
	// alone its tid claim ("" when the token carries none). Singletons name it in their identity.
	TenantID string
}

// NewProviderData wraps a configured client with its per-process caches.
func NewProviderData(client *graph.Client) *ProviderData {
	return &ProviderData{Client: client, TaskDefinitions: graph.NewTaskDefinitionCache(client)}
}

// ClientFrom takes the Graph client out of the provider data handed to a resource or data source.
// It returns nil without a diagnostic while the provider is not configured yet (early validation).
func ClientFrom(providerData any, diags *diag.Diagnostics) *graph.Client {
	switch data := providerData.(type) {
	case nil:
		return nil
	case *ProviderData:
		return data.Client
	case *graph.Client:
		return data
	default:
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *framework.ProviderData, got %T. This is a bug in the provider; please report it.", providerData))
		return nil
	}
}

// TaskDefinitionsFrom takes the cached task-definition source out of the provider data, or nil while
// the provider is not configured (terraform validate): callers then use the built-in list.
func TaskDefinitionsFrom(providerData any) *graph.TaskDefinitionCache {
	if data, ok := providerData.(*ProviderData); ok {
		return data.TaskDefinitions
	}
	return nil
}

// TenantIDFrom takes the provider's tenant id out of the provider data ("" while not configured).
func TenantIDFrom(providerData any) string {
	if data, ok := providerData.(*ProviderData); ok {
		return data.TenantID
	}
	return ""
}
