# A custom task extension is imported by its object id.
terraform import entragov_custom_task_extension.manager_access 00000000-0000-0000-0000-000000000000
