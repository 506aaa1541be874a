// Command graphmeta-gen writes the digest of the Microsoft Graph v1.0 metadata that internal/graphmeta's
// tests check the client against. The CSDL comes from https://github.com/microsoftgraph/msgraph-metadata
// (schemas/v1.0-Prod.csdl) and is not committed here; only the digest is.
//
//	go run ./internal/graphmeta/cmd/graphmeta-gen -csdl v1.0-Prod.csdl -commit <sha> -date <iso date> \
//	    -out internal/graphmeta/testdata/v1.0-digest.json
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/entragov/terraform-provider-entragov/internal/graphmeta"
)

func main() {
	csdl := flag.String("csdl", "", "path of v1.0-Prod.csdl (required)")
	commit := flag.String("commit", "", "msgraph-metadata commit the file comes from, recorded in the header")
	date := flag.String("date", "", "date of that commit, recorded in the header")
	out := flag.String("out", "", "where to write the digest (default: standard output)")
	flag.Parse()
	if *csdl == "" {
		fmt.Fprintln(os.Stderr, "graphmeta-gen: -csdl is required")
		flag.Usage()
		os.Exit(2)
	}
	b, err := generate(*csdl, *commit, *date)
	if err != nil {
		fmt.Fprintln(os.Stderr, "graphmeta-gen:", err)
		os.Exit(1)
	}
	if *out == "" {
		_, err = os.Stdout.Write(b)
	} else {
		err = os.WriteFile(*out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "graphmeta-gen:", err)
		os.Exit(1)
	}
}

func generate(path, commit, date string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	d, err := graphmeta.Generate(raw)
	if err != nil {
		return nil, err
	}
	d.Source.Commit, d.Source.CommitDate = commit, date
	return d.Marshal()
}
