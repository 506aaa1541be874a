# A user-assigned managed identity is named by its client id (or by its object id in ENTRAGOV_MSI_OBJECT_ID).
export ENTRAGOV_USE_MSI=true
export ENTRAGOV_CLIENT_ID="<managed identity client id>"
