using Shardgate.Contract;
using Shardgate.Network;

namespace Shardgate.Routing;

/// <summary>
/// Turns what a client calls a model into a served canonical id: case-insensitive, through configured aliases,
/// and by the part after the publisher's slash (<c>kimi-k2.6</c> reaches <c>moonshotai/Kimi-K2.6</c>) when that
/// part names exactly one served model.
/// </summary>
internal sealed class ModelResolver(HostRegistry registry, ContractOptions options)
{
    private readonly Dictionary<string, string> _aliases = new(options.Aliases, StringComparer.OrdinalIgnoreCase);

    public bool TryResolve(string requested, out ModelShard shard)
    {
        var name = requested.Trim();
        if (registry.TryGetShard(name, out shard))
        {
            return true;
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

        return match is not null && registry.TryGetShard(match, out shard);
    }
}
