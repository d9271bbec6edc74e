namespace Shardgate.Catalog;

/// <summary>
/// Alias names that end in <c>*</c> match any model name they prefix (<c>claude-opus-*</c> takes
/// <c>claude-opus-4-8</c> and every later Opus), case-insensitively; the longest prefix wins. Clients such as Claude
/// Code send their vendor's newest model names, which change every few weeks, so an exact alias would go stale.
/// </summary>
internal sealed class AliasPatterns<T>
{
    private readonly KeyValuePair<string, T>[] _byLongestPrefix;

    public AliasPatterns(IEnumerable<KeyValuePair<string, T>> aliases)
    {
        _byLongestPrefix = [.. aliases
            .Where(a => IsPattern(a.Key))
            .Select(a => KeyValuePair.Create(a.Key[..^1], a.Value))
            .OrderByDescending(a => a.Key.Length)
            .ThenBy(a => a.Key, StringComparer.OrdinalIgnoreCase)];
    }

    private static bool IsPattern(string name) => name.Length > 1 && name[^1] == '*';

    public bool TryMatch(string name, out T value)
    {
        foreach (var (prefix, target) in _byLongestPrefix)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                value = target;
                return true;
            }
        }

        value = default!;
        return false;
    }
}
