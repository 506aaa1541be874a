package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// sampleInterval is how often /proc is read while a command runs. VmHWM is a high-water mark, so a
// coarse interval only misses processes that live shorter than it.
const sampleInterval = 40 * time.Millisecond

// cmdRun is one command's wall time, exit code and the peak resident memory (VmHWM) of Terraform and of
// the provider processes it started.
type cmdRun struct {
	Wall              time.Duration
	ExitCode          int
	PeakTerraformKiB  int64
	PeakProviderKiB   int64
	ProviderProcesses int           // distinct provider processes seen
	CPU               time.Duration // user+system CPU of the command and the children it waited for
	ProviderCPU       time.Duration // user+system CPU of the provider processes (sampled, so slightly low)
}

// runCommand runs name with args in its own process group, with output to logPath, sampling the
// memory of the command itself and of every process whose executable is providerBin. On ctx
// cancellation the group gets SIGINT, then SIGKILL after 10 s; whatever is left in the group when the
// command ends is killed too, so no provider outlives the phase.
func runCommand(ctx context.Context, dir string, env []string, logPath, providerBin, name string, args ...string) (cmdRun, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return cmdRun{}, err
	}
	defer logFile.Close()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}

	type result struct {
		err error
		end time.Time
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return cmdRun{}, err
	}
	pgid := cmd.Process.Pid
	done := make(chan result, 1)
	go func() {
		err := cmd.Wait()
		done <- result{err, time.Now()}
	}()

	var run cmdRun
	providers := map[int]time.Duration{}
	sample := func() {
		if kib := vmHWM(pgid); kib > run.PeakTerraformKiB {
			run.PeakTerraformKiB = kib
		}
		for _, pid := range processesOf(providerBin) {
			if cpu, ok := cpuTime(pid); ok {
				providers[pid] = cpu
			}
			if kib := vmHWM(pid); kib > run.PeakProviderKiB {
				run.PeakProviderKiB = kib
			}
		}
	}
	ticker := time.NewTicker(sampleInterval)
	defer ticker.Stop()
	var res result
	interrupted := false
	var killTimer <-chan time.Time
wait:
	for {
		select {
		case res = <-done:
			break wait
		case <-ticker.C:
			sample()
		case <-ctx.Done():
			if !interrupted {
				interrupted = true
				_ = syscall.Kill(-pgid, syscall.SIGINT)
				killTimer = time.After(10 * time.Second)
			}
		case <-killTimer:
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
		}
	}
	// Terraform stops its providers on exit; anything still in the group is a leftover.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	run.Wall = res.end.Sub(start)
	run.ProviderProcesses = len(providers)
	for _, cpu := range providers {
		run.ProviderCPU += cpu
	}
	if cmd.ProcessState != nil {
		run.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if interrupted {
		return run, ctx.Err()
	}
	var exitErr *exec.ExitError
	switch {
	case res.err == nil:
	case errors.As(res.err, &exitErr):
		run.ExitCode = exitErr.ExitCode()
	default:
		return run, res.err
	}
	return run, nil
}

// vmHWM is the peak resident set size of pid in KiB, or 0 if it cannot be read.
func vmHWM(pid int) int64 {
	raw, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 1 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}

// clockTick is the unit of utime and stime in /proc/<pid>/stat (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// cpuTime is the user+system CPU time pid has used so far.
func cpuTime(pid int) (time.Duration, bool) {
	raw, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, false
	}
	// The command name (field 2) may hold spaces; fields after its closing parenthesis are plain.
	i := bytes.LastIndexByte(raw, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(raw[i+1:]))
	if len(f) < 13 { // utime and stime are fields 14 and 15, i.e. 11 and 12 after the name
		return 0, false
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(u+st) * clockTick, true
}

// loadAverage is the 1-minute load average, to show how busy the machine was.
func loadAverage() float64 {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(raw))
	if len(f) == 0 {
		return -1
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}

// processesOf lists the pids whose executable is bin (an absolute path).
func processesOf(bin string) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe")); err == nil && exe == bin {
			pids = append(pids, pid)
		}
	}
	return pids
}

// killLeftovers kills processes still running bin (only the harness's own temporary build can match)
// and returns how many there were.
func killLeftovers(bin string) int {
	pids := processesOf(bin)
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	return len(pids)
}

// tail is the last n lines of the file at path, for error messages.
func tail(path string, n int) string {
	raw, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(no output: %v)", err)
	}
	lines := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
