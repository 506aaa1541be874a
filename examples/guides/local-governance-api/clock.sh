# The local API's time (real time until it is moved) and the time-driven effects waiting for it.
curl -sS --fail --cacert "$SSL_CERT_FILE" "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/clock"
# Move it 181 days forward: every effect due on the way runs, in time order, at its due time.
curl -sS --fail --cacert "$SSL_CERT_FILE" -X POST -H 'Content-Type: application/json' \
  -d '{"duration": "P181D"}' "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/clock/advance"
