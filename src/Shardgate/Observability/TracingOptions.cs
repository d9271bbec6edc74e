using System.ComponentModel.DataAnnotations;
using Shardgate.Kernel;

namespace Shardgate.Observability;

/// <summary>Traces, from <c>Shardgate:Tracing</c>; they are exported when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or its traces variant) is set.</summary>
internal sealed record TracingOptions
{
    /// <summary>The share of new traces kept; a request that arrives with a <c>traceparent</c> follows its caller's decision.</summary>
    [Range(0.0, 1.0, ErrorMessage = SettingLimits.Between)]
    public double SampleRatio { get; init; } = 0.1;

    /// <summary>Puts the body sent to the host (the prompt) on the request's span. Off by default: prompts are the users' data.</summary>
    public bool RecordContent { get; init; }
}
