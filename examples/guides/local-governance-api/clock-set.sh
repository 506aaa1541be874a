# Move the clock to a date and time (RFC 3339); a time before the clock's answers 400.
curl -sS --fail --cacert "$SSL_CERT_FILE" -X POST -H 'Content-Type: application/json' \
  -d '{"dateTime": "2040-01-01T09:00:00Z"}' "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/clock/set"
