# Start the rehearsal on a known day, so that the dates below are the ones you see (the clock never goes back:
# pick a later date to rehearse again on the same running API, or reset it).
curl -sS --fail --cacert "$SSL_CERT_FILE" -X POST -H 'Content-Type: application/json' \
  -d '{"dateTime": "2030-01-07T09:00:00Z"}' "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/clock/set" >/dev/null
