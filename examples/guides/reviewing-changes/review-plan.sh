terraform plan -input=false -out=change.tfplan
terraform show -json change.tfplan > change.json
entragov-review -format text change.json
echo "entragov-review: exit $?"
