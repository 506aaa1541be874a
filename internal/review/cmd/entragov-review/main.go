// Command entragov-review reviews a saved Terraform plan of entragov resources: it reads the JSON of
// `terraform show -json <planfile>` (a file argument, or standard input) and prints the governance changes
// that matter, ranked high, medium and low, as Markdown, text or JSON.
//
// Exit codes: 0 when nothing is at or above the -fail-on level, 1 when something is, 2 on a usage or input
// error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/entragov/terraform-provider-entragov/internal/review"
)

const (
	exitOK    = 0
	exitFound = 1
	exitUsage = 2
)

// version is set at release with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("entragov-review", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", review.FormatMarkdown, "output format: markdown, text or json")
	failOn := fs.String("fail-on", "high", "exit 1 when a finding (planned or drift) is at or above this level: high, medium, low or none")
	showVersion := fs.Bool("version", false, "print the version and exit")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: entragov-review [-format markdown|text|json] [-fail-on high|medium|low|none] [plan.json | -]\n\n"+
			"Reads `terraform show -json <planfile>` (from the file, or standard input when it is - or absent) and\n"+
			"reports the risky governance changes and drift. Exit codes: 0 nothing at or above -fail-on, 1 found,\n"+
			"2 usage or input error.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *showVersion {
		fmt.Fprintf(stdout, "entragov-review %s\n", version)
		return exitOK
	}
	threshold, err := review.ParseLevel(*failOn)
	if err != nil {
		fmt.Fprintf(stderr, "entragov-review: -fail-on: %v\n", err)
		return exitUsage
	}
	switch *format {
	case review.FormatMarkdown, review.FormatText, review.FormatJSON:
	default:
		fmt.Fprintf(stderr, "entragov-review: -format: unknown format %q: want markdown, text or json\n", *format)
		return exitUsage
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(stderr, "entragov-review: one plan at a time, got %d arguments\n", fs.NArg())
		return exitUsage
	}
	in, closeIn, err := open(fs.Arg(0), stdin)
	if err != nil {
		fmt.Fprintf(stderr, "entragov-review: %v\n", err)
		return exitUsage
	}
	defer closeIn()
	plan, err := review.ReadPlan(in)
	if err != nil {
		fmt.Fprintf(stderr, "entragov-review: %v\n", err)
		return exitUsage
	}
	report := review.Review(plan)
	if err := report.Write(stdout, *format); err != nil {
		fmt.Fprintf(stderr, "entragov-review: writing the report: %v\n", err)
		return exitUsage
	}
	if report.Fails(threshold) {
		return exitFound
	}
	return exitOK
}

func open(name string, stdin io.Reader) (io.Reader, func(), error) {
	if name == "" || name == "-" {
		return stdin, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { _ = f.Close() }, nil
}
