package provider

import (
	"os"
	"strings"
	"sync/atomic"
)

// sdkLogLevelVariables set the levels of the loggers of terraform-plugin-go, terraform-plugin-framework
// and of the provider itself. Left unset they default to TRACE, and every line is formatted as JSON and
// sent to Terraform, which drops it unless TF_LOG or TF_LOG_PROVIDER asked for provider logs.
var sdkLogLevelVariables = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"}

// graphLogsOff is set when nobody will read the Graph client's log lines.
var graphLogsOff atomic.Bool

// SilenceUnreadLogs turns the provider's logging off when no TF_LOG* variable is set, that is when
// Terraform discards whatever the provider logs. Formatting those discarded lines costs about a fifth
// of the provider's CPU in a no-op plan. Any TF_LOG* variable (TF_LOG=trace, TF_LOG_PROVIDER=debug,
// TF_LOG_SDK_FRAMEWORK=trace, ...) leaves every level as the SDK would set it. It must run before the
// provider server starts, because the SDK reads these variables when it builds its loggers. It reports
// whether it silenced the logs.
func SilenceUnreadLogs() bool {
	for _, kv := range os.Environ() {
		name, value, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_LOG") && value != "" && !strings.EqualFold(value, "off") {
			return false
		}
	}
	for _, name := range sdkLogLevelVariables {
		if err := os.Setenv(name, "off"); err != nil {
			return false
		}
	}
	graphLogsOff.Store(true)
	return true
}
