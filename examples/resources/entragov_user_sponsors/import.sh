# A user's sponsors are imported by the user's Graph object id.
terraform import entragov_user_sponsors.ben 00000000-0000-0000-0000-000000000000
