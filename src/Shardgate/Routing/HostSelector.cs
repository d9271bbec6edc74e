using Shardgate.Network;

namespace Shardgate.Routing;

/// <summary>
/// Weighted least-loaded selection: among the shard's hosts not yet tried and below <c>max_concurrent</c>, the one
/// with the lowest (in-flight + 1) / weight wins, so a host of weight 2 carries twice the load of a host of weight 1
/// before it stops being preferred. Ties start from a random offset so equal hosts share load evenly.
/// </summary>
internal sealed class HostSelector(Random random)
{
    public HostSelector()
        : this(Random.Shared)
    {
    }

    /// <summary>Takes a slot on the best host, skipping <paramref name="tried"/>.</summary>
    public SelectionOutcome TryAcquire(ModelShard shard, IReadOnlyCollection<UpstreamHost>? tried, out UpstreamHost? host) =>
        TryAcquire(shard, tried, 0, out host);

    /// <summary>
    /// Takes a slot on the best host whose context window holds <paramref name="tokens"/> (hosts whose window is not
    /// known count as fitting), skipping <paramref name="tried"/>.
    /// </summary>
    public SelectionOutcome TryAcquire(ModelShard shard, IReadOnlyCollection<UpstreamHost>? tried, long tokens, out UpstreamHost? host)
    {
        var hosts = shard.Hosts;
        var count = hosts.Count;
        List<UpstreamHost>? lostRace = null;
        while (true)
        {
            host = null;
            var untried = false;
            var fitting = false;
            var bestScore = double.MaxValue;
            var start = count > 1 ? random.Next(count) : 0;
            for (var i = 0; i < count; i++)
            {
                var candidate = hosts[(start + i) % count];
                if (tried?.Contains(candidate) == true)
                {
                    continue;
                }

                untried = true;
                if (!shard.Fits((start + i) % count, tokens))
                {
                    continue;
                }

                fitting = true;
                var inFlight = candidate.InFlight;
                if (inFlight >= candidate.MaxConcurrent || lostRace?.Contains(candidate) == true)
                {
                    continue;
                }

                var score = (inFlight + 1) / candidate.Weight;
                if (score < bestScore)
                {
                    bestScore = score;
                    host = candidate;
                }
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
}
