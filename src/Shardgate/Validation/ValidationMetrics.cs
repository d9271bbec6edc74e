using System.Diagnostics.Metrics;
using Shardgate.Network.Validation;

namespace Shardgate.Validation;

/// <summary>Validation sampling, on one meter: replays by outcome, what they cost, and which hosts are suspect.</summary>
internal sealed class ValidationMetrics
{
    public const string MeterName = "Shardgate.Validation";

    private readonly Counter<long> _samples;
    private readonly Counter<long> _skipped;
    private readonly Counter<long> _cost;

    public ValidationMetrics(IMeterFactory meterFactory, HostSuspicion suspicion)
    {
        var meter = meterFactory.Create(MeterName);
        _samples = meter.CreateCounter<long>("shardgate.validation.samples", "{sample}", "Replays of sampled requests, by model, the host that answered and the outcome (agreed, diverged, inconclusive, not_executable, replay_failed).");
        _skipped = meter.CreateCounter<long>("shardgate.validation.skipped", "{sample}", "Sampled requests not replayed, by reason.");
        _cost = meter.CreateCounter<long>("shardgate.validation.cost", "{ngonka}", "Ngonka charged to the broker's account for replays.");
        meter.CreateObservableGauge("shardgate.validation.suspect", () => Suspects(suspicion), "{host}", "1 for each host whose recent samples diverged beyond the threshold (suspect).");
    }

    public void Sampled(string model, string nodeId, string outcome) =>
        _samples.Add(1, new("model", model), new("node", nodeId), new("outcome", outcome));

    public void Charged(string model, long cost)
    {
        if (cost > 0)
        {
            _cost.Add(cost, new KeyValuePair<string, object?>("model", model));
        }
    }

    public void Skipped(string reason) => _skipped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    private static IEnumerable<Measurement<int>> Suspects(HostSuspicion suspicion) =>
        suspicion.Snapshot().Where(s => s.Suspect).Select(s => new Measurement<int>(1, new KeyValuePair<string, object?>("node", s.NodeId)));
}
