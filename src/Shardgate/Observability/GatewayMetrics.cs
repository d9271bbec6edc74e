using System.Diagnostics.Metrics;

namespace Shardgate.Observability;

/// <summary>The gateway's request metrics, on one meter, in OpenTelemetry naming and units.</summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "Shardgate.Gateway";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Counter<long> _retries;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("shardgate.requests", "{request}", "Chat requests by model and outcome.");
        _duration = meter.CreateHistogram<double>("shardgate.request.duration", "s", "Time from request start to the last byte.");
        _timeToFirstToken = meter.CreateHistogram<double>("shardgate.request.time_to_first_token", "s", "Time from request start to the first byte of host output.");
        _retries = meter.CreateCounter<long>("shardgate.upstream.retries", "{attempt}", "Attempts that failed before output and moved to another host.");
    }

    public void RecordRequest(RequestTrace trace, double durationSeconds)
    {
        var model = new KeyValuePair<string, object?>("model", trace.Model ?? "none");
        var outcome = new KeyValuePair<string, object?>("outcome", trace.Outcome);
        _requests.Add(1, model, outcome);
        _duration.Record(durationSeconds, model, outcome);
        if (trace.TimeToFirstTokenMs is { } ttft)
        {
            _timeToFirstToken.Record(ttft / 1000, model);
        }

        if (trace.Attempts > 1)
        {
            _retries.Add(trace.Attempts - 1, model);
        }
    }
}
