package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/entragov/terraform-provider-entragov/internal/provider"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const binaryName = "terraform-provider-entragov"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, serve))
}

// run parses the command line and either prints the version (-version, --version) or hands over to
// serve, which runs the plugin server until Terraform stops it. It returns the process exit code.
func run(args []string, stdout, stderr io.Writer, serve func(debug bool) error) int {
	flags := flag.NewFlagSet(binaryName, flag.ContinueOnError)
	flags.SetOutput(stderr)
	debug := flags.Bool("debug", false, "run the provider with support for debuggers like delve")
	printVersion := flags.Bool("version", false, "print the version and exit")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}

	if *printVersion {
		_, _ = fmt.Fprintf(stdout, "%s %s\n", binaryName, version)
		return 0
	}

	if err := serve(*debug); err != nil {
		log.New(stderr, "", log.LstdFlags).Print(err.Error())
		return 1
	}
	return 0
}

func serve(debug bool) error {
	// Under a debugger the provider prints its own logs, so they are read even without TF_LOG.
	if !debug {
		provider.SilenceUnreadLogs()
	}
	provider.TuneGC()
	return provider.Serve(provider.New(version), debug)
}
