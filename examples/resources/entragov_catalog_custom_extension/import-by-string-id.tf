# A custom extension, by "<catalog id>/<custom extension id>".
import {
  to = entragov_catalog_custom_extension.contract_check
  id = "00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111"
}
