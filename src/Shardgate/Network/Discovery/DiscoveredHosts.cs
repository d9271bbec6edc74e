using Microsoft.Extensions.Logging;
using Shardgate.Network.Chain;
using Shardgate.Observability;

namespace Shardgate.Network.Discovery;

/// <summary>
/// The hosts the chain lists, kept between polls. A new list replaces the old one only when it was read whole;
/// a list with no participant at all never empties a known set, because a chain API that answers but lists nobody
/// is far likelier broken than a network with no hosts.
/// </summary>
internal sealed class DiscoveredHosts(DiscoveryOptions options, ILogger<DiscoveredHosts> logger)
{
    private volatile IReadOnlyList<DiscoveredHost> _hosts = [];
    private volatile IReadOnlyList<NodeSpec> _nodes = [];
    private Dictionary<string, int> _counts = [];

    public IReadOnlyList<DiscoveredHost> Hosts => _hosts;

    /// <summary>The routable nodes: every discovered host but the excluded.</summary>
    public IReadOnlyList<NodeSpec> Nodes => _nodes;

    public DiscoveredHost? Find(string address) => _hosts.FirstOrDefault(h => h.Address == address);

    /// <summary>Takes a newly read participant list; true when routing must be rebuilt.</summary>
    public bool Apply(ChainParticipants chain)
    {
        if (!chain.Participants.Any(p => p.Routable) && _hosts.Count > 0)
        {
            GatewayLog.DiscoveryListedNobody(logger, _hosts.Count);
            return false;
        }

        var hosts = ParticipantHosts.Build(chain, options, _hosts);
        var nodes = hosts.Select(h => ParticipantHosts.ToNode(h, options)).OfType<NodeSpec>().ToArray();
        var changed = !SameRouting(_nodes, nodes);
        _hosts = hosts;
        _nodes = nodes;
        LogCounts(nodes, chain);
        return changed;
    }

    private void LogCounts(IReadOnlyList<NodeSpec> nodes, ChainParticipants chain)
    {
        var counts = nodes.SelectMany(n => n.Models.Keys).GroupBy(m => m, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        if (counts.Count == _counts.Count && counts.All(c => _counts.TryGetValue(c.Key, out var before) && before == c.Value))
        {
            return;
        }

        _counts = counts;
        foreach (var (model, count) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            GatewayLog.HostsDiscovered(logger, count, model, chain.Epoch);
        }

        var skipped = chain.Skipped + chain.Participants.Count(p => !p.Routable);
        if (skipped > 0)
        {
            GatewayLog.ParticipantsSkipped(logger, skipped);
        }
    }

    private static bool SameRouting(IReadOnlyList<NodeSpec> before, NodeSpec[] after) =>
        before.Count == after.Length && before.Zip(after).All(p => p.First.Id == p.Second.Id && p.First.BaseUrl == p.Second.BaseUrl
            && p.First.MaxConcurrent == p.Second.MaxConcurrent
            && p.First.Models.Count == p.Second.Models.Count
            && p.First.Models.All(m => p.Second.Models.TryGetValue(m.Key, out var other) && other.Weight == m.Value.Weight && other.ContextWindow == m.Value.ContextWindow));
}
