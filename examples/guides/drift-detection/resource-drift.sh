terraform plan -refresh-only -input=false -out=refresh.tfplan
terraform show -json refresh.tfplan | jq -c '[(.resource_drift // [])[].address]'
