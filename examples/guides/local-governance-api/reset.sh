# Wipe every object and seed the directory again; the CA and signing keys are kept.
curl -sS --fail --cacert "$SSL_CERT_FILE" -X POST "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/reset"
