# The local API answers as the managed identity endpoint (IMDS) of an Azure resource that has a system-assigned
# identity and the user-assigned identity with the client id 9e3f4a5b-6c7d-4e8f-a09b-1c2d3e4f5a6b.
export ENTRAGOV_MSI_ENDPOINT="$ENTRAGOV_LOGIN_ENDPOINT/metadata/identity/oauth2/token"
