using System.ComponentModel.DataAnnotations;
using Shardgate.Kernel;

namespace Shardgate.Api.Auth;

/// <summary>Keys and their checks, from the <c>Shardgate</c> section itself (<c>Shardgate:AdminKey</c>, <c>Shardgate:KeyCacheTtl</c>, …).</summary>
internal sealed record AuthOptions
{
    /// <summary>Bearer key for <c>/admin</c>. Unset disables the admin API (404), as the network's gateway does. Never an API key.</summary>
    public string? AdminKey { get; init; }

    /// <summary>How long a verified API key is trusted before the store is asked again (bounds revocation lag across replicas).</summary>
    [Range(typeof(TimeSpan), SettingLimits.Zero, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.SpanOrZero)]
    public TimeSpan KeyCacheTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a dashboard sign-in lasts; then the operator signs in with the admin key again.</summary>
    [Range(typeof(TimeSpan), SettingLimits.ShortestSpan, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.PositiveSpan)]
    public TimeSpan DashboardSessionLifetime { get; init; } = TimeSpan.FromHours(8);

    /// <summary>How long a key the store did not know is refused without asking it again.</summary>
    [Range(typeof(TimeSpan), SettingLimits.Zero, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.SpanOrZero)]
    public TimeSpan FailedKeyCacheTtl { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Failed authentications one client address may make per minute; past it, that address gets 429 with
    /// <c>Retry-After</c> and its keys are not looked up until the minute is over. Keys already verified still pass.
    /// </summary>
    [Range(1, 1000000, ErrorMessage = SettingLimits.Between)]
    public int MaxFailedAuthPerMinute { get; init; } = 60;
}
