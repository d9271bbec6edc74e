using System.Collections.Concurrent;

namespace Shardgate.Network.Validation;

/// <summary>
/// Each host's last <see cref="ValidationOptions.Window"/> verdicts. A host with <see cref="ValidationOptions.Divergent"/>
/// or more divergent ones is suspect, and stops being so when enough agreeing samples push them out of the window; an
/// operator decides whether to quarantine it (disable the node, or exclude the participant). Kept per replica.
/// </summary>
internal sealed class HostSuspicion(ValidationOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Verdicts> _hosts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _suspects = new(StringComparer.Ordinal);

    public int SuspectCount => _suspects.Count;

    /// <summary>The factor on the host's weight in selection: <see cref="ValidationOptions.SuspectWeight"/> while suspect, else 1.</summary>
    public double WeightFactor(string nodeId) => !_suspects.IsEmpty && _suspects.ContainsKey(nodeId) ? options.SuspectWeight : 1;

    public bool IsSuspect(string nodeId) => _suspects.ContainsKey(nodeId);

    /// <summary>Adds a verdict; returns whether the host became suspect (true), stopped being suspect (false), or neither (null).</summary>
    public bool? Record(string nodeId, bool divergent)
    {
        var record = _hosts.GetOrAdd(nodeId, static _ => new Verdicts());
        bool suspect;
        lock (record)
        {
            record.Samples++;
            record.Diverged += divergent ? 1 : 0;
            record.Window.Enqueue(divergent);
            while (record.Window.Count > options.Window)
            {
                record.Window.Dequeue();
            }

            suspect = record.Window.Count(d => d) >= options.Divergent;
        }

        if (suspect)
        {
            return _suspects.TryAdd(nodeId, time.GetUtcNow()) ? true : null;
        }

        return _suspects.TryRemove(nodeId, out _) ? false : null;
    }

    /// <summary>Forgets a host's window (after an operator looked into it); false when it has no record.</summary>
    public bool Clear(string nodeId)
    {
        _suspects.TryRemove(nodeId, out _);
        return _hosts.TryRemove(nodeId, out _);
    }

    public IReadOnlyList<HostValidationState> Snapshot()
    {
        var states = new List<HostValidationState>();
        foreach (var (nodeId, record) in _hosts)
        {
            lock (record)
            {
                states.Add(new HostValidationState(nodeId, record.Samples, record.Diverged, record.Window.Count, record.Window.Count(d => d), _suspects.ContainsKey(nodeId), _suspects.TryGetValue(nodeId, out var since) ? since : null));
            }
        }

        states.Sort((a, b) => string.CompareOrdinal(a.NodeId, b.NodeId));
        return states;
    }

    private sealed class Verdicts
    {
        public Queue<bool> Window { get; } = new();

        public int Samples { get; set; }

        public int Diverged { get; set; }
    }
}
