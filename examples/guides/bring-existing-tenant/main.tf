terraform {
  # List resources and terraform query came with Terraform 1.14.
  required_version = ">= 1.14"

  required_providers {
    entragov = {
      source = "entragov/entragov"
    }
  }
}

# Credentials come from the environment (see the authentication guide).
provider "entragov" {}
