package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator"
)

// Options configure a run.
type Options struct {
	Sizes        []int         // object counts, e.g. 100, 1000, 3000
	Out          string        // JSON results file ("" for none)
	Terraform    string        // terraform binary
	Go           string        // go binary, to build the provider
	ModuleDir    string        // the provider module's root
	Parallelism  int           // terraform -parallelism (Terraform's default is 10)
	Latency      time.Duration // emulator latency of the latency phase
	LatencySize  int           // size of the reference measurements (1,000, or the largest requested below it)
	StartupRuns  int           // measured runs of the provider start-up
	LoadDuration time.Duration // catalog GET load test
	LoadWorkers  int
	KeepTemp     bool   // keep the temporary directory (configurations, state, logs)
	TFLog        string // TF_LOG level for every Terraform run, logged to <phase>.tflog beside its output (use with KeepTemp)
	// ProviderEnv are provider settings for every run of the provider under test, as ENTRAGOV_* variables
	// ("ENTRAGOV_PREVENT_DUPLICATE_NAMES=false"): the inherited ENTRAGOV_* variables are dropped, so a
	// comparison with a setting changed is asked for here, and the report names it.
	ProviderEnv []string
	// ProviderOnlyAbove: sizes above it run only the provider's apply, refresh-only and no-op plans, without
	// the terraform_data and do-nothing baselines and the destroy (0: every size runs everything). Terraform
	// alone spends most of a 5,000-object run (its apply of that configuration took 20 minutes here), so the
	// full run of that size does not fit a working session.
	ProviderOnlyAbove int
	Stdout            io.Writer // the report
	Progress          io.Writer // progress lines
}

// Phase names.
const (
	PhaseApply   = "apply"
	PhaseRefresh = "refresh-only plan"
	PhasePlan    = "no-op plan"
	PhaseDestroy = "destroy"
)

// Requests are the local API's request counts of one phase.
type Requests struct {
	Graph   int            `json:"graph"`  // /v1.0 and /beta requests, as the client sent them
	Reads   int            `json:"reads"`  // GET /v1.0 and /beta requests
	Writes  int            `json:"writes"` // other /v1.0 and /beta requests
	Token   int            `json:"token"`  // token endpoint and OpenID discovery: per provider process, not per object
	ByRoute map[string]int `json:"byRoute"`
}

// Measurement is one command's cost.
type Measurement struct {
	WallS             float64 `json:"wallS"`
	ExitCode          int     `json:"exitCode"`
	PeakTerraformMiB  float64 `json:"peakTerraformMiB"`
	PeakProviderMiB   float64 `json:"peakProviderMiB,omitempty"`
	ProviderProcesses int     `json:"providerProcesses,omitempty"`
	CPUS              float64 `json:"cpuS"`                   // Terraform and the providers it ran
	ProviderCPUS      float64 `json:"providerCpuS,omitempty"` // the providers alone (sampled)
	LoadAverage       float64 `json:"loadAverage1m"`          // of the machine when the run ended
	EmulatorCPUS      float64 `json:"emulatorCpuS,omitempty"` // this process (the in-process local API) during the run
}

// PhaseResult is one phase at one size, with the entragov configuration and the terraform_data
// baseline of the same shape.
type PhaseResult struct {
	Phase             string      `json:"phase"`
	Provider          Measurement `json:"provider"`
	Requests          Requests    `json:"requests"`
	RequestsPerObject float64     `json:"requestsPerObject"`
	ReadsPerObject    float64     `json:"readsPerObject"`
	MsPerObject       float64     `json:"msPerObject"`
	Baseline          Measurement `json:"baseline"`
	VsBaseline        float64     `json:"vsBaseline"`
	// DoNothing is the same plan against the do-nothing provider (internal/bench/donothing): the same
	// schemas and state, no Graph call. Set for the refresh-only and the no-op plan.
	DoNothing *Measurement `json:"doNothing,omitempty"`
	// OwnMsPerObject and OwnCPUMsPerObject are the provider's own cost per object above the do-nothing
	// provider's: wall time, and the provider processes' CPU. FrameworkCPUMsPerObject is the do-nothing
	// provider's CPU per object: what the protocol and the plugin framework spend on our schemas.
	OwnMsPerObject          float64 `json:"ownMsPerObject,omitempty"`
	OwnCPUMsPerObject       float64 `json:"ownCpuMsPerObject,omitempty"`
	FrameworkCPUMsPerObject float64 `json:"frameworkCpuMsPerObject,omitempty"`
}

