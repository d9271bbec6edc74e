namespace Shardgate.Network.Economics;

/// <summary>
/// Counts what hosts do, in memory, until <see cref="HostEarningsFlusher"/> adds it to the store; a replica that
/// stops flushes first, one that crashes loses at most a flush interval of counts (the request log stays exact).
/// </summary>
internal sealed class HostEarnings(INetworkState network)
{
    private readonly Lock _gate = new();
    private Dictionary<(string Node, long Epoch, string Model), Counts> _pending = [];

    public void Served(string nodeId, string model, long inputTokens, long outputTokens, long earned) =>
        Add(nodeId, model, c =>
        {
            c.Requests++;
            c.InputTokens += inputTokens;
            c.OutputTokens += outputTokens;
            c.Earned += earned;
        });

    public void Missed(string nodeId, string model) => Add(nodeId, model, c => c.Missed++);

    public void Failed(string nodeId, string model) => Add(nodeId, model, c => c.Failed++);

    /// <summary>Takes everything counted so far.</summary>
    public IReadOnlyCollection<HostEpochStats> Drain()
    {
        Dictionary<(string Node, long Epoch, string Model), Counts> taken;
        lock (_gate)
        {
            (taken, _pending) = (_pending, []);
        }

        return [.. taken.Select(p => new HostEpochStats(p.Key.Node, p.Key.Epoch, p.Key.Model, p.Value.Requests, p.Value.InputTokens, p.Value.OutputTokens, p.Value.Earned, p.Value.Missed, p.Value.Failed))];
    }

    private void Add(string nodeId, string model, Action<Counts> add)
    {
        var key = (nodeId, network.Epoch ?? 0, model);
        lock (_gate)
        {
            if (!_pending.TryGetValue(key, out var counts))
            {
                _pending[key] = counts = new Counts();
            }

            add(counts);
        }
    }

    private sealed class Counts
    {
        public long Requests;
        public long InputTokens;
        public long OutputTokens;
        public long Earned;
        public long Missed;
        public long Failed;
    }
}
