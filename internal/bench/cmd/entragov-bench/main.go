// Command entragov-bench is the performance harness behind `make bench`: it builds the provider,
// applies, refreshes and plans generated configurations of N governance objects against an in-process
// local governance API with the Terraform CLI, compares them with a terraform_data baseline, and
// reports the performance targets as PASS/FAIL lines. It exits 0 when targets fail (it reports); it
// exits 1 only when it cannot run.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/bench"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "entragov-bench:", err)
		os.Exit(1)
	}
}

func run() error {
	defSizes := "100,500,1000"
	if v := os.Getenv("BENCH_SIZES"); v != "" {
		defSizes = v
	}
	var (
		sizes        = flag.String("sizes", defSizes, "comma-separated object counts (default from BENCH_SIZES)")
		out          = flag.String("out", "bench-results.json", `JSON results file ("" for none)`)
		terraform    = flag.String("terraform", "terraform", "terraform binary")
		goBin        = flag.String("go", "go", "go binary used to build the provider")
		moduleDir    = flag.String("module-dir", "", "the provider module's root (default: the module of the working directory)")
		parallelism  = flag.Int("parallelism", 10, "terraform -parallelism of the apply and plan phases")
		latency      = flag.Duration("latency", 100*time.Millisecond, "emulator latency of the latency phase (0 skips it)")
		refSize      = flag.Int("reference-size", 1000, "size of the no-op plan and latency targets (or the largest requested size below it)")
		startupRuns  = flag.Int("startup-runs", 5, "measured provider start-up runs")
		loadFor      = flag.Duration("load-duration", 3*time.Second, "duration of the local API load test")
		loadWorkers  = flag.Int("load-workers", 8, "concurrent workers of the local API load test")
		keep         = flag.Bool("keep", false, "keep the temporary directory (configurations, state, logs)")
		tfLog        = flag.String("tf-log", "", "TF_LOG level for every Terraform run, written to <phase>.tflog in the kept directory (slows the runs down)")
		providerOnly = flag.Int("provider-only-above", 0, "sizes above this run only the provider's apply and plans: no baselines, no destroy (0: all phases at every size)")
		providerEnv  = flag.String("provider-env", "", "comma-separated ENTRAGOV_* settings for the provider under test, e.g. ENTRAGOV_PREVENT_DUPLICATE_NAMES=false")
	)
	flag.Parse()

	ns, err := parseSizes(*sizes)
	if err != nil {
		return err
	}
	settings, err := bench.ParseProviderEnv(*providerEnv)
	if err != nil {
		return err
	}
	tf, err := exec.LookPath(*terraform)
	if err != nil {
		return fmt.Errorf("terraform not found (%v): install Terraform >= 1.5 and put it on PATH", err)
	}
	dir := *moduleDir
	if dir == "" {
		gomod, err := exec.Command(*goBin, "env", "GOMOD").Output()
		if err != nil || strings.TrimSpace(string(gomod)) == "" || strings.TrimSpace(string(gomod)) == os.DevNull {
			return fmt.Errorf("cannot find the module root (go env GOMOD: %v); run from the repository or pass -module-dir", err)
		}
		dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	_, err = bench.Run(ctx, bench.Options{
		Sizes: ns, Out: *out, Terraform: tf, Go: *goBin, ModuleDir: dir,
		Parallelism: *parallelism, Latency: *latency, LatencySize: *refSize, StartupRuns: *startupRuns,
		LoadDuration: *loadFor, LoadWorkers: *loadWorkers, KeepTemp: *keep, TFLog: *tfLog, ProviderEnv: settings, ProviderOnlyAbove: *providerOnly,
		Stdout: os.Stdout, Progress: os.Stderr,
	})
	return err
}

func parseSizes(s string) ([]int, error) {
	var ns []int
	for f := range strings.SplitSeq(s, ",") {
		f = strings.ReplaceAll(strings.TrimSpace(f), "_", "")
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("size %q is not a positive number", f)
		}
		ns = append(ns, n)
	}
	if len(ns) == 0 {
		return nil, fmt.Errorf("no sizes in %q", s)
	}
	return ns, nil
}
