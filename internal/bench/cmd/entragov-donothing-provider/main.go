// Command entragov-donothing-provider serves the do-nothing provider of the performance harness
// (internal/bench/donothing) under the real provider's address. make bench builds it; it is never shipped.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/entragov/terraform-provider-entragov/internal/bench/donothing"
	"github.com/entragov/terraform-provider-entragov/internal/provider"
)

func main() {
	provider.SilenceUnreadLogs()
	provider.TuneGC()
	err := providerserver.Serve(context.Background(), donothing.New(provider.New("bench-donothing")), providerserver.ServeOpts{
		Address: "registry.terraform.io/entragov/entragov",
	})
	if err != nil {
		log.Fatal(err)
	}
}
