terraform plan -detailed-exitcode -input=false
echo "plan: exit $?"
terraform plan -refresh-only -detailed-exitcode -input=false
echo "refresh-only plan: exit $?"
