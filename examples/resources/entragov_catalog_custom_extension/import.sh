# A custom extension is imported by "<catalog id>/<custom extension id>".
terraform import entragov_catalog_custom_extension.contract_check 00000000-0000-0000-0000-000000000000/11111111-1111-1111-1111-111111111111