// SizeResult is every phase at one size.
type SizeResult struct {
	N      int           `json:"n"`
	Mix    Mix           `json:"mix"`
	Phases []PhaseResult `json:"phases"`
	Drift  []Drift       `json:"refreshOnlyDrift,omitempty"`
	Error  string        `json:"error,omitempty"`
	// ProviderOnly: only the provider's apply and plans ran (Options.ProviderOnlyAbove).
	ProviderOnly bool `json:"providerOnly,omitempty"`
}

// LatencyResult is the no-op plan with emulator latency.
type LatencyResult struct {
	N             int      `json:"n"`
	Parallelism   int      `json:"parallelism"`
	LatencyMs     float64  `json:"latencyMs"`
	WallS         float64  `json:"wallS"`
	Requests      Requests `json:"requests"`
	IdealS        float64  `json:"idealS"` // graph requests x latency / parallelism
	Ratio         float64  `json:"ratio"`
	ZeroLatencyS  float64  `json:"zeroLatencyS"`
	DoNothingS    float64  `json:"doNothingS"` // the do-nothing provider's no-op plan (it makes no request, so no latency)
	CPUS          float64  `json:"cpuS"`
	ProviderCPUS  float64  `json:"providerCpuS"`
	ExitCode      int      `json:"exitCode"`
	ErrorIfFailed string   `json:"error,omitempty"`
}

// Target is one performance target's verdict.
type Target struct {
	Name   string `json:"name"`
	Pass   bool   `json:"pass"`
	Detail string `json:"detail"`
}

// Results is everything a run measured.
type Results struct {
	Started     time.Time      `json:"started"`
	Go          string         `json:"go"`
	Terraform   string         `json:"terraform"`
	CPUs        int            `json:"cpus"`
	Parallelism int            `json:"parallelism"`
	ProviderEnv []string       `json:"providerEnv,omitempty"`
	Sizes       []SizeResult   `json:"sizes"`
	Latency     *LatencyResult `json:"latency,omitempty"`
	Startup     *StartupResult `json:"startup,omitempty"`
	Load        *LoadResult    `json:"emulatorLoad,omitempty"`
	TopRoutesN  int            `json:"topRoutesN,omitempty"`
	TopRoutes   []RouteCount   `json:"topRoutes,omitempty"`   // no-op plan at the reference size
	ApplyRoutes []RouteCount   `json:"applyRoutes,omitempty"` // apply at the reference size: where its requests per object go
	Targets     []Target       `json:"targets"`
	Growth      []Target       `json:"growth"`
	Errors      []string       `json:"errors,omitempty"`
	DurationS   float64        `json:"durationS"`
	LoadStart   float64        `json:"loadAverage1mStart"`
	LoadEnd     float64        `json:"loadAverage1mEnd"`
}

// RouteCount is one route's request count.
type RouteCount struct {
	Route string `json:"route"`
	Count int    `json:"count"`
}

// harness is the state of one run.
type harness struct {
	opts      Options
	start     time.Time
	tmp       string
	bin       string // the provider binary
	binDir    string
	doNothing string   // the do-nothing provider binary (internal/bench/donothing)
	doNothEnv []string // env's CLI configuration pointing at the do-nothing provider
	env       []string // environment of the Terraform processes (without the emulator's address)
	authority *emulator.Authority
}

