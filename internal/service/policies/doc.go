// Package policies holds the resources over the tenant's policies under /policies in Microsoft Graph
// v1.0 that govern external collaboration: entragov_external_collaboration_settings (the guest parts of
// the authorization policy singleton, external_collaboration_settings.go). One file per Terraform type,
// named after it (CONTRIBUTING.md, "Names"); the client calls are in internal/graph
// (authorization_policy.go) and the local API's side in internal/emulator/policies.
package policies
