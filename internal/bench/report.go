package bench

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// Target thresholds (the "Performance: benchmark harness and targets" issue).
const (
	maxNoopReadsPerObject = 1.0
	maxNoopVsBaseline     = 1.5
	maxLatencyRatio       = 1.2
	maxStartupMs          = 50.0
	minLoadPerSecond      = 5000.0
	maxLoadP99Ms          = 10.0
	// Growth: requests per object may rise by rounding noise only; time per object at most 1.5x.
	maxRequestGrowth = 1.05
	maxTimeGrowth    = 1.5

	// The targets measured against the do-nothing provider (issue 18).
	maxNoopRequestsPerObject = 0.05 // no-op plan at 1,000 objects and more
	maxLatencyVsDoNothing    = 1.2  // no-op plan with latency: at most 1.2x the do-nothing plan + 2 s
	latencySlackS            = 2.0
	maxOwnCPUMsPerObject     = 1.0 // the provider's own CPU in a no-op plan at the reference size
	destroySize              = 500
	maxDestroyS              = 10.0
)

func phaseAt(res *Results, n int, phase string) (PhaseResult, bool) {
	for _, s := range res.Sizes {
		if s.N != n {
			continue
		}
		for _, p := range s.Phases {
			if p.Phase == phase {
				return p, true
			}
		}
	}
	return PhaseResult{}, false
}

