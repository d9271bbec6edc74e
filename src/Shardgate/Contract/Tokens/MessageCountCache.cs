using System.Collections.Concurrent;

namespace Shardgate.Contract.Tokens;

/// <summary>
/// Token counts of long messages by their 64-bit hash (seeded per tokenizer). Bounded: when it holds
/// <see cref="TokenCountOptions.CachedMessages"/> it is emptied and fills again with what is current, which costs a
/// recount of live conversations once and never grows memory.
/// </summary>
internal sealed class MessageCountCache(TokenCountOptions options)
{
    private readonly ConcurrentDictionary<ulong, int> _counts = new();

    public bool TryGet(ulong key, out int count) => _counts.TryGetValue(key, out count);

    public void Add(ulong key, int count)
    {
        if (options.CachedMessages == 0)
        {
            return;
        }

        if (_counts.Count >= options.CachedMessages)
        {
            _counts.Clear();
        }

        _counts[key] = count;
    }
}
