# Credentials come from the environment, for example:
#   ENTRAGOV_TENANT_ID, ENTRAGOV_CLIENT_ID and ENTRAGOV_CLIENT_SECRET
# (or the ARM_* variables of the same names).
provider "entragov" {}

# The same provider pointed at the local governance API (`make emulator`).
# Its self-signed CA is trusted the standard way: export
# SSL_CERT_FILE=entragov-emulator-ca.pem before running Terraform.
provider "entragov" {
  alias          = "local"
  graph_endpoint = "https://127.0.0.1:9443"
  login_endpoint = "https://127.0.0.1:9443"
  tenant_id      = "9d2f8a61-4c3b-4e5a-8f7d-1b2c3d4e5f60"
  client_id      = "3f0c9b1e-8a7d-4e2c-9b5a-6d4e3c2b1a09"
  # client_secret is read from ENTRAGOV_CLIENT_SECRET.
}