func evaluateTargets(res *Results, ref int) []Target {
	var out []Target
	add := func(pass bool, name, detail string, args ...any) {
		out = append(out, Target{Name: name, Pass: pass, Detail: fmt.Sprintf(detail, args...)})
	}

	okAll, failed, notes := true, []string{}, []string{}
	for _, s := range res.Sizes {
		if s.Error != "" {
			okAll = false
			failed = append(failed, fmt.Sprintf("%d: %s", s.N, s.Error))
		}
		for _, p := range s.Phases {
			if p.Phase == PhaseRefresh && p.Provider.ExitCode == 2 && len(s.Drift) == 0 {
				// Terraform calls a refresh-only plan applyable when the refreshed state differs from the
				// stored one in any way, even one no attribute shows (hashicorp/terraform#37406).
				notes = append(notes, fmt.Sprintf("%d: the refresh-only plan exited 2 but reported no drift (\"No changes\")", s.N))
				continue
			}
			if p.DoNothing != nil && p.DoNothing.ExitCode != 0 {
				okAll = false
				failed = append(failed, fmt.Sprintf("%d %s: the do-nothing provider's plan exited %d", s.N, p.Phase, p.DoNothing.ExitCode))
			}
			if p.Provider.ExitCode != 0 || p.Baseline.ExitCode != 0 {
				okAll = false
				failed = append(failed, fmt.Sprintf("%d %s: exit %d (baseline %d)", s.N, p.Phase, p.Provider.ExitCode, p.Baseline.ExitCode))
			}
		}
	}
	detail := "every apply succeeded and every refresh-only and no-op plan was empty (exit 0 with -detailed-exitcode)"
	if !okAll {
		detail = strings.Join(failed, "; ")
	}
	if len(notes) > 0 {
		detail += "; note: " + strings.Join(notes, "; ")
	}
	add(okAll, "runs succeed, plans empty", "%s", detail)

	if p, ok := phaseAt(res, ref, PhasePlan); ok {
		add(p.ReadsPerObject <= maxNoopReadsPerObject, fmt.Sprintf("no-op plan <= %.0f read request per object at %d objects", maxNoopReadsPerObject, ref),
			"%.2f GET requests per object (%d GETs, %d Graph requests, %d token requests)", p.ReadsPerObject, p.Requests.Reads, p.Requests.Graph, p.Requests.Token)
		add(p.VsBaseline > 0 && p.VsBaseline <= maxNoopVsBaseline, fmt.Sprintf("no-op plan <= %.1fx terraform_data baseline at %d objects", maxNoopVsBaseline, ref),
			"%.2fs vs %.2fs: %.2fx", p.Provider.WallS, p.Baseline.WallS, p.VsBaseline)
	} else {
		add(false, fmt.Sprintf("no-op plan targets at %d objects", ref), "not measured")
	}

	for _, s := range res.Sizes {
		if s.N < 1000 {
			continue
		}
		if p, ok := phaseAt(res, s.N, PhasePlan); ok {
			add(p.RequestsPerObject <= maxNoopRequestsPerObject, fmt.Sprintf("no-op plan <= %.2f Graph requests per object at %d objects", maxNoopRequestsPerObject, s.N),
				"%.3f (%d Graph requests)", p.RequestsPerObject, p.Requests.Graph)
		}
	}
	if p, ok := phaseAt(res, ref, PhasePlan); ok && p.DoNothing != nil {
		add(p.OwnCPUMsPerObject <= maxOwnCPUMsPerObject, fmt.Sprintf("the provider's own CPU in a no-op plan <= %.0f ms per object at %d objects", maxOwnCPUMsPerObject, ref),
			"%.2f ms per object (provider processes %.1fs, do-nothing provider %.1fs: the framework and protocol on our schemas, %.2f ms per object)",
			p.OwnCPUMsPerObject, p.Provider.ProviderCPUS, p.DoNothing.ProviderCPUS, p.FrameworkCPUMsPerObject)
	} else {
		add(false, "the provider's own CPU in a no-op plan", "not measured")
	}
	if p, ok := phaseAt(res, destroySize, PhaseDestroy); ok {
		add(p.Provider.ExitCode == 0 && p.Provider.WallS <= maxDestroyS, fmt.Sprintf("destroy of %d objects <= %.0f s", destroySize, maxDestroyS),
			"%.2fs, %d Graph requests (%.2f per object), exit %d", p.Provider.WallS, p.Requests.Graph, p.RequestsPerObject, p.Provider.ExitCode)
	} else {
		add(false, fmt.Sprintf("destroy of %d objects", destroySize), "not measured (BENCH_SIZES must include %d)", destroySize)
	}

	if l := res.Latency; l != nil && l.DoNothingS > 0 {
		limit := maxLatencyVsDoNothing*l.DoNothingS + latencySlackS
		add(l.ExitCode == 0 && l.WallS <= limit,
			fmt.Sprintf("no-op plan with %.0f ms latency, -parallelism=%d, <= %.1fx the do-nothing provider's + %.0f s at %d objects", l.LatencyMs, l.Parallelism, maxLatencyVsDoNothing, latencySlackS, l.N),
			"%.2fs vs %.1f x %.2fs + %.0f s = %.2fs", l.WallS, maxLatencyVsDoNothing, l.DoNothingS, latencySlackS, limit)
	}
	if l := res.Latency; l != nil {
		add(l.ExitCode == 0 && l.Ratio > 0 && l.Ratio <= maxLatencyRatio,
			fmt.Sprintf("no-op plan with %.0f ms latency, -parallelism=%d, within %.1fx of requests x latency / %d at %d objects", l.LatencyMs, l.Parallelism, maxLatencyRatio, l.Parallelism, l.N),
			"%.2fs vs %d x %.0f ms / %d = %.2fs: %.2fx", l.WallS, l.Requests.Graph, l.LatencyMs, l.Parallelism, l.IdealS, l.Ratio)
	} else {
		add(false, "no-op plan with latency", "not measured")
	}

	if s := res.Startup; s != nil {
		add(s.MeanSchemaMs < maxStartupMs, fmt.Sprintf("provider start-up to schema < %.0f ms", maxStartupMs),
			"mean %.1f ms over %d runs (handshake %.1f ms), runs %s; method: %s", s.MeanSchemaMs, s.Runs, s.MeanHandshake, fmtMs(s.SchemaMs), s.Method)
	} else {
		add(false, "provider start-up to schema", "not measured")
	}

	if l := res.Load; l != nil {
		add(l.PerSecond >= minLoadPerSecond && l.P99Ms < maxLoadP99Ms && l.Errors == 0,
			fmt.Sprintf("local API >= %.0f catalog GETs/s with p99 < %.0f ms", minLoadPerSecond, maxLoadP99Ms),
			"%.0f/s, p50 %.2f ms, p99 %.2f ms, max %.1f ms, %d errors (%d workers, %.1fs, GOMAXPROCS %d, client in the same process)",
			l.PerSecond, l.P50Ms, l.P99Ms, l.MaxMs, l.Errors, l.Workers, l.DurationS, l.GOMAXPROCS)
	} else {
		add(false, "local API catalog GETs", "not measured")
	}
	return out
}

