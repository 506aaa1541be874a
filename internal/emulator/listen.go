package emulator

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"time"
)

// Instance is a Server answering HTTPS on a real address.
type Instance struct {
	URL    string // https://127.0.0.1:PORT
	Server *Server

	hs   *http.Server
	done chan struct{}
}

// Listen binds addr ("127.0.0.1:0" picks a free port) and serves s over HTTPS with a
// leaf certificate from s.Authority() in a goroutine. The listener is bound when
// Listen returns, so the URL is immediately usable.
func Listen(addr string, s *Server) (*Instance, error) {
	if _, err := s.Authority().LeafCertificate(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	hs := &http.Server{
		Handler:           s.Handler(),
		TLSConfig:         s.Authority().ServerTLSConfig(),
		ReadHeaderTimeout: 30 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0), // TLS handshake noise from probing clients
	}
	inst := &Instance{URL: "https://" + ln.Addr().String(), Server: s, hs: hs, done: make(chan struct{})}
	go func() {
		defer close(inst.done)
		// ServeTLS (unlike Serve over a tls.Listener) offers HTTP/2 as Graph does, so clients multiplex
		// their requests over one connection instead of opening one per concurrent request.
		if err := hs.ServeTLS(ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) && s.cfg.Logf != nil {
			s.cfg.Logf("emulator: serve: %v", err)
		}
	}()
	return inst, nil
}

// Close shuts the HTTP server down gracefully (the Server itself stays open).
func (i *Instance) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := i.hs.Shutdown(ctx)
	if err != nil {
		err = i.hs.Close()
	}
	<-i.done
	return err
}
