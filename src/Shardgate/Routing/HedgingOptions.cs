using System.ComponentModel.DataAnnotations;
using Shardgate.Kernel;

namespace Shardgate.Routing;

/// <summary>
/// Hedging of slow first tokens (section <c>Shardgate:Hedging</c>): a stream whose host has produced no content by
/// the deadline gets a second attempt on another host, and the first to produce content wins (reference §4.5).
/// </summary>
internal sealed record HedgingOptions : IValidatableObject
{
    public bool Enabled { get; init; } = true;

    /// <summary>The largest share of streaming requests that may hedge over time; the rest wait for their host.</summary>
    [Range(0.0, 1.0, ErrorMessage = SettingLimits.Between)]
    public double BudgetFraction { get; init; } = 0.1;

    /// <summary>Hedges that may start back to back before the fraction paces them.</summary>
    [Range(0, 1000000, ErrorMessage = SettingLimits.Between)]
    public int BudgetBurst { get; init; } = 5;

    /// <summary>No hedge starts sooner than this, however fast the model's recent first tokens were.</summary>
    [Range(typeof(TimeSpan), SettingLimits.Zero, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.SpanOrZero)]
    public TimeSpan MinDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>No stream waits longer than this before hedging; null leaves the deadline to the p95 and the static curve.</summary>
    public TimeSpan? MaxDelay { get; init; }

    /// <summary>Recent first-token times kept per model and prompt-size bucket.</summary>
    [Range(1, 100000, ErrorMessage = SettingLimits.Between)]
    public int WindowSamples { get; init; } = 128;

    /// <summary>Samples a bucket needs before its p95 replaces the network's static formula.</summary>
    [Range(1, 100000, ErrorMessage = SettingLimits.Between)]
    public int MinSamples { get; init; } = 32;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinSamples > WindowSamples)
        {
            yield return new ValidationResult($"must be at most WindowSamples ({WindowSamples}): a bucket cannot need more samples than it keeps", [nameof(MinSamples)]);
        }

        if (MaxDelay is { } max && max < MinDelay)
        {
            yield return new ValidationResult($"must be at least MinDelay ({MinDelay})", [nameof(MaxDelay)]);
        }
    }
}
