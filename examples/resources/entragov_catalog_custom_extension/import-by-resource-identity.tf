# A custom extension, by its catalog and its id. Terraform 1.12 and later.
import {
  to = entragov_catalog_custom_extension.contract_check
  identity = {
    catalog_id = "00000000-0000-0000-0000-000000000000"
    id         = "11111111-1111-1111-1111-111111111111"
  }
}
