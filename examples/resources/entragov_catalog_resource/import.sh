# A catalog resource is imported by "<catalog id>/<origin id>". The origin id may contain slashes
# (SharePoint site URLs); only the first slash separates the two.
terraform import entragov_catalog_resource.team 00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111
terraform import entragov_catalog_resource.site "00000000-0000-0000-0000-000000000000/https://contoso.sharepoint.com/sites/falcon"
