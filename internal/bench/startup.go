package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// The go-plugin handshake Terraform performs with a protocol 6 provider.
const (
	magicCookieKey   = "TF_PLUGIN_MAGIC_COOKIE"
	magicCookieValue = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
	getSchemaMethod  = "/tfplugin6.Provider/GetProviderSchema"
)

// StartupResult is the provider's start-up time: process start to the handshake line on stdout, and
// process start to a complete GetProviderSchema reply.
type StartupResult struct {
	Method         string    `json:"method"`
	Runs           int       `json:"runs"`
	HandshakeMs    []float64 `json:"handshakeMs"`
	SchemaMs       []float64 `json:"schemaMs"`
	MeanSchemaMs   float64   `json:"meanSchemaMs"`
	MeanHandshake  float64   `json:"meanHandshakeMs"`
	SchemaBytes    int       `json:"schemaBytes"`
	WarmUpExcluded bool      `json:"warmUpExcluded"`
}

// measureStartup starts the provider binary as Terraform does (plugin handshake environment), waits
// for its handshake line, calls GetProviderSchema over the announced gRPC address and kills it; one
// warm-up run (page cache) and then runs measured runs.
func measureStartup(ctx context.Context, bin, socketDir string, env []string, runs int) (StartupResult, error) {
	res := StartupResult{
		Method:         "plugin handshake: exec the provider with TF_PLUGIN_MAGIC_COOKIE and PLUGIN_PROTOCOL_VERSIONS=6, read the handshake line, call tfplugin6 GetProviderSchema over gRPC",
		Runs:           runs,
		WarmUpExcluded: true,
	}
	for i := 0; i <= runs; i++ {
		hs, schema, size, err := startupOnce(ctx, bin, socketDir, env)
		if err != nil {
			return res, err
		}
		if i == 0 {
			continue
		}
		res.HandshakeMs = append(res.HandshakeMs, ms(hs))
		res.SchemaMs = append(res.SchemaMs, ms(schema))
		res.SchemaBytes = size
	}
	res.MeanSchemaMs = mean(res.SchemaMs)
	res.MeanHandshake = mean(res.HandshakeMs)
	return res, nil
}

func startupOnce(ctx context.Context, bin, socketDir string, env []string) (handshake, schema time.Duration, size int, err error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.Command(bin)
	cmd.Env = append(append([]string{}, env...),
		magicCookieKey+"="+magicCookieValue,
		"PLUGIN_PROTOCOL_VERSIONS=6",
		"PLUGIN_MIN_PORT=10000", "PLUGIN_MAX_PORT=25000",
		"PLUGIN_UNIX_SOCKET_DIR="+socketDir,
	)
	cmd.Stderr = io.Discard
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, 0, 0, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, 0, err
	}
	defer func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	}()

	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, stdout)
	}()
	var line string
	select {
	case line = <-lines:
	case <-ctx.Done():
		return 0, 0, 0, errors.New("the provider printed no handshake line within 30 s")
	}
	handshake = time.Since(start)
	// CORE-PROTOCOL-VERSION|APP-PROTOCOL-VERSION|NETWORK-TYPE|NETWORK-ADDR|PROTOCOL[|SERVER-CERT]
	parts := strings.Split(strings.TrimSpace(line), "|")
	if len(parts) < 5 || parts[1] != "6" || parts[4] != "grpc" {
		return 0, 0, 0, fmt.Errorf("unexpected handshake line %q", line)
	}
	target := parts[3]
	if parts[2] == "unix" {
		target = "unix://" + parts[3]
	}
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return 0, 0, 0, err
	}
	defer conn.Close()
	var reply rawMessage
	// GetProviderSchema.Request has no fields: its wire form is empty.
	if err := conn.Invoke(ctx, getSchemaMethod, &rawMessage{}, &reply, grpc.ForceCodec(rawCodec{})); err != nil {
		return 0, 0, 0, fmt.Errorf("GetProviderSchema: %w", err)
	}
	schema = time.Since(start)
	if !bytes.Contains(reply, []byte("entragov_catalog")) {
		return 0, 0, 0, errors.New("GetProviderSchema answered without the entragov_catalog resource")
	}
	return handshake, schema, len(reply), nil
}

// rawMessage is a protobuf message kept in wire form: the harness needs no generated code.
type rawMessage []byte

// rawCodec passes rawMessage bytes through; it is named "proto" so the content type matches.
type rawCodec struct{}

func (rawCodec) Name() string { return "proto" }

func (rawCodec) Marshal(v any) ([]byte, error) {
	m, ok := v.(*rawMessage)
	if !ok {
		return nil, fmt.Errorf("rawCodec: cannot marshal %T", v)
	}
	return *m, nil
}

func (rawCodec) Unmarshal(data []byte, v any) error {
	m, ok := v.(*rawMessage)
	if !ok {
		return fmt.Errorf("rawCodec: cannot unmarshal into %T", v)
	}
	*m = append((*m)[:0], data...)
	return nil
}

// socketDirFor makes a short directory for the plugin's unix socket (paths are limited to 108 bytes).
func socketDirFor(parent string) (string, error) {
	return os.MkdirTemp(parent, "s")
}
