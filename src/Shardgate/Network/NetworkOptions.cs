using System.ComponentModel.DataAnnotations;
using Shardgate.Kernel;
using Shardgate.Network.Discovery;

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

    /// <summary>The chain's REST API (Cosmos LCD), for collateral and module parameters: <c>http://localhost:1317</c>, or an API node's <c>/chain-api</c>.</summary>
    [Url(ErrorMessage = "must be an http or https URL, such as http://localhost:1317")]
    public string ChainRest { get; init; } = "http://localhost:1317";

    [Range(typeof(TimeSpan), SettingLimits.ShortestSpan, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.PositiveSpan)]
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Seconds a block takes, to turn the block height where inference resumes into a Retry-After.</summary>
    [Range(0.001, 3600.0, ErrorMessage = SettingLimits.Between)]
    public double BlockSeconds { get; init; } = 6;

    /// <summary>Retry-After during PoC when the API does not say when it ends.</summary>
    [Range(typeof(TimeSpan), SettingLimits.ShortestSpan, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.PositiveSpan)]
    public TimeSpan PocRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the participants' collateral and money on chain are read, for the host operators' view.</summary>
    [Range(typeof(TimeSpan), SettingLimits.ShortestSpan, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.PositiveSpan)]
    public TimeSpan EconomicsInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Hosts read from the epoch's participants.</summary>
    public DiscoveryOptions Discovery { get; init; } = new();
}
