using System.Collections.Frozen;

namespace Shardgate.Catalog;

/// <summary>
/// A validated catalog, immutable: the models by id, every alias (a model's own, and weighted splits), and fallback
/// aliases. Names match case-insensitively, as model names do everywhere else in the gateway.
/// </summary>
internal sealed class CatalogSnapshot
{
    public CatalogSnapshot(IEnumerable<CatalogModel> models, IReadOnlyDictionary<string, IReadOnlyList<CatalogArm>> splits, IReadOnlyDictionary<string, IReadOnlyList<CatalogTier>> fallbacks)
    {
        Models = models.ToFrozenDictionary(m => m.Id, StringComparer.OrdinalIgnoreCase);
        var aliases = new Dictionary<string, IReadOnlyList<CatalogArm>>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in Models.Values)
        {
            foreach (var alias in model.Aliases)
            {
                aliases[alias] = [new CatalogArm(model.Id, 1)];
            }
        }

        foreach (var (alias, arms) in splits)
        {
            aliases[alias] = arms;
        }

        Aliases = aliases.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        AliasPatterns = new AliasPatterns<IReadOnlyList<CatalogArm>>(Aliases);
        Fallbacks = fallbacks.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public static CatalogSnapshot Empty { get; } = new([], new Dictionary<string, IReadOnlyList<CatalogArm>>(), new Dictionary<string, IReadOnlyList<CatalogTier>>());

    public FrozenDictionary<string, CatalogModel> Models { get; }

    /// <summary>Every alias, each with its arms: one arm of weight 1 for a model's own alias.</summary>
    public FrozenDictionary<string, IReadOnlyList<CatalogArm>> Aliases { get; }

    /// <summary>The aliases that end in <c>*</c>, matched by prefix when no name matches exactly.</summary>
    public AliasPatterns<IReadOnlyList<CatalogArm>> AliasPatterns { get; }

    public FrozenDictionary<string, IReadOnlyList<CatalogTier>> Fallbacks { get; }
}
