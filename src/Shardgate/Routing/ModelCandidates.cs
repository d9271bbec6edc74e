namespace Shardgate.Routing;

/// <summary>
/// The models a request may be served by, in order. A model name that is a fallback alias expands to its tiers
/// (those whose prompt bound fits the request's estimate; all of them if none does, so context routing decides);
/// the OpenRouter-style <c>models</c> list follows the primary model.
/// </summary>
internal static class ModelCandidates
{
    public static IReadOnlyList<string> For(string? model, IReadOnlyList<string>? models, IReadOnlyDictionary<string, IReadOnlyList<FallbackTier>> fallbacks, long promptTokens)
    {
        var candidates = new List<string>();
        if (model is not null)
        {
            var tiers = fallbacks.FirstOrDefault(f => string.Equals(f.Key, model, StringComparison.OrdinalIgnoreCase)).Value;
            if (tiers is { Count: > 0 })
            {
                var fitting = tiers.Where(t => t.MaxPromptTokens is not { } max || promptTokens <= max).ToList();
                Add(candidates, (fitting.Count > 0 ? fitting : tiers).Select(t => t.Model));
            }
            else
            {
                Add(candidates, [model]);
            }
        }

        Add(candidates, models ?? []);
        return candidates;
    }

    private static void Add(List<string> candidates, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (!candidates.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                candidates.Add(name);
            }
        }
    }
}
