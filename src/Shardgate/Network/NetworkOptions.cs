using System.ComponentModel.DataAnnotations;
using Shardgate.Kernel;

namespace Shardgate.Network;

/// <summary>Where the network's phase comes from (section <c>Shardgate:Network</c>).</summary>
internal sealed record NetworkOptions
{
    /// <summary><c>static</c> (default) or <c>gonka</c>, which polls a Gonka public API.</summary>
    [RegularExpression("(?i)static|gonka", ErrorMessage = "must be static or gonka")]
    public string Source { get; init; } = "static";

    /// <summary>The Gonka API node's public API, for example <c>http://localhost:9000</c>.</summary>
    [Url(ErrorMessage = "must be an http or https URL, such as http://localhost:9000")]
    public string PublicApi { get; init; } = "http://localhost:9000";

    [Range(typeof(TimeSpan), SettingLimits.ShortestSpan, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.PositiveSpan)]
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Seconds a block takes, to turn the block height where inference resumes into a Retry-After.</summary>
    [Range(0.001, 3600.0, ErrorMessage = SettingLimits.Between)]
    public double BlockSeconds { get; init; } = 6;

    /// <summary>Retry-After during PoC when the API does not say when it ends.</summary>
    [Range(typeof(TimeSpan), SettingLimits.ShortestSpan, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.PositiveSpan)]
    public TimeSpan PocRetryAfter { get; init; } = TimeSpan.FromSeconds(60);
}
