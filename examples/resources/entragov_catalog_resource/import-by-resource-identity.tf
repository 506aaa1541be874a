# A catalog resource, by its catalog and its origin id (a SharePoint site URL is given as it is). Terraform 1.12 and later.
import {
  to = entragov_catalog_resource.team
  identity = {
    catalog_id = "00000000-0000-0000-0000-000000000000"
    origin_id  = "11111111-1111-1111-1111-111111111111"
  }
}
