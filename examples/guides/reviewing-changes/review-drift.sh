terraform plan -refresh-only -input=false -out=refresh.tfplan
terraform show -json refresh.tfplan | entragov-review -format text -fail-on medium
echo "entragov-review: exit $?"
