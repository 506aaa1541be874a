// Package lifecycle holds the lifecycle-workflow resources and data sources: workflows (with their
// tasks, versions and soft delete), the built-in task definitions and the tenant's lifecycle settings.
// The built-in task catalogue and the rule grammar of rule-based scopes are kept here as provider data
// so that configurations are checked at plan time, without calling Graph.
package lifecycle
