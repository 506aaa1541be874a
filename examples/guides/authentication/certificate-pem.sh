# A PEM file holding the certificate and its (unencrypted) private key works too.
cat client.crt client.key > client.pem
export ENTRAGOV_TENANT_ID="<tenant id>"
export ENTRAGOV_CLIENT_ID="<application (client) id>"
export ENTRAGOV_CLIENT_CERTIFICATE_PATH="$PWD/client.pem"
