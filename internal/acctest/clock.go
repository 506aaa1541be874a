package acctest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// AdvanceClock moves the local API's clock forward by an ISO 8601 duration ("P31D") through its control API
// (POST /_emulator/clock/advance, internal/emulator/README.md "The clock"), as a team rehearsing its design
// would by hand; every time-driven effect due in between happens before it returns. Tests that use it
// declare NeedsControl.
func (e *Emulator) AdvanceClock(t testing.TB, duration string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"duration": duration})
	resp, err := http.Post(e.URL+"/_emulator/clock/advance", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("advancing the clock by %s: %d %s", duration, resp.StatusCode, b)
	}
}
