# Seven months in two moves, then the story the local API recorded: the day, what happened, and why.
api() { curl -sS --fail --cacert "$SSL_CERT_FILE" -H 'Content-Type: application/json' "$@"; }
api -X POST -d '{"duration": "P181D"}' "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/clock/advance" >/dev/null
api -X POST -d '{"duration": "P30D"}' "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/clock/advance" >/dev/null
api "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/audit" |
  jq -r '.value[] | "\(.dateTime[0:10])  \(.activity)  \(.objectType | sub("microsoft.graph."; ""))  \(.reason)"'
