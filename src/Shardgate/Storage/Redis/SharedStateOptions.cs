using System.ComponentModel.DataAnnotations;
using Shardgate.Kernel;

namespace Shardgate.Storage.Redis;

/// <summary>
/// State shared by replicas, from <c>Shardgate:Redis</c>; <c>SHARDGATE_REDIS</c> sets <see cref="Configuration"/>.
/// Without a configuration every replica keeps its own counters, as a single process does.
/// </summary>
internal sealed record SharedStateOptions : IValidatableObject
{
    public const string FailOpen = "fail-open";
    public const string FailClosed = "fail-closed";

    /// <summary>A StackExchange.Redis configuration string, such as <c>127.0.0.1:6379</c> or <c>redis.internal:6379,password=…,ssl=true</c>.</summary>
    public string? Configuration { get; init; }

    /// <summary>
    /// What a key's limits do while Redis cannot be reached: <c>fail-open</c> (each replica applies them on its own,
    /// and counts the fallback) or <c>fail-closed</c> (limited keys get 429 with <c>Retry-After</c>).
    /// </summary>
    public string OnFailure { get; init; } = FailOpen;

    /// <summary>
    /// What every key and channel of this deployment starts with, so that several deployments (a staging and a
    /// production, or parallel test runs) can share one Redis without sharing counters.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9_.:-]{1,64}$", ErrorMessage = "must be 1 to 64 letters, digits or _ . : -")]
    public string Prefix { get; init; } = "sg:";

    /// <summary>How long one admission may wait for Redis before the failure mode applies.</summary>
    [Range(typeof(TimeSpan), SettingLimits.ShortestSpan, "00:00:10", ErrorMessage = SettingLimits.Between)]
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often a replica says it is alive; its concurrency slots count for three times as long after its last word.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00", ErrorMessage = SettingLimits.Between)]
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(2);

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OnFailure is not (FailOpen or FailClosed))
        {
            yield return new ValidationResult($"must be {FailOpen} or {FailClosed}", [nameof(OnFailure)]);
        }
    }
}
