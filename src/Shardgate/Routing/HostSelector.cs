using System.Diagnostics;
using Shardgate.Network;
using Shardgate.Network.Validation;
using Shardgate.Observability;

namespace Shardgate.Routing;

/// <summary>
/// Weighted least-loaded selection: among the shard's hosts not yet tried and below <c>max_concurrent</c>, the one
/// with the lowest (in-flight + 1) / weight wins (the weight is the network's for the node when the network source
/// reports one, else the registered weight), so a host of weight 2 carries twice the load of a host of weight 1
/// before it stops being preferred. Ties start from a random offset so equal hosts share load evenly.
/// </summary>
internal sealed class HostSelector(Random random, HealthTracker? health, INetworkState? network = null, HostSuspicion? suspicion = null)
{
    public HostSelector(HealthTracker health, INetworkState network, HostSuspicion suspicion)
        : this(Random.Shared, health, network, suspicion)
    {
    }

    public HostSelector(Random random)
        : this(random, null)
    {
    }

    public HostSelector()
        : this(Random.Shared, null)
    {
    }

    /// <summary>Takes a slot on the best host, skipping <paramref name="tried"/>.</summary>
    public SelectionOutcome TryAcquire(ModelShard shard, IReadOnlyCollection<UpstreamHost>? tried, out UpstreamHost? host) =>
        TryAcquire(shard, tried, 0, out host, out _);

    /// <summary>
    /// Takes a slot on the best host whose context window holds <paramref name="tokens"/> (hosts whose window is not
    /// known count as fitting), skipping <paramref name="tried"/>.
    /// </summary>
    /// <remarks>
    /// Resting hosts (cooling down or quarantined) are skipped; a host on probation counts at half its weight. When
    /// every fitting host rests, one request at a time may probe one (<paramref name="probe"/> is then true and the
    /// caller ends the probe with <see cref="HealthTracker.EndProbe"/>): traffic is never black-holed.
    /// A <paramref name="preferred"/> host (the one holding the prompt's prefix in its cache) wins when it can take the
    /// request and its utilization is within <paramref name="affinityWindow"/> of the best host's; otherwise affinity
    /// yields to load. A <paramref name="trace"/> span gets an event for each host passed over, and why.
    /// </remarks>
    public SelectionOutcome TryAcquire(ModelShard shard, IReadOnlyCollection<UpstreamHost>? tried, long tokens, out UpstreamHost? host, out bool probe, string? preferred = null, double affinityWindow = 0, Activity? trace = null)
    {
        probe = false;
        var hosts = shard.Hosts;
        var count = hosts.Count;
        var phase = network?.Current ?? NetworkPhase.Inference;
        List<UpstreamHost>? lostRace = null;
        while (true)
        {
            host = null;
            UpstreamHost? resting = null;
            UpstreamHost? sticky = null;
            var untried = false;
            var fitting = false;
            var anyAvailable = false;
            var bestScore = double.MaxValue;
            var start = count > 1 ? random.Next(count) : 0;
            for (var i = 0; i < count; i++)
            {
                var index = (start + i) % count;
                var candidate = hosts[index];
                if (tried?.Contains(candidate) == true)
                {
                    GatewayTracing.HostSkipped(trace, candidate.NodeId, "tried");
                    continue;
                }

                untried = true;
                if (!shard.Fits(index, tokens))
                {
                    GatewayTracing.HostSkipped(trace, candidate.NodeId, "context_window");
                    continue;
                }

                fitting = true;
                // A node the network weighs at zero has no compute to offer now (reference §4.4: score +∞).
                var weight = shard.WeightOf(index, phase) * (suspicion?.WeightFactor(candidate.NodeId) ?? 1);
                if (weight <= 0)
                {
                    GatewayTracing.HostSkipped(trace, candidate.NodeId, "zero_weight");
                    continue;
                }

                var factor = 1.0;
                var available = health is null || health.IsAvailable(candidate.NodeId, out factor);
                anyAvailable |= available;
                var inFlight = candidate.InFlight;
                if (inFlight >= candidate.MaxConcurrent || lostRace?.Contains(candidate) == true)
                {
                    GatewayTracing.HostSkipped(trace, candidate.NodeId, "full");
                    continue;
                }

                if (!available)
                {
                    GatewayTracing.HostSkipped(trace, candidate.NodeId, "resting");
                    resting ??= candidate;
                    continue;
                }

                if (preferred is not null && candidate.NodeId == preferred)
                {
                    sticky = candidate;
                }

                var score = (inFlight + 1) / (weight * factor);
                if (score < bestScore)
                {
                    bestScore = score;
                    host = candidate;
                }
            }

            if (sticky is not null && host is not null && sticky != host && Utilization(sticky) <= Utilization(host) + affinityWindow)
            {
                host = sticky;
            }

            // Probe only when no fitting host is available at all; healthy hosts that are merely full mean saturation.
            if (host is null && resting is not null && !anyAvailable)
            {
                if (!health!.TryBeginProbe(shard.ModelId))
                {
                    return SelectionOutcome.Unhealthy;
                }

                if (resting.TryAcquire())
                {
                    host = resting;
                    probe = true;
                    return SelectionOutcome.Acquired;
                }

                health.EndProbe(shard.ModelId);
            }

            if (host is null)
            {
                return !untried ? SelectionOutcome.Exhausted : !fitting ? SelectionOutcome.ContextTooLong : SelectionOutcome.Saturated;
            }

            if (host.TryAcquire())
            {
                return SelectionOutcome.Acquired;
            }

            // Another request took the last slot between the read and the acquire: look again without it.
            (lostRace ??= []).Add(host);
        }
    }

    private static double Utilization(UpstreamHost host) => (double)host.InFlight / host.MaxConcurrent;
}
