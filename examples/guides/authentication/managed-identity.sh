# On an Azure resource with a system-assigned managed identity: no id, no secret.
export ENTRAGOV_USE_MSI=true
