// Command sweep deletes what failed live acceptance runs (ENTRAGOV_ACC_LIVE=1) left in a tenant: every
// governance object whose display name starts with the run prefix. It only lists them unless -apply is
// given (make sweep, make sweep SWEEP_ARGS=-apply).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/acctest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "sweep:", err)
		os.Exit(1)
	}
}

func run() error {
	apply := flag.Bool("apply", false, "delete what is found (without it: a dry run that lists it)")
	prefix := flag.String("prefix", "", "display-name prefix to sweep (default: "+acctest.PrefixVariable+", else "+acctest.DefaultPrefix+")")
	flag.Parse()
	client, envPrefix, err := acctest.ClientFromEnvironment()
	if err != nil {
		return err
	}
	if *prefix == "" {
		*prefix = envPrefix
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	mode := "dry run (add -apply to delete)"
	if *apply {
		mode = "deleting"
	}
	fmt.Printf("sweep: objects named %q* at %s: %s\n", *prefix, client.Endpoint(), mode)
	return acctest.Sweep(ctx, client, *prefix, *apply, func(line string) { fmt.Println("  " + line) })
}