// Run measures everything and writes the report; it returns an error only when the harness itself
// cannot run (a target that fails is reported, not an error).
func Run(ctx context.Context, opts Options) (*Results, error) {
	h := &harness{opts: opts, start: time.Now()}
	res := &Results{Started: h.start, Go: runtime.Version(), CPUs: runtime.NumCPU(), Parallelism: opts.Parallelism, ProviderEnv: opts.ProviderEnv, LoadStart: loadAverage()}
	if runtime.GOOS != "linux" {
		return nil, errors.New("the harness reads /proc and runs on Linux only")
	}
	var err error
	h.tmp, err = os.MkdirTemp("", "entragov-bench-")
	if err != nil {
		return nil, err
	}
	defer func() {
		if n := killLeftovers(h.bin); n > 0 {
			h.progress("killed %d leftover provider process(es)", n)
		}
		if opts.KeepTemp {
			h.progress("kept %s", h.tmp)
			return
		}
		_ = os.RemoveAll(h.tmp)
	}()
	if err := h.setup(ctx, res); err != nil {
		return nil, err
	}

	ref := referenceSize(opts.Sizes, opts.LatencySize)
	for _, n := range opts.Sizes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sr, lat, err := h.runSize(ctx, n, n == ref)
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		if err != nil {
			sr.Error = err.Error()
			res.Errors = append(res.Errors, fmt.Sprintf("size %d: %v", n, err))
			h.progress("size %d failed: %v", n, err)
		}
		res.Sizes = append(res.Sizes, sr)
		if lat != nil {
			res.Latency = lat
		}
		if n == ref {
			for _, ph := range sr.Phases {
				switch ph.Phase {
				case PhasePlan:
					res.TopRoutesN = n
					res.TopRoutes = topRoutes(ph.Requests.ByRoute, 10)
				case PhaseApply:
					res.ApplyRoutes = topRoutes(ph.Requests.ByRoute, 16)
				}
			}
		}
	}

	h.progress("provider start-up: %d runs (+1 warm-up) of handshake and GetProviderSchema", opts.StartupRuns)
	sockets, err := socketDirFor(h.tmp)
	if err != nil {
		return nil, err
	}
	if st, err := measureStartup(ctx, h.bin, sockets, h.env, opts.StartupRuns); err != nil {
		res.Errors = append(res.Errors, "start-up: "+err.Error())
		h.progress("start-up measurement failed: %v", err)
	} else {
		res.Startup = &st
	}

	h.progress("local API load: %d workers, catalog GETs for %s", opts.LoadWorkers, opts.LoadDuration)
	if lr, err := h.load(ctx); err != nil {
		res.Errors = append(res.Errors, "emulator load: "+err.Error())
		h.progress("load measurement failed: %v", err)
	} else {
		res.Load = &lr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	res.Targets = evaluateTargets(res, ref)
	res.Growth = evaluateGrowth(res)
	res.DurationS = time.Since(h.start).Seconds()
	res.LoadEnd = loadAverage()
	writeReport(opts.Stdout, res)
	if opts.Out != "" {
		raw, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return res, err
		}
		if err := os.WriteFile(opts.Out, append(raw, '\n'), 0o644); err != nil {
			return res, err
		}
		fmt.Fprintf(opts.Stdout, "\nresults: %s\n", opts.Out)
	}
	return res, nil
}

// referenceSize is where the 1,000-object targets are measured: want if requested, else the largest
// requested size below it, else the smallest.
func referenceSize(sizes []int, want int) int {
	ref := 0
	for _, n := range sizes {
		if n <= want && n > ref {
			ref = n
		}
	}
	if ref == 0 && len(sizes) > 0 {
		ref = sizes[0]
		for _, n := range sizes {
			ref = min(ref, n)
		}
	}
	return ref
}

func (h *harness) progress(format string, args ...any) {
	el := time.Since(h.start).Round(time.Second)
	fmt.Fprintf(h.opts.Progress, "bench [%7s] %s\n", el, fmt.Sprintf(format, args...))
}

