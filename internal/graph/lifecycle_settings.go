package graph

import (
	"context"
	"net/http"
)

const lifecycleSettingsPath = lwPath + "/settings"

// LifecycleSettings is the tenant's lifecycle management settings singleton (spec 2.6).
type LifecycleSettings struct {
	WorkflowScheduleIntervalInHours int                     `json:"workflowScheduleIntervalInHours"`
	EmailSettings                   *LifecycleEmailSettings `json:"emailSettings,omitempty"`
}

// LifecycleEmailSettings are the sender domain and branding of the mails workflows send.
type LifecycleEmailSettings struct {
	SenderDomain       string `json:"senderDomain"`
	UseCompanyBranding bool   `json:"useCompanyBranding"`
}

// Bounds and defaults of the settings (spec 2.6). The email defaults are those of a new tenant: the
// Microsoft sender domain (empty) without company branding [U].
const (
	MinWorkflowScheduleIntervalInHours     = 1
	MaxWorkflowScheduleIntervalInHours     = 24
	DefaultWorkflowScheduleIntervalInHours = 3
)

// GetLifecycleSettings reads the singleton.
func (c *Client) GetLifecycleSettings(ctx context.Context) (*LifecycleSettings, error) {
	var out LifecycleSettings
	if err := c.do(ctx, request{method: http.MethodGet, path: lifecycleSettingsPath}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateLifecycleSettings patches the singleton; Graph answers 204.
func (c *Client) UpdateLifecycleSettings(ctx context.Context, in LifecycleSettings) error {
	return c.do(ctx, request{method: http.MethodPatch, path: lifecycleSettingsPath, body: in}, nil)
}
