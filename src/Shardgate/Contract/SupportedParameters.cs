using Shardgate.Contract.Rules;

namespace Shardgate.Contract;

/// <summary>The parameters that take effect on a model: the allowlist less what its family drops.</summary>
internal static class SupportedParameters
{
    // Accepted everywhere but forwarded nowhere: listing them would promise an effect they do not have.
    private static readonly string[] NeverForwarded = ["reasoning", "reasoning_effort"];

    public static IReadOnlyList<string> For(ModelProfile profile)
    {
        var list = new List<string>(ParameterCatalog.Allowed.Count);
        foreach (var name in ParameterCatalog.Allowed)
        {
            if (!NeverForwarded.Contains(name) && TakesEffect(name, profile))
            {
                list.Add(name);
            }
        }

        list.Sort(StringComparer.Ordinal);
        return list;
    }

    private static bool TakesEffect(string name, ModelProfile profile) => name switch
    {
        "thinking_token_budget" or "safety_identifier" => profile.IsKimi,
        "structured_outputs" => !profile.IsKimi,
        "reasoning_split" => profile.IsMiniMax,
        "thinking" or "enable_thinking" => !profile.IsMiniMax,
        _ => true,
    };
}
