// Command entragov-donothing-provider serves the do-nothing provider of the performance harness
// (internal/bench/donothing) under the real provider's address. make bench builds it; it is never shipped.
package main

import (
	"log"

	"github.com/entragov/terraform-provider-entragov/internal/bench/donothing"
	"github.com/entragov/terraform-provider-entragov/internal/provider"
)

func main() {
	provider.SilenceUnreadLogs()
	provider.TuneGC()
	// Served as the provider is, so that the difference between them is the provider's own work.
	if err := provider.Serve(donothing.New(provider.New("bench-donothing")), false); err != nil {
		log.Fatal(err)
	}
}
