terraform {
  required_version = ">= 1.11"

  required_providers {
    entragov = {
      source = "entragov/entragov"
    }
  }
}

# No credentials in the configuration: the provider reads them from the environment.
provider "entragov" {}

# Any read proves that the sign-in works.
data "entragov_catalog" "general" {
  display_name = "General"
}

output "general_catalog_id" {
  value = data.entragov_catalog.general.id
}
