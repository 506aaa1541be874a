# A catalog resource, by "<catalog id>/<origin id>" (a SharePoint site URL is given as it is).
import {
  to = entragov_catalog_resource.team
  id = "00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111"
}
