using System.ComponentModel.DataAnnotations;
using Shardgate.Kernel;

namespace Shardgate.Routing;

/// <summary>Passive health rules (section <c>Shardgate:Health</c>); defaults follow the network's gateway (reference §4.6).</summary>
internal sealed record HealthOptions
{
    /// <summary>After a host answers 429 or 503: it said it is overloaded.</summary>
    [Range(typeof(TimeSpan), SettingLimits.Zero, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.SpanOrZero)]
    public TimeSpan BusyCooldown { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>After a refused connection, a timeout or a 5xx.</summary>
    [Range(typeof(TimeSpan), SettingLimits.Zero, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.SpanOrZero)]
    public TimeSpan TransportCooldown { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Soft strikes (a stream cut before output, an empty stream) that quarantine a host.</summary>
    [Range(1, 1000, ErrorMessage = SettingLimits.Between)]
    public int SoftStrikes { get; init; } = 3;

    [Range(typeof(TimeSpan), SettingLimits.Zero, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.SpanOrZero)]
    public TimeSpan SoftQuarantine { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>After a host fell silent mid-stream.</summary>
    [Range(typeof(TimeSpan), SettingLimits.Zero, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.SpanOrZero)]
    public TimeSpan StallQuarantine { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Successes a host on probation needs before it is trusted again.</summary>
    [Range(1, 1000, ErrorMessage = SettingLimits.Between)]
    public int ProbationSuccesses { get; init; } = 3;

    /// <summary>Failures on probation that send it back to quarantine.</summary>
    [Range(1, 1000, ErrorMessage = SettingLimits.Between)]
    public int ProbationStrikes { get; init; } = 2;
}
