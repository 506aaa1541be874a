# Group memberships: Adele Vance (5eed0001-...-002) is now in Project Falcon (5eed0002-...-005).
curl -sS --fail --cacert "$SSL_CERT_FILE" "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/objects/groupMembers"
