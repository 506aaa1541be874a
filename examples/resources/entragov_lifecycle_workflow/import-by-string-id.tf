# Terraform 1.5 and later: import a workflow with an import block, then run
# `terraform plan -generate-config-out=generated.tf` or write the resource yourself.
import {
  to = entragov_lifecycle_workflow.example
  id = "00000000-0000-0000-0000-000000000000"
}
