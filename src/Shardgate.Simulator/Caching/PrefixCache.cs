namespace Shardgate.Simulator.Caching;

/// <summary>
/// Emulates vLLM's automatic prefix caching: remembers hashes of recently seen prompt prefixes (cut at message
/// boundaries) in a bounded LRU, and reports how many prompt tokens a new request can skip in prefill.
/// </summary>
internal sealed class PrefixCache(int capacity)
{
    private readonly Dictionary<ulong, LinkedListNode<ulong>> _index = new(capacity);
    private readonly LinkedList<ulong> _order = new();
    private readonly Lock _lock = new();

    /// <summary>Returns the cached token count of the longest known prefix, then remembers every prefix.</summary>
    public int LookupAndRemember(IReadOnlyList<(ulong Hash, int Tokens)> prefixes)
    {
        if (capacity <= 0)
        {
            return 0;
        }

        lock (_lock)
        {
            var cached = 0;
            for (var i = prefixes.Count - 1; i >= 0; i--)
            {
                if (_index.ContainsKey(prefixes[i].Hash))
                {
                    cached = prefixes[i].Tokens;
                    break;
                }
            }

            foreach (var (hash, _) in prefixes)
            {
                Touch(hash);
            }

            return cached;
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _index.Count;
            }
        }
    }

    private void Touch(ulong hash)
    {
        if (_index.TryGetValue(hash, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            return;
        }

        if (_index.Count >= capacity)
        {
            var last = _order.Last!;
            _order.RemoveLast();
            _index.Remove(last.Value);
        }

        _index[hash] = _order.AddFirst(hash);
    }
}
