# What the local API changed on its own as its clock moved: when, what, which object, who and why.
curl -sS --fail --cacert "$SSL_CERT_FILE" "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/audit"
