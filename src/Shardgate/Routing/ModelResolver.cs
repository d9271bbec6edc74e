using Shardgate.Catalog;
using Shardgate.Contract;
using Shardgate.Network;

namespace Shardgate.Routing;

/// <summary>
/// Turns what a client calls a model into a served canonical id: case-insensitive, through configured aliases,
/// and by the part after the publisher's slash (<c>kimi-k2.6</c> reaches <c>moonshotai/Kimi-K2.6</c>) when that
/// part names exactly one served model, and last through aliases ending in <c>*</c> (<see cref="AliasPatterns{T}"/>).
/// </summary>
internal sealed class ModelResolver(HostRegistry registry, ContractOptions options)
{
    private readonly Dictionary<string, string> _aliases = new(options.Aliases, StringComparer.OrdinalIgnoreCase);
    private readonly AliasPatterns<string> _patterns = new(options.Aliases);

    /// <summary>
    /// Resolves a name; <paramref name="alias"/> is the catalog alias it went through, if any. A weighted alias picks
    /// its arm by the caller: <paramref name="user"/> when set, else <paramref name="keyId"/> (see <see cref="RolloutPicker"/>).
    /// </summary>
    public bool TryResolve(string requested, CatalogSnapshot catalog, long? keyId, string? user, out ModelShard shard, out string? alias)
    {
        var name = requested.Trim();
        alias = null;
        if (registry.TryGetShard(name, out shard))
        {
            return true;
        }

        if (catalog.Aliases.TryGetValue(name, out var arms) && arms.Count > 0)
        {
            alias = name;
            return registry.TryGetShard(RolloutPicker.Pick(name, arms, keyId, user).Model, out shard);
        }

        if (_aliases.TryGetValue(name, out var target) && registry.TryGetShard(target, out shard))
        {
            return true;
        }

        string? match = null;
        foreach (var id in registry.ModelIds)
        {
            var slash = id.LastIndexOf('/');
            if (slash >= 0 && id.AsSpan(slash + 1).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                if (match is not null)
                {
                    return false;
                }

                match = id;
            }
        }

        if (match is not null)
        {
            return registry.TryGetShard(match, out shard);
        }

        if (catalog.AliasPatterns.TryMatch(name, out arms) && arms.Count > 0)
        {
            alias = name;
            return registry.TryGetShard(RolloutPicker.Pick(name, arms, keyId, user).Model, out shard);
        }

        return _patterns.TryMatch(name, out target) && registry.TryGetShard(target, out shard);
    }
}
