using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Shardgate.Contract.Rules;

/// <summary>
/// <c>max_tokens</c> and <c>max_completion_tokens</c> (reference §3.3, §3.4): Kimi floors small values to 16,
/// others refuse zero; then both resolve to one value within the model's cap (admin requests skip the cap).
/// </summary>
internal static class OutputTokenRules
{
    private const long KimiFloor = 16;

    public static ContractError? Check(ContractContext c)
    {
        foreach (var name in (ReadOnlySpan<string>)["max_tokens", "max_completion_tokens"])
        {
            if (!c.TryGet(name, out var value))
            {
                continue;
            }

            if (!JsonValues.TryGetNonNegativeInteger(value, out var n))
            {
                return ContractContext.Fail(ContractCodes.InvalidMaxTokens, name, $"'{name}' must be a positive integer.");
            }

            if (n == 0 && !c.Profile.IsKimi)
            {
                return ContractContext.Fail(ContractCodes.InvalidMaxTokens, name, $"'{name}' must be greater than 0.");
            }
        }

        return null;
    }

    public static ContractError? Apply(ContractContext c)
    {
        var maxTokens = Read(c, "max_tokens");
        var maxCompletion = Read(c, "max_completion_tokens");
        var cap = c.Profile.MaxTokensCap;
        long resolved;
        if (maxTokens is null && maxCompletion is null)
        {
            resolved = c.Profile.DefaultMaxTokens;
        }
        else if (maxCompletion is null)
        {
            resolved = Math.Min(maxTokens!.Value, cap);
        }
        else if (maxTokens is null)
        {
            resolved = Math.Min(maxCompletion.Value, cap);
        }
        else
        {
            resolved = Math.Min(Math.Min(maxTokens.Value, cap), Math.Min(maxCompletion.Value, cap));
        }

        var requested = Math.Max(maxTokens ?? 0, maxCompletion ?? 0);
        if (requested > resolved)
        {
            c.Warnings.Add(string.Create(CultureInfo.InvariantCulture, $"max-tokens-capped: the request asked for {requested} output tokens; this model's cap is {resolved}."));
        }

        c.MaxTokens = resolved;
        Write(c, "max_tokens", resolved);
        if (maxCompletion is not null)
        {
            Write(c, "max_completion_tokens", resolved);
        }

        return null;
    }

    /// <summary>The value after Kimi's floor; zero counts as unset (the network then applies the default).</summary>
    private static long? Read(ContractContext c, string name)
    {
        if (!c.TryGet(name, out var value) || !JsonValues.TryGetNonNegativeInteger(value, out var n))
        {
            return null;
        }

        if (c.Profile.IsKimi && n < KimiFloor)
        {
            n = KimiFloor;
        }

        return n == 0 ? null : n;
    }

    /// <summary>Writes the value unless the client sent exactly it.</summary>
    private static void Write(ContractContext c, string name, long resolved)
    {
        if (!c.Fields.TryGetValue(name, out var sent) || !sent.TryGetInt64(out var value) || value != resolved)
        {
            c.Fields.Set(name, JsonValue.Create(resolved));
        }
    }
}
