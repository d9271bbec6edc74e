using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Shardgate.Contract.Rules;

/// <summary>Sampling parameters (reference §3.3): parse numbers and numeric strings, drop what is not a number, clamp.</summary>
internal static class SamplingRules
{
    public static ContractError? Seed(ContractContext c)
    {
        if (!c.TryGet("seed", out var seed))
        {
            return null;
        }

        // Kept as the original element, so a 64-bit seed travels with every digit.
        return seed.ValueKind == JsonValueKind.Number && seed.TryGetUInt64(out _)
            ? null
            : ContractContext.Fail(ContractCodes.InvalidSeed, "seed", "'seed' must be a non-negative integer (at most 18446744073709551615), written as a JSON number.");
    }

    public static ContractError? Temperature(ContractContext c)
    {
        c.Temperature = Clamp(c, "temperature", 0, 2);
        return null;
    }

    public static ContractError? RepetitionPenalty(ContractContext c)
    {
        var value = Clamp(c, "repetition_penalty", double.NegativeInfinity, 2);
        return value is <= 0
            ? ContractContext.Fail(ContractCodes.InvalidRepetitionPenalty, "repetition_penalty", "'repetition_penalty' must be greater than 0 (1 means no penalty).")
            : null;
    }

    public static ContractError? MinP(ContractContext c)
    {
        Clamp(c, "min_p", 0, 1);
        return null;
    }

    public static ContractError? TopP(ContractContext c)
    {
        var value = Clamp(c, "top_p", double.NegativeInfinity, 1);
        return value is <= 0
            ? ContractContext.Fail(ContractCodes.InvalidTopP, "top_p", "'top_p' must be greater than 0 and at most 1.")
            : null;
    }

    public static ContractError? TopK(ContractContext c)
    {
        if (!c.TryGet("top_k", out var element))
        {
            return null;
        }

        if (JsonValues.ParseFloat(element) is not { } value)
        {
            c.Fields.Remove("top_k");
            return null;
        }

        if (value != Math.Floor(value) || (value != -1 && value < 1))
        {
            return ContractContext.Fail(ContractCodes.InvalidTopK, "top_k", "'top_k' must be -1 (off) or a positive integer.");
        }

        if (element.ValueKind != JsonValueKind.Number)
        {
            c.Fields.Set("top_k", JsonValue.Create((long)value));
        }

        return null;
    }

    /// <summary>Kimi's hosts need both penalties at zero; elsewhere they are clamped to [-2, 2].</summary>
    public static ContractError? Penalties(ContractContext c)
    {
        foreach (var name in (ReadOnlySpan<string>)["frequency_penalty", "presence_penalty"])
        {
            if (c.Profile.IsKimi && c.Fields.Contains(name))
            {
                c.Fields.Set(name, JsonValue.Create(0.0));
                continue;
            }

            Clamp(c, name, -2, 2);
        }

        return null;
    }

    public static ContractError? LogitBias(ContractContext c)
    {
        if (!c.TryGet("logit_bias", out var bias) || bias.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var count = 0;
        var dropped = false;
        foreach (var entry in bias.EnumerateObject())
        {
            count++;
            dropped |= entry.Value.ValueKind == JsonValueKind.Number && Math.Abs(entry.Value.GetDouble()) > 100;
        }

        if (count > 1024)
        {
            return ContractContext.Fail(ContractCodes.InvalidLogitBias, "logit_bias", string.Create(CultureInfo.InvariantCulture, $"'logit_bias' has {count} entries; at most 1024 are accepted."));
        }

        if (dropped)
        {
            // Out-of-range biases are dropped, not clamped, as on the network.
            var kept = new JsonObject();
            foreach (var entry in bias.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Number || Math.Abs(entry.Value.GetDouble()) <= 100)
                {
                    kept[entry.Name] = JsonValues.ToNode(entry.Value);
                }
            }

            if (kept.Count == 0)
            {
                c.Fields.Remove("logit_bias");
            }
            else
            {
                c.Fields.Set("logit_bias", kept);
            }
        }

        return null;
    }

    /// <summary>Post-limits: <c>n</c> in [1, 5], and 1 when sampling is greedy (temperature 0).</summary>
    public static ContractError? N(ContractContext c)
    {
        if (!c.TryGet("n", out var element))
        {
            return null;
        }

        if (!JsonValues.TryGetNonNegativeInteger(element, out var n))
        {
            return ContractContext.Fail(ContractCodes.InvalidType, "n", "'n' must be a non-negative integer (1 to 5).");
        }

        var clamped = Math.Clamp(n, 1, 5);
        if (clamped > 1 && c.Temperature == 0)
        {
            clamped = 1;
        }

        if (clamped != n)
        {
            c.Fields.Set("n", JsonValue.Create(clamped));
        }

        c.Choices = clamped;
        return null;
    }

    /// <summary>Parses, removes what is not a finite number, clamps, and writes back only when something changed.</summary>
    private static double? Clamp(ContractContext c, string name, double min, double max)
    {
        if (!c.TryGet(name, out var element))
        {
            return null;
        }

        if (JsonValues.ParseFloat(element) is not { } value)
        {
            c.Fields.Remove(name);
            return null;
        }

        var clamped = Math.Clamp(value, min, max);
        if (clamped != value || element.ValueKind != JsonValueKind.Number)
        {
            c.Fields.Set(name, JsonValue.Create(clamped));
        }

        return clamped;
    }
}
