package lifecycle

// Internals the external tests use.
const (
	SettingsID            = settingsID
	MaxWorkflows          = maxWorkflows
	AreaWorkflows         = areaWorkflows
	AreaActivate          = areaActivate
	AreaSettings          = areaSettings
	CollLifecycleSettings = collLifecycleSettings
	CollWorkflows         = collWorkflows
	CollDeletedWorkflows  = collDeletedWorkflows
	MsgLWDuplicateName    = msgLWDuplicateName
)

var Permission = permission

// MatchRule compiles a scope rule and applies it to a user.
func MatchRule(rule string, user map[string]any) (bool, error) {
	pred, err := compileRule(rule)
	if err != nil {
		return false, err
	}
	return pred(user), nil
}
