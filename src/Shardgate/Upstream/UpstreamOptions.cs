using System.ComponentModel.DataAnnotations;
using Shardgate.Kernel;

namespace Shardgate.Upstream;

/// <summary>How the gateway talks to hosts.</summary>
internal sealed record UpstreamOptions
{
    /// <summary>Attempts per request across distinct hosts, for failures before the first byte.</summary>
    [Range(1, 10, ErrorMessage = SettingLimits.Between)]
    public int MaxAttempts { get; init; } = 3;

    [Range(typeof(TimeSpan), SettingLimits.ShortestSpan, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.PositiveSpan)]
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for a host's first output (response headers, then the first SSE event) before trying another host.</summary>
    [Range(typeof(TimeSpan), SettingLimits.ShortestSpan, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.PositiveSpan)]
    public TimeSpan FirstByteTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Longest silence between two SSE events once output has started; the stream then ends with an error event.</summary>
    [Range(typeof(TimeSpan), SettingLimits.ShortestSpan, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.PositiveSpan)]
    public TimeSpan InterChunkTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest non-streaming response body accepted from a host.</summary>
    [Range(1024, int.MaxValue, ErrorMessage = SettingLimits.Between)]
    public int MaxResponseBytes { get; init; } = 64 * 1024 * 1024;

    [Range(typeof(TimeSpan), SettingLimits.ShortestSpan, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.PositiveSpan)]
    public TimeSpan PooledConnectionIdleTimeout { get; init; } = TimeSpan.FromSeconds(90);
}
