# The configuration applied by `make demo` (scripts/demo.sh) against the local
# governance API. Everything the provider needs comes from ENTRAGOV_* variables.
terraform {
  required_version = ">= 1.5"

  required_providers {
    entragov = {
      source = "registry.terraform.io/entragov/entragov"
    }
  }
}

provider "entragov" {}

# Partner onboarding: a published catalog that users of connected (partner)
# organizations can see and request access packages from.
resource "entragov_catalog" "partner_onboarding" {
  display_name       = "Partner onboarding"
  description        = "Access for consultants and contractors from partner organizations"
  state              = "published"
  externally_visible = true
}

# The internal side of the story, still being prepared: not open for requests.
resource "entragov_catalog" "partner_sponsors" {
  display_name       = "Partner sponsors (draft)"
  description        = "Access for employees who sponsor partner organizations"
  state              = "unpublished"
  externally_visible = false
}

# The built-in catalog every tenant has.
data "entragov_catalog" "general" {
  display_name = "General"
}

output "partner_catalog_id" {
  description = "Graph id of the Partner onboarding catalog."
  value       = entragov_catalog.partner_onboarding.id
}

output "general_catalog_id" {
  description = "Graph id of the built-in General catalog."
  value       = data.entragov_catalog.general.id
}
