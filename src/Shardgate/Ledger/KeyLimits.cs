using System.Text.Json.Serialization;

namespace Shardgate.Ledger;

/// <summary>A key's own limits; null means unlimited. <see cref="Models"/> restricts which models it may call.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record KeyLimits
{
    public int? RequestsPerMinute { get; set; }

    public long? TokensPerMinute { get; set; }

    public int? MaxConcurrent { get; set; }

    public IReadOnlyList<string>? Models { get; set; }

    public static KeyLimits None { get; } = new();

    public bool IsUnlimited => RequestsPerMinute is null && TokensPerMinute is null && MaxConcurrent is null && Models is null;

    /// <summary>Value equality, the model list included (a record compares lists by reference).</summary>
    public bool SameAs(KeyLimits other) =>
        RequestsPerMinute == other.RequestsPerMinute && TokensPerMinute == other.TokensPerMinute && MaxConcurrent == other.MaxConcurrent
        && (Models is null ? other.Models is null : other.Models is not null && Models.SequenceEqual(other.Models, StringComparer.Ordinal));

    public IEnumerable<string> Problems()
    {
        if (RequestsPerMinute is <= 0)
        {
            yield return "requests_per_minute must be a positive integer";
        }

        if (TokensPerMinute is <= 0)
        {
            yield return "tokens_per_minute must be a positive integer";
        }

        if (MaxConcurrent is <= 0)
        {
            yield return "max_concurrent must be a positive integer";
        }

        if (Models is { Count: 0 })
        {
            yield return "models, when given, must name at least one model";
        }
    }
}
