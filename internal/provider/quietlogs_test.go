package provider

import (
	"os"
	"strings"
	"testing"
)

// clearTFLog blanks every TF_LOG* variable for the test (an empty value counts as unset).
func clearTFLog(t *testing.T) {
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") {
			t.Setenv(name, "")
		}
	}
	for _, name := range sdkLogLevelVariables {
		t.Setenv(name, "")
	}
	t.Cleanup(func() { graphLogsOff.Store(false) })
}

func TestSilenceUnreadLogs(t *testing.T) {
	t.Run("nobody reads the logs", func(t *testing.T) {
		clearTFLog(t)
		if !SilenceUnreadLogs() {
			t.Fatal("logs were left on although no TF_LOG variable is set")
		}
		for _, name := range sdkLogLevelVariables {
			if got := os.Getenv(name); got != "off" {
				t.Errorf("%s = %q, want off", name, got)
			}
		}
		if !graphLogsOff.Load() {
			t.Error("the Graph client still logs")
		}
	})
	for _, kv := range []string{"TF_LOG=trace", "TF_LOG_PROVIDER=debug", "TF_LOG_SDK_FRAMEWORK=trace", "TF_LOG_PROVIDER_ENTRAGOV_GRAPH=debug"} {
		name, value, _ := strings.Cut(kv, "=")
		t.Run(kv, func(t *testing.T) {
			clearTFLog(t)
			t.Setenv(name, value)
			if SilenceUnreadLogs() {
				t.Fatalf("logs were silenced although %s is set", kv)
			}
			for _, v := range sdkLogLevelVariables {
				if v != name && os.Getenv(v) != "" {
					t.Errorf("%s was set to %q", v, os.Getenv(v))
				}
			}
			if graphLogsOff.Load() {
				t.Error("the Graph client's logs were turned off")
			}
		})
	}
	t.Run("TF_LOG=off counts as unset", func(t *testing.T) {
		clearTFLog(t)
		t.Setenv("TF_LOG", "off")
		if !SilenceUnreadLogs() {
			t.Fatal("TF_LOG=off left the provider logging")
		}
	})
}
