# Writes a resource block and an import block (by identity) for every result of the list blocks.
# The file must not exist yet.
terraform query -generate-config-out=generated.tf
