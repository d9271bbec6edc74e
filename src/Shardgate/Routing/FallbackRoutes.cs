using Shardgate.Catalog;

namespace Shardgate.Routing;

/// <summary>
/// The models a request may be served by, in order. A model name that is a fallback alias (the catalog's, else
/// <c>Shardgate:Fallbacks</c>) expands to its tiers (those whose prompt bound fits the request's estimate; all of
/// them if none does, so context routing decides); a catalog model's own fallbacks follow it; the OpenRouter-style
/// <c>models</c> list comes last. Aliases match case-insensitively.
/// </summary>
internal sealed class FallbackRoutes(FallbackOptions options)
{
    private readonly Dictionary<string, IReadOnlyList<FallbackTier>> _aliases = new(options.Fallbacks, StringComparer.OrdinalIgnoreCase);

    /// <summary>The candidates under <paramref name="current"/>, the catalog the request read once for all its decisions.</summary>
    public IReadOnlyList<string> Candidates(string? model, IReadOnlyList<string>? models, long promptTokens, CatalogSnapshot current)
    {
        var candidates = new List<string>(1 + (models?.Count ?? 0));
        if (model is not null)
        {
            IReadOnlyList<(string Model, long? MaxPromptTokens)>? tiers =
                current.Fallbacks.TryGetValue(model, out var declared) ? [.. declared.Select(t => (t.Model, t.MaxPromptTokens))]
                : _aliases.TryGetValue(model, out var configured) ? [.. configured.Select(t => (t.Model, t.MaxPromptTokens))]
                : null;
            if (tiers is { Count: > 0 })
            {
                var anyFits = tiers.Any(t => Fits(t.MaxPromptTokens, promptTokens));
                foreach (var tier in tiers)
                {
                    if (!anyFits || Fits(tier.MaxPromptTokens, promptTokens))
                    {
                        Add(candidates, tier.Model);
                    }
                }
            }
            else
            {
                Add(candidates, model);
                if (current.Models.TryGetValue(model.Trim(), out var declaredModel))
                {
                    foreach (var fallback in declaredModel.Fallbacks)
                    {
                        Add(candidates, fallback);
                    }
                }
            }
        }

        foreach (var name in models ?? [])
        {
            Add(candidates, name);
        }

        return candidates;
    }

    private static bool Fits(long? maxPromptTokens, long promptTokens) => maxPromptTokens is not { } max || promptTokens <= max;

    private static void Add(List<string> candidates, string name)
    {
        if (!candidates.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            candidates.Add(name);
        }
    }
}
