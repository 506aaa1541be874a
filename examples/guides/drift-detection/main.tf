terraform {
  required_version = ">= 1.11"

  required_providers {
    entragov = {
      source = "entragov/entragov"
    }
  }
}

# Credentials come from the environment (see the authentication guide).
provider "entragov" {}

resource "entragov_catalog" "partners" {
  display_name       = "Partner onboarding"
  description        = "Access packages for employees of partner organizations"
  state              = "published"
  externally_visible = true
}

resource "entragov_access_package" "consultants" {
  catalog_id   = entragov_catalog.partners.id
  display_name = "Partner consultants"
  description  = "Project sites and tools for partner consultants"
}

resource "entragov_assignment_policy" "direct" {
  access_package_id = entragov_access_package.consultants.id
  display_name      = "Direct assignment"
  description       = "Administrators assign; access ends after 180 days"
  expiration        = { type = "afterDuration", duration = "P180D" }
}

output "catalog_id" {
  value = entragov_catalog.partners.id
}