// setup checks the tools, builds the provider and writes the CA and CLI configuration.
func (h *harness) setup(ctx context.Context, res *Results) error {
	out, err := exec.CommandContext(ctx, h.opts.Terraform, "version", "-json").Output()
	if err != nil {
		return fmt.Errorf("terraform version: %w (is terraform on PATH?)", err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return fmt.Errorf("terraform version -json: %w", err)
	}
	res.Terraform = v.Version

	h.binDir = filepath.Join(h.tmp, "bin")
	h.bin = filepath.Join(h.binDir, "terraform-provider-entragov")
	h.progress("building the provider into %s", h.binDir)
	build := exec.CommandContext(ctx, h.opts.Go, "build", "-ldflags", "-X main.version=bench", "-o", h.bin, ".")
	build.Dir = h.opts.ModuleDir
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %w\n%s", err, out)
	}

	doNothingDir := filepath.Join(h.tmp, "donothing")
	h.doNothing = filepath.Join(doNothingDir, "terraform-provider-entragov")
	h.progress("building the do-nothing provider into %s", doNothingDir)
	build = exec.CommandContext(ctx, h.opts.Go, "build", "-o", h.doNothing, "./internal/bench/cmd/entragov-donothing-provider")
	build.Dir = h.opts.ModuleDir
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build (do-nothing provider): %w\n%s", err, out)
	}

	h.authority, err = emulator.NewAuthority()
	if err != nil {
		return err
	}
	caFile := filepath.Join(h.tmp, "emulator-ca.pem")
	if err := h.authority.WriteCertFile(caFile); err != nil {
		return err
	}
	cliConfig := filepath.Join(h.tmp, "terraformrc")
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"registry.terraform.io/entragov/entragov\" = %q\n  }\n  direct {}\n}\n", h.binDir)
	if err := os.WriteFile(cliConfig, []byte(rc), 0o600); err != nil {
		return err
	}
	doNothingConfig := filepath.Join(h.tmp, "terraformrc-donothing")
	rc = fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"registry.terraform.io/entragov/entragov\" = %q\n  }\n  direct {}\n}\n", doNothingDir)
	if err := os.WriteFile(doNothingConfig, []byte(rc), 0o600); err != nil {
		return err
	}
	h.env = childEnv(os.Environ(),
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"SSL_CERT_FILE="+caFile,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_DATA_DIR=.terraform",
		"ENTRAGOV_TENANT_ID="+emulator.DefaultTenantID,
		"ENTRAGOV_CLIENT_ID="+emulator.DefaultClientID,
		"ENTRAGOV_CLIENT_SECRET="+emulator.DefaultClientSecret,
	)
	h.env = append(h.env, h.opts.ProviderEnv...)
	// Later entries win in a process environment (os/exec keeps the last of duplicate keys).
	h.doNothEnv = append(append([]string{}, h.env...), "TF_CLI_CONFIG_FILE="+doNothingConfig)
	return nil
}

// comparableSettings are the provider settings a run may change with ProviderEnv: behaviour whose cost a
// comparison shows, never where the provider signs in or which Graph it calls.
var comparableSettings = []string{"ENTRAGOV_PREVENT_DUPLICATE_NAMES", "ENTRAGOV_BULK_REFRESH"}

// ParseProviderEnv reads "NAME=value,NAME=value" (the -provider-env flag) into ProviderEnv, accepting only
// comparableSettings.
func ParseProviderEnv(s string) ([]string, error) {
	var out []string
	for kv := range strings.SplitSeq(s, ",") {
		kv = strings.TrimSpace(kv)
		if kv == "" {
			continue
		}
		name, value, ok := strings.Cut(kv, "=")
		if !ok || value == "" {
			return nil, fmt.Errorf("provider setting %q: want NAME=value", kv)
		}
		if !slices.Contains(comparableSettings, name) {
			return nil, fmt.Errorf("provider setting %s: only %s can be changed for a run", name, strings.Join(comparableSettings, " and "))
		}
		out = append(out, name+"="+value)
	}
	return out, nil
}

