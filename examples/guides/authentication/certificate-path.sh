export ENTRAGOV_TENANT_ID="<tenant id>"
export ENTRAGOV_CLIENT_ID="<application (client) id>"
export ENTRAGOV_CLIENT_CERTIFICATE_PATH="$PWD/client.pfx"
export ENTRAGOV_CLIENT_CERTIFICATE_PASSWORD="change-me"
