// Package entitlement holds the entitlement-management resources and data sources: catalogs, catalog
// resources, access packages, role scopes, assignment policies, connected organizations, settings and
// assignments. The resource entragov_<name> is in <name>.go, the data source entragov_<name> in
// <name>_data_source.go, each with its _test.go (the rule is in CONTRIBUTING.md, "Names"); expand and
// flatten live beside the resource, shared helpers in helpers.go.
package entitlement
