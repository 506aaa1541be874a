# Trust the local API's CA (written by the emulator at start) and sign in as its admin app.
export SSL_CERT_FILE="$PWD/entragov-emulator-ca.pem"
export ENTRAGOV_GRAPH_ENDPOINT="https://127.0.0.1:9443"
export ENTRAGOV_LOGIN_ENDPOINT="https://127.0.0.1:9443"
export ENTRAGOV_TENANT_ID="9d2f8a61-4c3b-4e5a-8f7d-1b2c3d4e5f60"
export ENTRAGOV_CLIENT_ID="3f0c9b1e-8a7d-4e2c-9b5a-6d4e3c2b1a09"
export ENTRAGOV_CLIENT_SECRET="entragov-local-secret"
