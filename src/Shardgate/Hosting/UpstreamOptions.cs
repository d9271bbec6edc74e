namespace Shardgate.Hosting;

/// <summary>How the gateway talks to hosts.</summary>
internal sealed record UpstreamOptions
{
    /// <summary>Attempts per request across distinct hosts, for failures before the first byte.</summary>
    public int MaxAttempts { get; init; } = 3;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for a host's first output (response headers, then the first SSE event) before trying another host.</summary>
    public TimeSpan FirstByteTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Longest silence between two SSE events once output has started; the stream then ends with an error event.</summary>
    public TimeSpan InterChunkTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest non-streaming response body accepted from a host.</summary>
    public int MaxResponseBytes { get; init; } = 64 * 1024 * 1024;

    public TimeSpan PooledConnectionIdleTimeout { get; init; } = TimeSpan.FromSeconds(90);
}
