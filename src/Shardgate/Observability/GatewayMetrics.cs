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
    private readonly Counter<long> _hedges;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("shardgate.requests", "{request}", "Chat requests by model and outcome.");
        _duration = meter.CreateHistogram<double>("shardgate.request.duration", "s", "Time from request start to the last byte.");
        _timeToFirstToken = meter.CreateHistogram<double>("shardgate.request.time_to_first_token", "s", "Time from request start to the first byte of host output.");
        _retries = meter.CreateCounter<long>("shardgate.upstream.retries", "{attempt}", "Attempts that failed before output and moved to another host.");
        _hedges = meter.CreateCounter<long>("shardgate.upstream.hedges", "{request}", "Streams hedged on a second host, by which attempt produced content first.");
    }

    /// <summary>One finished chat request. <paramref name="model"/> is a registered id or <c>unknown</c>, never a client's string.</summary>
    public void RecordRequest(string model, string outcome, double durationSeconds, double? timeToFirstTokenMs, string? hedgeWinner, int attempts)
    {
        var modelTag = new KeyValuePair<string, object?>("model", model);
        var outcomeTag = new KeyValuePair<string, object?>("outcome", outcome);
        _requests.Add(1, modelTag, outcomeTag);
        _duration.Record(durationSeconds, modelTag, outcomeTag);
        if (timeToFirstTokenMs is { } ttft)
        {
            _timeToFirstToken.Record(ttft / 1000, modelTag);
        }

        if (hedgeWinner is not null)
        {
            _hedges.Add(1, modelTag, new KeyValuePair<string, object?>("winner", hedgeWinner));
        }

        var retries = attempts - (hedgeWinner is null ? 1 : 2);
        if (retries > 0)
        {
            _retries.Add(retries, modelTag);
        }
    }
}
