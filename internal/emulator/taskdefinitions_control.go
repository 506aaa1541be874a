package emulator

// The tenant's own lifecycle task definitions, for tests that need a definition the
// provider's built-in list does not know (as one Microsoft adds to the service later
// would be). The control routes PUT and DELETE /_emulator/taskDefinitions/{id} are the
// lifecycle area's (internal/emulator/lifecycle/taskdefinitions.go).

// PutTaskDefinition adds a lifecycle task definition to the tenant, or replaces the one
// with its id (a built-in one too): GET .../lifecycleWorkflows/taskDefinitions lists it
// and workflow tasks may use it, with its categories and parameters checked as the
// built-in ones are. Reset removes it again. A definition that is not well formed (id not
// a GUID, no display name, no category, a parameter without a name, with a valueType
// other than string, enum or int, or an enum without values) is refused.
func (s *Server) PutTaskDefinition(d TaskDefinition) error { return s.lc.PutTaskDefinition(d) }

// DeleteTaskDefinition removes a definition PutTaskDefinition added (a built-in one it
// replaced comes back); ErrNotFound when there is none.
func (s *Server) DeleteTaskDefinition(id string) error { return s.lc.DeleteTaskDefinition(id) }
