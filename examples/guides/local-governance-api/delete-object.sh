# Delete the access package out of band (its role scopes and assignments go with it).
package_id="$(terraform output -raw access_package_id)"
curl -sS --fail --cacert "$SSL_CERT_FILE" -X DELETE \
  "$ENTRAGOV_GRAPH_ENDPOINT/_emulator/objects/accessPackages/$package_id"
