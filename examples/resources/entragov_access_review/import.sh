# An access review series is imported by its Graph object id.
terraform import entragov_access_review.falcon_guests 00000000-0000-0000-0000-000000000000
