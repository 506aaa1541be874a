// Package crosstenant holds the cross-tenant access settings of the tenant
// (https://learn.microsoft.com/en-us/graph/api/resources/crosstenantaccesspolicy-overview?view=graph-rest-1.0):
// the default configuration, a singleton (entragov_cross_tenant_access_default), and the partner
// configurations, one per partner tenant (entragov_cross_tenant_access_partner). Both carry the same
// settings blocks, whose schema, checks, expand and flatten are in helpers.go.
package crosstenant
