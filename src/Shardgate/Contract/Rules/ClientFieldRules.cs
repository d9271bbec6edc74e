using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Shardgate.Contract.Rules;

/// <summary><c>model</c>, <c>stream</c>, <c>stream_options</c>, <c>user</c> and <c>metadata</c> (reference §3.3).</summary>
internal static class ClientFieldRules
{
    public static ContractError? Stream(ContractContext c)
    {
        if (c.TryGet("stream", out var stream))
        {
            if (stream.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return ContractContext.Fail(ContractCodes.InvalidType, "stream", "'stream' must be true or false.");
            }

            c.Stream = stream.ValueKind == JsonValueKind.True;
        }

        return null;
    }

    /// <summary>Only <c>include_usage</c> survives, and only on streams; the gateway always asks for usage upstream.</summary>
    public static ContractError? StreamOptions(ContractContext c)
    {
        var present = c.TryGet("stream_options", out var options);
        if (!c.Stream)
        {
            c.Fields.Remove("stream_options");
            return null;
        }

        if (present)
        {
            if (options.ValueKind != JsonValueKind.Object)
            {
                return ContractContext.Fail(ContractCodes.InvalidStreamOptions, "stream_options", "'stream_options' must be an object such as {\"include_usage\": true}.");
            }

            if (options.TryGetProperty("include_usage"u8, out var include) && include.ValueKind != JsonValueKind.Null)
            {
                if (include.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return ContractContext.Fail(ContractCodes.InvalidStreamOptions, "stream_options.include_usage", "'stream_options.include_usage' must be true or false.");
                }

                c.ClientWantsUsage = include.ValueKind == JsonValueKind.True;
            }
        }

        c.Fields.Set("stream_options", new JsonObject { ["include_usage"] = true });
        return null;
    }

    public static ContractError? User(ContractContext c)
    {
        if (!c.TryGet("user", out var user))
        {
            return null;
        }

        if (user.ValueKind != JsonValueKind.String)
        {
            return ContractContext.Fail(ContractCodes.InvalidUser, "user", "'user' must be a string.");
        }

        var length = JsonValues.Utf8Length(user.GetString()!);
        return length > 512
            ? ContractContext.Fail(ContractCodes.InvalidUser, "user", string.Create(CultureInfo.InvariantCulture, $"'user' is {length} bytes; at most 512 are accepted."))
            : null;
    }

    public static ContractError? Metadata(ContractContext c)
    {
        if (!c.TryGet("metadata", out var metadata))
        {
            return null;
        }

        if (metadata.ValueKind != JsonValueKind.Object)
        {
            return ContractContext.Fail(ContractCodes.InvalidMetadata, "metadata", "'metadata' must be an object of up to 16 string values.");
        }

        var count = 0;
        foreach (var entry in metadata.EnumerateObject())
        {
            if (++count > 16)
            {
                return ContractContext.Fail(ContractCodes.InvalidMetadata, "metadata", "'metadata' has more than 16 keys.");
            }

            if (JsonValues.Utf8Length(entry.Name) > 64)
            {
                return ContractContext.Fail(ContractCodes.InvalidMetadata, "metadata." + entry.Name, "metadata keys are at most 64 bytes.");
            }

            if (entry.Value.ValueKind != JsonValueKind.String || JsonValues.Utf8Length(entry.Value.GetString()!) > 512)
            {
                return ContractContext.Fail(ContractCodes.InvalidMetadata, "metadata." + entry.Name, $"metadata.{entry.Name} must be a string of at most 512 bytes.");
            }
        }

        return null;
    }

    /// <summary>Post-limits, per model: what the network forces upstream for validation, hidden from the client later.</summary>
    public static ContractError? ForcedUpstreamFields(ContractContext c)
    {
        if (c.Profile.ForceUpstreamLogprobs)
        {
            c.ClientAskedForLogprobs = c.TryGet("logprobs", out var asked) && asked.ValueKind == JsonValueKind.True;
            c.Fields.Set("logprobs", true);
            c.Fields.Set("top_logprobs", 5);
            c.Fields.Set("return_token_ids", true);
        }

        return null;
    }
}
