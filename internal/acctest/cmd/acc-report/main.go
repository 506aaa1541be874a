// Command acc-report sums up the acceptance report that make testfaults collects: requests served,
// faults injected, and objects any test left behind in its local API. It exits non-zero when anything
// was left behind.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: acc-report <report file>")
		os.Exit(2)
	}
	os.Exit(summarize(os.Args[1]))
}

// summarize prints the totals and returns the exit code: 1 when objects were left behind.
func summarize(path string) int {
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer f.Close()
	var total acctest.ReportLine
	tests, orphans := 0, 0
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		var l acctest.ReportLine
		if err := json.Unmarshal(scanner.Bytes(), &l); err != nil {
			fmt.Fprintln(os.Stderr, "bad report line:", err)
			return 2
		}
		tests++
		total.Requests += l.Requests
		total.Throttled += l.Throttled
		total.ServerErrors += l.ServerErrors
		total.Dropped += l.Dropped
		switch {
		case l.Leftovers > 0:
			fmt.Printf("objects left behind by %s: %d\n", l.Test, l.Leftovers)
		case l.Leftovers < 0:
			fmt.Printf("%s recorded %d more objects as made outside Terraform than its local API holds after the destroy (an imported object recorded with CreatedOutsideTerraform?)\n", l.Test, -l.Leftovers)
		}
		if len(l.Changed) > 0 {
			fmt.Printf("  objects per collection against the start of the test: %s\n", formatChanges(l.Changed))
		}
		orphans += l.Leftovers
	}
	fmt.Printf("fault suite: %d tests, %d Graph requests, faults injected: %d throttled (429), %d server errors (503), %d answers dropped after commit; orphans: %d\n",
		tests, total.Requests, total.Throttled, total.ServerErrors, total.Dropped, orphans)
	if orphans != 0 {
		return 1
	}
	return 0
}

// formatChanges lists the collections in name order, "catalogs +1, users -2".
func formatChanges(changed map[string]int) string {
	names := make([]string, 0, len(changed))
	for c := range changed {
		names = append(names, c)
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names))
	for _, c := range names {
		parts = append(parts, fmt.Sprintf("%s %+d", c, changed[c]))
	}
	return strings.Join(parts, ", ")
}
