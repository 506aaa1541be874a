# How many requests each route answered since the start (or the last reset of the counters).
curl -sS --fail --cacert "$SSL_CERT_FILE" "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/requests"
# Start counting again.
curl -sS --fail --cacert "$SSL_CERT_FILE" -X DELETE "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/requests"
