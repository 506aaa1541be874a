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
