package directory

// DeleteUser deletes a user and the links to it (group memberships, manager), as
// DELETE /users/{id} does, for the areas that remove users on their own (entitlement
// management's external user lifecycle). Callers hold the write lock (Deps.WriteMu).
func (s *API) DeleteUser(id string) error {
	rec, err := s.Store.Get(Users, id)
	if err != nil {
		return err
	}
	if err := s.Store.Delete(Users, rec.ID); err != nil {
		return err
	}
	return s.deleteLinks(rec.ID)
}
