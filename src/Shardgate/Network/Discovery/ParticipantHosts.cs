using Shardgate.Network.Chain;

namespace Shardgate.Network.Discovery;

/// <summary>
/// Turns the epoch's participants into hosts: one per participant, at its <c>inference_url</c>, serving its models.
/// A model's PoC weight is the sum over the participant's ML nodes for it (the participant's own weight when no node
/// reports one, the model's mean when neither does); routing uses it over the model's mean, so a participant of
/// average weight counts 1 beside an admin-registered node of weight 1.
/// </summary>
internal static class ParticipantHosts
{
    public static IReadOnlyList<DiscoveredHost> Build(ChainParticipants chain, DiscoveryOptions options, IReadOnlyList<DiscoveredHost> previous)
    {
        var raw = new List<(ChainParticipant Participant, string Model, long? Weight, int Nodes)>();
        foreach (var participant in chain.Participants.Where(p => p.Routable))
        {
            foreach (var model in participant.Models)
            {
                raw.Add((participant, model.ModelId, model.PocWeight ?? participant.Weight, model.Nodes.Count));
            }
        }

        var known = raw.Where(r => r.Weight is > 0).GroupBy(r => r.Model, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => (Mean: g.Average(r => (double)r.Weight!.Value), Sum: g.Sum(r => r.Weight!.Value)), StringComparer.OrdinalIgnoreCase);
        var hosts = new List<DiscoveredHost>();
        foreach (var group in raw.GroupBy(r => r.Participant))
        {
            var participant = group.Key;
            var excluded = Override(options, participant.Address)?.Exclude == true;
            var models = new List<DiscoveredModel>();
            foreach (var (_, model, weight, nodes) in group)
            {
                var stats = known.GetValueOrDefault(model, (Mean: 1.0, Sum: 0L));
                var poc = weight ?? (long)Math.Round(stats.Mean);
                models.Add(new DiscoveredModel(model, poc, stats.Sum > 0 ? (double)poc / stats.Sum : 0, stats.Mean > 0 ? poc / stats.Mean : 1, nodes));
            }

            hosts.Add(new DiscoveredHost(participant.Address, participant.InferenceUrl!, chain.Epoch, excluded ? "excluded" : "active", models));
        }

        var listed = hosts.Select(h => h.Address).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in previous)
        {
            if (!listed.Contains(gone.Address) && Override(options, gone.Address)?.Pin == true)
            {
                hosts.Add(gone with { State = "pinned" });
            }
        }

        hosts.Sort((a, b) => string.CompareOrdinal(a.Address, b.Address));
        return hosts;
    }

    /// <summary>The node routing gets for a discovered host; null when it is excluded.</summary>
    public static NodeSpec? ToNode(DiscoveredHost host, DiscoveryOptions options)
    {
        var custom = Override(options, host.Address);
        if (host.State == "excluded" || custom?.Exclude == true)
        {
            return null;
        }

        return new NodeSpec
        {
            Id = host.Address,
            BaseUrl = custom?.BaseUrl ?? host.InferenceUrl,
            MaxConcurrent = custom?.MaxConcurrent ?? options.MaxConcurrent,
            Models = host.Models.ToDictionary(
                m => m.ModelId,
                m => new NodeModelSpec { Weight = custom?.Weight ?? m.RoutingWeight, ContextWindow = custom?.ContextWindow },
                StringComparer.Ordinal),
        };
    }

    private static DiscoveredHostOverride? Override(DiscoveryOptions options, string address) => options.Hosts.GetValueOrDefault(address);
}
