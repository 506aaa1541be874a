# A client-credentials token from the local API's token endpoint, as any OAuth2 client would get one.
export ENTRAGOV_ACCESS_TOKEN="$(curl -sS --fail --cacert "$SSL_CERT_FILE" \
  "$ENTRAGOV_LOGIN_ENDPOINT/9d2f8a61-4c3b-4e5a-8f7d-1b2c3d4e5f60/oauth2/v2.0/token" \
  -d grant_type=client_credentials \
  -d client_id=3f0c9b1e-8a7d-4e2c-9b5a-6d4e3c2b1a09 \
  -d client_secret=entragov-local-secret \
  --data-urlencode scope=https://graph.microsoft.com/.default | jq -r .access_token)"
