# Back to a well-behaved API.
curl -sS --fail --cacert "$SSL_CERT_FILE" -X PUT -H "Content-Type: application/json" -d '{}' \
  "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/faults"
