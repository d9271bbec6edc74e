
namespace Shardgate.Routing;

/// <summary>
/// The models a request may be served by, in order. A model name that is a fallback alias expands to its tiers
/// (those whose prompt bound fits the request's estimate; all of them if none does, so context routing decides);
/// the OpenRouter-style <c>models</c> list follows the primary model. Aliases match case-insensitively.
/// </summary>
internal sealed class FallbackRoutes(FallbackOptions options)
{
    private readonly Dictionary<string, IReadOnlyList<FallbackTier>> _aliases = new(options.Fallbacks, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<string> Candidates(string? model, IReadOnlyList<string>? models, long promptTokens)
    {
        var candidates = new List<string>(1 + (models?.Count ?? 0));
        if (model is not null)
        {
            if (_aliases.TryGetValue(model, out var tiers) && tiers.Count > 0)
            {
                var anyFits = false;
                foreach (var tier in tiers)
                {
                    anyFits |= Fits(tier, promptTokens);
                }

                foreach (var tier in tiers)
                {
                    if (!anyFits || Fits(tier, promptTokens))
                    {
                        Add(candidates, tier.Model);
                    }
                }
            }
            else
            {
                Add(candidates, model);
            }
        }

        foreach (var name in models ?? [])
        {
            Add(candidates, name);
        }

        return candidates;
    }

    private static bool Fits(FallbackTier tier, long promptTokens) => tier.MaxPromptTokens is not { } max || promptTokens <= max;

    private static void Add(List<string> candidates, string name)
    {
        if (!candidates.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            candidates.Add(name);
        }
    }
}
