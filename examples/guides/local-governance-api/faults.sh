# Throttle 20% of Graph requests (429 with Retry-After: 1) and add 50 ms to each one.
curl -sS --fail --cacert "$SSL_CERT_FILE" -X PUT -H "Content-Type: application/json" \
  -d '{"throttleRate": 0.2, "retryAfterSeconds": 1, "latency": "50ms", "seed": 42}' \
  "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/faults"
curl -sS --fail --cacert "$SSL_CERT_FILE" "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/faults"
