package bench

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

const catalogsPath = "/v1.0/identityGovernance/entitlementManagement/catalogs"

// LoadResult is the local API's throughput for catalog GETs.
type LoadResult struct {
	Workers       int     `json:"workers"`
	DurationS     float64 `json:"durationS"`
	GOMAXPROCS    int     `json:"gomaxprocs"`
	Requests      int     `json:"requests"`
	Errors        int     `json:"errors"`
	PerSecond     float64 `json:"perSecond"`
	P50Ms         float64 `json:"p50Ms"`
	P99Ms         float64 `json:"p99Ms"`
	MaxMs         float64 `json:"maxMs"`
	CatalogsKnown int     `json:"catalogsKnown"`
}

// measureLoad creates catalogs in inst and has workers GET them by id (round robin) over HTTPS with
// keep-alive for d; client and server share this process and its CPUs.
func measureLoad(ctx context.Context, inst *emulator.Instance, workers int, d time.Duration) (LoadResult, error) {
	// The target is stated for 2 cores: never use more (client and server share them).
	prev := runtime.GOMAXPROCS(min(2, runtime.GOMAXPROCS(0)))
	defer runtime.GOMAXPROCS(prev)
	res := LoadResult{Workers: workers, GOMAXPROCS: runtime.GOMAXPROCS(0)}
	tr := &http.Transport{
		TLSClientConfig:     &tls.Config{RootCAs: inst.Server.Authority().CertPool(), MinVersion: tls.VersionTLS12},
		MaxIdleConns:        workers,
		MaxIdleConnsPerHost: workers,
		IdleConnTimeout:     time.Minute,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	token, err := clientCredentialsToken(ctx, client, inst.URL)
	if err != nil {
		return res, err
	}
	do := func(method, path, body string) (int, []byte, error) {
		req, err := http.NewRequestWithContext(ctx, method, inst.URL+path, strings.NewReader(body))
		if err != nil {
			return 0, nil, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, err
	}
	var ids []string
	for i := range 50 {
		code, b, err := do(http.MethodPost, catalogsPath, fmt.Sprintf(`{"displayName":"Load catalog %02d","description":"entragov-bench"}`, i))
		if err != nil || code != http.StatusCreated {
			return res, fmt.Errorf("creating a catalog: %d %s %v", code, b, err)
		}
		var c struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(b, &c); err != nil {
			return res, err
		}
		ids = append(ids, c.ID)
	}
	res.CatalogsKnown = len(ids)

	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      int
		wg        sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for i := w; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				t0 := time.Now()
				code, _, err := do(http.MethodGet, catalogsPath+"/"+ids[i%len(ids)], "")
				mine = append(mine, time.Since(t0))
				if err != nil || code != http.StatusOK {
					bad++
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			errs += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := ctx.Err(); err != nil {
		return res, err
	}
	slices.Sort(latencies)
	res.DurationS = elapsed.Seconds()
	res.Requests = len(latencies)
	res.Errors = errs
	res.PerSecond = float64(len(latencies)) / elapsed.Seconds()
	res.P50Ms = ms(percentile(latencies, 0.50))
	res.P99Ms = ms(percentile(latencies, 0.99))
	if n := len(latencies); n > 0 {
		res.MaxMs = ms(latencies[n-1])
	}
	return res, nil
}

// clientCredentialsToken gets an access token for the admin app from the local API's token endpoint.
func clientCredentialsToken(ctx context.Context, client *http.Client, base string) (string, error) {
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {emulator.DefaultClientID},
		"client_secret": {emulator.DefaultClientSecret},
		"scope":         {"https://graph.microsoft.com/.default"},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/"+emulator.DefaultTenantID+"/oauth2/v2.0/token", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		return "", fmt.Errorf("token request: status %d, %v", resp.StatusCode, err)
	}
	return tok.AccessToken, nil
}

// percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