// childEnv is the inherited environment without anything that would change what Terraform or the
// provider does (credentials, logging, CLI arguments, other certificates), plus extra.
func childEnv(base []string, extra ...string) []string {
	var env []string
	for _, kv := range base {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "ENTRAGOV_"), strings.HasPrefix(name, "ARM_"), strings.HasPrefix(name, "TF_"),
			strings.HasPrefix(name, "SSL_CERT_"), strings.HasPrefix(name, "ACTIONS_ID_TOKEN_"), name == "CHECKPOINT_DISABLE":
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

// newEmulator starts a fresh in-memory local API on a free loopback port.
func (h *harness) newEmulator() (*emulator.Instance, func(), error) {
	srv, err := emulator.New(emulator.Config{DBPath: ":memory:", Authority: h.authority})
	if err != nil {
		return nil, nil, err
	}
	inst, err := emulator.Listen("127.0.0.1:0", srv)
	if err != nil {
		_ = srv.Close()
		return nil, nil, err
	}
	return inst, func() { _ = inst.Close(); _ = srv.Close() }, nil
}

func (h *harness) load(ctx context.Context) (LoadResult, error) {
	inst, stop, err := h.newEmulator()
	if err != nil {
		return LoadResult{}, err
	}
	defer stop()
	return measureLoad(ctx, inst, h.opts.LoadWorkers, h.opts.LoadDuration)
}

// runSize applies, refreshes and plans n objects and the baseline; at the reference size it also
// runs the no-op plan with emulator latency.
func (h *harness) runSize(ctx context.Context, n int, reference bool) (SizeResult, *LatencyResult, error) {
	sr := SizeResult{N: n, ProviderOnly: h.opts.ProviderOnlyAbove > 0 && n > h.opts.ProviderOnlyAbove}
	mix, err := NewMix(n)
	if err != nil {
		return sr, nil, err
	}
	sr.Mix = mix
	h.progress("size %d: %d catalogs, %d catalog resources, %d packages, %d role scopes, %d policies, %d connected organizations, %d workflows",
		n, mix.Catalogs, mix.CatalogResources, mix.AccessPackages, mix.RoleScopes, mix.AssignmentPolicies, mix.ConnectedOrganizations, mix.LifecycleWorkflows)
	provDir := filepath.Join(h.tmp, fmt.Sprintf("n%d", n), "entragov")
	baseDir := filepath.Join(h.tmp, fmt.Sprintf("n%d", n), "baseline")
	if err := writeConfigs(map[string]string{provDir: mix.ProviderConfig(), baseDir: mix.BaselineConfig()}); err != nil {
		return sr, nil, err
	}
	inst, stop, err := h.newEmulator()
	if err != nil {
		return sr, nil, err
	}
	defer stop()
	env := append(append([]string{}, h.env...), "ENTRAGOV_GRAPH_ENDPOINT="+inst.URL, "ENTRAGOV_LOGIN_ENDPOINT="+inst.URL)
	par := fmt.Sprintf("-parallelism=%d", h.opts.Parallelism)
	phases := []struct {
		name string
		args []string
	}{
		{PhaseApply, []string{"apply", "-auto-approve", "-input=false", "-no-color", par}},
		{PhaseRefresh, []string{"plan", "-refresh-only", "-detailed-exitcode", "-input=false", "-no-color", par, "-out=refresh-only.tfplan"}},
		{PhasePlan, []string{"plan", "-detailed-exitcode", "-input=false", "-no-color", par}},
	}
	for _, ph := range phases {
		slug := strings.ReplaceAll(ph.name, " ", "-")
		pr := PhaseResult{Phase: ph.name}
		h.progress("size %d: %s (entragov)", n, ph.name)
		inst.Server.ResetRequestCount()
		cpu0 := selfCPU()
		run, err := runCommand(ctx, provDir, h.logEnv(env, provDir, slug), filepath.Join(provDir, slug+".log"), h.bin, h.opts.Terraform, ph.args...)
		if err != nil {
			return sr, nil, fmt.Errorf("%s: %w", ph.name, err)
		}
		pr.Provider = measurement(run)
		pr.Provider.EmulatorCPUS = (selfCPU() - cpu0).Seconds()
		pr.Requests = requests(inst.Server.RequestCount())
		if run.ExitCode != 0 && (ph.name == PhaseApply || run.ExitCode != 2) {
			h.progress("size %d: %s exited %d; its output ends with:\n%s", n, ph.name, run.ExitCode, tail(filepath.Join(provDir, slug+".log"), 30))
			if ph.name == PhaseApply {
				sr.Phases = append(sr.Phases, pr)
				return sr, nil, fmt.Errorf("terraform apply exited %d", run.ExitCode)
			}
		}
		if run.ExitCode == 2 && ph.name != PhaseApply {
			h.progress("size %d: %s exited 2 (changes)", n, ph.name)
		}
		if ph.name == PhaseRefresh && run.ExitCode == 2 {
			// Untimed: what the refresh found different from what the apply stored.
			drift, err := planDrift(ctx, h.opts.Terraform, provDir, env, "refresh-only.tfplan")
			if err != nil {
				h.progress("size %d: reading the refresh-only plan: %v", n, err)
			}
			sr.Drift = drift
			for _, d := range drift {
				h.progress("size %d: refresh-only drift in %d %s (%s): %s", n, d.Instances, d.Type, d.Example, strings.Join(d.Attributes, ", "))
			}
		}
		pr.RequestsPerObject = float64(pr.Requests.Graph) / float64(n)
		pr.ReadsPerObject = float64(pr.Requests.Reads) / float64(n)
		pr.MsPerObject = pr.Provider.WallS * 1000 / float64(n)
		h.progress("size %d: %s took %.2fs (CPU %.1fs, provider %.1fs), %d Graph requests (%.2f per object), provider peak %.0f MiB, load %.1f",
			n, ph.name, pr.Provider.WallS, pr.Provider.CPUS, pr.Provider.ProviderCPUS, pr.Requests.Graph, pr.RequestsPerObject, pr.Provider.PeakProviderMiB, pr.Provider.LoadAverage)

		if sr.ProviderOnly {
			sr.Phases = append(sr.Phases, pr)
			continue
		}
		if err := h.runBaselines(ctx, n, env, provDir, baseDir, slug, ph.name, ph.args, &pr); err != nil {
			return sr, nil, err
		}
		sr.Phases = append(sr.Phases, pr)
	}

	if sr.ProviderOnly {
		h.progress("size %d: provider only (above %d): no baselines, no destroy", n, h.opts.ProviderOnlyAbove)
		return sr, nil, nil
	}
	var lat *LatencyResult
	if reference && h.opts.Latency > 0 {
		if lat, err = h.runLatency(ctx, n, inst, provDir, env, sr.Phases); err != nil {
			return sr, nil, err
		}
	}
	destroy, err := h.runDestroy(ctx, n, inst, provDir, baseDir, env)
	sr.Phases = append(sr.Phases, destroy)
	return sr, lat, err
}

// runBaselines runs one phase against the terraform_data configuration and, for the plans, against the
// do-nothing provider, and records both in pr beside the provider's run.
func (h *harness) runBaselines(ctx context.Context, n int, env []string, provDir, baseDir, slug, phase string, args []string, pr *PhaseResult) error {
	h.progress("size %d: %s (terraform_data baseline)", n, phase)
	brun, err := runCommand(ctx, baseDir, h.logEnv(env, baseDir, slug), filepath.Join(baseDir, slug+".log"), h.bin, h.opts.Terraform, args...)
	if err != nil {
		return fmt.Errorf("baseline %s: %w", phase, err)
	}
	pr.Baseline = measurement(brun)
	if brun.ExitCode != 0 {
		h.progress("size %d: baseline %s exited %d; its output ends with:\n%s", n, phase, brun.ExitCode, tail(filepath.Join(baseDir, slug+".log"), 30))
	}
	if pr.Baseline.WallS > 0 {
		pr.VsBaseline = pr.Provider.WallS / pr.Baseline.WallS
	}
	h.progress("size %d: baseline %s took %.2fs (CPU %.1fs)", n, phase, pr.Baseline.WallS, pr.Baseline.CPUS)
	if phase != PhaseApply {
		if err := h.runDoNothing(ctx, n, provDir, slug, args, pr); err != nil {
			return err
		}
	}
	return nil
}

// writeConfigs writes each configuration as main.tf of its directory.
func writeConfigs(configs map[string]string) error {
	for dir, cfg := range configs {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// runDoNothing runs a plan phase again against the do-nothing provider on the same state (it writes no
// state), and sets the provider's own cost per object above it.
func (h *harness) runDoNothing(ctx context.Context, n int, provDir, slug string, args []string, pr *PhaseResult) error {
	var plain []string
	for _, a := range args {
		if !strings.HasPrefix(a, "-out=") {
			plain = append(plain, a)
		}
	}
	h.progress("size %d: %s (do-nothing provider)", n, pr.Phase)
	run, err := runCommand(ctx, provDir, h.logEnv(h.doNothEnv, provDir, slug+"-donothing"), filepath.Join(provDir, slug+"-donothing.log"), h.doNothing, h.opts.Terraform, plain...)
	if err != nil {
		return fmt.Errorf("do-nothing %s: %w", pr.Phase, err)
	}
	m := measurement(run)
	pr.DoNothing = &m
	if run.ExitCode != 0 {
		h.progress("size %d: do-nothing %s exited %d; its output ends with:\n%s", n, pr.Phase, run.ExitCode, tail(filepath.Join(provDir, slug+"-donothing.log"), 30))
	}
	perObject := func(s float64) float64 { return s * 1000 / float64(n) }
	pr.OwnMsPerObject = perObject(pr.Provider.WallS - m.WallS)
	pr.OwnCPUMsPerObject = perObject(pr.Provider.ProviderCPUS - m.ProviderCPUS)
	pr.FrameworkCPUMsPerObject = perObject(m.ProviderCPUS)
	h.progress("size %d: do-nothing %s took %.2fs (provider CPU %.1fs): the provider's own cost %.2f ms wall, %.2f ms CPU per object",
		n, pr.Phase, m.WallS, m.ProviderCPUS, pr.OwnMsPerObject, pr.OwnCPUMsPerObject)
	return nil
}

// runDestroy destroys the configuration and the baseline; it ends a size, after the plans and the
// latency phase, which need the objects.
func (h *harness) runDestroy(ctx context.Context, n int, inst *emulator.Instance, provDir, baseDir string, env []string) (PhaseResult, error) {
	pr := PhaseResult{Phase: PhaseDestroy}
	args := []string{"destroy", "-auto-approve", "-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", h.opts.Parallelism)}
	h.progress("size %d: destroy (entragov)", n)
	inst.Server.ResetRequestCount()
	run, err := runCommand(ctx, provDir, h.logEnv(env, provDir, "destroy"), filepath.Join(provDir, "destroy.log"), h.bin, h.opts.Terraform, args...)
	if err != nil {
		return pr, fmt.Errorf("destroy: %w", err)
	}
	pr.Provider = measurement(run)
	pr.Requests = requests(inst.Server.RequestCount())
	pr.RequestsPerObject = float64(pr.Requests.Graph) / float64(n)
	pr.ReadsPerObject = float64(pr.Requests.Reads) / float64(n)
	pr.MsPerObject = pr.Provider.WallS * 1000 / float64(n)
	if run.ExitCode != 0 {
		h.progress("size %d: destroy exited %d; its output ends with:\n%s", n, run.ExitCode, tail(filepath.Join(provDir, "destroy.log"), 30))
	}
	h.progress("size %d: destroy took %.2fs, %d Graph requests (%.2f per object)", n, pr.Provider.WallS, pr.Requests.Graph, pr.RequestsPerObject)
	brun, err := runCommand(ctx, baseDir, h.logEnv(env, baseDir, "destroy"), filepath.Join(baseDir, "destroy.log"), h.bin, h.opts.Terraform, args...)
	if err != nil {
		return pr, fmt.Errorf("baseline destroy: %w", err)
	}
	pr.Baseline = measurement(brun)
	if pr.Baseline.WallS > 0 {
		pr.VsBaseline = pr.Provider.WallS / pr.Baseline.WallS
	}
	return pr, nil
}

// runLatency runs the no-op plan again with the local API answering every request after the configured
// latency, at parallelism 10, and compares its wall time with requests x latency / parallelism.
func (h *harness) runLatency(ctx context.Context, n int, inst *emulator.Instance, provDir string, env []string, phases []PhaseResult) (*LatencyResult, error) {
	lat := &LatencyResult{N: n, Parallelism: 10, LatencyMs: ms(h.opts.Latency)}
	for _, ph := range phases {
		if ph.Phase == PhasePlan {
			lat.ZeroLatencyS = ph.Provider.WallS
			if ph.DoNothing != nil {
				lat.DoNothingS = ph.DoNothing.WallS
			}
		}
	}
	h.progress("size %d: no-op plan with %s emulator latency, -parallelism=%d", n, h.opts.Latency, lat.Parallelism)
	inst.Server.SetFaults(emulator.Faults{Latency: h.opts.Latency})
	defer inst.Server.SetFaults(emulator.Faults{})
	inst.Server.ResetRequestCount()
	logPath := filepath.Join(provDir, "no-op-plan-latency.log")
	run, err := runCommand(ctx, provDir, h.logEnv(env, provDir, "no-op-plan-latency"), logPath, h.bin, h.opts.Terraform,
		"plan", "-detailed-exitcode", "-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", lat.Parallelism))
	if err != nil {
		return nil, fmt.Errorf("no-op plan with latency: %w", err)
	}
	lat.WallS = run.Wall.Seconds()
	lat.CPUS, lat.ProviderCPUS = run.CPU.Seconds(), run.ProviderCPU.Seconds()
	lat.ExitCode = run.ExitCode
	lat.Requests = requests(inst.Server.RequestCount())
	lat.IdealS = float64(lat.Requests.Graph) * h.opts.Latency.Seconds() / float64(lat.Parallelism)
	if lat.IdealS > 0 {
		lat.Ratio = lat.WallS / lat.IdealS
	}
	if run.ExitCode != 0 {
		lat.ErrorIfFailed = fmt.Sprintf("exit code %d: %s", run.ExitCode, tail(logPath, 10))
	}
	h.progress("size %d: no-op plan with latency took %.2fs for %d Graph requests (ideal %.2fs, x%.2f)",
		n, lat.WallS, lat.Requests.Graph, lat.IdealS, lat.Ratio)
	return lat, nil
}

// logEnv adds TF_LOG and a log file for one run when Options.TFLog asks for it.
func (h *harness) logEnv(env []string, dir, slug string) []string {
	if h.opts.TFLog == "" {
		return env
	}
	return append(append([]string{}, env...), "TF_LOG="+h.opts.TFLog, "TF_LOG_PATH="+filepath.Join(dir, slug+".tflog"))
}

// selfCPU is the user+system CPU this process has used: the in-process local API's share of a phase.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func measurement(r cmdRun) Measurement {
	return Measurement{
		WallS:             r.Wall.Seconds(),
		ExitCode:          r.ExitCode,
		PeakTerraformMiB:  float64(r.PeakTerraformKiB) / 1024,
		PeakProviderMiB:   float64(r.PeakProviderKiB) / 1024,
		ProviderProcesses: r.ProviderProcesses,
		CPUS:              r.CPU.Seconds(),
		ProviderCPUS:      r.ProviderCPU.Seconds(),
		LoadAverage:       loadAverage(),
	}
}

// requests splits the emulator's counters: /v1.0 and /beta routes are Graph requests (each counted
// once, as the client sent it: the local API does not count the v1.0 calls it makes for a beta
// request), the rest are token and OpenID discovery requests.
func requests(st emulator.RequestStats) Requests {
	r := Requests{ByRoute: st.ByRoute}
	for route, c := range st.ByRoute {
		method, path, _ := strings.Cut(route, " ")
		lower := strings.ToLower(path)
		if !strings.HasPrefix(lower, "/v1.0") && !strings.HasPrefix(lower, "/beta") && path != "(unmatched)" {
			r.Token += c
			continue
		}
		r.Graph += c
		if method == "GET" {
			r.Reads += c
		} else {
			r.Writes += c
		}
	}
	return r
}
