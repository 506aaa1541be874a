package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entragov/terraform-provider-entragov/internal/graph"
)

// graphLogSubsystem groups the Graph client's lines so that TF_LOG_PROVIDER_ENTRAGOV_GRAPH can tune them.
const graphLogSubsystem = "graph"

// tflogAdapter routes the Graph client's log lines to tflog through the context of the Terraform
// operation that made the call. Bodies arrive already redacted; the secret-bearing fields are masked
// again here so that a future log line cannot leak them by accident.
type tflogAdapter struct{}

var _ graph.Logger = tflogAdapter{}

func (tflogAdapter) Log(ctx context.Context, level graph.Level, msg string, fields map[string]any) {
	if graphLogsOff.Load() {
		return
	}
	ctx = tflog.NewSubsystem(ctx, graphLogSubsystem)
	ctx = tflog.SubsystemMaskFieldValuesWithFieldKeys(ctx, graphLogSubsystem, "authorization", "client_secret", "access_token")
	switch level {
	case graph.LevelError:
		tflog.SubsystemError(ctx, graphLogSubsystem, msg, fields)
	case graph.LevelWarn:
		tflog.SubsystemWarn(ctx, graphLogSubsystem, msg, fields)
	case graph.LevelInfo:
		tflog.SubsystemInfo(ctx, graphLogSubsystem, msg, fields)
	default:
		tflog.SubsystemDebug(ctx, graphLogSubsystem, msg, fields)
	}
}
