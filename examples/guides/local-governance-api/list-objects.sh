# Every stored catalog, as Graph would return it.
curl -sS --fail --cacert "$SSL_CERT_FILE" "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/objects/catalogs"
