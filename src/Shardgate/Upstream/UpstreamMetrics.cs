using System.Diagnostics;
using System.Diagnostics.Metrics;
using Shardgate.Network;
using Shardgate.Routing;

namespace Shardgate.Upstream;

/// <summary>
/// The hosts as forwarding sees them, on one meter: each host's in-flight requests and health state (read when a
/// scrape asks), its first-token latency, its failures by kind, the requests retried away from it, and the hedges it
/// received and won. Model and node tags come from the registry, never from a request.
/// </summary>
internal sealed class UpstreamMetrics
{
    public const string MeterName = "Shardgate.Upstream";

    private static readonly (HealthStatus Status, string Name)[] States =
        [(HealthStatus.Healthy, "healthy"), (HealthStatus.CoolingDown, "cooling"), (HealthStatus.Quarantined, "quarantined"), (HealthStatus.Probation, "probation")];

    private readonly Histogram<double> _timeToFirstToken;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _hedges;
    private readonly Counter<long> _hedgesWon;
    private readonly Counter<long> _toolCallsMissing;

    public UpstreamMetrics(IMeterFactory meterFactory, HostRegistry registry, HealthTracker health)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("shardgate.host.in_flight", () => InFlight(registry), "{request}", "Requests a host is serving now; compare with its max_concurrent (shardgate.host.max_concurrent).");
        meter.CreateObservableGauge("shardgate.host.max_concurrent", () => MaxConcurrent(registry), "{request}", "The concurrency limit registered for a host.");
        meter.CreateObservableGauge("shardgate.host.health", () => Health(registry, health), "1", "1 for a host's current health state (healthy, cooling, quarantined, probation), 0 for the others.");
        _timeToFirstToken = meter.CreateHistogram("shardgate.host.time_to_first_token", "s", "Time from sending a stream to a host to its first content.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Observability.LatencyBuckets.FirstToken });
        _failures = meter.CreateCounter<long>("shardgate.host.failures", "{failure}", "Host failures by kind: busy (429/503), transport (refused, timeout, 5xx), soft (cut before output, empty, slower than a hedge), stall (silent mid-stream).");
        _retries = meter.CreateCounter<long>("shardgate.host.retries", "{request}", "Requests that failed on a host before output and were tried on another.");
        _hedges = meter.CreateCounter<long>("shardgate.host.hedges", "{request}", "Hedged attempts a host received because another host had shown no content in time.");
        _hedgesWon = meter.CreateCounter<long>("shardgate.host.hedges_won", "{request}", "Hedged attempts on a host that produced content first and were relayed.");
        _toolCallsMissing = meter.CreateCounter<long>("shardgate.tool_call.missing", "{answer}", "Answers held back because an emulated tool_choice \"required\" got no tool call, by what followed: retried (with an instruction), no_budget (refused: too little output budget left), refused (the retry had no call either).");
    }

    public void FirstToken(string model, string nodeId, TimeSpan elapsed) => _timeToFirstToken.Record(elapsed.TotalSeconds, Tags(model, nodeId));

    public void Failure(string model, string nodeId, HostFault fault)
    {
        var tags = Tags(model, nodeId);
        tags.Add("kind", fault switch
        {
            HostFault.Busy => "busy",
            HostFault.Transport => "transport",
            HostFault.Stall => "stall",
            _ => "soft",
        });
        _failures.Add(1, tags);
    }

    public void Retried(string model, string nodeId) => _retries.Add(1, Tags(model, nodeId));

    public void HedgeFired(string model, string nodeId) => _hedges.Add(1, Tags(model, nodeId));

    public void HedgeWon(string model, string nodeId) => _hedgesWon.Add(1, Tags(model, nodeId));

    public void ToolCallRetried(string model, string outcome) => _toolCallsMissing.Add(1, new TagList { { "model", model }, { "outcome", outcome } });

    private static TagList Tags(string model, string nodeId) => new() { { "model", model }, { "node", nodeId } };

    private static IEnumerable<Measurement<long>> InFlight(HostRegistry registry) =>
        registry.Shards.SelectMany(shard => shard.Hosts.Select(host => new Measurement<long>(host.InFlight, Tags(shard.ModelId, host.NodeId))));

    private static IEnumerable<Measurement<long>> MaxConcurrent(HostRegistry registry) =>
        registry.Shards.SelectMany(shard => shard.Hosts.Select(host => new Measurement<long>(host.MaxConcurrent, Tags(shard.ModelId, host.NodeId))));

    private static IEnumerable<Measurement<int>> Health(HostRegistry registry, HealthTracker health)
    {
        foreach (var shard in registry.Shards)
        {
            foreach (var host in shard.Hosts)
            {
                var status = health.Get(host.NodeId).Status;
                foreach (var (state, name) in States)
                {
                    var tags = Tags(shard.ModelId, host.NodeId);
                    tags.Add("state", name);
                    yield return new Measurement<int>(status == state ? 1 : 0, tags);
                }
            }
        }
    }
}
