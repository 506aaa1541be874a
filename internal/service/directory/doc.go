// Package directory holds read-only data sources for the directory objects governance configurations
// point at: users (targets, sponsors, approvers) and groups (resources, incompatible groups, scopes).
package directory
