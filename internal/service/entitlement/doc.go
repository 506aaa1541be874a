// Package entitlement holds the entitlement-management resources and data sources: catalogs, catalog
// resources, access packages, role scopes, assignment policies, connected organizations, settings and
// assignments. Each entity has <entity>_resource.go, <entity>_data_source.go and their tests; expand and
// flatten live beside the resource.
package entitlement
