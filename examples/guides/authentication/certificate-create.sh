# A key and a self-signed certificate valid for a year, then both in a password-protected PKCS#12 file. The
# provider reads PKCS#12 files protected with SHA-1 and 3DES, not with OpenSSL 3's default (AES and SHA-256),
# hence the explicit algorithms.
openssl req -x509 -newkey rsa:2048 -sha256 -days 365 -nodes \
  -subj "/CN=entragov-terraform" -keyout client.key -out client.crt
openssl pkcs12 -export -inkey client.key -in client.crt -out client.pfx -passout pass:change-me \
  -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1
