# Everything the provider can list, each result with the state an import would give (include_resource),
# so that terraform query -generate-config-out can write its configuration.

list "entragov_catalog" "all" {
  provider         = entragov
  include_resource = true
}

list "entragov_catalog_resource" "all" {
  provider         = entragov
  include_resource = true
}

list "entragov_access_package" "all" {
  provider         = entragov
  include_resource = true
}

list "entragov_assignment_policy" "all" {
  provider         = entragov
  include_resource = true
}

list "entragov_connected_organization" "all" {
  provider         = entragov
  include_resource = true
}

list "entragov_lifecycle_workflow" "all" {
  provider         = entragov
  include_resource = true
}
