namespace Shardgate.Network;

/// <summary>
/// The routing view of the network: model id to shard. Rebuilt as an immutable snapshot whenever the node set
/// changes and swapped atomically, so the request path reads it without locks.
/// </summary>
internal sealed class HostRegistry
{
    private volatile Snapshot _snapshot = Snapshot.Empty;
    private readonly Lock _rebuild = new();

    /// <summary>Served model ids, sorted.</summary>
    public IReadOnlyList<string> ModelIds => _snapshot.ModelIds;

    public IReadOnlyCollection<ModelShard> Shards => _snapshot.ByModel.Values;

    /// <summary>Finds a model's shard; ids match case-insensitively and the shard carries the canonical id.</summary>
    public bool TryGetShard(string model, out ModelShard shard) => _snapshot.ByModel.TryGetValue(model, out shard!);

    public UpstreamHost? FindHost(string nodeId) => _snapshot.ByNode.GetValueOrDefault(nodeId);

    public void Load(IEnumerable<NodeSpec> nodes)
    {
        lock (_rebuild)
        {
            var previous = _snapshot.ByNode;
            var byNode = new Dictionary<string, UpstreamHost>(StringComparer.Ordinal);
            var hostsByModel = new Dictionary<string, (string Canonical, List<UpstreamHost> Hosts, List<int?> Windows, List<double?> Weights, int? Window)>(StringComparer.OrdinalIgnoreCase);
            foreach (var node in nodes)
            {
                if (!node.Enabled)
                {
                    continue;
                }

                var baseUri = node.ResolveBaseUri();
                var host = previous.TryGetValue(node.Id, out var existing) && existing.SameAs(baseUri, node.MaxConcurrent, node.Weight)
                    ? existing
                    : new UpstreamHost(node.Id, baseUri, node.MaxConcurrent, node.Weight);
                byNode[node.Id] = host;
                foreach (var (model, spec) in node.Models)
                {
                    if (!hostsByModel.TryGetValue(model, out var entry))
                    {
                        entry = (model, [], [], [], null);
                    }

                    entry.Hosts.Add(host);
                    var window = spec.ResolveContextWindow();
                    entry.Windows.Add(window);
                    entry.Weights.Add(spec.Weight);
                    if (window is not null && (entry.Window is null || window > entry.Window))
                    {
                        entry.Window = window;
                    }

                    hostsByModel[model] = entry;
                }
            }

            var byModel = new Dictionary<string, ModelShard>(StringComparer.OrdinalIgnoreCase);
            foreach (var (_, (canonical, hosts, windows, weights, window)) in hostsByModel)
            {
                byModel[canonical] = new ModelShard(canonical, hosts.ToArray(), window, windows.ToArray()) { Weights = weights.ToArray() };
            }

            var ids = byModel.Values.Select(s => s.ModelId).Order(StringComparer.Ordinal).ToArray();
            _snapshot = new Snapshot(byModel, byNode, ids);
        }
    }

    private sealed record Snapshot(
        Dictionary<string, ModelShard> ByModel,
        IReadOnlyDictionary<string, UpstreamHost> ByNode,
        IReadOnlyList<string> ModelIds)
    {
        public static Snapshot Empty { get; } = new(
            new Dictionary<string, ModelShard>(StringComparer.OrdinalIgnoreCase),
            new Dictionary<string, UpstreamHost>(StringComparer.Ordinal),
            []);
    }
}
