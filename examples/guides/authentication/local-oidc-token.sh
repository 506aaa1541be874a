# Ask the local API's built-in identity provider for a federated token; the admin application trusts the
# subject system:serviceaccount:entragov:terraform.
curl -sS --fail --cacert "$SSL_CERT_FILE" -X POST -H "Content-Type: application/json" \
  -d '{"subject": "system:serviceaccount:entragov:terraform"}' \
  "$ENTRAGOV_LOGIN_ENDPOINT/_emulator/federation/token" | jq -r .value > token.jwt
