package main

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The version flag prints "<binary> <version>" on stdout and exits 0 without starting the plugin
// server, with one dash or two, whatever other flags come with it.
func TestRunVersion(t *testing.T) {
	for _, args := range [][]string{{"-version"}, {"--version"}, {"-debug", "--version"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			served := false
			code := run(args, &stdout, &stderr, func(bool) error {
				served = true
				return nil
			})
			if code != 0 {
				t.Fatalf("exit code %d, want 0 (stderr: %q)", code, stderr.String())
			}
			if served {
				t.Fatal("the plugin server was started")
			}
			if got, want := stdout.String(), "terraform-provider-entragov "+version+"\n"; got != want {
				t.Fatalf("stdout %q, want %q", got, want)
			}
		})
	}
}

// Without -version the plugin server runs, with -debug passed through; its error is exit code 1 and an
// unknown flag is exit code 2, neither of which serves.
func TestRunServe(t *testing.T) {
	var gotDebug []bool
	serve := func(debug bool) error {
		gotDebug = append(gotDebug, debug)
		if debug {
			return errors.New("debug server failed")
		}
		return nil
	}
	var stdout, stderr bytes.Buffer
	if code := run(nil, &stdout, &stderr, serve); code != 0 {
		t.Fatalf("no flags: exit code %d, want 0", code)
	}
	if code := run([]string{"-debug"}, &stdout, &stderr, serve); code != 1 {
		t.Fatalf("-debug with a failing server: exit code %d, want 1", code)
	}
	if !strings.Contains(stderr.String(), "debug server failed") {
		t.Fatalf("stderr %q does not report the server's error", stderr.String())
	}
	if code := run([]string{"-no-such-flag"}, &stdout, &stderr, serve); code != 2 {
		t.Fatalf("unknown flag: exit code %d, want 2", code)
	}
	if len(gotDebug) != 2 || gotDebug[0] || !gotDebug[1] {
		t.Fatalf("serve called with debug=%v, want [false true]", gotDebug)
	}
	if stdout.Len() != 0 {
		t.Fatalf("stdout %q, want nothing", stdout.String())
	}
}

// The released binary gets its version from -ldflags "-X main.version=..." (GoReleaser and `make
// build` both set it): build one that way and run it as a user would.
func TestBinaryPrintsLinkedVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the provider binary")
	}
	const linked = "1.2.3-test+abc"
	bin := filepath.Join(t.TempDir(), "terraform-provider-entragov")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	build := exec.Command("go", "build", "-ldflags", "-X main.version="+linked, "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, flag := range []string{"-version", "--version"} {
		cmd := exec.Command(bin, flag)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v (stderr: %q)", flag, err, stderr.String())
		}
		if got, want := string(out), "terraform-provider-entragov "+linked+"\n"; got != want {
			t.Fatalf("%s printed %q, want %q", flag, got, want)
		}
	}
}