// evaluateGrowth flags costs that grow worse than linearly: requests per object rising from one size
// to the next, or time per object rising more than 1.5x from the smallest to the largest size.
func evaluateGrowth(res *Results) []Target {
	var sizes []SizeResult
	for _, s := range res.Sizes {
		if s.Error == "" && len(s.Phases) > 0 {
			sizes = append(sizes, s)
		}
	}
	slices.SortFunc(sizes, func(a, b SizeResult) int { return cmp.Compare(a.N, b.N) })
	if len(sizes) < 2 {
		return []Target{{Name: "cost growth", Pass: true, Detail: "needs two sizes"}}
	}
	var out []Target
	for _, phase := range []string{PhaseApply, PhaseRefresh, PhasePlan, PhaseDestroy} {
		var series []PhaseResult
		var ns []int
		for _, s := range sizes {
			for _, p := range s.Phases {
				if p.Phase == phase {
					series = append(series, p)
					ns = append(ns, s.N)
				}
			}
		}
		if len(series) < 2 {
			continue
		}
		var rises []string
		for i := 1; i < len(series); i++ {
			a, b := series[i-1].RequestsPerObject, series[i].RequestsPerObject
			if b > a*maxRequestGrowth+0.005 {
				rises = append(rises, fmt.Sprintf("%.3f at %d -> %.3f at %d", a, ns[i-1], b, ns[i]))
			}
		}
		reqs := make([]string, len(series))
		for i, p := range series {
			reqs[i] = fmt.Sprintf("%.3f", p.RequestsPerObject)
		}
		detail := "requests per object " + strings.Join(reqs, ", ")
		if len(rises) > 0 {
			detail += " (rising: " + strings.Join(rises, "; ") + ")"
		}
		out = append(out, Target{Name: phase + ": requests per object flat", Pass: len(rises) == 0, Detail: detail})

		first, last := series[0], series[len(series)-1]
		tr := last.MsPerObject / first.MsPerObject
		bFirst := first.Baseline.WallS * 1000 / float64(ns[0])
		bLast := last.Baseline.WallS * 1000 / float64(ns[len(ns)-1])
		timeDetail := fmt.Sprintf("%.1f -> %.1f ms per object (x%.2f)", first.MsPerObject, last.MsPerObject, tr)
		if bFirst > 0 && bLast > 0 {
			timeDetail += fmt.Sprintf("; terraform_data baseline %.1f -> %.1f ms per object (x%.2f)", bFirst, bLast, bLast/bFirst)
		} else {
			timeDetail += fmt.Sprintf("; no terraform_data baseline at %d (provider only)", ns[len(ns)-1])
		}
		out = append(out, Target{
			Name:   fmt.Sprintf("%s: time per object <= %.1fx from %d to %d", phase, maxTimeGrowth, ns[0], ns[len(ns)-1]),
			Pass:   tr <= maxTimeGrowth,
			Detail: timeDetail,
		})
		mFirst := first.Provider.PeakProviderMiB / float64(ns[0])
		mLast := last.Provider.PeakProviderMiB / float64(ns[len(ns)-1])
		out = append(out, Target{
			Name: fmt.Sprintf("%s: provider memory per object <= %.1fx from %d to %d", phase, maxTimeGrowth, ns[0], ns[len(ns)-1]),
			Pass: mLast <= mFirst*maxTimeGrowth,
			Detail: fmt.Sprintf("peak %.0f MiB at %d -> %.0f MiB at %d (%.3f -> %.3f MiB per object)",
				first.Provider.PeakProviderMiB, ns[0], last.Provider.PeakProviderMiB, ns[len(ns)-1], mFirst, mLast),
		})
	}
	return out
}

