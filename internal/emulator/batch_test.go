package emulator

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

const batchPath = "/v1.0/$batch"

// batchResponses maps each item's id to its response.
func batchResponses(t *testing.T, body map[string]any) map[string]map[string]any {
	t.Helper()
	list, ok := body["responses"].([]any)
	if !ok {
		t.Fatalf("no responses in %v", body)
	}
	out := map[string]map[string]any{}
	for _, r := range list {
		item := r.(map[string]any)
		out[item["id"].(string)] = item
	}
	return out
}

func itemStatus(item map[string]any) int {
	st, _ := item["status"].(float64)
	return int(st)
}

func TestBatch(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	catalogRel := "/identityGovernance/entitlementManagement/catalogs"
	resp, body := e.do("POST", batchPath, map[string]any{"requests": []any{
		map[string]any{"id": "1", "method": "POST", "url": catalogRel,
			"headers": map[string]string{"Content-Type": "application/json"},
			"body":    map[string]any{"displayName": "Made in a batch", "description": ""}},
		map[string]any{"id": "2", "method": "GET", "url": catalogRel + "?$filter=displayName eq 'Made in a batch'", "dependsOn": []string{"1"}},
		map[string]any{"id": "3", "method": "GET", "url": catalogRel + "/00000000-0000-0000-0000-000000000001"},
		map[string]any{"id": "4", "method": "GET", "url": catalogRel, "dependsOn": []string{"3"}},
		// An invalid write is answered like the same request outside a batch.
		map[string]any{"id": "5", "method": "POST", "url": catalogRel,
			"headers": map[string]string{"Content-Type": "application/json"},
			"body":    map[string]any{"displayName": "x", "unknownProperty": true}},
	}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("batch answered %d: %v", resp.StatusCode, body)
	}
	items := batchResponses(t, body)
	if len(items) != 5 {
		t.Fatalf("%d responses, want 5: %v", len(items), body)
	}
	created := items["1"]
	if itemStatus(created) != http.StatusCreated {
		t.Fatalf("create item: %v", created)
	}
	id := created["body"].(map[string]any)["id"]
	if obj, err := e.srv.GetObject("catalogs", fmt.Sprint(id)); err != nil || obj["displayName"] != "Made in a batch" {
		t.Errorf("the batch's create is not in the store: %v %v", obj, err)
	}
	if found := items["2"]["body"].(map[string]any)["value"].([]any); itemStatus(items["2"]) != 200 || len(found) != 1 {
		t.Errorf("the dependent read did not see the create: %v", items["2"])
	}
	if itemStatus(items["3"]) != http.StatusNotFound || errCode(items["3"]["body"].(map[string]any)) != wire.CodeResourceNotFound {
		t.Errorf("missing catalog: %v", items["3"])
	}
	if itemStatus(items["4"]) != http.StatusFailedDependency {
		t.Errorf("a dependant of a failed item: %v, want 424", items["4"])
	}
	if itemStatus(items["5"]) != http.StatusBadRequest {
		t.Errorf("an invalid body inside a batch: %v, want 400", items["5"])
	}
}

func TestBatchItemsAreThrottledOnTheirOwn(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	// The batch request itself passes the front door; its item does not.
	e.srv.SetFaults(Faults{Seed: 3, ThrottleRate: 0.5, RetryAfterSeconds: 2})
	var sawThrottledItem bool
	for attempt := 0; attempt < 20 && !sawThrottledItem; attempt++ {
		resp, body := e.do("POST", batchPath, map[string]any{"requests": []any{
			map[string]any{"id": "a", "method": "GET", "url": "/identityGovernance/entitlementManagement/catalogs"},
		}})
		if resp.StatusCode != http.StatusOK {
			continue // the batch request itself was throttled
		}
		item := batchResponses(t, body)["a"]
		if itemStatus(item) == http.StatusTooManyRequests {
			sawThrottledItem = true
			if item["headers"].(map[string]any)["Retry-After"] != "2" {
				t.Errorf("throttled item without its Retry-After: %v", item)
			}
		}
	}
	if !sawThrottledItem {
		t.Fatal("no item was throttled inside a 200 batch")
	}
}

func TestBatchRejectsMalformedBatches(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Config{})
	get := func(id string) map[string]any {
		return map[string]any{"id": id, "method": "GET", "url": "/identityGovernance/entitlementManagement/catalogs"}
	}
	tooMany := []any{}
	for i := 0; i < maxBatchItems+1; i++ {
		tooMany = append(tooMany, get(fmt.Sprint(i)))
	}
	for name, requests := range map[string][]any{
		"empty":             {},
		"more than 20":      tooMany,
		"duplicate ids":     {get("1"), get("1")},
		"missing id":        {get("")},
		"unknown dependsOn": {map[string]any{"id": "1", "method": "GET", "url": "/x", "dependsOn": []string{"9"}}},
		"body without Content-Type": {map[string]any{"id": "1", "method": "POST",
			"url": "/identityGovernance/entitlementManagement/catalogs", "body": map[string]any{"displayName": "x"}}},
	} {
		resp, body := e.do("POST", batchPath, map[string]any{"requests": requests})
		if resp.StatusCode != http.StatusBadRequest || errCode(body) != wire.CodeBadRequest {
			t.Errorf("%s: %d %v, want 400 BadRequest", name, resp.StatusCode, body)
		}
	}
	// A batch inside a batch is refused item by item.
	_, body := e.do("POST", batchPath, map[string]any{"requests": []any{
		map[string]any{"id": "1", "method": "POST", "url": "/$batch",
			"headers": map[string]string{"Content-Type": "application/json"}, "body": map[string]any{"requests": []any{}}},
	}})
	if item := batchResponses(t, body)["1"]; itemStatus(item) != http.StatusBadRequest {
		t.Errorf("nested batch: %v", item)
	}
	// Without a token the whole batch is refused.
	if resp, _ := e.doWith("", "POST", batchPath, map[string]any{"requests": []any{get("1")}}, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("batch without a token: %d, want 401", resp.StatusCode)
	}
}
