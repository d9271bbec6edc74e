using Shardgate.Network;

namespace Shardgate.Routing;

/// <summary>
/// Remembers which host last served each prompt prefix, in a bounded LRU (peers' unbounded prefix tries ran routers
/// out of memory). A host that served a prefix holds it in its KV cache, so sending the next turn there skips
/// prefill. A prompt this replica has not seen goes to its rendezvous home (<see cref="Rendezvous"/>), the host every
/// other replica would pick for it too, so affinity holds across replicas without shared memory.
/// </summary>
internal sealed class PromptAffinity(AffinityOptions options)
{
    private readonly Dictionary<ulong, LinkedListNode<(ulong Key, string Node)>> _index = new(Math.Min(options.Entries, 1 << 16));
    private readonly LinkedList<(ulong Key, string Node)> _order = new();
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _index.Count;
            }
        }
    }

    /// <summary>The host that served the explicit key, else the longest known prefix, else the prompt's rendezvous home among <paramref name="hosts"/>.</summary>
    public string? Preferred(AffinityKeys keys, IReadOnlyList<UpstreamHost> hosts) => Remembered(keys) ?? Rendezvous.Home(keys, hosts);

    /// <summary>The host that served the explicit key, else the longest known prefix; null when none is known.</summary>
    public string? Remembered(AffinityKeys keys)
    {
        lock (_gate)
        {
            if (keys.Explicit is { } key && _index.TryGetValue(key, out var byKey))
            {
                return byKey.Value.Node;
            }

            for (var i = keys.Prefixes.Count - 1; i >= 0; i--)
            {
                if (_index.TryGetValue(keys.Prefixes[i], out var node))
                {
                    return node.Value.Node;
                }
            }
        }

        return null;
    }

    /// <summary>Records that <paramref name="nodeId"/> now holds these prefixes.</summary>
    public void Remember(AffinityKeys keys, string nodeId)
    {
        if (options.Entries <= 0)
        {
            return;
        }

        lock (_gate)
        {
            if (keys.Explicit is { } key)
            {
                Touch(key, nodeId);
            }

            foreach (var prefix in keys.Prefixes)
            {
                Touch(prefix, nodeId);
            }
        }
    }

    private void Touch(ulong key, string nodeId)
    {
        if (_index.TryGetValue(key, out var node))
        {
            _order.Remove(node);
            node.Value = (key, nodeId);
            _order.AddFirst(node);
            return;
        }

        if (_index.Count >= options.Entries)
        {
            _index.Remove(_order.Last!.Value.Key);
            _order.RemoveLast();
        }

        _index[key] = _order.AddFirst((key, nodeId));
    }
}
