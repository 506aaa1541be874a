package graph

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Level is the severity of a log line.
type Level int

const (
	LevelDebug Level = iota
	LevelInfo
	LevelWarn
	LevelError
)

// Logger receives the client's log lines with the context of the call that produced them, so that the
// provider can route them to tflog with the right request scope.
type Logger interface {
	Log(ctx context.Context, level Level, msg string, fields map[string]any)
}

func (c *Client) log(ctx context.Context, level Level, msg string, fields map[string]any) {
	if c.logger != nil {
		c.logger.Log(ctx, level, msg, fields)
	}
}

// secretKey matches JSON property names whose values must never reach a log.
var secretKey = regexp.MustCompile(`(?i)(secret|password|token|assertion|credential|privatekey)`)

// maxLoggedBody keeps debug logs readable on large collections.
const maxLoggedBody = 16 << 10

// redactBody renders a JSON body for the log with secret-looking values replaced.
func redactBody(body []byte) string {
	if len(body) == 0 {
		return ""
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return "[non-JSON body, " + strconv.Itoa(len(body)) + " bytes]"
	}
	redactValue(v)
	out, err := json.Marshal(v)
	if err != nil {
		return "[unprintable body]"
	}
	return truncate(string(out), maxLoggedBody)
}

func redactValue(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if _, isString := val.(string); isString && secretKey.MatchString(k) {
				t[k] = "[REDACTED]"
				continue
			}
			redactValue(val)
		}
	case []any:
		for _, val := range t {
			redactValue(val)
		}
	}
}

// redactedURL is the request URL without user info and with secret-looking query values hidden.
func redactedURL(req *http.Request) string {
	if req == nil || req.URL == nil {
		return ""
	}
	u := *req.URL
	u.User = nil
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			if secretKey.MatchString(k) {
				q.Set(k, "[REDACTED]")
			}
		}
		u.RawQuery = q.Encode()
	}
	s, err := url.PathUnescape(u.String())
	if err != nil {
		return u.String()
	}
	return strings.ReplaceAll(s, "%20", " ")
}