func topRoutes(byRoute map[string]int, n int) []RouteCount {
	var out []RouteCount
	for r, c := range byRoute {
		out = append(out, RouteCount{Route: r, Count: c})
	}
	slices.SortFunc(out, func(a, b RouteCount) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Route, b.Route)
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func fmtMs(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprintf("%.1f", x)
	}
	return "[" + strings.Join(s, " ") + "] ms"
}

func verdict(pass bool) string {
	if pass {
		return "PASS"
	}
	return "FAIL"
}

// writeReport prints the table, the request breakdown and the verdicts.
func writeReport(w io.Writer, res *Results) {
	fmt.Fprintf(w, "\nentragov-bench: Terraform %s, %s, %d CPUs (load average %.1f at start, %.1f at end), -parallelism=%d, local API in process over HTTPS (zero latency unless stated)\n\n",
		res.Terraform, res.Go, res.CPUs, res.LoadStart, res.LoadEnd, res.Parallelism)
	if len(res.ProviderEnv) > 0 {
		fmt.Fprintf(w, "provider settings changed for this run: %s\n\n", strings.Join(res.ProviderEnv, " "))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "objects\tphase\twall s\tms/obj\tbaseline s\tx baseline\tGraph req\treq/obj\tGET/obj\ttoken req\tCPU s\tprovider CPU s\tlocal API CPU s\tbaseline CPU s\tprovider MiB\tterraform MiB\tbaseline tf MiB\texit\t")
	for _, s := range res.Sizes {
		for _, p := range s.Phases {
			fmt.Fprintf(tw, "%d\t%s\t%.2f\t%.1f\t%.2f\t%.2f\t%d\t%.2f\t%.2f\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.0f\t%.0f\t%.0f\t%d/%d\t\n",
				s.N, p.Phase, p.Provider.WallS, p.MsPerObject, p.Baseline.WallS, p.VsBaseline, p.Requests.Graph,
				p.RequestsPerObject, p.ReadsPerObject, p.Requests.Token, p.Provider.CPUS, p.Provider.ProviderCPUS, p.Provider.EmulatorCPUS, p.Baseline.CPUS, p.Provider.PeakProviderMiB,
				p.Provider.PeakTerraformMiB, p.Baseline.PeakTerraformMiB, p.Provider.ExitCode, p.Baseline.ExitCode)
		}
		if s.Error != "" {
			fmt.Fprintf(tw, "%d\terror: %s\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\n", s.N, s.Error)
		}
	}
	_ = tw.Flush()
	for _, s := range res.Sizes {
		if s.ProviderOnly {
			fmt.Fprintf(w, "%d objects: the provider's apply and plans only (-provider-only-above): no baseline (0), no destroy\n", s.N)
		}
	}
	fmt.Fprintln(w, "\ndo-nothing provider (same schemas and state, Read keeps the prior state, no Graph call): the provider's own cost is the difference")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "objects\tphase\twall s\tdo-nothing wall s\town ms/obj\tprovider CPU s\tdo-nothing CPU s\town CPU ms/obj\tframework CPU ms/obj\tprovider MiB\tdo-nothing MiB\texit\t")
	for _, s := range res.Sizes {
		for _, p := range s.Phases {
			if d := p.DoNothing; d != nil {
				fmt.Fprintf(tw, "%d\t%s\t%.2f\t%.2f\t%.2f\t%.1f\t%.1f\t%.2f\t%.2f\t%.0f\t%.0f\t%d\t\n", s.N, p.Phase, p.Provider.WallS, d.WallS, p.OwnMsPerObject,
					p.Provider.ProviderCPUS, d.ProviderCPUS, p.OwnCPUMsPerObject, p.FrameworkCPUMsPerObject, p.Provider.PeakProviderMiB, d.PeakProviderMiB, d.ExitCode)
			}
		}
	}
	_ = tw.Flush()
	fmt.Fprintln(w, "\nGraph req: /v1.0 requests (token req: token endpoint and OpenID discovery, excluded from per-object figures);")
	fmt.Fprintln(w, "CPU s: user+system CPU of Terraform and its providers; provider CPU s: of the provider processes alone;")
	fmt.Fprintln(w, "local API CPU s: of the harness process serving the local API during the run;")
	fmt.Fprintln(w, "provider MiB: peak VmHWM of the terraform-provider-entragov processes; exit: entragov/baseline (-detailed-exitcode).")
	for _, s := range res.Sizes {
		m := s.Mix
		fmt.Fprintf(w, "mix at %d: %d catalogs, %d catalog resources, %d access packages, %d role scopes, %d policies, %d connected organizations, %d lifecycle workflows\n",
			s.N, m.Catalogs, m.CatalogResources, m.AccessPackages, m.RoleScopes, m.AssignmentPolicies, m.ConnectedOrganizations, m.LifecycleWorkflows)
	}

	for _, s := range res.Sizes {
		for _, d := range s.Drift {
			fmt.Fprintf(w, "refresh-only drift at %d: %d x %s (e.g. %s), attributes: %s\n", s.N, d.Instances, d.Type, d.Example, strings.Join(d.Attributes, ", "))
		}
	}

	if len(res.TopRoutes) > 0 {
		fmt.Fprintf(w, "\nno-op plan at %d objects, top %d routes:\n", res.TopRoutesN, len(res.TopRoutes))
		for _, r := range res.TopRoutes {
			fmt.Fprintf(w, "  %6d  %5.2f/obj  %s\n", r.Count, float64(r.Count)/float64(res.TopRoutesN), r.Route)
		}
	}
	if len(res.ApplyRoutes) > 0 {
		fmt.Fprintf(w, "\napply at %d objects, top %d routes (POST: creates; GET .../{id}: the confirming reads; GET of a collection: name look-ups and lists):\n",
			res.TopRoutesN, len(res.ApplyRoutes))
		for _, r := range res.ApplyRoutes {
			fmt.Fprintf(w, "  %6d  %5.2f/obj  %s\n", r.Count, float64(r.Count)/float64(res.TopRoutesN), r.Route)
		}
	}
	if l := res.Latency; l != nil {
		fmt.Fprintf(w, "\nno-op plan at %d objects with %.0f ms latency, -parallelism=%d: %.2fs (%.2fs without latency, %.2fs do-nothing provider; CPU %.1fs, provider %.1fs), %d Graph requests, ideal %.2fs, x%.2f\n",
			l.N, l.LatencyMs, l.Parallelism, l.WallS, l.ZeroLatencyS, l.DoNothingS, l.CPUS, l.ProviderCPUS, l.Requests.Graph, l.IdealS, l.Ratio)
	}

	fmt.Fprintln(w, "\ntargets:")
	for _, t := range res.Targets {
		fmt.Fprintf(w, "%s  %s: %s\n", verdict(t.Pass), t.Name, t.Detail)
	}
	fmt.Fprintln(w, "\ncost growth (FAIL = worse than linear):")
	for _, t := range res.Growth {
		fmt.Fprintf(w, "%s  %s: %s\n", verdict(t.Pass), t.Name, t.Detail)
	}
	for _, e := range res.Errors {
		fmt.Fprintf(w, "ERROR %s\n", e)
	}
	fmt.Fprintf(w, "\nbench took %.0fs\n", res.DurationS)
}
