package directory_test

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-testing/compare"
)

var compareSame = compare.ValuesSame()

func regexpPrefix(prefix string) *regexp.Regexp {
	return regexp.MustCompile("^" + regexp.QuoteMeta(prefix))
}
