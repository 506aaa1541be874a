package acctest

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// QueryVersionChecks skip a test of list resources (terraform query) below Terraform 1.14, which has none.
var QueryVersionChecks = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

// Captured is a known-value check against an id a state check captured in an earlier step: the checks
// of a step are built before the test runs, the ids only exist once it has.
func Captured(c *IDCapture) knownvalue.Check {
	return captured{c: c}
}

type captured struct{ c *IDCapture }

func (v captured) CheckValue(other any) error {
	s, ok := other.(string)
	if !ok {
		return fmt.Errorf("expected a string value for the captured id, got %T", other)
	}
	if v.c.Value == "" {
		return fmt.Errorf("no id was captured before this check")
	}
	if s != v.c.Value {
		return fmt.Errorf("expected the captured id %s, got %s", v.c.Value, s)
	}
	return nil
}

func (v captured) String() string { return "captured id " + v.c.Value }

// QueryConfig is the list blocks of a query step that follows a configuration step: the provider block
// is in that step's configuration, which Terraform reads with the query file (one more would be a
// duplicate). Display names get the run's prefix in live mode, as in Config.
func (e *Emulator) QueryConfig(parts ...string) string {
	config := strings.Join(parts, "\n")
	if e.live != nil {
		config = e.prefixNames(config)
	}
	return config
}
