package provider

import (
	"os"
	"runtime/debug"
)

// providerGCPercent is the garbage collector target of the provider process. The provider allocates
// heavily per request (the framework converts every value several times) but keeps little: with Go's
// default of 100 the collector took about a third of the provider's CPU in a 1,000-object plan, and
// 400 halves that for a few tens of MiB more memory.
const providerGCPercent = 400

// providerMemoryLimit bounds that trade: nearer to it the collector works harder again. The live heap
// grows with the number of requests, because terraform-plugin-framework v1.19 keeps every request's
// cancel function until the provider stops: with the request's context and loggers, about 14 KiB per
// request, and without a bound the 400 target let a 3,000-object plan peak near 1 GiB. releasingServer
// (server.go) cuts what each kept function holds to a few hundred bytes; the limit stays for what is
// left. framework_leak_test.go reproduces the leak and fails once the framework stops keeping them.
const providerMemoryLimit = 512 << 20

// TuneGC applies providerGCPercent and providerMemoryLimit unless GOGC or GOMEMLIMIT say otherwise.
// It reports whether it changed anything.
func TuneGC() bool {
	changed := false
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(providerGCPercent)
		changed = true
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(providerMemoryLimit)
		changed = true
	}
	return changed
}
