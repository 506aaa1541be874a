# A lifecycle workflow is imported by its Graph object id.
terraform import entragov_lifecycle_workflow.sales_joiners 00000000-0000-0000-0000-000000000000
