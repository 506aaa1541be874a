// Package route is the contract between the emulator's router and the Graph areas:
// an area hands the router a table of routes, each naming the permission it needs,
// and its handlers get a Deps instead of the whole server. It imports store, wire
// and odata.
package route

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/entragov/terraform-provider-entragov/internal/emulator/odata"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/store"
	"github.com/entragov/terraform-provider-entragov/internal/emulator/wire"
)

// Params are the values of the {name} segments of the matched pattern.
type Params map[string]string

// Handler serves one method of one pattern. A returned *wire.Error is written as
// Graph's error body, any other error as a 500.
type Handler func(w http.ResponseWriter, r *http.Request, p Params) error

// Kind tells the router how to guard a route.
type Kind int

const (
	// Graph routes need a valid token and their Permission; /v1.0 paths also see faults.
	Graph Kind = iota
	// Auth routes (OAuth2, OpenID, federation IdP) need no token and see no faults.
	Auth
	// Control routes (/_emulator) answer loopback callers only and are not counted.
	Control
)

// Permission is what a Graph route needs from the caller's token. The router checks
// it (identity.Claims.Allows); the areas name it.
type Permission struct {
	// AnyOf are application permissions (the token's roles claim); any one allows the
	// call. Empty means a valid token is enough.
	AnyOf []string
	// Denied is the 403 answered otherwise; nil means Graph's generic 403 UnAuthorized.
	Denied *wire.Error
}

// Route is one entry of a route table: one method of one path pattern, where a
// {name} segment matches any single segment.
type Route struct {
	Method     string
	Pattern    string
	Kind       Kind
	Permission Permission
	Handler    Handler
}

// Table is a route table under construction: an area's routes in match order.
type Table []Route

// Add appends the entries of one pattern served by several methods, each with the
// permission perm(method) gives (nil: none, for Auth and Control routes).
func (t *Table) Add(kind Kind, perm func(method string) Permission, pattern string, handlers map[string]Handler) {
	*t = append(*t, expand(kind, pattern, perm, handlers)...)
}

// expand expands one pattern served by several methods into table entries, with the
// permission perm(method) gives.
func expand(kind Kind, pattern string, perm func(method string) Permission, handlers map[string]Handler) []Route {
	out := make([]Route, 0, len(handlers))
	// A fixed order keeps tables comparable; the router looks routes up by method anyway.
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		h, ok := handlers[m]
		if !ok {
			continue
		}
		var p Permission
		if perm != nil {
			p = perm(m)
		}
		out = append(out, Route{Method: m, Pattern: pattern, Kind: kind, Permission: p, Handler: h})
	}
	return out
}

// IsRead is true for the methods the read permissions allow.
func IsRead(method string) bool { return method == http.MethodGet || method == http.MethodHead }

// ReadWrite is the usual Graph rule for a permission family: reads need
// <family>.Read.All or <family>.ReadWrite.All, writes <family>.ReadWrite.All.
func ReadWrite(family string) func(method string) Permission {
	return func(method string) Permission {
		if IsRead(method) {
			return Permission{AnyOf: []string{family + ".Read.All", family + ".ReadWrite.All"}}
		}
		return Permission{AnyOf: []string{family + ".ReadWrite.All"}}
	}
}

// FaultHooks are the fault switches that act inside handlers; the router applies
// the others (throttling, errors, latency, dropped connections) before a handler runs.
type FaultHooks struct {
	// Hidden reports whether an object created at t is still invisible to reads
	// (the ReadAfterCreateDelay fault).
	Hidden func(created time.Time) bool
	// PolicyCreateConflict and DeliveryFailure report whether those faults are on.
	PolicyCreateConflict func() bool
	DeliveryFailure      func() bool
}

// Deps is what a Graph area's handlers need from the server.
type Deps struct {
	Store    *store.Store
	Now      func() time.Time
	PageSize int // default page size of collections
	// WriteMu serialises read-validate-write sequences of handlers (SQLite has one
	// connection anyway); it keeps checks such as "does the catalog exist" atomic.
	WriteMu *sync.Mutex
	Fault   FaultHooks
	// Schedule registers a time-driven effect due at a time of the clock Now reads (the
	// server's scheduler, clock.go of the top package): it runs when the clock gets there,
	// by real time or by a move of the clock, with its due time. Nil registers nothing.
	Schedule func(due time.Time, what string, effect func(at time.Time))
}

// At registers a time-driven effect through Schedule (nothing when there is no scheduler).
func (d *Deps) At(due time.Time, what string, effect func(at time.Time)) {
	if d.Schedule != nil {
		d.Schedule(due, what, effect)
	}
}

// Timestamp formats now like Graph: UTC, Z, seven fractional digits.
func (d *Deps) Timestamp() string {
	return d.Now().UTC().Format("2006-01-02T15:04:05.0000000Z")
}

// GetVisible reads an object for a Graph GET, honouring the replication-delay fault.
func (d *Deps) GetVisible(collection, id string) (*store.Record, error) {
	rec, err := d.Store.Get(collection, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && d.Fault.Hidden(rec.CreatedAt)) {
		return nil, wire.NotFound(id)
	}
	return rec, err
}

// ParseQuery reads $filter, $top, $skiptoken, $count and $select at the configured
// page size.
func (d *Deps) ParseQuery(r *http.Request, filterable []string) (*odata.Query, error) {
	return odata.ParseQuery(r, filterable, d.PageSize)
}

// SplitPath splits a URL path into its segments.
func SplitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// HasPrefixFold is strings.HasPrefix ignoring case (Graph paths are case-insensitive).
func HasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// ControlError answers a control API call about a missing object with 404 itemNotFound.
func ControlError(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return &wire.Error{Status: http.StatusNotFound, Code: "itemNotFound", Message: err.Error()}
	}
	return err
}

// Visible drops the records the replication-delay fault still hides.
func (d *Deps) Visible(recs []*store.Record) []*store.Record {
	out := recs[:0:0]
	for _, rec := range recs {
		if !d.Fault.Hidden(rec.CreatedAt) {
			out = append(out, rec)
		}
	}
	return out
}
