# Register the certificate on the local API's admin application (in a tenant: upload client.crt).
curl -sS --fail --cacert "$SSL_CERT_FILE" -X POST --data-binary @client.crt \
  "$ENTRAGOV_LOGIN_ENDPOINT/_emulator/apps/3f0c9b1e-8a7d-4e2c-9b5a-6d4e3c2b1a09/certificates"
