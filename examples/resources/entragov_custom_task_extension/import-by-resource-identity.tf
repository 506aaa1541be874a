# A custom task extension, by its identity. Terraform 1.12 and later.
import {
  to = entragov_custom_task_extension.manager_access
  identity = {
    id = "00000000-0000-0000-0000-000000000000"
  }
}
