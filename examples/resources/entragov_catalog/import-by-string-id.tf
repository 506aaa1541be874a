# Terraform 1.5 and later: import a catalog with an import block, then run
# `terraform plan -generate-config-out=generated.tf` or write the resource yourself.
import {
  to = entragov_catalog.example
  id = "00000000-0000-0000-0000-000000000000"
}

resource "entragov_catalog" "example" {
  display_name = "Partner onboarding"
}
