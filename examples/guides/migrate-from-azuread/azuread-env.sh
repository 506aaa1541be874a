# Point the hashicorp/azuread provider at the local API: it reads the cloud metadata document from
# https://$ARM_METADATA_HOSTNAME/metadata/endpoints, which names the local API as login endpoint and as
# Microsoft Graph, and it trusts the local API's CA through SSL_CERT_FILE.
export SSL_CERT_FILE="$PWD/entragov-emulator-ca.pem"
export ARM_METADATA_HOSTNAME="127.0.0.1:9443"
export ARM_TENANT_ID="9d2f8a61-4c3b-4e5a-8f7d-1b2c3d4e5f60"
export ARM_CLIENT_ID="3f0c9b1e-8a7d-4e2c-9b5a-6d4e3c2b1a09"
export ARM_CLIENT_SECRET="entragov-local-secret"
