// Command docs-schema completes the output of `terraform providers schema -json` for the documentation:
// a Terraform CLI older than 1.14 leaves the provider's action schemas out, so it adds them, in the same
// form, from the provider itself (provider.ActionSchemasJSON). Output from Terraform 1.14 or later is
// written unchanged. scripts/docs.sh runs it between the schema command and tfplugindocs.
//
//	docs-schema -in schema.json -out schema-with-actions.json
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/entragov/terraform-provider-entragov/internal/provider"
)

func main() {
	in := flag.String("in", "", "output of terraform providers schema -json")
	out := flag.String("out", "", "where to write the completed schema")
	flag.Parse()
	if *in == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: docs-schema -in schema.json -out completed.json")
		os.Exit(2)
	}
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "docs-schema:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	completed, added, err := complete(raw)
	if err != nil {
		return err
	}
	if added {
		fmt.Fprintln(os.Stderr, "docs-schema: the Terraform CLI gave no action schemas (it is older than 1.14); added the provider's own")
	}
	return os.WriteFile(out, completed, 0o600)
}

// complete adds the action schemas to the entragov provider's entry when it has none.
func complete(raw []byte) ([]byte, bool, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, false, err
	}
	var schemas map[string]map[string]json.RawMessage
	if err := json.Unmarshal(doc["provider_schemas"], &schemas); err != nil {
		return nil, false, fmt.Errorf("provider_schemas: %w", err)
	}
	added := false
	for name, entry := range schemas {
		if !strings.HasSuffix(name, "/entragov") {
			continue
		}
		if _, ok := entry["action_schemas"]; ok {
			continue
		}
		actions, err := provider.ActionSchemasJSON(context.Background(), "docs")
		if err != nil {
			return nil, false, err
		}
		b, err := json.Marshal(actions)
		if err != nil {
			return nil, false, err
		}
		entry["action_schemas"] = b
		added = true
	}
	if !added {
		return raw, false, nil
	}
	b, err := json.Marshal(schemas)
	if err != nil {
		return nil, false, err
	}
	doc["provider_schemas"] = b
	completed, err := json.Marshal(doc)
	return completed, true, err
}
