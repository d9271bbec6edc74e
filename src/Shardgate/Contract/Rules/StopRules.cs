using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Shardgate.Contract.Rules;

/// <summary><c>stop</c>, <c>stop_token_ids</c>, <c>bad_words</c> and <c>min_tokens</c> (reference §3.3).</summary>
internal static class StopRules
{
    public static ContractError? Stop(ContractContext c)
    {
        if (!c.TryGet("stop", out var stop) || stop.ValueKind == JsonValueKind.String)
        {
            return null;
        }

        if (stop.ValueKind != JsonValueKind.Array)
        {
            return ContractContext.Fail(ContractCodes.InvalidStop, "stop", "'stop' must be a string or an array of up to 16 strings.");
        }

        var i = 0;
        foreach (var item in stop.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return ContractContext.Fail(ContractCodes.InvalidStop, Param("stop", i), $"stop[{i}] must be a string.");
            }

            if (JsonValues.Utf8Length(item.GetString()!) > 256)
            {
                return ContractContext.Fail(ContractCodes.InvalidStop, Param("stop", i), $"stop[{i}] is longer than 256 bytes.");
            }

            i++;
        }

        return i > 16 ? ContractContext.Fail(ContractCodes.InvalidStop, "stop", $"'stop' has {i} entries; at most 16 are accepted.") : null;
    }

    public static ContractError? StopTokenIds(ContractContext c)
    {
        if (!c.TryGet("stop_token_ids", out var ids))
        {
            return null;
        }

        if (ids.ValueKind != JsonValueKind.Array)
        {
            return ContractContext.Fail(ContractCodes.InvalidStopTokenIds, "stop_token_ids", "'stop_token_ids' must be an array of up to 64 token ids.");
        }

        var i = 0;
        foreach (var id in ids.EnumerateArray())
        {
            if (!JsonValues.TryGetNonNegativeInteger(id, out _))
            {
                return ContractContext.Fail(ContractCodes.InvalidStopTokenIds, Param("stop_token_ids", i), $"stop_token_ids[{i}] must be an integer token id.");
            }

            i++;
        }

        return i > 64 ? ContractContext.Fail(ContractCodes.InvalidStopTokenIds, "stop_token_ids", $"'stop_token_ids' has {i} entries; at most 64 are accepted.") : null;
    }

    public static ContractError? BadWords(ContractContext c)
    {
        if (!c.TryGet("bad_words", out var words))
        {
            return null;
        }

        if (words.ValueKind != JsonValueKind.Array)
        {
            return ContractContext.Fail(ContractCodes.InvalidBadWords, "bad_words", "'bad_words' must be an array of strings.");
        }

        var kept = new JsonArray();
        var i = 0;
        foreach (var word in words.EnumerateArray())
        {
            if (word.ValueKind != JsonValueKind.String)
            {
                return ContractContext.Fail(ContractCodes.InvalidBadWords, Param("bad_words", i), $"bad_words[{i}] must be a string.");
            }

            var text = word.GetString()!;
            if (JsonValues.Utf8Length(text) > 128)
            {
                return ContractContext.Fail(ContractCodes.InvalidBadWords, Param("bad_words", i), $"bad_words[{i}] is longer than 128 bytes.");
            }

            if (!JsonValues.IsBlank(text))
            {
                kept.Add(text);
            }

            i++;
        }

        if (kept.Count > 64)
        {
            return ContractContext.Fail(ContractCodes.InvalidBadWords, "bad_words", $"'bad_words' has {kept.Count} entries; at most 64 are accepted.");
        }

        if (kept.Count == 0)
        {
            c.Fields.Remove("bad_words");
        }
        else if (kept.Count != i)
        {
            c.Fields.Set("bad_words", kept);
        }

        return null;
    }

    /// <summary>Pre: a non-negative integer, dropped when <c>stop_token_ids</c> is present.</summary>
    public static ContractError? MinTokens(ContractContext c)
    {
        if (!c.TryGet("min_tokens", out var min))
        {
            return null;
        }

        if (!JsonValues.TryGetNonNegativeInteger(min, out _))
        {
            return ContractContext.Fail(ContractCodes.InvalidMinTokens, "min_tokens", "'min_tokens' must be a non-negative integer.");
        }

        if (c.Fields.Contains("stop_token_ids"))
        {
            c.Fields.Remove("min_tokens");
        }

        return null;
    }

    /// <summary>Post-limits: <c>min_tokens</c> never exceeds the final <c>max_tokens</c>.</summary>
    public static ContractError? ClampMinTokens(ContractContext c)
    {
        if (c.TryGet("min_tokens", out var min) && min.TryGetInt64(out var value) && c.MaxTokens > 0 && value > c.MaxTokens)
        {
            c.Fields.Set("min_tokens", JsonValue.Create(c.MaxTokens));
        }

        return null;
    }

    internal static string Param(string name, int index) => string.Create(CultureInfo.InvariantCulture, $"{name}[{index}]");
}
